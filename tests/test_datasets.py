"""Datasets out: the SQLite database and the Parquet tables, read back with their own
readers, answer an analyst's question the same way the merged incidents do."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import llm_extract
from llm_extract.dataset.tables import TABLES
from llm_extract.interfaces.cli.main import main
from tests.conftest import ROOT
from tests.report_inputs import _extract

GOLD = ROOT / "tests" / "gold" / "gold.jsonl"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Batch results of the seeds (the gold records through the real verifier), and
    their merge with the gazetteer, as a user would have them on disk."""
    base = tmp_path_factory.mktemp("datasets")
    results = base / "results.jsonl"
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    outcomes = [
        _extract(line["record"], (ROOT / "seeds" / f"{line['id']}.txt").read_text(), line["id"])
        for line in lines
    ]
    results.write_text("".join(o.model_dump_json() + "\n" for o in outcomes), encoding="utf-8")
    merged = llm_extract.merge(results, geocode=True)
    incidents = base / "incidents.jsonl"
    incidents.write_text(
        "".join(i.model_dump_json() + "\n" for i in merged.incidents), encoding="utf-8"
    )
    return {"base": base, "results": results, "incidents": incidents, "merged": merged,
            "outcomes": outcomes}  # fmt: skip


def expected_by_region_month(merged: llm_extract.MergeOutcome) -> dict[tuple[Any, Any], int]:
    """The analyst's answer computed from the merged incidents themselves: agreed
    killed per first-place region and month."""
    totals: Counter[tuple[Any, Any]] = Counter()
    for i in merged.incidents:
        region = i.locations[0].admin1 if i.locations else None
        month = i.date_start.isoformat()[:7] if i.date_start else None
        totals[(region, month)] += sum(c.best or 0 for c in i.counts if c.category == "killed")
    return {key: value for key, value in totals.items() if value}


ANALYST_SQL = """
SELECT l.admin1 AS region, substr(i.date_start, 1, 7) AS month, SUM(c.best) AS killed
FROM incidents i
JOIN counts c ON c.incident_id = i.incident_id AND c.category = 'killed'
LEFT JOIN locations l ON l.incident_id = i.incident_id AND l.position = 0
GROUP BY region, month HAVING killed > 0
"""


def test_sqlite_dataset_answers_the_analysts_query(batch: dict[str, Any]) -> None:
    db = batch["base"] / "events.sqlite"
    done = CliRunner().invoke(
        main, ["export", str(batch["incidents"]), "--format", "sqlite", "--out", str(db),
               "--results", str(batch["results"])],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    with sqlite3.connect(db) as conn:
        rows = {(r, m): k for r, m, k in conn.execute(ANALYST_SQL)}
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master "
                                                   "WHERE type = 'table'")}  # fmt: skip
        n_incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_verdicts = conn.execute("SELECT count(*) FROM verdicts").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM counts WHERE incident_id NOT IN "
                               "(SELECT incident_id FROM incidents)").fetchone()[0]  # fmt: skip
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert tables == {t.name for t in TABLES}
    assert rows == expected_by_region_month(batch["merged"])
    assert any(region for region, _ in rows), "the gazetteer filled some regions"
    assert n_incidents == len(batch["merged"].incidents) == 7
    assert n_articles == 5
    assert n_verdicts == sum(len(o.verification.verdicts) for o in batch["outcomes"])
    assert orphans == 0


def test_re_exporting_updates_in_place_by_id(batch: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "events.sqlite"
    llm_extract.export_dataset(batch["incidents"], db, "sqlite")
    lines = batch["incidents"].read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["summary"] = "corrected summary"
    changed["locations"] = changed["locations"][:1]
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    written = llm_extract.export_dataset(edited, db, "sqlite")
    assert written["incidents"] == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 7
        summary = conn.execute(
            "SELECT summary FROM incidents WHERE incident_id = ?", (changed["id"],)
        ).fetchone()[0]
        places = conn.execute(
            "SELECT count(*) FROM locations WHERE incident_id = ?", (changed["id"],)
        ).fetchone()[0]
    assert (summary, places) == ("corrected summary", 1)


def test_parquet_tables_read_back_with_pyarrow(batch: dict[str, Any]) -> None:
    folder = batch["base"] / "parquet"
    written = llm_extract.export_dataset(batch["results"], folder, "parquet")
    assert {p.stem for p in folder.glob("*.parquet")} == {t.name for t in TABLES}
    assert written["articles"] == 5 and written["verdicts"] > 100
    incidents, counts = (
        pq.read_table(folder / "incidents.parquet"),
        pq.read_table(folder / "counts.parquet"),
    )
    assert incidents.schema.field("time_precision").type == "int64"
    killed = counts.filter(pc.equal(counts["category"], "killed"))
    summed = killed.group_by("incident_id").aggregate([("best", "sum")]).to_pydict()
    per_incident = dict(zip(summed["incident_id"], summed["best_sum"], strict=True))
    unmerged, _ = llm_extract.load_incidents(batch["results"])
    assert per_incident == {
        i.id: total
        for i in unmerged
        if (total := sum(c.best or 0 for c in i.counts if c.category == "killed"))
    }
    assert incidents.num_rows == len(unmerged)


def test_dataset_formats_need_a_destination(batch: dict[str, Any]) -> None:
    done = CliRunner().invoke(main, ["export", str(batch["incidents"]), "--format", "sqlite"])
    assert done.exit_code == 2
    assert "--format sqlite writes a dataset: give --out" in done.stderr
