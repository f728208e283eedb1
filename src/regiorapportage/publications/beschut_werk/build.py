"""Rapportage beschut werk: measures BW-1 … BW-5 → the long table of CONTRACT.md."""

from __future__ import annotations

import ibis
import pandas as pd

from regiorapportage.measures.region import attribution_counts, unknown_gemeenten
from regiorapportage.publications.beschut_werk import measures as bw
from regiorapportage.publications.beschut_werk.vocabulary import BESCHUT_WERK, REEKS_TABEL, REEKS_VOCABULARY
from regiorapportage.publications.long_format import fill, grid, round_half_up_percentage

COUNT_TABLES = {"adviezen": "adviezen_naar_", "werk": "werk_naar_"}


def build(inputs, quarter, regions: list[tuple[str, str]], codes) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Compute the publication, regions in the classification of P's year (``codes``, R-7).
    Only the aggregated tables leave the engine.

    Returns the long table, the R-4 detail (persons in ONB by gemeente code) and the R-4/R-7
    counts on P (``region.attribution_counts``)."""
    measured = bw.measure(inputs, quarter, codes)
    values = []
    for kind, prefix in COUNT_TABLES.items():
        agg = measured[kind].to_pandas()
        metric_cols = [c for c in agg.columns if c not in ("regio_code", "rij", "dimensie")]
        long = agg.melt(id_vars=["regio_code", "rij", "dimensie"], value_vars=metric_cols, var_name="kolom", value_name="waarde")
        long["tabel"] = prefix + long["dimensie"]
        values.append(long.drop(columns="dimensie"))
    counts = pd.concat(values, ignore_index=True)
    counts = counts[counts["rij"].notna()]  # an unknown aanvrager/verantwoordelijke cannot pass validation
    frame = fill(grid(regions, BESCHUT_WERK.grids()), add_percentages(counts))
    onb = unknown_gemeenten(measured["regios"]).to_pandas()
    regios = measured["regios"]
    at_p = attribution_counts(regios.mutate(peildatum=ibis.literal(quarter.peildatum))).to_pandas()
    unknown = {
        (code if isinstance(code, str) else "(geen gemeente)"): int(n)
        for code, n in sorted(onb.itertuples(index=False, name=None), key=lambda x: str(x[0]))
    }
    return frame, unknown, at_p


def add_percentages(counts: pd.DataFrame) -> pd.DataFrame:
    """BW-5: percentage_werkend = round half up (100 × werkend_uit_cohort / cohort)."""
    work = counts[counts["tabel"].str.startswith("werk_naar_")]
    wide = (
        work.pivot_table(index=["regio_code", "tabel", "rij"], columns="kolom", values="waarde", aggfunc="sum")
        .reindex(columns=["werkend_uit_cohort", "positief_advies_tm_cohortdatum"], fill_value=0)
        .fillna(0)
        .reset_index()
    )
    pct = wide.assign(
        kolom="percentage_werkend",
        waarde=[
            round_half_up_percentage(int(w), int(c))
            for w, c in zip(wide["werkend_uit_cohort"], wide["positief_advies_tm_cohortdatum"])
        ],
    )[["regio_code", "tabel", "rij", "kolom", "waarde"]]
    return pd.concat([counts, pct], ignore_index=True)


def build_series(inputs, quarter, regions: list[tuple[str, str]], codes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort percentage over time (extra output ``beschut_werk_reeks.csv``, for the
    charts): per region and quarter from ``SERIES_START`` to P the cohort (BW-3), the
    working part of it on the quarter's peildatum (BW-4) and the percentage (BW-5), all
    regions in the classification of P's year (``codes``, R-7). Returns the long table and
    the R-4/R-7 counts per peildatum."""
    quarters = bw.series_quarters(quarter)
    levels, counts = bw.measure_series(inputs, quarters, codes)
    agg = levels.to_pandas()
    by_day = {q.peildatum: str(q) for q in quarters}
    values = []
    for r in agg.itertuples(index=False):
        q = by_day[pd.Timestamp(r.peildatum).date()]
        cohort, working = int(r.positief_advies_tm_cohortdatum), int(r.werkend_uit_cohort)
        values += [
            (r.regio_code, REEKS_TABEL, q, "positief_advies_tm_cohortdatum", cohort),
            (r.regio_code, REEKS_TABEL, q, "werkend_uit_cohort", working),
            # no cohort, no percentage: empty (a 0 % would draw a line where there is nobody)
            (r.regio_code, REEKS_TABEL, q, "percentage_werkend", round_half_up_percentage(working, cohort) if cohort else None),
        ]
    frame = fill(
        grid(regions, REEKS_VOCABULARY.grids(tuple(str(q) for q in quarters))), pd.DataFrame(values, columns=["regio_code", "tabel", "rij", "kolom", "waarde"]), exact=True
    )
    # a region without any cohort person in a quarter has no row in the aggregate
    empty = (frame["kolom"] == "percentage_werkend") & ~frame.set_index(["regio_code", "rij"]).index.isin(
        [(r, q) for r, _, q, k, _ in values if k == "percentage_werkend"]
    )
    frame.loc[empty, "waarde"] = None
    return frame, counts.to_pandas()
