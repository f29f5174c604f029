"""Corpus files as batch input: JSONL, CSV or Parquet files holding one article per
row, streamed (corpus_formats.py reads them), each row turned into what a batch item
needs: an id, the text, the publication date and where the article came from.

Which column holds what is given (CorpusFields) or found by the usual names
(FIELD_NAMES), in any case; a file without a text column is refused in one line that
lists the columns it has. A row without text, or a date that is not one, costs only
that row, never the batch.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.io.corpus_formats import CORPUS_SUFFIXES, Record, table_for

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article"),
    "id": ("id", "article_id", "uid"),
    "date": ("date", "published", "publish_date", "published_at", "pub_date"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "outlet": ("source", "outlet", "publisher", "site"),
}
"""Per role, the column names looked for when none is given, first match winning."""
SHOWN_COLUMNS = 20  # columns listed when the text column cannot be found
_LEADING_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")


@dataclass(frozen=True)
class CorpusFields:
    """The column of each role, as the user names it (any case); None: found by the
    usual names (FIELD_NAMES)."""

    text: str | None = None
    id: str | None = None
    date: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None


ROLES = tuple(f.name for f in fields(CorpusFields))


@dataclass(frozen=True)
class CorpusRow:
    """One row as a batch item: `problem` says why it cannot be an article (no text),
    `warning` what was set aside (a date that is not one)."""

    number: int
    id: str
    text: str
    published: date | None = None
    source: ArticleSource | None = None
    problem: str | None = None
    warning: str | None = None


def is_corpus(path: Path) -> bool:
    """A corpus file by its extension; a folder so named is still a folder."""
    return path.suffix.lower() in CORPUS_SUFFIXES and not path.is_dir()


class Corpus:
    """A corpus file with its columns resolved; rows are read only when iterated.

    `prefix` names rows without an id ("<prefix>:<row>"): the file's stem, or its path
    when two corpus files of a batch share a stem."""

    def __init__(
        self, path: Path, chosen: CorpusFields, *, prefix: str, encoding: str | None = None
    ) -> None:
        self.path, self.name, self.prefix = path, str(path), prefix
        self._table = table_for(path, encoding)
        self.columns, self.detected = resolve_fields(self._table.columns(), chosen, self.name)

    def ids(self) -> Iterator[tuple[int, str]]:
        """Each row's number and id, reading only the id column (none: no reading)."""
        column = self.columns["id"]
        for number, record in self._table.records([column] if column else []):
            yield number, self._id(number, record)

    def rows(self) -> Iterator[CorpusRow]:
        wanted = list(dict.fromkeys(c for c in self.columns.values() if c))
        for number, record in self._table.records(wanted):
            yield self._row(number, record)

    def describe(self, rows: int) -> str:
        """The one line saying which column gives what."""
        used = [
            f'{role} "{column}"' + (" (detected)" if role in self.detected else "")
            for role, column in self.columns.items()
            if column
        ]
        unused = [role for role, column in self.columns.items() if not column]
        line = f"{self.name}: {rows:,} rows; fields: {', '.join(used)}"
        return line + (f"; none for {', '.join(unused)}" if unused else "")

    def _id(self, number: int, record: Record) -> str:
        column = self.columns["id"]
        value = record.get(column) if record is not None and column else None
        return _id_text(value) or f"{self.prefix}:{number}"

    def _row(self, number: int, record: Record) -> CorpusRow:
        item_id, where = self._id(number, record), f"{self.name} row {number}"
        if record is None:
            return CorpusRow(number, item_id, "", problem=f"{where} is not a JSON object")
        published, warning = None, None
        if (column := self.columns["date"]) and (value := record.get(column)) is not None:
            try:
                published = parse_published(value)
            except ValueError:
                warning = (
                    f'{where}: {_shown(value)} in "{column}" is not a date; relative dates '
                    "stay unresolved"
                )
        text = record.get(self.columns["text"] or "")
        problem = None if isinstance(text, str) and text.strip() else _no_text(where, text)
        source = ArticleSource(
            url=self._label(record, "url"),
            outlet=self._label(record, "outlet"),
            title=self._label(record, "title"),
            published=published,
        )
        known = any(value is not None for value in source.model_dump().values())
        return CorpusRow(
            number,
            item_id,
            text if isinstance(text, str) else "",
            published,
            source if known else None,
            problem,
            warning,
        )

    def _label(self, record: dict[str, Any], role: str) -> str | None:
        column = self.columns[role]
        value = record.get(column) if column else None
        return (value.strip() or None) if isinstance(value, str) else None


def resolve_fields(
    seen: Sequence[str], chosen: CorpusFields, name: str
) -> tuple[dict[str, str | None], set[str]]:
    """The column of each role, and which roles were found by their usual names."""
    folded: dict[str, str] = {}
    for column in seen:
        folded.setdefault(column.casefold(), column)
    columns: dict[str, str | None] = {}
    detected: set[str] = set()
    for role in ROLES:
        given = getattr(chosen, role)
        if given is None:
            found = next((folded[n] for n in FIELD_NAMES[role] if n in folded), None)
            detected.update([role] if found else [])
        elif (found := given if given in seen else folded.get(given.casefold())) is None:
            raise InputError(
                f'{name}: no column "{given}" (--{role}-field); its columns: {_listing(seen)}'
            )
        columns[role] = found
    if columns["text"] is None:
        raise InputError(
            f"{name}: no text field ({', '.join(FIELD_NAMES['text'])}); its columns: "
            f"{_listing(seen)}; name it with --text-field"
        )
    return columns, detected


def parse_published(value: Any) -> date | None:
    """A publication date from an ISO date or datetime (its own calendar day, not
    moved to UTC), a leading YYYY-MM-DD, or an RFC 2822 date as feeds write them.
    ValueError when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if match := _LEADING_DATE.match(text):
        return date(*(int(part) for part in match.groups()))
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not a date: {value!r}") from None


def _id_text(value: Any) -> str | None:
    """An id as text: a string, an integer, or a float that is one (12.0 from a column
    pandas widened); anything else is no id."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _no_text(where: str, value: Any) -> str:
    if value is None:
        return f"{where} has no text: the text field is missing or empty"
    if isinstance(value, str):
        return f"{where} has no text: the text field is empty"
    return f"{where} has no text: the text field holds {type(value).__name__}, not text"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _listing(seen: Sequence[str]) -> str:
    if not seen:
        return "none (no rows or no header)"
    shown = ", ".join(f'"{column}"' for column in seen[:SHOWN_COLUMNS])
    return shown + (f" and {len(seen) - SHOWN_COLUMNS} more" if len(seen) > SHOWN_COLUMNS else "")
