"""The engine behind the Ibis expressions, and the one place that reads files into it.

Everything after loading is engine-independent Ibis. Reading is engine-specific because
the row number of each input row (``rij``, needed for rejects, DQ-1) is not part of the
Ibis API: DuckDB gives it for CSV through ``row_number() OVER ()`` on an order-preserving
scan and for Parquet through ``file_row_number``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import ibis

from regiorapportage.errors import StructuralError, UserError

ENGINES = ("duckdb",)
DEFAULT_MEMORY_LIMIT = "5GB"  # DuckDB's own default is 80 % of the machine's memory


def connect(engine: str | None = None) -> ibis.BaseBackend:
    """Open an engine session. ``engine`` defaults to ``$REGIORAPPORTAGE_ENGINE`` or duckdb."""
    engine = engine or os.environ.get("REGIORAPPORTAGE_ENGINE", "duckdb")
    if engine not in ENGINES:
        raise UserError(f"onbekende engine '{engine}'; kies uit: {', '.join(ENGINES)}")
    con = ibis.duckdb.connect()
    # Row order must follow the file for rij (DuckDB's default; stated to be explicit).
    con.raw_sql("SET preserve_insertion_order = true")
    # Beyond this DuckDB spills to its temporary directory instead of growing, so a run
    # fits a laptop whatever the size of the payroll extract (scale 10 included).
    limit = os.environ.get("REGIORAPPORTAGE_MEMORY", DEFAULT_MEMORY_LIMIT)
    try:
        con.raw_sql(f"SET memory_limit = {_sql_string(limit)}")
    except Exception as exc:  # noqa: BLE001 - duckdb raises its own exception types
        raise UserError(f"REGIORAPPORTAGE_MEMORY='{limit}' is geen geheugengrens zoals 4GB of 500MB ({_short(exc)})") from None
    # Spill files go to the system's temporary folder (DuckDB's default is ./.tmp in the
    # user's working directory); DuckDB removes them when the session closes.
    spill = os.environ.get("REGIORAPPORTAGE_TEMP") or tempfile.gettempdir()
    con.raw_sql(f"SET temp_directory = {_sql_string(str(Path(spill) / 'regiorapportage-duckdb'))}")
    return con


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _scan(path: Path, fmt: str) -> str:
    p = _sql_string(str(path))
    if fmt == "csv":
        return (
            f"read_csv({p}, all_varchar = true, header = true, delim = ',', quote = '\"', "
            f"escape = '\"', auto_detect = true)"
        )
    if fmt == "parquet":
        return f"read_parquet({p}, file_row_number = true)"
    raise ValueError(fmt)


def file_columns(con: ibis.BaseBackend, path: Path, fmt: str, source: str) -> dict[str, str]:
    """The columns of an input file with their engine types (DQ-2: unreadable → stop)."""
    if path.is_file() and path.stat().st_size == 0:
        raise StructuralError(source, "het bestand is leeg (geen kopregel met kolomnamen)", file=path.name)
    try:
        rows = con.raw_sql(f"DESCRIBE SELECT * FROM {_scan(path, fmt)}").fetchall()
    except Exception as exc:  # duckdb raises several exception types for bad files
        raise StructuralError(source, f"het bestand kan niet worden gelezen ({_short(exc)})", file=path.name) from None
    columns = {name: type_ for name, type_, *_ in rows}
    columns.pop("file_row_number", None)
    return columns


def read_raw(con: ibis.BaseBackend, path: Path, fmt: str, source: str, columns: list[str]) -> ibis.Table:
    """Load ``columns`` of one input file into an engine table ``raw_<source>`` with ``rij``
    (1-based row number in the file, header not counted)."""
    select = ", ".join(f'"{c}"' for c in columns)
    rij = "file_row_number + 1" if fmt == "parquet" else "row_number() OVER ()"
    name = f"raw_{source}"
    try:
        con.raw_sql(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT CAST({rij} AS BIGINT) AS rij, {select} "
            f"FROM {_scan(path, fmt)}"
        )
    except Exception as exc:
        raise StructuralError(source, f"het bestand kan niet worden gelezen ({_short(exc)})", file=path.name) from None
    return con.table(name)


def materialize(con: ibis.BaseBackend, name: str, expr: ibis.Table) -> ibis.Table:
    """Compute ``expr`` once inside the engine and keep it as a temporary table."""
    return con.create_table(name, expr, temp=True, overwrite=True)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in text[:3])[:400]
