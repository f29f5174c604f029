"""Whether a figure's clause ties it to another time: a period or nationwide total, another
attack ("since April 2022", "in other attacks across the country": "period"), or another
year or month ("last month", "in 2019": "point", another time only if the incident is
not then). "This year" alone is the current period; "since Tuesday evening" is the
incident's own span."""

from __future__ import annotations

import re
from bisect import bisect_left

from llm_extract.roles.clauses import earlier_tense, segment
from llm_extract.roles.lexicon import ANOTHER_POINT, PERIOD_OR_OTHER, PRIOR_EVENT
from llm_extract.text.dates import WEEKDAYS
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.grounding import Document

_PERIOD = re.compile(PERIOD_OR_OTHER)
_LINKED = re.compile(
    r"\s*(?:avec|with|soit|dont|including|among them|parmi eux|faisant|causing|leaving"
    r"|laissant|resulting in|entrainant|causant|ayant fait|which left|qui a fait)\b"
)
_POINT = re.compile(ANOTHER_POINT)
_CAUSE_AFTER = re.compile(
    r"\b(?:following|after|apres|suite a|in response to|en reponse|in retaliation"
    r"|en represailles)\b"
)
# "À Kenscoff, commune ... occupée par des gangs depuis quatre mois, un policier a été
# tué": a clause that describes a place dates the place's story, not the figure.
_PLACE_APPOSITION = re.compile(
    r"\s*(?:(?:a|an|the|une|un|la|le|l')\s+)?(?:\w+\s+)?(?:commune|town|village|city|ville"
    r"|localite|district|region|province|department|departement|quartier|camp|area|zone)\b"
)
_CURRENT_PERIOD = re.compile(r"this year|cette annee")
_SUPERLATIVE = re.compile(
    r"\b(?:\w+iest|worst|largest|biggest|most|highest|first|second|third|one of the"
    r"|le plus|la plus|les plus|pire|premier|premiere|l'une des|l'un des)\b[^,;.]{0,60}$"
)
_YEAR = re.compile(r"(?<![\d])(?:19[5-9]\d|20[0-4]\d)(?![\d])")


def other_time(doc: Document, q: Quantity, left: int, right: int) -> str | None:
    """ "period" or "point" when the figure's own clause, or a time phrase that opens its
    sentence ("Depuis avril 2022, ..."), ties it to another period, event or time;
    "prior" after "it came days after" (an earlier story, unless the record is of it) when
    no period ties it first: a period total stays one whatever story it sits in."""
    folded = doc.folded
    partner = _joined_to(doc, q)
    if partner is not None and other_time(doc, partner, left, right) == "period":
        return "period"  # "au moins 370 civils et 374 personnes enlevées" since April 2022
    a, b = segment(doc, q.start, q.noun_end or q.end, weak=True)
    b = max(b, _verb_phrase_end(doc, q, b))
    cause = _CAUSE_AFTER.search(folded, q.noun_end or q.end, b)
    spans = [(a, cause.start() if cause else b)]  # "after attacks last month": theirs
    opener = re.match(r"\s*[^,;:]{0,40},", folded[left:right])  # "So far this year, ..."
    if opener and left + opener.end() <= q.start:
        spans.append((left, left + opener.end()))
    before = segment(doc, max(left, a - 2), max(left, a - 2), weak=True)
    if (
        before[0] < a
        and not _PLACE_APPOSITION.match(folded, before[0])
        and (_LINKED.match(folded, a) or _names_period(doc, *before))
    ):
        # ", avec plus de 1.600 morts": the clause before's; "depuis avril 2022, ..."
        spans.append(before)
    this_year = doc.published.year if doc.published else doc.latest_year
    point = False
    for x, y in spans:
        text = folded[x:y]
        if _long_range(doc, x, y):
            return "period"
        for m in _PERIOD.finditer(text):
            if _CURRENT_PERIOD.fullmatch(m.group()) and _SUPERLATIVE.search(text[: m.start()]):
                continue  # "the deadliest attack this year": this year ranks the event
            if m.group().startswith(("since", "depuis")) and _since_a_short_while(doc, x + m.end()):
                continue
            return "period"
        point = point or bool(_POINT.search(text))
        years = {int(y) for y in _YEAR.findall(text)}
        point = point or bool(this_year and years and all(y < this_year for y in years))
    prior = _prior(doc, q.start)
    if prior is not None:
        return prior[1]
    return "point" if point else None


_PRIOR_EVENT = re.compile(rf"\b{PRIOR_EVENT}\b")
# "370 civils et 374 personnes", "262 personnes tuées et 66 blessées": a fate word may
# stand between the noun and "et"
_AND = re.compile(r"\s+(?:[\w']+\s+)?(?:and|et)\s+")
_JOIN_REACH = 200
"""How far before a figure the one joined to it may start: its noun ends 20 characters
before at most, and a figure's noun phrase is far shorter."""


def _joined_to(doc: Document, q: Quantity) -> Quantity | None:
    """The figure this one is joined to by "and" right after its noun ("370 civils et
    374 personnes"): the two share their clause's time. Only figures that start
    shortly before are read: this runs for every figure of the article."""
    starts = doc.memo(("quantity_starts",), lambda: [x.start for x in doc.quantities])
    low, high = bisect_left(starts, q.start - _JOIN_REACH), bisect_left(starts, q.start)
    for p in doc.quantities[low:high]:
        end = p.noun_end or p.end
        if end < q.start and end > q.start - 20 and _AND.fullmatch(doc.folded, end, q.start):
            return p
    return None


def prior_cue(doc: Document, start: int) -> int | None:
    """Where the earlier story `start` is in begins: after "that came days after" in
    its sentence, or at the sentence when `start`'s clause is in the pluperfect ("qui
    avait fait 17 morts"), if it is."""
    prior = _prior(doc, start)
    return prior[0] if prior else None


def _prior(doc: Document, start: int) -> tuple[int, str] | None:
    """prior_cue's position with its kind: "prior" after a cue, "earlier" in the
    pluperfect."""
    left, _ = doc.sentence_bounds(start, start)
    cues = list(_PRIOR_EVENT.finditer(doc.folded, left, start))
    if cues:
        return cues[-1].end(), "prior"
    # a pluperfect clause's whole sentence is the earlier story ("L'attaque à Boni, qui
    # avait fait 17 morts, ...": Boni is that story's place)
    if earlier_tense(doc, *segment(doc, start, start + 1, weak=True)):
        return left, "earlier"
    return None


_CONJOINED_NOUNS = re.compile(
    r"\s*(?:and|et)\s+(?:\w+\s+){0,2}?\w+\s+(?:have|has|had|were|was|ont|sont|a|avaient)\b"
)


def _verb_phrase_end(doc: Document, q: Quantity, b: int) -> int:
    """ "11 soldats et paramilitaires ont péri dans d'autres attaques": a weak break
    that only joins two nouns of the figure does not end its clause."""
    if _CONJOINED_NOUNS.match(doc.folded, b):
        return segment(doc, b + 1, b + 1)[1]
    return b


_SHORT_WHILE = re.compile(
    r"\s*(?:(?:last|this|yesterday|hier|ce|cette|la|le)\s+)?(?:"
    + "|".join(WEEKDAYS)
    + r"|yesterday|hier|today|morning|evening|night|matin|soir|nuit|veille|avant-hier"
    r"|(?:\w+|\d+)\s+(?:hours?|days?|heures|jours))\b"
)


def _names_period(doc: Document, start: int, end: int) -> bool:
    """The clause names a period ("... que depuis avril 2022,", "du 27 janvier au 27
    mars")."""
    return period_in(doc.folded[start:end]) is not None or _long_range(doc, start, end)


_LONG_RANGE_DAYS = 10
"""An explicit range of days longer than this is a reporting period, not one event's."""


def _long_range(doc: Document, start: int, end: int) -> bool:
    return any(
        start <= m.start < end and m.precision == 1 and m.first and m.last
        and (m.last - m.first).days > _LONG_RANGE_DAYS
        for m in doc.dates
    )  # fmt: skip


def period_in(text: str) -> str | None:
    """A period, nationwide-total or other-attack phrase in folded text, if any."""
    for m in _PERIOD.finditer(text):
        if not m.group().startswith(("since", "depuis")) or not _SHORT_WHILE.match(text, m.end()):
            return m.group()
    return None


def _since_a_short_while(doc: Document, at: int) -> bool:
    """ "since Tuesday evening", "depuis trois jours", "since May 10" in a paper of May
    14: the incident's own span, not a period total."""
    if _SHORT_WHILE.match(doc.folded, at):
        return True
    near = next((m for m in doc.dates if at <= m.start <= at + 8), None)
    if near is None or near.first is None or doc.published is None or near.precision > 1:
        return False
    return 0 <= (doc.published - near.first).days <= 10
