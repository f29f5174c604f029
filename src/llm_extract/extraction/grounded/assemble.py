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
from llm_extract.extraction.grounded.candidates import (
    MAX_ACTORS,
    ActorMention,
    CountCandidate,
    PlaceCandidate,
    nearest_actor,
    quote_around,
    side_of,
)
from llm_extract.extraction.grounded.claims import claims_in
from llm_extract.text.dates import DateMention
from llm_extract.text.fold import fold
from llm_extract.text.grounding import Document

NONE = "none"
"""The answer every choice allows: the model may say the article does not tell."""
_STATE_WORDS = ("army", "armed forces", "military", "fama", "forces", "troops", "soldiers")


@dataclass(frozen=True)
class Choices:
    """What the model chose, each a candidate the article gave."""

    sub_event: SubEventType
    places: list[PlaceCandidate]
    attacker: str  # an actor candidate's name, or NONE
    target: str
    parties: list[str]  # actors named in the event's sentences
    counts: list[tuple[CountCandidate, str]]  # (figure, the category it was chosen for)
    when: DateMention | None


def assemble(
    doc: Document, choices: Choices, actors: list[ActorMention], dates: list[DateMention]
) -> ArticleExtraction:
    """One incident from the choices; `actors` and `dates` are every candidate offered."""
    anchor = choices.counts[0][0].quantity if choices.counts else None
    first = anchor or choices.places[0]
    classification_quote = quote_around(doc, first.start, first.end)
    who = choices.attacker if choices.attacker != NONE else "Unknown actors"
    summary = f"{who} attacked {', '.join(p.name for p in choices.places)}"
    if choices.target != NONE:
        summary += f", targeting {choices.target}"
    incident = Incident(
        summary=(summary + ".")[:300],
        classification=EventClass(
            event_type=EVENT_OF_SUB_EVENT[choices.sub_event], sub_event_type=choices.sub_event
        ),
        classification_quote=classification_quote,
        date=_date(doc, choices.when, dates, classification_quote),
        locations=[
            Location(
                name=p.name,
                admin1=None,
                country=None,
                precision=1,
                quote=quote_around(doc, p.start, p.end),
            )
            for p in choices.places[:12]
        ],
        is_aggregate=len(choices.places) > 1,
        actors=_actors(doc, choices, actors),
        counts=[_count(doc, c, category, actors) for c, category in choices.counts][:10],
        claims=claims_in(doc, actors),
    )
    return ArticleExtraction(incidents=[incident])


def _actor_type(name: str) -> int:
    return 1 if any(w in fold(name) for w in _STATE_WORDS) else 2


def _actors(doc: Document, choices: Choices, actors: list[ActorMention]) -> list[Actor]:
    """Attacker and target as chosen, then the event's other parties, once per alias group."""
    entries: list[Actor] = []

    def add(name: str, role: str) -> None:
        mention = next((a for a in actors if a.name == name), None)
        if mention is not None:
            entries.append(
                Actor(
                    name=name,
                    actor_type=_actor_type(name),
                    role=role,
                    quote=quote_around(doc, mention.start, mention.end),
                )
            )

    for role, name in (("attacker", choices.attacker), ("target", choices.target)):
        if all(e.name != name for e in entries):
            add(name, role)
    for name in choices.parties:
        if len(entries) < MAX_ACTORS and not any(doc.aliases.same(name, e.name) for e in entries):
            add(name, "participant")
    return entries


def _count(
    doc: Document, candidate: CountCandidate, category: str, actors: list[ActorMention]
) -> CasualtyCount:
    q = candidate.quantity
    return CasualtyCount(
        category=category,
        side=side_of(q.noun),
        victim_group=q.noun or "people",
        surface=q.surface,
        qualifier=q.qualifier,
        low=q.low,
        best=q.best,
        high=q.high,
        attributed_to=nearest_actor(actors, doc, q),
        provisional=False,
        quote=quote_around(doc, q.start, q.noun_end or q.end),
    )


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
    return IncidentDate(
        text=shown.surface[:120],
        start=when.first if when and dated else None,
        end=when.last if when and dated else None,
        precision=min(max(shown.precision, 1), 3),
        quote=quote_around(doc, shown.start, shown.end),
    )
