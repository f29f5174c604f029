"""Batch: bounded concurrency, one outcome per item, JSONL written as items finish."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from llm_extract.batch.drivers import run_batch
from llm_extract.batch.items import BatchItem
from llm_extract.core.results import ExtractionResult, ItemError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS
from tests.doubles import CountingBackend


def test_bad_items_fail_alone_and_every_item_gets_one_line(tmp_path: Path) -> None:
    backend = CountingBackend(delay_s=0.05, fail_on="Sahel Alliance")  # seed 000's headline
    extractor = Extractor(Settings(use_cache=False), backend=backend)
    items = [BatchItem(id=p.stem, path=p) for p in sorted(SEEDS.glob("*.txt"))]
    items += [
        BatchItem(id="missing", path=tmp_path / "missing.txt"),
        BatchItem(id="blank", text="   "),
    ]
    out = tmp_path / "results.jsonl"
    outcomes = list(run_batch(extractor, items, concurrency=3, out=out))

    assert len(outcomes) == len(items) == 7
    errors = {o.id: o for o in outcomes if isinstance(o, ItemError)}
    assert set(errors) == {"000_16f55f85dcef49e5", "missing", "blank"}
    assert errors["missing"].error_type == "InputError"
    assert "HTTP 503" in errors["000_16f55f85dcef49e5"].message
    assert len(backend.calls) == 5, "input errors never reach the model"
    assert 1 < backend.peak_active <= 3

    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(item.id for item in items)
    for line in lines:
        model = ExtractionResult if line["status"] == "ok" else ItemError
        model.model_validate(line)


def test_outcomes_stream_in_completion_order(tmp_path: Path) -> None:
    backend = CountingBackend(delay_s=0.02)
    extractor = Extractor(Settings(use_cache=False), backend=backend)
    items = [("slow-first", "x " * 50), ("b", "y " * 10), ("c", "z " * 10)]
    seen = [o.id for o in run_batch(extractor, items, concurrency=1)]
    assert seen == ["slow-first", "b", "c"]  # concurrency 1 keeps input order


def test_cli_batch_writes_jsonl_and_reports_failures(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main,
        ["batch", str(empty), "--out", str(out), "--base-url", "http://127.0.0.1:9/v1"],
    )
    assert result.exit_code == 1
    assert "0 done, 1 failed" in result.stderr
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["status"] == "error"


def test_the_collector_is_tuned_only_around_a_driven_batch(tmp_path: Path) -> None:
    import gc

    from llm_extract.batch.drivers import GC_YOUNG_THRESHOLD, collector_tuned

    before = gc.get_threshold()
    with collector_tuned():
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0

    extractor = Extractor(Settings(use_cache=False), backend=CountingBackend())
    outcomes = list(run_batch(extractor, [("a", "Gunmen killed 3 people in Gao.")]))
    assert [o.id for o in outcomes] == ["a"]
    assert gc.get_threshold() == before, "the sync driver restores what it tuned"
    assert gc.get_freeze_count() == 0
