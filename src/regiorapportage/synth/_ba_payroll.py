"""Payroll of the register persons (``polis_ikv``, ``polis_tijdvak``) and the employers'
periods (``werkgever_tijdvak``), SPEC BA-4…BA-6.

Work histories
    Every register person alternates between work and no work from 2012 (or age 16) until
    AOW age, death or the end of the payroll data (December 2019; a Wsw or Wiw/ID person also
    stops when that registration ends for another reason). The hazard of finding
    work rises over the years per grondslag (the banenafspraak), so the share working of the
    doelgroep rises from about a quarter at the nulmeting to about half in 2019; some persons
    never work. Persons registered through an indicatie banenafspraak or the Praktijkroute
    often start a job around their registration. Within a work spell persons may change
    employer; some hold a second job at the same time.

Income relations
    Each job is an income relation with an employer chosen in the person's region (85 %),
    with a payroll frequency of the employer: maand (most), vierweken (28 days, aligned to
    2019-01-07 + 28k), kwartaal, halfjaar and jaar (only when the period ended before the
    extract of July 2020). The inleenverband is `uitzend` at agencies and for some relations
    at market and government employers, `wsw_detachering` for Wsw detachering jobs at SW
    companies (LM-3). Hours per month depend on the grondslag (Wsw often full-time) and vary by month
    with a year-end rise in December; sv_loon is hours × at least about the minimum wage of
    the year. A few periods have no hours (unpaid) or are negative wage corrections.

Employers
    The beschut werk payroll's employers (SW companies and regular employers) are reused,
    plus new employers: market (Wfsv sectors 1–60, 68, 69), government (61–66) with Ufo
    shares around the 50 % boundary of BA-6, temporary-work agencies (52, ``uitzend``) and
    the SW companies (67, ``wsw_detachering``). ``werkgever_tijdvak`` has one monthly record
    per employer for every month it pays someone, except a few deliberate gaps (sector
    ``onbekend``) and employers whose records start only in 2013 (unknown at the nulmeting).

Periods are generated and written in chunks of income relations, so scale 10 (≈ 90 million
period rows) never holds all rows in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from regiorapportage.synth import _arrow as A
from regiorapportage.synth import _days as D
from regiorapportage.synth._geography import Geography
from regiorapportage.synth._payroll import Payroll
from regiorapportage.synth._register import (
    IND, QUOT, R_DGA, VLW, WAJONG, WIW, WSW_BW, WSW_DET, Register, Residence,
)

G0 = D.HISTORY_START  # 2012-01-01
G1 = D.PAYROLL_CUTOFF + 1  # 2020-01-01 (exclusive)
N_DAYS = G1 - G0
HOURS_PER_JOB = 110.92  # FAQ 4: one baan = 110.92 hours a month

# Per main grondslag (WAJONG, WSW_BW, WSW_DET, WIW, IND, VLW, QUOT):
NEVER = np.array([0.25, 0.28, 0.18, 0.55, 0.18, 0.02, 0.42])  # never work
# share working among those who can (the stationary share of the work/no-work process), at
# these dates, linear in between
SHARE_KNOTS = np.array([D.day("2012-01-01"), D.day("2015-01-01"), D.day("2017-01-01"), D.day("2019-09-30")])
SHARE = np.array([
    [0.22, 0.4326, 0.5562, 0.57],
    [0.62, 0.7004, 0.7313, 0.74],
    [0.72, 0.7828, 0.8137, 0.80],
    [0.30, 0.3502, 0.3708, 0.40],
    [0.60, 0.6798, 0.7313, 0.76],
    [0.85, 0.8858, 0.8858, 0.88],
    [0.40, 0.4532, 0.4944, 0.55],
])
EXIT_RATE = np.array([0.30, 0.10, 0.09, 0.20, 0.28, 0.25, 0.30])  # per year, leaving work
FORCED_JOB = np.array([0.10, 0.0, 0.0, 0.0, 0.50, 0.95, 0.20])  # a job around registration
PRE_REGISTRATION = 0.35  # share working before a registration that starts after 2012, relative
JOB_CHANGE_RATE = 0.12  # per year within a work spell
SECOND_JOB = 0.07

# employer categories
C_MARKET, C_GOV, C_AGENCY, C_SW = range(4)
# P(category) per grondslag: market, government, agency, SW company (government multiplied
# by GOV_BOOST of the year the job begins)
CATEGORY_P = np.array([
    [0.69, 0.13, 0.13, 0.05],
    [0.69, 0.26, 0.05, 0.00],
    [0.08, 0.07, 0.00, 0.85],
    [0.41, 0.54, 0.05, 0.00],
    [0.66, 0.14, 0.15, 0.05],
    [0.82, 0.08, 0.10, 0.00],
    [0.78, 0.12, 0.10, 0.00],
])
# (calibrated to the official overheid extra banen of the Landelijke monitor: strong growth
# until 2015, slower after the verzelfstandigingen of 2016, PRIVATISED)
GOV_BOOST = {2012: 1.0, 2013: 1.3, 2014: 1.48, 2015: 1.62, 2016: 1.6, 2017: 1.8, 2018: 1.36, 2019: 1.75}
# Inleenverband (polis_ikv.inleenverband, LM-3): all relations at temporary-work agencies are
# `uitzend`, most Wsw detachering jobs at SW companies are `wsw_detachering`, and payroll
# companies and flex pools registered in another sector also mark some relations `uitzend`:
# a share of the relations at market and at government employers.
UITZEND_AT_MARKET = 0.04
UITZEND_AT_GOV = 0.03
WSW_DETACHERING = 0.80  # of the Wsw detachering persons' jobs at SW companies
# Government employers that were verzelfstandigd on 2016-01-01: Ufo premium on most of their
# hours before, on less than half from then on (BA-6: markt from 2016).
PRIVATISED = 0.13  # of the government employers with Ufo on clearly more than 50 %
PRIVATISED_FROM = D.day("2016-01-01")
HOURS_SCALE = 1.07
# monthly hours: (share full-time, full-time range, part-time range)
HOURS = {
    WAJONG: (0.45, (120, 160), (60, 125)), WSW_BW: (0.60, (130, 160), (80, 130)),
    WSW_DET: (0.80, (140, 165), (100, 140)), WIW: (0.60, (125, 160), (70, 125)),
    IND: (0.55, (120, 165), (60, 125)), VLW: (0.55, (120, 160), (70, 125)),
    QUOT: (0.50, (120, 160), (60, 125)),
}
# Contract hours over time (a factor on every period's hours, linear between the knots, by the
# middle of the period): calibrated so that the Landelijke monitor's banen on every
# 31 December follow the official measurements (docs/synthetic-data.md).
HOURS_TREND_KNOTS = np.array([D.day(x) for x in (
    "2012-12-16", "2013-12-16", "2014-12-16", "2015-12-16", "2016-12-16", "2017-12-16",
    "2018-12-16", "2019-09-15", "2019-12-16")])
HOURS_TREND = np.array([1.0423, 1.0707, 1.079, 1.0655, 0.964, 1.0253, 0.9966, 0.9918, 0.9481])
# hours by calendar month: a year-end rise in December (FAQ 6)
SEASON = np.array([0.99, 0.98, 1.00, 0.99, 1.00, 1.00, 0.98, 0.97, 1.00, 1.00, 1.01, 1.04])
# approximate statutory minimum wage per hour (38-hour week), 2010…2020
WML = {2010: 8.60, 2011: 8.70, 2012: 8.80, 2013: 8.92, 2014: 9.00, 2015: 9.12, 2016: 9.22,
       2017: 9.41, 2018: 9.58, 2019: 9.78, 2020: 10.0, 2021: 10.2}
GOV_SECTORS = (np.array([61, 62, 63, 64, 65, 66]), np.array([0.30, 0.14, 0.05, 0.05, 0.06, 0.40]))
MARKET_SECTORS = np.array([1, 3, 4, 5, 6, 8, 10, 11, 13, 15, 16, 17, 19, 20, 22, 24, 25, 28, 29,
                           30, 31, 33, 35, 38, 39, 40, 41, 42, 43, 44, 45, 47, 49, 50, 53, 54, 57,
                           58, 59, 60, 68, 69])
# Ufo kinds of government employers (BA-6): clearly above 50 %, clearly below, exactly 50 %
# (markt), just above (0.01 hour), around the boundary (varies by month)
U_ZERO, U_ABOVE, U_BELOW, U_HALF, U_JUST, U_CROSS, U_SOME, U_PRIV = range(8)
GOV_UFO_P = {U_ABOVE: 0.78, U_BELOW: 0.10, U_HALF: 0.04, U_JUST: 0.04, U_CROSS: 0.04}
NO_2012 = 0.005  # share of the smaller employers whose records start only in 2013
CHUNK_ROWS = 1_000_000
EMPLOYER_BLOCK = 20_000  # employers per werkgever_tijdvak chunk


@dataclass
class Employers:
    ids: pa.Array  # string, per employer (existing first)
    n_existing: int
    cat: np.ndarray
    type: np.ndarray
    region: np.ndarray
    weight: np.ndarray
    sector: np.ndarray
    ufo_kind: np.ndarray
    ufo_share: np.ndarray
    size: np.ndarray  # FTE


@dataclass
class Jobs:
    person: np.ndarray  # new person index j
    employer: np.ndarray
    begin: np.ndarray
    end: np.ndarray  # D.NULL = open
    type: np.ndarray
    inleen: np.ndarray  # index into INLEEN, -1 = null
    hours: np.ndarray  # monthly hours
    rate: np.ndarray  # hourly wage as a factor of the minimum wage
    numbers: np.ndarray  # ikv number (sorted = file order)
    ids: pa.Array


INLEEN = ("geen", "uitzend", "wsw_detachering")


def _choice(rng, n, p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _share_at(t: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Stationary share working on day t for process group g: the grondslag (0…6), or 7 + the
    grondslag before a registration that starts after 2012."""
    t = np.asarray(t, dtype=float)
    out = np.empty(len(t))
    n = len(SHARE)
    for k in range(2 * n):
        sel = g == k
        out[sel] = np.interp(t[sel], SHARE_KNOTS, SHARE[k % n]) * (PRE_REGISTRATION if k >= n else 1.0)
    return out


def _entry_hazard() -> np.ndarray:
    """Cumulative hazard of finding work per group on the day grid (index t - G0), such that
    the stationary share working is SHARE (h_in = h_out · s / (1 − s))."""
    days = G0 + np.arange(N_DAYS + 1)
    out = np.zeros((14, N_DAYS + 2))
    for g in range(14):
        s = _share_at(days, np.full(len(days), g))
        h = EXIT_RATE[g % 7] * s / (1 - s) / 365.25
        out[g, 1:] = np.cumsum(h)
    return out


def _simulate(rng, g, t0, t1, state0, hin) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Work spells (index, begin, end inclusive) of persons in [t0, t1) starting in state0."""
    t = t0.astype(np.int64).copy()
    state = state0.copy()
    active = np.flatnonzero(t < t1)
    out_i, out_b, out_e = [], [], []
    for _ in range(60):
        if not len(active):
            break
        work = active[state[active]]
        idle = active[~state[active]]
        if len(work):
            dur = np.maximum(np.rint(rng.exponential(365.25 / EXIT_RATE[g[work] % 7])), 14).astype(np.int64)
            e = np.minimum(t[work] + dur, t1[work])
            out_i.append(work)
            out_b.append(t[work].copy())
            out_e.append(e - 1)
            t[work] = e
            state[work] = False
        if len(idle):
            target = hin[g[idle], np.clip(t[idle] - G0, 0, N_DAYS)] + rng.exponential(1.0, len(idle))
            nxt = np.empty(len(idle), dtype=np.int64)
            gi = g[idle]
            for k in range(len(hin)):
                s = gi == k
                if s.any():
                    nxt[s] = np.searchsorted(hin[k], target[s], side="left") - 1 + G0
            t[idle] = np.maximum(nxt, t[idle] + 1)
            state[idle] = True
        active = active[t[active] < t1[active]]
    if not out_i:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    return np.concatenate(out_i), np.concatenate(out_b), np.concatenate(out_e)


def build_employers(rng, geo: Geography, pay: Payroll, scale: float) -> Employers:
    n_old = len(pay.werkgever_id)
    n_sw = int((pay.emp_region >= 0).sum())
    n_new = max(80, int(round(12_000 * scale)))
    old_cat = np.full(n_old, C_SW)
    old_cat[n_sw:] = _choice(rng, n_old - n_sw, [0.90, 0.07, 0.03])
    new_cat = _choice(rng, n_new, [0.885, 0.09, 0.025])
    cat = np.concatenate([old_cat, new_cat])
    new_type = np.empty(n_new, dtype=np.int64)
    for c, p in ((C_MARKET, [0.72, 0.20, 0.05, 0.015, 0.015]), (C_GOV, [0.97, 0.0, 0.03, 0, 0]),
                 (C_AGENCY, [0.35, 0.65, 0, 0, 0])):
        s = new_cat == c
        new_type[s] = _choice(rng, int(s.sum()), p)
    typ = np.concatenate([pay.emp_type.astype(np.int64), new_type])
    regional_weight = np.bincount(geo.gemeente_region, weights=geo.weight, minlength=len(geo.regions))
    region = np.concatenate([
        pay.emp_region,
        np.zeros(n_new, dtype=np.int64),
    ])
    region[n_sw:] = _choice(rng, len(region) - n_sw, regional_weight)
    weight = np.minimum((1 - rng.random(len(cat))) ** (-1 / 1.15), 150.0)
    weight[cat == C_AGENCY] *= 15
    weight[cat == C_GOV] *= 3
    sector = MARKET_SECTORS[rng.integers(0, len(MARKET_SECTORS), len(cat))]
    s = cat == C_GOV
    sector[s] = GOV_SECTORS[0][_choice(rng, int(s.sum()), GOV_SECTORS[1])]
    sector[cat == C_AGENCY] = 52
    sector[cat == C_SW] = 67
    ufo_kind = np.full(len(cat), U_ZERO)
    ufo_kind[s] = np.array(list(GOV_UFO_P))[_choice(rng, int(s.sum()), list(GOV_UFO_P.values()))]
    ufo_kind[(ufo_kind == U_ABOVE) & (rng.random(len(cat)) < PRIVATISED)] = U_PRIV
    m = (cat == C_MARKET) & (rng.random(len(cat)) < 0.05)
    ufo_kind[m] = U_SOME
    sw = np.flatnonzero(cat == C_SW)
    ufo_kind[sw[rng.random(len(sw)) < 0.5]] = U_SOME
    share = np.zeros(len(cat))
    share[ufo_kind == U_ABOVE] = np.where(rng.random(int((ufo_kind == U_ABOVE).sum())) < 0.4, 1.0,
                                          rng.uniform(0.8, 1.0, int((ufo_kind == U_ABOVE).sum())))
    share[ufo_kind == U_BELOW] = rng.uniform(0.0, 0.4, int((ufo_kind == U_BELOW).sum()))
    share[ufo_kind == U_HALF] = 0.5
    share[ufo_kind == U_JUST] = 0.5
    share[ufo_kind == U_CROSS] = 0.5
    share[ufo_kind == U_SOME] = rng.uniform(0.05, 0.95, int((ufo_kind == U_SOME).sum()))
    share[ufo_kind == U_PRIV] = rng.uniform(0.8, 1.0, int((ufo_kind == U_PRIV).sum()))  # before 2016
    size = weight * rng.uniform(3, 8, len(cat))
    numbers = A.unique_sorted(rng.integers(100_000_000, 999_999_999, int(n_new * 1.3) + 20))
    existing = np.array([int(x[:9]) for x in pay.werkgever_id.tolist()], dtype=np.int64)
    numbers = rng.permutation(A.not_in(numbers, existing))[:n_new]
    ids = pa.concat_arrays([A.strings(pay.werkgever_id.tolist()),
                            A.fixed_ids("", numbers, 9, suffix="L01")])
    return Employers(ids, n_old, cat, typ, region, weight, sector, ufo_kind, share, size)


def _pick_employers(rng, emp: Employers, cat: np.ndarray, region: np.ndarray) -> np.ndarray:
    """An employer of the category, in the region (85 %, when it has one) or anywhere,
    proportional to the employer's weight."""
    out = np.zeros(len(cat), dtype=np.int64)
    local = rng.random(len(cat)) < 0.85
    u = rng.random(len(cat))
    n_regions = int(max(emp.region.max(), region.max())) + 1
    for c in range(4):
        pool = np.flatnonzero(emp.cat == c)
        sel = np.flatnonzero(cat == c)
        if not len(sel):
            continue
        order = pool[np.argsort(emp.region[pool], kind="stable")]
        cum = np.cumsum(emp.weight[order])
        r_of = emp.region[order]
        starts = np.searchsorted(r_of, np.arange(n_regions), side="left")
        ends = np.searchsorted(r_of, np.arange(n_regions), side="right")
        base = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
        top = np.where(ends > 0, cum[np.maximum(ends - 1, 0)], 0.0)
        rr = np.maximum(region[sel], 0)
        has = (ends[rr] > starts[rr]) & local[sel] & (region[sel] >= 0)
        lo = np.where(has, base[rr], 0.0)
        hi = np.where(has, top[rr], cum[-1])
        pos = np.searchsorted(cum, lo + u[sel] * (hi - lo), side="right")
        out[sel] = order[np.minimum(pos, len(order) - 1)]
    return out


def build_jobs(rng, geo: Geography, reg: Register, res: Residence, emp: Employers, scale: float) -> Jobs:
    n = reg.n_new
    g = reg.group
    lo = np.maximum(G0, D.add_months(reg.geboortedatum, 16 * 12))
    hi = np.minimum(np.minimum(reg.aow, reg.death), G1)
    # persons whose registration ends for good (duurzaam geen arbeidsvermogen) stop working then
    new = reg.reg_person >= reg.n_old
    dga = np.full(n, D.FAR)
    sel = new & (reg.reg_reason == R_DGA)
    np.minimum.at(dga, reg.reg_person[sel] - reg.n_old, reg.reg_end[sel])
    hi = np.minimum(hi, dga)
    # a Wsw or Wiw/ID registration that ends (for another reason than AOW or death) ends the
    # Wsw/ID job: the person stops working then, unless a later registration follows
    last_end = np.full(n, -D.FAR)
    reg_end = np.where(reg.reg_end == D.NULL, D.FAR, reg.reg_end)
    np.maximum.at(last_end, reg.reg_person[new] - reg.n_old, reg_end[new])
    yearly = np.isin(g, (WSW_BW, WSW_DET, WIW)) & (last_end < D.FAR)
    hi = np.where(yearly, np.minimum(hi, last_end + 1), hi)
    hin = _entry_hazard()
    workable = rng.random(n) >= NEVER[g]
    # Phase 1 until the registration (when it starts after 2012: fewer at work), phase 2 from
    # the registration: with a job around it (indicatie, Praktijkroute, …) or as it was.
    late = reg.first_begin > G0 + 365
    forced = rng.random(n) < FORCED_JOB[g]
    r = np.where(forced, reg.first_begin + rng.integers(-60, 90, n), reg.first_begin)
    phased = late & (r > lo) & (r < hi)
    forced &= phased
    split = np.where(phased, r, hi)
    workable |= forced
    g1 = np.where(phased, g + 7, g)
    s0 = (rng.random(n) < _share_at(lo, g1)) & workable
    who = np.flatnonzero(workable & (lo < split))
    i1, b1, e1 = _simulate(rng, g1[who], lo[who], split[who], s0[who], hin)
    i1 = who[i1]
    who = np.flatnonzero(phased & workable)
    state2 = forced[who] | (rng.random(len(who)) < _share_at(split[who], g[who]))
    i2, b2, e2 = _simulate(rng, g[who], split[who], hi[who], state2, hin)
    i2 = who[i2]
    person = np.concatenate([i1, i2])
    begin = np.concatenate([b1, b2])
    end = np.concatenate([e1, e2])
    # employer changes within a spell
    years = (end - begin + 1) / 365.25
    cut = rng.random(len(person)) < 1 - np.exp(-JOB_CHANGE_RATE * years)
    cut &= end - begin > 60
    c = np.flatnonzero(cut)
    at = begin[c] + 30 + (rng.random(len(c)) * (end[c] - begin[c] - 60)).astype(np.int64)
    person = np.concatenate([person, person[c]])
    begin = np.concatenate([begin, at + 1])
    end = np.concatenate([end, end[c]])
    end[c] = at
    main = np.ones(len(person), dtype=bool)
    # second jobs at the same time
    c = np.flatnonzero(rng.random(len(person)) < SECOND_JOB)
    sb = begin[c] + (rng.random(len(c)) * (end[c] - begin[c] + 1)).astype(np.int64)
    se = np.minimum(sb + np.rint(rng.exponential(500, len(c))).astype(np.int64) + 14, end[c])
    ok = se >= sb
    person = np.concatenate([person, person[c][ok]])
    begin = np.concatenate([begin, sb[ok]])
    end = np.concatenate([end, se[ok]])
    main = np.concatenate([main, np.zeros(int(ok.sum()), dtype=bool)])
    # open when still running at the end of the payroll data
    end = np.where(end >= G1 - 1, D.NULL, end)
    m = len(person)
    gp = g[person]

    # employer
    year = D.year_of(begin)
    p = CATEGORY_P[gp].copy()
    boost = np.array([GOV_BOOST[y] for y in range(2012, 2020)])
    p[:, C_GOV] *= boost[np.clip(year - 2012, 0, 7)]
    p /= p.sum(1, keepdims=True)
    cum = np.cumsum(p, 1)
    cat = (rng.random(m)[:, None] > cum).sum(1)
    cat = np.minimum(cat, 3)
    region = res.region_at(geo, person, begin)
    employer = _pick_employers(rng, emp, cat, region)
    cat = emp.cat[employer]
    typ = emp.type[employer]
    inleen = np.where(rng.random(m) < 0.6, -1, 0)
    inleen[cat == C_AGENCY] = 1
    sw = cat == C_SW
    inleen[sw & np.isin(gp, (WSW_DET,)) & (rng.random(m) < WSW_DETACHERING)] = 2
    u = rng.random(m)
    inleen[(cat == C_MARKET) & (u < UITZEND_AT_MARKET)] = 1
    inleen[(cat == C_GOV) & (u < UITZEND_AT_GOV)] = 1

    # hours and wage
    hours = np.empty(m)
    for k, (ft, (a, b), (c_, d)) in HOURS.items():
        s = np.flatnonzero(gp == k)
        full = rng.random(len(s)) < ft
        hours[s] = np.where(full, rng.uniform(a, b, len(s)), rng.uniform(c_, d, len(s)))
    hours[~main] = rng.uniform(12, 70, int((~main).sum()))
    hours *= HOURS_SCALE
    rate = rng.uniform(1.0, 1.55, m)
    rate[(gp == WAJONG) & (rng.random(m) < 0.1)] *= 0.8  # loondispensatie
    # ikv numbers in order of begindatum (file order)
    order = np.lexsort((rng.random(m), begin))
    numbers = A.unique_sorted(rng.integers(1_000_000_000, 9_999_999_999, int(m * 1.1) + 20))
    while len(numbers) < m:  # pragma: no cover
        numbers = A.unique_sorted(np.concatenate([numbers, rng.integers(1_000_000_000, 9_999_999_999, m)]))
    numbers = np.sort(rng.permutation(numbers)[:m])
    fields = [person, employer, begin, end, typ, inleen, hours, rate]
    person, employer, begin, end, typ, inleen, hours, rate = (f[order] for f in fields)
    return Jobs(person, employer, begin, end, typ, inleen, hours, rate, numbers,
                A.fixed_ids("IKV", numbers, 10))


# --- periods ------------------------------------------------------------------------------------

def _season_per_period() -> dict[int, np.ndarray]:
    """Mean SEASON factor over the days of every calendar period."""
    start = D.day("2008-01-01")
    days = np.arange(start, D.day("2022-01-01"))
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    cum = np.concatenate([[0.0], np.cumsum(SEASON[month])])
    out = {}
    for t, (s, e) in D.BA_CALENDARS.items():
        s = np.clip(s - start, 0, len(days) - 1)
        e = np.clip(e - start, 0, len(days) - 1)
        out[t] = (cum[e + 1] - cum[s]) / (e - s + 1)
    return out


SEASON_PER_PERIOD = _season_per_period()
_WML_YEARS = np.array(sorted(WML))
_WML_VALUES = np.array([WML[y] for y in _WML_YEARS])


def period_chunks(rng: np.random.Generator, jobs: Jobs, on_rows=None) -> Iterator[pa.Table]:
    """polis_tijdvak rows of the register persons' income relations, in chunks (rows sorted
    by ikv_id, tijdvak_begin). ``on_rows(ikv, begin, end, type, hours_c)`` sees every chunk."""
    m = len(jobs.person)
    end_eff = np.where(jobs.end == D.NULL, D.FAR, jobs.end)
    last = np.minimum(end_eff, D.PAYROLL_CUTOFF)
    # rows per ikv, to cut chunks
    counts = np.zeros(m, dtype=np.int64)
    first_idx = np.zeros(m, dtype=np.int64)
    for t, (starts, _) in D.BA_CALENDARS.items():
        sel = jobs.type == t
        i0 = np.searchsorted(starts, jobs.begin[sel], side="right") - 1
        i1 = np.searchsorted(starts, last[sel], side="right") - 1
        counts[sel] = np.maximum(i1 - i0 + 1, 0)
        first_idx[sel] = i0
    bounds = [0]
    cum = np.cumsum(counts)
    while bounds[-1] < m:
        done = cum[bounds[-1] - 1] if bounds[-1] else 0
        nxt = int(np.searchsorted(cum, done + CHUNK_ROWS, side="right"))
        bounds.append(max(nxt, bounds[-1] + 1))
    bounds[-1] = m
    types = A.strings(D.BA_TIJDVAK_TYPES)
    for a, b in zip(bounds[:-1], bounds[1:]):
        idx = np.arange(a, b)
        cnt = counts[idx]
        ikv = np.repeat(idx, cnt)
        within = np.arange(len(ikv)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        period = np.repeat(first_idx[idx], cnt) + within
        typ = jobs.type[ikv]
        tb = np.empty(len(ikv), dtype=np.int64)
        te = np.empty(len(ikv), dtype=np.int64)
        season = np.empty(len(ikv))
        for t, (starts, ends) in D.BA_CALENDARS.items():
            s = typ == t
            tb[s] = starts[period[s]]
            te[s] = ends[period[s]]
            season[s] = SEASON_PER_PERIOD[t][period[s]]
        keep = ~((typ >= D.HALFJAAR) & (te > D.BA_EXTRACT))  # half-year/year returns not yet filed
        if not keep.all():
            ikv, tb, te, typ, season = ikv[keep], tb[keep], te[keep], typ[keep], season[keep]
        hours = np.minimum(te, end_eff[ikv]) - np.maximum(tb, jobs.begin[ikv]) + 1.0
        hours /= te - tb + 1
        hours *= jobs.hours[ikv] * D.BA_MONTHS_PER_PERIOD[typ] * season
        hours *= np.interp((tb + te) / 2, HOURS_TREND_KNOTS, HOURS_TREND)
        hours *= rng.uniform(0.93, 1.07, len(ikv))
        hours_c = np.maximum(np.rint(hours * 100), 100).astype(np.int64)
        wml = _WML_VALUES[np.searchsorted(_WML_YEARS, D.year_of(tb))]
        cents = np.rint(hours_c * jobs.rate[ikv] * wml).astype(np.int64)
        u = rng.random(len(ikv))
        zero = u < 0.008
        hours_c[zero] = 0
        cents[zero] = 0
        corr = (u >= 0.008) & (u < 0.010)
        hours_c[corr] = 0
        cents[corr] = -rng.integers(2_000, 60_000, int(corr.sum()))
        if on_rows is not None:
            on_rows(ikv, tb, te, typ, hours_c)
        yield pa.table({
            "ikv_id": jobs.ids.take(A.numeric(ikv.astype(np.int64), pa.int64())),
            "tijdvak_type": types.take(A.numeric(typ.astype(np.int64), pa.int64())),
            "tijdvak_begin": A.dates(tb),
            "tijdvak_einde": A.dates(te),
            "sv_loon": A.decimals(cents),
            "verloonde_uren": A.decimals(hours_c),
        })


# --- werkgever_tijdvak --------------------------------------------------------------------------

MONTHS = np.arange("2012-01", "2020-01", dtype="datetime64[M]")
MONTH_BEGIN = MONTHS.astype("datetime64[D]").astype(np.int64)
MONTH_END = (MONTHS + 1).astype("datetime64[D]").astype(np.int64) - 1
N_MONTHS = len(MONTHS)
QUARTER_END_MONTHS = np.flatnonzero((np.arange(N_MONTHS) % 3) == 2)
JUNE_2019 = int(np.flatnonzero(MONTHS == np.datetime64("2019-06", "M"))[0])
DECEMBER_2019 = N_MONTHS - 1
PRIVATISED_MONTH = int(np.flatnonzero(MONTH_BEGIN == PRIVATISED_FROM)[0])


def _month_index(days: np.ndarray) -> np.ndarray:
    m = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - MONTHS[0].astype(np.int64)
    return np.clip(m, 0, N_MONTHS - 1)


@dataclass
class EmployerMonths:
    start: np.ndarray  # month index, per employer (N_MONTHS = no rows)
    stop: np.ndarray  # inclusive
    gap: np.ndarray  # one missing month (-1 none)
    order: np.ndarray  # employers in file order (by werkgever_id)
    first_block: int  # employers in the first chunk (the in-memory table that faults refer to)


def plan_employer_months(rng, emp: Employers, pay: Payroll, jobs: Jobs, scale: float) -> EmployerMonths:
    n = len(emp.cat)
    first = np.full(n, D.FAR)
    last = np.full(n, -D.FAR)
    old_end = np.where(pay.ikv_end == D.NULL, D.FAR, pay.ikv_end)
    new_end = np.where(jobs.end == D.NULL, D.FAR, jobs.end)
    np.minimum.at(first, pay.ikv_employer, pay.ikv_begin)
    np.minimum.at(first, jobs.employer, jobs.begin)
    np.maximum.at(last, pay.ikv_employer, old_end)
    np.maximum.at(last, jobs.employer, new_end)
    n_ikv = np.bincount(pay.ikv_employer, minlength=n) + np.bincount(jobs.employer, minlength=n)
    emp.size[:] = np.maximum(emp.size, 0.4 * n_ikv + 1)
    used = n_ikv > 0
    f = _month_index(np.clip(first, G0, G1 - 1))
    lst = _month_index(np.clip(last, G0, G1 - 1))
    start = np.zeros(n, dtype=np.int64)
    late = rng.random(n) < 0.09
    start[late] = (rng.random(int(late.sum())) * (f[late] + 1)).astype(np.int64)
    # smaller market and government employers whose records start only in 2013 (sector
    # onbekend at the nulmeting)
    no2012 = (rng.random(n) < NO_2012) & (emp.weight < 20) & ((emp.cat == C_MARKET) | (emp.cat == C_GOV))
    start[no2012] = np.maximum(start[no2012], 12)
    # every BA-6 Ufo case occurs among government employers paying someone on 2019-06-30
    at_p = np.zeros(n, dtype=bool)
    at_p[pay.ikv_employer[(pay.ikv_begin <= D.P) & (old_end >= D.P)]] = True
    at_p[jobs.employer[(jobs.begin <= D.P) & (new_end >= D.P)]] = True
    cand = rng.permutation(np.flatnonzero(at_p & (emp.cat == C_GOV) & (emp.weight < 50)))
    k = max(1, int(round(3 * scale)))
    for i, kind in enumerate((U_HALF, U_JUST, U_BELOW, U_CROSS)):
        sel = cand[i * k:(i + 1) * k]
        emp.ufo_kind[sel] = kind
        emp.ufo_share[sel] = 0.5 if kind != U_BELOW else rng.uniform(0.0, 0.4, len(sel))
    stop = np.full(n, N_MONTHS - 1, dtype=np.int64)
    closed = rng.random(n) < 0.05
    stop[closed] = lst[closed] + (rng.random(int(closed.sum())) * (N_MONTHS - lst[closed])).astype(np.int64)
    stop = np.minimum(stop, N_MONTHS - 1)
    gap = np.full(n, -1, dtype=np.int64)
    g = used & (rng.random(n) < 0.005)
    gap[g] = QUARTER_END_MONTHS[rng.integers(0, len(QUARTER_END_MONTHS), int(g.sum()))]
    start[~used] = N_MONTHS
    order = A.as_numpy(pc.sort_indices(emp.ids)).astype(np.int64)
    # a few employers with someone paid in June 2019 have no record for that month (in the
    # first chunk, where the faults can refer to them)
    june = JUNE_2019
    first = order[:EMPLOYER_BLOCK]
    cand = first[used[first] & (start[first] <= june) & (stop[first] >= june) & (gap[first] < 0)]
    k = min(len(cand), max(1, int(round(2 * scale))))
    gap[rng.choice(cand, size=k, replace=False)] = june
    # and a few with someone paid in December 2019 have no record for that month (sector
    # onbekend in the Landelijke monitor 2019): temporary-work agencies (their uitzend hours
    # are still divided with the verdeelsleutel, LM-3) and market employers
    dec = np.zeros(n, dtype=bool)
    dec[jobs.employer[(jobs.begin <= D.PAYROLL_CUTOFF) & (new_end >= D.PAYROLL_CUTOFF)]] = True
    dec &= (stop == DECEMBER_2019) & (start <= DECEMBER_2019) & (gap < 0)
    for c in (C_AGENCY, C_MARKET):
        cand = np.flatnonzero(dec & (emp.cat == c))
        k = min(len(cand), max(1, int(round(2 * scale))))
        gap[rng.choice(cand, size=k, replace=False)] = DECEMBER_2019
    return EmployerMonths(start, stop, gap, order, min(EMPLOYER_BLOCK, len(order)))


def employer_chunks(rng, emp: Employers, plan: EmployerMonths, on_rows=None) -> Iterator[pa.Table]:
    """werkgever_tijdvak rows, by werkgever_id and tijdvak_begin, in chunks of employers.
    ``on_rows(employer, month, sector, uren_totaal, uren_ufo)`` sees every chunk."""
    for a in range(0, len(plan.order), EMPLOYER_BLOCK):
        e = plan.order[a:a + EMPLOYER_BLOCK]
        cnt = np.maximum(plan.stop[e] - plan.start[e] + 1, 0)
        emp_row = np.repeat(e, cnt)
        month = np.repeat(plan.start[e], cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        keep = month != plan.gap[emp_row]
        emp_row, month = emp_row[keep], month[keep]
        season = SEASON[month % 12]
        total = emp.size[emp_row] * 140.0 * season * rng.uniform(0.97, 1.03, len(emp_row))
        total_c = 2 * np.maximum(np.rint(total * 50), 50).astype(np.int64)  # even hundredths
        kind = emp.ufo_kind[emp_row]
        share = emp.ufo_share[emp_row].copy()
        cross = kind == U_CROSS
        share[cross] = rng.uniform(0.45, 0.55, int(cross.sum()))
        ufo_c = np.rint(total_c * share).astype(np.int64)
        ufo_c[kind == U_HALF] = total_c[kind == U_HALF] // 2
        ufo_c[kind == U_JUST] = total_c[kind == U_JUST] // 2 + 1
        priv = (kind == U_PRIV) & (month >= PRIVATISED_MONTH)
        ufo_c[priv] = np.rint(total_c[priv] * 0.3).astype(np.int64)
        ufo_c = np.clip(ufo_c, 0, total_c)
        if on_rows is not None:
            on_rows(emp_row, month, emp.sector[emp_row], total_c, ufo_c)
        yield pa.table({
            "werkgever_id": emp.ids.take(A.numeric(emp_row.astype(np.int64), pa.int64())),
            "tijdvak_begin": A.dates(MONTH_BEGIN[month]),
            "tijdvak_einde": A.dates(MONTH_END[month]),
            "sector_wfsv": A.numeric(emp.sector[emp_row].astype(np.int32), pa.int32()),
            "uren_totaal": A.decimals(total_c),
            "uren_ufo": A.decimals(ufo_c),
        })
