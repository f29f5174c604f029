"""Names of every country and language in English and French (Babel's CLDR data) and of
every country's subdivisions (pycountry's ISO 3166-2): a maintained source of "Hausa is a
language, Syrie is a country, Nord-Kivu is a province" instead of a hand list."""

from __future__ import annotations

import functools
import re

import pycountry
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


def adjective_of_country(word: str) -> bool:
    """Whether a word is a country's name turned demonym by its ending ("Malian",
    "Somali", "Mozambican", "Camerounais"), not the country itself nor a town that
    only starts like one ("Malindi", "Somaliland")."""
    return country_of_adjective(word) is not None


# Demonyms the endings cannot derive, or derive wrongly ("nigérien" is Niger's, not
# Nigeria's); the forms before a feminine or plural ending.
_IRREGULAR = {
    "nigerien": "NE", "nigerienne": "NE", "nigeriane": "NG", "burkinabe": "BF", "russe": "RU",
    "congolais": "CD", "centrafricain": "CF", "birman": "MM", "american": "US",
    "americain": "US", "french": "FR", "turkish": "TR", "turc": "TR", "turque": "TR",
    "afghan": "AF", "british": "GB", "britannique": "GB", "ivorian": "CI", "ivoirien": "CI",
    "ivoirienne": "CI", "thai": "TH", "saudi": "SA", "saoudien": "SA", "saoudienne": "SA",
    "palestinian": "PS", "palestinien": "PS", "palestinienne": "PS", "filipino": "PH",
    "yemenite": "YE", "kenyan": "KE",
}  # fmt: skip


def _irregular(key: str) -> str | None:
    for stem in (key, key.removesuffix("s"), key.removesuffix("es"), key.removesuffix("e")):
        if stem in _IRREGULAR:
            return _IRREGULAR[stem]
    return None


@functools.cache
def country_of_adjective(word: str) -> str | None:
    """The ISO code of the country a demonym is made from ("Pakistani": "PK")."""
    key = name_key(word)
    if " " in key or is_country(key):
        return None
    if code := _irregular(key):
        return code
    if len(key) < 4:
        return None
    for end in range(1, min(6, len(key) - 3)):  # countries the alias table also names
        stem, rest = key[:-end], key[-end:]
        code = country_code(stem) or country_code(stem + "a")
        if code and (_WHOLE_NAME_END.fullmatch(rest) or _STRONG_CUT_END.fullmatch(rest)):
            return code
    for country in _names_of("territories"):
        if " " in country or len(country) < 4 or not (code := _country(country)):
            continue
        common = next(
            (i for i, (a, b) in enumerate(zip(key, country, strict=False)) if a != b),
            min(len(key), len(country)),
        )
        rest = key[common:]
        if common == len(country) and _WHOLE_NAME_END.fullmatch(rest):
            return code
        if common >= max(5, len(country) - 3) and _CUT_NAME_END.fullmatch(rest):
            return code
    return None


# Subdivision names that are ordinary words of a sentence ("Central", "Delta", "Plateau").
_COMMON_WORDS = frozenset(
    re.findall(
        r"\S+",
        "central northern southern eastern western north south east west centre center nord"
        " sud est ouest delta plateau rivers coast coastal capital lakes lake islands upper"
        " lower national red sea",
    )
)


@functools.cache
def _subdivisions() -> dict[str, frozenset[str]]:
    """Folded ISO 3166-2 subdivision names, every level, to their countries' codes, with
    a parenthesised part and a trailing "oblast" or "[city]" split off."""
    found: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        name = re.sub(r"\s*(?:\(.*?\)|\[.*?\])|\s+oblast$", "", sub.name)
        key = name_key(name)
        if key and not set(key.split()) <= _COMMON_WORDS:
            found.setdefault(key, set()).add(sub.country_code)
    return {key: frozenset(codes) for key, codes in found.items()}


def subdivision_keys() -> list[str]:
    """Every subdivision's folded name, as subdivision_countries keys them."""
    return sorted(_subdivisions())


def subdivision_countries(name: str) -> frozenset[str]:
    """The countries (ISO codes) with a subdivision of that name: "Khyber Pakhtunkhwa" is
    Pakistan's, "Nord-Kivu" the DR Congo's. A country or language name is none."""
    key = name_key(name)
    if not key or is_country(key) or is_language(key) or adjective_of_country(key):
        return frozenset()
    return _subdivisions().get(key, frozenset())
