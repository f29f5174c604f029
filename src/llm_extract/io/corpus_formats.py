"""The three corpus formats as streams of numbered records: JSONL objects, CSV records
under their header, Parquet rows a batch at a time. Nothing here holds more than one
batch of rows, so a corpus of a million articles is never in memory at once; which
column is the text is corpus.py's business.

Row numbers count from 1 and are what a user can find in the file: a JSONL line, a CSV
record after the header, a Parquet row.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from llm_extract.core.errors import ConfigError, InputError
from llm_extract.io.files import open_regular
from llm_extract.io.jsonl import MAX_JSON_BYTES, json_line, raw_lines

Record = dict[str, Any] | None
"""A row's values by column; None for a JSONL line that holds no object."""
Numbered = tuple[int, Record]

CORPUS_HINT = "give a .jsonl, .csv or .parquet file of articles, one per row"
SAMPLE_ROWS = 100  # JSONL rows whose keys name the columns: rows may differ in keys
MAX_CSV_FIELD_CHARS = MAX_JSON_BYTES  # one article's cell, as generous as a JSONL line
CSV_DELIMITERS = (",", ";", "\t")
# Parquet is read a few rows at a time through a small buffer, on one thread: larger
# batches, buffers or reader threads leave Arrow's allocator holding memory that grows
# with the file (bench/corpus_inputs.py measures the peak).
PARQUET_BATCH_ROWS = 64
PARQUET_BUFFER_BYTES = 64 * 1024


class Table(Protocol):
    """A corpus file's columns, and its records with at least the `wanted` columns."""

    def columns(self) -> list[str]: ...

    def records(self, wanted: Sequence[str]) -> Iterator[Numbered]: ...


class JsonlTable:
    """One JSON object per line, read through io/jsonl.py's bounded line reader."""

    def __init__(self, path: Path) -> None:
        self.path, self.name = path, str(path)

    def columns(self) -> list[str]:
        keys: dict[str, None] = {}
        with contextlib.closing(self.records(())) as records:
            for _, record in itertools.islice(records, SAMPLE_ROWS):
                keys.update(dict.fromkeys(record or {}))
        return list(keys)

    def records(self, wanted: Sequence[str]) -> Iterator[Numbered]:
        fd = open_regular(self.path, self.name, hint=CORPUS_HINT)
        with os.fdopen(fd, "rb") as handle:
            try:
                for number, raw in raw_lines(handle, self.name):
                    located = json_line(raw, f"{self.name}:{number}", first=number == 1)
                    if located is not None:
                        yield number, located[1] if isinstance(located[1], dict) else None
            except OSError as exc:
                raise InputError(f"cannot read {self.name}: {exc.strerror or exc}") from None


class CsvTable:
    """A header naming the columns, then one record per article (cells may span lines);
    UTF-8 with or without a byte-order mark unless an encoding is given."""

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        self.path, self.name = path, str(path)
        self.encoding = encoding or "utf-8-sig"

    def columns(self) -> list[str]:
        with self._open() as handle:
            return next(self._reader(handle), [])

    def records(self, wanted: Sequence[str]) -> Iterator[Numbered]:
        # Process-wide in the csv module, so only ever raised, never lowered.
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_FIELD_CHARS))
        with self._open() as handle:
            reader = self._reader(handle)
            number = 0
            try:
                header = next(reader, [])
                for number, cells in enumerate(reader, start=1):
                    if cells:  # a blank line is no row; a row of empty cells is one
                        yield number, dict(zip(header, cells, strict=False))
            except csv.Error as exc:
                raise InputError(f"{self.name} row {number + 1}: not CSV ({exc})") from None
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{self.name} row {number + 1} cannot be decoded as {self.encoding} "
                    f"({exc.reason}); pass --encoding if you know the file's encoding"
                ) from None
            except OSError as exc:
                raise InputError(f"cannot read {self.name}: {exc.strerror or exc}") from None

    def _open(self) -> IO[str]:
        fd = open_regular(self.path, self.name, hint=CORPUS_HINT)
        try:
            return open(fd, encoding=self.encoding, newline="")
        except LookupError:
            os.close(fd)
            raise InputError(f"unknown encoding {self.encoding!r}") from None

    def _reader(self, handle: IO[str]) -> Iterator[list[str]]:
        """Comma-separated unless the header line holds more semicolons or tabs."""
        try:
            first = handle.readline(1 << 20)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{self.name}: the header cannot be decoded as {self.encoding} ({exc.reason})"
            ) from None
        handle.seek(0)
        delimiter = max(CSV_DELIMITERS, key=first.count)
        return csv.reader(handle, delimiter=delimiter if first.count(delimiter) else ",")


class ParquetTable:
    """Rows read a batch at a time, only the columns wanted, through pyarrow."""

    def __init__(self, path: Path) -> None:
        self.path, self.name = path, str(path)

    def columns(self) -> list[str]:
        with self._open() as file:
            return list(file.schema_arrow.names)

    def records(self, wanted: Sequence[str]) -> Iterator[Numbered]:
        number = 0
        with self._open() as file:
            if not wanted:  # only the row numbers: the metadata has them
                yield from ((n, {}) for n in range(1, file.metadata.num_rows + 1))
                return
            try:
                batches = file.iter_batches(
                    batch_size=PARQUET_BATCH_ROWS, columns=wanted, use_threads=False
                )
                for batch in batches:
                    for record in batch.to_pylist():
                        number += 1
                        yield number, record
            except _arrow_errors() as exc:
                where = f"{self.name}: cannot read row {number + 1}"
                raise InputError(f"{where}: {_first(exc)}") from None

    @contextlib.contextmanager
    def _open(self) -> Iterator[Any]:
        parquet = _pyarrow_parquet()
        fd = open_regular(self.path, self.name, hint=CORPUS_HINT)
        with os.fdopen(fd, "rb") as handle:
            try:
                file = parquet.ParquetFile(
                    handle, buffer_size=PARQUET_BUFFER_BYTES, pre_buffer=False
                )
            except _arrow_errors() as exc:
                raise InputError(
                    f"{self.name} is not a readable Parquet file: {_first(exc)}"
                ) from None
            with file:
                yield file


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet
    except ImportError:
        raise ConfigError(
            "reading a Parquet corpus needs pyarrow: pip install 'llm-extract[parquet]'"
        ) from None
    return pyarrow.parquet


def _arrow_errors() -> tuple[type[BaseException], ...]:
    import pyarrow

    return (pyarrow.ArrowException, OSError, ValueError)


def _first(exc: BaseException) -> str:
    """The first line of an Arrow error, which may carry a C++ trace below it."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def table_for(path: Path, encoding: str | None = None) -> Table:
    """The reader for a corpus file, by its extension (see CORPUS_SUFFIXES)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvTable(path, encoding)
    if suffix == ".parquet":
        return ParquetTable(path)
    return JsonlTable(path)


CORPUS_SUFFIXES = (".jsonl", ".csv", ".parquet")
