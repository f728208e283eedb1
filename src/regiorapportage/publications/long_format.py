"""The long format of CONTRACT.md: ``regio_code, regio_naam, tabel, rij, kolom, waarde``.

Rows are ordered by region (``NL01``, the ``AMxx`` codes, ``ONB``), then ``tabel``, ``rij``
and ``kolom`` in the order of the publication's vocabulary. Every region has every cell,
with 0 where nothing was counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from regiorapportage.measures.region import NEDERLAND, NEDERLAND_NAAM, ONBEKEND, ONBEKEND_NAAM

COLUMNS = ["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"]


@dataclass(frozen=True)
class Table:
    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]


def region_list(classification: pd.DataFrame) -> list[tuple[str, str]]:
    """(code, naam) of every reported region: Nederland, each AMxx of the year's
    classification (the 35 regions and AM99), and Onbekend."""
    regions = classification[["regio_code", "regio_naam"]].drop_duplicates().sort_values("regio_code")
    return [(NEDERLAND, NEDERLAND_NAAM), *regions.itertuples(index=False, name=None), (ONBEKEND, ONBEKEND_NAAM)]


def grid(regions: list[tuple[str, str]], tables: list[Table]) -> pd.DataFrame:
    """Every (region, tabel, rij, kolom) cell in publication order, waarde 0."""
    records = [
        (code, name, t.name, r, k, 0)
        for code, name in regions
        for t in tables
        for r in t.rows
        for k in t.columns
    ]
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def fill(frame: pd.DataFrame, values: pd.DataFrame, exact: bool = False) -> pd.DataFrame:
    """Put ``values`` (regio_code, tabel, rij, kolom, waarde) into the grid, keeping the
    grid's order; cells without a value stay 0. A value for a cell outside the grid is a
    bug (a region or vocabulary word the grid does not know) and stops the run.

    With ``exact`` the values are kept as given (``int``, ``Decimal`` for banen, ``None``
    for a cell that could not be computed); otherwise they are whole numbers (int64)."""
    key = ["regio_code", "tabel", "rij", "kolom"]
    check = values[key].merge(frame[key], on=key, how="left", indicator=True)
    stray = check[check["_merge"] == "left_only"]
    if len(stray):
        raise AssertionError(f"waarden buiten de woordenlijst van de publicatie: {stray[key].head().to_dict('records')}")
    if len(values[key].drop_duplicates()) != len(values):
        raise AssertionError("een cel van de publicatie heeft meer dan één waarde")
    merged = frame.merge(values[key + ["waarde"]], on=key, how="left", suffixes=("", "_new"), indicator=True)
    given = merged["_merge"] == "both"
    if exact:
        # a value column that mixed None into numbers arrives as floats with NaN: NaN is None
        merged["waarde"] = [
            (None if _is_nan(new) else new) if g else old
            for old, new, g in zip(merged["waarde"], merged["waarde_new"], given)
        ]
        merged["waarde"] = merged["waarde"].astype(object)
    else:
        merged["waarde"] = merged["waarde_new"].where(given, merged["waarde"]).astype("int64")
    return merged[COLUMNS]


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value


def format_waarde(value, decimals: int = 2) -> str:
    """CONTRACT.md: ``waarde`` is a number — integers without decimals, banen (``Decimal``)
    with two decimals rounded half up (a share, ``aandeel_overheid``, with ``decimals=4``);
    an empty field for a value that could not be computed (``None``)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return str(rounded.copy_abs() if rounded.is_zero() else rounded)  # never "-0.00"
    return str(int(value))


def round_half_up_percentage(numerator: int, denominator: int) -> int:
    """100 × numerator / denominator rounded half up to a whole number; 0 when the
    denominator is 0 (BW-5: 62.5 → 63). Integer arithmetic, so no float surprises."""
    if denominator == 0:
        return 0
    return (200 * numerator + denominator) // (2 * denominator)
