"""Klantprofielen (SPEC KP) and the Werkkamer's indicative extra jobs per region (TR-5).

Klantprofielen
    Register persons get a profile in the Kandidatenverkenner (from 2016), mostly those without
    work: about 60 % of the persons without a job on 2019-06-30 and about 20 % of those with
    one. About 78 % of the profiles are visible to employers, so roughly 45 % of the doelgroep
    without work has a visible profile covering 2019-06-30 (KP-1). Profiles end when the
    registration ends (or at death); some persons have an earlier, ended profile. The
    completeness flags are true for about 65 % (cv), 78 % (beroep) and 70 % (werkervaring),
    with some nulls (KP-2).

Werkkamer indicatie
    The national cumulative target of extra jobs (markt + overheid, Regeling Wfsv; reference
    ``banenafspraak_doelen.csv``) for 2015–2026, split over the 35 regions by population (±8 %
    noise), with one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regiorapportage.synth import _days as D
from regiorapportage.synth._geography import AM99, Geography
from regiorapportage.synth._register import Register

# Cumulative targets of extra jobs per year: (markt, overheid).
DOELEN = {
    2015: (6000, 3000), 2016: (14000, 6500), 2017: (23000, 10000), 2018: (31000, 12500),
    2019: (40000, 15000), 2020: (50000, 17500), 2021: (60000, 20000), 2022: (70000, 22500),
    2023: (80000, 25000), 2024: (90000, 25000), 2025: (100000, 25000), 2026: (100000, 25000),
}
PROFILE_START = D.day("2016-01-01")


@dataclass
class Profiles:
    person: np.ndarray  # new person index j
    begin: np.ndarray
    end: np.ndarray  # D.NULL = open
    zichtbaar: np.ndarray
    flags: dict[str, tuple[np.ndarray, np.ndarray]]  # name → (value, valid)


def build_profiles(rng: np.random.Generator, reg: Register, working_p: np.ndarray) -> Profiles:
    """``working_p``: per new person, has a job covering 2019-06-30."""
    n = reg.n_new
    new = reg.reg_person >= reg.n_old
    j = reg.reg_person[new] - reg.n_old
    end_eff = np.where(reg.reg_end[new] == D.NULL, D.FAR, reg.reg_end[new])
    last_end = np.full(n, -D.FAR)
    np.maximum.at(last_end, j, end_eff)
    alive_end = np.where(reg.overlijdensdatum == D.NULL, D.FAR, reg.overlijdensdatum)
    last_end = np.minimum(last_end, alive_end)
    lo = np.maximum(reg.first_begin, PROFILE_START)
    hi = np.minimum(last_end, D.day("2019-09-30"))
    cand = hi > lo + 30
    p = np.where(working_p, 0.22, 0.60)
    has = cand & (rng.random(n) < p)
    who = np.flatnonzero(has)
    # most profiles start before P (when the registration allows)
    before_p = np.minimum(hi[who], D.P)
    span = np.maximum(before_p - lo[who], 1)
    begin = lo[who] + (rng.random(len(who)) ** 0.7 * span).astype(np.int64)
    late = rng.random(len(who)) < 0.08
    begin[late] = lo[who][late] + (rng.random(int(late.sum())) * (hi[who][late] - lo[who][late])).astype(np.int64)
    end = np.where(last_end[who] <= D.EXTRACT, np.minimum(last_end[who] + rng.integers(0, 60, len(who)), D.EXTRACT - 1), D.NULL)
    closed = (rng.random(len(who)) < 0.07) & (end == D.NULL)
    end[closed] = begin[closed] + rng.integers(30, 700, int(closed.sum()))
    end[closed & (end > D.EXTRACT - 1)] = D.NULL
    end = np.where((end != D.NULL) & (end < begin), begin, end)
    zichtbaar = rng.random(len(who)) < 0.78
    # an earlier, ended profile for some persons (visibility often different)
    prev = np.flatnonzero((rng.random(len(who)) < 0.08) & (begin - PROFILE_START > 90))
    pb = PROFILE_START + (rng.random(len(prev)) * (begin[prev] - 60 - PROFILE_START)).astype(np.int64)
    pe = pb + ((begin[prev] - 1 - pb) * rng.uniform(0.3, 1.0, len(prev))).astype(np.int64)
    person = np.concatenate([who, who[prev]])
    begin = np.concatenate([begin, pb])
    end = np.concatenate([end, pe])
    zichtbaar = np.concatenate([zichtbaar, rng.random(len(prev)) < 0.5])
    m = len(person)
    flags = {}
    for name, (pt, pf) in (("heeft_cv", (0.65, 0.25)), ("heeft_beroep", (0.78, 0.17)),
                           ("heeft_werkervaring", (0.70, 0.22))):
        u = rng.random(m)
        flags[name] = (u < pt, u < pt + pf)
    return Profiles(person, begin, end, zichtbaar, flags)


# Region codes of the years before 2018 (CBS 2016): Food Valley was AM31, AM38 "FoodValley"
# from 2018. A year's indicatie carries the code of that year, so a 2016 report finds it.
FORMER_REGION_CODES = {"AM38": "AM31"}
FORMER_REGION_CODES_UNTIL = 2018


def werkkamer(rng: np.random.Generator, geo: Geography) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(region codes, years, extra_banen in tenths) rows for the 35 regions × 2015…2026, each
    with the region's code in that year."""
    regions = [r for r in geo.regions if r != AM99]
    weight = np.array([geo.weight[geo.gemeente_region == geo.regions.index(r)].sum() for r in regions])
    weight = weight * rng.uniform(0.92, 1.08, len(regions))
    weight /= weight.sum()
    codes, years, tenths = [], [], []
    for r, w in zip(regions, weight):
        for year, (markt, overheid) in DOELEN.items():
            codes.append(FORMER_REGION_CODES.get(r, r) if year < FORMER_REGION_CODES_UNTIL else r)
            years.append(year)
            tenths.append(int(round((markt + overheid) * w * 10)))
    return codes, np.array(years), np.array(tenths, dtype=np.int64)
