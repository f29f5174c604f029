"""Versioned prompt templates from `prompts/`, rendered with the article as data."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from string import Template
from typing import Any

from pydantic import BaseModel

from llm_extract.core.errors import ConfigError
from llm_extract.extraction.resources import resource_dir

ARTICLE_OPEN, ARTICLE_CLOSE = "<<<ARTICLE", "ARTICLE>>>"


@dataclass(frozen=True)
class PromptTemplate:
    id: str
    version: str
    system: str
    user: str
    sha256: str

    def render(self, article: str, schema: type[BaseModel]) -> list[dict[str, str]]:
        """Messages for the model. The article cannot close its own delimiter."""
        safe = article.replace(ARTICLE_CLOSE, "ARTICLE >>>").replace(ARTICLE_OPEN, "<<< ARTICLE")
        values = {"article": safe, "field_guide": field_guide(schema)}
        return [
            {"role": "system", "content": _substitute(self.system, values)},
            {"role": "user", "content": _substitute(self.user, values)},
        ]


def _substitute(template: str, values: dict[str, str]) -> str:
    if not _mentions_article(template):  # the long system prompt: the same every time
        return _static(template, values["field_guide"])
    return Template(template).substitute(values)


@lru_cache(maxsize=32)
def _mentions_article(template: str) -> bool:
    return "article" in Template(template).get_identifiers()


@lru_cache(maxsize=32)
def _static(template: str, guide: str) -> str:
    return Template(template).substitute(field_guide=guide)


def load_prompt(name: str) -> PromptTemplate:
    """Load `prompts/<name>.toml`; an unknown name lists the ones that exist."""
    folder = resource_dir("prompts")
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.toml"))
        raise ConfigError(f"no prompt named {name!r}; available: {', '.join(known)}")
    raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    missing = {"id", "version", "system", "user"} - data.keys()
    if missing:
        raise ConfigError(f"prompt {path} lacks {', '.join(sorted(missing))}")
    return PromptTemplate(
        id=str(data["id"]),
        version=str(data["version"]),
        system=str(data["system"]),
        user=str(data["user"]),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@cache
def field_guide(schema: type[BaseModel]) -> str:
    """One line per field, 'path: description', from the schema the model must fill."""
    js = schema.model_json_schema()
    defs: dict[str, Any] = js.get("$defs", {})
    lines: list[str] = []
    first_path: dict[str, str] = {}

    def walk(node: dict[str, Any], prefix: str, seen: frozenset[str]) -> None:
        for name, prop in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            target = _deref(prop, defs)
            description = prop.get("description") or target.get("description")
            if description:
                text = " ".join(description.split())
                shown = f"as {first_path[text]}" if text in first_path else text
                first_path.setdefault(text, path)
                lines.append(f"- {path}: {shown}")
            ref = _ref_name(prop)
            if ref and ref not in seen and "properties" in defs.get(ref, {}):
                walk(defs[ref], f"{path}.", seen | {ref})

    walk(js, "", frozenset())
    return "\n".join(lines)


def _ref_name(prop: dict[str, Any]) -> str | None:
    """The $defs name a property points to, directly, as list items or via anyOf."""
    for candidate in (prop, prop.get("items", {}), *prop.get("anyOf", [])):
        if isinstance(candidate, dict) and (ref := candidate.get("$ref")):
            return str(ref).rsplit("/", 1)[-1]
    return None


def _deref(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    name = _ref_name(prop)
    return defs.get(name, prop) if name else prop
