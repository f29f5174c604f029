"""The dataset as Parquet files, one per table, for pandas, polars and DuckDB.

A folder holds `<table>.parquet` for every table of tables.TABLES, each with the
declared column types (Arrow int64 / float64 / string), written whole each time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from llm_extract.core.errors import ConfigError, InputError
from llm_extract.dataset.tables import TABLES, Row

_ARROW = {"INTEGER": "int64", "REAL": "float64", "TEXT": "string"}


def write_parquet(folder: Path, tables: Mapping[str, Sequence[Row]]) -> dict[str, int]:
    """One file per table in `folder` (created if missing); rows per table."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            "Parquet export needs pyarrow: pip install 'llm-extract[parquet]'"
        ) from None
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: --format parquet writes a folder of files; this is a file")
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in TABLES:
        if table.name not in tables:
            continue
        rows = tables[table.name]
        schema = pa.schema([(n, getattr(pa, _ARROW[k])()) for n, k in table.columns])
        columns = {n: [row.get(n) for row in rows] for n, _ in table.columns}
        pq.write_table(pa.table(columns, schema=schema), folder / f"{table.name}.parquet")
        written[table.name] = len(rows)
    return written
