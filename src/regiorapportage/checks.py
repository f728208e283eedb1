"""Consistency checks run on every publication before anything is written (BW-6, FS-3, R-5,
the banen identity).

A violation means the system computed something impossible — a bug, not bad input — and
stops the run with every violation listed."""

from __future__ import annotations

import pandas as pd

from regiorapportage.errors import ConsistencyError
from regiorapportage.measures.region import NEDERLAND

PERCENTAGE_COLUMNS = {"percentage_werkend", "percentage", "percentage_indicatie"}


def _cells(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], object]:
    return {
        (r, t, rij, k): v
        for r, t, rij, k, v in frame[["regio_code", "tabel", "rij", "kolom", "waarde"]].itertuples(index=False, name=None)
    }


def _n(value):
    """An empty cell (not computable, e.g. no nulmeting) adds nothing."""
    return 0 if value is None else value


def rows_add_up(frame: pd.DataFrame, tables: dict[str, list[str]]) -> list[str]:
    """Every non-percentage column: the detail rows add up to ``totaal``."""
    cells = _cells(frame)
    problems = []
    for (region, table, row, col), value in cells.items():
        if row != "totaal" or table not in tables or col in PERCENTAGE_COLUMNS:
            continue
        parts = [cells[(region, table, r, col)] for r in tables[table]]
        if value is None and all(p is None for p in parts):
            continue
        if sum(_n(p) for p in parts) != _n(value):
            problems.append(f"{region} {table}.{col}: {' + '.join(map(str, parts))} ≠ totaal {value}")
    return problems


def nederland_is_sum(frame: pd.DataFrame) -> list[str]:
    """R-5: for every count, NL01 = Σ 35 regions + AM99 + ONB."""
    nl: dict[tuple[str, str, str], object] = {}
    rest: dict[tuple[str, str, str], object] = {}
    for (region, table, row, col), value in _cells(frame).items():
        if col in PERCENTAGE_COLUMNS:
            continue
        key = (table, row, col)
        if region == NEDERLAND:
            nl[key] = _n(value)
        else:
            rest[key] = rest.get(key, 0) + _n(value)
    return [
        f"R-5 {t}.{r}.{k}: Nederland {nl.get((t, r, k), 0)} ≠ som regio's {rest.get((t, r, k), 0)}"
        for (t, r, k) in sorted(set(nl) | set(rest))
        if nl.get((t, r, k), 0) != rest.get((t, r, k), 0)
    ]


def _raise(problems: list[str], what: str, rules: str) -> None:
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … en nog {len(problems) - 20}" if len(problems) > 20 else ""
        raise ConsistencyError(f"{what} is niet consistent ({rules}):\n  {shown}{more}")


def beschut_werk(frame: pd.DataFrame) -> None:
    """BW-6: rows add up to totaal; the two advice tables and the two work tables have
    equal totals; werkend_uit_cohort ≤ cohort and ≤ totaal_werkend in every row;
    positief + negatief = totaal; R-5."""
    cells = _cells(frame)
    detail = {
        "adviezen_naar_aanvrager": ["aanvraag_gemeente", "aanvraag_burger"],
        "adviezen_naar_verantwoordelijke": ["gemeente", "uwv"],
        "werk_naar_aanvrager": ["aanvraag_gemeente", "aanvraag_burger"],
        "werk_naar_verantwoordelijke": ["gemeente", "uwv"],
    }
    problems = [f"BW-6 {p}" for p in rows_add_up(frame, detail)]
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
    problems += nederland_is_sum(frame)
    _raise(problems, "de rapportage beschut werk", "BW-6/R-5")


def beschut_werk_series(frame: pd.DataFrame, reeks: pd.DataFrame, quarter: str) -> None:
    """The cohort series at P equals the report's work tables (totaal row), werkend ≤
    cohort in every quarter, and R-5 for every quarter."""
    cells, series = _cells(frame), _cells(reeks)
    problems = []
    for region in frame["regio_code"].unique():
        for col in ("positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend"):
            value = series[(region, "reeks", quarter, col)]
            if col == "percentage_werkend" and value is None:
                value = 0  # the report writes 0 % for an empty cohort, the series leaves it empty
            if value != cells[(region, "werk_naar_aanvrager", "totaal", col)]:
                problems.append(f"BW-3/BW-4 {region}: reeks {quarter} {col} ≠ rapportage werk_naar_aanvrager.totaal")
    for (region, _, q, col), value in series.items():
        if col == "werkend_uit_cohort" and _n(value) > _n(series[(region, "reeks", q, "positief_advies_tm_cohortdatum")]):
            problems.append(f"BW-4 {region} {q}: werkend {value} > cohort")
    problems += nederland_is_sum(reeks)
    _raise(problems, "de reeks beschut werk", "BW-3/BW-4/R-5")


SECTOREN = ["markt", "overheid", "onbekend"]


def trend(frame: pd.DataFrame, reeks: pd.DataFrame) -> None:
    """Trendrapportage, on the exact values (banen as exact hour sums, before rounding):
    banen totaal = markt + overheid + onbekend for banen, nulmeting and extra banen (BA-5,
    BA-6, TR-4); extra banen = banen − nulmeting; werkzame personen ≤ personen; the
    indicatie table repeats the total extra banen; the time series at P equals the report;
    R-5 for the report and for every quarter of the series."""
    problems = [f"BA-6 {p}" for p in rows_add_up(frame, {"banen": SECTOREN})]
    cells = _cells(frame)
    series = _cells(reeks)
    regions = frame["regio_code"].unique()
    quarters = sorted({rij for (_, _, rij, _) in series})
    last = quarters[-1] if quarters else None
    for region in regions:
        for row in [*SECTOREN, "totaal"]:
            b, n, e = (cells[(region, "banen", row, k)] for k in ("banen", "nulmeting", "extra_banen"))
            if n is not None and e != b - n:
                problems.append(f"TR-4 {region} banen.{row}: extra_banen {e} ≠ banen {b} − nulmeting {n}")
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
    problems += nederland_is_sum(frame) + nederland_is_sum(reeks)
    _raise(problems, "de trendrapportage banenafspraak", "BA-5/BA-6/TR-4/TR-6/R-5")


def factsheet(frame: pd.DataFrame) -> None:
    """FS-3 balance per region; categories and inflow/outflow tables add up to totaal and
    agree with the flows; R-5."""
    detail = {
        "categorie": ["wsw_wiw", "wajong", "doelgroep_pw"],
        "instroom_naar_grondslag": ["wsw_wiw", "wajong", "doelgroep_pw", "praktijkroute"],
        "uitstroom_naar_reden": ["aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "overig"],
    }
    problems = [f"FS {p}" for p in rows_add_up(frame, detail)]
    cells = _cells(frame)
    for region in frame["regio_code"].unique():
        f = {row: cells[(region, "stromen", row, "personen")] for (r, t, row, _) in cells if r == region and t == "stromen"}
        balance = (
            f["werkzaam_vorige_peildatum"] + f["werkzame_instromers"] - f["werkzame_uitstromers"]
            + f["begonnen_met_werk"] - f["gestopt_met_werk"] + f["verhuisd_in_werkzaam"] - f["verhuisd_uit_werkzaam"]
        )
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
    problems += nederland_is_sum(frame)
    _raise(problems, "de factsheet banenafspraak", "FS-3/R-5")


def klantprofielen(frame: pd.DataFrame) -> None:
    """KP-1: met zichtbaar profiel ≤ doelgroep zonder werk; R-5 for the counts."""
    cells = _cells(frame)
    problems = []
    for region in frame["regio_code"].unique():
        z = cells[(region, "klantprofielen", "totaal", "met_zichtbaar_profiel")]
        d = cells[(region, "klantprofielen", "totaal", "doelgroep_zonder_werk")]
        if z > d:
            problems.append(f"KP-1 {region}: met zichtbaar profiel {z} > doelgroep zonder werk {d}")
    problems += nederland_is_sum(frame)
    _raise(problems, "de transparantie klantprofielen", "KP-1/R-5")
