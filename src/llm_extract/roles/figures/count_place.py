"""Whether a figure's passage puts it at another place than the incident's: "a soldier
was killed at Obo" does not support a toll of the attack on Mann, whatever its fate and
time. The place names come from the caller (the extractor's location phrases), so the
verifier and the extractor read places one way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from llm_extract.roles.actors import reports_attack
from llm_extract.roles.clauses import mentions, paragraph
from llm_extract.roles.figures.count_time import prior_cue
from llm_extract.roles.places import EVENT, REFERENCE, place_role
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document
from llm_extract.text.names import find_name
from llm_extract.text.world import country_code


class Named(NamedTuple):
    """A town or area a location phrase names; `admin` when named as an administrative
    unit ("the Karak district"), which may hold the incident's place; `typed` when a
    place-type noun introduced it ("the town of Obo")."""

    start: int
    end: int
    name: str
    admin: bool
    typed: bool


NamesIn = Callable[[int, int], list[Named]]
"""The place names the text gives between two offsets."""

_BORDER = re.compile(r"\b(?:border|frontiere|boundary)\b")
_LOOK_BACK = 3
"""Sentences read back from a figure whose sentence names no place: one per paragraph
is how wire copy tells a story."""


def other_place(
    doc: Document,
    start: int,
    end: int,
    own: Iterable[str],
    named: NamesIn,
    is_town: Callable[[str], bool],
) -> str | None:
    """The town or area the figure's sentence, or the nearest sentence before it that
    names a place, makes an event's place, when that sentence names none of the
    record's own places (`own`: its locations with their regions and countries). An
    untyped name counts only if `is_town` knows it: "in Oriental Mindoro" alone may be
    the province around the incident's village."""
    own = list(own)
    keys = [k for k in (name_key(n) for n in own) if k]
    spots = [m for name in own for m in mentions(doc, name)]
    if not spots:
        return None  # a place the text never names says nothing of where it is
    left, right = doc.sentence_bounds(start, end)
    for _ in range(_LOOK_BACK):
        if any(left <= a < right for a, _ in spots):
            return None
        here = named(left, right)
        for place in here:
            key = name_key(place.name)
            if not key or _BORDER.search(key) or any(k in key or key in k for k in keys):
                continue  # "near the Venezuelan border": where, not which event
            if any(find_name(place.name, n) for n in own):
                continue  # a spelling of the record's own place ("Miudumbe", "Muidumbe")
            if _in_another_country(place.name, own):
                return place.name  # "une base militaire au Nord-est du Nigéria", of Cameroun
            if not (place.typed or place.admin or is_town(place.name)):
                continue
            if (place.admin and _named_together(doc, place, spots)) or _holds(doc, place, spots):
                continue  # "Manipur's Jiribam district", "Dibis town in Kirkuk": a container
            if place_role(doc, place.start, place.end) in (EVENT, REFERENCE):
                return place.name
        if here or left == 0:
            return None
        left, right = doc.sentence_bounds(left - 1, left - 1)
        while left > 0 and not reports_attack(doc, left, right):
            # a curfew, a statement: not the sentence that tells where the figure is from
            left, right = doc.sentence_bounds(left - 1, left - 1)
    return None


_COUNTRY_TAIL = re.compile(
    r"\b(?:of|du|de|de la|des|d')\s+(?:l')?(?P<country>[^,()]+)$", re.IGNORECASE
)


def _in_another_country(name: str, own: list[str]) -> bool:
    """A part of a country ("north-east of Nigeria", "Nord-est du Nigéria") when the
    record's places are in another country it names."""
    tail = _COUNTRY_TAIL.search(name)
    code = country_code(tail["country"]) if tail else None
    mine = {c for n in own if (c := country_code(n))}
    return code is not None and bool(mine) and code not in mine


def prior_story(doc: Document, start: int, own: Iterable[str]) -> bool:
    """Whether [start] follows "that came days after" / "cette attaque survient après" in
    its sentence, with none of the record's places (`own`, without their regions: the
    earlier story may be in the same state) named after the cue: the earlier story the
    article recalls, not this record's (a record of that one names its places there, or
    none)."""
    cue = prior_cue(doc, start)
    if cue is None:
        return False
    _, right = doc.sentence_bounds(start, start)
    spots = [m for name in own for m in mentions(doc, name)]
    return bool(spots) and not any(cue <= a < right for a, _ in spots)


def _named_together(doc: Document, place: Named, spots: list[tuple[int, int]]) -> bool:
    """Whether some paragraph names both the unit and one of the record's places."""
    for a, b in mentions(doc, place.name) or [(place.start, place.end)]:
        left, right = paragraph(doc, a, b)
        if any(left <= s < right for s, _ in spots):
            return True
    return False


_INSIDE = re.compile(
    r"[\s,]*(?:(?:town|village|city|area|district|localite|ville|commune)\s+)?(?:,|\(|in|dans|en"
    r"|of|de|du)\s+(?:the\s+|la\s+|le\s+|l')?(?:(?:north|south|east|west|central|nord|sud|est"
    r"|ouest|centre)\w*\s+)?(?:(?:province|region|state|district|governorate|territoire|territory"
    r"|department|departement)\s+(?:of\s+|de\s+|du\s+|d')?)?$"
)


def _holds(doc: Document, place: Named, spots: list[tuple[int, int]]) -> bool:
    """Whether the text puts one of the record's places in this one ("Dibis town in
    Kirkuk", "Gayeri, in the Komondjari province")."""
    for a, _ in mentions(doc, place.name) or [(place.start, place.end)]:
        for _, end in spots:
            if 0 < a - end <= 50 and _INSIDE.fullmatch(doc.folded, end, a):
                return True
    return False
