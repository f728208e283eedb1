"""Consistency checks of the banenafspraak publications on the exact values (banen as exact
hour sums, before rounding): the banen identity (BA-5, BA-6), TR-4, TR-6, FS-3, KP-1 and R-5,
on every run before anything is written."""

from __future__ import annotations

import pandas as pd

from regiorapportage.publications.banenafspraak.vocabulary import FACTSHEET, KLANTPROFIELEN, REEKS, STROMEN_BALANS, TREND
from regiorapportage.publications.base import PERCENTAGE
from regiorapportage.publications.checks import cell_map, detail_rows, nederland_is_sum, raise_if, rows_add_up

_TREND_PCT = TREND.cells_of_kind(PERCENTAGE)
_REEKS_PCT = REEKS.cells_of_kind(PERCENTAGE)
_FACTSHEET_PCT = FACTSHEET.cells_of_kind(PERCENTAGE)
_KP_PCT = KLANTPROFIELEN.cells_of_kind(PERCENTAGE)


def trend(frame: pd.DataFrame, reeks: pd.DataFrame) -> None:
    """Trendrapportage, on the exact values (banen as exact hour sums, before rounding):
    banen totaal = markt + overheid + onbekend for banen, nulmeting and extra banen (BA-5,
    BA-6, TR-4); extra banen = banen − nulmeting; werkzame personen ≤ personen; the
    indicatie table repeats the total extra banen; the time series at P equals the report;
    R-5 for the report and for every quarter of the series."""
    problems = [f"BA-6 {p}" for p in rows_add_up(frame, detail_rows(TREND, ("banen",)), _TREND_PCT)]
    cells = cell_map(frame)
    series = cell_map(reeks)
    regions = frame["regio_code"].unique()
    quarters = sorted({rij for (_, _, rij, _) in series})
    last = quarters[-1] if quarters else None
    for region in regions:
        for row in TREND.table("banen").row_codes:
            b, nul, e = (cells[(region, "banen", row, k)] for k in ("banen", "nulmeting", "extra_banen"))
            if nul is not None and e != b - nul:
                problems.append(f"TR-4 {region} banen.{row}: extra_banen {e} ≠ banen {b} − nulmeting {nul}")
        p, w = cells[(region, "doelgroep", "totaal", "personen")], cells[(region, "doelgroep", "totaal", "werkzame_personen")]
        if w > p:
            problems.append(f"BA-4 {region}: werkzame personen {w} > doelgroep {p}")
        if cells[(region, "indicatie_werkkamer", "totaal", "extra_banen")] != cells[(region, "banen", "totaal", "extra_banen")]:
            problems.append(f"TR-5 {region}: extra banen in de indicatietabel ≠ extra banen totaal")
        if last is not None:
            for col, (table, row, k) in {
                "doelgroep_personen": ("doelgroep", "totaal", "personen"),
                "werkzame_personen": ("doelgroep", "totaal", "werkzame_personen"),
                "banen": ("banen", "totaal", "banen"),
                "extra_banen": ("banen", "totaal", "extra_banen"),
            }.items():
                if series[(region, "reeks", last, col)] != cells[(region, table, row, k)]:
                    problems.append(f"TR-6 {region}: reeks {last} {col} ≠ rapportage {table}.{row}.{k}")
    problems += nederland_is_sum(frame, _TREND_PCT) + nederland_is_sum(reeks, _REEKS_PCT)
    raise_if(problems, "de trendrapportage banenafspraak", "BA-5/BA-6/TR-4/TR-6/R-5")


def factsheet(frame: pd.DataFrame) -> None:
    """FS-3 balance per region; categories and inflow/outflow tables add up to totaal and
    agree with the flows; R-5."""
    detail = detail_rows(FACTSHEET)
    problems = [f"FS {p}" for p in rows_add_up(frame, detail, _FACTSHEET_PCT)]
    cells = cell_map(frame)
    for region in frame["regio_code"].unique():
        f = {row: cells[(region, "stromen", row, "personen")] for (r, t, row, _) in cells if r == region and t == "stromen"}
        balance = sum(sign * f[row] for row, sign in STROMEN_BALANS)
        if balance != f["werkzaam"]:
            problems.append(f"FS-3 {region}: werkzaam {f['werkzaam']} ≠ vorige peildatum + stromen = {balance}")
        if cells[(region, "categorie", "totaal", "werkzaam")] != f["werkzaam"]:
            problems.append(f"FS-1 {region}: werkzaam per categorie ≠ werkzaam in de stromen")
        for table, prefix in (("instroom_naar_grondslag", "instromers"), ("uitstroom_naar_reden", "uitstromers")):
            if cells[(region, table, "totaal", "werkzaam")] != f[f"werkzame_{prefix}"]:
                problems.append(f"FS {region}: {table} totaal werkzaam ≠ werkzame {prefix}")
            if cells[(region, table, "totaal", "niet_werkzaam")] != f[f"niet_werkzame_{prefix}"]:
                problems.append(f"FS {region}: {table} totaal niet werkzaam ≠ niet-werkzame {prefix}")
        for cat in detail["categorie"] + ["totaal"]:
            if cells[(region, "categorie", cat, "werkzaam")] > cells[(region, "categorie", cat, "personen")]:
                problems.append(f"FS-1 {region} categorie {cat}: werkzaam > personen")
    problems += nederland_is_sum(frame, _FACTSHEET_PCT)
    raise_if(problems, "de factsheet banenafspraak", "FS-3/R-5")


def klantprofielen(frame: pd.DataFrame) -> None:
    """KP-1: met zichtbaar profiel ≤ doelgroep zonder werk; R-5 for the counts."""
    cells = cell_map(frame)
    problems = []
    for region in frame["regio_code"].unique():
        z = cells[(region, "klantprofielen", "totaal", "met_zichtbaar_profiel")]
        d = cells[(region, "klantprofielen", "totaal", "doelgroep_zonder_werk")]
        if z > d:
            problems.append(f"KP-1 {region}: met zichtbaar profiel {z} > doelgroep zonder werk {d}")
    problems += nederland_is_sum(frame, _KP_PCT)
    raise_if(problems, "de transparantie klantprofielen", "KP-1/R-5")
