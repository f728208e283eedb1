"""Rapportage beschut werk: BW-1 … BW-5 (BW-6 is in ``checks``; BW-7 in the templates)."""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from regiorapportage.measures.levels import by_levels
from regiorapportage.measures.region import NEDERLAND, attribute_regions, attribution_counts, regions_on
from regiorapportage.quarter import Quarter
from regiorapportage.sources.schema import ADVICE_START

TOTAAL = "totaal"
AANVRAGER_ROWS = {"gemeente": "aanvraag_gemeente", "burger": "aanvraag_burger"}
VERANTWOORDELIJKE_ROWS = {"gemeente": "gemeente", "uwv": "uwv"}
# The cohort series starts in the first quarter of the first whole year of beschut werk
# (advices from 2015-01-01, BW-1): earlier cohorts are a handful of persons (decision).
SERIES_START = Quarter(2016, 1)


def advice_window(quarter: Quarter) -> tuple[date, date]:
    """BW-1: advices from 2015-01-01 up to and including the last day of the next quarter."""
    return ADVICE_START, quarter.next.peildatum


def cohort_date(quarter: Quarter) -> date:
    """BW-3: positive advices up to and including the last day of the previous quarter."""
    return quarter.previous.peildatum


def working_on(ikv: ir.Table, tijdvak: ir.Table, day: date) -> ir.Table:
    """BW-4: persons working on ``day``: at least one income relation covering the day, and
    the sum of sociaal verzekeringsloon over *all* their income relations' payroll periods
    holding the day (T-3) greater than 0 — negative corrections included.

    Returns ``persoon_id`` (distinct)."""
    covering = ikv.filter((ikv.begindatum <= day) & (ikv.einddatum.isnull() | (ikv.einddatum >= day)))
    with_relation = covering.select("persoon_id").distinct()
    periods = tijdvak.filter((tijdvak.tijdvak_begin <= day) & (tijdvak.tijdvak_einde >= day))
    wages = (
        periods.join(ikv.select("ikv_id", "persoon_id"), "ikv_id")
        .group_by("persoon_id")
        .aggregate(sv_loon=ibis._.sv_loon.sum())
    )
    paid = wages.filter(wages.sv_loon > 0).select("persoon_id")
    return with_relation.join(paid, "persoon_id").select("persoon_id")


def advices_in_window(adviezen: ir.Table, quarter: Quarter) -> ir.Table:
    start, end = advice_window(quarter)
    return adviezen.filter((adviezen.adviesdatum >= start) & (adviezen.adviesdatum <= end))


def advice_fallback_gemeente(advices: ir.Table) -> ir.Table:
    """R-3: the gemeente on each person's most recent advice (for persons without BRP)."""
    known = advices.filter(advices.gemeente_code.notnull())
    ranked = known.mutate(
        _rank=ibis.row_number().over(
            group_by="persoon_id", order_by=[ibis.desc(known.adviesdatum), ibis.desc(known.advies_id)]
        )
    )
    return ranked.filter(ranked._rank == 0).select("persoon_id", "gemeente_code")


def earliest_positive(advices: ir.Table, until: date) -> ir.Table:
    """BW-3: each person's earliest positive advice up to ``until`` decides their row
    (ties on the date: the lowest advies_id). Returns ``persoon_id, eerste_positief,
    aanvrager, verantwoordelijke``."""
    pos = advices.filter((advices.uitkomst == "positief") & (advices.adviesdatum <= until))
    ranked = pos.mutate(
        _rank=ibis.row_number().over(group_by="persoon_id", order_by=[pos.adviesdatum, pos.advies_id])
    )
    return ranked.filter(ranked._rank == 0).select(
        "persoon_id", "aanvrager", "verantwoordelijke", eerste_positief=ranked.adviesdatum
    )


def _rows(column: ir.StringValue, mapping: dict[str, str]) -> ir.StringValue:
    return ibis.cases(*[(column == k, v) for k, v in mapping.items()], else_=ibis.null("string"))


def _levels(table: ir.Table, row: str, metrics: dict) -> ir.Table:
    """(region, row), (region), (row) and () — each from the micro rows (``levels``)."""
    return by_levels(
        table,
        {"regio_code": (table.regio_code, NEDERLAND), "rij": (table[row], TOTAAL)},
        metrics,
    )


def measure(inputs, quarter: Quarter, codes: ir.Table) -> dict[str, ir.Table]:
    """BW-1 … BW-5 for all regions at once. Returns small aggregated Ibis tables:

    - ``adviezen``: regio_code, dimensie (aanvrager|verantwoordelijke), rij, positief, negatief, totaal
    - ``werk``: regio_code, dimensie, rij, positief_advies_tm_cohortdatum, werkend_uit_cohort,
      totaal_werkend
    - ``regios``: persoon_id, gemeente_code, regio_code, herkomst of every person with an
      advice (R-1 … R-4, R-7), in the classification of P's year (``codes``)
    """
    P = quarter.peildatum
    advices = advices_in_window(inputs["adviezen"], quarter)
    regions = attribute_regions(
        advices,
        inputs["brp_verblijf"],
        codes,
        P,
        fallback=advice_fallback_gemeente(advices),
    )

    adv = advices.join(regions.select("persoon_id", "regio_code"), "persoon_id").mutate(
        aanvrager_rij=lambda t: _rows(t.aanvrager, AANVRAGER_ROWS),
        verantwoordelijke_rij=lambda t: _rows(t.verantwoordelijke, VERANTWOORDELIJKE_ROWS),
    )
    advice_metrics = {
        "positief": lambda t: t.advies_id.nunique(where=t.uitkomst == "positief"),
        "negatief": lambda t: t.advies_id.nunique(where=t.uitkomst == "negatief"),
        "totaal": lambda t: t.advies_id.nunique(),
    }

    cohort_end = cohort_date(quarter)
    working = working_on(inputs["polis_ikv"], inputs["polis_tijdvak"], P).mutate(werkt=ibis.literal(True))
    first = earliest_positive(advices, P)
    persons = (
        first.join(regions.select("persoon_id", "regio_code"), "persoon_id")
        .left_join(working, "persoon_id")
        .select(
            "persoon_id",
            "regio_code",
            "aanvrager",
            "verantwoordelijke",
            "eerste_positief",
            werkt=ibis._.werkt.fill_null(False),
        )
        .mutate(
            in_cohort=lambda t: t.eerste_positief <= cohort_end,
            aanvrager_rij=lambda t: _rows(t.aanvrager, AANVRAGER_ROWS),
            verantwoordelijke_rij=lambda t: _rows(t.verantwoordelijke, VERANTWOORDELIJKE_ROWS),
        )
    )
    work_metrics = {
        "positief_advies_tm_cohortdatum": lambda t: t.persoon_id.nunique(where=t.in_cohort),
        "werkend_uit_cohort": lambda t: t.persoon_id.nunique(where=t.in_cohort & t.werkt),
        "totaal_werkend": lambda t: t.persoon_id.nunique(where=t.werkt),
    }

    def both(table: ir.Table, metrics: dict) -> ir.Table:
        return ibis.union(
            _levels(table, "aanvrager_rij", metrics).mutate(dimensie=ibis.literal("aanvrager")),
            _levels(table, "verantwoordelijke_rij", metrics).mutate(dimensie=ibis.literal("verantwoordelijke")),
        )

    return {
        "adviezen": both(adv, advice_metrics),
        "werk": both(persons, work_metrics),
        "regios": regions,
    }


# --------------------------------------------------------------------------- the cohort over time


def series_quarters(quarter: Quarter) -> list[Quarter]:
    """The quarters of the cohort series: from ``SERIES_START`` up to the report's quarter."""
    out, q = [], min(SERIES_START, quarter)
    while q <= quarter:
        out.append(q)
        q = q.next
    return out


def measure_series(inputs, quarters: list[Quarter], codes: ir.Table) -> tuple[ir.Table, ir.Table]:
    """BW-3 and BW-4 on the peildatum of every quarter of ``quarters`` at once: the cohort of
    quarter Q (persons whose earliest positive advice since 2015-01-01 lies on or before the
    last day of Q's previous quarter) and how many of them work on Q's peildatum, by region
    on that peildatum (R-1 … R-4, with R-3's fallback to the most recent advice up to the end
    of Q's next quarter, as BW-1's window) in the classification of P's year (``codes``,
    R-7). At Q = P this is exactly the totaal row of the report's work tables (checked,
    ``checks``).

    Returns ``peildatum, regio_code, positief_advies_tm_cohortdatum, werkend_uit_cohort`` at
    the region and the Nederland level, and the R-4/R-7 counts per peildatum
    (``region.attribution_counts``)."""
    peil = ibis.memtable(
        {
            "peildatum": [q.peildatum for q in quarters],
            "cohortdatum": [cohort_date(q) for q in quarters],
            "venster_einde": [advice_window(q)[1] for q in quarters],
        },
        schema={"peildatum": "date", "cohortdatum": "date", "venster_einde": "date"},
    )
    adviezen = inputs["adviezen"].filter(inputs["adviezen"].adviesdatum >= ADVICE_START)
    positive = adviezen.filter(adviezen.uitkomst == "positief")
    first = positive.group_by("persoon_id").aggregate(eerste_positief=positive.adviesdatum.min())
    cohort = first.join(peil, first.eerste_positief <= peil.cohortdatum).select("peildatum", "persoon_id")

    # BW-4 per (peildatum, person): a relation covering the day and Σ sv_loon > 0 over all
    # their relations' periods holding the day
    ikv = inputs["polis_ikv"].semi_join(first, "persoon_id")
    related = cohort.join(ikv, "persoon_id")
    covering = related.filter(
        (related.begindatum <= related.peildatum) & (related.einddatum.isnull() | (related.einddatum >= related.peildatum))
    ).select("peildatum", "persoon_id").distinct()
    tijdvak = inputs["polis_tijdvak"]
    days = related.select("peildatum", "persoon_id", "ikv_id")
    periods = days.join(
        tijdvak,
        [days.ikv_id == tijdvak.ikv_id, tijdvak.tijdvak_begin <= days.peildatum, tijdvak.tijdvak_einde >= days.peildatum],
    )
    wages = periods.group_by(["peildatum", "persoon_id"]).aggregate(sv_loon=periods.sv_loon.sum())
    working = (
        covering.join(wages.filter(wages.sv_loon > 0), ["peildatum", "persoon_id"])
        .select("peildatum", "persoon_id")
        .mutate(werkt=ibis.literal(True))
    )

    # the gemeente on the most recent advice (with a gemeente) in Q's advice window
    known = adviezen.filter(adviezen.gemeente_code.notnull()).semi_join(cohort, "persoon_id")
    in_window = known.join(peil, known.adviesdatum <= peil.venster_einde)
    ranked = in_window.mutate(
        _rank=ibis.row_number().over(
            group_by=["persoon_id", "peildatum"],
            order_by=[ibis.desc(in_window.adviesdatum), ibis.desc(in_window.advies_id)],
        )
    )
    fallback = ranked.filter(ranked._rank == 0).select("peildatum", "persoon_id", "gemeente_code")
    # one row per (peildatum, cohort person), with their region
    located = regions_on(cohort, inputs["brp_verblijf"], codes, fallback=fallback)

    persons = located.left_join(working, ["peildatum", "persoon_id"]).select(
        located.peildatum, located.persoon_id, located.regio_code, werkt=ibis._.werkt.fill_null(False)
    )
    levels = by_levels(
        persons,
        {"regio_code": (persons.regio_code, NEDERLAND)},
        {
            "positief_advies_tm_cohortdatum": lambda t: t.count(),
            "werkend_uit_cohort": lambda t: t.werkt.sum(),
        },
        fixed=("peildatum",),
    )
    return levels, attribution_counts(located)
