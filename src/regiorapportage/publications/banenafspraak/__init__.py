"""The three banenafspraak publications of a quarter — Trendrapportage banenafspraak (TR,
with its time series since the nulmeting), Factsheet banenafspraak (FS) and Transparantie
klantprofielen (KP) — one family: the BA rules are evaluated once per run, on every
peildatum the chosen members need (``build.prepare``), and each member aggregates from
there.

``measures`` holds the BA rules as Ibis expressions, ``build`` the aggregation into the long
tables of ``vocabulary``, ``checks`` the consistency checks, ``texts`` the explanatory texts
and ``views`` what the HTML pages, PDFs and workbooks show."""

from __future__ import annotations

import pandas as pd

from regiorapportage.context import RunContext
from regiorapportage.publications.banenafspraak import build, checks
from regiorapportage.publications.banenafspraak import measures as ba_rules
from regiorapportage.publications.banenafspraak.views import FactsheetView, KlantprofielenView, TrendView
from regiorapportage.publications.banenafspraak.vocabulary import (
    FACTSHEET,
    FACTSHEET_TITEL,
    KLANTPROFIELEN,
    KLANTPROFIELEN_TITEL,
    REEKS,
    TREND,
    TREND_TITEL,
)
from regiorapportage.measures.doelgroep import STALE_TEXTS
from regiorapportage.measures.region import attribution_counts
from regiorapportage.publications.base import Family, Publication
from regiorapportage.sources.schema import BA, KP, TR



class BanenafspraakFamily(Family):
    """Evaluates doelgroep, working persons and banen once for the chosen members (BA-1 …
    BA-7), and reports the doelgroep's data-quality signals (BA-3, BA-6, R-4)."""

    key = "banenafspraak"
    steps = 2
    # run(precedence=…): another BA-7 precedence table (CSV rang,grondslag,categorie)
    manifest_options = {"categorie_voorrang": None}

    def check_options(self, ctx: RunContext) -> None:
        """BA-7: the precedence table (``run(precedence=…)``, default the packaged one) is
        read and checked before any input is."""
        ctx.parsed[self.key] = ba_rules.load_precedence(ctx.options.get("precedence"))

    def prepare(self, ctx: RunContext, members: list[Publication]) -> build.Prepared:
        ctx.step("doelgroep banenafspraak bepalen (alle peildata)")
        rules = ctx.parsed[self.key]
        ctx.manifest["categorie_voorrang"] = [list(r) for r in rules.rows]
        prep = build.prepare(
            ctx.inputs, ctx.quarter, ctx.regions, rules, materialize=ctx.materialize,
            trend=any(m.key == TREND.key for m in members), codes=ctx.geography.codes,
        )
        ctx.meta["nulmeting_bron"] = prep.nulmeting_bron
        ctx.meta["werkkamer_jaar"] = prep.werkkamer_jaar
        ctx.notices.extend(prep.notes)
        return prep

    def close(self, ctx: RunContext, prep: build.Prepared) -> None:
        ctx.step("signaleringen doelgroep (BA-3, BA-6, R-4)")
        P = ctx.quarter.peildatum
        ctx.unknown_regions("banenafspraak (doelgroep op de peildatum)", build.onb_at(prep, P))
        p = prep.measured.personen
        ctx.attribution_notices("banenafspraak (doelgroep)", attribution_counts(p).to_pandas())
        for key, n in ba_rules.stale_registrations(ctx.inputs, P).items():
            if n:
                ctx.notice("BA-3", STALE_TEXTS[key] + " (ze tellen mee zoals geleverd)", n)
        onbekend = ba_rules.unknown_sector(prep.measured.banen, P)["inkomstenverhoudingen"]
        if onbekend:
            ctx.notice(
                "BA-6",
                "inkomstenverhoudingen van doelgroeppersonen bij een werkgever zonder werkgeverstijdvak op de "
                "peildatum; hun banen tellen als sector 'onbekend'",
                onbekend,
            )


FAMILY = BanenafspraakFamily()


class Trendrapportage(Publication):
    """TR-1 … TR-6 at P, and the time series since the nulmeting."""

    key = TREND.key
    titel = TREND_TITEL
    kort = "Trend"
    sectie = "trendrapportage"
    inputs = frozenset({BA, TR})
    outputs = (TREND, REEKS)
    volgorde = 10
    family = FAMILY
    view_class = TrendView

    def build(self, ctx: RunContext, prep: build.Prepared) -> dict[str, pd.DataFrame]:
        ctx.step("trendrapportage banenafspraak berekenen")
        trend, reeks = build.build_trend(prep)
        return {TREND.key: trend, REEKS.key: reeks}

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        checks.trend(frames[TREND.key], frames[REEKS.key])

    def finish(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """BA-5: the banen cells from exact uren12 to banen, after the checks."""
        return {key: build.banen_cells(frame) for key, frame in frames.items()}


class Factsheet(Publication):
    """FS-1 … FS-5: the doelgroep by category and the flows between P-1q and P."""

    key = FACTSHEET.key
    titel = FACTSHEET_TITEL
    kort = "Factsheet"
    sectie = "factsheet"
    inputs = frozenset({BA})
    outputs = (FACTSHEET,)
    volgorde = 20
    family = FAMILY
    view_class = FactsheetView

    def build(self, ctx: RunContext, prep: build.Prepared) -> dict[str, pd.DataFrame]:
        ctx.step("factsheet banenafspraak berekenen")
        return {FACTSHEET.key: build.build_factsheet(prep, ctx.inputs["doelgroepregister"])}

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        checks.factsheet(frames[FACTSHEET.key])


class Klantprofielen(Publication):
    """KP-1, KP-2: visible klantprofielen of the doelgroep without work."""

    key = KLANTPROFIELEN.key
    titel = KLANTPROFIELEN_TITEL
    kort = "Klantprofielen"
    sectie = "klantprofielen"
    inputs = frozenset({BA, KP})
    outputs = (KLANTPROFIELEN,)
    volgorde = 30
    family = FAMILY
    view_class = KlantprofielenView

    def build(self, ctx: RunContext, prep: build.Prepared) -> dict[str, pd.DataFrame]:
        ctx.step("transparantie klantprofielen berekenen")
        return {KLANTPROFIELEN.key: build.build_klantprofielen(prep, ctx.inputs["klantprofielen"])}

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        checks.klantprofielen(frames[KLANTPROFIELEN.key])


TRENDRAPPORTAGE = Trendrapportage()
FACTSHEET_PUBLICATION = Factsheet()
KLANTPROFIELEN_PUBLICATION = Klantprofielen()
