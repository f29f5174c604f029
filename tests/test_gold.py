"""The gold records for the seeds: valid, grounded, and a fixed point of the evaluation."""

from __future__ import annotations

import json

from click.testing import CliRunner

from llm_extract import verify
from llm_extract.evaluation.records import evaluate
from llm_extract.interfaces.cli.main import main
from llm_extract.io.records import load_records
from tests.conftest import ROOT, SEEDS, seed_text

GOLD = ROOT / "tests" / "gold" / "gold.jsonl"


def test_gold_covers_every_seed_and_every_value_is_supported_by_its_article() -> None:
    gold = load_records(GOLD)
    assert set(gold) == {p.stem for p in SEEDS.glob("*.txt")}
    for article_id, record in gold.items():
        assert record.incidents, article_id
        report = verify(record, seed_text(f"{article_id}.txt"))
        assert report.summary.unsupported == 0, [v.reason for v in report.unsupported()]


def test_gold_against_itself_scores_one_and_the_cli_says_so() -> None:
    gold = load_records(GOLD)
    report = evaluate(gold, gold)
    assert report.overall.f1 == 1.0
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(GOLD), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["overall"]["f1"] == 1.0


def test_undated_incidents_pair_on_shared_actors() -> None:
    """Seed 003's gold has no calendar date and a descriptive place; a prediction that
    words the place differently is still the same incident."""
    gold = {"003": load_records(GOLD)["003_880e22595b6a996f"]}
    changed = gold["003"].model_copy(deep=True)
    changed.incidents[0].locations[0].name = "Senegal-Mauritania border"
    report = evaluate(gold, {"003": changed})
    assert (report.incidents.tp, report.incidents.fp, report.incidents.fn) == (1, 0, 0)
    assert report.groups["locations"].fn == 1 and report.groups["actors"].f1 == 1.0
