"""The dataset as one SQLite database that re-exporting updates in place.

Rows are replaced by their owner's id: exporting incidents again replaces every row of
those incidents (their places, actors, figures...) and leaves other incidents alone, so
a database can grow batch by batch. Keys and indexes come from tables.TABLES; foreign
keys tie every incident table to `incidents` and the verdicts to `articles`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path

from llm_extract.core.errors import InputError
from llm_extract.dataset.tables import BY_NAME, TABLES, Row, Table

SCHEMA_VERSION = 2  # 2: the articles table says where each article came from


def _ddl(table: Table) -> list[str]:
    columns = [f"{name} {kind}" for name, kind in table.columns]
    parent = {"incident_id": "incidents", "article_id": "articles"}.get(table.owner)
    if parent and parent != table.name:
        columns.append(
            f"FOREIGN KEY ({table.owner}) REFERENCES {parent} ({table.owner}) ON DELETE CASCADE"
        )
    columns.append(f"PRIMARY KEY ({', '.join(table.key)})")
    statements = [f"CREATE TABLE IF NOT EXISTS {table.name} ({', '.join(columns)})"]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {table.name}_{column} ON {table.name} ({column})"
        for column in (table.owner, *table.indexes)
        if column not in table.key[:1]
    ]
    return statements


def write_sqlite(path: Path, tables: Mapping[str, Sequence[Row]]) -> dict[str, int]:
    """Upsert `tables` into the database at `path` (created if missing); rows per table."""
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open {path} as a SQLite database: {exc}") from None
    with closing(connection) as db:
        try:
            db.execute("PRAGMA foreign_keys = OFF")  # owners are replaced before children
            with db:
                _prepare(db)
                for name in _order(tables):
                    _replace(db, BY_NAME[name], tables[name])
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot write the dataset to {path}: {exc}") from None
    return {name: len(rows) for name, rows in tables.items()}


def _prepare(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version not in range(SCHEMA_VERSION + 1):
        raise InputError(f"the database holds dataset schema {version}, not {SCHEMA_VERSION}")
    for table in TABLES:
        for statement in _ddl(table):
            db.execute(statement)
        _add_new_columns(db, table)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _add_new_columns(db: sqlite3.Connection, table: Table) -> None:
    """Columns added since an older database was written (never in a key): appended,
    empty for the rows already there, so a database keeps growing across versions."""
    present = {row[1] for row in db.execute(f"PRAGMA table_info({table.name})")}
    for name, kind in table.columns:
        if name not in present:
            db.execute(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}")


def _order(tables: Mapping[str, Sequence[Row]]) -> list[str]:
    """Owners first, so a child's rows never precede the row they belong to."""
    return sorted(tables, key=lambda n: (n not in ("incidents", "articles"), n))


def _replace(db: sqlite3.Connection, table: Table, rows: Sequence[Row]) -> None:
    owners = sorted({row[table.owner] for row in rows})
    for start in range(0, len(owners), 500):  # SQLite's limit on bound parameters
        chunk = owners[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        db.execute(f"DELETE FROM {table.name} WHERE {table.owner} IN ({marks})", chunk)
    names = [name for name, _ in table.columns]
    db.executemany(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [tuple(row.get(name) for name in names) for row in rows],
    )
