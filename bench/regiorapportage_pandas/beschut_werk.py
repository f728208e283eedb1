"""Rapportage beschut werk (SPEC.md section 3, BW-1 … BW-5; regions R-1 … R-5)."""

from __future__ import annotations

import pandas as pd

from .common import ONB, Quarter, covers, gemeente_on, sort_brp, to_region
from .output import add_totals, as_cells, count_table, long_table, percentage, vocabulary

START = pd.Timestamp("2015-01-01")  # advice beschut werk exists since 2015

AANVRAGER = {"gemeente": "aanvraag_gemeente", "burger": "aanvraag_burger"}  # BW-2 row names
WERK_KOLOMMEN = ["positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend", "totaal_werkend"]
VOCAB = vocabulary(
    ("adviezen_naar_aanvrager", ["aanvraag_gemeente", "aanvraag_burger", "totaal"], ["positief", "negatief", "totaal"]),
    ("adviezen_naar_verantwoordelijke", ["gemeente", "uwv", "totaal"], ["positief", "negatief", "totaal"]),
    ("werk_naar_aanvrager", ["aanvraag_gemeente", "aanvraag_burger", "totaal"], WERK_KOLOMMEN),
    ("werk_naar_verantwoordelijke", ["gemeente", "uwv", "totaal"], WERK_KOLOMMEN),
)


def person_regions(inputs: dict, classes: pd.DataFrame, quarter: Quarter, window: pd.DataFrame) -> pd.Series:
    """R-3 for beschut werk: persoon_id → region on P. A person without any BRP residence record
    falls back to the gemeente_code of their most recent advice in the BW-1 window that has one
    (ties: the higher advies_id; decisions.md); otherwise (and for unknown codes) ONB (R-4)."""
    brp = inputs["brp_verblijf"]
    persons = pd.Index(inputs["adviezen"]["persoon_id"].unique(), name="persoon_id")
    gemeente = gemeente_on(sort_brp(brp), quarter.peildatum).reindex(persons)
    without_brp = ~persons.isin(brp["persoon_id"])
    latest = (
        window[window["gemeente_code"].notna()]
        .sort_values(["persoon_id", "adviesdatum", "advies_id"])
        .drop_duplicates("persoon_id", keep="last")
        .set_index("persoon_id")["gemeente_code"]
    )
    gemeente[without_brp] = latest.reindex(persons[without_brp]).to_numpy()
    return to_region(gemeente, classes)


def works_on(inputs: dict, day: pd.Timestamp) -> pd.Index:
    """BW-4: persons with an income relation covering the day whose sociaal verzekeringsloon,
    summed over all their income relations in the tijdvak holding the day, is > € 0 (the sum is
    per person; negative corrections included; exact micro-euro sums)."""
    ikv, tijdvak = inputs["polis_ikv"], inputs["polis_tijdvak"]
    covered = ikv.loc[covers(ikv["begindatum"], ikv["einddatum"], day), "persoon_id"].unique()
    holding = tijdvak[(tijdvak["tijdvak_begin"] <= day) & (tijdvak["tijdvak_einde"] >= day)]
    loon = holding[["ikv_id", "sv_loon"]].merge(ikv[["ikv_id", "persoon_id"]], on="ikv_id")
    paid = loon.groupby("persoon_id")["sv_loon"].sum()
    paid = paid[paid > 0].index
    return pd.Index(covered).intersection(paid)


def build(inputs: dict, quarter: Quarter, regions: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """The long table of ``beschut_werk.csv``."""
    P = quarter.peildatum
    cohort_date = quarter.previous.peildatum  # BW-3: "positief advies t/m" the quarter before
    window_end = quarter.next.peildatum  # BW-1: up to the last day of the quarter after Q
    adviezen = inputs["adviezen"]
    window = adviezen[(adviezen["adviesdatum"] >= START) & (adviezen["adviesdatum"] <= window_end)]
    region = person_regions(inputs, classes, quarter, window)

    # BW-1/BW-2: every advice in the window, by aanvrager and by verantwoordelijke
    advices = window.assign(regio_code=window["persoon_id"].map(region).fillna(ONB),
                            aanvraag=window["aanvrager"].map(AANVRAGER))
    cells = {}
    cells.update(as_cells(count_table(advices, "aanvraag", "uitkomst"), "adviezen_naar_aanvrager"))
    cells.update(as_cells(count_table(advices, "verantwoordelijke", "uitkomst"), "adviezen_naar_verantwoordelijke"))

    # BW-3: each person's earliest positive advice (ties: the lowest advies_id) gives their row
    positive = adviezen[adviezen["uitkomst"] == "positief"]
    first = positive.sort_values(["persoon_id", "adviesdatum", "advies_id"]).drop_duplicates("persoon_id")
    first = first.assign(regio_code=first["persoon_id"].map(region).fillna(ONB),
                         aanvraag=first["aanvrager"].map(AANVRAGER),
                         werkt=first["persoon_id"].isin(works_on(inputs, P)))
    cohort = first[first["adviesdatum"] <= cohort_date]
    # BW-5: totaal_werkend counts persons whose earliest positive advice is on or before P
    up_to_p = first[(first["adviesdatum"] <= P) & first["werkt"]]
    for tabel, rij in (("werk_naar_aanvrager", "aanvraag"), ("werk_naar_verantwoordelijke", "verantwoordelijke")):
        parts = [
            cohort.groupby(["regio_code", rij]).size().reset_index(name="waarde").assign(kolom="positief_advies_tm_cohortdatum"),
            cohort[cohort["werkt"]].groupby(["regio_code", rij]).size().reset_index(name="waarde").assign(kolom="werkend_uit_cohort"),
            up_to_p.groupby(["regio_code", rij]).size().reset_index(name="waarde").assign(kolom="totaal_werkend"),
        ]
        table = add_totals(pd.concat(parts).rename(columns={rij: "rij"}), row_total=True, col_total=False)
        table_cells = as_cells(table, tabel)
        cells.update(table_cells)
        # BW-5: percentage_werkend = 100 × werkend_uit_cohort / cohort, half up, 0 when empty
        for (code, _, r, k), n in table_cells.items():
            if k == "positief_advies_tm_cohortdatum":
                werkend = table_cells.get((code, tabel, r, "werkend_uit_cohort"), 0)
                cells[(code, tabel, r, "percentage_werkend")] = percentage(werkend, n)
    return long_table(regions, VOCAB, cells, default=0)
