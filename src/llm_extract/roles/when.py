"""Whether a figure's own clause dates it to the incident the record gives it for, or to
another day: "En mai, cinq personnes ont été tuées" is May's toll, whatever else the
article reports. Needs the record's incident dates; with none, nothing is said.
"""

from __future__ import annotations

import re
from datetime import date

from llm_extract.roles.clauses import segment
from llm_extract.text.dates import DateMention
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.grounding import Document

When = tuple[date | None, date | None]

# A date that only says when somebody spoke, or when a running toll was updated.
_SPOKEN_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|told|added|confirmed|stated|declared|according"
    r"|a (?:declare|annonce|indique|precise|affirme|confirme|ajoute)|ont (?:declare|annonce"
    r"|indique|precise|affirme|confirme)|selon|toll|bilan|rose|risen|rising|climbed"
    r"|s'est alourdi|est passe|passant|update[ds]?|revised|statement|communique|interview|press"
    r"|conference|briefing|post|tweet|message|gave|given|donne|donnee|fourni|provided"
    r"|published|publie)\b[^.;]{0,30}$"
)
_OPENER = re.compile(r"\s*[^,;:.]{0,40},")
_TOLL_CLAUSE = re.compile(
    r"\b(?:toll|bilan|rose to|risen to|climbed to|s'est alourdi|est passe a|passe a|so far"
    r"|jusqu'a present|a ce jour|to date|in all|au total|in total)\b"
)


def _bounds(when: When) -> tuple[date, date] | None:
    first, last = when[0] or when[1], when[1] or when[0]
    return (first, last) if first and last else None


def clause_dates(doc: Document, start: int, end: int) -> list[DateMention]:
    """The resolved dates of the clause holding [start, end), and of its sentence's
    opening time phrase; not the article's own date line, nor a speech day."""
    a, b = segment(doc, start, end, weak=True)
    left, _ = doc.sentence_bounds(start, end)
    spans = [(a, b)]
    opener = _OPENER.match(doc.folded, left)
    if opener and opener.end() <= start:
        spans.append((left, opener.end()))
    written = doc.dateline.start if doc.dateline else -1
    return [
        m
        for m in doc.dates
        if m.first
        and m.last
        and m.start != written
        and any(x <= m.start and m.end <= y for x, y in spans)
        and not _SPOKEN_BEFORE.search(doc.folded[max(0, m.start - 45) : m.start])
    ]


def dated_as(doc: Document, q: Quantity, when: When) -> bool:
    """The figure's clause names a day within the incident's dates."""
    bounds = _bounds(when)
    if bounds is None:
        return False
    return any(_overlaps(m, bounds) for m in clause_dates(doc, q.start, q.noun_end or q.end))


def other_day(doc: Document, q: Quantity, when: When) -> bool:
    """The figure's clause dates it to a day outside the incident's dates, and to no
    day within them (a speech day or a toll's update day does not count)."""
    end = q.noun_end or q.end
    if _TOLL_CLAUSE.search(doc.folded, *doc.sentence_bounds(q.start, end)):
        return False
    return dated_elsewhere(doc, q.start, end, when)


def dated_elsewhere(doc: Document, start: int, end: int, when: When) -> bool:
    """The clause holding [start, end) is dated, and only to days outside the
    incident's ("On September 4, a terrorist was killed in nearby Gali Sohab")."""
    bounds = _bounds(when)
    if bounds is None:
        return False
    own = clause_dates(doc, start, end)
    return bool(own) and not any(_overlaps(m, bounds) for m in own)


def _overlaps(m: DateMention, bounds: tuple[date, date]) -> bool:
    assert m.first is not None and m.last is not None
    first, last = m.first, m.last
    if not m.year_stated:  # "July 15" with no year: only month and day are the text's
        try:
            first, last = first.replace(year=bounds[0].year), last.replace(year=bounds[1].year)
        except ValueError:
            return False
    return first <= bounds[1] and bounds[0] <= last
