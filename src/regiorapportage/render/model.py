"""The long tables of a run read into one record per region, for the renderers.

A publication's :class:`~regiorapportage.publications.base.Vocabulary` says which cells
exist and which may be empty; the renderers only look values up here (DESIGN: they never
compute numbers). Reading fails with a clear message when a cell of the vocabulary is
missing, holds something that is not a number, or is empty where the vocabulary does not
allow an empty cell (``None`` is allowed only where a value can not be computed).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from regiorapportage.publications.base import Vocabulary
from regiorapportage.quarter import Quarter
from regiorapportage.render import regions

REQUIRED_COLUMNS = ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde")

Value = int | float | Decimal | None


@dataclass
class RegionValues:
    """All values of one publication for one region (or Nederland, AM99, ONB)."""

    publication: str
    code: str
    naam: str
    values: dict[tuple[str, str, str], Value] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return regions.region_kind(self.code)

    @property
    def published(self) -> bool:
        return regions.is_published(self.code)

    def value(self, tabel: str, rij: str, kolom: str) -> Value:
        try:
            return self.values[(tabel, rij, kolom)]
        except KeyError:
            raise ValueError(
                f"{self.publication}: geen waarde voor regio {self.code}, tabel {tabel}, "
                f"rij {rij}, kolom {kolom}"
            ) from None


def clean_value(value: object, where: str, nullable: bool) -> Value:
    """The value as int, Decimal or float, or None; anything else is an error."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        if nullable:
            return None
        raise ValueError(f"lege waarde bij {where}, waar een getal verwacht wordt")
    if isinstance(value, bool):
        raise ValueError(f"waarde is geen getal ({value!r}) bij {where}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            if value.is_nan() and nullable:
                return None
            raise ValueError(f"ongeldige waarde ({value!r}) bij {where}")
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if math.isnan(as_float) and nullable:
            return None
        if math.isnan(as_float) or math.isinf(as_float):
            raise ValueError(f"ongeldige waarde ({value!r}) bij {where}")
        return int(as_float) if as_float.is_integer() else as_float
    raise ValueError(f"waarde is geen getal ({value!r}) bij {where}")


def _rows(table: pd.DataFrame, what: str):
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{what}: kolommen ontbreken in de tabel: {', '.join(missing)}")
    if table.empty:
        raise ValueError(f"{what}: de tabel is leeg")
    return table.loc[:, list(REQUIRED_COLUMNS)].itertuples(index=False, name=None)


def read_publication(table: pd.DataFrame, spec: Vocabulary) -> dict[str, RegionValues]:
    """Group the long table by region, checking every cell of the vocabulary. Returns the
    regions keyed by code, in the order NL01, AMxx…, AM99, ONB."""
    known = {(t.tabel, c.code): c for t in spec.tables for c in t.columns}
    found: dict[str, RegionValues] = {}
    for code, naam, tabel, rij, kolom, waarde in _rows(table, spec.key):
        code = str(code)
        region = found.get(code)
        if region is None:
            region = found[code] = RegionValues(spec.key, code, str(naam))
        column = known.get((str(tabel), str(kolom)))
        where = f"{spec.key} {code}/{tabel}/{rij}/{kolom}"
        nullable = column.nullable if column is not None else True
        region.values[(str(tabel), str(rij), str(kolom))] = clean_value(waarde, where, nullable)
    ordered = sorted(found.values(), key=lambda r: regions.region_sort_key(r.code))
    for region in ordered:
        for t in spec.tables:
            for rij, _ in t.rows:
                for column in t.columns:
                    region.value(t.tabel, rij, column.code)
    return {r.code: r for r in ordered}


# --- time series (a vocabulary with ``series``: rows are quarters) ---------------------------


@dataclass
class RegionSeries:
    """The quarters of one region's time series, oldest first, each with its values."""

    publication: str
    code: str
    naam: str
    quarters: list[Quarter] = field(default_factory=list)
    values: dict[Quarter, dict[str, Value]] = field(default_factory=dict)

    def value(self, quarter: Quarter, kolom: str) -> Value:
        try:
            return self.values[quarter][kolom]
        except KeyError:
            raise ValueError(
                f"{self.publication}: geen waarde voor regio {self.code}, kwartaal {quarter}, kolom {kolom}"
            ) from None


def read_series(table: pd.DataFrame, spec: Vocabulary) -> dict[str, RegionSeries]:
    """The long table of a time series (``tabel`` = the series table, ``rij`` = YYYYQn)."""
    (series_table,) = spec.tables
    columns = {c.code: c for c in series_table.columns}
    key = spec.key
    found: dict[str, RegionSeries] = {}
    for code, naam, tabel, rij, kolom, waarde in _rows(table, key):
        code = str(code)
        if str(tabel) != series_table.tabel:
            raise ValueError(f"{key}: onbekende tabel {tabel!r} bij regio {code}")
        try:
            quarter = Quarter.parse(str(rij))
        except Exception as exc:  # noqa: BLE001 - UserError: not a quarter
            raise ValueError(f"{key}: rij {rij!r} bij regio {code} is geen kwartaal") from exc
        column = columns.get(str(kolom))
        where = f"{key} {code}/{rij}/{kolom}"
        series = found.get(code)
        if series is None:
            series = found[code] = RegionSeries(key, code, str(naam))
        series.values.setdefault(quarter, {})[str(kolom)] = clean_value(
            waarde, where, column.nullable if column is not None else True
        )
    for series in found.values():
        series.quarters = sorted(series.values)
        for quarter in series.quarters:
            for column in series_table.columns:
                series.value(quarter, column.code)
    ordered = sorted(found.values(), key=lambda s: regions.region_sort_key(s.code))
    return {s.code: s for s in ordered}


def read(table: pd.DataFrame, spec: Vocabulary) -> dict:
    """Either reader, by the kind of vocabulary."""
    return read_series(table, spec) if spec.series else read_publication(table, spec)
