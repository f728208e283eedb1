"""The doelgroepregister banenafspraak and the persons in it (SPEC BA-1…BA-3).

Persons
    *register persons* are new persons (no advices, so no beschut werk number changes) with
    birth dates, deaths, BRP histories (moves between regions, also within a quarter), and a
    main grondslag that drives their payroll (``_ba_payroll``). Some existing beschut werk
    persons are linked: they had a registration that ended on the day of their first positive
    advice (``einde_reden = beschut_werk``), or got an indicatie banenafspraak after a
    negative advice.

Calibration (public national figures, shared/reference/README.md)
    The doelgroep (BA-3: persons with a registration valid on P, BA-2) follows the published
    sizes: 247,739 at the nulmeting (2012-12-31) exactly at scale 1, 212,875 (2016Q4),
    204,490 (2017Q2), 221,002 (2019Q1), 224,770 (2019Q2), 227,072 (2019Q3), linear between
    them. A stock valid at the nulmeting leaves through AOW (end date = the day the AOW age is
    reached, GLOSSARY), death, and group-specific hazards of other reasons; every quarter the
    inflow (Wajong until 2014, then mostly indicatie banenafspraak, some Praktijkroute from
    2017, Wajong re-assessments) is the target minus the persons still valid, with a floor, so
    the size is met in every quarter unless the stock alone is above the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regiorapportage.synth import _days as D
from regiorapportage.synth._geography import AM99, Geography
from regiorapportage.synth._history import Herindelingen, sizes_2019, split_records
from regiorapportage.synth._population import CN, CW, NO, QN, QW, Q3, Population

GRONDSLAGEN = (
    "wajong", "wsw_begeleid_werk", "wsw_detachering", "wiw_id", "indicatie_banenafspraak",
    "verminderde_loonwaarde", "quotumgroep",
)
WAJONG, WSW_BW, WSW_DET, WIW, IND, VLW, QUOT = range(7)
YEARLY = np.array([False, True, True, True, False, False, False])  # BA-2: valid when covering 1 January
REDENEN = (
    "aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "uitschrijving_verzoek",
    "bezwaar", "overig",
)
R_NONE = -1
R_AOW, R_DOOD, R_DGA, R_BW, R_UIT, R_BEZ, R_OV = range(7)

# Public national doelgroep sizes (persons, BA-3), by quarter.
DOELGROEP_ANCHORS = {
    "2012Q4": 247_739, "2016Q4": 212_875, "2017Q2": 204_490, "2019Q1": 221_002,
    "2019Q2": 224_770, "2019Q3": 227_072,
    # not published: the trend from 2019Q3 to 2022Q2 (250,405), for the Landelijke monitor 2019
    "2019Q4": 229_200,
}

# Stock at the nulmeting: grondslag mix and age at 2013-01-01 (ranges with weights).
STOCK_MIX = {WAJONG: 0.70, WSW_DET: 0.115, WSW_BW: 0.095, WIW: 0.09}
AGES = {  # group → ((lo, hi, weight), …) in years
    WAJONG: ((18, 30, 0.45), (30, 45, 0.33), (45, 64.9, 0.22)),
    WSW_DET: ((20, 30, 0.14), (30, 45, 0.34), (45, 64.9, 0.52)),
    WSW_BW: ((20, 30, 0.18), (30, 45, 0.36), (45, 64.9, 0.46)),
    WIW: ((35, 50, 0.45), (50, 64.9, 0.55)),
    IND: ((18, 27, 0.52), (27, 45, 0.33), (45, 60, 0.15)),
    VLW: ((20, 35, 0.45), (35, 60, 0.55)),
    QUOT: ((18, 30, 0.55), (30, 60, 0.45)),
}
INFLOW_WAJONG_AGES = ((18, 20, 0.7), (20, 27, 0.3))
# Yearly hazard of an end for another reason than AOW or death, by main grondslag.
OTHER_END_RATE = np.array([0.075, 0.11, 0.11, 0.14, 0.06, 0.07, 0.06])
# Reasons of those ends: duurzaam geen arbeidsvermogen, uitschrijving op verzoek, bezwaar,
# overig, no reason.
OTHER_REASONS = (R_DGA, R_UIT, R_BEZ, R_OV, R_NONE)
OTHER_REASON_P = {
    WAJONG: (0.30, 0.18, 0.05, 0.27, 0.20), WSW_BW: (0.10, 0.10, 0.02, 0.48, 0.30),
    WSW_DET: (0.10, 0.10, 0.02, 0.48, 0.30), WIW: (0.05, 0.15, 0.02, 0.48, 0.30),
    IND: (0.20, 0.25, 0.10, 0.25, 0.20), VLW: (0.10, 0.35, 0.05, 0.30, 0.20),
    QUOT: (0.15, 0.30, 0.05, 0.30, 0.20),
}
STALE_PER_SCALE = 30  # per kind (after death, after AOW, after beschut werk) at scale 1
UITSCHRIJVING_FROM = D.day("2020-01-01")  # DR-4: removal on request, for requests from this day


@dataclass
class Register:
    """New persons (index j; BA person index n_old + j) and all registrations (BA person index)."""

    n_old: int
    # new persons
    group: np.ndarray
    geboortedatum: np.ndarray
    overlijdensdatum: np.ndarray  # D.NULL = alive (or death after the extract)
    death: np.ndarray  # true death day (may be after the extract; FAR = none)
    aow: np.ndarray
    first_begin: np.ndarray  # begin of the person's first registration
    # registrations
    reg_person: np.ndarray
    reg_g: np.ndarray
    reg_begin: np.ndarray
    reg_end: np.ndarray  # D.NULL = open
    reg_reason: np.ndarray  # R_NONE = none
    stale: dict[str, int]

    @property
    def n_new(self) -> int:
        return len(self.group)


def _interp_targets() -> list[tuple[str, int, float]]:
    quarters = D.quarter_ends("2012Q4", "2019Q4")
    labels = [q for q, _ in quarters]
    known = [(labels.index(k), v) for k, v in DOELGROEP_ANCHORS.items()]
    xs, ys = zip(*known)
    values = np.interp(np.arange(len(labels)), xs, ys)
    return [(q, p, float(v)) for (q, p), v in zip(quarters, values)]


def _ages(rng: np.random.Generator, n: int, spec) -> np.ndarray:
    w = np.array([s[2] for s in spec], dtype=float)
    k = rng.choice(len(spec), size=n, p=w / w.sum())
    lo = np.array([s[0] for s in spec])[k]
    hi = np.array([s[1] for s in spec])[k]
    return rng.uniform(lo, hi)


def _years(x) -> np.ndarray:
    return np.rint(np.asarray(x) * 365.25).astype(np.int64)


def _round_scaled(rng: np.random.Generator, x: float) -> int:
    base = int(np.floor(x))
    return base + int(rng.random() < x - base)


def valid_on(g: np.ndarray, begin: np.ndarray, end: np.ndarray, p: int) -> np.ndarray:
    """BA-2: registrations valid on peildatum ``p``."""
    jan1 = int(np.datetime64(D.to_date(p).replace(month=1, day=1), "D").astype(np.int64))
    at = np.where(YEARLY[g], jan1, p)
    end_eff = np.where(end == D.NULL, D.FAR, end)
    ok = (begin <= at) & (at <= end_eff)
    if p < D.QUOTUM_FROM:
        ok &= g != QUOT
    return ok


class _Builder:
    """Collects new persons and registrations batch by batch."""

    def __init__(self, rng: np.random.Generator, n_old: int, scale: float) -> None:
        self.rng = rng
        self.n_old = n_old
        self.scale = scale
        self.p = {k: [] for k in ("group", "birth", "death", "aow")}
        self.r = {k: [] for k in ("person", "g", "begin", "end", "reason")}
        self.n_new = 0
        self.stale_budget = {"overlijden": 0, "aow": 0}
        self.stale_p = 0.0

    def add_regs(self, person, g, begin, end, reason) -> None:
        n = len(person)
        for k, v in (("person", person), ("g", g), ("begin", begin), ("end", end), ("reason", reason)):
            self.r[k].append(np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy())

    def arrays(self):
        return {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in self.r.items()}

    def count_valid(self, p: int) -> int:
        r = self.arrays()
        ok = valid_on(r["g"], r["begin"], r["end"], p)
        seen = np.zeros(self.n_old + self.n_new, dtype=bool)
        seen[r["person"][ok]] = True
        return int(seen.sum())

    def persons(self, group, birth, begin, count_from, death_from=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """New persons with one registration each from ``begin``; the registration ends at the
        first of AOW (GLOSSARY), death (after ``death_from``) and another reason (after
        ``count_from``). Returns (person index, einddatum, einde_reden)."""
        rng = self.rng
        n = len(group)
        idx = self.n_old + self.n_new + np.arange(n)
        self.n_new += n
        aow = D.aow_date(birth)
        death_from = count_from if death_from is None else death_from
        age = (death_from - birth) / 365.25
        mortality = np.clip(0.0016 * np.exp(0.075 * (age - 40)), 0.0004, 0.05)
        death = death_from + _years(rng.exponential(1.0, n) / mortality)
        other = count_from + _years(rng.exponential(1.0, n) / OTHER_END_RATE[group])
        end = np.minimum(np.minimum(aow, death), other)
        reason = np.where(end == aow, R_AOW, np.where(end == death, R_DOOD, -2))
        o = np.flatnonzero(reason == -2)
        for g in range(len(GRONDSLAGEN)):
            sel = o[group[o] == g]
            if not len(sel):
                continue
            reason[sel] = np.array(OTHER_REASONS)[rng.choice(5, size=len(sel), p=OTHER_REASON_P[int(g)])]
        open_ = end > D.BA_EXTRACT
        end = np.where(open_, D.NULL, end)
        reason = np.where(open_, R_NONE, reason)
        self.p["group"].append(np.asarray(group, dtype=np.int64))
        self.p["birth"].append(np.asarray(birth, dtype=np.int64))
        self.p["death"].append(death)
        self.p["aow"].append(aow)
        self.add_regs(idx, group, begin, end, reason)
        return idx, end, reason


def _first_positive(pop: Population) -> np.ndarray:
    first = np.full(pop.n, D.NULL)
    pos = np.flatnonzero(pop.adv_pos)
    order = pos[np.argsort(-pop.adv_date[pos], kind="stable")]  # earliest written last
    first[pop.adv_person[order]] = pop.adv_date[order]
    return first


def build_register(rng: np.random.Generator, pop: Population, scale: float) -> tuple[Register, dict]:
    """Persons and registrations; returns the register and a calibration log (per quarter:
    target, valid before inflow, inflow)."""
    b = _Builder(rng, pop.n, scale)
    targets = _interp_targets()
    nul = D.NULMETING
    jan2012 = D.day("2012-01-01")

    # --- existing beschut werk persons (added first: they count in the targets) -------------
    first_pos = _first_positive(pop)
    cand = np.flatnonzero(np.isin(pop.cat, (CW, CN, QW, QN, Q3)) & (first_pos != D.NULL))
    linked = cand[rng.random(len(cand)) < 0.35]
    fp = first_pos[linked]
    adult = D.add_months(pop.geboortedatum[linked], 18 * 12)
    is_wajong = rng.random(len(linked)) < 0.3
    begin = np.where(
        is_wajong,
        np.maximum(adult, D.day("2004-01-01")) + _years(rng.uniform(0, 6, len(linked))),
        np.maximum(fp - _years(rng.uniform(0.1, 3.0, len(linked))), D.day("2015-01-01")),
    )
    begin = np.maximum(begin, adult)
    ok = begin < fp - 14
    linked, fp, begin, is_wajong = linked[ok], fp[ok], begin[ok], is_wajong[ok]
    # still open after the advice (BA-3): the register was not told of the beschut werk decision;
    # only persons alive at the extract (it would have been told of a death, which ends it)
    shuffled = rng.permutation(len(linked))
    shuffled = shuffled[pop.overlijdensdatum[linked][shuffled] == D.NULL]
    n_stale_bw = min(len(shuffled), max(1, int(round(STALE_PER_SCALE * scale))))
    stale_bw = np.zeros(len(linked), dtype=bool)
    stale_bw[shuffled[:n_stale_bw]] = True
    b.add_regs(linked, np.where(is_wajong, WAJONG, IND), begin,
               np.where(stale_bw, D.NULL, fp), np.where(stale_bw, R_NONE, R_BW))
    # persons with only negative advices: some get an indicatie banenafspraak afterwards
    last_adv = np.full(pop.n, D.NULL)
    np.maximum.at(last_adv, pop.adv_person, pop.adv_date)
    neg = np.flatnonzero((pop.cat == NO) & (rng.random(pop.n) < 0.2))
    begin = last_adv[neg] + rng.integers(30, 300, len(neg))
    neg, begin = neg[begin <= D.day("2019-09-30")], begin[begin <= D.day("2019-09-30")]
    death = np.where(pop.overlijdensdatum[neg] == D.NULL, D.FAR, pop.overlijdensdatum[neg])
    aow = D.aow_date(pop.geboortedatum[neg])
    end = np.minimum(death, aow)
    ok = end > begin + 30
    neg, begin, end, aow = neg[ok], begin[ok], end[ok], aow[ok]
    reason = np.where(end > D.BA_EXTRACT, R_NONE, np.where(end == aow, R_AOW, R_DOOD))
    b.add_regs(neg, IND, begin, np.where(end > D.BA_EXTRACT, D.NULL, end), reason)

    # --- stock at the nulmeting ----------------------------------------------------------------
    n0 = max(0, int(round(targets[0][2] * scale)) - b.count_valid(nul))
    groups = np.array(list(STOCK_MIX))
    g = groups[rng.choice(len(groups), size=n0, p=np.array(list(STOCK_MIX.values())))]
    age = np.empty(n0)
    for k in STOCK_MIX:
        sel = g == k
        age[sel] = _ages(rng, int(sel.sum()), AGES[int(k)])
    birth = nul + 1 - _years(age) - rng.integers(0, 365, n0)
    birth = np.maximum(birth, D.day("1948-01-01"))
    adult = D.add_months(birth, 18 * 12)
    begin = np.empty(n0, dtype=np.int64)
    w = g == WAJONG
    begin[w] = np.maximum(adult[w] + _years(rng.uniform(0, 4, w.sum())), D.day("1998-01-01") + rng.integers(0, 700, w.sum()))
    begin[w] = np.minimum(begin[w], nul - rng.integers(0, 60, w.sum()))
    y = ~w
    begin[y] = np.maximum(adult[y] + _years(rng.uniform(0, 15, y.sum())), D.day("1995-01-01") + rng.integers(0, 2000, y.sum()))
    begin[y & (g == WIW)] = np.minimum(begin[y & (g == WIW)], D.day("2004-06-30"))
    begin[y] = np.minimum(begin[y], jan2012 - rng.integers(0, 30, y.sum()))
    begin = np.maximum(begin, adult)
    # other ends of Wsw/Wiw from 2012 (valid on 2012-12-31 when covering 2012-01-01, BA-2);
    # deaths only from 2013 (the stock is alive at the nulmeting)
    count_from = np.where(YEARLY[g], jan2012, nul + 1)
    stock, s_end, s_reason = b.persons(g, birth, begin, count_from, death_from=np.full(n0, nul + 1))

    # secondary registrations of Wsw persons: a Wajong registration too (same end), or an
    # indicatie banenafspraak after a Wsw registration ended for another reason
    sel = np.flatnonzero(np.isin(g, (WSW_BW, WSW_DET)))
    two = sel[rng.random(len(sel)) < 0.12]
    wb = np.maximum(adult[two] + _years(rng.uniform(0, 3, len(two))), D.day("1998-01-01"))
    wb = np.minimum(wb, nul - 30)
    wb = np.where(s_end[two] == D.NULL, wb, np.minimum(wb, s_end[two] - 30))
    b.add_regs(stock[two], WAJONG, wb, s_end[two], s_reason[two])
    ended = sel[np.isin(s_reason[sel], OTHER_REASONS[:4]) & (s_end[sel] != D.NULL)]
    ended = ended[s_end[ended] < D.day("2017-01-01")]
    herind = ended[rng.random(len(ended)) < 0.2]
    wend = s_end[herind]
    hb = np.maximum(wend + rng.integers(30, 400, len(herind)), D.day("2015-01-01") + rng.integers(0, 300, len(herind)))
    aow = D.aow_date(birth[herind])
    keep = hb < np.minimum(aow, D.day("2019-06-01"))
    herind, hb, aow = herind[keep], hb[keep], aow[keep]
    he = hb + _years(rng.exponential(1 / OTHER_END_RATE[IND], len(herind)))
    he_reason = np.where(he < aow, R_OV, R_AOW)
    he = np.minimum(he, aow)
    b.add_regs(stock[herind], IND, hb, np.where(he > D.BA_EXTRACT, D.NULL, he), np.where(he > D.BA_EXTRACT, R_NONE, he_reason))

    # --- planned inflow: Wsw until 2014 (valid from the next 1 January), quotumgroep ---------
    for year, n in ((2013, 3600), (2014, 2600)):
        m = _round_scaled(rng, n * scale)
        gg = np.where(rng.random(m) < 0.55, WSW_DET, WSW_BW)
        start = D.day(f"{year}-01-01")
        bg = start + rng.integers(0, 365, m)
        age = _ages(rng, m, AGES[WSW_BW])
        birth = bg - _years(age)
        b.persons(gg, birth, bg, bg + 1)
    m = _round_scaled(rng, 5200 * scale)
    bg = np.where(rng.random(m) < 0.3, rng.integers(D.day("2018-09-01"), D.QUOTUM_FROM, m),
                  rng.integers(D.QUOTUM_FROM, D.day("2019-09-30"), m))
    birth = bg - _years(_ages(rng, m, AGES[QUOT]))
    b.persons(np.full(m, QUOT), birth, bg, bg + 1)

    # --- inflow per quarter: target minus the persons still valid ---------------------------
    log = {targets[0][0]: (targets[0][2] * scale, b.count_valid(nul), n0)}
    prev = nul
    for label, p, target in targets[1:]:
        year = int(label[:4])
        valid = b.count_valid(p)
        floor = 1400 if year <= 2014 else (1000 if year == 2015 else (2000 if p <= D.day("2017-06-30") else 3000))
        need = target * scale - valid
        n = max(int(round(need)), _round_scaled(rng, floor * scale))
        if year <= 2014:
            mix = {WAJONG: 1.0}
        elif year <= 2016:
            mix = {IND: 0.9, WAJONG: 0.1}
        else:
            mix = {IND: 0.89, VLW: 0.07, WAJONG: 0.04}
        keys = np.array(list(mix))
        gg = keys[rng.choice(len(keys), size=n, p=np.array(list(mix.values())))]
        bg = rng.integers(prev + 1, p + 1, n)
        age = np.empty(n)
        for k in mix:
            s = gg == k
            age[s] = _ages(rng, int(s.sum()), INFLOW_WAJONG_AGES if k == WAJONG else AGES[int(k)])
        birth = bg - _years(age)
        b.persons(gg, birth, bg, np.full(n, p + 1))
        log[label] = (target * scale, valid, n)
        prev = p

    # --- assemble ------------------------------------------------------------------------------
    pa_ = {k: np.concatenate(v) for k, v in b.p.items()}
    r = b.arrays()
    assert not ((r["end"] != D.NULL) & (r["end"] < r["begin"])).any()
    n_new = b.n_new
    # stale registrations (BA-3 warnings): still open after death or after reaching AOW age.
    # The register was not told (DR-3 would have ended every open registration of the person
    # that day): a person's other registrations ended by the same death or AOW stay open too.
    stale = {"beschut_werk": int(stale_bw.sum())}  # registrations
    new_reg = r["person"] >= pop.n
    for reason, name in ((R_DOOD, "overlijden"), (R_AOW, "aow")):
        cand = np.flatnonzero(new_reg & (r["reason"] == reason) & (r["end"] < D.day("2019-03-01")))
        k = min(len(cand), max(1, int(round(STALE_PER_SCALE * scale))))
        pick = rng.choice(cand, size=k, replace=False) if k else cand[:0]
        event = r["person"] * 100_000_000 + (r["end"] - D.NULL)  # (person, day): one DR-3 ending
        pick = np.flatnonzero((r["reason"] == reason) & np.isin(event, event[pick]))
        r["end"][pick] = D.NULL
        r["reason"][pick] = R_NONE
        stale[name] = len(pick)
    # Endings the register records for another reason (DR-4): a bezwaar voids a registration
    # instead of ending it, an uitschrijving on request exists from 2020 only, and every ending
    # has a reason; so these are 'overig' (as FS-5 counts them: no number changes).
    ended = r["end"] != D.NULL
    fold = ended & (np.isin(r["reason"], (R_BEZ, R_NONE)) | ((r["reason"] == R_UIT) & (r["end"] < UITSCHRIJVING_FROM)))
    r["reason"][fold] = R_OV
    death = pa_["death"]
    overlijden = np.where(death <= D.EXTRACT, death, D.NULL)
    first_begin = np.full(n_new, D.FAR)
    np.minimum.at(first_begin, r["person"][new_reg] - pop.n, r["begin"][new_reg])
    reg = Register(
        n_old=pop.n, group=pa_["group"], geboortedatum=pa_["birth"], overlijdensdatum=overlijden,
        death=death, aow=pa_["aow"], first_begin=first_begin,
        reg_person=r["person"], reg_g=r["g"], reg_begin=r["begin"], reg_end=r["end"],
        reg_reason=r["reason"], stale=stale,
    )
    return reg, log


# --- residence (BRP) of the new persons ---------------------------------------------------------

K_SINGLE, K_BETWEEN, K_WITHIN, K_EMIGRATED, K_NONE, K_AM99 = range(6)


@dataclass
class Residence:
    kind: np.ndarray
    first_g: np.ndarray  # gemeente index of the first record (-1 = former AM99 code)
    last_g: np.ndarray  # gemeente index of the last record
    move: np.ndarray  # day of the move (FAR = none)
    brp_person: np.ndarray  # new person index j
    brp_code: np.ndarray  # object
    brp_begin: np.ndarray
    brp_end: np.ndarray

    def region_at(self, geo: Geography, j: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Region index of new person j on day t (persons without BRP: -1)."""
        g = np.where(t < self.move[j], self.first_g[j], self.last_g[j])
        g = np.where(g < 0, self.last_g[j], g)
        return np.where(self.kind[j] == K_NONE, -1, geo.gemeente_region[np.maximum(g, 0)])


def build_residence(rng: np.random.Generator, geo: Geography, reg: Register,
                    history: Herindelingen | None = None,
                    history_rng: np.random.Generator | None = None) -> Residence:
    """BRP records of the new persons, made with 2019 codes (``first_g``/``last_g``, which
    ``region_at`` uses: the 2019 region, as R-7 attributes any date of a 2019 report); with
    ``history`` split at the gemeentelijke herindelingen as the BRP records them."""
    n = reg.n_new
    codes = np.array(geo.code, dtype=object)
    am99 = geo.regions.index(AM99) if AM99 in geo.regions else -2
    p = geo.weight / geo.weight.sum()
    last_g = rng.choice(len(p), size=n, p=p)
    u = rng.random(n)
    kind = np.full(n, K_SINGLE)
    kind[u < 0.09] = K_BETWEEN
    kind[(u >= 0.09) & (u < 0.15)] = K_WITHIN
    kind[(u >= 0.15) & (u < 0.156)] = K_EMIGRATED
    kind[(u >= 0.156) & (u < 0.158)] = K_NONE
    n_members = np.bincount(geo.gemeente_region, minlength=len(geo.regions))
    kind[(kind == K_WITHIN) & (n_members[geo.gemeente_region[last_g]] < 2)] = K_SINGLE
    kind[geo.gemeente_region[last_g] == am99] = K_AM99
    alive_until = np.where(reg.overlijdensdatum == D.NULL, D.FAR, reg.overlijdensdatum)

    # first record: born in the gemeente, or settled there before the first registration
    born = rng.random(n) < 0.4
    latest = np.minimum(np.minimum(reg.first_begin, D.day("2012-01-01")), alive_until - 1)
    settle = reg.geboortedatum + (rng.random(n) * np.maximum(latest - reg.geboortedatum, 0)).astype(np.int64)
    b0 = np.where(born, reg.geboortedatum, settle)

    first_g = last_g.copy()
    move = np.full(n, D.FAR)
    lo = np.maximum(b0 + 30, D.day("2012-01-01"))
    hi = np.minimum(alive_until - 1, D.day("2019-09-30"))
    movers = np.flatnonzero(((kind == K_BETWEEN) | (kind == K_WITHIN)) & (hi > lo + 1))
    kind[((kind == K_BETWEEN) | (kind == K_WITHIN)) & ~(hi > lo + 1)] = K_SINGLE
    move[movers] = rng.integers(lo[movers], hi[movers])
    # another gemeente: outside the region (between) or inside it (within); never AM99
    cand_all = np.flatnonzero(geo.gemeente_region != am99)
    pa_ = geo.weight[cand_all] / geo.weight[cand_all].sum()
    other = cand_all[rng.choice(len(cand_all), size=n, p=pa_)]
    for attempt in range(60):
        bad = ((kind == K_BETWEEN) & (geo.gemeente_region[other] == geo.gemeente_region[last_g])) | (
            (kind == K_WITHIN) & ((geo.gemeente_region[other] != geo.gemeente_region[last_g]) | (other == last_g)))
        if not bad.any():
            break
        k = np.flatnonzero(bad)
        if attempt >= 5:  # within: draw from the region itself
            for i in k[kind[k] == K_WITHIN]:
                mem = geo.members(int(geo.gemeente_region[last_g[i]]))
                mem = mem[mem != last_g[i]]
                other[i] = mem[rng.integers(0, len(mem))]
            k = k[kind[k] == K_BETWEEN]
        other[k] = cand_all[rng.choice(len(cand_all), size=len(k), p=pa_)]
    first_g[movers] = other[movers]
    first_g[kind == K_AM99] = -1
    move[kind == K_AM99] = D.day("2019-01-01")

    persons, code, begin, end = [], [], [], []

    def add(j, c, bb, ee):
        persons.append(j)
        code.append(c)
        begin.append(bb)
        end.append(ee)

    last_end = np.where(reg.overlijdensdatum == D.NULL, D.NULL, reg.overlijdensdatum)
    s = np.flatnonzero(kind == K_SINGLE)
    add(s, codes[last_g[s]], b0[s], last_end[s])
    s = np.flatnonzero((kind == K_BETWEEN) | (kind == K_WITHIN))
    add(s, codes[first_g[s]], b0[s], move[s] - 1)
    add(s, codes[last_g[s]], move[s], last_end[s])
    s = np.flatnonzero(kind == K_EMIGRATED)
    e = np.minimum(rng.integers(D.day("2013-01-01"), D.day("2019-06-01"), len(s)), alive_until[s] - 1)
    e = np.maximum(e, b0[s] + 1)
    add(s, codes[last_g[s]], b0[s], e)
    # AM99 (formed on 2019-01-01): one record; the herindelingen give it a former gemeente
    # until 2018-12-31. (The draw that once chose it here is kept, so later draws stay the same.)
    s = np.flatnonzero(kind == K_AM99)
    rng.integers(0, 3, len(s))
    add(s, codes[last_g[s]], np.minimum(b0[s], D.day("2018-12-30")), last_end[s])
    person = np.concatenate(persons)
    brp_code = np.concatenate(code)
    brp_begin = np.concatenate(begin).astype(np.int64)
    brp_end = np.concatenate(end).astype(np.int64)
    if history is not None:
        # The BRP as it is recorded: old codes before each herindeling (synth/_history.py).
        person, brp_code, brp_begin, brp_end = split_records(
            history_rng, history, sizes_2019(geo), person, brp_code, brp_begin, brp_end)
    return Residence(
        kind=kind, first_g=first_g, last_g=last_g, move=move,
        brp_person=person, brp_code=brp_code, brp_begin=brp_begin, brp_end=brp_end,
    )
