"""Grounded extraction: one short question at a time, answers chosen among the article's own.

Asked for the whole nested schema, a small model loops and invents. Here the article's
own numbers, places, actors and dates (candidates.py) become the only answers the
backend lets the model give (a grammar in-process, a JSON-schema constrained tool call
at an endpoint), the model picks among them one question at a time over a shared
article prefix, and the record is assembled in code (assemble.py) with each quote cut
from the sentence that holds the chosen value: every value is grounded by construction,
the model only chooses.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from llm_extract.backends.base import Asker, QuestionJob
from llm_extract.core.acled import EVENT_OF_SUB_EVENT, EventType, SubEventType
from llm_extract.core.records import COUNT_CATEGORIES, ArticleExtraction, Qualifier
from llm_extract.extraction.grounded.actors import (
    CIVILIANS,
)
from llm_extract.extraction.grounded.assemble import NONE, Choices, assemble
from llm_extract.extraction.grounded.candidates import (
    CountCandidate,
    actor_candidates,
    count_candidates,
    date_candidates,
    likely_kinds,
    place_candidates,
)
from llm_extract.extraction.grounded.incidents import Draft, split_incidents, told_day
from llm_extract.extraction.grounded.parties import parties
from llm_extract.extraction.grounded.places import PlaceCandidate, event_places
from llm_extract.extraction.grounded.sides import repeated_side, side_in_context
from llm_extract.extraction.place_checks import named_places, passage_place
from llm_extract.extraction.verify import verify_record
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.when import clause_dates
from llm_extract.text.dates import DateMention
from llm_extract.text.figures.counts import victim_class
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document

GROUNDED_VERSION = "58"
"""Bump when questions or candidates change: cached grounded records are keyed on it."""
SYSTEM = "You answer questions about a news article using only the article."

EVENT_KINDS: dict[str, SubEventType] = {
    "fighting": SubEventType.ARMED_CLASH,
    "airstrike": SubEventType.AIR_DRONE_STRIKE,
    "bombing": SubEventType.REMOTE_EXPLOSIVE,
    "shelling": SubEventType.SHELLING,
    "suicide": SubEventType.SUICIDE_BOMB,
    "massacre": SubEventType.ATTACK,
    "kidnapping": SubEventType.ABDUCTION,
    "protest": SubEventType.PEACEFUL_PROTEST,
    "riot": SubEventType.VIOLENT_DEMONSTRATION,
    "arrests": SubEventType.ARRESTS,
}


def grounded_job(document: Document) -> QuestionJob:
    """The questions for one article, as a job any backend that constrains answers runs."""
    return QuestionJob(
        system=SYSTEM,
        context=f"Article:\n{document.text}\n\nQuestion: ",
        run=functools.partial(extract_grounded, document=document),
    )


def _choose(asker: Asker, question: str, options: list[str]) -> str:
    """One of `options`, or NONE: the model may always decline."""
    answer = asker.ask(question, {"type": "string", "enum": [*options, NONE]}, 48)
    return answer if isinstance(answer, str) else NONE


def extract_grounded(asker: Asker, document: Document) -> ArticleExtraction:
    """The article's incidents, each value read off the article; the model settles
    what the words leave open (the kind of event, which date)."""
    actors = actor_candidates(document)
    not_places = {name_key(a.name) for a in actors}
    not_places |= {name_key(n) for group in document.aliases.names_of("actor") for n in group}
    offered = place_candidates(document)
    places = event_places(document, offered, not_places)
    counts = count_candidates(document)
    fallback = [p for p in offered if name_key(p.name) not in not_places]
    dates = date_candidates(document)
    drafts = split_incidents(document, places, counts, actors, dates, fallback)
    incidents: list[Choices] = []
    seen: set[tuple[str, int | None, bool]] = set()
    for draft in drafts:
        figures = _figures(document, draft.counts, seen)
        sub_event = _sub_event(asker, document, draft, figures)
        figures = _civilian_victims(sub_event, figures)
        when = _when(asker, document, draft, figures)
        if when is None and incidents:
            when = told_day(document, draft, incidents[-1].when)
        incidents.append(
            Choices(
                sub_event=sub_event,
                places=draft.places,
                actors=parties(document, draft.actors, figures),
                counts=figures,
                when=when,
                dates=draft.dates,
            )
        )
    towns = [p for p in offered if p.town and name_key(p.name) not in not_places]
    incidents, origin = _figures_to_their_places(document, incidents, towns)
    drafts = [drafts[i] for i in origin]
    record = assemble(document, incidents, actors)
    # The verifier's reading is the one definition of what a value means: a value it
    # rejects (a statement's day, a background place) is not offered.
    checked, report = verify_record(record, document, "drop")
    lost = [i for i in range(len(incidents)) if f"incidents[{i}]" in report.removed]
    if not lost:
        return _substantive(checked)
    for i in lost:  # every place rejected: the next place the article gives, if any
        incidents[i] = _replace_places(document, incidents[i], drafts[i], offered, not_places)
    return _substantive(verify_record(assemble(document, incidents, actors), document, "drop")[0])


def _substantive(record: ArticleExtraction) -> ArticleExtraction:
    """The incidents that give a figure or an acting party: an attack sentence with
    neither ("the jets attacked from an air base in X", a place's history) is no
    incident of its own beside those that have one."""
    kept = [
        i for i in record.incidents if i.counts or any(a.actor_type != CIVILIANS for a in i.actors)
    ]
    return record.model_copy(update={"incidents": kept}) if kept else record


def _figures_to_their_places(
    doc: Document, incidents: list[Choices], towns: list[PlaceCandidate]
) -> tuple[list[Choices], list[int]]:
    """Each figure with the incident at the place its passage names, when that is not
    its own incident's ("The attack in Mezezo resulted in four fatalities" drafted with
    the Molale strike): the verifier would drop it there, so it is moved. With no
    incident there yet, one is made at that place if it is one of `towns`, like its own;
    with neither, it stays where it was. Also returns which incident each one was
    drafted from."""
    named = named_places(doc)
    town_of = {name_key(p.name): p for p in towns}
    homes = {name_key(p.name) for c in incidents for p in c.places}
    out, moved = list(incidents), {}
    origin = list(range(len(incidents)))
    for i, choices in enumerate(incidents):
        own = [p.name for p in choices.places]
        kept = []
        for figure in choices.counts:
            q = figure[0].quantity
            at = passage_place(doc, q.start, q.noun_end or q.end, own, named)
            key = name_key(at) if at else None
            if key is None or (key not in homes and key not in town_of):
                kept.append(figure)
            else:
                moved.setdefault((key, i), []).append(figure)
        out[i] = replace(choices, counts=kept)
    for (key, source), figures in moved.items():
        home = next(
            (k for k, c in enumerate(out) if key in {name_key(p.name) for p in c.places}), None
        )
        if home is None:
            out.append(replace(out[source], places=[town_of[key]], counts=figures))
            origin.append(source)
        else:
            out[home] = replace(out[home], counts=out[home].counts + figures)
    return out, origin


_MAX_PLACE_TRIES = 6


def _replace_places(
    doc: Document,
    choices: Choices,
    draft: Draft,
    offered: list[PlaceCandidate],
    not_places: set[str],
) -> Choices:
    """The incident with the first other place that the verifier supports: one its
    own sentences name (a region included), else the nearest to them."""
    tried = {name_key(p.name) for p in choices.places} | not_places
    inside = [p for p in offered if any(a <= p.start < b for a, b in draft.sentences)]
    first = min((a for a, _ in draft.sentences), default=0)
    near = sorted((p for p in offered if p not in inside), key=lambda p: abs(p.start - first))
    for place in [*inside, *near][:_MAX_PLACE_TRIES]:
        if name_key(place.name) in tried:
            continue
        tried.add(name_key(place.name))
        attempt = replace(choices, places=[place])
        kept, _ = verify_record(assemble(doc, [attempt], []), doc, "drop")
        if kept.incidents:
            return attempt
    return choices


def _figures(
    doc: Document, counts: list[CountCandidate], seen: set[tuple[str, int | None, bool]]
) -> list[tuple[CountCandidate, str, str]]:
    """Each reported figure of the incident with the fate its clause binds it to and
    whose losses it counts; a figure the article repeats is taken once."""
    found = []
    for candidate in counts:
        reading = read_count(doc, candidate.quantity)
        if not reading.is_toll:
            continue
        fates = [c for c in COUNT_CATEGORIES if c in reading.fates] or (
            [] if reading.fates else [c for c in COUNT_CATEGORIES if c in candidate.categories]
        )
        for category in fates[:1]:
            # "dozens" is 12 by convention, not the "12" beside it (count_candidates)
            key = (category, candidate.quantity.best, candidate.quantity.qualifier == "vague")
            if key in seen:
                continue
            seen.add(key)
            side = side_in_context(doc, candidate.quantity, reading.side)
            side = repeated_side(doc, candidate.quantity, category, side)
            found.append((candidate, category, side))
    return [f for f in found if not _rounds_another(doc, f, found)]


def _rounds_another(
    doc: Document,
    figure: tuple[CountCandidate, str, str],
    found: list[tuple[CountCandidate, str, str]],
) -> bool:
    """ "More than 100 fighters" beside "101 deaths" in another sentence: the round bound
    of the exact toll of the same side, which a coder records once ("at least 20
    soldiers and 22 civilians" are two tolls)."""
    candidate, category, side = figure
    q = candidate.quantity
    if (
        q.best is None
        or q.best % 10
        or q.qualifier not in (Qualifier.AT_LEAST, Qualifier.APPROXIMATE)
    ):
        return False
    own = doc.sentence_bounds(q.start, q.end)
    return any(
        c.quantity.qualifier == Qualifier.EXACT
        and c.quantity.best is not None
        and q.best < c.quantity.best <= q.best * 1.1
        and other == category
        and (side == other_side or "unknown" in (side, other_side))
        and doc.sentence_bounds(c.quantity.start, c.quantity.end) != own
        for c, other, other_side in found
    )


def _sub_event(
    asker: Asker, doc: Document, draft: Draft, figures: list[tuple[CountCandidate, str, str]]
) -> SubEventType:
    kinds = likely_kinds(doc, draft.sentences)
    kind = kinds[0]
    if len(kinds) > 1:  # the cue words leave a choice: the model settles it
        answer = asker.ask("In one word, what happened?", {"type": "string", "enum": kinds}, 24)
        kind = answer if isinstance(answer, str) else kind
    sides = _known_sides(figures)
    if kind == "fighting" and sides == {"civilians"}:
        kind = "massacre"  # only civilians fell: violence against civilians, not a battle
    elif kind == "massacre" and sides and "civilians" not in sides:
        kind = "fighting"  # "attacked the village", but only fighters fell: a battle
    return EVENT_KINDS.get(kind, SubEventType.ARMED_CLASH)


def _civilian_victims(
    sub_event: SubEventType, figures: list[tuple[CountCandidate, str, str]]
) -> list[tuple[CountCandidate, str, str]]:
    """In violence against civilians, ACLED's victims are civilians by definition: a
    figure of unnamed people ("five people", "12 morts") whose side nothing else gave
    is theirs. So it is where the incident's other unnamed people are civilians and
    none another side ("six people killed in a strike on an apartment block ... 25
    people wounded")."""
    unnamed = [f for f in figures if not victim_class(f[0].quantity.noun or "")]
    violence = EVENT_OF_SUB_EVENT[sub_event] == EventType.VIOLENCE_AGAINST_CIVILIANS
    if not violence and not _only_civilians(unnamed):
        return figures
    return [(c, category, "civilians") if (c, category, side) in unnamed and side == "unknown"
            else (c, category, side) for c, category, side in figures]  # fmt: skip


def _known_sides(figures: list[tuple[CountCandidate, str, str]]) -> set[str]:
    """The sides the figures give, "unknown" left out."""
    return {side for _, _, side in figures} - {"unknown"}


def _only_civilians(figures: list[tuple[CountCandidate, str, str]]) -> bool:
    """The figures whose side is known are all civilians'."""
    return _known_sides(figures) == {"civilians"}


def _when(
    asker: Asker, doc: Document, draft: Draft, figures: list[tuple[CountCandidate, str, str]]
) -> DateMention | None:
    """The incident's date: the one its sentences give; of several, the one its tolls'
    own clauses date them by if only one does (not the day a toll was updated or told:
    roles.when), else the model's choice. A span longer than a month ("du 27 janvier au
    27 mars", a report's period) is no incident's days while another date is given."""
    dates = [m for m in draft.dates if not _longer_than_a_month(m)] or draft.dates
    surfaces = list(dict.fromkeys(m.surface for m in dates))
    if len(surfaces) <= 1:
        return dates[0] if dates else None
    starts = {
        m.start
        for c, _, _ in figures
        for m in clause_dates(doc, c.quantity.start, c.quantity.noun_end or c.quantity.end)
    }
    beside = {m.surface: m for m in dates if any(m.start <= s < m.end for s in starts)}
    if len(beside) == 1:
        return next(iter(beside.values()))
    label = _choose(asker, "When did it happen?", surfaces)
    return next((m for m in dates if m.surface == label), dates[0])


_MONTH_DAYS = 31


def _longer_than_a_month(m: DateMention) -> bool:
    return bool(m.first and m.last and (m.last - m.first).days > _MONTH_DAYS)
