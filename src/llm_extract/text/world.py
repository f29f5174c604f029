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


# What a demonym adds to a country's whole name ("Mali|an", "Iraq|i", "Niger|ien") or to
# the part of it it keeps ("Mozambi|can", "Congo|lese", "Camerou|nais").
_WHOLE_NAME_END = re.compile(r"n|ns|i|is|ese|an|ans|ian|ians|ien|iens|ienne|iennes|en|ens"
                             r"|enne|ennes|ais|aise|aises|ois|oise|oises")  # fmt: skip
_STRONG_CUT_END = re.compile(r"[a-z]{0,2}(?:ese|ais|aise|ois|ian|ians|ien|iens|ienne)")
_CUT_NAME_END = re.compile(
    r"[a-z]{0,2}(?:an|ans|ain|aine|ains|ais|aise|ois|ien|ienne|iens|i|is|ese)|"
)


@functools.cache
def adjective_of_country(word: str) -> bool:
    """Whether a word is a country's name turned demonym by its ending ("Malian",
    "Somali", "Mozambican", "Camerounais"), not the country itself nor a town that
    only starts like one ("Malindi", "Somaliland")."""
    key = name_key(word)
    if " " in key or len(key) < 4 or is_country(key):
        return False
    for end in range(1, min(6, len(key) - 3)):  # countries the alias table also names
        stem, rest = key[:-end], key[-end:]
        if (is_country(stem) or is_country(stem + "a")) and (
            _WHOLE_NAME_END.fullmatch(rest) or _STRONG_CUT_END.fullmatch(rest)
        ):
            return True
    for country in _names_of("territories"):
        if " " in country or len(country) < 4 or not _country(country):
            continue
        common = next(
            (i for i, (a, b) in enumerate(zip(key, country, strict=False)) if a != b),
            min(len(key), len(country)),
        )
        rest = key[common:]
        if common == len(country) and _WHOLE_NAME_END.fullmatch(rest):
            return True
        if common >= max(5, len(country) - 3) and _CUT_NAME_END.fullmatch(rest):
            return True
    return False
