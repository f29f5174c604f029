"""When do two articles' incidents describe the same real event? The pairwise rule.

Each source incident is reduced to comparable features (place keys, named-actor keys, a
date window, its figures); two incidents from different articles are then compared on
five kinds of evidence, and the rule below decides. Everything is deterministic and
symmetric, so the clustering built on it does not depend on input order.

The rule (documented for users in `merge`'s help and the README):

- dates conflict (both known, windows disjoint) -> separate;
- merge when the event types agree, a named actor is shared, and either
  * most places agree (half of the smaller incident's comparable places or more) and
    the dates overlap or a figure matches, or
  * one side's places are not comparable (unresolved regions, "near the border") and a
    figure matches;
- otherwise link when at least one place is shared and no named actors contradict;
- otherwise separate.

A place is comparable when the gazetteer resolves it (key: GeoNames id, or the region),
or when the article names a town the gazetteer lacks (key: the alias-normalised name,
so Sandaré and Sandere agree). Generic actors ("militants", "gunmen") are not evidence.
A figure matches when the same category and side carry point values of at least
MIN_MATCH_FIGURE within 10 %: small numbers coincide too easily to count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from llm_extract.core.incidents import Decision, SourceIncident
from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import Location
from llm_extract.places.enrich import geocoded_place
from llm_extract.places.gazetteer import Gazetteer
from llm_extract.text.fold import name_key, words
from llm_extract.text.names import AliasTable

MIN_MATCH_FIGURE = 10
FIGURE_TOLERANCE = 0.10
PRECISION_SLACK_DAYS = {1: 0, 2: 3, 3: 15}  # half a week, half a month
GENERIC_ACTOR_WORDS = frozenset({  # words that name no one in particular
    "militants", "militant", "terrorists", "terrorist", "jihadists", "jihadist", "insurgents",
    "insurgent", "rebels", "gunmen", "assailants", "attackers", "fighters", "column", "troops",
    "soldiers", "men", "armed", "group", "groups", "unidentified", "unknown", "bandits", "the",
    "a", "an", "of", "suspected", "islamist", "islamists", "extremists", "terroristes",
    "djihadistes", "assaillants", "hommes", "armes", "individus", "groupe", "groupes",
})  # fmt: skip


@dataclass(frozen=True)
class Features:
    """What the rule compares, computed once per source incident."""

    key: str
    article_id: str
    event_type: str
    places: dict[str, str]  # comparable place key -> display name
    actors: dict[str, str]  # named (non-generic) actor key -> display name
    window: tuple[date, date] | None  # the stated days widened by the precision's slack
    stated: str  # the stated days, for explanations
    figures: tuple[tuple[str, str, int], ...]  # (category, side, point value)


def place_key(location: Location, place: GeocodedPlace | None, aliases: AliasTable) -> str | None:
    """The identity of a place for comparison, or None when it cannot be compared."""
    if place is not None and place.resolved:
        if place.geonameid is not None:
            return f"geonames:{place.geonameid}"
        return f"region:{place.country_code}/{place.admin1 or place.name}"
    if location.precision == 3:  # an unresolved region or description: too vague
        return None
    return "name:" + canonical(location.name, aliases)


def canonical(name: str, aliases: AliasTable) -> str:
    """One spelling per alias group (the alphabetically first), else the folded name."""
    folded = name_key(name)
    group = aliases.aliases(name)
    return min(group) if group else folded


def locate(location: Location, gazetteer: Gazetteer, path: str) -> GeocodedPlace:
    """Geocode one location; a region-level mention tries the region before the town."""
    found = None
    if location.precision == 3:
        found = gazetteer.resolve(f"{location.name} region", country_hint=location.country)
        if found.place is None:
            found = None
    found = found or gazetteer.resolve(location.name, country_hint=location.country)
    return geocoded_place(path, replace(found, query=location.name))


def features(source: SourceIncident, aliases: AliasTable, place_aliases: AliasTable) -> Features:
    incident = source.incident
    places: dict[str, str] = {}
    for i, location in enumerate(incident.locations):
        stored = source.places[i] if i < len(source.places) else None
        if (key := place_key(location, stored, place_aliases)) is not None:
            places.setdefault(key, location.name)
    actors: dict[str, str] = {}
    for actor in incident.actors:
        if not set(words(actor.name)) <= GENERIC_ACTOR_WORDS:
            actors.setdefault(canonical(actor.name, aliases), actor.name)
    figures = tuple(
        sorted(
            (count.category.value, count.side, value)
            for count in incident.counts
            if (value := count.best if count.best is not None else count.low) is not None
        )
    )
    return Features(
        source.key,
        source.article_id,
        incident.classification.event_type.value,
        places,
        actors,
        _window(source),
        _stated(source),
        figures,
    )


def _stated(source: SourceIncident) -> str:
    day = source.incident.date
    start, end = day.start or day.end, day.end or day.start
    if start is None or end is None:
        return "unknown"
    days = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
    return f"{days} (precision {day.precision})"


def _window(source: SourceIncident) -> tuple[date, date] | None:
    day = source.incident.date
    start, end = day.start or day.end, day.end or day.start
    if start is None or end is None:
        return None
    slack = timedelta(days=PRECISION_SLACK_DAYS[day.precision])
    return start - slack, end + slack


def _figure_match(a: Features, b: Features) -> str | None:
    for category, side, x in a.figures:
        for other_category, other_side, y in b.figures:
            close = abs(x - y) <= FIGURE_TOLERANCE * max(x, y)
            if (
                (category, side) == (other_category, other_side)
                and min(x, y) >= MIN_MATCH_FIGURE
                and close
            ):
                return f"figures match: {category} {side} {x} and {y}"
    return None


def decide(a: Features, b: Features, tolerance_days: int) -> tuple[Decision, int]:
    """The decision for one pair (a.key < b.key) and its strength, for ordering merges."""
    reasons: list[str] = []
    slack = timedelta(days=tolerance_days)
    if a.window and b.window:
        overlap = a.window[0] <= b.window[1] + slack and b.window[0] <= a.window[1] + slack
        span = f"{a.stated} and {b.stated}, tolerance {tolerance_days} d"
        if not overlap:
            return Decision(
                a=a.key, b=b.key, outcome="separate", reasons=[f"dates conflict: {span}"]
            ), 0
        dates = "overlap"
        reasons.append(f"dates overlap: {span}")
    else:
        dates = "unknown"
        reasons.append("dates: at least one unknown, no evidence either way")

    same_type = a.event_type == b.event_type
    reasons.append(f"event type: {a.event_type} / {b.event_type}")

    shared_actors = sorted(a.actors.keys() & b.actors.keys())
    if shared_actors:
        actors = "shared"
        reasons.append("actors shared: " + ", ".join(a.actors[k] for k in shared_actors))
    elif a.actors and b.actors:
        actors = "disjoint"
        reasons.append(
            "named actors differ: "
            + ", ".join(sorted(a.actors.values()))
            + " / "
            + ", ".join(sorted(b.actors.values()))
        )
    else:
        actors = "unknown"
        reasons.append("actors: at least one side names only generic actors")

    shared_places = sorted(a.places.keys() & b.places.keys())
    if not a.places or not b.places:
        places = "unknown"
        reasons.append("places: at least one side has no comparable place")
    else:
        smaller = min(len(a.places), len(b.places))
        places = (
            "same"
            if len(shared_places) * 2 >= smaller
            else ("partial" if shared_places else "none")
        )
        names = ", ".join(a.places[k] for k in shared_places) or "none"
        reasons.append(f"places shared: {len(shared_places)} of {smaller} ({names})")

    figure = _figure_match(a, b)
    reasons.append(figure or "figures: no matching figure")

    corroborated = dates == "overlap" or figure is not None
    if (
        same_type
        and actors == "shared"
        and ((places == "same" and corroborated) or (places == "unknown" and figure is not None))
    ):
        outcome = "merge"
    elif shared_places and actors != "disjoint":
        outcome = "link"
    else:
        outcome = "separate"
    strength = (2 if places == "same" else 0) + (dates == "overlap") + (figure is not None)
    strength += len(shared_actors) + len(shared_places)
    return Decision(a=a.key, b=b.key, outcome=outcome, reasons=reasons), strength
