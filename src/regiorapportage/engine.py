"""The engine behind the Ibis expressions, and the one place that reads files into it.

Everything after loading is engine-independent Ibis: the same measures run on DuckDB (the
embedded default) and on Apache Spark (``pyspark``, local or a cluster). Three things are
engine-specific and live here:

- opening a session (DuckDB settings; a Spark session from Spark's own configuration);
- reading an input with the row number of each row (``rij``, needed for rejects, DQ-1) —
  not part of the Ibis API;
- keeping an intermediate result computed once (a DuckDB temporary table; a persisted Spark
  DataFrame registered as a temporary view) and dropping it again.

An input is a CSV file, a Parquet file or a Parquet *dataset*: a folder of Parquet files,
possibly partitioned Hive-style (``polis_tijdvak/jaar=2019/part-0.parquet``). The row number
of a dataset counts through its files in the order of their paths (relative to the folder),
so both engines number the same row the same way.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import ibis

from regiorapportage.errors import StructuralError, UserError

ENGINES = ("duckdb", "pyspark")
DEFAULT_MEMORY_LIMIT = "5GB"  # DuckDB's own default is 80 % of the machine's memory
DEFAULT_SPARK_DRIVER_MEMORY = "8g"  # local mode: the driver is the whole cluster


def connect(engine: str | None = None) -> ibis.BaseBackend:
    """Open an engine session. ``engine`` defaults to ``$REGIORAPPORTAGE_ENGINE`` or duckdb."""
    engine = engine or os.environ.get("REGIORAPPORTAGE_ENGINE", "duckdb")
    if engine not in ENGINES:
        raise UserError(f"onbekende engine '{engine}'; kies uit: {', '.join(ENGINES)}")
    if engine == "pyspark":
        return _connect_spark()
    return _connect_duckdb()


def close(con: ibis.BaseBackend) -> None:
    """Release what the run kept in the engine. A Spark session itself stays up (it may be
    shared, e.g. by spark-submit or a test session); its cached tables are dropped."""
    if con.name == "pyspark":
        for name in list(_spark_cache(con)):
            drop(con, name)
        _delete_path(con, _scratch(con))
    else:
        con.disconnect()


# --------------------------------------------------------------------------- DuckDB


def _connect_duckdb() -> ibis.BaseBackend:
    con = ibis.duckdb.connect()
    # Row order must follow the file for rij (DuckDB's default; stated to be explicit).
    con.raw_sql("SET preserve_insertion_order = true")
    # Beyond this DuckDB spills to its temporary directory instead of growing, so a run
    # fits a laptop whatever the size of the payroll extract (scale 10 included).
    limit = os.environ.get("REGIORAPPORTAGE_MEMORY", DEFAULT_MEMORY_LIMIT)
    try:
        con.raw_sql(f"SET memory_limit = {_sql_string(limit)}")
    except Exception as exc:  # noqa: BLE001 - duckdb raises its own exception types
        raise UserError(f"REGIORAPPORTAGE_MEMORY='{limit}' is geen geheugengrens zoals 4GB of 500MB ({short_error(exc)})") from None
    # Spill files go to the system's temporary folder (DuckDB's default is ./.tmp in the
    # user's working directory); DuckDB removes them when the session closes.
    spill = _temp_root() / "regiorapportage-duckdb"
    spill.parent.mkdir(parents=True, exist_ok=True)  # DuckDB creates the folder, not its parents
    con.raw_sql(f"SET temp_directory = {_sql_string(str(spill))}")
    return con


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _temp_root() -> Path:
    return Path(os.environ.get("REGIORAPPORTAGE_TEMP") or tempfile.gettempdir())


# The CSV dialect of the contract, stated in full so that nothing is guessed (DQ-1, DQ-2): comma,
# '"' quotes ('""' inside a quoted value), the header on line 1, no comment character, no
# skipped lines, every value as text, and a row with more or fewer fields than the header
# (or an unterminated quote) stops the read. The columns are those of the header as read
# by ``csv_header``; DuckDB is told them rather than sniffing them.
MAX_LINE_BYTES = 2_000_000  # the reader's limit per line (DuckDB's default, stated)
_CSV_DIALECT = (
    "header = true, delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, "
    "auto_detect = false, strict_mode = true, null_padding = false, ignore_errors = false, "
    f"encoding = 'utf-8', max_line_size = {MAX_LINE_BYTES}"
)


def _duckdb_scan(found: Located, header: list[str] | None = None) -> str:
    if found.fmt == "csv":
        header = header if header is not None else csv_header(found)
        columns = ", ".join(f"{_sql_string(c)}: 'VARCHAR'" for c in header)
        return f"read_csv({_sql_string(found.path)}, {_CSV_DIALECT}, columns = {{{columns}}})"
    if found.dataset:
        # exactly the data files of the folder's listing (not _temporary/ or .hidden files,
        # which Spark skips too), so both engines read the same files
        root = found.path.rstrip("/")
        files = ", ".join(_sql_string(f"{root}/{f}") for f in dataset_files(found))
        return f"read_parquet([{files}], file_row_number = true, filename = true, hive_partitioning = true)"
    return f"read_parquet({_sql_string(found.path)}, file_row_number = true, filename = true)"


# --------------------------------------------------------------------------- Spark


def _connect_spark() -> ibis.BaseBackend:
    """A Spark session for Ibis. Spark's own configuration decides where it runs: a session
    that already exists (spark-submit, a notebook) is used as it is; otherwise the master
    comes from ``$REGIORAPPORTAGE_SPARK_MASTER``, ``spark-defaults.conf`` in
    ``$SPARK_CONF_DIR`` or ``--master`` in ``$PYSPARK_SUBMIT_ARGS``, and is ``local[*]`` when
    none of those says anything (docs/scale-out.md)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UserError(
            "engine 'pyspark' vraagt de extra 'spark': python3 -m uv sync --extra spark "
            "(of pip install 'regiorapportage[spark]')"
        ) from None
    session = SparkSession.getActiveSession()
    if session is None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = SparkSession.builder.appName("regiorapportage")
        master = os.environ.get("REGIORAPPORTAGE_SPARK_MASTER")
        if master or not _spark_master_configured():
            builder = builder.master(master or "local[*]")
        local = (master or "local").startswith("local") and not _spark_master_configured()
        temp = _temp_root() / "regiorapportage-spark"
        defaults = {
            # dates are calendar days: no time zone may shift them
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.warehouse.dir": str(temp / "warehouse"),
            "spark.local.dir": str(temp / "local"),
            # results are small aggregates; adaptive execution sizes the shuffles
            "spark.sql.adaptive.enabled": "true",
            "spark.ui.showConsoleProgress": "false",
        }
        if local:
            defaults.update({
                "spark.driver.memory": os.environ.get("REGIORAPPORTAGE_SPARK_MEMORY", DEFAULT_SPARK_DRIVER_MEMORY),
                "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": str(max(2, 2 * (os.cpu_count() or 1))),
                "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={temp / 'java'}",
            })
        for d in ("warehouse", "local", "java"):
            (temp / d).mkdir(parents=True, exist_ok=True)
        for key, value in defaults.items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # noqa: BLE001 - py4j/Java start-up errors
            raise UserError(f"Spark kon niet starten ({short_error(exc)}); is Java 17 geïnstalleerd (JAVA_HOME)?") from None
        session.sparkContext.setLogLevel(os.environ.get("REGIORAPPORTAGE_SPARK_LOGLEVEL", "ERROR"))
    local = session.sparkContext.master.startswith("local")
    root = os.environ.get("REGIORAPPORTAGE_SPARK_SCRATCH") or session.conf.get("spark.regiorapportage.scratch", None)
    if not root and not local:
        raise UserError(
            "Spark draait op een cluster: geef een werkmap die alle executors bereiken met "
            "$REGIORAPPORTAGE_SPARK_SCRATCH of spark.regiorapportage.scratch (bijvoorbeeld hdfs:///tmp/regiorapportage)"
        )
    root = root or str(_temp_root() / "regiorapportage-spark" / "scratch")
    con = ibis.pyspark.connect(session)
    con._regiorapportage_cache = {}  # name → stored DataFrame (see materialize)
    con._regiorapportage_paths = {}  # name → its Parquet folder in the scratch folder
    con._regiorapportage_scratch = f"{root.rstrip('/')}/run-{uuid.uuid4().hex[:12]}"
    return con


def _spark_master_configured() -> bool:
    if "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return True
    conf_dir = os.environ.get("SPARK_CONF_DIR") or (
        os.path.join(os.environ["SPARK_HOME"], "conf") if "SPARK_HOME" in os.environ else None
    )
    if conf_dir and os.path.exists(os.path.join(conf_dir, "spark-defaults.conf")):
        with open(os.path.join(conf_dir, "spark-defaults.conf"), encoding="utf-8") as f:
            return any(line.split()[:1] == ["spark.master"] for line in f)
    return False


def _spark_cache(con) -> dict:
    return con._regiorapportage_cache


def spark_session(con):
    """The Spark session behind an Ibis connection (the Hadoop file systems are reached
    through it, sources/files.py)."""
    return con._session


# Spark's type names → the (DuckDB-style) names the contract checks use
_SPARK_TYPES = {
    "string": "VARCHAR", "tinyint": "TINYINT", "smallint": "SMALLINT", "int": "INTEGER",
    "bigint": "BIGINT", "float": "FLOAT", "double": "DOUBLE", "date": "DATE",
    "timestamp": "TIMESTAMP WITH TIME ZONE", "timestamp_ntz": "TIMESTAMP", "boolean": "BOOLEAN",
}


def _spark_type(simple: str) -> str:
    if simple.startswith("decimal"):
        return simple.upper()
    return _SPARK_TYPES.get(simple, simple.upper())


def _spark_reader(con, found: Located):
    reader = spark_session(con).read
    path = _spark_path(found.path)
    if found.fmt == "csv":
        # every value as text (the contract types are checked row by row, DQ-2); the dialect
        # of the contract, no comment character, and a malformed row stops the read
        return reader.options(**_SPARK_CSV, header=True, mode="FAILFAST").csv(path)
    if found.dataset:
        # the files of the folder's listing, as DuckDB reads them; partitions from basePath
        root = path.rstrip("/")
        return reader.option("basePath", root).parquet(*[f"{root}/{f}" for f in dataset_files(found)])
    return reader.parquet(path)


_SPARK_CSV = dict(inferSchema=False, sep=",", quote='"', escape='"', comment="", multiLine=False, encoding="UTF-8")


def _spark_path(path: str) -> str:
    return path if "://" in path else str(Path(path).resolve())


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Located:
    """An input as found: a file (``csv`` or ``parquet``) or a Parquet dataset folder.

    ``files`` lists a dataset's visible files (path relative to the folder, size) and
    ``size`` is a file's size, both from the listing of the input folder (local or remote);
    ``folder`` is that input folder (``sources.files.InputFolder``). A ``packaged`` file
    ships with the software (the default gemeenten): it exists only where the driver runs,
    so Spark reads it there."""

    path: str
    fmt: str
    dataset: bool = False
    files: tuple[tuple[str, int], ...] = ()
    size: int | None = None
    folder: object = field(default=None, compare=False, repr=False)
    packaged: bool = False


def dataset_files(found: Located) -> list[str]:
    """The Parquet files of a dataset folder, relative to it, in path order."""
    return sorted(f for f, _ in found.files if f.endswith(".parquet"))


def partition_keys(found: Located) -> set[str]:
    """The Hive partition columns of a dataset folder (``jaar`` in ``…/jaar=2019/…``):
    both engines add them as columns; they are part of the layout, not of the data."""
    return {part.split("=", 1)[0] for f in dataset_files(found) for part in f.split("/")[:-1] if "=" in part}


def file_columns(con: ibis.BaseBackend, found: Located, source: str, display: str) -> dict[str, str]:
    """The columns of an input with their engine types (DQ-2: unreadable → stop). A CSV
    file's columns are its header as written (a name twice, or an empty name, is structural:
    a reader would rename it); a Parquet file's column names must be unique too."""
    if found.size == 0:
        raise StructuralError(source, "het bestand is leeg (geen kopregel met kolomnamen)", file=display)
    try:
        if con.name == "pyspark" and found.packaged:
            return {c: "VARCHAR" for c in _driver_csv(found.path).columns}
        if found.fmt == "csv":
            header = _spark_csv_header(con, found) if con.name == "pyspark" else csv_header(found)
            _check_names(header, source, display)
            return {c: "VARCHAR" for c in header}
        for schema in parquet_schemas(found).values():
            _check_names(list(schema.names), source, display)
        if con.name == "pyspark":
            df = _spark_reader(con, found)
            columns = {f.name: _spark_type(f.dataType.simpleString()) for f in df.schema.fields}
        else:
            rows = con.raw_sql(f"DESCRIBE SELECT * FROM {_duckdb_scan(found)}").fetchall()
            columns = {name: type_ for name, type_, *_ in rows}
    except StructuralError:
        raise
    except Exception as exc:  # both engines raise several exception types for bad files
        raise StructuralError(source, f"het bestand kan niet worden gelezen ({read_error(exc)})", file=display) from None
    for extra in ("file_row_number", "filename"):
        columns.pop(extra, None)
    return columns


def csv_header(found: Located) -> list[str]:
    """The header (line 1) of a local CSV file in the contract's dialect (a UTF-8 byte order
    mark is allowed), read with Python's csv module: the names exactly as written."""
    try:
        with open(found.path, "rb") as f:
            line = f.readline(MAX_LINE_BYTES + 1)
    except IsADirectoryError:
        raise _Unreadable("is een map, geen bestand") from None
    if line[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _Unreadable("het bestand is UTF-16 gecodeerd; lever UTF-8")
    if len(line) > MAX_LINE_BYTES:
        raise _Unreadable(f"regel 1 (de kopregel) is langer dan de leesgrens van {thousands(MAX_LINE_BYTES)} bytes")
    try:
        decoded = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"regel 1 (de kopregel) is geen geldige UTF-8 (byte {exc.start + 1}): {line[:200]!r}") from None
    try:
        return next(csv.reader([decoded.rstrip("\r\n")], delimiter=",", quotechar='"', doublequote=True, strict=True), [])
    except csv.Error as exc:
        raise _Unreadable(f"de kopregel kan niet worden gelezen als CSV ({exc})") from None


def thousands(n: int | float) -> str:
    """A number with '.' between thousands, as Dutch readers write it (2.000.000)."""
    return f"{n:,}".replace(",", ".")


def _spark_csv_header(con, found: Located) -> list[str]:
    """The header of a CSV file as Spark reads line 1 (without renaming duplicates)."""
    first = spark_session(con).read.options(**_SPARK_CSV, header=False).csv(_spark_path(found.path)).first()
    return ["" if v is None else v for v in first] if first is not None else []


def parquet_schemas(found: Located) -> dict[str, object]:
    """The Arrow schema of each local Parquet file of an input (file → ``pyarrow.Schema``,
    read from the footer); ``{}`` for a remote input (Spark refuses duplicate names itself)."""
    import pyarrow.parquet as pq

    if "://" in found.path or found.fmt != "parquet":
        return {}
    root = found.path.rstrip("/")
    paths = [f"{root}/{f}" for f in dataset_files(found)] if found.dataset else [found.path]
    return {p: pq.read_schema(p) for p in paths}


def time_zones(found: Located) -> dict[str, str | None] | None:
    """The time zone of each Parquet column of timestamps *with* a time zone: the zone the
    writer named in the file's Arrow schema (pyarrow and pandas store it), or ``None`` when
    the file does not say (Parquet itself only records "adjusted to UTC") or its files
    disagree. ``None`` as a whole when the files cannot be inspected here (remote)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = parquet_schemas(found)
    if not schemas:
        return None
    zones: dict[str, set] = {}
    for path, schema in schemas.items():
        named = b"ARROW:schema" in (pq.read_metadata(path).metadata or {})
        for f in schema:
            if pa.types.is_timestamp(f.type) and f.type.tz is not None:
                zones.setdefault(f.name, set()).add(f.type.tz if named else None)
    return {c: next(iter(z)) if len(z) == 1 else None for c, z in zones.items()}


def _check_names(names: list[str], source: str, display: str) -> None:
    """DQ-2: column names must be unique (case does not make two names different: both
    engines treat column names case-insensitively) and not empty."""
    if not names or names == [""]:
        raise StructuralError(source, "de kopregel (regel 1) is leeg; verwacht de kolomnamen", file=display)
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name.strip() == "":
            raise StructuralError(source, f"kolom {i} van de kopregel heeft geen naam", file=display)
        key = name.lower()
        if key in seen:
            raise StructuralError(
                source,
                f"de kolomnaam komt twee keer voor (kolom {seen[key]} en {i}); welke bedoeld is, is niet te zeggen",
                file=display,
                column=name,
            )
        seen[key] = i


class _Unreadable(Exception):
    """A file that cannot be read, with a message for the user (Dutch)."""


def read_error(exc: Exception) -> str:
    """What is wrong with an unreadable file, in words: for a CSV error of DuckDB the line and
    the problem (fields, quote, encoding, length) with the line as written; otherwise the
    first lines of the engine's own message."""
    if isinstance(exc, _Unreadable):
        return str(exc)
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    original = re.search(r"Original Line: ?(.*?)\n", text, re.S)
    shown = ""
    if original:
        value = original.group(1)
        shown = f": {value[:200]!r}" + (" …" if len(value) > 200 else "")
    where = f"regel {line.group(1)}" if line else "een regel"
    if m := re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text):
        expected, got = int(m.group(1)), int(m.group(2))
        more = "meer" if got > expected else "minder"
        return f"{where} heeft {got} velden, {more} dan de {expected} kolommen van de kopregel{shown}"
    if "unterminated quote" in text:
        return f"{where} heeft een waarde met een aanhalingsteken (\") dat niet wordt gesloten{shown}"
    if "Invalid unicode" in text:
        return f"{where} is geen geldige UTF-8 (het contract vraagt UTF-8; een ongeldig teken staat als '?'){shown}"
    if m := re.search(r"Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)", text):
        return f"{where} is {thousands(int(m.group(2)))} bytes lang, langer dan de leesgrens van {thousands(int(m.group(1)))} bytes"
    if "state machine reached an invalid state" in text:
        return "het bestand is geen CSV volgens het contract (komma's, '\"' als aanhalingsteken; gemengde regeleinden?)"
    return short_error(exc)


def read_raw(
    con: ibis.BaseBackend, found: Located, source: str, columns: list[str], display: str, zones: dict[str, str] | None = None
) -> ibis.Table:
    """Load ``columns`` of one input into an engine table ``raw_<source>`` with ``rij``
    (1-based row number in the file, header not counted; for a dataset, counted through its
    files in path order). A column in ``zones`` holds timestamps with a time zone: it is read
    as the wall-clock time in that zone, so its date is the date there (never shifted to UTC)."""
    name = f"raw_{source}"
    zones = zones or {}
    try:
        if con.name == "pyspark":
            return _spark_read_raw(con, found, name, columns, zones)
        _duckdb_read_raw(con, found, name, columns, zones)
    except StructuralError:
        raise
    except Exception as exc:
        raise StructuralError(source, f"het bestand kan niet worden gelezen ({read_error(exc)})", file=display) from None
    return con.table(name)


def _duckdb_read_raw(con, found: Located, name: str, columns: list[str], zones: dict[str, str]) -> None:
    def column(c: str, prefix: str = "") -> str:
        if c in zones:
            return f'timezone({_sql_string(zones[c])}, {prefix}"{c}") AS "{c}"'
        return f'{prefix}"{c}"'

    select = ", ".join(column(c) for c in columns)
    scan = _duckdb_scan(found)
    if found.fmt == "csv":
        rij = "row_number() OVER ()"
    elif not found.dataset:
        rij = "file_row_number + 1"
    else:
        # the rows before each file: from the files' row counts in path order
        offsets = _file_offsets(
            [(f, n) for f, n in con.raw_sql(f"SELECT filename, count(*) FROM {scan} GROUP BY filename").fetchall()],
            found.path,
        )
        values = ", ".join(f"({_sql_string(f)}, {o})" for f, o in offsets.items())
        con.raw_sql(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT CAST(o.offset_ + s.file_row_number + 1 AS BIGINT) AS rij, "
            + ", ".join(column(c, "s.") for c in columns)
            + f" FROM {scan} s JOIN (VALUES {values}) o(filename, offset_) USING (filename)"
        )
        return
    con.raw_sql(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT CAST({rij} AS BIGINT) AS rij, {select} FROM {scan}")


def _file_offsets(counts: list[tuple[str, int]], root: str) -> dict[str, int]:
    """Rows before each file of a dataset, the files taken in order of their path relative
    to the dataset folder (the same order whichever engine lists them)."""
    def relative(f: str) -> str:
        f = f.removeprefix("file://").removeprefix("file:")
        r = root.removeprefix("file://").removeprefix("file:").rstrip("/")
        return f[len(r):] if f.startswith(r) else f

    offsets, total = {}, 0
    for f, n in sorted(counts, key=lambda fn: relative(fn[0])):
        offsets[f] = total
        total += int(n)
    return offsets


def _driver_csv(path: str):
    """A small CSV file shipped with the software, read on the driver: every value as text,
    an empty value missing (as both engines read CSV)."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _spark_read_raw(con, found: Located, name: str, columns: list[str], zones: dict[str, str]) -> ibis.Table:
    from pyspark.sql import functions as F

    if found.packaged:
        frame = _driver_csv(found.path)[columns].astype(object)
        frame = frame.where(frame.notna(), None)
        frame.insert(0, "rij", range(1, len(frame) + 1))
        schema = "rij long, " + ", ".join(f"`{c}` string" for c in columns)
        return _cache_raw(con, name, spark_session(con).createDataFrame(frame.values.tolist(), schema))
    df = _spark_reader(con, found)
    # the session's time zone is UTC: the wall-clock time in the column's zone, as UTC, has its date
    cols = [F.from_utc_timestamp(F.col(f"`{c}`"), zones[c]).alias(c) if c in zones else F.col(f"`{c}`") for c in columns]
    if found.fmt == "csv":
        # A single CSV file is split into partitions in file order; within a partition rows
        # keep their order. monotonically_increasing_id() is (partition << 33) + position,
        # so the line number is the rows of earlier partitions plus the position.
        with_id = df.select(F.monotonically_increasing_id().alias("_id"), *cols).persist()
        part = F.shiftright(F.col("_id"), 33)
        counts = with_id.groupBy(part.alias("_part")).count().collect()
        offsets, total = {}, 0
        for row in sorted(counts, key=lambda r: r["_part"]):
            offsets[row["_part"]] = total
            total += row["count"]
        offset_df = spark_session(con).createDataFrame(list(offsets.items()), "_part long, _offset long")
        raw = (
            with_id.withColumn("_part", part)
            .join(F.broadcast(offset_df), "_part")
            .select(
                (F.col("_offset") + F.col("_id").bitwiseAND((1 << 33) - 1) + 1).cast("long").alias("rij"), *cols
            )
        )
        table = _cache_raw(con, name, raw)
        with_id.unpersist()
        return table
    meta = df.select("_metadata.file_path", "_metadata.row_index", *cols)
    if not found.dataset:
        return _cache_raw(con, name, meta.select((F.col("row_index") + 1).cast("long").alias("rij"), *cols))
    counts = meta.groupBy("file_path").count().collect()
    offsets = _file_offsets([(r["file_path"], r["count"]) for r in counts], _spark_path(found.path))
    offset_df = spark_session(con).createDataFrame(list(offsets.items()), "file_path string, _offset long")
    raw = meta.join(F.broadcast(offset_df), "file_path").select(
        (F.col("_offset") + F.col("row_index") + 1).cast("long").alias("rij"), *cols
    )
    return _cache_raw(con, name, raw)


# --------------------------------------------------------------------------- intermediate results


def materialize(con: ibis.BaseBackend, name: str, expr: ibis.Table) -> ibis.Table:
    """Compute ``expr`` once inside the engine and keep it under ``name``."""
    if con.name == "pyspark":
        con._run_pre_execute_hooks(expr)  # registers in-memory tables (peildata, precedence)
        return _persist(con, name, spark_session(con).sql(con.compile(expr)))
    return con.create_table(name, expr, temp=True, overwrite=True)


def _cache_raw(con, name: str, df) -> ibis.Table:
    """An input as read: cached (its lineage is just the file scan; checkpointing a plan
    that reads Parquet row-index metadata fails in Spark 4.0)."""
    from pyspark import StorageLevel

    drop(con, name)
    df = df.persist(StorageLevel.MEMORY_AND_DISK)
    df.count()
    df.createOrReplaceTempView(name)
    _spark_cache(con)[name] = df
    return con.table(name)


def _persist(con, name: str, df) -> ibis.Table:
    """Compute ``df`` now and keep it under ``name`` with its lineage cut: it is written as
    Parquet to the run's scratch folder and read back, so a later plan refers to the stored
    rows and not to the whole history of how they were made (plans over several cached
    results otherwise grow until the driver runs out of memory; Spark 4.0's checkpoint
    fails on these plans). On a cluster the scratch folder is shared storage (HDFS, S3)."""
    drop(con, name)
    path = f"{_scratch(con)}/{name}"
    df.write.mode("overwrite").parquet(path)
    stored = spark_session(con).read.parquet(path)
    stored.createOrReplaceTempView(name)
    _spark_cache(con)[name] = stored
    con._regiorapportage_paths[name] = path
    return con.table(name)


def _scratch(con) -> str:
    return con._regiorapportage_scratch


def _delete_path(con, path: str) -> None:
    session = spark_session(con)
    jvm_path = session._jvm.org.apache.hadoop.fs.Path(path)
    jvm_path.getFileSystem(session._jsc.hadoopConfiguration()).delete(jvm_path, True)


def drop(con: ibis.BaseBackend, name: str) -> None:
    """Forget an intermediate result (no error when it does not exist)."""
    if con.name == "pyspark":
        df = _spark_cache(con).pop(name, None)
        spark_session(con).catalog.dropTempView(name)
        if df is not None:
            df.unpersist()
        path = con._regiorapportage_paths.pop(name, None)
        if path is not None:
            _delete_path(con, path)
        return
    con.drop_table(name, force=True)


def write_csv(table: ibis.Table, path: Path) -> None:
    """Write an engine table as CSV (header; quotes only where needed; empty = missing), the
    same bytes from either engine. DuckDB writes it itself, so a file full of bad rows never
    passes through Python; from Spark the rows stream through Arrow record batches."""
    backend = table._find_backend()
    if backend.name != "pyspark":
        table.to_csv(path)
        return
    # DuckDB's dialect: quotes only where needed, an empty string as "", a missing value empty
    def cell(value) -> str:
        if value is None:
            return ""
        text = str(value)
        if text == "" or any(ch in text for ch in ',"\n\r'):
            return '"' + text.replace('"', '""') + '"'
        return text

    with open(path, "w", encoding="utf-8", newline="") as f:
        batches = table.to_pyarrow_batches()
        f.write(",".join(cell(n) for n in batches.schema.names) + "\n")
        for batch in batches:
            for row in zip(*(column.to_pylist() for column in batch.columns)):
                f.write(",".join(cell(v) for v in row) + "\n")


def short_error(exc: Exception) -> str:
    """The first lines of an engine's error message, for a user-facing message."""
    text = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in text[:3])[:400]
