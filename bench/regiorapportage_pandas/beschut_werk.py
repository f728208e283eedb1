"""Rapportage beschut werk (SPEC.md section 3, BW-1 … BW-5; regions R-1 … R-5) and its cohort
series ``beschut_werk_reeks.csv`` (docs/decisions.md, "Beschut werk cohort series")."""

from __future__ import annotations

import pandas as pd

from .common import NL, ONB, Indeling, Quarter, covers, gemeente_on, sort_brp
from .output import add_totals, as_cells, count_table, long_table, percentage, vocabulary

START = pd.Timestamp("2015-01-01")  # advice beschut werk exists since 2015
REEKS_START = Quarter(2016, 1)  # decisions.md: the first quarter of the first whole year of advices

AANVRAGER = {"gemeente": "aanvraag_gemeente", "burger": "aanvraag_burger"}  # BW-2 row names
WERK_KOLOMMEN = ["positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend", "totaal_werkend"]
VOCAB = vocabulary(
    ("adviezen_naar_aanvrager", ["aanvraag_gemeente", "aanvraag_burger", "totaal"], ["positief", "negatief", "totaal"]),
    ("adviezen_naar_verantwoordelijke", ["gemeente", "uwv", "totaal"], ["positief", "negatief", "totaal"]),
    ("werk_naar_aanvrager", ["aanvraag_gemeente", "aanvraag_burger", "totaal"], WERK_KOLOMMEN),
    ("werk_naar_verantwoordelijke", ["gemeente", "uwv", "totaal"], WERK_KOLOMMEN),
)
REEKS_KOLOMMEN = ["positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend"]


def person_regions(inputs: dict, indeling: Indeling, quarter: Quarter, window: pd.DataFrame) -> pd.Series:
    """R-3 for beschut werk: persoon_id → region on P. A person without any BRP residence record
    falls back to the gemeente_code of their most recent advice in the BW-1 window that has one
    (ties: the higher advies_id; decisions.md); otherwise ONB (R-4). Either code is taken into
    the classification of the report's year through the herindelingen (R-7); a code that does
    not lead into it is ONB (R-4)."""
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
    return indeling.to_region(gemeente, quarter.peildatum)


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


def advice_window(adviezen: pd.DataFrame, quarter: Quarter) -> pd.DataFrame:
    """BW-1: the advices from 2015-01-01 up to the last day of the quarter after Q."""
    return adviezen[(adviezen["adviesdatum"] >= START) & (adviezen["adviesdatum"] <= quarter.next.peildatum)]


def earliest_positive(adviezen: pd.DataFrame) -> pd.DataFrame:
    """BW-3: each person's earliest positive advice (ties: the lowest advies_id) gives their row."""
    positive = adviezen[adviezen["uitkomst"] == "positief"]
    return positive.sort_values(["persoon_id", "adviesdatum", "advies_id"]).drop_duplicates("persoon_id")


def build(inputs: dict, quarter: Quarter, regions: pd.DataFrame, indeling: Indeling) -> pd.DataFrame:
    """The long table of ``beschut_werk.csv``."""
    P = quarter.peildatum
    cohort_date = quarter.previous.peildatum  # BW-3: "positief advies t/m" the quarter before
    window = advice_window(inputs["adviezen"], quarter)
    region = person_regions(inputs, indeling, quarter, window)

    # BW-1/BW-2: every advice in the window, by aanvrager and by verantwoordelijke
    advices = window.assign(regio_code=window["persoon_id"].map(region).fillna(ONB),
                            aanvraag=window["aanvrager"].map(AANVRAGER))
    cells = {}
    cells.update(as_cells(count_table(advices, "aanvraag", "uitkomst"), "adviezen_naar_aanvrager"))
    cells.update(as_cells(count_table(advices, "verantwoordelijke", "uitkomst"), "adviezen_naar_verantwoordelijke"))

    # BW-3: each person's earliest positive advice (ties: the lowest advies_id) gives their row
    first = earliest_positive(inputs["adviezen"])
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


def build_reeks(inputs: dict, quarter: Quarter, regions: pd.DataFrame, indeling: Indeling) -> pd.DataFrame:
    """The long table of ``beschut_werk_reeks.csv`` (decisions.md, "Beschut werk cohort series"):
    for every quarter S from 2016Q1 (or from Q, when Q is earlier) up to Q (tabel ``reeks``, rij = S), BW-3's cohort with S's
    cohort date, of whom working on S's peildatum (BW-4), and BW-5's percentage — per region
    on S's peildatum in the classification of Q's year (``indeling``: R-7, codes of S's
    peildatum followed through the herindelingen; R-3 with the fallback
    advice of S's BW-1 window). The percentage is empty (not 0) when S has no cohort person."""
    first = earliest_positive(inputs["adviezen"])
    # only the advice persons matter: their residences, income relations and payroll periods
    # (the same answers as on the whole inputs, for fewer rows per quarter)
    people = inputs["adviezen"]["persoon_id"].unique()
    ikv = inputs["polis_ikv"][inputs["polis_ikv"]["persoon_id"].isin(first["persoon_id"])]
    own = {
        "adviezen": inputs["adviezen"],
        "brp_verblijf": inputs["brp_verblijf"][inputs["brp_verblijf"]["persoon_id"].isin(people)],
        "polis_ikv": ikv,
        "polis_tijdvak": inputs["polis_tijdvak"][inputs["polis_tijdvak"]["ikv_id"].isin(ikv["ikv_id"])],
    }
    series = []
    s = min(REEKS_START, quarter)  # the series always reaches the report's own quarter
    while s <= quarter:
        series.append(s)
        s = s.next
    cells = {}
    for s in series:
        region = person_regions(own, indeling, s, advice_window(own["adviezen"], s))
        cohort = first[first["adviesdatum"] <= s.previous.peildatum]  # BW-3 with S's cohort date
        per_region = pd.DataFrame({
            "regio_code": cohort["persoon_id"].map(region).fillna(ONB),
            "werkt": cohort["persoon_id"].isin(works_on(own, s.peildatum)),  # BW-4 on S's peildatum
        }).groupby("regio_code")["werkt"].agg(["size", "sum"])
        for code in regions["regio_code"]:
            if code == NL:  # Nederland counts everybody
                n, werkend = len(cohort), int(per_region["sum"].sum())
            elif code in per_region.index:
                n, werkend = int(per_region.at[code, "size"]), int(per_region.at[code, "sum"])
            else:
                n, werkend = 0, 0
            cells[(code, "reeks", str(s), "positief_advies_tm_cohortdatum")] = n
            cells[(code, "reeks", str(s), "werkend_uit_cohort")] = werkend
            cells[(code, "reeks", str(s), "percentage_werkend")] = percentage(werkend, n) if n else None
    return long_table(regions, vocabulary(("reeks", [str(s) for s in series], REEKS_KOLOMMEN)), cells)


def check_reeks(report: pd.DataFrame, reeks: pd.DataFrame, quarter: Quarter) -> None:
    """decisions.md: the series at Q equals the report's werk_naar_aanvrager totaal row (an
    empty percentage counting as 0)."""
    at_q = reeks[reeks["rij"] == str(quarter)].set_index(["regio_code", "kolom"])["waarde"]
    row = report[(report["tabel"] == "werk_naar_aanvrager") & (report["rij"] == "totaal")]
    row = row[row["kolom"].isin(REEKS_KOLOMMEN)].set_index(["regio_code", "kolom"])["waarde"]
    differ = [k for k in row.index if (0 if pd.isna(at_q[k]) else at_q[k]) != row[k]]
    if differ:
        raise AssertionError(f"beschut_werk_reeks at {quarter} differs from the report's totaal row: {differ[:5]}")
