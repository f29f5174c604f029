"""Merged incidents as tables: ACLED-like event rows, or one flat row per incident.

ACLED codes one event per place and day, while articles report aggregates ("attacks on
seven towns on Monday"). An aggregate is split into rows only when the split is well
defined: every place is a named place (geo precision 1-2) and either all happened on one
known day (one row per place) or there is one place over a known span of at most
MAX_SPLIT_DAYS (one row per day). Several places over several days, unknown dates or
region-level places are not split: one row, the other places named in `notes`. A toll
given for the whole aggregate is divided evenly over its rows, the remainder going to the
first rows (by date, then place), and the whole figure stays in `aggregate_fatalities`;
each row's `notes` says which rule applied.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from llm_extract.core.articles import ArticleSource
from llm_extract.core.incidents import MergedActor, MergedCount, MergedIncident, MergedLocation

MAX_SPLIT_DAYS = 31
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
CATEGORIES = ("killed", "injured", "abducted", "captured", "missing")
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "country", "admin1", "location", "latitude",
    "longitude", "geo_precision", "source", "notes", "fatalities", "aggregate_fatalities",
    "incident_id", "articles",
)  # fmt: skip
INCIDENT_COLUMNS = (
    "incident_id", "event_type", "sub_event_type", "date_start", "date_end", "time_precision",
    "is_aggregate", "locations", "admin1", "countries", "actors",
    *(f"{c}_{b}" for c in CATEGORIES for b in ("best", "low", "high")),
    "figures", "articles", "n_articles", "linked", "summary",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Row = dict[str, Any]


def acled_rows(incident: MergedIncident) -> list[Row]:
    """The incident as ACLED-style event rows (see the module docstring for the split)."""
    places, uncovered = _split_places(incident.locations)
    days = _days(incident)
    specific = bool(places) and not uncovered
    if specific and days and len(days) == 1:
        cells, rule = [(days[0], p) for p in places], "one row per place, same day"
    elif specific and days and len(places) == 1:
        cells, rule = [(d, places[0]) for d in days], "one row per day, same place"
    else:
        places = incident.locations
        cells = [(incident.date_start, _main_place(places))]
        rule = _why_not_split(incident, specific, days)
    cells.sort(key=lambda c: (c[0] or date.max, c[1].name if c[1] else ""))
    total = _fatalities(incident.counts)
    share, extra = divmod(total, len(cells))
    vaguer_names = "; ".join(p.name for p in incident.locations if p not in places)
    rows = []
    for n, (day, place) in enumerate(cells, start=1):
        fatalities = share + (1 if n <= extra else 0)
        notes = [incident.summary, f"Split rule: {rule}."]
        if len(cells) > 1 and total:
            notes.append(
                f"The aggregate toll of {total} is divided evenly over {len(cells)} "
                "rows, remainder to the first rows."
            )
        if len(cells) == 1 and len(places) > 1:
            notes.append("Places: " + "; ".join(p.name for p in places) + ".")
        if cells[0][1] is not None and len(cells) > 1 and vaguer_names:
            notes.append(f"Also described as: {vaguer_names}.")
        notes.append("Figures: " + _figures(incident.counts))
        rows.append(
            {
                **_actor_columns(incident.actors),
                **_place_columns(place),
                **{
                    "event_id_cnty": f"{incident.id}-{n}",
                    "event_date": day.isoformat() if day else "",
                    "year": day.year if day else "",
                    "time_precision": incident.time_precision if day else 3,
                    "disorder_type": DISORDER.get(incident.event_type, ""),
                    "event_type": incident.event_type,
                    "sub_event_type": incident.sub_event_type,
                    "civilian_targeting": "Civilian targeting"
                    if _civilian_targeting(incident)
                    else "",
                    "source": source_cell(incident),
                    "notes": " ".join(notes),
                    "fatalities": fatalities,
                    "aggregate_fatalities": total,
                    "incident_id": incident.id,
                    "articles": len(incident.articles),
                },
            }
        )
    return rows


def source_cell(incident: MergedIncident) -> str:
    """ACLED's `source`: per article, its outlet and, in brackets, its date, title and
    URL when its row gave them; an article known by nothing else is named by its id."""
    known = {s.article_id: s.source for s in incident.sources if s.source is not None}
    return "; ".join(_source_entry(article, known.get(article)) for article in incident.articles)


def _source_entry(article_id: str, source: ArticleSource | None) -> str:
    if source is None:
        return article_id
    published = source.published.isoformat() if source.published else None
    details = [d for d in (published, source.title, source.url) if d]
    name = source.outlet or article_id
    return f"{name} ({', '.join(details)})" if details else name


def incident_row(incident: MergedIncident) -> Row:
    """One flat row per incident: agreed figures per category, sources side by side."""
    row: Row = {
        "incident_id": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date_start": incident.date_start.isoformat() if incident.date_start else None,
        "date_end": incident.date_end.isoformat() if incident.date_end else None,
        "time_precision": incident.time_precision,
        "is_aggregate": incident.is_aggregate,
        "locations": "; ".join(p.name for p in incident.locations),
        "admin1": "; ".join(sorted({p.admin1 for p in incident.locations if p.admin1})),
        "countries": "; ".join(sorted({p.country for p in incident.locations if p.country})),
        "actors": "; ".join(f"{a.name} ({a.actor_type})" for a in incident.actors),
    }
    for category in CATEGORIES:
        counts = [c for c in incident.counts if c.category == category]
        numbered = [c for c in counts if c.best is not None]
        row[f"{category}_best"] = sum(c.best or 0 for c in numbered) if numbered else None
        row[f"{category}_low"] = sum(c.low or 0 for c in numbered) if numbered else None
        row[f"{category}_high"] = sum(c.high or 0 for c in numbered) if numbered else None
    row.update(
        {
            "figures": _figures(incident.counts),
            "articles": "; ".join(incident.articles),
            "n_articles": len(incident.articles),
            "linked": "; ".join(link.incident_id for link in incident.links),
            "summary": incident.summary,
        }
    )
    return row


def write_csv(rows: Iterable[Row], columns: Iterable[str]) -> str:
    """CSV that spreadsheets open cleanly: UTF-8 with a BOM, CRLF, every text cell quoted
    when needed, and cells that a spreadsheet would run as a formula neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def write_jsonl(rows: Iterable[Row]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def export(incidents: list[MergedIncident], fmt: str) -> str:
    """The whole file for `fmt` (acled-csv, csv or jsonl)."""
    if fmt == "acled-csv":
        return write_csv((r for i in incidents for r in acled_rows(i)), ACLED_COLUMNS)
    rows = [incident_row(i) for i in incidents]
    if fmt == "csv":
        return write_csv(rows, INCIDENT_COLUMNS)
    if fmt == "jsonl":
        return write_jsonl(rows)
    raise ValueError(f"unknown export format {fmt!r}")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _days(incident: MergedIncident) -> list[date]:
    start, end = incident.date_start, incident.date_end or incident.date_start
    if start is None or end is None or (end - start).days >= MAX_SPLIT_DAYS:
        return []
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _split_places(
    locations: list[MergedLocation],
) -> tuple[list[MergedLocation], list[MergedLocation]]:
    """Named places (geo precision 1-2), and the region-level mentions that block a split.

    A region-level mention is set aside when no article that gives it names a place of
    its own here: it is that article's vaguer wording of the same event ("near the
    borders with Senegal and Mauritania" for seven named towns). Otherwise it is a place
    of its own that no row could stand for, and the incident is not split."""
    named = [p for p in locations if p.geo_precision <= 2]
    naming = {a for p in named for a in p.articles}
    uncovered = [p for p in locations if p.geo_precision == 3 and set(p.articles) & naming]
    return named, uncovered


def _main_place(places: list[MergedLocation]) -> MergedLocation | None:
    """The most precise place, then the one most sources name, then by name."""
    return min(places, key=lambda p: (p.geo_precision, -len(p.articles), p.name), default=None)


def _why_not_split(incident: MergedIncident, specific: bool, days: list[date]) -> str:
    if len(incident.locations) <= 1 and len(days) <= 1:
        return "a single event, nothing to split"
    if not days:
        return "not split, the dates are unknown or span over a month"
    if not specific:
        return "not split, some places are regions or descriptions, not named places"
    return "not split, several places over several days (which place on which day is unknown)"


def _fatalities(counts: list[MergedCount]) -> int:
    return sum(c.best or 0 for c in counts if c.category == "killed")


def _figures(counts: list[MergedCount]) -> str:
    parts = []
    for count in counts:
        reports = ", ".join(
            f"{r.surface} {r.victim_group} per {r.attributed_to} [{r.article_id}]"
            for r in count.reports
        )
        agreed = count.best if count.best is not None else "no number"
        parts.append(f"{count.category} ({count.side}): agreed {agreed}; reported {reports}")
    return "; ".join(parts) + "." if parts else "none reported."


def _actor_columns(actors: list[MergedActor]) -> Row:
    """actor1 is the first attacker (ACLED's order carries no role; ours is explicit)."""

    def rank(actor: MergedActor) -> tuple[int, int, str]:
        role = 0 if "attacker" in actor.roles else 1 if "target" in actor.roles else 2
        return role, actor.actor_type, actor.name

    ordered = sorted(actors, key=rank)
    first = ordered[0] if ordered else None
    others = [a for a in ordered[1:] if "target" in a.roles] or ordered[1:2]
    second = others[0] if others else None
    assoc = [a for a in ordered[1:] if a is not second]
    inter1, inter2 = (first.actor_type if first else ""), (second.actor_type if second else "")
    if first and second:
        interaction: Any = 10 * min(inter1, inter2) + max(inter1, inter2)  # type: ignore[type-var]
    else:
        interaction = 10 * inter1 if first else ""  # type: ignore[operator]
    return {
        "actor1": first.name if first else "",
        "assoc_actor_1": "; ".join(a.name for a in assoc if "attacker" in a.roles),
        "inter1": inter1,
        "actor2": second.name if second else "",
        "assoc_actor_2": "; ".join(a.name for a in assoc if "attacker" not in a.roles),
        "inter2": inter2,
        "interaction": interaction,
    }


def _place_columns(place: MergedLocation | None) -> Row:
    if place is None:
        return dict.fromkeys(
            ("country", "admin1", "location", "latitude", "longitude", "geo_precision"), ""
        )
    return {
        "country": place.country or "",
        "admin1": place.admin1 or "",
        "location": place.name,
        "latitude": place.latitude if place.latitude is not None else "",
        "longitude": place.longitude if place.longitude is not None else "",
        "geo_precision": place.geo_precision,
    }


def _civilian_targeting(incident: MergedIncident) -> bool:
    return incident.event_type == "Violence against civilians" or any(
        a.actor_type == 7 and "target" in a.roles for a in incident.actors
    )
