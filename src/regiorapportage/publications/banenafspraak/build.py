"""The three banenafspraak publications of a quarter — Trendrapportage (TR), Factsheet (FS)
and Transparantie klantprofielen (KP) — from one evaluation of the BA rules.

``prepare`` evaluates the doelgroep, working persons and banen on every peildatum the
publications need (the quarters of the time series since the nulmeting, P-1q, the nulmeting
date) in one pass and keeps the results in the engine; the ``build_*`` functions aggregate
from there. Only aggregated tables leave the engine.

Banen cells are first built as exact sums of ``uren12`` (twelve times the monthly hours,
exact decimals) so that the consistency checks (banen totaal = markt + overheid + onbekend;
R-5) compare exact numbers; ``to_banen`` then divides by 1331.04 (BA-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

import ibis
import pandas as pd

from regiorapportage.context import Notice
from regiorapportage.measures import doelgroep
from regiorapportage.measures.levels import by_levels
from regiorapportage.measures.region import NEDERLAND, ONBEKEND
from regiorapportage.publications.banenafspraak import measures as ba
from regiorapportage.publications.banenafspraak.measures import NULMETING_KWARTAAL, NULMETING_PEILDATUM
from regiorapportage.publications.banenafspraak.vocabulary import (
    FACTSHEET,
    KLANTPROFIELEN,
    REEKS,
    REEKS_TABEL,
    TREND,
)
from regiorapportage.publications.base import BANEN, TOTAAL
from regiorapportage.publications.long_format import COLUMNS, fill, grid, round_half_up_percentage
from regiorapportage.quarter import Quarter

SECTOR_ROWS = (*ba.SECTORS, TOTAAL)
# FS-5: reasons shown apart; every other or empty einde_reden is ``overig``.
UITSTROOM_REDENEN = FACTSHEET.table("uitstroom_naar_reden").row_codes[:-1]
VOLLEDIGHEID = KLANTPROFIELEN.table("volledigheid").row_codes


@dataclass
class Prepared:
    quarter: Quarter
    regions: list[tuple[str, str]]
    measured: ba.Measured
    precedence: ba.Precedence
    series: list[Quarter]
    nulmeting: pd.DataFrame | None  # regio_code, sector (incl. totaal), uren12 — exact
    nulmeting_bron: str  # invoer | berekend | ontbreekt
    werkkamer: pd.DataFrame | None  # regio_code, indicatie (Decimal)
    werkkamer_jaar: int | None
    notes: list[Notice]


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def series_quarters(quarter: Quarter, first_payroll: date | None) -> list[Quarter]:
    """TR-6: every quarter from the nulmeting (2012Q4) — or from the first quarter whose
    peildatum the payroll covers, when that is later — up to the report's quarter."""
    start = NULMETING_KWARTAAL
    if first_payroll is None:
        return [quarter]
    if first_payroll > start.peildatum:
        start = quarter_of(first_payroll)
    if start > quarter:
        start = quarter
    out, q = [], start
    while q <= quarter:
        out.append(q)
        q = q.next
    return out


def prepare(
    inputs, quarter: Quarter, regions: list[tuple[str, str]], precedence: ba.Precedence, materialize=None,
    trend: bool = True, codes=None,
) -> Prepared:
    """Evaluate the BA rules on every peildatum the publications need, once. ``trend``:
    the trendrapportage is made (it alone needs the nulmeting and the Werkkamer indication)."""
    notes: list[Notice] = []
    tijdvak = inputs["polis_tijdvak"]
    first_payroll = tijdvak.tijdvak_begin.min().to_pyarrow().as_py()
    series = series_quarters(quarter, first_payroll)
    days = {q.peildatum for q in series} if trend else {quarter.peildatum}
    days |= {quarter.previous.peildatum}

    have_input = "nulmeting" in inputs.sources
    # TR-3 "when the inputs cover that date": some payroll period holds 2012-12-31
    covered = (
        trend
        and not have_input
        and first_payroll is not None
        and first_payroll <= NULMETING_PEILDATUM
        and bool(
            tijdvak.filter((tijdvak.tijdvak_begin <= NULMETING_PEILDATUM) & (tijdvak.tijdvak_einde >= NULMETING_PEILDATUM))
            .count()
            .to_pyarrow()
            .as_py()
        )
    )
    if trend and not have_input and covered:
        days.add(NULMETING_PEILDATUM)
    measured = ba.measure(inputs, sorted(days), codes, precedence, materialize)

    known = {code for code, _ in regions}
    if not trend:
        nulmeting, bron = None, "ontbreekt"
    elif have_input:
        nulmeting, bron = _nulmeting_from_input(inputs["nulmeting"], known, notes), "invoer"
    elif covered:
        # computed; a region (or the whole country) without banen then has a nulmeting of 0
        nulmeting, bron = _banen_levels(measured.banen, [NULMETING_PEILDATUM]).drop(columns="peildatum"), "berekend"
    else:
        nulmeting, bron = None, "ontbreekt"
    if nulmeting is None and trend:
        notes.append(
            Notice(
                "TR-3",
                "geen nulmeting: geen invoer 'nulmeting' en de polisgegevens reiken niet tot 31 december 2012; "
                "nulmeting en extra banen zijn leeg gelaten",
                0,
            )
        )

    werkkamer, jaar = None, quarter.year
    if not trend:
        pass  # the nulmeting and the indication are read by the trendrapportage only
    elif "werkkamer_indicatie" in inputs.sources:
        werkkamer = _werkkamer_from_input(inputs["werkkamer_indicatie"], quarter.year, known, notes)
    else:
        notes.append(Notice("TR-5", "geen invoer 'werkkamer_indicatie'; de indicatie is leeg gelaten", 0))
    return Prepared(quarter, regions, measured, precedence, series, nulmeting, bron, werkkamer, jaar if werkkamer is not None else None, notes)


def _nulmeting_from_input(table, known: set[str], notes: list[Notice]) -> pd.DataFrame:
    """TR-3 from the ``nulmeting`` input: banen per region and sector, as exact uren12.
    Nederland and the sector totals are the sums of the delivered rows; a region code the
    classification does not know is counted in ONB (R-4) and reported."""
    df = table.select("arbeidsmarktregio_code", "sector", "banen").to_pandas()
    df["uren12"] = [Decimal(b) * ba.UREN12_PER_BAAN for b in df["banen"]]
    unknown = sorted(set(df["arbeidsmarktregio_code"]) - known)
    if unknown:
        notes.append(Notice("R-4", "nulmeting: regiocodes die niet in de indeling staan; geteld in ONB", len(unknown),
                          {c: int((df["arbeidsmarktregio_code"] == c).sum()) for c in unknown}))
    df["regio_code"] = [c if c in known else ONBEKEND for c in df["arbeidsmarktregio_code"]]
    rows = []
    for regio in (None, *sorted(set(df["regio_code"]))):
        part = df if regio is None else df[df["regio_code"] == regio]
        for sector in (None, *ba.SECTORS):
            cell = part if sector is None else part[part["sector"] == sector]
            rows.append((regio or NEDERLAND, sector or TOTAAL, sum(cell["uren12"], Decimal(0))))
    return pd.DataFrame(rows, columns=["regio_code", "sector", "uren12"])


def _werkkamer_from_input(table, year: int, known: set[str], notes: list[Notice]) -> pd.DataFrame | None:
    """TR-5: the Werkkamer's indicative extra banen of the report's year, per region;
    Nederland is the sum of the regions delivered."""
    df = table.filter(table.jaar == year).select("arbeidsmarktregio_code", "extra_banen").to_pandas()
    if df.empty:
        notes.append(Notice("TR-5", f"werkkamer_indicatie heeft geen indicatie voor {year}; de indicatie is leeg gelaten", 0))
        return None
    unknown = sorted(set(df["arbeidsmarktregio_code"]) - known)
    if unknown:
        notes.append(Notice("R-4", "werkkamer_indicatie: regiocodes die niet in de indeling staan; geteld in ONB",
                          len(unknown), {c: 1 for c in unknown}))
    df["regio_code"] = [c if c in known else ONBEKEND for c in df["arbeidsmarktregio_code"]]
    per_region = {r: sum((Decimal(v) for v in g["extra_banen"]), Decimal(0)) for r, g in df.groupby("regio_code")}
    per_region[NEDERLAND] = sum((Decimal(v) for v in df["extra_banen"]), Decimal(0))
    return pd.DataFrame(sorted(per_region.items()), columns=["regio_code", "indicatie"])


# --------------------------------------------------------------------------- aggregation


def _person_levels(personen, days: list[date]) -> pd.DataFrame:
    """Doelgroep persons and working persons per (peildatum, region), Nederland from the
    micro rows. Returns ``peildatum, regio_code, personen, werkzame_personen``."""
    p = personen.filter(personen.peildatum.isin(days))
    agg = by_levels(
        p,
        {"regio_code": (p.regio_code, NEDERLAND)},
        {"personen": lambda t: t.count(), "werkzame_personen": lambda t: t.werkt.sum()},
        fixed=("peildatum",),
    )
    return _dates(agg.to_pandas())


def _banen_levels(banen, days: list[date]) -> pd.DataFrame:
    """Σ uren12 per (peildatum, region, sector) at every level (BA-5, BA-6), exact.
    Returns ``peildatum, regio_code, sector, uren12`` (Decimal)."""
    b = banen.filter(banen.peildatum.isin(days))
    agg = by_levels(
        b,
        {"regio_code": (b.regio_code, NEDERLAND), "sector": (b.sector, TOTAAL)},
        {"uren12": lambda t: t.uren12.sum()},
        fixed=("peildatum",),
    ).to_pandas()
    agg["uren12"] = [Decimal(v) for v in agg["uren12"]]
    return _dates(agg)


def _dates(df: pd.DataFrame) -> pd.DataFrame:
    """``peildatum`` as ``datetime.date`` (pandas turns engine dates into timestamps)."""
    df["peildatum"] = [pd.Timestamp(d).date() for d in df["peildatum"]]
    return df


def percentage_half_up(numerator: Decimal, denominator: Decimal) -> int | None:
    """100 × numerator / denominator rounded half up (away from zero for negative values);
    None when the denominator is 0."""
    if denominator == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return int((100 * numerator / denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def build_trend(prep: Prepared) -> tuple[pd.DataFrame, pd.DataFrame]:
    """TR-1 … TR-5 at P, and the TR-6 time series. Banen cells hold exact uren12 sums
    (Decimal); ``banen_cells`` converts them after the checks. Returns (trend, reeks)."""
    P = prep.quarter.peildatum
    series_days = [q.peildatum for q in prep.series]
    persons = _person_levels(prep.measured.personen, series_days)
    banen = _banen_levels(prep.measured.banen, series_days)
    nul = None
    if prep.nulmeting is not None:
        nul = {(r, s): v for r, s, v in prep.nulmeting[["regio_code", "sector", "uren12"]].itertuples(index=False)}
    codes = [c for c, _ in prep.regions]

    values = []
    at_p = persons[persons["peildatum"] == P]
    for r in at_p.itertuples(index=False):
        values.append((r.regio_code, "doelgroep", TOTAAL, "personen", int(r.personen)))
        values.append((r.regio_code, "doelgroep", TOTAAL, "werkzame_personen", int(r.werkzame_personen)))
    now = {(r, s): v for d, r, s, v in banen[["peildatum", "regio_code", "sector", "uren12"]].itertuples(index=False) if d == P}
    for code in codes:
        for sector in SECTOR_ROWS:
            current = now.get((code, sector), Decimal(0))
            base = None if nul is None else nul.get((code, sector), Decimal(0))
            values.append((code, "banen", sector, "banen", current))
            values.append((code, "banen", sector, "nulmeting", base))
            values.append((code, "banen", sector, "extra_banen", None if base is None else current - base))
        extra = values[-1][-1]  # the totaal row's extra_banen (uren12)
        indicatie = None
        if prep.werkkamer is not None:
            found = prep.werkkamer[prep.werkkamer["regio_code"] == code]["indicatie"]
            indicatie = Decimal(found.iloc[0]) * ba.UREN12_PER_BAAN if len(found) else None
        pct = None if extra is None or indicatie is None else percentage_half_up(extra, indicatie)
        values += [
            (code, "indicatie_werkkamer", TOTAAL, "extra_banen", extra),
            (code, "indicatie_werkkamer", TOTAAL, "indicatie", indicatie),
            (code, "indicatie_werkkamer", TOTAAL, "percentage_indicatie", pct),
        ]
    trend = fill(grid(prep.regions, TREND.grids()), pd.DataFrame(values, columns=COLUMNS[:1] + COLUMNS[2:]), exact=True)

    reeks_values = []
    by_day = {(d, r): (int(p), int(w)) for d, r, p, w in persons[["peildatum", "regio_code", "personen", "werkzame_personen"]].itertuples(index=False)}
    totals = {(d, r): v for d, r, s, v in banen[["peildatum", "regio_code", "sector", "uren12"]].itertuples(index=False) if s == TOTAAL}
    for q in prep.series:
        d = q.peildatum
        for code in codes:
            p, w = by_day.get((d, code), (0, 0))
            b = totals.get((d, code), Decimal(0))
            base = None if nul is None else nul.get((code, TOTAAL), Decimal(0))
            reeks_values += [
                (code, REEKS_TABEL, str(q), "doelgroep_personen", p),
                (code, REEKS_TABEL, str(q), "werkzame_personen", w),
                (code, REEKS_TABEL, str(q), "banen", b),
                (code, REEKS_TABEL, str(q), "extra_banen", None if base is None else b - base),
            ]
    reeks_grid = grid(prep.regions, REEKS.grids(tuple(str(q) for q in prep.series)))
    reeks = fill(reeks_grid, pd.DataFrame(reeks_values, columns=COLUMNS[:1] + COLUMNS[2:]), exact=True)
    return trend, reeks


# cells that hold banen (exact uren12 until ``banen_cells`` converts them): the BANEN columns
# of the vocabulary
BANEN_CELLS = TREND.cells_of_kind(BANEN) | REEKS.cells_of_kind(BANEN)


def banen_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Convert the banen cells from exact uren12 to banen (BA-5), full precision."""
    return doelgroep.banen_cells(frame, BANEN_CELLS)


def build_factsheet(prep: Prepared, register) -> pd.DataFrame:
    """FS-1 … FS-5 for P and P-1q (regions taken on the date each flow names, FS-2)."""
    P, prev_day = prep.quarter.peildatum, prep.quarter.previous.peildatum
    personen = prep.measured.personen
    groups = ba.inflow_groups(ba.valid_registrations(register, ba.peildata_table([P])), prep.precedence)
    at_p = personen.filter(personen.peildatum == P)
    now = at_p.left_join(groups, "persoon_id").select(
        at_p.persoon_id, at_p.categorie, groups.instroom_groep, regio_nu=at_p.regio_code, werkt_nu=at_p.werkt
    )
    prev = personen.filter(personen.peildatum == prev_day).select("persoon_id", regio_vorig="regio_code", werkt_vorig="werkt")
    reasons = _outflow_reasons(register, P)
    prev = prev.left_join(reasons, "persoon_id").select(
        prev.persoon_id, prev.regio_vorig, prev.werkt_vorig, reden=reasons.reden.fill_null("overig")
    )
    both = now.outer_join(prev, "persoon_id")
    people = both.select(
        persoon_id=both.persoon_id.coalesce(both.persoon_id_right),
        categorie=both.categorie,
        instroom_groep=both.instroom_groep,
        regio_nu=both.regio_nu,
        regio_vorig=both.regio_vorig,
        werkt_nu=both.werkt_nu.fill_null(False),
        werkt_vorig=both.werkt_vorig.fill_null(False),
        reden=both.reden,
    )
    in_now, in_prev = people.regio_nu.notnull(), people.regio_vorig.notnull()

    def werkzaam(flag):
        return ibis.ifelse(flag, ibis.literal("werkzaam"), ibis.literal("niet_werkzaam"))

    people = people.mutate(
        in_nu=in_now,
        in_vorig=in_prev,
        instromer=in_now & ~in_prev,
        uitstromer=in_prev & ~in_now,
        gebleven=in_now & in_prev & (people.regio_nu == people.regio_vorig),
        verhuisd=in_now & in_prev & (people.regio_nu != people.regio_vorig),
        werkzaam_nu=werkzaam(people.werkt_nu),
        werkzaam_vorig=werkzaam(people.werkt_vorig),
    )
    t = people
    # FS-1, FS-2, FS-4, FS-5 as events: (who, counted in the region on, tabel, rij, kolom);
    # a rij or kolom in ``people``'s columns is taken from the person, otherwise literal.
    events = [
        (t.in_nu, "regio_nu", "categorie", "categorie", "personen"),
        (t.in_nu & t.werkt_nu, "regio_nu", "categorie", "categorie", "werkzaam"),
        (t.in_vorig & t.werkt_vorig, "regio_vorig", "stromen", "werkzaam_vorige_peildatum", "personen"),
        (t.instromer & t.werkt_nu, "regio_nu", "stromen", "werkzame_instromers", "personen"),
        (t.instromer & ~t.werkt_nu, "regio_nu", "stromen", "niet_werkzame_instromers", "personen"),
        (t.uitstromer & t.werkt_vorig, "regio_vorig", "stromen", "werkzame_uitstromers", "personen"),
        (t.uitstromer & ~t.werkt_vorig, "regio_vorig", "stromen", "niet_werkzame_uitstromers", "personen"),
        (t.gebleven & ~t.werkt_vorig & t.werkt_nu, "regio_nu", "stromen", "begonnen_met_werk", "personen"),
        (t.gebleven & t.werkt_vorig & ~t.werkt_nu, "regio_nu", "stromen", "gestopt_met_werk", "personen"),
        (t.verhuisd & t.werkt_nu, "regio_nu", "stromen", "verhuisd_in_werkzaam", "personen"),
        (t.verhuisd & t.werkt_vorig, "regio_vorig", "stromen", "verhuisd_uit_werkzaam", "personen"),
        (t.in_nu & t.werkt_nu, "regio_nu", "stromen", "werkzaam", "personen"),
        (t.instromer, "regio_nu", "instroom_naar_grondslag", "instroom_groep", "werkzaam_nu"),
        (t.uitstromer, "regio_vorig", "uitstroom_naar_reden", "reden", "werkzaam_vorig"),
    ]

    def label(table, name):
        return table[name] if name in t.columns else ibis.literal(name)

    parts = []
    for cond, region, tabel, rij, kolom in events:
        chosen = t.filter(cond)
        parts.append(
            chosen.select(
                "persoon_id",
                regio_code=chosen[region],
                tabel=ibis.literal(tabel),
                rij=label(chosen, rij),
                kolom=label(chosen, kolom),
            )
        )
    all_events = ibis.union(*parts)
    agg = by_levels(
        all_events,
        {"regio_code": (all_events.regio_code, NEDERLAND), "rij": (all_events.rij, TOTAAL)},
        {"waarde": lambda e: e.count()},
        fixed=("tabel", "kolom"),
    ).to_pandas()
    agg = agg[~((agg["tabel"] == "stromen") & (agg["rij"] == TOTAAL))]
    agg["waarde"] = agg["waarde"].astype("int64")
    return fill(grid(prep.regions, FACTSHEET.grids()), agg[["regio_code", "tabel", "rij", "kolom", "waarde"]])


def _outflow_reasons(register, day: date):
    """FS-5: per person, the ``einde_reden`` of the registration that ended last — the
    latest ``einddatum`` on or before P (ties: the highest registratie_id), also when that
    registration began after P-1q; reasons outside the four named ones, and empty reasons,
    are ``overig``."""
    ended = register.filter(register.einddatum.notnull() & (register.einddatum <= day))
    ranked = ended.mutate(
        _rank=ibis.row_number().over(
            group_by="persoon_id", order_by=[ibis.desc(ended.einddatum), ibis.desc(ended.registratie_id)]
        )
    )
    last = ranked.filter(ranked._rank == 0)
    named = [r for r in UITSTROOM_REDENEN if r != "overig"]
    return last.select(
        "persoon_id",
        reden=ibis.ifelse(last.einde_reden.isin(named), last.einde_reden, ibis.literal("overig")),
    )


def build_klantprofielen(prep: Prepared, profiles) -> pd.DataFrame:
    """KP-1, KP-2 at P: doelgroep persons without work, of whom with a visible profile
    covering P; among those, the share with each completeness flag."""
    P = prep.quarter.peildatum
    personen = prep.measured.personen
    zonder_werk = personen.filter((personen.peildatum == P) & ~personen.werkt).select("persoon_id", "regio_code")
    covering = profiles.filter(
        profiles.zichtbaar & (profiles.begindatum <= P) & (profiles.einddatum.isnull() | (profiles.einddatum >= P))
    )
    visible = covering.group_by("persoon_id").aggregate(
        **{flag: covering[flag].fill_null(False).any() for flag in VOLLEDIGHEID}
    ).mutate(zichtbaar=ibis.literal(True))
    people = zonder_werk.left_join(visible, "persoon_id").select(
        zonder_werk.persoon_id,
        zonder_werk.regio_code,
        zichtbaar=visible.zichtbaar.fill_null(False),
        **{flag: visible[flag].fill_null(False) for flag in VOLLEDIGHEID},
    )
    metrics = {
        "doelgroep_zonder_werk": lambda t: t.count(),
        "met_zichtbaar_profiel": lambda t: t.zichtbaar.sum(),
        **{flag: (lambda t, f=flag: (t.zichtbaar & t[f]).sum()) for flag in VOLLEDIGHEID},
    }
    agg = by_levels(people, {"regio_code": (people.regio_code, NEDERLAND)}, metrics).to_pandas()
    values = []
    for r in agg.itertuples(index=False):
        zonder, zichtbaar = int(r.doelgroep_zonder_werk), int(r.met_zichtbaar_profiel)
        values += [
            (r.regio_code, "klantprofielen", TOTAAL, "doelgroep_zonder_werk", zonder),
            (r.regio_code, "klantprofielen", TOTAAL, "met_zichtbaar_profiel", zichtbaar),
            (r.regio_code, "klantprofielen", TOTAAL, "percentage", round_half_up_percentage(zichtbaar, zonder)),
        ]
        for flag in VOLLEDIGHEID:
            values.append((r.regio_code, "volledigheid", flag, "percentage", round_half_up_percentage(int(getattr(r, flag)), zichtbaar)))
    return fill(grid(prep.regions, KLANTPROFIELEN.grids()), pd.DataFrame(values, columns=COLUMNS[:1] + COLUMNS[2:]))


def onb_at(prep: Prepared, day: date) -> dict[str, int]:
    """R-4 detail: doelgroep persons in ONB on ``day`` by gemeente code."""
    p = prep.measured.personen
    onb = p.filter((p.peildatum == day) & (p.regio_code == ONBEKEND))
    df = onb.group_by("gemeente_code").aggregate(n=onb.count()).to_pandas()
    return {
        (c if isinstance(c, str) else "(geen gemeente)"): int(n)
        for c, n in sorted(df.itertuples(index=False, name=None), key=lambda x: str(x[0]))
    }
