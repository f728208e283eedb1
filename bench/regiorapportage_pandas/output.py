"""The long format of CONTRACT.md ("Outputs"): ``regio_code,regio_naam,tabel,rij,kolom,waarde``,
every region code present with every cell of the vocabulary (zeros where nothing was counted),
sorted by region (NL01, AMxx ascending, ONB) and then tabel, rij, kolom in vocabulary order.

``waarde``: integers without decimals, banen with two decimals rounded half up from the
exact value (BA-5), percentages as whole numbers, the verdeelsleutel's share with four
decimals (LM), an empty field for a value that could not be computed (TR-3, TR-5, LM-6).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd

from .common import NL

COLUMNS = ["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"]


def vocabulary(*tables: tuple[str, list[str], list[str]]) -> list[tuple[str, str, str]]:
    return [(tabel, rij, kolom) for tabel, rijen, kolommen in tables for rij in rijen for kolom in kolommen]


def add_totals(agg: pd.DataFrame, row_total: bool = True, col_total: bool = True) -> pd.DataFrame:
    """``agg`` has regio_code, rij, kolom, waarde (per region without NL01). Adds the row
    ``totaal`` and/or the column ``totaal`` and Nederland (R-5: NL01 = Σ AMxx + AM99 + ONB)."""
    parts = [agg]
    if row_total:
        parts = parts + [p.assign(rij="totaal") for p in parts]
    if col_total:
        parts = parts + [p.assign(kolom="totaal") for p in parts]
    parts = parts + [p.assign(regio_code=NL) for p in parts]
    return pd.concat(parts, ignore_index=True).groupby(["regio_code", "rij", "kolom"], as_index=False)["waarde"].sum()


def count_table(micro: pd.DataFrame, rij: str, kolom: str, row_total: bool = True, col_total: bool = True) -> pd.DataFrame:
    """Counts of ``micro`` rows (one per person or advice) per region × ``rij`` × ``kolom``."""
    agg = micro.groupby(["regio_code", rij, kolom]).size().reset_index(name="waarde")
    agg = agg.rename(columns={rij: "rij", kolom: "kolom"})
    return add_totals(agg, row_total, col_total)


def as_cells(table: pd.DataFrame, tabel: str) -> dict:
    """{(regio_code, tabel, rij, kolom): value} from a regio_code/rij/kolom/waarde frame."""
    return {(r, tabel, rij, k): v for r, rij, k, v in table[["regio_code", "rij", "kolom", "waarde"]].itertuples(index=False)}


def long_table(regions: pd.DataFrame, vocab: list[tuple[str, str, str]], cells: dict, default=0) -> pd.DataFrame:
    """The full grid regions × vocabulary in publication order; ``default`` (a value or a
    function of (tabel, rij, kolom)) where ``cells`` has nothing."""
    rows = []
    for code, naam in regions[["regio_code", "regio_naam"]].itertuples(index=False):
        for tabel, rij, kolom in vocab:
            key = (code, tabel, rij, kolom)
            if key in cells:
                value = cells[key]
            else:
                value = default(tabel, rij, kolom) if callable(default) else default
            rows.append((code, naam, tabel, rij, kolom, value))
    frame = pd.DataFrame([r[:-1] for r in rows], columns=COLUMNS[:-1])
    # object: whole numbers stay int and an empty value stays None (not NaN in a float column)
    frame["waarde"] = pd.Series([r[-1] for r in rows], index=frame.index, dtype=object)
    return frame


def percentage(num: int, den: int) -> int:
    """100 × num / den rounded half up (62.5 → 63), 0 for an empty denominator (BW-5, KP-1)."""
    if den == 0:
        return 0
    return int(round_half_up(Fraction(100 * int(num), int(den))))


def round_half_up(x: Fraction, decimals: int = 0) -> Fraction:
    """Half up, away from zero for negative values (decisions.md, TR-5: −62.5 → −63)."""
    scale = 10**decimals
    n = abs(x) * scale
    rounded = (n + Fraction(1, 2)).__floor__()
    return Fraction(rounded if x >= 0 else -rounded, scale)


class Banen(Fraction):
    """A number of banen, exact; written with two decimals rounded half up (BA-5)."""


class Aandeel(Fraction):
    """A share 0–1 (the verdeelsleutel's ``aandeel_overheid``, LM-4), exact; written with four
    decimals rounded half up (CONTRACT, ``landelijke_monitor.csv``)."""


def _fixed(value: Fraction, decimals: int) -> str:
    units = abs(int(round_half_up(Fraction(value), decimals) * 10**decimals))
    sign = "-" if value < 0 and units else ""  # a value that rounds to zero is 0.00, never -0.00
    return f"{sign}{units // 10**decimals}.{units % 10**decimals:0{decimals}d}"


def format_waarde(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Banen):
        return _fixed(value, 2)
    if isinstance(value, Aandeel):
        return _fixed(value, 4)
    return str(int(value))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    out = frame[COLUMNS].copy()
    out["waarde"] = [format_waarde(v) for v in out["waarde"]]
    out.to_csv(path, index=False, lineterminator="\n")
