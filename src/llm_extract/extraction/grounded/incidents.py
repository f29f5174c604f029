"""An article's incidents, told apart by where they happened, with what belongs to each.

News reports several events in one story: "the ADF attacked Maboya … the same day,
the locality of Mayuano". An incident starts at a sentence that reports an event (an
attack word or a casualty figure) at a place no earlier incident holds; a later event
sentence naming one of its places, or naming no place at all, adds to it. Figures,
actors and dates go to the incident of their sentence, else of the nearest event
sentence before them (the lead's figures to the first incident).

Pure reading over a Document and candidates: which values exist was decided before,
how they are grouped is decided here, and nothing is asked of a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from llm_extract.extraction.grounded.actors import ActorMention
from llm_extract.extraction.grounded.candidates import CountCandidate
from llm_extract.extraction.grounded.places import PlaceCandidate
from llm_extract.roles.dates import date_role
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.lexicon import EVENT_WORDS
from llm_extract.roles.places import EVENT, place_role
from llm_extract.text.dates import DateMention
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document
from llm_extract.text.sentences import sentence_spans

MAX_INCIDENTS = 6
_EVENT = re.compile(rf"(?<![a-z])(?:{EVENT_WORDS})")


@dataclass
class Draft:
    """One incident being read: its places and the sentences and values that are its."""

    places: list[PlaceCandidate]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    counts: list[CountCandidate] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    day: date | None = None  # the day its sentences give, when they give one

    def place_keys(self) -> set[str]:
        return {name_key(p.name) for p in self.places}


def is_event_sentence(doc: Document, left: int, right: int) -> bool:
    return _EVENT.search(doc.folded, left, right) is not None


def _day_of(dates: list[DateMention], span: tuple[int, int]) -> date | None:
    """The day a sentence says its event happened on, when it names exactly one."""
    days = {m.first for m in dates if _within(m.start, span) and m.first and m.first == m.last}
    return days.pop() if len(days) == 1 else None


def _within(start: int, span: tuple[int, int]) -> bool:
    return span[0] <= start < span[1]


def _another_region(
    doc: Document,
    here: list[PlaceCandidate],
    regions: list[PlaceCandidate],
    pending: list[tuple[int, int]],
    counts: list[CountCandidate],
) -> bool:
    """The waiting region-only sentences give a toll of an event (not a period's
    total), and the sentence that names a town names another region than theirs."""
    new = {name_key(p.name) for p in here if p.precision == 3}
    old = {name_key(p.name) for p in regions}
    tolled = any(
        _within(c.quantity.start, span) and read_count(doc, c.quantity).is_toll
        for c in counts
        for span in pending
    )
    return bool(new and old and tolled) and not new & old


_SPAN_DAYS = 3
"""The longest date span read as one event's days ("les 27 et 28 janvier")."""
_APART_DAYS = 7
"""How far from the incident's day (else publication) another event's day must be: a
weekday in the same week is as often the day someone spoke ("on Wednesday, officers
said ..."), which this reading cannot tell apart."""


def _another_day(
    doc: Document,
    span: tuple[int, int],
    last: Draft,
    dates: list[DateMention],
    counts: list[CountCandidate],
) -> date | None:
    """The first day of the one short date span a sentence naming no place gives, when
    it is an event's day more than a week from the current incident's (its day, else
    publication) and the sentence gives a toll: another event at the same place."""
    spans = [m for m in dates if _within(m.start, span) and m.first and m.last]
    if len(spans) != 1 or (spans[0].last - spans[0].first).days >= _SPAN_DAYS:
        return None
    mention = spans[0]
    if date_role(doc, mention) != EVENT:
        return None  # "depuis le 27 janvier", "officers said on Wednesday"
    anchor = last.day or doc.published
    if anchor is None or abs((anchor - mention.first).days) <= _APART_DAYS:
        return None
    tolled = any(
        _within(c.quantity.start, span) and read_count(doc, c.quantity).is_toll for c in counts
    )
    return mention.first if tolled else None


def split_incidents(
    doc: Document,
    places: list[PlaceCandidate],
    counts: list[CountCandidate],
    actors: list[ActorMention],
    dates: list[DateMention],
    fallback: list[PlaceCandidate] = (),  # type: ignore[assignment]
) -> list[Draft]:
    """Incidents in reading order; none when no event sentence names a place and
    `fallback` (places outside the event sentences) is empty."""
    drafts: list[Draft] = []
    owner: dict[tuple[int, int], Draft] = {}  # sentence -> the incident it belongs to
    pending: list[tuple[int, int]] = []  # event sentences before the first place
    regions: list[PlaceCandidate] = []  # regions those sentences name
    for span in sentence_spans(doc.text):
        if not is_event_sentence(doc, *span):
            continue
        here = [p for p in places if _within(p.start, span)]
        if drafts == [] and all(p.precision == 3 or p.border for p in here):
            # "a drone strike in the Amhara region", "near the Afghan border": the region
            # or border says where, a town named later says which incident; such
            # sentences wait for it
            regions += [p for p in here if p not in regions]
            here = []
        keys = {name_key(p.name) for p in here}
        day = _day_of(dates, span)
        same_day = (d for d in drafts if day is None or d.day in (None, day))
        draft = next((d for d in same_day if keys & d.place_keys()), None)
        if draft is None and here and len(drafts) < MAX_INCIDENTS:
            if _another_region(doc, here, regions, pending, counts):
                # "Dans la province d'Ituri, ... cinq villages du territoire de Mahagi ...
                # 15 morts" then "Dans la province voisine du Nord-Kivu, ...": the regions
                # and their toll are an incident of their own
                first = Draft(places=list(regions), sentences=pending)
                drafts.append(first)
                owner.update({s: first for s in pending})
                pending, regions = [], []
            draft = Draft(places=[], day=day)
            drafts.append(draft)
            draft.sentences += pending
            pending = []
        if draft is None:
            if drafts:
                if len(drafts) < MAX_INCIDENTS and (
                    other := _another_day(doc, span, drafts[-1], dates, counts)
                ):
                    # "au cours du premier massacre des 27 et 28 janvier, au moins 50 civils
                    # ont été abattus": the same place, another day's event
                    drafts.append(Draft(places=list(drafts[-1].places), day=other))
                drafts[-1].sentences.append(span)
                owner[span] = drafts[-1]
            else:
                pending.append(span)
            continue
        for p in here:
            if name_key(p.name) not in draft.place_keys():
                draft.places.append(p)
        draft.day = draft.day or day
        draft.sentences.append(span)
        owner[span] = draft
    for draft in drafts:
        for span in draft.sentences:
            owner.setdefault(span, draft)
    if not drafts and pending and regions:
        drafts.append(Draft(places=regions, sentences=pending))
        owner.update({span: drafts[0] for span in pending})
    if not drafts and pending and fallback:
        # An event with no place in its sentences: the article's first place stands in
        # ("... near the borders with Senegal and Mauritania" gives the countries).
        drafts.append(Draft(places=[fallback[0]], sentences=pending))
        owner.update({span: drafts[0] for span in pending})
    if not drafts:
        return []
    for draft in drafts:
        # "à Obo, à 900 km de Bangui": where the event is, not the reference point, even
        # when that is a district ("dans le district d'Ancuabe, à 45 km de Pemba")
        at = [p for p in draft.places if place_role(doc, p.start, p.end) == EVENT]
        if at:
            draft.places = at
        # "Kyamata, dans le territoire d'Irumu": Kyamata is the place; a district beats
        # the border it lies along
        towns = [p for p in draft.places if p.town and not p.border]
        named = towns or [p for p in draft.places if not p.border]
        if named:
            draft.places = named
    spans = sorted(owner)

    def draft_at(start: int) -> Draft | None:
        before = [s for s in spans if s[0] <= start]
        inside = [s for s in before if start < s[1]]
        if inside:
            return owner[inside[-1]]
        return owner[before[-1]] if before else drafts[0]

    for count in counts:
        if (d := draft_at(count.quantity.start)) is not None:
            d.counts.append(count)
    for actor in actors:
        inside = [s for s in spans if _within(actor.start, s)]
        if inside:
            owner[inside[-1]].actors.append(actor)
    for mention in dates:
        inside = [s for s in spans if _within(mention.start, s)]
        if inside:
            owner[inside[-1]].dates.append(mention)
    return [part for draft in drafts for part in _per_place(doc, draft)][: MAX_INCIDENTS * 2]


_AT_PLACE = re.compile(
    r"[\s,]*(?:(?:in|at|near|a|au|aux|dans|pres de|sur)\s+)?(?:the\s+|la\s+|le\s+|l')?$"
)


def _per_place(doc: Document, draft: Draft) -> list[Draft]:
    """One incident per town when the figures say where each happened ("douze civils
    ont été tués à Naoua, cinq à Alep, quatre à Homs"): ACLED codes an event per
    location. A figure with no town right after it stays with the list."""
    towns = [p for p in draft.places if p.town]
    if len(towns) < 2:
        return [draft]
    own: dict[str, list[CountCandidate]] = {}
    rest: list[CountCandidate] = []
    for count in draft.counts:
        end = count.quantity.noun_end or count.quantity.end
        town = next((t for t in towns if 0 <= t.start - end <= 40
                     and _AT_PLACE.fullmatch(_between(doc, end, t.start))), None)  # fmt: skip
        if town is None:
            rest.append(count)
        else:
            own.setdefault(name_key(town.name), []).append(count)
    if len(own) < 2:
        return [draft]
    parts = []
    for town in towns:
        if name_key(town.name) in own:
            parts.append(Draft([town], list(draft.sentences), own[name_key(town.name)],
                               list(draft.actors), list(draft.dates), draft.day))  # fmt: skip
    left = [t for t in draft.places if name_key(t.name) not in own]
    if rest and left:
        parts.insert(0, Draft(left, list(draft.sentences), rest, list(draft.actors),
                              list(draft.dates), draft.day))  # fmt: skip
    elif rest:
        parts[0].counts = rest + parts[0].counts
    return parts


def _between(doc: Document, start: int, end: int) -> str:
    """The folded words between a figure's noun and a place, its fate verb left out
    ("cinq personnes tuées à Alep")."""
    return _FATE_WORDS.sub(" ", doc.folded[start:end])


_FATE_WORDS = re.compile(
    r"\b(?:(?:ont|a|have|has|had|were|was|been|ete|sont)\s+)*(?:killed|dead|died|wounded"
    r"|injured|tue(?:e|es|s)?|morts?|blesse(?:e|es|s)?|abducted|enleve(?:e|es|s)?)\b"
)


# A day told by the one before it: "Le même jour, les ADF ont attaqué ...". ("The next
# day" is left alone: the verifier finds no mention of the day it would give.)
_SAME_DAY = re.compile(
    r"\b(?:(?:on\s+)?(?:that|the)\s+same\s+(?:day|night|evening)|le\s+meme\s+(?:jour|soir)"
    r"|ce\s+meme\s+jour)\b"
)


def told_day(doc: Document, draft: Draft, previous: DateMention | None) -> DateMention | None:
    """The day of an incident whose sentences give none but "the same day": the
    previous incident's; None otherwise."""
    if previous is None or previous.first is None:
        return None
    for left, right in draft.sentences:
        if m := _SAME_DAY.search(doc.folded, left, right):
            surface = doc.text[m.start() : m.end()]
            return replace(previous, start=m.start(), end=m.end(), surface=surface, relative=True)
    return None
