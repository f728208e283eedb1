"""Reading the input folder (CONTRACT.md, "Inputs") into plain pandas frames.

Every CSV column is read as text, exactly as written (empty field = null; no other spelling
of null is recognised), so that ``validate`` can apply the row rules of DQ-2 to the raw
values. Parquet columns keep their types; ``validate`` converts both to one representation.
Each frame gets the column ``rij``: the 1-based data row number in the file (DQ-1).
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


def package_data(name: str) -> Path:
    """A data file shipped with the pipeline package (rules kept as data: the packaged 2019
    classification, the BA-7 precedence table). Located without importing the package, so
    that this reference stays independent of its code."""
    spec = importlib.util.find_spec("regiorapportage")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package regiorapportage (for its data files) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / name


def find_source(folder: Path, name: str) -> Path | None:
    """``<name>.csv`` or ``<name>.parquet``; both at once is structural (DQ-2)."""
    csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
    if csv.exists() and parquet.exists():
        raise StructuralError(f"{name}: both {csv.name} and {parquet.name} present")
    if csv.exists():
        return csv
    if parquet.exists():
        return parquet
    return None


def read_source(path: Path, columns: list[str]) -> pd.DataFrame:
    """The contract's ``columns`` of one input file (extra columns are ignored), plus ``rij``."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    else:
        table = pq.read_table(path)
        # decimals go to validate as their exact text (no float, no Python Decimal objects)
        for i, f in enumerate(table.schema):
            if pa.types.is_decimal(f.type):
                table = table.set_column(i, f.name, table.column(i).cast(pa.string()))
        # flags and whole numbers stay nullable (not object / float) when a value is missing
        nullable = {pa.bool_(): pd.BooleanDtype(), pa.int8(): pd.Int64Dtype(), pa.int16(): pd.Int64Dtype(),
                    pa.int32(): pd.Int64Dtype(), pa.int64(): pd.Int64Dtype()}
        frame = table.to_pandas(date_as_object=False, types_mapper=nullable.get)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StructuralError(f"{path.name}: column(s) {', '.join(missing)} missing")
    frame = frame[columns].copy()
    frame.insert(0, "rij", range(1, len(frame) + 1))
    return frame


def read_extractiedatum(folder: Path) -> dict[str, str]:
    """bronnen.json (T-5): when each extract was taken."""
    path = folder / "bronnen.json"
    if not path.exists():
        raise StructuralError("bronnen.json missing")
    return json.loads(path.read_text(encoding="utf-8"))["extractiedatum"]
