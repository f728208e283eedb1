"""Payroll (polis): income relations (``polis_ikv``) and payroll periods (``polis_tijdvak``).

Each person gets a payroll *kind* that decides whether they work on P (BW-4): at least one
income relation covering P **and** a positive sum of sv_loon over all their periods holding P.

Working kinds::

    W1  one relation covering P, wage in the period holding P
    W2  two relations covering P
    W3  a relation that ended in June (before P) with wage in June, and a new relation from
        the next day covering P with zero wage in June — still working (the sum is per person)
    W4  two relations covering P, one with a negative correction in the period of P; sum > 0
    W5  an earlier relation that ended, and a new one covering P
    W6  a relation ending exactly on P, or beginning exactly on P

Non-working kinds::

    N1  no income relation at all
    N2  a relation that ended before June
    N3  a relation that ended in June before P, with wage in June (no relation covers P)
    N4  a relation covering P with zero wage in the period holding P
    N5  a relation covering P whose period holding P is a negative correction
    N6  two relations covering P whose wages in the period of P sum to 0 or less
    N7  a relation covering P without any period record since May (filings stopped)
    N8  a relation that begins after P

Every ikv's periods follow its employer's payroll frequency (maand, vierweken aligned to
2019-01-07 + 28k, kwartaal), from the period holding the begindatum to the period holding the
einddatum (or December 2019), without overlaps. The periods up to September 2019 are drawn
first, from the main random stream exactly as when the payroll ended there; the periods from
October to December 2019 (for the Landelijke monitor 2019) come from a stream of their own
(``extension_rng``), so every earlier row, and every beschut werk number, stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regiorapportage.synth import _days as D
from regiorapportage.synth._geography import AM99, Geography
from regiorapportage.synth._population import CN, CW, NO, QN, QW, Population

W1, W2, W3, W4, W5, W6 = 1, 2, 3, 4, 5, 6
N1, N2, N3, N4, N5, N6, N7, N8 = 11, 12, 13, 14, 15, 16, 17, 18
KIND_NAMES = {
    W1: "W1", W2: "W2", W3: "W3", W4: "W4", W5: "W5", W6: "W6",
    N1: "N1", N2: "N2", N3: "N3", N4: "N4", N5: "N5", N6: "N6", N7: "N7", N8: "N8",
}

# Modes for the period holding P.
M_NORMAL, M_ZERO, M_NEGATIVE, M_STOP_MAY, M_SMALL_CORRECTION, M_CANCEL = range(6)
ROLE_MAIN, ROLE_SECOND, ROLE_HISTORY = range(3)
OPEN = D.NULL
FAR = D.day("2100-01-01")
STOP_FROM = D.day("2019-05-01")


@dataclass
class Payroll:
    kind: np.ndarray  # per person
    last_day: np.ndarray  # per person: last einddatum (D.NULL none, FAR when open)
    werkgever_id: np.ndarray  # object, per employer
    ikv_id: np.ndarray  # object, per ikv
    ikv_person: np.ndarray
    ikv_employer: np.ndarray
    ikv_begin: np.ndarray
    ikv_end: np.ndarray  # D.NULL = open
    ikv_type: np.ndarray
    ikv_inleen: np.ndarray  # object
    tv_ikv: np.ndarray
    tv_begin: np.ndarray
    tv_end: np.ndarray
    tv_cents: np.ndarray  # sv_loon in cents
    tv_hours_c: np.ndarray  # verloonde uren in hundredths
    hosts: dict[str, np.ndarray]  # fault hosts (persons), see _faults
    host_ikv: dict[str, np.ndarray]
    emp_type: np.ndarray | None = None  # per employer: payroll frequency (D.MAAND, …)
    emp_region: np.ndarray | None = None  # per employer: region index of an SW company, -1 others


def _choice(rng: np.random.Generator, n: int, table: dict[int, float]) -> np.ndarray:
    keys = np.array(list(table))
    p = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _unique_numbers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    out = np.unique(rng.integers(low, high, int(n * 1.2) + 10))
    while len(out) < n:  # pragma: no cover - astronomically unlikely
        out = np.unique(np.concatenate([out, rng.integers(low, high, n)]))
    return rng.permutation(out)[:n]


def build_payroll(
    rng: np.random.Generator, geo: Geography, pop: Population, scale: float, copies: int,
    extension_rng: np.random.Generator | None = None,
) -> Payroll:
    n = pop.n
    cat = pop.cat
    counted = np.isin(cat, (CW, CN, QW, QN))
    kind = np.zeros(n, dtype=np.int64)

    # Fault hosts (see _faults): non-working persons, cohort persons first.
    nonworking = ~pop.working
    order = np.concatenate([
        rng.permutation(np.flatnonzero(nonworking & (cat == CN))),
        rng.permutation(np.flatnonzero(nonworking & (cat == QN))),
        rng.permutation(np.flatnonzero(nonworking & (cat == NO))),
        rng.permutation(np.flatnonzero(nonworking & ~np.isin(cat, (CN, QN, NO)))),
    ])
    need = {"N7m": 5 * copies, "N4m": 2 * copies, "N3": 3 * copies, "N1": 2 * copies}
    hosts: dict[str, np.ndarray] = {}
    at = 0
    for name, k in need.items():
        hosts[name] = order[at:at + k]
        at += k
    forced = np.zeros(n, dtype=bool)
    forced[order[:at]] = True
    kind[hosts["N7m"]] = N7
    kind[hosts["N4m"]] = N4
    kind[hosts["N3"]] = N3
    kind[hosts["N1"]] = N1
    maand_only = np.zeros(n, dtype=bool)
    maand_only[hosts["N7m"]] = True
    maand_only[hosts["N4m"]] = True

    sel = ~forced & pop.working & counted
    kind[sel] = _choice(rng, int(sel.sum()), {W1: .64, W2: .10, W3: .05, W4: .05, W5: .12, W6: .04})
    sel = ~forced & ~pop.working & counted
    kind[sel] = _choice(
        rng, int(sel.sum()),
        {N1: .30, N2: .24, N3: .07, N4: .10, N5: .04, N6: .05, N7: .12, N8: .08},
    )
    sel = ~forced & pop.working & ~counted
    kind[sel] = _choice(rng, int(sel.sum()), {W1: .7, W2: .1, W5: .2})
    sel = ~forced & ~pop.working & ~counted
    kind[sel] = _choice(rng, int(sel.sum()), {N1: .45, N2: .35, N4: .1, N8: .1})

    # --- income relations --------------------------------------------------------------------
    f = pop.f
    delay = rng.integers(14, 400, n)
    prior = rng.random(n) < 0.2
    cand = np.where(prior, f - rng.integers(30, 1500, n), f + delay)
    cand = np.maximum(cand, D.HISTORY_START)
    covering_begin = np.where(cand > D.P - 1, D.P - rng.integers(1, 500, n), cand)
    covering_begin = np.maximum(covering_begin, D.HISTORY_START)
    covering_end = np.where(rng.random(n) < 0.85, OPEN, rng.integers(D.P + 1, D.WINDOW_END + 1, n))
    second_begin = np.maximum(D.P - rng.integers(1, 900, n), D.HISTORY_START)
    second_end = np.where(rng.random(n) < 0.9, OPEN, rng.integers(D.P + 1, D.WINDOW_END + 1, n))
    june_end = rng.integers(D.day("2019-06-01"), D.P, n)  # ≤ 2019-06-29
    half = rng.random(n) < 0.5
    cancel_extra = np.where(rng.random(n) < 0.5, 0, rng.integers(1, 20_000, n))

    specs: list[tuple] = []  # (persons, begin, end, role, mode, maand_only, partner_offset)

    def add(persons, begin, end, role, mode, maand=None, partner=None):
        persons = np.asarray(persons)
        m = maand_only[persons] if maand is None else np.broadcast_to(maand, persons.shape)
        specs.append((persons, np.asarray(begin), np.asarray(end), role, mode, m, partner))

    for k in (W1, W2, W4, W5, N4, N5, N6):
        p = np.flatnonzero(kind == k)
        mode = {N4: M_ZERO, N5: M_NEGATIVE}.get(k, M_NORMAL)
        add(p, covering_begin[p], covering_end[p], ROLE_MAIN, mode)
    main_block = {k: len(specs) - 7 + i for i, k in enumerate((W1, W2, W4, W5, N4, N5, N6))}
    # second relations covering P
    p = np.flatnonzero(kind == W2)
    add(p, second_begin[p], second_end[p], ROLE_SECOND, M_NORMAL)
    p = np.flatnonzero(kind == W4)
    add(p, second_begin[p], second_end[p], ROLE_SECOND, M_SMALL_CORRECTION, partner=main_block[W4])
    p = np.flatnonzero(kind == N6)
    add(p, second_begin[p], second_end[p], ROLE_SECOND, M_CANCEL, partner=main_block[N6])
    # W3: ended in June with wage, new relation from the next day with zero wage in June
    p = np.flatnonzero(kind == W3)
    b = np.maximum(np.minimum(cand[p], D.day("2019-05-01") - rng.integers(0, 600, len(p))), D.HISTORY_START)
    add(p, b, june_end[p], ROLE_MAIN, M_NORMAL, maand=True)
    add(p, june_end[p] + 1, np.full(len(p), OPEN), ROLE_SECOND, M_ZERO, maand=True)
    # W6: boundaries — einddatum = P, or begindatum = P
    p = np.flatnonzero(kind == W6)
    add(p, np.where(half[p], covering_begin[p], D.P), np.where(half[p], D.P, OPEN), ROLE_MAIN, M_NORMAL)
    # N2: ended before June
    p = np.flatnonzero(kind == N2)
    e = np.minimum(cand[p] + rng.integers(30, 900, len(p)), D.day("2019-05-31"))
    b = np.maximum(np.minimum(cand[p], e - 30), D.HISTORY_START)
    add(p, b, e, ROLE_MAIN, M_NORMAL)
    # N3: ended in June before P, wage in June
    p = np.flatnonzero(kind == N3)
    b = np.maximum(np.minimum(cand[p], D.day("2019-05-15")), D.HISTORY_START)
    add(p, b, june_end[p], ROLE_MAIN, M_NORMAL, maand=True)
    # N7: covering P, no period records since May
    p = np.flatnonzero(kind == N7)
    b = np.where(cand[p] > D.day("2019-03-01"), D.day("2019-03-01") - rng.integers(0, 700, len(p)), cand[p])
    add(p, np.maximum(b, D.HISTORY_START), np.full(len(p), OPEN), ROLE_MAIN, M_STOP_MAY)
    # N8: begins after P
    p = np.flatnonzero(kind == N8)
    add(p, rng.integers(D.Q3_START, D.day("2019-09-16"), len(p)), np.full(len(p), OPEN), ROLE_MAIN, M_NORMAL)

    # Earlier relations (history), ended by 2019-03-31 so they hold no period of P.
    offsets = np.cumsum([0] + [len(s[0]) for s in specs])
    person = np.concatenate([s[0] for s in specs])
    begin = np.concatenate([s[1] for s in specs]).astype(np.int64)
    end = np.concatenate([s[2] for s in specs]).astype(np.int64)
    role = np.concatenate([np.full(len(s[0]), s[3]) for s in specs])
    mode = np.concatenate([np.full(len(s[0]), s[4]) for s in specs])
    maand = np.concatenate([s[5] for s in specs]).astype(bool)
    partner = np.full(len(person), -1)
    for i, s in enumerate(specs):
        if s[6] is not None:
            partner[offsets[i]:offsets[i + 1]] = np.arange(offsets[s[6]], offsets[s[6] + 1])

    first_begin = np.full(n, FAR)
    np.minimum.at(first_begin, person, begin)
    has_job = first_begin < FAR
    hist = has_job & ((rng.random(n) < 0.25) | (kind == W5))
    hp = np.flatnonzero(hist)
    he = np.minimum(first_begin[hp] - rng.integers(30, 400, len(hp)), D.COHORT_END)
    hb = he - rng.integers(60, 1200, len(hp))
    ok = hb >= D.HISTORY_START
    hp, hb, he = hp[ok], hb[ok], he[ok]
    person = np.concatenate([person, hp])
    begin = np.concatenate([begin, hb])
    end = np.concatenate([end, he])
    role = np.concatenate([role, np.full(len(hp), ROLE_HISTORY)])
    mode = np.concatenate([mode, np.full(len(hp), M_NORMAL)])
    maand = np.concatenate([maand, np.zeros(len(hp), dtype=bool)])
    partner = np.concatenate([partner, np.full(len(hp), -1)])
    n_ikv = len(person)

    # --- employers ---------------------------------------------------------------------------
    n_regular = max(40, int(round(1500 * scale)))
    regions_with_sw = [r for r, c in enumerate(geo.regions) if c != AM99]
    n_sw = 2 * len(regions_with_sw)
    emp_type = np.concatenate([
        _choice(rng, n_sw, {D.MAAND: .85, D.VIERWEKEN: .15}),
        _choice(rng, n_regular, {D.MAAND: .70, D.VIERWEKEN: .22, D.KWARTAAL: .08}),
    ])
    sw_of_region = np.full((len(geo.regions), 2), -1)
    for i, r in enumerate(regions_with_sw):
        sw_of_region[r] = (2 * i, 2 * i + 1)
    regular = np.arange(n_sw, n_sw + n_regular)
    regular_maand = regular[emp_type[regular] == D.MAAND]
    werkgever_id = np.array(
        [f"{x:09d}L01" for x in _unique_numbers(rng, n_sw + n_regular, 100_000_000, 999_999_999)],
        dtype=object,
    )

    employer = regular[rng.integers(0, n_regular, n_ikv)]
    region = pop.region[person]
    sw_pick = sw_of_region[np.maximum(region, 0), rng.integers(0, 2, n_ikv)]
    use_sw = (role == ROLE_MAIN) & (rng.random(n_ikv) < 0.65) & (region >= 0) & (sw_pick >= 0)
    employer[use_sw] = sw_pick[use_sw]
    bad = maand & (emp_type[employer] != D.MAAND)
    employer[bad] = regular_maand[rng.integers(0, len(regular_maand), int(bad.sum()))]
    ikv_type = emp_type[employer]
    u = rng.random(n_ikv)
    is_sw = employer < n_sw
    inleen = np.full(n_ikv, None, dtype=object)
    inleen[is_sw & (u >= 0.80) & (u < 0.92)] = "geen"
    inleen[is_sw & (u >= 0.92)] = "wsw_detachering"
    inleen[~is_sw & (u >= 0.70) & (u < 0.90)] = "geen"
    inleen[~is_sw & (u >= 0.90)] = "uitzend"
    hours_month = np.where(role == ROLE_MAIN, rng.uniform(48, 150, n_ikv), rng.uniform(16, 90, n_ikv))
    rate = rng.uniform(10.2, 14.5, n_ikv)

    # --- payroll periods ---------------------------------------------------------------------
    # Compact dtypes and early deletes keep the peak memory low (≈ 16 bytes per period row).
    end_eff = np.where(end == OPEN, FAR, end)
    last = np.minimum(end_eff, D.BW_PAYROLL_CUTOFF)
    parts_ikv, parts_period, parts_type = [], [], []
    for t, (starts, _) in D.CALENDARS.items():
        idx = np.flatnonzero(ikv_type == t)
        i0 = np.searchsorted(starts, begin[idx], side="right") - 1
        i1 = np.searchsorted(starts, last[idx], side="right") - 1
        cnt = i1 - i0 + 1
        parts_ikv.append(np.repeat(idx.astype(np.int32), cnt))
        within = np.arange(cnt.sum(), dtype=np.int32) - np.repeat((np.cumsum(cnt) - cnt).astype(np.int32), cnt)
        parts_period.append((np.repeat(i0.astype(np.int32), cnt) + within).astype(np.int32))
        parts_type.append(np.full(len(within), t, dtype=np.int8))
        del within
    tv_ikv = np.concatenate(parts_ikv)
    period = np.concatenate(parts_period)
    tv_type = np.concatenate(parts_type)
    del parts_ikv, parts_period, parts_type
    m = len(tv_ikv)
    tv_begin = np.empty(m, dtype=np.int32)
    tv_end = np.empty(m, dtype=np.int32)
    for t, (starts, ends) in D.CALENDARS.items():
        sel = tv_type == t
        tv_begin[sel] = starts[period[sel]]
        tv_end[sel] = ends[period[sel]]
    del period

    # hours: monthly hours × months in the period × the part of the period worked × noise
    hours = np.minimum(tv_end, end_eff[tv_ikv]) - np.maximum(tv_begin, begin[tv_ikv]) + 1.0
    hours /= tv_end - tv_begin + 1
    hours *= hours_month[tv_ikv]
    hours *= D.MONTHS_PER_PERIOD[tv_type]
    hours *= rng.uniform(0.92, 1.08, m)
    hours_c = np.maximum(np.rint(hours * 100), 100).astype(np.int32)
    # wage: hours × hourly rate (2 % lower per year before 2019)
    hours[:] = rate[tv_ikv]
    hours *= 1 + 0.02 * (D.year_of(tv_begin) - 2019)
    hours *= hours_c
    cents = np.rint(hours).astype(np.int32)
    del hours

    holds_p = (tv_begin <= D.P) & (D.P <= tv_end)
    u = rng.random(m)
    zero = ~holds_p & (u < 0.02)
    negative = np.flatnonzero(~holds_p & (u >= 0.02) & (u < 0.024))
    del u
    cents[zero] = 0
    hours_c[zero] = 0
    del zero
    cents[negative] = -rng.integers(3_000, 40_000, len(negative))
    hours_c[negative] = 0

    p_rows = np.flatnonzero(holds_p)
    del holds_p
    p_row = np.full(n_ikv, -1)
    p_row[tv_ikv[p_rows]] = p_rows
    p_mode = mode[tv_ikv[p_rows]]
    sel = p_rows[p_mode == M_ZERO]
    cents[sel] = 0
    hours_c[sel] = 0
    sel = p_rows[p_mode == M_NEGATIVE]
    cents[sel] = -rng.integers(2_000, 50_000, len(sel))
    hours_c[sel] = 0
    sel = p_rows[p_mode == M_SMALL_CORRECTION]
    main_cents = cents[p_row[partner[tv_ikv[sel]]]]
    cents[sel] = -np.minimum(rng.integers(2_000, 30_000, len(sel)), main_cents // 2)
    hours_c[sel] = 0
    sel = p_rows[p_mode == M_CANCEL]
    main_cents = cents[p_row[partner[tv_ikv[sel]]]]
    cents[sel] = -(main_cents + cancel_extra[person[tv_ikv[sel]]])
    hours_c[sel] = 0
    drop = np.flatnonzero((mode[tv_ikv] == M_STOP_MAY) & (tv_end >= STOP_FROM))
    if len(drop):
        keep = np.ones(m, dtype=bool)
        keep[drop] = False
        tv_ikv, tv_begin, tv_end, cents, hours_c = (
            a[keep] for a in (tv_ikv, tv_begin, tv_end, cents, hours_c)
        )

    last_day = np.full(n, D.NULL)
    np.maximum.at(last_day, person, end_eff)
    ikv_numbers = _unique_numbers(rng, n_ikv, 100_000_000, 999_999_999)
    if extension_rng is not None:
        ext = _extension(extension_rng, begin, end_eff, ikv_type, hours_month, rate, mode)
        tv_ikv, tv_begin, tv_end, cents, hours_c = (
            np.concatenate([a, b.astype(a.dtype)]) for a, b in zip((tv_ikv, tv_begin, tv_end, cents, hours_c), ext)
        )
    host_ikv = {
        "N7m": _main_ikv(person, role, hosts["N7m"]),
        "N4m": _main_ikv(person, role, hosts["N4m"]),
        "W1": np.flatnonzero((role == ROLE_MAIN) & (kind[person] == W1)),
    }
    return Payroll(
        kind=kind,
        last_day=last_day,
        werkgever_id=werkgever_id,
        ikv_id=np.array([f"IKV{x:09d}" for x in ikv_numbers], dtype=object),
        ikv_person=person,
        ikv_employer=employer,
        ikv_begin=begin,
        ikv_end=end,
        ikv_type=ikv_type,
        ikv_inleen=inleen,
        tv_ikv=tv_ikv,
        tv_begin=tv_begin,
        tv_end=tv_end,
        tv_cents=cents,
        tv_hours_c=hours_c,
        hosts=hosts,
        host_ikv=host_ikv,
        emp_type=emp_type,
        emp_region=np.concatenate([np.repeat(np.array(regions_with_sw, dtype=np.int64), 2),
                                   np.full(n_regular, -1, dtype=np.int64)]),
    )


def _extension(rng, begin, end_eff, ikv_type, hours_month, rate, mode):
    """Periods after September 2019 up to December 2019 (or the einddatum), in the same way as
    the earlier ones: no filings for relations whose filings stopped in May (N7), 2 % without
    wage, 0.4 % negative corrections."""
    parts = []
    for t, (starts, ends) in D.CALENDARS.items():
        idx = np.flatnonzero((ikv_type == t) & (mode != M_STOP_MAY))
        after = np.searchsorted(starts, D.BW_PAYROLL_CUTOFF, side="right")  # first period after the old cut
        i0 = np.maximum(np.searchsorted(starts, begin[idx], side="right") - 1, after)
        i1 = np.searchsorted(starts, np.minimum(end_eff[idx], D.PAYROLL_CUTOFF), side="right") - 1
        cnt = np.maximum(i1 - i0 + 1, 0)
        ikv = np.repeat(idx, cnt)
        period = np.repeat(i0, cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        parts.append((ikv, starts[period], ends[period], np.full(len(ikv), t)))
    ikv, tb, te, typ = (np.concatenate(x) for x in zip(*parts))
    hours = (np.minimum(te, end_eff[ikv]) - np.maximum(tb, begin[ikv]) + 1.0) / (te - tb + 1)
    hours *= hours_month[ikv] * D.MONTHS_PER_PERIOD[typ] * rng.uniform(0.92, 1.08, len(ikv))
    hours_c = np.maximum(np.rint(hours * 100), 100).astype(np.int64)
    cents = np.rint(rate[ikv] * hours_c).astype(np.int64)
    u = rng.random(len(ikv))
    zero = u < 0.02
    cents[zero] = 0
    hours_c[zero] = 0
    neg = np.flatnonzero((u >= 0.02) & (u < 0.024))
    cents[neg] = -rng.integers(3_000, 40_000, len(neg))
    hours_c[neg] = 0
    return ikv, tb, te, cents, hours_c


def _main_ikv(person: np.ndarray, role: np.ndarray, hosts: np.ndarray) -> np.ndarray:
    """The main income relation of each host person (same order as ``hosts``)."""
    main = np.flatnonzero(role == ROLE_MAIN)
    lookup = dict(zip(person[main].tolist(), main.tolist()))
    return np.array([lookup[h] for h in hosts.tolist()], dtype=np.int64)
