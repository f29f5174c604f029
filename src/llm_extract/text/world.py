"""Names of every country and language in English and French (Babel's CLDR data): a
maintained source of "Hausa is a language, Syrie is a country" instead of a hand list."""

from __future__ import annotations

import functools
import re

from babel import Locale

from llm_extract.text.fold import name_key


@functools.cache
def _names_of(kind: str) -> dict[str, str]:
    """Folded names of every country or language, in English and French (Babel's CLDR
    data), with a parenthesised variant split off ("Myanmar (Birmanie)"), to its code."""
    found: dict[str, str] = {}
    for lang in ("en", "fr"):
        for code, name in getattr(Locale(lang), kind).items():
            for part in re.split(r"[()]", name):
                if key := name_key(part):
                    found.setdefault(key, code)
    return found


def is_country(name: str) -> bool:
    """A country's name in English or French, or another name the alias table gives a
    country ("RD Congo", "Centrafrique")."""
    return country_code(name) is not None


def is_language(name: str) -> bool:
    return name_key(name) in _names_of("languages")


def _country(key: str) -> str | None:
    """A country's ISO code; CLDR's territories also hold regions ("001", "Europe")."""
    code = _names_of("territories").get(key)
    return code if code and code.isalpha() and len(code) == 2 else None


def country_code(name: str) -> str | None:
    """The ISO 3166 code of a country named in English or French ("Tchad": "TD"), or by
    a name the alias table groups with one ("RDC")."""
    key = name_key(name)
    code = _country(key)
    if code is None and key:
        from llm_extract.text.names import default_aliases

        code = next((c for a in default_aliases().aliases(key) if (c := _country(a))), None)
    return code
