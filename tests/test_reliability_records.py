"""Bad records to verify, export or report: one line, exit 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_extract.core.incidents import MAX_FIGURE
from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS

SEED = SEEDS / "003_880e22595b6a996f.txt"


def _one_line_refusal(args: list[str]) -> str:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2, (done.exit_code, done.output)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("llm-extract: error: "), done.stderr
    assert "Traceback" not in done.output
    return lines[0]


def test_a_schema_invalid_record_to_verify_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"incidents": [{"summary": "x"}]}), encoding="utf-8")
    line = _one_line_refusal(["verify", str(bad), "--source", str(SEED)])
    assert "not a record of the extraction schema: incidents.0." in line
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"record": {"incidents": "none"}}), encoding="utf-8")
    assert "incidents: " in _one_line_refusal(["verify", str(wrapped), "--source", str(SEED)])


def _batch_line(tmp_path: Path) -> dict[str, object]:
    """One real result line, from the embedded-free pipeline on a seed."""
    from llm_extract.core.settings import Settings
    from llm_extract.extraction.extractor import Extractor
    from tests.doubles import CountingBackend

    result = Extractor(Settings(use_cache=False), backend=CountingBackend()).extract(
        SEED.read_text(encoding="utf-8")
    )
    return result.model_dump(mode="json")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("garbage", "'garbage' is not a path into a record"),
        ("incidents[7].locations[0].name", "points past the record's 1 incident(s)"),
        ("incidents[99999999999999999999].date", "is not a path into a record"),
    ],
)
def test_crafted_verdict_paths_are_refused_by_the_report_in_one_line(
    tmp_path: Path, path: str, says: str
) -> None:
    line = _batch_line(tmp_path)
    line["verification"]["verdicts"][0]["path"] = path  # type: ignore[index]
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    refused = _one_line_refusal(["report", str(results), "--out", str(tmp_path / "r.html")])
    assert says in refused
    assert not (tmp_path / "r.html").exists()


def test_an_absurd_count_is_never_exported_as_fatalities(tmp_path: Path) -> None:
    line = _batch_line(tmp_path)
    count = line["record"]["incidents"][0]["counts"][0]  # type: ignore[index]
    count.update(category="killed", low=None, best=2**70, high=None)
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "x.csv"
    done = CliRunner().invoke(main, ["export", str(results), "--out", str(out)])
    if done.exit_code == 2:  # the reader refuses integers that long outright
        assert "digits" in done.stderr and not out.exists()
    else:
        assert done.exit_code == 0, done.output
        assert str(2**70) not in out.read_text(encoding="utf-8")
    count.update(best=MAX_FIGURE + 1)
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["export", str(results), "--out", str(out)])
    assert done.exit_code == 0, done.output
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert str(MAX_FIGURE + 1) not in out.read_text(encoding="utf-8")
    assert len(rows) >= 2, "the incident is exported, without the misread figure"


def test_a_merged_file_with_an_absurd_figure_is_refused_in_one_line(tmp_path: Path) -> None:
    line = _batch_line(tmp_path)
    line["record"]["incidents"][0]["counts"][0].update(  # type: ignore[index]
        category="killed", low=None, best=40, high=None
    )
    results, merged = tmp_path / "results.jsonl", tmp_path / "merged.jsonl"
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["merge", str(results), "--out", str(merged), "--no-geocode"])
    assert done.exit_code == 0, done.output
    incident = json.loads(merged.read_text(encoding="utf-8").splitlines()[0])
    incident["counts"][0]["best"] = MAX_FIGURE * 10
    merged.write_text(json.dumps(incident) + "\n", encoding="utf-8")
    refused = _one_line_refusal(["export", str(merged), "--out", str(tmp_path / "x.csv")])
    assert "is not a reported toll" in refused
