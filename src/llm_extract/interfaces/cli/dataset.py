"""`llm-extract merge` and `export`: from per-article results to a dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import InputError
from llm_extract.core.incidents import Decision, MergedIncident
from llm_extract.interfaces import api
from llm_extract.interfaces.api import DEFAULT_TOLERANCE_DAYS, MIN_MATCH_FIGURE, MergeOutcome
from llm_extract.interfaces.cli.options import friendly_errors
from llm_extract.interfaces.cli.terminal import echo, printable

MERGE_HELP = f"""Merge incidents that several articles report into one event each.

INPUT is batch output (results.jsonl), gold lines, merged incidents, or a folder of
*.jsonl. Each merged incident keeps every source's figures with their claimant and
article, an agreed conservative figure (the lowest any source gives, ACLED's rule),
the spread, all evidence quotes, and the decisions that joined its sources.

\b
The rule, for two incidents from different articles:
  - dates both known and more than the tolerance apart  -> separate
  - same event type, a named actor in common, and
      most places shared (>= half of the smaller side's) and
        the dates overlap or a figure matches             -> merge
      or one side's places not comparable (unresolved
        regions, "near the border") and a figure matches  -> merge
  - else at least one place shared, named actors
    not contradicting                                     -> link (not merged)
  - else                                                  -> separate
Places compare by gazetteer id (Nioro = Nioro du Sahel) or alias-normalised name
(Sandaré = Sandere); "militants"-style actors are not evidence; a figure matches when
category and side agree and values >= {MIN_MATCH_FIGURE} are within 10 %. Two incidents
of one article are never merged (the extractor told them apart). The output does not
depend on input order, and merging it again changes nothing.

\b
Example:
  llm-extract batch seeds --out results.jsonl --geocode
  llm-extract merge results.jsonl --out incidents.jsonl --explain
"""


@click.command("merge", help=MERGE_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL of merged incidents (overwritten).",
)
@click.option(
    "--tolerance-days",
    type=click.IntRange(0, 365),
    default=DEFAULT_TOLERANCE_DAYS,
    show_default=True,
    help="Days by which two known dates may differ (on top of each date's "
    "precision: +3 days for a week, +15 for a month).",
)
@click.option(
    "--no-geocode", is_flag=True, help="Compare place names only; skips loading the gazetteer."
)
@click.option(
    "--gazetteer",
    "gazetteers",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Extra places in GeoNames' tab-separated format (repeatable).",
)
@click.option(
    "--explain", is_flag=True, help="Print every decision (merge, link, separate) with its reasons."
)
@friendly_errors
def merge_command(inputs: tuple[Path, ...], out: Path, explain: bool, **opts: Any) -> None:
    outcome = api.merge(
        inputs,
        geocode=not opts["no_geocode"],
        gazetteer_files=opts["gazetteers"],
        tolerance_days=opts["tolerance_days"],
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(i.model_dump_json() + "\n" for i in outcome.incidents), "utf-8")
    if explain:
        echo(explanation(outcome), err=True)
    sources = sum(len(i.sources) for i in outcome.incidents)
    articles = len({a for i in outcome.incidents for a in i.articles})
    several = sum(len(i.articles) > 1 for i in outcome.incidents)
    links = sum(len(i.links) for i in outcome.incidents) // 2
    click.echo(
        f"{sources} incidents from {articles} articles -> {len(outcome.incidents)} "
        f"events ({several} reported by several articles, {links} links); "
        f"wrote {printable(out)}",
        err=True,
    )


def explanation(outcome: MergeOutcome) -> str:
    """Each event with its sources, then every pair decision grouped by outcome."""
    owner = {s.key: i.id for i in outcome.incidents for s in i.sources}
    parts = []
    for incident in outcome.incidents:
        parts.append(
            f"{incident.id}: {incident.event_type}, {_when(incident)}, "
            f"{len(incident.sources)} source(s)"
        )
        parts.extend(f"  - {s.key}: {s.incident.summary}" for s in incident.sources)
    for outcome_kind in ("merge", "link", "separate"):
        chosen = [d for d in outcome.decisions if d.outcome == outcome_kind]
        if chosen:
            parts.append(f"\n{outcome_kind} decisions ({len(chosen)}):")
            parts.extend(_decision(d, owner) for d in chosen)
    return "\n".join(parts)


def _when(incident: MergedIncident) -> str:
    if incident.date_start is None:
        return "date unknown"
    if incident.date_start == incident.date_end:
        return incident.date_start.isoformat()
    return f"{incident.date_start.isoformat()}..{incident.date_end}"


def _decision(d: Decision, owner: dict[str, str]) -> str:
    note = ""
    if d.outcome == "merge" and owner[d.a] != owner[d.b]:
        note = " (refused: it would join two incidents of one article)"
    return f"  {d.a} + {d.b}{note}\n" + "".join(f"      {r}\n" for r in d.reasons).rstrip()


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["acled-csv", "csv", "jsonl", *api.DATASET_FORMATS]),
    default="acled-csv",
    show_default=True,
    help="See above.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write here instead of standard output (required for sqlite and parquet).",
)
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Batch output whose articles and verdicts the sqlite/parquet dataset includes "
    "(read from PATH itself when PATH is batch output).",
)
@friendly_errors
def export_command(path: Path, fmt: str, out: Path | None, results: Path | None) -> None:
    """Write merged incidents as a table.

    \b
    acled-csv  ACLED-like event rows: an aggregate is split into one row per place
               (same day) or per day (same place) when that split is well defined;
               its toll is divided evenly over the rows, remainder to the first, and
               the whole figure kept in aggregate_fatalities; `notes` states the rule.
    csv        one row per incident: agreed/low/high per casualty category, every
               source's figure with its claimant, articles, links.
    jsonl      the same rows as csv, as JSON lines.
    sqlite     a relational dataset in one SQLite database (tables below); exporting
               again updates it in place: an incident's rows are replaced by id,
               other incidents are kept.
    parquet    the same tables, one <table>.parquet file each in the --out folder.

    CSV files are UTF-8 with a byte-order mark and CRLF line ends, so spreadsheet tools
    open accents and quotes cleanly; cells starting with = + - @ are prefixed with '.

    PATH is `llm-extract merge` output; batch results are exported unmerged, one event
    per article incident. Example:

    \b
      llm-extract export incidents.jsonl --format acled-csv --out incidents.csv
    """
    if fmt in api.DATASET_FORMATS:
        if out is None:
            raise InputError(f"--format {fmt} writes a dataset: give --out")
        written = api.export_dataset(path, out, fmt, results=results)
        summary = ", ".join(f"{rows} {table}" for table, rows in written.items() if rows)
        click.echo(f"wrote {printable(out)} ({summary or 'no rows'})", err=True)
        return
    incidents, merged = api.load_incidents(path)
    if not merged:
        click.echo(
            "note: input is not merged; each article's incidents are exported as they "
            "are (run `llm-extract merge` first to combine reports)",
            err=True,
        )
    text = api.export(incidents, fmt)
    if out:
        out.write_text(text, encoding="utf-8", newline="")
        click.echo(f"wrote {printable(out)} ({len(incidents)} incidents)", err=True)
    else:
        click.echo(text, nl=False)


export_command.help = (export_command.help or "") + (
    "\n\n\b\nTables of the sqlite and parquet datasets:\n" + api.schema_text()
)
