"""Reading the input folder (CONTRACT.md, "Inputs") into plain pandas frames.

A source is ``<bron>.csv``, ``<bron>.parquet`` or a folder ``<bron>/`` of Parquet files (a
dataset, possibly Hive-partitioned: ``polis_tijdvak/jaar=2019/part-0.parquet``; docs/scale-out.md,
"Inputs"; docs/decisions.md, "Engines and inputs").

Every CSV column is read as text, exactly as written (empty field = null; no other spelling
of null is recognised), so that ``validate`` can apply the row rules of DQ-2 to the raw
values. Parquet columns keep their types; ``validate`` converts both to one representation.
Each frame gets the column ``rij``: the 1-based data row number in the file (DQ-1); for a
dataset it counts on through its files in the order of their paths relative to the folder.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class StructuralError(Exception):
    """DQ-2: a problem with a whole file or column; the run stops before any output."""


DATA = Path(__file__).parent / "data"


def own_data(name: str) -> Path:
    """A data file shipped with this reference itself (``data/``: the classifications of
    2016, 2019 and 2026 (R-8) and the gemeentelijke herindelingen (R-7), copied from
    ``shared/reference``; see ``data/README.md``). Never read from outside the package."""
    return DATA / name


def package_data(name: str) -> Path:
    """A data file shipped with the pipeline package (rules kept as data: the BA-7 precedence
    table). Located without importing the package, so that this reference stays independent
    of its code."""
    spec = importlib.util.find_spec("regiorapportage")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package regiorapportage (for its data files) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / name


def find_source(folder: Path, name: str) -> Path | None:
    """``<name>.csv``, ``<name>.parquet`` or the dataset folder ``<name>/``; more than one of
    them at once is structural (DQ-2)."""
    present = [p for p in (folder / f"{name}.csv", folder / f"{name}.parquet") if p.is_file()]
    if (folder / name).is_dir():
        present.append(folder / name)
    if len(present) > 1:
        shown = [p.name + ("/" if p.is_dir() else "") for p in present]
        raise StructuralError(f"{name}: both {' and '.join(shown)} present")
    return present[0] if present else None


def _hidden(relative: Path) -> bool:
    """Not data: a path with a component starting with ``.`` or ``_`` (``_SUCCESS``, ``.crc``,
    ``_temporary/``), as Spark and Hive skip them (decisions.md, "Hidden files are not data")."""
    return any(part.startswith((".", "_")) for part in relative.parts)


def dataset_files(folder: Path) -> list[Path]:
    """The Parquet files of a dataset folder in the order of their paths relative to it (the
    order ``rij`` counts through, docs/scale-out.md); none is structural (DQ-2)."""
    relative = [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()]
    files = sorted((r for r in relative if r.suffix == ".parquet" and not _hidden(r)), key=lambda r: r.as_posix())
    if not files:
        raise StructuralError(f"{folder.name}/: folder without any Parquet file")
    return [folder / r for r in files]


_NULLABLE = {pa.bool_(): pd.BooleanDtype(), pa.int8(): pd.Int64Dtype(), pa.int16(): pd.Int64Dtype(),
             pa.int32(): pd.Int64Dtype(), pa.int64(): pd.Int64Dtype()}


def _read_parquet(path: Path, columns: list[str], shown: str) -> pd.DataFrame:
    """The contract's ``columns`` of one Parquet file (extra columns are ignored; Hive partition
    columns live in the folder names, not in the file, so they are not read)."""
    try:
        file = pq.ParquetFile(path)
        missing = [c for c in columns if c not in file.schema_arrow.names]
        table = None if missing else file.read(columns=columns)
    except Exception as e:  # noqa: BLE001 - any reader failure is an unreadable file
        raise StructuralError(f"{shown}: unreadable Parquet file ({e})") from e
    if missing:
        raise StructuralError(f"{shown}: column(s) {', '.join(missing)} missing")
    # decimals go to validate as their exact text (no float, no Python Decimal objects)
    for i, f in enumerate(table.schema):
        if pa.types.is_decimal(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.string()))
    # flags and whole numbers stay nullable (not object / float) when a value is missing
    return table.to_pandas(date_as_object=False, types_mapper=_NULLABLE.get)


def read_source(path: Path, columns: list[str]) -> pd.DataFrame:
    """The contract's ``columns`` of one input (file or dataset folder), plus ``rij``."""
    if path.is_dir():
        parts = [_read_parquet(f, columns, f"{path.name}/{f.relative_to(path).as_posix()}")
                 for f in dataset_files(path)]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    elif path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise StructuralError(f"{path.name}: column(s) {', '.join(missing)} missing")
        frame = frame[columns]
    else:
        frame = _read_parquet(path, columns, path.name)
    frame = frame[columns].copy()
    frame.insert(0, "rij", range(1, len(frame) + 1))
    return frame


def read_extractiedatum(folder: Path) -> dict[str, str]:
    """bronnen.json (T-5): when each extract was taken."""
    path = folder / "bronnen.json"
    if not path.exists():
        raise StructuralError("bronnen.json missing")
    return json.loads(path.read_text(encoding="utf-8"))["extractiedatum"]
