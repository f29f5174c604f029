"""Compact schemas for small models.

A 135M model fills every length and list bound a grammar allows, so the bounds decide
how long a call takes. The compact variant advertises (and so constrains generation
to) much tighter bounds while validation stays the record's own: anything it produces
is a valid record. It is what the embedded model gets by default, and what an
OpenAI-compatible server running a tiny model can be given with --compact-schema.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

STRING_BOUND = 72
LIST_BOUND = 2
TOP_LEVEL_ITEMS = 1


def bounded_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` whose free-text strings and lists have small upper bounds."""
    bounded = copy.deepcopy(schema)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and not {"enum", "const", "format"} & node.keys():
                node["maxLength"] = min(node.get("maxLength", STRING_BOUND), STRING_BOUND)
            if node.get("type") == "array":
                node["maxItems"] = min(node.get("maxItems", LIST_BOUND), LIST_BOUND)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(bounded)
    for prop in bounded.get("properties", {}).values():
        if prop.get("type") == "array":
            prop["maxItems"] = TOP_LEVEL_ITEMS
    return bounded


M = TypeVar("M", bound=BaseModel)


@cache
def compact_model(model: type[M]) -> type[M]:
    """A subclass of `model` that validates like it but publishes the bounded schema."""
    schema = bounded_schema(model.model_json_schema())

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return copy.deepcopy(schema)

    return type(
        model.__name__,
        (model,),
        {
            "__module__": model.__module__,
            "__doc__": model.__doc__,
            "model_json_schema": classmethod(model_json_schema),
        },
    )
