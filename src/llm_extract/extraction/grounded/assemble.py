"""The grounded record, built in code from what the model chose: every quote is the
article's own sentence around the chosen value, never the model's words."""

from __future__ import annotations

from dataclasses import dataclass

from llm_extract.core.acled import EVENT_OF_SUB_EVENT, SubEventType
from llm_extract.core.records import (
    Actor,
    ArticleExtraction,
    CasualtyCount,
    EventClass,
    Incident,
    IncidentDate,
    Location,
)
from llm_extract.extraction.grounded.actors import ActorMention
from llm_extract.extraction.grounded.candidates import (
    CountCandidate,
    nearest_actor,
    quote_around,
)
from llm_extract.extraction.grounded.claims import claims_in
from llm_extract.extraction.grounded.places import PlaceCandidate
from llm_extract.roles.dates import date_role
from llm_extract.roles.figures.count_check import said_qualifier
from llm_extract.roles.figures.counts import read_count
from llm_extract.text.dates import DateMention
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document

NONE = "none"
"""The answer every choice allows: the model may say the article does not tell."""
MAX_PLACES = 12
MAX_COUNTS = 10


@dataclass(frozen=True)
class Choices:
    """One incident as read and chosen, each value a candidate the article gave."""

    sub_event: SubEventType
    places: list[PlaceCandidate]
    actors: list[tuple[ActorMention, str, int]]  # (mention, role, ACLED actor type)
    counts: list[tuple[CountCandidate, str, str]]  # (figure, category, side)
    when: DateMention | None
    dates: list[DateMention]  # the incident's date mentions, the fallback for `when`


def assemble(
    doc: Document, incidents: list[Choices], actors: list[ActorMention]
) -> ArticleExtraction:
    """The record: one incident per Choices; the article's claims go with the first."""
    built = [
        _incident(doc, choices, actors, claims_in(doc, actors) if i == 0 else [])
        for i, choices in enumerate(incidents)
    ]
    return ArticleExtraction(incidents=built)


def _incident(
    doc: Document, choices: Choices, actors: list[ActorMention], claims: list[dict[str, str]]
) -> Incident:
    anchor = choices.counts[0][0].quantity if choices.counts else None
    first = anchor or choices.places[0]
    classification_quote = quote_around(doc, first.start, first.end)
    attacker = next((m.name for m, role, _ in choices.actors if role == "attacker"), None)
    target = next((m.name for m, role, _ in choices.actors if role == "target"), None)
    summary = f"{attacker or 'Unknown actors'} attacked {', '.join(p.name for p in choices.places)}"
    if target:
        summary += f", targeting {target}"
    return Incident(
        summary=(summary + ".")[:300],
        classification=EventClass(
            event_type=EVENT_OF_SUB_EVENT[choices.sub_event], sub_event_type=choices.sub_event
        ),
        classification_quote=classification_quote,
        date=_date(doc, choices.when, choices.dates, classification_quote),
        locations=[
            Location(
                name=p.name,
                admin1=None,
                country=None,
                precision=p.precision,
                quote=quote_around(doc, p.start, p.end),
            )
            for p in choices.places[:MAX_PLACES]
        ],
        is_aggregate=len(choices.places) > 1,
        actors=[
            Actor(
                name=m.name,
                actor_type=kind,
                role=role,
                quote=quote_around(doc, m.start, m.end),
            )
            for m, role, kind in choices.actors
        ],
        counts=[
            _count(doc, c, category, side, actors)
            for c, category, side in choices.counts[:MAX_COUNTS]
        ],
        claims=claims,
    )


def _count(
    doc: Document, candidate: CountCandidate, category: str, side: str, actors: list[ActorMention]
) -> CasualtyCount:
    q = candidate.quantity
    return CasualtyCount(
        category=category,
        side=side,
        victim_group=q.noun or "people",
        surface=q.surface,
        qualifier=said_qualifier(doc, q),  # the verifier's reading, across quote marks
        low=q.low,
        best=q.best,
        high=q.high,
        attributed_to=_claimant(doc, q) or nearest_actor(actors, doc, q),
        provisional=False,
        quote=quote_around(doc, q.start, q.noun_end or q.end),
    )


def _claimant(doc: Document, q: Quantity) -> str | None:
    """Who the article says gives the figure (roles.figures.counts), as the article writes it;
    never the people counted themselves."""
    claimant = read_count(doc, q).claimant
    at = doc.folded.find(claimant) if claimant else -1
    if not claimant or at < 0 or name_key(claimant) == name_key(q.noun or ""):
        return None
    return doc.text[at : at + len(claimant)]


def _date(
    doc: Document, when: DateMention | None, dates: list[DateMention], fallback_quote: str
) -> IncidentDate:
    shown = when or (dates[0] if dates else None)
    if shown is None:  # no date words at all: the classification sentence stands in
        return IncidentDate(
            text=fallback_quote.split()[0][:120],
            start=None,
            end=None,
            precision=3,
            quote=fallback_quote,
        )
    # A year taken from context ("July 15" in an article that names no year) is a guess:
    # keep the words, leave the calendar dates empty.
    dated = when is not None and (when.year_stated or when.relative)
    precision = min(max(shown.precision, 1), 3)
    if date_role(doc, shown) == "statement":  # "the army said on Monday": by then, ACLED 2
        precision = max(precision, 2)
    return IncidentDate(
        text=shown.surface[:120],
        start=when.first if when and dated else None,
        end=when.last if when and dated else None,
        precision=precision,
        quote=quote_around(doc, shown.start, shown.end),
    )
