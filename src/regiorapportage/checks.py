"""Consistency checks run on every publication before anything is written (BW-6, R-5).

A violation means the system computed something impossible — a bug, not bad input — and
stops the run with every violation listed."""

from __future__ import annotations

import pandas as pd

from regiorapportage.errors import ConsistencyError
from regiorapportage.measures.region import NEDERLAND

PERCENTAGE_COLUMNS = {"percentage_werkend", "percentage", "percentage_indicatie"}


def _cells(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], int]:
    return {
        (r, t, rij, k): v
        for r, t, rij, k, v in frame[["regio_code", "tabel", "rij", "kolom", "waarde"]].itertuples(index=False, name=None)
    }


def rows_add_up(frame: pd.DataFrame, tables: dict[str, list[str]]) -> list[str]:
    """Every non-percentage column: the detail rows add up to ``totaal``."""
    cells = _cells(frame)
    problems = []
    for (region, table, row, col), value in cells.items():
        if row != "totaal" or table not in tables or col in PERCENTAGE_COLUMNS:
            continue
        parts = [cells[(region, table, r, col)] for r in tables[table]]
        if sum(parts) != value:
            problems.append(f"{region} {table}.{col}: {' + '.join(map(str, parts))} ≠ totaal {value}")
    return problems


def nederland_is_sum(frame: pd.DataFrame) -> list[str]:
    """R-5: for every count, NL01 = Σ 35 regions + AM99 + ONB."""
    counts = frame[~frame["kolom"].isin(PERCENTAGE_COLUMNS)]
    nl = counts[counts["regio_code"] == NEDERLAND].set_index(["tabel", "rij", "kolom"])["waarde"]
    rest = counts[counts["regio_code"] != NEDERLAND].groupby(["tabel", "rij", "kolom"])["waarde"].sum()
    both = pd.concat([nl.rename("nl"), rest.rename("som")], axis=1).fillna(0)
    bad = both[both["nl"] != both["som"]]
    return [f"R-5 {t}.{r}.{k}: Nederland {int(x.nl)} ≠ som regio's {int(x.som)}" for (t, r, k), x in bad.iterrows()]


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
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … en nog {len(problems) - 20}" if len(problems) > 20 else ""
        raise ConsistencyError(f"de rapportage beschut werk is niet consistent (BW-6/R-5):\n  {shown}{more}")
