"""Gemeentelijke herindelingen in the synthetic BRP residence histories.

The generator first decides every residence record with the person's gemeente in 2019 terms
(the 2019 classification, so that the region on P is the calibrated one). This module then
rewrites those records the way the BRP holds them: a record that spans the date of a
herindeling is split into the old code up to the day before and the new code from the date;
a record that ended before the date carries an old code only. The history is generated
*backwards* from the 2019 code: at each herindeling that formed or enlarged the current
gemeente (latest first), the record's earlier part is put in one of the gemeenten it came
from, drawn in proportion to their size:

- a former gemeente weighs ``aandeel × size`` (``aandeel`` of the herindelingen table, 1 where
  it is empty; ``size`` the approximate population of ``_geography`` by name, else its
  deterministic pseudo-random 12–40 thousand);
- a gemeente that went on under the same code (Groningen absorbing Ten Boer and Haren)
  keeps what remains of the current size, at least a quarter of it;
- the drawn part's size is carried to the next, earlier herindeling (chains such as
  Molenlanden ← Molenwaard ← Liesveld, or Berg en Dal ← Groesbeek ← Ubbergen);
- a record that ended before the herindeling (the last known address of someone who left or
  died, R-1) is never put in the part of a split gemeente that R-7 sends to another
  successor (Winsum → Het Hogeland, so not for a resident of Westerkwartier), so that R-7
  gives every person exactly their 2019 gemeente on every date from 2019-01-01.

So a split gemeente (Littenseradiel 2018, Winsum 2019) appears in the history of persons of
each successor, in proportion to the share that went there, and the code on every date from
the herindeling on is exactly the 2019 code the generator chose.

A successor *continues* an existing gemeente unless it is new: CBS numbers new gemeenten
upwards, and every gemeente formed since 2012 has a code above GM1908 (Menameradiel, the
highest code in use on 2011-12-31); such a code is new on the first date it occurs as
successor in the table (GM1900 Súdwest-Fryslân, formed in 2011, continues in 2018).

The table is the package's ``regiorapportage/data/gemeente_herindelingen.csv`` (the same
file the pipeline uses for R-7), limited to the herindelingen from 2012-01-01 up to the
extract date: the synthetic data ends there, so a later herindeling (Haaren 2021, Weesp
2022) has not happened yet in it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

from regiorapportage.synth import _days as D
from regiorapportage.synth._geography import _POPULATION_K, Geography, _fallback_size

FIRST = D.HISTORY_START  # 2012-01-01: the synthetic histories are exact from here on
LAST = D.EXTRACT  # nothing after the extract date is known
HIGHEST_CODE_2011 = 1908  # GM1908 Menameradiel: every higher code is a gemeente formed since 2012
CONTINUING_FLOOR = 0.25  # a continuing gemeente keeps at least this share of its size


@dataclass(frozen=True)
class Step:
    """One date on which ``successor`` was formed or enlarged."""

    datum: int
    successor: str
    continuing: bool  # the successor existed before (and is itself a candidate)
    predecessors: tuple[str, ...]  # former gemeenten (or parts of split ones)
    weights: tuple[float, ...]  # aandeel × size of each predecessor


@dataclass(frozen=True)
class Herindelingen:
    steps: tuple[Step, ...]  # latest date first; per date by successor code
    forward: dict[str, str]  # former code → its code on LAST (R-7: a split takes the largest aandeel)


def read_table() -> list[dict[str, str]]:
    """The rows of the package's herindelingen table (CONTRACT ``herindelingen`` columns)."""
    text = (resources.files("regiorapportage") / "data" / "gemeente_herindelingen.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _size(code: str, name: str) -> float:
    return float(_POPULATION_K.get(name, _fallback_size(code)))


def load_herindelingen(first: int = FIRST, last: int = LAST) -> Herindelingen:
    rows = [r for r in read_table() if first <= D.day(r["datum"]) <= last]
    rows.sort(key=lambda r: (D.day(r["datum"]), r["nieuwe_code"], r["oude_code"]))
    seen_as_successor: set[str] = set()
    grouped: dict[tuple[int, str], list[dict[str, str]]] = {}
    for r in rows:
        grouped.setdefault((D.day(r["datum"]), r["nieuwe_code"]), []).append(r)
    steps = []
    for (datum, successor), group in grouped.items():  # in date order
        new = int(successor[2:]) > HIGHEST_CODE_2011 and successor not in seen_as_successor
        seen_as_successor.add(successor)
        preds = tuple(r["oude_code"] for r in group)
        weights = tuple(
            (float(r["aandeel"]) if r["aandeel"].strip() else 1.0) * _size(r["oude_code"], r["oude_naam"])
            for r in group
        )
        steps.append(Step(datum, successor, not new, preds, weights))
    # R-7 forward: follow each former code to its code on ``last`` (largest aandeel on a split).
    best: dict[str, tuple[float, str]] = {}
    for r in rows:
        share = float(r["aandeel"]) if r["aandeel"].strip() else 1.0
        old = r["oude_code"]
        if old not in best or share > best[old][0]:
            best[old] = (share, r["nieuwe_code"])
    forward = {}
    for old in best:
        code = old
        for _ in range(len(best) + 1):
            if code not in best:
                break
            code = best[code][1]
        forward[old] = code
    steps.sort(key=lambda s: (-s.datum, s.successor))
    return Herindelingen(tuple(steps), forward)


def split_records(
    rng: np.random.Generator,
    h: Herindelingen,
    size_of: dict[str, float],
    person: np.ndarray,
    code: np.ndarray,
    begin: np.ndarray,
    end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Residence records with codes of the last date (``code``, object array; ``end`` D.NULL =
    open) rewritten as the BRP holds them (see the module text). Returns (person, code,
    begin, end): every input record in its place (its earliest part), then the later parts
    that the splits created. ``size_of``: the size of each gemeente on the last date."""
    names = sorted({c for c in code.tolist() if c is not None} | {s.successor for s in h.steps}
                   | {p for s in h.steps for p in s.predecessors})
    index = {c: i for i, c in enumerate(names)}
    lookup = np.array(names + [None], dtype=object)
    none = len(names)
    cur = np.array([index.get(c, none) if c is not None else none for c in code.tolist()], dtype=np.int64)
    original = cur.copy()
    # R-7 of each code (itself where the table does not end it)
    fwd = np.array([index[h.forward.get(c, c)] for c in names] + [none], dtype=np.int64)
    cur_end = np.where(end == D.NULL, D.FAR, end).astype(np.int64)
    size = np.array([size_of.get(names[c], 1.0) if c < none else 1.0 for c in cur.tolist()])
    extra_p, extra_c, extra_b, extra_e = [], [], [], []
    for s in h.steps:
        sel = np.flatnonzero((cur == index[s.successor]) & (begin < s.datum))
        if not len(sel):
            continue
        cand = [index[p] for p in s.predecessors]
        w = np.array(s.weights, dtype=float)
        if s.continuing:
            cand = [index[s.successor]] + cand
            w_all = np.repeat(w[None, :], len(sel), axis=0)
            keep = np.maximum(size[sel] - w.sum(), CONTINUING_FLOOR * size[sel])
            w_all = np.concatenate([keep[:, None], w_all], axis=1)
        else:
            w_all = np.repeat(w[None, :], len(sel), axis=0)
        # A part that ended before the herindeling stays the last known address of someone who
        # left or died: never a part of a split gemeente that R-7 sends to another successor,
        # so R-7 gives every person their own 2019 gemeente on every 2019 date.
        ended = cur_end[sel] < s.datum
        if ended.any():
            elsewhere = fwd[np.array(cand)][None, :] != original[sel][:, None]
            masked = np.where(ended[:, None] & elsewhere, 0.0, w_all)
            w_all = np.where((masked.sum(axis=1) > 0)[:, None], masked, w_all)
        total = w_all.sum(axis=1)
        cum = np.cumsum(w_all, axis=1) / total[:, None]
        k = (rng.random(len(sel))[:, None] >= cum).sum(axis=1)
        k = np.minimum(k, len(cand) - 1)
        chosen = np.array(cand, dtype=np.int64)[k]
        size[sel] = size[sel] * w_all[np.arange(len(sel)), k] / total
        moved = sel[chosen != index[s.successor]]
        later = moved[cur_end[moved] >= s.datum]  # the part from the herindeling on keeps the new code
        extra_p.append(person[later])
        extra_c.append(lookup[cur[later]])
        extra_b.append(np.full(len(later), s.datum, dtype=np.int64))
        extra_e.append(cur_end[later].copy())
        cur_end[later] = s.datum - 1
        cur[sel] = chosen
    out_code = lookup[cur]
    unknown = cur == none  # no code, or a code the table does not know: as it was
    out_code[unknown] = code[unknown]
    out_end = np.where(cur_end == D.FAR, D.NULL, cur_end)
    ee = np.concatenate(extra_e or [np.zeros(0, dtype=np.int64)])
    return (
        np.concatenate([person] + extra_p),
        np.concatenate([out_code] + extra_c),
        np.concatenate([np.asarray(begin, dtype=np.int64)] + extra_b),
        np.concatenate([out_end, np.where(ee == D.FAR, D.NULL, ee)]).astype(np.int64),
    )


def sizes_2019(geo: Geography) -> dict[str, float]:
    return {c: float(w) for c, w in zip(geo.code, geo.weight)}
