"""The Landelijke monitor banenafspraak (SPEC section 8, LM-1 … LM-8): the annual national
measurement of the banenafspraak, made by ``run --jaar Y`` for peildatum 31 December Y.

``measures`` holds the Ibis measure (LM-2, LM-3), ``build`` the key, targets and nulmeting
and the long table (LM-4 … LM-7), ``checks`` LM-8, ``texts`` and ``views`` what the page,
the PDF and the workbook show. The known verdeelsleutels and the targets ship with the
package as the default inputs ``verdeelsleutel`` and ``banenafspraak_doelen``
(``regiorapportage/data/``); delivered inputs replace them."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from regiorapportage.context import RunContext
from regiorapportage.measures.doelgroep import STALE_TEXTS, banen_cells, stale_registrations
from regiorapportage.publications.base import BANEN, JAAR, NEDERLAND, Publication
from regiorapportage.publications.landelijke_monitor import build, checks
from regiorapportage.publications.landelijke_monitor.views import MonitorView
from regiorapportage.publications.landelijke_monitor.vocabulary import MONITOR, MONITOR_TITEL
from regiorapportage.sources.schema import BA, LM

LM1_REFUSAL = (
    "De Landelijke monitor banenafspraak wordt alleen voor Nederland als geheel gemaakt (LM-1). De "
    "verdeelsleutel voor uitzendwerk en Wsw-detachering is een landelijke afspraak die niet op regio's of "
    "gemeenten kan worden toegepast, en het quotum is landelijk. Vraag de monitor aan zonder --niveau; de "
    "cijfers per arbeidsmarktregio staan in de kwartaalrapportages (een indicatie, geen meting)."
)

BANEN_CELLS = MONITOR.cells_of_kind(BANEN)


class LandelijkeMonitor(Publication):
    """LM-1 … LM-8 for year Y, national only."""

    key = MONITOR.key
    titel = MONITOR_TITEL
    kort = "Landelijke monitor"
    sectie = "landelijke-monitor"
    cadence = JAAR
    niveaus = (NEDERLAND,)
    inputs = frozenset({BA, LM})
    outputs = (MONITOR,)
    volgorde = 40
    steps = 2
    view_class = MonitorView

    def refusal(self, level: str) -> str:
        return LM1_REFUSAL

    def build(self, ctx: RunContext, prepared) -> dict[str, pd.DataFrame]:
        ctx.step("landelijke monitor: doelgroep en banen op elke 31 december (LM-2 … LM-5)")
        year = ctx.quarter.year
        m = build.prepare(ctx.inputs, year)
        ctx.notices.extend(m.notes)
        aandeel = f"{m.key.aandeel.quantize(Decimal('0.0001'))}"
        ctx.meta["verdeelsleutel"] = (
            f"{m.key.jaar}, aandeel overheid {aandeel}" + ("" if m.key.own else f" (geen verdeelsleutel voor {year})")
        )
        ctx.meta["verdeelsleutel_bron"] = build.source_name(ctx.inputs, "verdeelsleutel")
        ctx.meta["nulmeting_monitor"] = m.nulmeting_bron
        if m.nulmeting_key is not None:
            ctx.meta["nulmeting_sleutel_jaar"] = m.nulmeting_key.jaar
            ctx.meta["nulmeting_sleutel"] = m.nulmeting_key.aandeel
        ctx.manifest["verdeelsleutel"] = {
            str(t): ({"jaar": k.jaar, "aandeel_overheid": f"{k.aandeel}"} if k is not None else None)
            for t, k in sorted(m.keys.items())
        }
        ctx.manifest["nulmeting_landelijk"] = m.nulmeting_bron
        for key, n in stale_registrations(ctx.inputs, ctx.quarter.peildatum, jan1_exception=False).items():
            if n:  # BA-3 with the monitor's validity (LM-2)
                ctx.notice("BA-3", STALE_TEXTS[key] + " (ze tellen mee zoals geleverd)", n)
        ctx.step("landelijke monitor: extra banen en doelstelling (LM-6, LM-7)")
        return {MONITOR.key: build.build(m)}

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        checks.monitor(frames[MONITOR.key], ctx.quarter.year)

    def finish(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """BA-5: the banen cells from exact uren12 to banen, after the checks."""
        return {key: banen_cells(frame, BANEN_CELLS) for key, frame in frames.items()}


PUBLICATION = LandelijkeMonitor()
