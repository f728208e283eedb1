"""The doelgroep banenafspraak and its banen (SPEC section 4, BA-2 … BA-6) as Ibis
expressions, for every publication that counts them: the quarterly banenafspraak
publications and the annual Landelijke monitor (LM-2, LM-3 change only which registrations
are valid and how inleenverband hours are divided).

Every measure takes a small table of peildata and is evaluated for all of them at once (one
scan of the register and the payroll, however many dates are shown).

Hours are kept exact: ``uren12`` is twelve times the monthly hours (T-4: maand ×12,
vierweken ×13, kwartaal ×4, halfjaar ×2, jaar ×1 — integers, so decimal hours stay exact
decimals). Banen = Σ monthly hours / 110.92 = Σ uren12 / 1331.04 (BA-5) is computed only on
the aggregated sums, outside the engine, with Python's ``Decimal`` (``to_banen``).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, localcontext
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

# BA-5 / FAQ 4: one baan = 25.5 hours a week = 110.92 hours a month.
UREN_PER_BAAN_PER_MAAND = Decimal("110.92")
UREN12_PER_BAAN = 12 * UREN_PER_BAAN_PER_MAAND  # banen = Σ uren12 / 1331.04

# T-4: monthly hours × 12 per tijdvak type (exact integers).
UREN12_FACTOR = {"maand": 12, "vierweken": 13, "kwartaal": 4, "halfjaar": 2, "jaar": 1}

# BA-2: grondslagen valid on P when they cover 1 January of P's year (FAQ 19).
JAN1_GRONDSLAGEN = ("wsw_begeleid_werk", "wsw_detachering", "wiw_id")
# BA-2: quotumgroep counts only from 2018-12-01 (FAQ 14).
QUOTUMGROEP_FROM = date(2018, 12, 1)

# BA-6 / FAQ 22: Wfsv sectors of government employers.
OVERHEID_SECTORS = (61, 66)


def peildata_table(days: list[date]) -> ir.Table:
    """The peildata to evaluate, with 1 January of each one's year (BA-2)."""
    days = sorted(set(days))
    return ibis.memtable(
        pa.table({"peildatum": pa.array(days, pa.date32()), "jan1": pa.array([date(d.year, 1, 1) for d in days], pa.date32())})
    )


def _covers(begin: ir.DateValue, end: ir.DateValue, day: ir.DateValue) -> ir.BooleanValue:
    """T-2: closed interval; an empty end is open."""
    return (begin <= day) & (end.isnull() | (end >= day))


def valid_registrations(register: ir.Table, peildata: ir.Table, jan1_exception: bool = True) -> ir.Table:
    """BA-2: registrations valid on each peildatum.

    - ``wsw_begeleid_werk``, ``wsw_detachering``, ``wiw_id``: when they cover 1 January of
      the peildatum's year (FAQ 19);
    - ``quotumgroep``: when they cover the peildatum and it is on or after 2018-12-01
      (FAQ 14);
    - every other grondslag: when it covers the peildatum (T-2).

    ``jan1_exception=False`` is the Landelijke monitor's validity (LM-2): every grondslag
    when it covers the peildatum (the data are complete over the year), the quotumgroep date
    still holds.

    Returns ``peildatum, persoon_id, registratie_id, grondslag, begindatum``."""
    r, p = register, peildata
    on_p = _covers(r.begindatum, r.einddatum, p.peildatum) & (
        (r.grondslag != "quotumgroep") | (p.peildatum >= QUOTUMGROEP_FROM)
    )
    valid = (
        ibis.ifelse(r.grondslag.isin(list(JAN1_GRONDSLAGEN)), _covers(r.begindatum, r.einddatum, p.jan1), on_p)
        if jan1_exception
        else on_p
    )
    # the range predicate lets the engine prune before evaluating the rule
    joined = r.join(p, [r.begindatum <= p.peildatum, valid])
    return joined.select("peildatum", "persoon_id", "registratie_id", "grondslag", "begindatum")


def _holding(periods: ir.Table, peildata: ir.Table, begin: str, end: str) -> ir.Table:
    """Every pair of a period and a peildatum it holds (T-2: begin <= peildatum <= end):
    the columns of ``periods`` and ``peildatum``. A period within one calendar year is
    joined on that year as well: with an equality besides the range the engine hashes
    instead of comparing every period with every peildatum (10 million payroll periods:
    three times faster on DuckDB; Spark would use a nested loop). The few periods across a
    new year are joined on the range alone."""
    days = peildata.select("peildatum")
    p = days.mutate(_jaar=days.peildatum.year())
    within = periods.filter(periods[begin].year() == periods[end].year())
    within = within.join(
        p, [within[begin].year() == p._jaar, within[begin] <= p.peildatum, within[end] >= p.peildatum]
    ).drop("_jaar")
    across = periods.filter(periods[begin].year() != periods[end].year())
    across = across.join(days, [across[begin] <= days.peildatum, across[end] >= days.peildatum])
    return ibis.union(within, across)


def period_hours(ikv: ir.Table, tijdvak: ir.Table, peildata: ir.Table, extra: tuple[str, ...] = ()) -> ir.Table:
    """T-3, T-4, BA-5: for every payroll period record in which a peildatum falls, the
    hours converted to monthly (×12, exact). Returns ``peildatum, ikv_id, persoon_id,
    werkgever_id, uren12`` and the ``extra`` columns of the income relation (LM-3:
    ``inleenverband``)."""
    t = tijdvak.select("ikv_id", "tijdvak_type", "tijdvak_begin", "tijdvak_einde", "verloonde_uren")
    t = _holding(t, peildata, "tijdvak_begin", "tijdvak_einde")
    factor = ibis.cases(*[(t.tijdvak_type == k, v) for k, v in UREN12_FACTOR.items()], else_=ibis.null("int64"))
    holding = t.select("peildatum", "ikv_id", uren12=t.verloonde_uren * factor)
    relations = ikv.select("ikv_id", "persoon_id", "werkgever_id", *extra)
    return holding.join(relations, "ikv_id").select("peildatum", "ikv_id", "persoon_id", "werkgever_id", "uren12", *extra)


def employer_sector(werkgever_tijdvak: ir.Table, peildata: ir.Table) -> ir.Table:
    """BA-6 / FAQ 22: the employer's sector in its period holding each peildatum:
    ``overheid`` when the Wfsv sector is 61–66 and Ufo premium is paid on more than half of
    all its hours (exactly 50 % is markt); otherwise ``markt``. An employer without such a
    period is ``onbekend`` (decided by the caller's left join).

    Returns ``peildatum, werkgever_id, sector``."""
    lo, hi = OVERHEID_SECTORS
    holding = _holding(werkgever_tijdvak, peildata, "tijdvak_begin", "tijdvak_einde")
    overheid = holding.sector_wfsv.between(lo, hi) & (2 * holding.uren_ufo > holding.uren_totaal)
    return holding.select(
        "peildatum", "werkgever_id", sector=ibis.ifelse(overheid, ibis.literal("overheid"), ibis.literal("markt"))
    )


def to_banen(uren12: Decimal) -> Decimal:
    """BA-5: banen = Σ monthly hours / 110.92 = Σ uren12 / 1331.04 (full precision)."""
    with localcontext() as ctx:
        ctx.prec = 40
        return uren12 / UREN12_PER_BAAN


def banen_cells(frame, cells: set[tuple[str, str]]):
    """BA-5 for a publication's long table: the ``cells`` ((tabel, kolom) of kind banen) from
    exact uren12 to banen, full precision; after the checks, before writing."""
    out = frame.copy()
    out["waarde"] = [
        to_banen(v) if (t, k) in cells and v is not None else v
        for t, k, v in zip(out["tabel"], out["kolom"], out["waarde"], strict=True)
    ]
    return out


# --------------------------------------------------------------------------- BA-3 warnings

# the notices of BA-3 (Dutch, as the manifest and the run's summary show them)
STALE_TEXTS = {
    "na_overlijden": "registraties in het doelgroepregister die op de peildatum nog geldig zijn na het overlijden van de persoon",
    "na_aow_leeftijd": "registraties die op de peildatum nog geldig zijn terwijl de persoon de AOW-leeftijd al had bereikt",
    "na_positief_advies_beschut_werk": "registraties die op de peildatum nog geldig zijn na een positief advies beschut werk",
}


@lru_cache(maxsize=1)
def aow_months() -> dict[int, int]:
    """GLOSSARY: the AOW age in months by the year in which it is reached, as data (package
    ``data/aow_leeftijd.csv``: ``jaar, jaren, maanden``). Before 2013 the age was 65; the rows
    start in 1965, the year in which the earliest birth year a source accepts (1900, DQ-2)
    reached it (BA-3). The register (DR-3) reads the same table."""
    path = Path(str(resources.files("regiorapportage") / "data" / "aow_leeftijd.csv"))
    with open(path, encoding="utf-8", newline="") as f:
        return {int(r["jaar"]): 12 * int(r["jaren"]) + int(r["maanden"]) for r in csv.DictReader(f)}


def aow_table() -> ir.Table:
    """``aow_months`` as an engine table (``jaar, maanden``)."""
    rows = sorted(aow_months().items())
    return ibis.memtable(
        pa.table({"jaar": pa.array([j for j, _ in rows], pa.int64()), "maanden": pa.array([m for _, m in rows], pa.int64())})
    )


def stale_registrations(inputs, day: date, jan1_exception: bool = True) -> dict[str, int]:
    """BA-3 data-quality warnings: registrations valid on ``day`` although the person died
    before it, reached the AOW age before it, or received a positive beschut werk advice
    before it (FAQ 12; the register can lag). Counted per registration; the registrations
    still count (the register's own end dates are used as delivered). ``jan1_exception``:
    the validity of BA-2 (quarterly) or of LM-2 (the monitor)."""
    valid = valid_registrations(inputs["doelgroepregister"], peildata_table([day]), jan1_exception)
    people = inputs["personen"]
    with_person = valid.join(people.select("persoon_id", "geboortedatum", "overlijdensdatum"), "persoon_id")

    aow = aow_table()
    candidates = with_person.select("registratie_id", "geboortedatum").cross_join(aow)
    aow_day = candidates.geboortedatum + candidates.maanden.as_interval("M")
    reached = candidates.filter((aow_day.year() == candidates.jaar) & (aow_day < day)).select("registratie_id").distinct()

    counts = {
        "na_overlijden": with_person.filter(with_person.overlijdensdatum < day).count(),
        "na_aow_leeftijd": reached.count(),
    }
    if "adviezen" in inputs.sources:
        adv = inputs["adviezen"]
        positive = adv.filter((adv.uitkomst == "positief") & (adv.adviesdatum < day)).select("persoon_id").distinct()
        counts["na_positief_advies_beschut_werk"] = valid.filter(valid.persoon_id.isin(positive.persoon_id)).count()
    return {k: int(v.to_pyarrow().as_py()) for k, v in counts.items()}
