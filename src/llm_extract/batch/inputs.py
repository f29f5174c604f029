"""Batch items from corpus files beside article files: every id checked unique before
anything runs (a repeat names both rows), then rows streamed as the batch takes them.

The ids are read in a first pass, which keeps only the ids (for Parquet, only the id
column is read), so a repeat is refused in one line before any model call, as for a
list of items, and the progress bar knows the total.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from llm_extract.batch.items import BatchItem
from llm_extract.core.errors import InputError
from llm_extract.io.articles import article_ids
from llm_extract.io.corpus import Corpus, CorpusFields, CorpusRow

Notify = Callable[[str], None]


class IdIndex:
    """Every id of a batch and where it came from, kept as one integer per id: an
    ordinal whose block says the file and whose offset in it the row."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._starts: list[int] = []
        self._names: list[tuple[str, bool]] = []  # (file, whether it has rows)
        self._next = 0

    def file(self, item_id: str, name: str) -> None:
        """An article file: one id."""
        self._block(name, rows=False)
        self._add(item_id, self._next, f"the file {name}")
        self._next += 1

    def rows(self, name: str, ids: Iterable[tuple[int, str]]) -> int:
        """A corpus file's (row, id) pairs; how many rows it has."""
        start, count, last = self._block(name, rows=True), 0, 0
        for number, item_id in ids:
            self._add(item_id, start + number, f"{name} row {number}")
            count, last = count + 1, number
        self._next = start + last + 1
        return count

    def _block(self, name: str, *, rows: bool) -> int:
        self._starts.append(self._next)
        self._names.append((name, rows))
        return self._next

    def _add(self, item_id: str, ordinal: int, where: str) -> None:
        first = self._ids.setdefault(item_id, ordinal)
        if first != ordinal:
            raise InputError(
                f"{where} repeats the id {item_id!r} of {self._where(first, where)}; "
                "ids must be unique (name another column with --id-field)"
            )

    def _where(self, ordinal: int, later: str) -> str:
        block = bisect.bisect_right(self._starts, ordinal) - 1
        name, rows = self._names[block]
        if not rows:
            return f"the file {name}"
        row = ordinal - self._starts[block]
        return f"row {row}" if later.startswith(f"{name} row ") else f"{name} row {row}"


class ItemStream:
    """Article files' items, then each corpus's rows read as the batch takes them.
    Sized, so a progress bar has its total; iterating again reads the files again."""

    def __init__(
        self,
        files: Sequence[BatchItem],
        corpora: Sequence[tuple[Corpus, int]],
        *,
        published: date | None = None,
        notify: Notify,
    ) -> None:
        self._files, self._corpora = list(files), list(corpora)
        self._published, self._notify = published, notify

    def __len__(self) -> int:
        return len(self._files) + sum(rows for _, rows in self._corpora)

    def __iter__(self) -> Iterator[BatchItem]:
        yield from self._files
        for corpus, _ in self._corpora:
            for row in corpus.rows():
                if row.warning:
                    self._notify(f"warning: {row.warning}")
                yield row_item(row, self._published)


def row_item(row: CorpusRow, published: date | None = None) -> BatchItem:
    """A row as a batch item: its own date, else the batch's `--published`."""
    return BatchItem(
        id=row.id,
        text=row.text,
        published=row.published or published,
        source=row.source,
        error=row.problem,
    )


def corpus_stream(
    files: Sequence[BatchItem],
    corpus_paths: Sequence[Path],
    *,
    chosen: CorpusFields,
    notify: Notify,
    encoding: str | None = None,
    published: date | None = None,
) -> ItemStream:
    """Open every corpus, check every id of the batch is unique, say in one line per
    corpus which column gives what, and stream the rows."""
    index = IdIndex()
    for item in files:
        index.file(item.id, str(item.path))
    corpora = []
    for prefix, path in article_ids(corpus_paths):  # a corpus named twice is read once
        corpus = Corpus(path, chosen, prefix=prefix, encoding=encoding)
        rows = index.rows(corpus.name, corpus.ids())
        notify(corpus.describe(rows))
        corpora.append((corpus, rows))
    return ItemStream(files, corpora, published=published, notify=notify)
