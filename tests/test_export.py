"""Export: ACLED-like rows with a stated split rule, flat rows, and CSV that spreadsheets
read back exactly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import llm_extract
from llm_extract.core.incidents import MergedIncident
from llm_extract.dataset.export import ACLED_COLUMNS, INCIDENT_COLUMNS, acled_rows
from llm_extract.interfaces.cli.main import main

GOLD = Path(__file__).parent / "gold" / "gold.jsonl"


@pytest.fixture(scope="module")
def incidents() -> list[MergedIncident]:
    return llm_extract.merge(GOLD).incidents


def _july(incidents: list[MergedIncident]) -> MergedIncident:
    return next(i for i in incidents if len(i.articles) == 4)


def _read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "a BOM, so spreadsheet tools detect UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_aggregate_on_one_day_splits_into_one_row_per_town(incidents):
    rows = acled_rows(_july(incidents))
    assert [r["location"] for r in rows] == ["Diboli", "Gogoui", "Kayes", "Molodo", "Niono",
                                             "Nioro du Sahel", "Sandaré"]  # fmt: skip
    assert {r["event_date"] for r in rows} == {"2025-07-01"}
    assert [r["fatalities"] for r in rows] == [12, 12, 12, 11, 11, 11, 11]
    assert {r["aggregate_fatalities"] for r in rows} == {80}
    first = rows[0]
    assert "Split rule: one row per place, same day." in first["notes"]
    assert "divided evenly over 7 rows" in first["notes"]
    assert "Also described as: borders with Senegal and Mauritania." in first["notes"]
    assert (first["actor1"], first["inter1"], first["actor2"], first["inter2"]) == (
        "JNIM", 2, "FAMa", 1)  # fmt: skip
    assert first["interaction"] == 12 and first["disorder_type"] == "Political violence"
    kayes = rows[2]
    assert (kayes["admin1"], kayes["geo_precision"]) == ("Kayes", 1)
    assert round(kayes["latitude"], 2) == 14.45
    assert len({r["event_id_cnty"] for r in rows}) == 7


def test_undated_or_regional_incidents_are_one_row_saying_why(incidents):
    by_source = {s.key: i for i in incidents for s in i.sources}
    [regions] = acled_rows(by_source["000_16f55f85dcef49e5#0"])
    assert regions["event_date"] == "" and regions["time_precision"] == 3
    assert "not split, the dates are unknown" in regions["notes"]
    assert "Places: Kidal; Menaka; Segou; Timbuktu." in regions["notes"]
    [single] = acled_rows(by_source["001_42dbdfaf130e5adc#1"])
    assert single["fatalities"] == 30 and "a single event" in single["notes"]


def test_acled_csv_round_trips_through_a_csv_reader(incidents, tmp_path):
    out = tmp_path / "events.csv"
    merged = tmp_path / "incidents.jsonl"
    merged.write_text("".join(i.model_dump_json() + "\n" for i in incidents), "utf-8")
    result = CliRunner().invoke(main, ["export", str(merged), "--out", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = _read_csv(raw.decode("utf-8"))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    assert len(rows) == 13  # 7 July-1 towns + 6 other incidents, one row each
    assert sum(int(r["fatalities"]) for r in rows) == 80 + 30 + 10
    assert any("Places: Boulkessi; Ménaka;" in r["notes"] for r in rows)  # accents intact


def test_text_cells_survive_quotes_newlines_and_formula_starts(incidents):
    hostile = _july(incidents).model_copy(
        update={"summary": '=HYPERLINK("x"), "quoted",\nsecond line; Ségou'}
    )
    [row] = _read_csv(llm_extract.export([hostile], "csv"))
    assert row["summary"] == "'" + hostile.summary  # read back exactly, formula neutralised
    assert row["killed_best"] == "80" and row["n_articles"] == "4"


def test_flat_rows_as_csv_and_jsonl_agree(incidents):
    rows = _read_csv(llm_extract.export(incidents, "csv"))
    lines = [json.loads(line) for line in llm_extract.export(incidents, "jsonl").splitlines()]
    assert list(rows[0]) == list(INCIDENT_COLUMNS) == list(lines[0])
    assert len(rows) == len(lines) == len(incidents) == 7
    july = next(line for line in lines if line["n_articles"] == 4)
    assert (july["killed_best"], july["killed_low"], july["killed_high"]) == (80, 80, 80)
    assert july["injured_best"] is None  # "several soldiers": reported, but no number
    assert "at least 80 jihadist fighters per Malian army" in july["figures"]


def test_unmerged_results_export_with_a_note(tmp_path):
    result = CliRunner().invoke(main, ["export", str(GOLD), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "input is not merged" in result.stderr
    assert len(result.stdout.splitlines()) == 10  # one row per gold incident
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", "utf-8")
    result = CliRunner().invoke(main, ["export", str(empty), "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.startswith("\ufeffincident_id,")
