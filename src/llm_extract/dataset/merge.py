"""Cross-article merging: many articles' incidents into one record per real event.

Pairs are decided by `merge_rules`; merges are then applied strongest first (ties broken
by the incidents' keys), and a merge that would put two incidents of the same article
into one event is refused, since the extractor already told them apart. Because the
order of merges comes from the evidence and the keys, never from the input order, the
output does not depend on how the input is shuffled; and because a merged incident keeps
its source incidents whole, merging merged output rebuilds exactly the same events.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from pydantic import ValidationError

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError, describe_error
from llm_extract.core.incidents import (
    CountReport,
    Decision,
    Link,
    MergedActor,
    MergedClaim,
    MergedCount,
    MergedIncident,
    MergedLocation,
    SourceIncident,
    plausible_figure,
)
from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.dataset.rules import (
    Features,
    canonical,
    decide,
    features,
    locate,
    place_key,
)
from llm_extract.io.jsonl import last_per_id
from llm_extract.places.gazetteer import Gazetteer
from llm_extract.places.geonames import place_aliases
from llm_extract.text.names import AliasTable, default_aliases

DEFAULT_TOLERANCE_DAYS = 1


@dataclass
class MergeOutcome:
    incidents: list[MergedIncident]
    decisions: list[Decision]  # every pair compared, for --explain


def sources_from_lines(lines: Iterable[tuple[str, Any]]) -> list[SourceIncident]:
    """Source incidents from batch results, gold lines or merged incidents, in any mix.

    Error lines are skipped (nothing was extracted); of an article's records only the
    last counts (io/jsonl.py's rule), as when a batch ran again with --no-resume."""
    lines = list(lines)
    latest = last_per_id(line for line in lines if _is_record(line[1]))
    by_article: dict[str, dict[str, SourceIncident]] = {}
    for where, line in lines:
        if _is_record(line) and latest[str(line["id"])][0] != where:
            continue  # a later record of this article replaces it
        for source in _sources_of(where, line):
            by_article.setdefault(source.article_id, {})[source.key] = source
    return [source for group in by_article.values() for source in group.values()]


def _is_record(line: Any) -> bool:
    """A result or gold line that holds a record (not an error, not a merged incident)."""
    return (
        isinstance(line, dict)
        and "sources" not in line
        and line.get("status") != "error"
        and line.get("id") is not None
    )


def _sources_of(where: str, line: Any) -> Iterator[SourceIncident]:
    if not isinstance(line, dict):
        raise InputError(f"{where}: expected a JSON object")
    try:
        if "sources" in line:  # a merged incident: only its sources matter
            if not isinstance(line["sources"], list):
                raise InputError(f'{where}: "sources" must be a list')
            yield from (SourceIncident.model_validate(s) for s in line["sources"])
            return
        if line.get("status") == "error":
            return
        if "record" not in line or line.get("id") is None:
            raise InputError(
                f'{where}: expected a result, gold or merged line ("id" and "record", or "sources")'
            )
        record = ArticleExtraction.model_validate(line["record"])
        places = [GeocodedPlace.model_validate(p) for p in line.get("places") or []]
        source = _article_source(line)
    except ValidationError as exc:
        raise InputError(f"{where}: invalid line: {describe_error(exc)}") from None
    by_path = {p.path: p for p in places}
    for i, incident in enumerate(record.incidents):
        own = [
            by_path.get(f"incidents[{i}].locations[{j}]") for j in range(len(incident.locations))
        ]
        yield SourceIncident(
            article_id=str(line["id"]),
            index=i,
            incident=incident,
            places=[p for p in own if p] if all(own) else [],
            source=source,
        )


def _article_source(line: dict[str, Any]) -> ArticleSource | None:
    """A result's provenance says where its article came from; gold lines do not."""
    provenance = line.get("provenance")
    found = provenance.get("source") if isinstance(provenance, dict) else None
    return ArticleSource.model_validate(found) if found is not None else None


def merge(
    sources: Iterable[SourceIncident],
    *,
    gazetteer: Gazetteer | None = None,
    aliases: AliasTable | None = None,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
    combine: bool = True,
) -> MergeOutcome:
    """Group source incidents into events. With a gazetteer, ungeocoded places are
    geocoded first (so "Nioro" and "Nioro du Sahel" are one town). `combine=False`
    makes one event per source incident (exporting unmerged results)."""
    ordered = sorted(sources, key=_order)
    if gazetteer is not None:
        ordered = [_geocoded(s, gazetteer) for s in ordered]
    actor_aliases, town_aliases = aliases or default_aliases(), place_aliases()
    feats = {s.key: features(s, actor_aliases, town_aliases) for s in ordered} if combine else {}
    decisions, strengths = _compare(ordered, feats, tolerance_days) if combine else ([], {})
    groups = _cluster(ordered, decisions, strengths)
    incidents = [_build(members, decisions, actor_aliases, town_aliases) for members in groups]
    _link(incidents, groups, decisions)
    incidents.sort(key=lambda m: (m.date_start is None, m.date_start, _order(m.sources[0])))
    return MergeOutcome(incidents, decisions)


def _order(source: SourceIncident) -> tuple[str, int]:
    return source.article_id, source.index


def _geocoded(source: SourceIncident, gazetteer: Gazetteer) -> SourceIncident:
    if source.places:
        return source
    places = [
        locate(location, gazetteer, f"locations[{j}]")
        for j, location in enumerate(source.incident.locations)
    ]
    return source.model_copy(update={"places": places})


def _compare(
    ordered: list[SourceIncident], feats: dict[str, Features], tolerance_days: int
) -> tuple[list[Decision], dict[tuple[str, str], int]]:
    """Decide every cross-article pair that shares a named actor or a place."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, source in enumerate(ordered):
        f = feats[source.key]
        for key in [*f.places, *(f"actor:{k}" for k in f.actors)]:
            index[key].append(i)
    pairs = {pair for members in index.values() for pair in combinations(members, 2)}
    decisions, strengths = [], {}
    for i, j in sorted(pairs):
        a, b = ordered[i], ordered[j]
        if a.article_id == b.article_id:
            continue
        decision, strength = decide(feats[a.key], feats[b.key], tolerance_days)
        decisions.append(decision)
        strengths[(a.key, b.key)] = strength
    return decisions, strengths


def _cluster(
    ordered: list[SourceIncident], decisions: list[Decision], strengths: dict[tuple[str, str], int]
) -> list[list[SourceIncident]]:
    """Apply merges strongest first; refuse one that joins two incidents of one article."""
    position = {s.key: i for i, s in enumerate(ordered)}
    parent = list(range(len(ordered)))
    articles = [{s.article_id} for s in ordered]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    merges = [d for d in decisions if d.outcome == "merge"]
    merges.sort(key=lambda d: (-strengths[(d.a, d.b)], position[d.a], position[d.b]))
    for d in merges:
        ra, rb = root(position[d.a]), root(position[d.b])
        if ra != rb and not articles[ra] & articles[rb]:
            parent[max(ra, rb)] = min(ra, rb)
            articles[min(ra, rb)] |= articles[max(ra, rb)]
    groups: dict[int, list[SourceIncident]] = defaultdict(list)
    for i, source in enumerate(ordered):
        groups[root(i)].append(source)
    return list(groups.values())


def _build(
    members: list[SourceIncident],
    decisions: list[Decision],
    actor_aliases: AliasTable,
    town_aliases: AliasTable,
) -> MergedIncident:
    keys = [m.key for m in members]
    member_keys = set(keys)
    kinds = Counter(
        (m.incident.classification.event_type.value, m.incident.classification.sub_event_type.value)
        for m in members
    )
    event_type, sub_event_type = _most_common(kinds)
    start, end, precision = _agreed_dates(members)
    locations = _locations(members, town_aliases)
    return MergedIncident(
        id="inc-" + hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:12],
        event_type=event_type,
        sub_event_type=sub_event_type,
        date_start=start,
        date_end=end,
        time_precision=precision,
        is_aggregate=len(locations) > 1 or any(m.incident.is_aggregate for m in members),
        summary=members[0].incident.summary,
        locations=locations,
        actors=_actors(members, actor_aliases),
        counts=_counts(members),
        claims=_claims(members),
        articles=sorted({m.article_id for m in members}),
        decisions=[d for d in decisions if d.a in member_keys and d.b in member_keys],
        sources=members,
    )


def _most_common(counter: Counter[Any]) -> Any:
    """Most frequent value; ties go to the smallest, so the choice is order-free."""
    return min(counter, key=lambda value: (-counter[value], value))


def _agreed_dates(members: list[SourceIncident]) -> tuple[Any, Any, int]:
    """The dates of the most precise sources that know them; spread over those only."""
    dated = [m.incident.date for m in members if m.incident.date.start or m.incident.date.end]
    if not dated:
        return None, None, min(m.incident.date.precision for m in members)
    best = min(d.precision for d in dated)
    chosen = [d for d in dated if d.precision == best]
    starts = [d.start or d.end for d in chosen]
    ends = [d.end or d.start for d in chosen]
    return min(s for s in starts if s), max(e for e in ends if e), best


def _locations(members: list[SourceIncident], town_aliases: AliasTable) -> list[MergedLocation]:
    grouped: dict[str, list[tuple[SourceIncident, int]]] = defaultdict(list)
    for m in members:
        for j, location in enumerate(m.incident.locations):
            place = m.places[j] if j < len(m.places) else None
            key = place_key(location, place, town_aliases)
            grouped[key or "text:" + canonical(location.name, town_aliases)].append((m, j))
    result = []
    for key, mentions in grouped.items():
        spellings = Counter(m.incident.locations[j].name for m, j in mentions)
        places = [m.places[j] for m, j in mentions if j < len(m.places) and m.places[j].resolved]
        place = places[0] if places else None
        result.append(
            MergedLocation(
                key=key,
                name=_most_common(spellings),
                spellings=sorted(spellings, key=lambda s: (-spellings[s], s)),
                country=place.country
                if place
                else _first(m.incident.locations[j].country for m, j in mentions),
                admin1=place.admin1
                if place
                else _first(m.incident.locations[j].admin1 for m, j in mentions),
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                geonameid=place.geonameid if place else None,
                geo_precision=min(m.incident.locations[j].precision for m, j in mentions),
                resolved=place is not None,
                articles=sorted({m.article_id for m, _ in mentions}),
            )
        )
    return sorted(result, key=lambda loc: (loc.name, loc.key))


def _first(values: Iterable[str | None]) -> str | None:
    return min((v for v in values if v), default=None)


def _actors(members: list[SourceIncident], actor_aliases: AliasTable) -> list[MergedActor]:
    grouped: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for m in members:
        for actor in m.incident.actors:
            grouped[canonical(actor.name, actor_aliases)].append((m.article_id, actor))
    result = []
    for key, mentions in grouped.items():
        spellings = Counter(actor.name for _, actor in mentions)
        result.append(
            MergedActor(
                key=key,
                name=_most_common(spellings),
                spellings=sorted(spellings, key=lambda s: (-spellings[s], s)),
                actor_type=_most_common(Counter(actor.actor_type for _, actor in mentions)),
                roles=sorted({actor.role for _, actor in mentions}),
                articles=sorted({article for article, _ in mentions}),
            )
        )
    return sorted(result, key=lambda a: (a.actor_type, a.name))


def _counts(members: list[SourceIncident]) -> list[MergedCount]:
    grouped: dict[tuple[str, str], list[CountReport]] = defaultdict(list)
    for m in members:
        for c in m.incident.counts:
            if not all(plausible_figure(v) for v in (c.low, c.best, c.high)):
                continue  # a misread figure (a year, a phone number) is no toll
            grouped[(c.category.value, c.side)].append(
                CountReport(
                    article_id=m.article_id,
                    surface=c.surface,
                    qualifier=c.qualifier,
                    low=c.low,
                    best=c.best,
                    high=c.high,
                    attributed_to=c.attributed_to,
                    victim_group=c.victim_group,
                    provisional=c.provisional,
                    quote=c.quote,
                )
            )
    result = []
    for (category, side), reports in sorted(grouped.items()):
        reports.sort(key=lambda r: r.model_dump_json())
        points = {r.article_id: p for r in reports if (p := _point(r)) is not None}
        agreed = min(points.values(), default=None)
        lows = [r.low if r.low is not None else _point(r) for r in reports]
        highs = [r.high if r.high is not None else _point(r) for r in reports]
        result.append(
            MergedCount(
                category=category,
                side=side,
                best=agreed,  # type: ignore[arg-type]
                low=min((v for v in lows if v is not None), default=None),
                high=max((v for v in highs if v is not None), default=None),
                agreed_from=sorted(a for a, p in points.items() if p == agreed),
                reports=reports,
            )
        )
    return result


def _point(report: CountReport) -> int | None:
    return report.best if report.best is not None else report.low


def _claims(members: list[SourceIncident]) -> list[MergedClaim]:
    claims = {
        MergedClaim(
            article_id=m.article_id, claimant=c.claimant, statement=c.statement, quote=c.quote
        ).model_dump_json(): None
        for m in members
        for c in m.incident.claims
    }
    return [MergedClaim.model_validate_json(c) for c in sorted(claims)]


def _link(
    incidents: list[MergedIncident], groups: list[list[SourceIncident]], decisions: list[Decision]
) -> None:
    """Record partial overlaps between different events, both ways, with their reasons."""
    owner = {
        s.key: incident.id for incident, group in zip(incidents, groups, strict=True) for s in group
    }
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in decisions:
        a, b = owner[d.a], owner[d.b]
        if d.outcome != "separate" and a != b:
            shared = "; ".join(r for r in d.reasons if r.startswith(("places", "actors")))
            reasons[(a, b)].append(f"{d.a} ~ {d.b}: {shared}")
            reasons[(b, a)].append(f"{d.a} ~ {d.b}: {shared}")
    by_id = {incident.id: incident for incident in incidents}
    for (a, b), why in sorted(reasons.items()):
        by_id[a].links.append(Link(incident_id=b, reasons=sorted(why)))
