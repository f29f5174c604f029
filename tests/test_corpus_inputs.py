"""Corpus files as batch input, read: JSONL, CSV and Parquet rows, their columns found
by the usual names or named, streamed without the file in memory, ids unique with both
rows named on a repeat, and one line for everything that cannot be read.

The helpers at the top are shared by test_corpus_inputs_batch.py and
test_corpus_inputs_export.py."""

from __future__ import annotations

import csv
import json
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.batch.inputs import ItemStream
from llm_extract.core.errors import ConfigError, InputError
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces import api
from llm_extract.io import corpus_formats
from llm_extract.io.corpus import parse_published

# --- shared helpers -------------------------------------------------------------------

SUNDAY_TEXT = "Gunmen killed 12 civilians near Gao on Sunday, officials said. Residents fled."


def sunday_record() -> dict[str, Any]:
    """A record every value of which the text supports, its date resolved from
    "on Sunday" as of a publication on Wednesday 2 July 2025."""
    return {
        "incidents": [
            {
                "summary": "Gunmen killed 12 civilians near Gao",
                "classification": {
                    "event_type": "Violence against civilians",
                    "sub_event_type": "Attack",
                },
                "classification_quote": "Gunmen killed 12 civilians near Gao",
                "date": {
                    "text": "on Sunday",
                    "start": "2025-06-29",
                    "end": "2025-06-29",
                    "precision": 1,
                    "quote": "near Gao on Sunday",
                },
                "locations": [
                    {
                        "name": "Gao",
                        "admin1": None,
                        "country": "Mali",
                        "precision": 1,
                        "quote": "Gunmen killed 12 civilians near Gao",
                    }
                ],
                "is_aggregate": False,
                "actors": [
                    {
                        "name": "Gunmen",
                        "actor_type": 3,
                        "role": "attacker",
                        "quote": "Gunmen killed 12 civilians",
                    }
                ],
                "counts": [
                    {
                        "category": "killed",
                        "side": "civilians",
                        "victim_group": "civilians",
                        "surface": "12",
                        "qualifier": "exact",
                        "low": 12,
                        "best": 12,
                        "high": 12,
                        "attributed_to": "officials",
                        "provisional": False,
                        "quote": "Gunmen killed 12 civilians near Gao on Sunday, officials said.",
                    }
                ],
                "claims": [],
            }
        ]
    }


class RecordBackend:
    """Answers every request with one record and counts the requests."""

    name, endpoint_kind, mode, prefers_compact_schema = "record", "test-double", "tool_call", False
    answers_questions, default_strategy = False, "whole"

    def __init__(self, record: dict[str, Any] | None = None) -> None:
        self.model = "record-double"
        self.record = ArticleExtraction.model_validate(record or sunday_record())
        self.calls: list[ModelRequest] = []

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest) -> ModelReply:
        self.calls.append(request)
        return ModelReply(value=self.record, usage=Usage(total_tokens=10, requests=1))

    async def acomplete(self, request: ModelRequest) -> ModelReply:
        return self.complete(request)


def extractor_for(tmp_path: Path, *, cache: bool = True) -> tuple[Extractor, RecordBackend]:
    backend = RecordBackend()
    settings = Settings(use_cache=cache, cache_dir=tmp_path / "cache")
    return Extractor(settings, backend=backend), backend  # type: ignore[arg-type]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",") -> Path:
    header = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def items_of(paths: list[Path], **options: Any) -> tuple[list[Any], list[str]]:
    """The items of a batch and the lines it said."""
    said: list[str] = []
    stream = api.batch_items(paths, notify=said.append, **options)
    return list(stream), said


USUAL = {
    "Article_ID": "r1",
    "BODY": SUNDAY_TEXT,
    "Published_At": "2025-07-02T08:30:00+02:00",
    "Link": "https://news.example/a1",
    "Headline": "Twelve killed",
    "Publisher": "Sahel Daily",
}


# --- detection and explicit fields --------------------------------------------------------


@pytest.mark.parametrize("writer", [write_jsonl, write_csv, write_parquet])
def test_usual_column_names_are_found_in_any_case_and_said_once(
    writer: Any, tmp_path: Path
) -> None:
    suffix = {write_jsonl: "jsonl", write_csv: "csv", write_parquet: "parquet"}[writer]
    path = writer(tmp_path / f"news.{suffix}", [USUAL, {**USUAL, "Article_ID": "r2"}])
    items, said = items_of([path])
    assert [i.id for i in items] == ["r1", "r2"]
    first = items[0]
    assert first.text == SUNDAY_TEXT and first.path is None and first.error is None
    assert first.published == date(2025, 7, 2), "the row's own calendar day, not UTC's"
    assert first.source is not None
    assert (first.source.url, first.source.title, first.source.outlet) == (
        "https://news.example/a1",
        "Twelve killed",
        "Sahel Daily",
    )
    assert first.source.published == date(2025, 7, 2)
    assert said == [
        f'{path}: 2 rows; fields: text "BODY" (detected), id "Article_ID" (detected), '
        'date "Published_At" (detected), url "Link" (detected), title "Headline" (detected), '
        'outlet "Publisher" (detected)'
    ]


def test_the_first_usual_name_wins_and_missing_roles_are_said(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl", [{"article": "ignored words here", "text": SUNDAY_TEXT}]
    )
    items, said = items_of([path])
    assert items[0].text == SUNDAY_TEXT and items[0].source is None
    assert said == [
        f'{path}: 1 rows; fields: text "text" (detected); none for id, date, url, title, outlet'
    ]


def test_named_fields_override_detection_in_any_case(tmp_path: Path) -> None:
    rows = [
        {
            "text": "a teaser, not the article",
            "Story": SUNDAY_TEXT,
            "ref": 7,
            "id": "not-this",
            "when": "2025-07-02",
            "site": "Wrong",
            "Paper": "Right",
        }
    ]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    fields = api.CorpusFields(text="story", id="REF", date="when", outlet="paper")
    items, said = items_of([path], fields=fields)
    assert (items[0].id, items[0].text, items[0].published) == ("7", SUNDAY_TEXT, date(2025, 7, 2))
    assert items[0].source is not None and items[0].source.outlet == "Right"
    assert 'text "Story", id "ref", date "when"' in said[0] and "(detected)" not in said[0]


def test_no_text_column_is_refused_in_one_line_listing_the_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [{"id": "1", "summary": "x", "url": "u"}])
    with pytest.raises(InputError) as caught:
        api.batch_items([path], notify=lambda _: None)
    assert str(caught.value) == (
        f'{path}: no text field (text, content, body, article); its columns: "id", '
        '"summary", "url"; name it with --text-field'
    )
    with pytest.raises(InputError, match=r'no column "story" \(--text-field\); its columns: "id"'):
        api.batch_items([path], fields=api.CorpusFields(text="story"), notify=lambda _: None)


def test_an_empty_corpus_says_it_has_no_columns(tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"its columns: none \(no rows or no header\)"):
        api.batch_items([tmp_path / "c.jsonl"], notify=lambda _: None)


# --- rows -----------------------------------------------------------------------------------


def test_rows_without_an_id_get_stem_and_row_number_and_files_sharing_a_stem_their_path(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write_jsonl(tmp_path / "a" / "news.jsonl", [{"text": SUNDAY_TEXT}, {"text": "x y"}])
    two = write_csv(tmp_path / "b" / "news.csv", [{"text": SUNDAY_TEXT}])
    three = write_csv(tmp_path / "a" / "news.csv", [{"text": SUNDAY_TEXT}])
    solo = write_jsonl(tmp_path / "solo.jsonl", [{"text": SUNDAY_TEXT}])
    assert [i.id for i in items_of([one, two])[0]] == ["a/news:1", "a/news:2", "b/news:1"]
    assert [i.id for i in items_of([one, three])[0]] == [
        "news.jsonl:1",
        "news.jsonl:2",
        "news.csv:1",
    ]
    assert [i.id for i in items_of([solo, solo])[0]] == ["solo:1"], "named twice, read once"


def test_rows_without_text_become_error_items_naming_the_row(tmp_path: Path) -> None:
    rows = [
        {"id": "ok", "text": SUNDAY_TEXT},
        {"id": "blank", "text": "   "},
        {"id": "none"},
        {"id": "list", "text": ["a", "b"]},
    ]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    path.write_text(path.read_text() + '["not", "an", "object"]\n', encoding="utf-8")
    items = {i.id: i for i in items_of([path])[0]}
    assert items["ok"].error is None
    assert items["blank"].error == f"{path} row 2 has no text: the text field is empty"
    assert items["none"].error == f"{path} row 3 has no text: the text field is missing or empty"
    assert items["list"].error == f"{path} row 4 has no text: the text field holds list, not text"
    assert items["c:5"].error == f"{path} row 5 is not a JSON object"


def test_a_date_that_is_not_one_is_a_warning_and_absent(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": SUNDAY_TEXT, "date": "last Tuesday-ish"},
        {"id": "b", "text": SUNDAY_TEXT, "date": ""},
    ]
    items, said = items_of([write_jsonl(tmp_path / "c.jsonl", rows)], published=date(2025, 1, 1))
    assert [i.published for i in items] == [date(2025, 1, 1)] * 2, "the batch's --published"
    assert [i.source for i in items] == [None, None]
    assert said[1:] == [
        f"warning: {tmp_path / 'c.jsonl'} row 1: 'last Tuesday-ish' in \"date\" is not a date; "
        "relative dates stay unresolved"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-02", date(2025, 7, 2)),
        ("2025-07-02T23:30:00-05:00", date(2025, 7, 2)),
        ("2025-07-02T10:00:00Z", date(2025, 7, 2)),
        ("2025-07-02 10:00", date(2025, 7, 2)),
        ("2025/07/02", date(2025, 7, 2)),
        ("2025-07-02T10:00:00.123456789Z", date(2025, 7, 2)),
        ("Wed, 02 Jul 2025 10:00:00 GMT", date(2025, 7, 2)),
        (datetime(2025, 7, 2, 23, 0, tzinfo=UTC), date(2025, 7, 2)),
        (date(2025, 7, 2), date(2025, 7, 2)),
        ("  ", None),
    ],
)
def test_dates_are_read_leniently(value: Any, expected: date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-13-40", "02/07/2025", 1751414400, ["2025"]])
def test_what_is_not_a_date_is_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_published(value)


def test_csv_separators_multiline_cells_huge_cells_and_a_byte_order_mark(tmp_path: Path) -> None:
    huge = SUNDAY_TEXT + " word" * 60_000  # past csv's default limit of 131,072 characters
    rows = [
        {"id": "a", "text": "Line one of it.\nLine two; with a semicolon."},
        {"id": "b", "text": huge},
        {"id": "", "text": ""},
    ]
    path = write_csv(tmp_path / "c.csv", rows, delimiter=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    items = list(api.batch_items([path], notify=lambda _: None))
    assert [(i.id, i.text) for i in items[:2]] == [("a", rows[0]["text"]), ("b", huge)]
    assert items[2].id == "c:3" and items[2].error is not None
    tabs = write_csv(tmp_path / "t.csv", rows[:1], delimiter="\t")
    assert [i.text for i in api.batch_items([tabs], notify=lambda _: None)] == [rows[0]["text"]]


def test_parquet_typed_columns_dates_timestamps_and_integer_ids(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "text": [SUNDAY_TEXT, SUNDAY_TEXT + " Again."],
            "published": pa.array([date(2025, 7, 2), None], pa.date32()),
            "crawled_at": pa.array(
                [datetime(2025, 7, 3, 1), datetime(2025, 7, 4)], pa.timestamp("s")
            ),
        }
    )
    pq.write_table(table, tmp_path / "c.parquet")
    items = list(api.batch_items([tmp_path / "c.parquet"], notify=lambda _: None))
    assert [(i.id, i.published) for i in items] == [("1", date(2025, 7, 2)), ("2", None)]
    dated = api.CorpusFields(date="crawled_at")
    items = list(api.batch_items([tmp_path / "c.parquet"], fields=dated, notify=lambda _: None))
    assert [i.published for i in items] == [date(2025, 7, 3), date(2025, 7, 4)]


def test_txt_files_and_folders_still_give_a_plain_list_beside_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(SUNDAY_TEXT, encoding="utf-8")
    plain = api.batch_items([tmp_path])
    assert isinstance(plain, list) and [i.id for i in plain] == ["x"]
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "r", "text": SUNDAY_TEXT}])
    mixed = api.batch_items([tmp_path, corpus], notify=lambda _: None)
    assert isinstance(mixed, ItemStream) and len(mixed) == 2
    assert [i.id for i in mixed] == ["x", "r"]
    assert [i.id for i in api.batch_items([tmp_path])] == ["x"], "a folder reads only *.txt"


# --- unique ids ---------------------------------------------------------------------------


def test_a_repeated_id_is_refused_naming_both_rows(tmp_path: Path) -> None:
    rows = [{"id": f"r{n}", "text": SUNDAY_TEXT} for n in range(6)]
    rows[4]["id"] = "r1"
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    with pytest.raises(InputError) as caught:
        api.batch_items([path], notify=lambda _: None)
    assert str(caught.value) == (
        f"{path} row 5 repeats the id 'r1' of row 2; ids must be unique "
        "(name another column with --id-field)"
    )


def test_a_repeated_id_across_files_names_each_file(tmp_path: Path) -> None:
    (tmp_path / "r7.txt").write_text(SUNDAY_TEXT, encoding="utf-8")
    one = write_csv(tmp_path / "one.csv", [{"id": "a", "text": SUNDAY_TEXT}])
    two = write_parquet(
        tmp_path / "two.parquet", [{"id": "b", "text": "x"}, {"id": "a", "text": "y"}]
    )
    with pytest.raises(InputError, match=rf"^{two} row 2 repeats the id 'a' of {one} row 1;"):
        api.batch_items([one, two], notify=lambda _: None)
    three = write_jsonl(tmp_path / "three.jsonl", [{"id": "r7", "text": SUNDAY_TEXT}])
    with pytest.raises(
        InputError, match=rf"row 1 repeats the id 'r7' of the file {tmp_path}/r7.txt"
    ):
        api.batch_items([tmp_path / "r7.txt", three], notify=lambda _: None)


# --- streaming ------------------------------------------------------------------------------


def _big_rows(count: int, size: int, start: int = 0) -> list[dict[str, Any]]:
    body = (SUNDAY_TEXT + " ") * (size // len(SUNDAY_TEXT))
    return [
        {"id": f"r{n}", "text": f"{body}{n}", "url": f"https://x.example/{n}"}
        for n in range(start, start + count)
    ]


@pytest.mark.parametrize("writer", [write_jsonl, write_csv])
def test_reading_a_corpus_holds_one_row_at_a_time(writer: Any, tmp_path: Path) -> None:
    rows = _big_rows(1500, 20_000)  # 30 MB of text
    path = writer(tmp_path / ("c.jsonl" if writer is write_jsonl else "c.csv"), rows)
    del rows
    tracemalloc.start()
    try:
        stream = api.batch_items([path], notify=lambda _: None)  # the id pass included
        count = sum(1 for item in stream if item.text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1500
    assert peak < 2_000_000, f"peak {peak:,} bytes while reading 30 MB of rows"


def test_reading_parquet_holds_a_batch_at_a_time(tmp_path: Path) -> None:
    def peak_for(count: int) -> int:
        path = tmp_path / f"c{count}.parquet"
        with pq.ParquetWriter(path, pa.schema([("id", pa.string()), ("text", pa.string())])) as w:
            for start in range(0, count, 500):
                w.write_table(pa.Table.from_pylist(_big_rows(500, 5_000, start), w.schema))
        stream = api.batch_items([path], fields=api.CorpusFields(id="id"), notify=lambda _: None)
        before, peak = pa.total_allocated_bytes(), 0
        for n, _ in enumerate(stream):
            if n % 50 == 0:
                peak = max(peak, pa.total_allocated_bytes() - before)
        return peak

    small, large = peak_for(1_000), peak_for(8_000)  # 5 MB and 40 MB of text
    assert large < small * 1.5 + 2_000_000, (small, large)


def test_the_stream_is_read_as_the_batch_takes_rows(tmp_path: Path) -> None:
    """A generator-backed check: when the first request goes out, only the rows the
    engine keeps under way have been read, not the file."""
    from llm_extract.batch.drivers import run_batch
    from llm_extract.batch.items import BatchOptions

    path = write_jsonl(tmp_path / "c.jsonl", _big_rows(300, 200))
    read: list[int] = []
    stream = api.batch_items([path], notify=lambda _: None)
    real_rows = stream._corpora[0][0].rows

    def counted() -> Any:
        for row in real_rows():
            read.append(row.number)
            yield row

    stream._corpora[0][0].rows = counted  # type: ignore[method-assign]
    extractor, backend = extractor_for(tmp_path, cache=False)
    at_first_call: list[int] = []
    answer = backend.complete

    def complete(request: ModelRequest) -> ModelReply:
        if not at_first_call:
            at_first_call.append(len(read))
        return answer(request)

    backend.complete = complete  # type: ignore[method-assign]
    options = BatchOptions(concurrency=2, workers=0)
    assert sum(1 for _ in run_batch(extractor, stream, options=options)) == 300
    assert at_first_call[0] <= 10, at_first_call
    assert len(read) == 300


# --- files that cannot be read ------------------------------------------------------------


def test_an_unreadable_parquet_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.parquet"
    bad.write_bytes(b"PAR1 this is not parquet at all")
    with pytest.raises(InputError, match=rf"^{bad} is not a readable Parquet file: "):
        api.batch_items([bad], notify=lambda _: None)
    with pytest.raises(InputError, match=r"c.jsonl: no such file"):
        api.batch_items([tmp_path / "c.jsonl"], notify=lambda _: None)


def test_parquet_without_pyarrow_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_parquet(tmp_path / "c.parquet", [{"text": SUNDAY_TEXT}])
    monkeypatch.setitem(__import__("sys").modules, "pyarrow.parquet", None)
    with pytest.raises(ConfigError, match=r"needs pyarrow: pip install 'llm-extract\[parquet\]'"):
        api.batch_items([path], notify=lambda _: None)


def test_a_torn_jsonl_line_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [{"text": SUNDAY_TEXT}])
    path.write_text(path.read_text() + '{"text": "cut\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:2 is not a JSON line$"):
        api.batch_items([path], notify=lambda _: None)


def test_constants_the_help_states_are_the_ones_used() -> None:
    assert api.CORPUS_FIELD_NAMES["text"] == ("text", "content", "body", "article")
    assert corpus_formats.CORPUS_SUFFIXES == (".jsonl", ".csv", ".parquet")
