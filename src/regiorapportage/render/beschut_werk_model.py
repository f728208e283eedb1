"""The long-format table of the Rapportage beschut werk, read into one report per region.

The renderers only look numbers up here; they never compute them (DESIGN, BW-2, BW-5).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import pandas as pd

from regiorapportage.render import beschut_werk_texts as texts

REQUIRED_COLUMNS = ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde")


@dataclass
class RegionReport:
    """All numbers of one region (or Nederland, AM99, ONB)."""

    code: str
    naam: str
    values: dict[tuple[str, str, str], int | float] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return texts.region_kind(self.code)

    @property
    def published(self) -> bool:
        """AM99 and ONB are shown for completeness but are not published regions (R-2, R-4)."""
        return self.kind in ("nederland", "regio")

    def value(self, tabel: str, rij: str, kolom: str) -> int | float:
        try:
            return self.values[(tabel, rij, kolom)]
        except KeyError:
            raise ValueError(
                f"beschut werk: geen waarde voor regio {self.code}, tabel {tabel}, "
                f"rij {rij}, kolom {kolom}"
            ) from None


def _clean_value(value: object, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"beschut werk: waarde is geen getal ({value!r}) bij {where}")
    as_float = float(value)
    if math.isnan(as_float) or math.isinf(as_float):
        raise ValueError(f"beschut werk: lege of ongeldige waarde bij {where}")
    if isinstance(value, numbers.Integral):
        return int(value)
    return int(as_float) if as_float.is_integer() else as_float


def read_regions(table: pd.DataFrame) -> list[RegionReport]:
    """Group the long table by region, in the order NL01, AMxx…, AM99, ONB."""
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"beschut werk: kolommen ontbreken in de tabel: {', '.join(missing)}")
    regions: dict[str, RegionReport] = {}
    rows = table.loc[:, list(REQUIRED_COLUMNS)].itertuples(index=False, name=None)
    for code, naam, tabel, rij, kolom, waarde in rows:
        code = str(code)
        report = regions.get(code)
        if report is None:
            report = regions[code] = RegionReport(code=code, naam=str(naam))
        where = f"{code}/{tabel}/{rij}/{kolom}"
        report.values[(str(tabel), str(rij), str(kolom))] = _clean_value(waarde, where)
    if not regions:
        raise ValueError("beschut werk: de tabel is leeg")
    ordered = sorted(regions.values(), key=lambda r: texts.region_sort_key(r.code))
    # Fail early, with a clear message, when a cell the publication shows is missing.
    for report in ordered:
        for spec in texts.TABELLEN:
            kolommen = texts.ADVIES_KOLOMMEN if spec.soort == "adviezen" else texts.WERK_KOLOMMEN
            for rij, _ in spec.rijen:
                for kolom, _ in kolommen:
                    report.value(spec.tabel, rij, kolom)
    return ordered
