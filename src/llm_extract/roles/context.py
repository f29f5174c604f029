"""Whether a region or country is the one the text gives for this place (not a border,
a neighbour, another event's region)."""

from __future__ import annotations

import re

from llm_extract.roles.clauses import mentions
from llm_extract.roles.places import BACKGROUND, DATELINE, NOT_A_PLACE, place_role
from llm_extract.text.grounding import Check, Document, check_name

_BAD_REGION_ROLES = {BACKGROUND, DATELINE, NOT_A_PLACE}


def check_region(doc: Document, place: str, region: str, quote: str | None, level: str) -> Check:
    """A region or country is the place's when the text names it with the place (same
    sentence or paragraph, or in the quote), and not as a border or a neighbour."""
    found = check_name(doc, region)
    if found.verdict != "supported":
        return Check(found.verdict, found.reason, code="wrong_region")
    spots = mentions(doc, region) or [(found.start or 0, found.end or 0)]
    good = [(a, b) for a, b in spots if place_role(doc, a, b) not in _BAD_REGION_ROLES]
    if not good:
        return Check("unsupported", f"{region!r} is named only as a border, neighbour or "
                     "background, not as this place's region", spots[0][0], spots[0][1],
                     code="wrong_region")  # fmt: skip
    places = mentions(doc, place)
    if not places:
        return found
    other = None
    if level == "admin1":
        other = _region_named_with(doc, places, region) or _sentence_region(
            doc, places, region, place
        )
    if other is not None:
        a, b, name = other
        return Check("unsupported", f"the text puts {place!r} in {name!r}, not {region!r}",
                     a, b, code="wrong_region")  # fmt: skip
    return Check("supported", found.reason, good[0][0], good[0][1], found.alignment,
                 found.score, code="ok")  # fmt: skip


_REGION_WORD = r"(?:province|region|state|department|departement|governorate|gouvernorat|oblast)"
_REGION_AFTER = re.compile(
    rf"^[\s,]*(?:\(|in|dans|de|du|of|en)?\s*(?:the\s+|la\s+|le\s+|l')?(?:(?:eastern|western"
    rf"|northern|southern|central|north|south|east|west|nord|sud|est|ouest)\s+)?"
    rf"(?:{_REGION_WORD}\s+(?:of\s+|de\s+|du\s+|d')?)?([a-z][\w'\-]+(?:\s+[a-z][\w'\-]+)?)"
    rf"(?:['\u2019]s)?\s+(?:{_REGION_WORD})"
)


def _region_named_with(
    doc: Document, places: list[tuple[int, int]], region: str
) -> tuple[int, int, str] | None:
    """A region the text gives right after the place ("Gayeri, in the eastern Komondjari
    province", "Hnan Khar Village in Magwe's Gangaw Township") that is not `region`."""
    from llm_extract.text.fold import name_key

    want = name_key(region)
    for _, end in places:
        near = _SETTLEMENT.sub(lambda w: " " * len(w.group()), doc.folded[end : end + 80])
        m = _REGION_AFTER.match(near) or _POSSESSIVE_AFTER.match(near)
        if m and doc.text[end + m.start(1) : end + m.start(1) + 1].isupper():
            name = m.group(1)
            key = name_key(name)
            if key and key not in want and want not in key and key.split()[0] not in want:
                return end + m.start(1), end + m.end(1), doc.text[end + m.start(1) : end + m.end(1)]
    return None


_SETTLEMENT = re.compile(r"\b(?:village|town)\b")
# "Hnan Khar Village in Magwe's Gangaw Township": the region owns the place's district.
_POSSESSIVE_AFTER = re.compile(
    r"^[\s,]*(?:in|dans)\s+([a-z][\w\-]+(?:\s+[a-z][\w\-]+)?)['\u2019]s\s+[\w'\-]+"
    r"(?:\s+[\w'\-]+)?\s+(?:township|district|county|municipality)\b"
)
_UNIT = r"(?:region|province|state|department|departement|governorate|gouvernorat|oblast)"
_WORD = r"[a-z][\w'\-]+"
_CAP = rf"({_WORD}(?:\s+(?:de\s+|del\s+|and\s+)?{_WORD}){{0,2}}?)"
_UNIT_OF = re.compile(rf"\b{_UNIT}\s+(?:of\s+|de\s+la\s+|de\s+|du\s+|d')\s*{_CAP}(?=[\s,.;)]|$)")
_OF_UNIT = re.compile(rf"\b{_CAP}\s+{_UNIT}\b")
_POSSESSIVE = re.compile(rf"\b{_CAP}'s\s+{_WORD}\s+(?:township|district|county)\b")


def _capitalised(doc: Document, start: int, end: int) -> str | None:
    """The name's words as written, from the first capitalised one; None if none is."""
    words = doc.text[start:end].split()
    while words and not words[0][:1].isupper():
        words = words[1:]
    return " ".join(words) or None


def _sentence_region(
    doc: Document, places: list[tuple[int, int]], region: str, place: str
) -> tuple[int, int, str] | None:
    """A first-level region named in a sentence with the place ("dans la région de
    Donetsk, un civil a été tué ... sur Myrnohrad", "in Magwe's Gangaw Township") when
    none of the sentences naming the place names `region`."""
    from llm_extract.text.fold import name_key

    want, own = name_key(region), name_key(place)
    named: list[tuple[int, int, str]] = []
    for a, b in places:
        left, right = doc.sentence_bounds(a, b)
        for pattern in (_UNIT_OF, _OF_UNIT, _POSSESSIVE):
            for m in pattern.finditer(doc.folded, left, right):
                name = _capitalised(doc, m.start(1), m.end(1))
                key = name_key(name or "")
                if name and key != own and own not in key:
                    named.append((m.start(1), m.end(1), name))
        if want in name_key(doc.text[left:right]):
            return None  # the place's sentence names the record's region too
    for a, b, name in named:
        key = name_key(name)
        if want not in key and key not in want:
            return a, b, name
    return None
