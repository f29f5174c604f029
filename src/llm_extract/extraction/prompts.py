"""Versioned prompt templates from `prompts/`, or a file of one's own in the same
format, rendered with the article as data."""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
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


# What each template must mention; no other placeholder exists to be filled.
REQUIRED_PLACEHOLDERS = {"system": "field_guide", "user": "article"}
PLACEHOLDERS = frozenset(REQUIRED_PLACEHOLDERS.values())
_TEXT_FIELDS = ("id", "version", "system", "user")


def load_prompt(name: str) -> PromptTemplate:
    """A prompt by name (`prompts/<name>.toml`; an unknown name lists the ones that
    exist) or by path (a name ending in .toml or holding a folder: a prompt of one's
    own). Either is checked whole here, before any article is read, and refused with
    one line saying what is wrong."""
    if is_prompt_file(name):
        return parse_prompt(_read_prompt_file(Path(name).expanduser()), f"prompt file {name}")
    folder = resource_dir("prompts")
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.toml"))
        raise ConfigError(
            f"no prompt named {name!r}; available: {', '.join(known)} (or give a .toml file)"
        )
    return parse_prompt(path.read_bytes(), f"prompt {path}")


def is_prompt_file(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or os.sep in name


def prompt_file_hash(name: str) -> str:
    """sha256 of a prompt file's bytes ("" for a built-in name or an unreadable file,
    which loading reports): lets a caller holding a loaded prompt see that it changed."""
    if not is_prompt_file(name):
        return ""
    try:
        return hashlib.sha256(Path(name).expanduser().read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_prompt_file(path: Path) -> bytes:
    if not path.exists():
        raise ConfigError(f"prompt file {path}: no such file")
    if not path.is_file():
        raise ConfigError(f"prompt file {path} is not a regular file; give a .toml file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read prompt file {path}: {exc.strerror or exc}") from None


def parse_prompt(raw: bytes, where: str) -> PromptTemplate:
    """The template in `raw` (TOML), or ConfigError naming `where` and the fault."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{where} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML: {exc}") from None
    missing = [field for field in _TEXT_FIELDS if field not in data]
    if missing:
        raise ConfigError(
            f"{where} lacks {', '.join(missing)} (see prompts/extract_incidents.toml)"
        )
    for field in _TEXT_FIELDS:
        if not isinstance(data[field], str) or not data[field].strip():
            raise ConfigError(f"{where}: {field} must be a non-empty string")
    for field in ("system", "user"):
        _check_placeholders(data[field], field, where)
    return PromptTemplate(
        id=data["id"],
        version=data["version"],
        system=data["system"],
        user=data["user"],
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _check_placeholders(template: str, field: str, where: str) -> None:
    """Every placeholder known, the one the template exists for present, and no stray
    "$" (a dollar sign is written "$$"): rendering can then never fail on an article."""
    parsed = Template(template)
    if not parsed.is_valid():
        raise ConfigError(
            f"{where}: {field} has a '$' that starts no placeholder; write $$ for a dollar sign"
        )
    names = set(parsed.get_identifiers())
    if unknown := sorted(names - PLACEHOLDERS):
        raise ConfigError(
            f"{where}: {field} uses unknown placeholder(s) {', '.join('$' + n for n in unknown)}; "
            f"known: {', '.join('$' + n for n in sorted(PLACEHOLDERS))}"
        )
    if (needed := REQUIRED_PLACEHOLDERS[field]) not in names:
        raise ConfigError(f"{where}: {field} must contain ${needed}")


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
