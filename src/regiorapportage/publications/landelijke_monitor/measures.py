"""The Landelijke monitor's measure (LM-2, LM-3) as one Ibis expression, for every
peildatum of the monitor at once (31 December of each year of the series and, when it is
computed, of 2012 for the nulmeting).

The doelgroep is that of BA-3 with the monitor's validity (LM-2: no 1-January exception for
Wsw and Wiw/ID; the quotumgroep date holds). Every income relation of a doelgroep person
contributes the monthly hours of its payroll period holding P (BA-4, BA-5, T-4, exact as
``uren12``). An income relation marked ``uitzend`` or ``wsw_detachering`` is divided with
the verdeelsleutel of its peildatum — the share to overheid, the rest to markt — whatever
the sector of its employer (also an employer without a sector); every other one counts for
its employer's sector (BA-6, ``onbekend`` without a werkgever_tijdvak on P).

The division is done relation by relation in the engine, and the sums before the key are
taken alongside, so that the checks of LM-8 compare two independent sums: Σ sectors after the
key = Σ before, and the inleenverband part of overheid = key × all inleenverband hours.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from regiorapportage.measures.doelgroep import employer_sector, peildata_table, period_hours, valid_registrations

INLEENVERBANDEN = ("uitzend", "wsw_detachering")  # LM-3
# exact decimal types: hours ×12 and the key (six decimals at most, CONTRACT decimal)
UREN = "decimal(24, 6)"
EXACT = "decimal(38, 12)"
AANDEEL = pa.decimal128(7, 6)

SUMS = ("voor", "markt", "overheid", "onbekend", "inleen_voor", "inleen_markt", "inleen_overheid", "onbekend_relaties")


def key_table(keys: dict[date, Decimal]) -> ir.Table:
    """The verdeelsleutel of each peildatum (LM-4 decided by the caller)."""
    days = sorted(keys)
    return ibis.memtable(
        pa.table({"peildatum": pa.array(days, pa.date32()), "aandeel": pa.array([keys[d] for d in days], AANDEEL)})
    )


def sector_hours(inputs, keys: dict[date, Decimal]) -> ir.Table:
    """LM-2 and LM-3 on every peildatum of ``keys`` (peildatum → aandeel_overheid). Returns
    one row per peildatum with hours (``uren12``, exact) of the doelgroep's income
    relations: ``voor`` (all, before the key), ``markt``, ``overheid``, ``onbekend`` (after
    the key), ``inleen_voor`` (all inleenverband hours), ``inleen_markt``,
    ``inleen_overheid`` (after the key), and ``onbekend_relaties`` (how many relations count
    as sector onbekend, BA-6). A peildatum without hours has no row."""
    peil = peildata_table(list(keys))
    valid = valid_registrations(inputs["doelgroepregister"], peil, jan1_exception=False)  # LM-2
    doelgroep = valid.select("peildatum", "persoon_id").distinct()
    hours = period_hours(inputs["polis_ikv"], inputs["polis_tijdvak"], peil, extra=("inleenverband",))
    jobs = hours.join(doelgroep, ["peildatum", "persoon_id"])
    sectors = employer_sector(inputs["werkgever_tijdvak"], peil)
    jobs = jobs.left_join(sectors, ["peildatum", "werkgever_id"]).select(
        jobs.peildatum,
        uren=jobs.uren12.cast(UREN),
        inleen=jobs.inleenverband.isin(list(INLEENVERBANDEN)),
        sector=sectors.sector.fill_null("onbekend"),
    )
    jobs = jobs.join(key_table(keys), "peildatum")
    # every branch in one exact type: hours (6 decimals) × key (6 decimals) has 12, which a
    # common type of fewer decimals would cut off
    uren, inleen, sector = jobs.uren.cast(EXACT), jobs.inleen, jobs.sector
    zero = ibis.literal(Decimal(0)).cast(EXACT)
    to_overheid = (jobs.uren * jobs.aandeel).cast(EXACT)
    to_markt = uren - to_overheid

    def own(name: str) -> ir.Value:
        return ibis.ifelse(sector == name, uren, zero)

    return jobs.group_by("peildatum").aggregate(
        voor=uren.sum(),
        markt=ibis.ifelse(inleen, to_markt, own("markt")).sum(),
        overheid=ibis.ifelse(inleen, to_overheid, own("overheid")).sum(),
        onbekend=ibis.ifelse(inleen, zero, own("onbekend")).sum(),
        inleen_voor=ibis.ifelse(inleen, uren, zero).sum(),
        inleen_markt=ibis.ifelse(inleen, to_markt, zero).sum(),
        inleen_overheid=ibis.ifelse(inleen, to_overheid, zero).sum(),
        # BA-6 warning: relations (not inleen) whose employer has no period holding P
        onbekend_relaties=ibis.ifelse(~inleen & (sector == "onbekend"), 1, 0).sum(),
    )


def covers(tijdvak: ir.Table, day: date) -> bool:
    """LM-5: some payroll period holds ``day``."""
    held = tijdvak.filter((tijdvak.tijdvak_begin <= day) & (tijdvak.tijdvak_einde >= day))
    return bool(held.count().to_pyarrow().as_py())
