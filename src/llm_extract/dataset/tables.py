"""The dataset as relational tables: what `export --format sqlite|parquet` writes.

One schema, one definition (TABLES), shared by both writers: column names, types and
keys. Incidents are merged incidents (one row per real event); the tables around them
hold each place, actor, agreed figure, source report, claim and source incident, and,
when batch results are given, each article and each verdict the verifier gave. Types
are SQLite's storage classes; Parquet gets the matching Arrow types.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from llm_extract.core.articles import ArticleSource
from llm_extract.core.incidents import MergedIncident
from llm_extract.core.results import ExtractionResult, Outcome

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, "TEXT" | "INTEGER" | "REAL")
    key: tuple[str, ...]
    owner: str  # the column whose value re-exporting replaces the table's rows by
    indexes: tuple[str, ...] = ()
    about: str = ""


def _t(*columns: str) -> tuple[tuple[str, str], ...]:
    return tuple((c.split(":")[0], c.split(":")[1] if ":" in c else "TEXT") for c in columns)


TABLES = (
    Table("incidents", _t("incident_id", "event_type", "sub_event_type", "date_start",
          "date_end", "time_precision:INTEGER", "is_aggregate:INTEGER", "summary",
          "n_articles:INTEGER", "linked"), ("incident_id",), "incident_id",
          ("event_type", "date_start"), "one real event (a merged incident)"),
    Table("locations", _t("incident_id", "position:INTEGER", "name", "spellings", "admin1",
          "country", "latitude:REAL", "longitude:REAL", "geonameid:INTEGER",
          "geo_precision:INTEGER", "resolved:INTEGER", "articles"),
          ("incident_id", "position"), "incident_id", ("country", "admin1"),
          "each place of an incident, geocoded where the gazetteer knew it"),
    Table("actors", _t("incident_id", "position:INTEGER", "name", "spellings",
          "actor_type:INTEGER", "roles", "articles"), ("incident_id", "position"),
          "incident_id", ("name",), "each party, with its ACLED inter code and roles"),
    Table("counts", _t("incident_id", "category", "side", "best:INTEGER", "low:INTEGER",
          "high:INTEGER", "agreed_from"), ("incident_id", "category", "side"), "incident_id",
          ("category",), "the agreed (most conservative) figure per category and side"),
    Table("count_reports", _t("incident_id", "category", "side", "position:INTEGER",
          "article_id", "surface", "qualifier", "low:INTEGER", "best:INTEGER", "high:INTEGER",
          "attributed_to", "victim_group", "provisional:INTEGER", "quote"),
          ("incident_id", "category", "side", "position"), "incident_id", ("article_id",),
          "every source's own figure behind an agreed one"),
    Table("claims", _t("incident_id", "position:INTEGER", "article_id", "claimant",
          "statement", "quote"), ("incident_id", "position"), "incident_id", (),
          "claims of responsibility and other attributed statements"),
    Table("sources", _t("incident_id", "article_id", "source_index:INTEGER", "summary"),
          ("incident_id", "article_id", "source_index"), "incident_id", ("article_id",),
          "which article incidents a merged incident was built from"),
    Table("articles", _t("article_id", "status", "article_sha256", "article_chars:INTEGER",
          "backend", "model", "mode", "prompt_id", "prompt_version", "created_at",
          "incidents:INTEGER", "supported:INTEGER", "unsupported:INTEGER",
          "unverifiable:INTEGER", "injection_suspected:INTEGER", "error_type", "error",
          "url", "outlet", "title", "published"), ("article_id",), "article_id", ("status",),
          "each article of the batch results, with where it came from when known"),
    Table("verdicts", _t("article_id", "position:INTEGER", "path", "kind", "value", "verdict",
          "reason", "span_start:INTEGER", "span_end:INTEGER"), ("article_id", "position"),
          "article_id", ("verdict", "kind"), "what the verifier said of each value"),
)  # fmt: skip
BY_NAME = {table.name: table for table in TABLES}


def _json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def incident_tables(incidents: Iterable[MergedIncident]) -> dict[str, list[Row]]:
    """Rows of every incident-owned table."""
    rows: dict[str, list[Row]] = {t.name: [] for t in TABLES if t.owner == "incident_id"}
    for i in incidents:
        key = {"incident_id": i.id}
        rows["incidents"].append(
            {
                **key,
                "event_type": i.event_type,
                "sub_event_type": i.sub_event_type,
                "date_start": i.date_start.isoformat() if i.date_start else None,
                "date_end": i.date_end.isoformat() if i.date_end else None,
                "time_precision": i.time_precision,
                "is_aggregate": int(i.is_aggregate),
                "summary": i.summary,
                "n_articles": len(i.articles),
                "linked": _json(link.incident_id for link in i.links),
            }
        )
        for n, p in enumerate(i.locations):
            rows["locations"].append(
                {
                    **key,
                    "position": n,
                    "name": p.name,
                    "spellings": _json(p.spellings),
                    "admin1": p.admin1,
                    "country": p.country,
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "geonameid": p.geonameid,
                    "geo_precision": p.geo_precision,
                    "resolved": int(p.resolved),
                    "articles": _json(p.articles),
                }
            )
        for n, a in enumerate(i.actors):
            rows["actors"].append(
                {
                    **key,
                    "position": n,
                    "name": a.name,
                    "spellings": _json(a.spellings),
                    "actor_type": a.actor_type,
                    "roles": _json(a.roles),
                    "articles": _json(a.articles),
                }
            )
        for c in i.counts:
            which = {**key, "category": c.category.value, "side": c.side}
            rows["counts"].append(
                {
                    **which,
                    "best": c.best,
                    "low": c.low,
                    "high": c.high,
                    "agreed_from": _json(c.agreed_from),
                }
            )
            for n, r in enumerate(c.reports):
                rows["count_reports"].append(
                    {
                        **which,
                        "position": n,
                        "article_id": r.article_id,
                        "surface": r.surface,
                        "qualifier": r.qualifier.value,
                        "low": r.low,
                        "best": r.best,
                        "high": r.high,
                        "attributed_to": r.attributed_to,
                        "victim_group": r.victim_group,
                        "provisional": int(r.provisional),
                        "quote": r.quote,
                    }
                )
        for n, claim in enumerate(i.claims):
            rows["claims"].append(
                {
                    **key,
                    "position": n,
                    "article_id": claim.article_id,
                    "claimant": claim.claimant,
                    "statement": claim.statement,
                    "quote": claim.quote,
                }
            )
        for s in i.sources:
            rows["sources"].append(
                {
                    **key,
                    "article_id": s.article_id,
                    "source_index": s.index,
                    "summary": s.incident.summary,
                }
            )
    return rows


def article_tables(outcomes: Iterable[Outcome]) -> dict[str, list[Row]]:
    """Rows of the article-owned tables, from batch results (errors included)."""
    rows: dict[str, list[Row]] = {"articles": [], "verdicts": []}
    for o in outcomes:
        if not isinstance(o, ExtractionResult):
            rows["articles"].append(
                {
                    "article_id": o.id,
                    "status": "error",
                    "error_type": o.error_type,
                    "error": o.message,
                }
            )
            continue
        p, report = o.provenance, o.verification
        rows["articles"].append(
            {
                **_source_columns(p.source),
                "article_id": o.id,
                "status": "ok",
                "article_sha256": p.article_sha256,
                "article_chars": p.article_chars,
                "backend": p.backend,
                "model": p.model,
                "mode": p.mode,
                "prompt_id": p.prompt_id,
                "prompt_version": p.prompt_version,
                "created_at": p.created_at,
                "incidents": len(o.record.incidents),
                "supported": report.summary.supported,
                "unsupported": report.summary.unsupported,
                "unverifiable": report.summary.unverifiable,
                "injection_suspected": int(report.injection_suspected),
            }
        )
        for n, v in enumerate(report.verdicts):
            rows["verdicts"].append(
                {
                    "article_id": o.id,
                    "position": n,
                    "path": v.path,
                    "kind": v.kind,
                    "value": v.value,
                    "verdict": v.verdict,
                    "reason": v.reason,
                    "span_start": v.span.start if v.span else None,
                    "span_end": v.span.end if v.span else None,
                }
            )
    return rows


def _source_columns(source: ArticleSource | None) -> Row:
    if source is None:
        return {}
    published = source.published.isoformat() if source.published else None
    return {"url": source.url, "outlet": source.outlet, "title": source.title,
            "published": published}  # fmt: skip


def schema_text(width: int = 78) -> str:
    """The tables, their keys and columns, as the README and --help show them."""
    lines = []
    for t in TABLES:
        lines.append(f"{t.name} (key {', '.join(t.key)}): {t.about}")
        cols = ", ".join(f"{name} {kind.lower()}" for name, kind in t.columns)
        lines += textwrap.wrap(cols, width, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)
