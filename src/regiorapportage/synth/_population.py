"""Synthetic persons, their beschut werk advices and their BRP residence history.

Every person belongs to one region on P (the calibrated one, or ``ONB`` for the few extra
persons added at scales other than 1) and has a *home* gemeente in that region: the gemeente
of the BRP record that covers P, or of the last record that began before P, or — for persons
without BRP records — the gemeente on their advices (R-1, R-3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from regiorapportage.synth import _days as D
from regiorapportage.synth._calibration import CATEGORIES, CELL_AANVRAGER
from regiorapportage.synth._geography import AM99, Geography
from regiorapportage.synth._history import Herindelingen, sizes_2019, split_records

# Person categories.
CW, CN, QW, QN, Q3, NO, OCT, ONBX = range(8)
PERSON_CATEGORIES = ("CW", "CN", "QW", "QN", "Q3", "NO", "OCT", "ONBX")
_CI = {c: i for i, c in enumerate(CATEGORIES)}

# BRP kinds.
B_SINGLE, B_MOVE_WITHIN, B_MOVE_BETWEEN, B_EMIGRATED, B_MOVE_AFTER_P, B_NONE, B_AM99, B_GAP, B_DECEASED, B_STALE = range(10)
BRP_KINDS = (
    "single", "move_within_region", "move_between_regions_before_P", "emigrated",
    "move_after_P", "no_brp", "am99_merger", "gap_around_P", "deceased", "stale_code",
)

OCT_PERSONS_AT_SCALE_1 = 40  # advices 2019-10-01 … 2019-10-14: after the BW-1 window
UNKNOWN_CODE = "GM9999"


@dataclass
class Population:
    # persons
    region: np.ndarray  # index into geo.regions, -1 = ONB
    cat: np.ndarray
    first_cell: np.ndarray
    f: np.ndarray  # date of the person's first advice of their category (anchor)
    working: np.ndarray  # works on P (BW-4) — decided here, realised by the payroll
    home: np.ndarray  # gemeente index, -1 = not in the classification
    home_code: np.ndarray  # object array of gemeente codes (None = no gemeente at all)
    geboortedatum: np.ndarray = field(default=None)
    overlijdensdatum: np.ndarray = field(default=None)  # D.NULL = alive
    brp_kind: np.ndarray = field(default=None)
    # advices
    adv_person: np.ndarray = field(default=None)
    adv_date: np.ndarray = field(default=None)
    adv_aanvraag: np.ndarray = field(default=None)
    adv_cell: np.ndarray = field(default=None)
    adv_pos: np.ndarray = field(default=None)
    adv_gemeente: np.ndarray = field(default=None)  # object array of codes / None
    # brp records
    brp_person: np.ndarray = field(default=None)
    brp_code: np.ndarray = field(default=None)  # object array
    brp_begin: np.ndarray = field(default=None)
    brp_end: np.ndarray = field(default=None)  # D.NULL = open

    @property
    def n(self) -> int:
        return len(self.cat)


class AdviceCalendar:
    """Advice dates: growing over the years, rarely in the weekend."""

    def __init__(self) -> None:
        self.base = D.WINDOW_START - 120
        days = np.arange(self.base, D.LAST_ADVICE + 1)
        t = np.clip((days - D.WINDOW_START) / (D.LAST_ADVICE - D.WINDOW_START), 0, 1)
        weekend = ((days + 3) % 7) >= 5  # 1970-01-01 was a Thursday
        damp = np.where(weekend, 0.04, 1.0)
        self.cum = (
            np.cumsum((0.45 + 0.8 * t) * damp),  # gemeente applications
            np.cumsum((0.75 + 0.6 * t) * damp),  # citizen applications (only used from 2017)
        )

    def sample(self, rng: np.random.Generator, lo, hi, aanvrager) -> np.ndarray:
        lo = np.asarray(lo, dtype=np.int64)
        hi = np.asarray(hi, dtype=np.int64)
        aanvrager = np.asarray(aanvrager)
        u = rng.random(len(lo))
        out = np.empty(len(lo), dtype=np.int64)
        for a in (0, 1):
            sel = aanvrager == a
            if not sel.any():
                continue
            cum = self.cum[a]
            i_lo = lo[sel] - self.base
            i_hi = hi[sel] - self.base
            c_lo = np.where(i_lo > 0, cum[np.maximum(i_lo - 1, 0)], 0.0)
            c_hi = cum[i_hi]
            idx = np.searchsorted(cum, c_lo + u[sel] * (c_hi - c_lo), side="left")
            out[sel] = np.clip(idx, i_lo, i_hi) + self.base
        return out


def _lo_for(aanvrager: np.ndarray) -> np.ndarray:
    return np.where(aanvrager == 1, D.BURGER_START, D.WINDOW_START)


def _pick_weighted(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, n: int):
    p = weights[candidates] / weights[candidates].sum()
    return candidates[rng.choice(len(candidates), size=n, p=p)]


def build_population(
    rng: np.random.Generator, geo: Geography, counts: np.ndarray, scale: float
) -> Population:
    """Persons and advices according to the (scaled) plan ``counts[region, category, cell]``."""
    cal = AdviceCalendar()
    n_regions = len(geo.regions)
    counts = counts.copy()

    # Where a region has no cohort persons (tiny scales), re-assessments become Q3 persons and
    # negatives-after become negative-only persons; without any person, negatives-before too.
    cohort = counts[:, _CI["CW"]].sum(1) + counts[:, _CI["CN"]].sum(1)
    empty = cohort == 0
    counts[empty, _CI["Q3"]] += counts[empty, _CI["RE"]]
    counts[empty, _CI["RE"]] = 0
    counts[empty, _CI["NO"]] += counts[empty, _CI["NA"]]
    counts[empty, _CI["NA"]] = 0
    anchors_per_region = counts[:, [_CI[c] for c in ("CW", "CN", "QW", "QN", "Q3")]].sum((1, 2))
    none = anchors_per_region == 0
    counts[none, _CI["NO"]] += counts[none, _CI["NB"]]
    counts[none, _CI["NB"]] = 0

    # --- 1. anchor persons: one first positive advice each -------------------------------
    windows = {
        CW: (None, D.COHORT_END), CN: (None, D.COHORT_END),
        QW: (D.Q_START, D.P), QN: (D.Q_START, D.P), Q3: (D.Q3_START, D.WINDOW_END),
    }
    reg, cat, cell = [], [], []
    for c_person, c_plan in ((CW, "CW"), (CN, "CN"), (QW, "QW"), (QN, "QN"), (Q3, "Q3")):
        n = counts[:, _CI[c_plan], :]
        r_idx, k_idx = np.nonzero(n)
        reps = n[r_idx, k_idx]
        reg.append(np.repeat(r_idx, reps))
        cell.append(np.repeat(k_idx, reps))
        cat.append(np.full(reps.sum(), c_person))
    reg = np.concatenate(reg)
    cat = np.concatenate(cat)
    cell = np.concatenate(cell)

    # Extra persons in ONB at scales other than 1: cohort persons with a gemeente that
    # is not in the 2019 classification, or with no gemeente at all.
    n_onb = 0 if scale == 1 else max(2, int(round(4 * scale)))
    reg = np.concatenate([reg, np.full(n_onb, -1)])
    cat = np.concatenate([cat, np.full(n_onb, ONBX)])
    cell = np.concatenate([cell, np.zeros(n_onb, dtype=np.int64)])

    a = CELL_AANVRAGER[cell]
    lo = np.empty(len(cat), dtype=np.int64)
    hi = np.empty(len(cat), dtype=np.int64)
    for c, (wlo, whi) in windows.items():
        sel = cat == c
        lo[sel] = _lo_for(a[sel]) if wlo is None else wlo
        hi[sel] = whi
    sel = cat == ONBX
    lo[sel], hi[sel] = D.WINDOW_START, D.COHORT_END
    f = cal.sample(rng, lo, hi, a)

    working = np.zeros(len(cat), dtype=bool)
    working[(cat == CW) | (cat == QW)] = True
    u = rng.random(len(cat))
    working[cat == Q3] = u[cat == Q3] < 0.55
    working[cat == ONBX] = u[cat == ONBX] < 0.5

    # Boundary dates, so that an off-by-one in any window changes a published number.
    def force(mask: np.ndarray, value: int, work: bool | None = None) -> None:
        idx = np.flatnonzero(mask & ~forced)
        if len(idx):
            f[idx[0]] = value
            forced[idx[0]] = True
            if work is not None:
                working[idx[0]] = work

    forced = np.zeros(len(cat), dtype=bool)
    force(((cat == CW) | (cat == CN)) & (a == 0), D.WINDOW_START)  # first day of BW-1/BW-3
    force(cat == CW, D.COHORT_END)  # last day of the cohort (BW-3)
    force(cat == CN, D.COHORT_END)
    force(cat == QW, D.Q_START)
    force(cat == QW, D.P)  # counted in totaal_werkend (BW-5)
    force(cat == QN, D.Q_START)
    force(cat == Q3, D.Q3_START, work=True)  # works on P, but not counted (advice after P)
    force(cat == Q3, D.WINDOW_END, work=True)  # last day of the advice window (BW-1)

    adv_person = [np.arange(len(cat))]
    adv_date = [f]
    adv_cell = [cell]
    adv_pos = [np.ones(len(cat), dtype=bool)]

    def region_pools(mask: np.ndarray) -> list[np.ndarray]:
        return [np.flatnonzero(mask & (reg == r)) for r in range(n_regions)]

    # --- 2./3. further advices of cohort persons after their first positive one ------------
    # second positive advices (re-assessments, at least 60 days later) and negative ones
    # (at least 30 days later; BW-3: they do not remove the person from the cohort)
    pools = region_pools((cat == CW) | (cat == CN))
    for kind, min_days, positive in (("RE", 60, True), ("NA", 30, False)):
        for r in range(n_regions):
            for k in range(4):
                n = counts[r, _CI[kind], k]
                if n == 0:
                    continue
                pool = pools[r]
                who = pool[rng.choice(len(pool), size=n, replace=n > len(pool))]
                ak = np.full(n, CELL_AANVRAGER[k])
                d = cal.sample(rng, np.maximum(f[who] + min_days, _lo_for(ak)), np.full(n, D.WINDOW_END), ak)
                adv_person.append(who)
                adv_date.append(d)
                adv_cell.append(np.full(n, k))
                adv_pos.append(np.full(n, positive, dtype=bool))

    # --- 4. negative advices before a person's first positive ------------------------------
    no_extra = np.zeros((n_regions, 4), dtype=np.int64)  # NB that found no room → NO
    anchor_mask = cat != ONBX
    for r in range(n_regions):
        for k in range(4):
            n = counts[r, _CI["NB"], k]
            if n == 0:
                continue
            lo_k = D.BURGER_START if CELL_AANVRAGER[k] == 1 else D.WINDOW_START
            pool = np.flatnonzero(anchor_mask & (reg == r) & (f - 30 >= lo_k + 7))
            if len(pool) == 0:
                no_extra[r, k] += n
                continue
            who = pool[rng.choice(len(pool), size=n, replace=n > len(pool))]
            ak = np.full(n, CELL_AANVRAGER[k])
            d = cal.sample(rng, np.full(n, lo_k), f[who] - 30, ak)
            adv_person.append(who)
            adv_date.append(d)
            adv_cell.append(np.full(n, k))
            adv_pos.append(np.zeros(n, dtype=bool))

    # --- 5. negative-only persons ----------------------------------------------------------
    n_no = counts[:, _CI["NO"], :] + no_extra
    r_idx, k_idx = np.nonzero(n_no)
    reps = n_no[r_idx, k_idx]
    no_reg = np.repeat(r_idx, reps)
    no_cell = np.repeat(k_idx, reps)
    ak = CELL_AANVRAGER[no_cell]
    no_date = cal.sample(rng, _lo_for(ak), np.full(len(ak), D.WINDOW_END), ak)
    # About one in ten negative-only persons has two negative advices (same region).
    owner = np.arange(len(no_reg))
    order = np.lexsort((rng.random(len(no_reg)), no_reg))
    pair_first = rng.random(len(order)) < 0.2
    for i in range(len(order) - 1):
        x, y = order[i], order[i + 1]
        if (
            pair_first[i]
            and owner[x] == x
            and owner[y] == y
            and no_reg[x] == no_reg[y]
            and abs(no_date[x] - no_date[y]) >= 60
        ):
            owner[y] = x
    heads = np.flatnonzero(owner == np.arange(len(owner)))
    head_pos = np.full(len(owner), -1)
    head_pos[heads] = np.arange(len(heads)) + len(cat)
    no_person = head_pos[owner]
    first_no = np.full(len(heads), np.iinfo(np.int64).max)
    np.minimum.at(first_no, no_person - len(cat), no_date)
    reg = np.concatenate([reg, no_reg[heads]])
    cell = np.concatenate([cell, no_cell[heads]])
    f = np.concatenate([f, first_no])
    cat = np.concatenate([cat, np.full(len(heads), NO)])
    working = np.concatenate([working, rng.random(len(heads)) < 0.4])
    adv_person.append(no_person)
    adv_date.append(no_date)
    adv_cell.append(no_cell)
    adv_pos.append(np.zeros(len(no_person), dtype=bool))

    # --- 6. advices after the BW-1 window (October 2019, before the extract) ---------------
    n_oct = int(np.floor(OCT_PERSONS_AT_SCALE_1 * scale) + (rng.random() < (OCT_PERSONS_AT_SCALE_1 * scale) % 1))
    per_region = counts.sum((1, 2)).astype(float)
    oct_reg = rng.choice(n_regions, size=n_oct, p=per_region / per_region.sum()) if n_oct else np.zeros(0, dtype=np.int64)
    oct_cell = rng.choice(4, size=n_oct, p=[0.27, 0.07, 0.53, 0.13])
    oct_date = cal.sample(rng, np.full(n_oct, D.Q3_START + 92), np.full(n_oct, D.LAST_ADVICE), CELL_AANVRAGER[oct_cell])
    if n_oct:
        oct_date[0] = D.WINDOW_END + 1
    first = len(cat)
    reg = np.concatenate([reg, oct_reg])
    cell = np.concatenate([cell, oct_cell])
    f = np.concatenate([f, oct_date])
    cat = np.concatenate([cat, np.full(n_oct, OCT)])
    working = np.concatenate([working, rng.random(n_oct) < 0.5])
    adv_person.append(np.arange(first, first + n_oct))
    adv_date.append(oct_date)
    adv_cell.append(oct_cell)
    adv_pos.append(rng.random(n_oct) < 0.7)

    pop = Population(
        region=reg, cat=cat, first_cell=cell, f=f, working=working,
        home=np.full(len(cat), -1), home_code=np.full(len(cat), None, dtype=object),
    )
    pop.adv_person = np.concatenate(adv_person)
    pop.adv_date = np.concatenate(adv_date)
    pop.adv_cell = np.concatenate(adv_cell)
    pop.adv_pos = np.concatenate(adv_pos)
    a = CELL_AANVRAGER[pop.adv_cell]
    gap = np.clip(np.rint(rng.normal(30, 13, len(a))), 0, 56).astype(np.int64)
    pop.adv_aanvraag = np.maximum(pop.adv_date - gap, np.minimum(_lo_for(a), pop.adv_date))
    pop.adv_aanvraag[pop.adv_date == D.WINDOW_START] = D.WINDOW_START

    # --- 7. home gemeente and birth dates ---------------------------------------------------
    for r in range(n_regions):
        sel = np.flatnonzero(pop.region == r)
        if len(sel):
            pop.home[sel] = _pick_weighted(rng, geo.members(r), geo.weight, len(sel))
    codes = np.array(geo.code, dtype=object)
    known = pop.home >= 0
    pop.home_code[known] = codes[pop.home[known]]

    first_advice = np.full(pop.n, np.iinfo(np.int64).max)
    np.minimum.at(first_advice, pop.adv_person, pop.adv_date)
    mix = rng.random(pop.n)
    age = np.where(
        mix < 0.55, rng.uniform(17.6, 25, pop.n),
        np.where(mix < 0.86, rng.uniform(25, 45, pop.n), rng.uniform(45, 62, pop.n)),
    )
    pop.geboortedatum = first_advice - np.rint(age * 365.25).astype(np.int64)
    pop.overlijdensdatum = np.full(pop.n, D.NULL)
    return pop


def build_brp(
    rng: np.random.Generator, geo: Geography, pop: Population, last_payroll_day: np.ndarray,
    history: Herindelingen | None = None, history_rng: np.random.Generator | None = None,
) -> None:
    """Residence histories (R-1) and the gemeente on every advice.

    ``last_payroll_day``: per person the einddatum of their last income relation (D.NULL when
    they have none, a far future day when one is open). Only persons whose advices and
    income relations all ended two months before P may emigrate or die before P.

    The records are first made with 2019 codes; with ``history`` they are then split at the
    gemeentelijke herindelingen (old code up to the day before, new code from the date),
    drawn from ``history_rng``, so the code on every date from 2019-01-01 is unchanged. The
    advices carry the code of the record covering their date; those of persons without BRP
    the code of their home gemeente on that date (the same history, unrecorded).
    """
    n = pop.n
    last_advice = np.full(n, D.NULL)
    np.maximum.at(last_advice, pop.adv_person, pop.adv_date)
    first_advice = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_advice, pop.adv_person, pop.adv_date)
    am99 = geo.regions.index(AM99) if AM99 in geo.regions else -2
    codes = np.array(geo.code, dtype=object)

    u = rng.random(n)
    kind = np.full(n, B_SINGLE)
    kind[u < 0.10] = B_MOVE_WITHIN
    kind[(u >= 0.10) & (u < 0.17)] = B_MOVE_BETWEEN
    kind[(u >= 0.17) & (u < 0.20)] = B_MOVE_AFTER_P
    kind[(u >= 0.20) & (u < 0.215)] = B_NONE
    kind[(u >= 0.215) & (u < 0.225)] = B_GAP
    kind[(u >= 0.225) & (u < 0.25)] = B_EMIGRATED
    kind[(u >= 0.25) & (u < 0.265)] = B_DECEASED

    last_event = np.maximum(last_advice, last_payroll_day)
    can_leave = (last_event <= D.P - 60) & (pop.cat != ONBX) & ~pop.working
    kind[((kind == B_EMIGRATED) | (kind == B_DECEASED)) & ~can_leave] = B_SINGLE
    kind[(kind == B_MOVE_BETWEEN) & (first_advice > D.P - 30)] = B_SINGLE
    n_members = np.bincount(geo.gemeente_region, minlength=len(geo.regions))
    safe_region = np.maximum(pop.region, 0)
    kind[(kind == B_MOVE_WITHIN) & (n_members[safe_region] < 2)] = B_SINGLE
    kind[pop.region == am99] = B_AM99
    # The first persons of a kind are guaranteed at scale 1 (tests, faults).
    onbx = np.flatnonzero(pop.cat == ONBX)
    kind[onbx] = np.where(np.arange(len(onbx)) % 3 == 0, B_STALE, B_NONE)
    pop.brp_kind = kind

    # First residence: born in the gemeente, or settled there before 2015.
    born_here = rng.random(n) < 0.45
    settle = pop.geboortedatum + (rng.random(n) * (D.WINDOW_START - 1 - pop.geboortedatum)).astype(np.int64)
    b0 = np.where(born_here, pop.geboortedatum, np.maximum(settle, pop.geboortedatum))
    b0 = np.minimum(b0, D.WINDOW_START - 1)

    def other_gemeente(idx: np.ndarray) -> np.ndarray:
        """A gemeente outside the person's region (never AM99 or the former gemeenten)."""
        candidates = np.flatnonzero(geo.gemeente_region != am99)
        out = _pick_weighted(rng, candidates, geo.weight, len(idx))
        for _ in range(50):
            clash = geo.gemeente_region[out] == pop.region[idx]
            if not clash.any():
                break
            out[clash] = _pick_weighted(rng, candidates, geo.weight, int(clash.sum()))
        return out

    def other_in_region(idx: np.ndarray) -> np.ndarray:
        """Another gemeente of the person's own region (regions with ≥ 2 gemeenten)."""
        out = pop.home[idx].copy()
        for _ in range(50):
            same = np.flatnonzero(out == pop.home[idx])
            if not len(same):
                break
            for r in np.unique(pop.region[idx[same]]):
                j = same[pop.region[idx[same]] == r]
                out[j] = _pick_weighted(rng, geo.members(r), geo.weight, len(j))
        return out

    persons, rcode, rbegin, rend = [], [], [], []

    def add(p, c, b, e):
        persons.append(np.asarray(p))
        rcode.append(np.asarray(c, dtype=object))
        rbegin.append(np.asarray(b, dtype=np.int64))
        rend.append(np.asarray(e, dtype=np.int64))

    home_code = pop.home_code
    # single record, still open
    s = np.flatnonzero(kind == B_SINGLE)
    add(s, home_code[s], b0[s], np.full(len(s), D.NULL))
    # move within the region before P
    s = np.flatnonzero(kind == B_MOVE_WITHIN)
    m = rng.integers(D.WINDOW_START, D.P, len(s))
    add(s, codes[other_in_region(s)], b0[s], m - 1)
    add(s, home_code[s], m, np.full(len(s), D.NULL))
    # move from another region before P (after the first advice: that advice carries the
    # old gemeente)
    s = np.flatnonzero(kind == B_MOVE_BETWEEN)
    m = first_advice[s] + 14 + (rng.random(len(s)) * (D.P - 1 - first_advice[s] - 14)).astype(np.int64)
    add(s, codes[other_gemeente(s)], b0[s], m - 1)
    add(s, home_code[s], m, np.full(len(s), D.NULL))
    # emigrated before P: the record ends, no later record (last known address, R-1)
    s = np.flatnonzero(kind == B_EMIGRATED)
    e = last_event[s] + 14 + (rng.random(len(s)) * (D.P - 12 - last_event[s] - 14)).astype(np.int64)
    add(s, home_code[s], b0[s], e)
    # deceased before P
    s = np.flatnonzero(kind == B_DECEASED)
    e = last_event[s] + 14 + (rng.random(len(s)) * np.minimum(D.P - 12 - last_event[s] - 14, 500)).astype(np.int64)
    add(s, home_code[s], b0[s], e)
    pop.overlijdensdatum[s] = e
    # moved to another region after P: the region on P is the old one
    s = np.flatnonzero(kind == B_MOVE_AFTER_P)
    m = rng.integers(D.P + 1, D.WINDOW_END + 1, len(s))
    add(s, home_code[s], b0[s], m - 1)
    add(s, codes[other_gemeente(s)], m, np.full(len(s), D.NULL))
    # gap around P: record ends in May/June, next record (elsewhere) starts after P
    s = np.flatnonzero(kind == B_GAP)
    e = rng.integers(D.day("2019-05-01"), D.P, len(s))
    m = rng.integers(D.P + 1, D.day("2019-09-16"), len(s))
    add(s, home_code[s], b0[s], e)
    add(s, codes[other_gemeente(s)], m, np.full(len(s), D.NULL))
    # AM99 (West Betuwe, Vijfheerenlanden, formed on 2019-01-01): one record from b0; the
    # herindelingen below give it a former gemeente until 2018-12-31. (The draw that once
    # chose the former gemeente here is kept, so the later random draws stay the same.)
    s = np.flatnonzero(kind == B_AM99)
    rng.integers(0, 3, len(s))
    add(s, home_code[s], b0[s], np.full(len(s), D.NULL))
    # ONB at scale != 1: a stale record with a code that is in no classification and was
    # never a gemeente (R-4; a former code would follow the herindelingen, R-7)
    s = np.flatnonzero(kind == B_STALE)
    add(s, np.full(len(s), UNKNOWN_CODE, dtype=object), b0[s], np.full(len(s), D.NULL))
    pop.home_code[s] = UNKNOWN_CODE

    person = np.concatenate(persons)
    code = np.concatenate(rcode)
    begin = np.concatenate(rbegin)
    end = np.concatenate(rend)
    if history is not None:
        # The BRP as it is recorded: old codes before each herindeling (synth/_history.py).
        person, code, begin, end = split_records(history_rng, history, sizes_2019(geo), person, code, begin, end)
    pop.brp_person, pop.brp_code, pop.brp_begin, pop.brp_end = person, code, begin, end

    # Gemeente on each advice: the record covering the advice date, else the last record
    # begun before it; persons without BRP: their home gemeente, under the code
    # of the advice date (an unrecorded residence from birth, split at the herindelingen).
    person, code, begin = pop.brp_person, pop.brp_code, pop.brp_begin
    if history is not None:
        unrecorded = np.setdiff1d(np.flatnonzero(pop.home >= 0), pop.brp_person)
        v_person, v_code, v_begin, _ = split_records(
            history_rng, history, sizes_2019(geo), unrecorded, pop.home_code[unrecorded],
            pop.geboortedatum[unrecorded], np.full(len(unrecorded), D.NULL))
        person = np.concatenate([person, v_person])
        code = np.concatenate([code, v_code])
        begin = np.concatenate([begin, v_begin])
    order = np.lexsort((begin, person))
    key = person[order] * 1_000_000 + (begin[order] + 500_000)
    q = pop.adv_person * 1_000_000 + (pop.adv_date + 500_000)
    pos = np.searchsorted(key, q, side="right") - 1
    ok = (pos >= 0) & (person[order][np.maximum(pos, 0)] == pop.adv_person)
    adv_code = pop.home_code[pop.adv_person].copy()
    adv_code[ok] = code[order][pos[ok]]
    onbx_adv = pop.cat[pop.adv_person] == ONBX
    none_adv = onbx_adv & (pop.brp_kind[pop.adv_person] == B_NONE)
    # ONB persons without BRP: half with no gemeente on the advice, half with an unknown code.
    adv_code[none_adv] = np.where(pop.adv_person[none_adv] % 2 == 0, None, UNKNOWN_CODE)
    pop.adv_gemeente = adv_code
