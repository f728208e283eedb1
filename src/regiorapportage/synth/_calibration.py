"""Calibration plan: per region, how many persons and advices of each kind to generate.

The target is the published Rapportage beschut werk 2019Q2 (package data
``synth/data/doel_beschut_werk_2019Q2.csv``; the pipeline never reads it). The publication
gives per region only the margins: advices by aanvrager and by verantwoordelijke (BW-2), and
persons by aanvrager and by verantwoordelijke (BW-5). The generator needs the joint
distribution over the four cells (aanvrager × verantwoordelijke):

* persons in the cohort who work on P (CW), persons in the cohort who do not (CN) and persons
  whose earliest positive advice is in Q (2019Q2) and who work on P (QW) — one 2x2 table each,
  with the published margins (``werkend_uit_cohort``, ``positief_advies_tm_cohortdatum`` −
  ``werkend_uit_cohort``, ``totaal_werkend`` − ``werkend_uit_cohort``);
* EXTRA positive advices beyond those persons' earliest positives: positive advices per cell
  minus CW + CN + QW. Its margins are the published positive advices minus the person
  margins, which are non-negative in every region of the publication, so any 2x2 table with
  those margins gives positive advices ≥ persons in every cell;
* negative advices: a 2x2 table with the published margins.

Every 2x2 table with margins (r0, r1) × (c0, c1) has one free cell x = cell(gemeente,
gemeente) in max(0, r0 + c0 − N) … min(r0, c0); the generator takes the x nearest to
independence (r0·c0/N), which is the tiny integer search. The extra positives are then split
into second positive advices (re-assessments) of cohort persons, persons with a first positive
advice in Q who do not work (QN) and persons with a first positive advice in Q+1 (Q3); the
negatives into negative-only persons (NO), negatives before a person's first positive (NB) and
negatives after it (NA).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

# Cells k = 2·a + v: a = aanvrager (0 gemeente, 1 burger), v = verantwoordelijke (0 gemeente, 1 uwv).
AANVRAGER = ("gemeente", "burger")
VERANTWOORDELIJKE = ("gemeente", "uwv")
CELL_AANVRAGER = np.array([0, 0, 1, 1])
CELL_VERANTW = np.array([0, 1, 0, 1])

# Person and advice categories of the plan.
CATEGORIES = ("CW", "CN", "QW", "QN", "Q3", "RE", "NO", "NB", "NA")
EXTRA_SPLIT = {"RE": 0.35, "QN": 0.25, "Q3": 0.40}
NEGATIVE_SPLIT = {"NO": 0.62, "NB": 0.26, "NA": 0.12}

_ROW_A = {"aanvraag_gemeente": 0, "aanvraag_burger": 1}
_ROW_V = {"gemeente": 0, "uwv": 1}


@dataclass(frozen=True)
class RegionTarget:
    code: str
    naam: str
    advies_a: np.ndarray  # [aanvrager, uitkomst(0 pos, 1 neg)]
    advies_v: np.ndarray  # [verantwoordelijke, uitkomst]
    cohort_a: np.ndarray  # positief_advies_tm_cohortdatum by aanvrager
    werkend_a: np.ndarray  # werkend_uit_cohort
    totaal_a: np.ndarray  # totaal_werkend
    cohort_v: np.ndarray
    werkend_v: np.ndarray
    totaal_v: np.ndarray


def target_text() -> str:
    return (resources.files("regiorapportage.synth") / "data" / "doel_beschut_werk_2019Q2.csv").read_text(
        encoding="utf-8"
    )


def load_targets() -> dict[str, RegionTarget]:
    """The 35 regions and AM99 of the publication (NL01 is their sum)."""
    values: dict[str, dict[tuple[str, str, str], int]] = {}
    names: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(target_text())):
        values.setdefault(row["regio_code"], {})[(row["tabel"], row["rij"], row["kolom"])] = int(
            row["waarde"]
        )
        names[row["regio_code"]] = row["regio_naam"]
    targets = {}
    for code, t in values.items():
        if code == "NL01":
            continue
        adv_a = np.zeros((2, 2), dtype=np.int64)
        adv_v = np.zeros((2, 2), dtype=np.int64)
        work = {k: np.zeros(2, dtype=np.int64) for k in ("ca", "wa", "ta", "cv", "wv", "tv")}
        for rij, a in _ROW_A.items():
            for u, kolom in enumerate(("positief", "negatief")):
                adv_a[a, u] = t[("adviezen_naar_aanvrager", rij, kolom)]
            work["ca"][a] = t[("werk_naar_aanvrager", rij, "positief_advies_tm_cohortdatum")]
            work["wa"][a] = t[("werk_naar_aanvrager", rij, "werkend_uit_cohort")]
            work["ta"][a] = t[("werk_naar_aanvrager", rij, "totaal_werkend")]
        for rij, v in _ROW_V.items():
            for u, kolom in enumerate(("positief", "negatief")):
                adv_v[v, u] = t[("adviezen_naar_verantwoordelijke", rij, kolom)]
            work["cv"][v] = t[("werk_naar_verantwoordelijke", rij, "positief_advies_tm_cohortdatum")]
            work["wv"][v] = t[("werk_naar_verantwoordelijke", rij, "werkend_uit_cohort")]
            work["tv"][v] = t[("werk_naar_verantwoordelijke", rij, "totaal_werkend")]
        targets[code] = RegionTarget(
            code, names[code], adv_a, adv_v, work["ca"], work["wa"], work["ta"],
            work["cv"], work["wv"], work["tv"],
        )
    return targets


def table_2x2(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Non-negative integer 2x2 table (flattened as cells k = 2·row + col) with the given
    margins, nearest to independence."""
    r0, r1 = int(rows[0]), int(rows[1])
    c0, c1 = int(cols[0]), int(cols[1])
    n = r0 + r1
    if min(r0, r1, c0, c1) < 0 or c0 + c1 != n:
        raise ValueError(f"no 2x2 table with margins {rows.tolist()} x {cols.tolist()}")
    lo, hi = max(0, r0 + c0 - n), min(r0, c0)
    ideal = r0 * c0 / n if n else 0.0
    x = min(max(int(np.floor(ideal + 0.5)), lo), hi)
    return np.array([x, r0 - x, c0 - x, r1 - c0 + x], dtype=np.int64)


def region_plan(t: RegionTarget) -> dict[str, np.ndarray]:
    """Per cell counts of CW, CN, QW, EXTRA (positive advices beyond persons) and NEG."""
    cw = table_2x2(t.werkend_a, t.werkend_v)
    cn = table_2x2(t.cohort_a - t.werkend_a, t.cohort_v - t.werkend_v)
    qw = table_2x2(t.totaal_a - t.werkend_a, t.totaal_v - t.werkend_v)
    extra = table_2x2(
        t.advies_a[:, 0] - (t.cohort_a + t.totaal_a - t.werkend_a),
        t.advies_v[:, 0] - (t.cohort_v + t.totaal_v - t.werkend_v),
    )
    neg = table_2x2(t.advies_a[:, 1], t.advies_v[:, 1])
    return {"CW": cw, "CN": cn, "QW": qw, "EXTRA": extra, "NEG": neg}


def build_plan(rng: np.random.Generator, regions: list[str]) -> np.ndarray:
    """Counts [region, category, cell] at scale 1 (regions in the given order; a region
    without a target gets zeros)."""
    targets = load_targets()
    counts = np.zeros((len(regions), len(CATEGORIES), 4), dtype=np.int64)
    ci = {c: i for i, c in enumerate(CATEGORIES)}
    for r, code in enumerate(regions):
        if code not in targets:
            continue
        plan = region_plan(targets[code])
        for cat in ("CW", "CN", "QW"):
            counts[r, ci[cat]] = plan[cat]
        for k in range(4):
            split = rng.multinomial(plan["EXTRA"][k], list(EXTRA_SPLIT.values()))
            for cat, n in zip(EXTRA_SPLIT, split):
                counts[r, ci[cat], k] = n
            split = rng.multinomial(plan["NEG"][k], list(NEGATIVE_SPLIT.values()))
            for cat, n in zip(NEGATIVE_SPLIT, split):
                counts[r, ci[cat], k] = n
    return counts


def scale_counts(rng: np.random.Generator, counts: np.ndarray, scale: float) -> np.ndarray:
    """floor(count × scale) plus a seeded Bernoulli for the fraction (exact at scale 1)."""
    x = counts * float(scale)
    base = np.floor(x)
    frac = x - base
    return (base + (rng.random(counts.shape) < frac)).astype(np.int64)
