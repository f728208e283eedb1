"""Rapportage beschut werk (BW-1 … BW-7): the quarterly report on the advices beschut werk
and the persons with a positive advice who work, with the cohort percentage per quarter
(``beschut_werk_reeks.csv``).

``measures`` holds the rules as Ibis expressions, ``build`` turns them into the long tables
of ``vocabulary``, ``checks`` the BW-6/R-5 checks, ``texts`` the BW-7 texts and ``views``
what the HTML pages, PDFs and workbook show."""

from __future__ import annotations

import pandas as pd

from regiorapportage.context import RunContext
from regiorapportage.publications.base import Publication
from regiorapportage.publications.beschut_werk import build, checks
from regiorapportage.publications.beschut_werk.views import BeschutWerkView
from regiorapportage.publications.beschut_werk.vocabulary import BESCHUT_WERK, KEY, REEKS, REEKS_VOCABULARY, TITEL
from regiorapportage.sources.schema import BW


class BeschutWerk(Publication):
    key = KEY
    titel = TITEL
    kort = "Beschut werk"
    sectie = "beschut-werk"
    inputs = frozenset({BW})
    outputs = (BESCHUT_WERK, REEKS_VOCABULARY)
    volgorde = 40
    steps = 3
    view_class = BeschutWerkView

    def build(self, ctx: RunContext, prepared) -> dict[str, pd.DataFrame]:
        ctx.step("rapportage beschut werk berekenen")
        codes = ctx.geography.codes
        frame, unknown, at_p = build.build(ctx.inputs, ctx.quarter, ctx.regions, codes)
        ctx.step("reeks beschut werk berekenen (cohort per kwartaal)")
        series, per_date = build.build_series(ctx.inputs, ctx.quarter, ctx.regions, codes)
        ctx.unknown_regions("rapportage beschut werk", unknown)
        ctx.attribution_notices("rapportage beschut werk", at_p, per_date)
        return {KEY: frame, REEKS: series}

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        ctx.step("consistentiecontroles beschut werk (BW-6, R-5)")
        checks.beschut_werk(frames[KEY])
        checks.beschut_werk_series(frames[KEY], frames[REEKS], str(ctx.quarter))


PUBLICATION = BeschutWerk()
