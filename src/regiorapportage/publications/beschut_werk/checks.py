"""Consistency checks of the Rapportage beschut werk and its cohort series (BW-6, R-5), on
every run before anything is written."""

from __future__ import annotations

import pandas as pd

from regiorapportage.publications.base import PERCENTAGE
from regiorapportage.publications.beschut_werk.vocabulary import BESCHUT_WERK, REEKS_VOCABULARY
from regiorapportage.publications.checks import cell_map, detail_rows, n, nederland_is_sum, raise_if, rows_add_up

PERCENTAGES = BESCHUT_WERK.cells_of_kind(PERCENTAGE)
REEKS_PERCENTAGES = REEKS_VOCABULARY.cells_of_kind(PERCENTAGE)


def beschut_werk(frame: pd.DataFrame) -> None:
    """BW-6: rows add up to totaal; the two advice tables and the two work tables have
    equal totals; werkend_uit_cohort ≤ cohort and ≤ totaal_werkend in every row;
    positief + negatief = totaal; R-5."""
    cells = cell_map(frame)
    detail = detail_rows(BESCHUT_WERK)
    problems = [f"BW-6 {p}" for p in rows_add_up(frame, detail, PERCENTAGES)]
    regions = frame["regio_code"].unique()
    for region in regions:
        for col in ("positief", "negatief", "totaal"):
            a = cells[(region, "adviezen_naar_aanvrager", "totaal", col)]
            b = cells[(region, "adviezen_naar_verantwoordelijke", "totaal", col)]
            if a != b:
                problems.append(f"BW-6 {region} adviezen totaal {col}: naar aanvrager {a} ≠ naar verantwoordelijke {b}")
        for col in ("positief_advies_tm_cohortdatum", "werkend_uit_cohort", "totaal_werkend"):
            a = cells[(region, "werk_naar_aanvrager", "totaal", col)]
            b = cells[(region, "werk_naar_verantwoordelijke", "totaal", col)]
            if a != b:
                problems.append(f"BW-6 {region} werk totaal {col}: naar aanvrager {a} ≠ naar verantwoordelijke {b}")
        for table, rows in detail.items():
            for row in [*rows, "totaal"]:
                if table.startswith("adviezen"):
                    p, n, t = (cells[(region, table, row, c)] for c in ("positief", "negatief", "totaal"))
                    if p + n != t:
                        problems.append(f"BW-6 {region} {table}.{row}: positief {p} + negatief {n} ≠ totaal {t}")
                else:
                    c, w, tw = (
                        cells[(region, table, row, k)]
                        for k in ("positief_advies_tm_cohortdatum", "werkend_uit_cohort", "totaal_werkend")
                    )
                    if w > c or w > tw:
                        problems.append(
                            f"BW-6 {region} {table}.{row}: werkend_uit_cohort {w} > cohort {c} of > totaal_werkend {tw}"
                        )
    problems += nederland_is_sum(frame, PERCENTAGES)
    raise_if(problems, "de rapportage beschut werk", "BW-6/R-5")


def beschut_werk_series(frame: pd.DataFrame, reeks: pd.DataFrame, quarter: str) -> None:
    """The cohort series at P equals the report's work tables (totaal row), werkend ≤
    cohort in every quarter, and R-5 for every quarter."""
    cells, series = cell_map(frame), cell_map(reeks)
    problems = []
    for region in frame["regio_code"].unique():
        for col in ("positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend"):
            value = series[(region, "reeks", quarter, col)]
            if col == "percentage_werkend" and value is None:
                value = 0  # the report writes 0 % for an empty cohort, the series leaves it empty
            if value != cells[(region, "werk_naar_aanvrager", "totaal", col)]:
                problems.append(f"BW-3/BW-4 {region}: reeks {quarter} {col} ≠ rapportage werk_naar_aanvrager.totaal")
    for (region, _, q, col), value in series.items():
        if col == "werkend_uit_cohort" and n(value) > n(series[(region, "reeks", q, "positief_advies_tm_cohortdatum")]):
            problems.append(f"BW-4 {region} {q}: werkend {value} > cohort")
    problems += nederland_is_sum(reeks, REEKS_PERCENTAGES)
    raise_if(problems, "de reeks beschut werk", "BW-3/BW-4/R-5")
