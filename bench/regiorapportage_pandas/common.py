"""Time (T-1, T-2) and region (R-1 … R-5): what every publication shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

NL, NL_NAAM = "NL01", "Nederland"
ONB, ONB_NAAM = "ONB", "Onbekend"


@dataclass(frozen=True, order=True)
class Quarter:
    """T-1: a reporting quarter ``YYYYQn``; its peildatum is the last day of the quarter."""

    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        m = re.fullmatch(r"(\d{4})Q([1-4])", str(text))
        if not m:
            raise ValueError(f"quarter must look like 2019Q2, not {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def first_day(self) -> pd.Timestamp:
        return pd.Timestamp(self.year, 3 * self.q - 2, 1)

    @property
    def peildatum(self) -> pd.Timestamp:
        return self.first_day + pd.DateOffset(months=3) - pd.Timedelta(days=1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    @classmethod
    def of(cls, day: pd.Timestamp) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


def covers(begin: pd.Series, end: pd.Series, day: pd.Timestamp) -> pd.Series:
    """T-2: closed interval; an empty end means still open."""
    return (begin <= day) & (end.isna() | (end >= day))


def classification(gemeenten: pd.DataFrame, year: int) -> pd.DataFrame:
    """R-2: gemeente_code → regio_code, regio_naam in the classification of ``year``."""
    rows = gemeenten[gemeenten["jaar"] == year]
    return rows.rename(columns={"arbeidsmarktregio_code": "regio_code", "arbeidsmarktregio_naam": "regio_naam"})[
        ["gemeente_code", "regio_code", "regio_naam"]
    ]


def region_list(classes: pd.DataFrame) -> pd.DataFrame:
    """Every published code (CONTRACT, long format): NL01, the AMxx codes ascending (AM99
    among them), ONB — in this order (decisions.md, "Region order")."""
    am = classes[["regio_code", "regio_naam"]].drop_duplicates("regio_code").sort_values("regio_code")
    return pd.concat(
        [pd.DataFrame({"regio_code": [NL], "regio_naam": [NL_NAAM]}), am,
         pd.DataFrame({"regio_code": [ONB], "regio_naam": [ONB_NAAM]})],
        ignore_index=True,
    )


def sort_brp(brp: pd.DataFrame) -> pd.DataFrame:
    """BRP records in the order R-1 prefers them (last = preferred): by begindatum, then row."""
    return brp.sort_values(["persoon_id", "begindatum", "rij"])


def gemeente_on(brp: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """R-1: persoon_id → gemeente_code on ``day``: the residence record covering the day; with
    several, the one that began last, then the later row of the file (decisions.md); when none
    covers it, the record that began last before the day (last known address).
    ``brp`` must be sorted by ``sort_brp``."""
    started = brp[brp["begindatum"] <= day]
    covering = started[started["einddatum"].isna() | (started["einddatum"] >= day)]
    # the last record per person wins; covering records are put after all started ones
    best = pd.concat([started, covering]).drop_duplicates("persoon_id", keep="last")
    return best.set_index("persoon_id")["gemeente_code"]


def to_region(gemeente: pd.Series, classes: pd.DataFrame) -> pd.Series:
    """R-2/R-4: gemeente_code → regio_code; no gemeente or a code the classification does not
    contain → ONB."""
    mapping = classes.set_index("gemeente_code")["regio_code"]
    return gemeente.map(mapping).fillna(ONB).astype("str")


def region_on(brp: pd.DataFrame, classes: pd.DataFrame, persons: pd.Index, day: pd.Timestamp) -> pd.Series:
    """R-3: the region of each of ``persons`` on ``day`` (ONB without a gemeente)."""
    gemeente = gemeente_on(brp, day).reindex(persons)
    return to_region(gemeente, classes)
