"""Corpus rows through the batch engine and the CLI: each row's date resolves its
relative dates as --published does, each result carries its own row's source (never
another row's, through the cache or de-duplication), rows without text are error
lines, a rerun skips what is done, and what cannot be read is one line, exit 2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from llm_extract.batch.drivers import run_batch
from llm_extract.batch.items import BatchItem, BatchOptions
from llm_extract.core.articles import ArticleSource
from llm_extract.core.results import ExtractionResult, ItemError, Outcome
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from tests.test_corpus_inputs import (
    SUNDAY_TEXT,
    extractor_for,
    write_csv,
    write_jsonl,
    write_parquet,
)

OPTIONS = BatchOptions(concurrency=4, workers=0)
PUBLISHED = date(2025, 7, 2)  # a Wednesday: "on Sunday" is 29 June


def run(
    extractor: Any, paths: list[Path], out: Path | None = None, **kw: Any
) -> dict[str, Outcome]:
    items = api.batch_items(paths, notify=lambda _: None, **kw)
    return {o.id: o for o in run_batch(extractor, items, out=out, options=OPTIONS)}


def date_verdict(outcome: Outcome) -> tuple[str, str]:
    assert isinstance(outcome, ExtractionResult), outcome
    [verdict] = [v for v in outcome.verification.verdicts if v.kind == "date"]
    return verdict.verdict, verdict.reason


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- dates ----------------------------------------------------------------------------------


def test_a_rows_date_resolves_relative_dates_as_published_does(tmp_path: Path) -> None:
    corpus = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": "dated", "text": SUNDAY_TEXT, "published": "2025-07-02"},
            {"id": "undated", "text": SUNDAY_TEXT + " Nobody said when."},
            {"id": "bad", "text": SUNDAY_TEXT + " Bad date.", "published": "soon"},
        ],
    )
    (tmp_path / "one.txt").write_text(SUNDAY_TEXT, encoding="utf-8")
    extractor, _ = extractor_for(tmp_path, cache=False)
    rows = run(extractor, [corpus])
    [as_published] = run(extractor, [tmp_path / "one.txt"], published=PUBLISHED).values()
    assert (
        date_verdict(rows["dated"])
        == date_verdict(as_published)
        == ("supported", "the article says 'Sunday'")
    )
    assert date_verdict(rows["undated"])[0] == "unverifiable"
    assert date_verdict(rows["bad"])[0] == "unverifiable", "a bad date is absent"
    assert isinstance(rows["dated"], ExtractionResult) and isinstance(
        as_published, ExtractionResult
    )
    assert rows["dated"].verification == as_published.verification


def test_one_text_in_rows_of_different_dates_is_verified_against_each(tmp_path: Path) -> None:
    corpus = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": "dated", "text": SUNDAY_TEXT, "date": "2025-07-02"},
            {"id": "undated", "text": SUNDAY_TEXT},
        ],
    )
    for cache in (False, True):
        extractor, _ = extractor_for(tmp_path / str(cache), cache=cache)
        rows = run(extractor, [corpus])
        assert date_verdict(rows["dated"])[0] == "supported", cache
        assert date_verdict(rows["undated"])[0] == "unverifiable", cache


def test_the_batch_published_date_applies_to_rows_without_one(tmp_path: Path) -> None:
    corpus = write_csv(tmp_path / "c.csv", [{"id": "a", "text": SUNDAY_TEXT, "date": ""}])
    extractor, _ = extractor_for(tmp_path, cache=False)
    rows = run(extractor, [corpus], published=PUBLISHED)
    assert date_verdict(rows["a"])[0] == "supported"
    assert isinstance(rows["a"], ExtractionResult) and rows["a"].provenance.source is None


# --- sources ----------------------------------------------------------------------------------


ROWS = [
    {
        "id": "r1",
        "text": SUNDAY_TEXT,
        "url": "https://one.example/a",
        "source": "One Daily",
        "title": "Twelve killed near Gao",
        "date": "2025-07-02",
    },
    {
        "id": "r2",
        "text": SUNDAY_TEXT,
        "url": "https://two.example/b",
        "source": "Two Times",
        "title": "Gao attack",
        "date": "2025-07-02",
    },
]


def sources(outcomes: dict[str, Outcome]) -> dict[str, ArticleSource | None]:
    return {
        key: o.provenance.source for key, o in outcomes.items() if isinstance(o, ExtractionResult)
    }


EXPECTED = {
    "r1": ArticleSource(
        url="https://one.example/a",
        outlet="One Daily",
        title="Twelve killed near Gao",
        published=date(2025, 7, 2),
    ),
    "r2": ArticleSource(
        url="https://two.example/b",
        outlet="Two Times",
        title="Gao attack",
        published=date(2025, 7, 2),
    ),
}


def test_each_result_carries_its_rows_source_in_provenance_and_output(tmp_path: Path) -> None:
    corpus = write_parquet(tmp_path / "c.parquet", ROWS)
    extractor, backend = extractor_for(tmp_path, cache=False)
    out = tmp_path / "out.jsonl"
    assert sources(run(extractor, [corpus], out=out)) == EXPECTED
    assert len(backend.calls) == 1, "one text, sent once"
    written = {line["id"]: line["provenance"]["source"] for line in lines(out)}
    assert written["r2"] == {
        "url": "https://two.example/b",
        "outlet": "Two Times",
        "title": "Gao attack",
        "published": "2025-07-02",
    }


def test_identical_texts_never_share_a_source_through_the_cache(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", ROWS)
    extractor, backend = extractor_for(tmp_path, cache=True)
    first = run(extractor, [corpus])  # r2 joins r1's request, or hits what r1 cached
    again = run(extractor, [corpus])  # both from the cache
    single = run(extractor, [write_jsonl(tmp_path / "two.jsonl", ROWS[1:])])
    assert sources(first) == sources(again) == EXPECTED
    assert sources(single) == {"r2": EXPECTED["r2"]}
    assert all(isinstance(o, ExtractionResult) and o.cached for o in again.values())
    assert len(backend.calls) == 1
    assert extractor.cache is not None
    entries = [extractor.cache.get(key) or "" for key in list(extractor.cache._store)]
    assert len(entries) == 2, "the model's answer and the verified result"
    assert not [e for e in entries if "one.example" in e or "Two Times" in e], "no row's source"


def test_a_repeat_answered_from_memory_gets_its_own_source(tmp_path: Path) -> None:
    """Without a cache a repeat further down is answered from the batch's memory of
    recent results; it must carry its own row's source, not the first's."""
    filler = [{"id": f"f{n}", "text": f"{SUNDAY_TEXT} Filler {n}."} for n in range(12)]
    corpus = write_jsonl(tmp_path / "c.jsonl", [ROWS[0], *filler, ROWS[1]])
    extractor, backend = extractor_for(tmp_path, cache=False)
    items = api.batch_items([corpus], notify=lambda _: None)
    one = BatchOptions(concurrency=1, workers=0)
    outcomes = {o.id: o for o in run_batch(extractor, items, options=one)}
    assert sources(outcomes)["r1"] == EXPECTED["r1"] and sources(outcomes)["r2"] == EXPECTED["r2"]
    assert len(backend.calls) == 13


def test_an_item_given_in_python_keeps_its_source(tmp_path: Path) -> None:
    extractor, _ = extractor_for(tmp_path, cache=True)
    items = [
        BatchItem(id="x", text=SUNDAY_TEXT, source=EXPECTED["r1"]),
        BatchItem(id="y", text=SUNDAY_TEXT),
    ]
    outcomes = {o.id: o for o in run_batch(extractor, items, options=OPTIONS)}
    assert sources(outcomes) == {"x": EXPECTED["r1"], "y": None}


# --- errors and resume ---------------------------------------------------------------------


def test_rows_without_text_are_error_lines_and_the_rest_goes_on(tmp_path: Path) -> None:
    corpus = write_csv(
        tmp_path / "c.csv",
        [
            {"id": "a", "text": SUNDAY_TEXT},
            {"id": "b", "text": ""},
            {"id": "", "text": "Rebels killed 5 near Kidal."},
        ],
    )
    extractor, backend = extractor_for(tmp_path, cache=False)
    out = tmp_path / "out.jsonl"
    outcomes = run(extractor, [corpus], out=out)
    assert isinstance(outcomes["b"], ItemError)
    assert outcomes["b"].error_type == "InputError"
    assert outcomes["b"].message == f"{corpus} row 2 has no text: the text field is empty"
    assert [o.status for o in outcomes.values()].count("ok") == 2 and "c:3" in outcomes
    assert sorted(line["id"] for line in lines(out)) == ["a", "b", "c:3"]
    assert len(backend.calls) == 2


def test_a_rerun_skips_the_ids_done_and_does_only_new_rows(tmp_path: Path) -> None:
    rows = [{"id": f"r{n}", "text": f"{SUNDAY_TEXT} Report {n}."} for n in range(5)]
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out.jsonl"
    extractor, backend = extractor_for(tmp_path, cache=False)
    assert len(run(extractor, [corpus], out=out)) == 5
    assert run(extractor, [corpus], out=out) == {}
    rows.append({"id": "r5", "text": f"{SUNDAY_TEXT} Report 5."})
    write_jsonl(corpus, rows)
    assert list(run(extractor, [corpus], out=out)) == ["r5"]
    assert len(backend.calls) == 6
    assert sorted(line["id"] for line in lines(out)) == [f"r{n}" for n in range(6)]


# --- the command line --------------------------------------------------------------------------


def cli(args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Result:
    extractor, _ = extractor_for(tmp_path, cache=False)
    monkeypatch.setattr(api, "get_extractor", lambda *a, **k: extractor)
    return CliRunner().invoke(main, ["batch", *args, "--quiet", "--workers", "0"])


def test_cli_batch_of_a_corpus_says_its_fields_once_and_writes_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        {
            "ID": "a",
            "Content": SUNDAY_TEXT,
            "Pub_Date": "2025-07-02",
            "Link": "https://x.example/1",
        },
        {"ID": "b", "Content": SUNDAY_TEXT + " More.", "Pub_Date": "not a date"},
        {"ID": "c", "Content": ""},
    ]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", rows)
    out = tmp_path / "results.jsonl"
    result = cli([str(corpus), "--out", str(out)], monkeypatch, tmp_path)
    assert result.exit_code == 1, result.output  # one row failed
    stderr = result.stderr.splitlines()
    assert stderr[0] == (
        f'llm-extract: {corpus}: 3 rows; fields: text "Content" (detected), id "ID" (detected), '
        'date "Pub_Date" (detected), url "Link" (detected); none for title, outlet'
    )
    assert sum("fields:" in line for line in stderr) == 1
    assert any("row 2: 'not a date' in \"Pub_Date\" is not a date" in line for line in stderr)
    assert any(line.startswith("c: failed: ") and "row 3 has no text" in line for line in stderr)
    assert stderr[-1].startswith("2 done, 1 failed")
    written = {line["id"]: line for line in lines(out)}
    assert sorted(written) == ["a", "b", "c"]
    assert written["a"]["provenance"]["source"]["url"] == "https://x.example/1"


def test_cli_field_options_name_the_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        {
            "key": "k1",
            "story": SUNDAY_TEXT,
            "text": "not this one",
            "day": "2025-07-02",
            "paper": "The Paper",
            "addr": "https://p.example/1",
            "head": "Twelve",
        }
    ]
    corpus = write_csv(tmp_path / "corpus.csv", rows)
    out = tmp_path / "results.jsonl"
    args = [
        str(corpus),
        "--out",
        str(out),
        "--text-field",
        "STORY",
        "--id-field",
        "key",
        "--date-field",
        "day",
        "--url-field",
        "addr",
        "--title-field",
        "head",
        "--outlet-field",
        "paper",
    ]
    result = cli(args, monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    [line] = lines(out)
    assert line["id"] == "k1"
    assert line["provenance"]["source"] == {
        "url": "https://p.example/1",
        "outlet": "The Paper",
        "title": "Twelve",
        "published": "2025-07-02",
    }
    assert {v["kind"]: v["verdict"] for v in line["verification"]["verdicts"]}[
        "date"
    ] == "supported"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda d: write_csv(d / "c.csv", [{"id": "1", "summary": "s"}]),
            'no text field (text, content, body, article); its columns: "id", "summary"',
        ),
        (
            lambda d: (d / "c.parquet").write_bytes(b"not parquet") and d / "c.parquet",
            "c.parquet is not a readable Parquet file: ",
        ),
        (
            lambda d: write_jsonl(
                d / "c.jsonl", [{"id": "x", "text": "a b"}, {"id": "x", "text": "c d"}]
            ),
            "c.jsonl row 2 repeats the id 'x' of row 1; ids must be unique",
        ),
        (
            lambda d: write_jsonl(d / "c.jsonl", [{"body": "a b"}]),
            'no column "story" (--text-field)',
        ),
    ],
)
def test_cli_refuses_an_unusable_corpus_in_one_line_before_any_call(
    make: Any, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make(tmp_path)
    out = tmp_path / "results.jsonl"
    extra = ["--text-field", "story"] if "story" in expected else []
    result = cli([str(corpus), "--out", str(out), *extra], monkeypatch, tmp_path)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("llm-extract: error: ") and expected in line, line
    assert not out.exists() or out.read_text() == ""


def test_cli_parquet_without_pyarrow_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_parquet(tmp_path / "c.parquet", [{"text": SUNDAY_TEXT}])
    monkeypatch.setitem(__import__("sys").modules, "pyarrow.parquet", None)
    result = cli([str(corpus), "--out", str(tmp_path / "o.jsonl")], monkeypatch, tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "llm-extract: error: reading a Parquet corpus needs pyarrow: "
        "pip install 'llm-extract[parquet]'"
    )


def test_cli_help_lists_the_field_options_with_their_usual_names() -> None:
    text = " ".join(CliRunner().invoke(main, ["batch", "--help"]).output.split())
    assert "--text-field NAME Corpus column holding the article text (default: text, " in text
    assert "--outlet-field NAME" in text and "source, outlet, publisher, site" in text
