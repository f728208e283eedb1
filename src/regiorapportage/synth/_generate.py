"""Assemble the sources, inject faults and write the files."""

from __future__ import annotations

import csv
import io
import itertools
import json
import pathlib
import shutil
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from regiorapportage.errors import UserError
from regiorapportage.synth import _arrow as A
from regiorapportage.synth import _bsn, _decisions
from regiorapportage.synth import _days as D
from regiorapportage.synth._arrow import dates as _dates
from regiorapportage.synth._arrow import numeric as _numeric
from regiorapportage.synth._arrow import strings as _strings
from regiorapportage.synth._ba import BA_SOURCES, BAData, build_ba
from regiorapportage.synth._ba_faults import build_ba_faults
from regiorapportage.synth._calibration import (
    AANVRAGER, CELL_AANVRAGER, CELL_VERANTW, VERANTWOORDELIJKE, build_plan, scale_counts,
)
from regiorapportage.synth._faults import FAULTS, FAULTS_BY_CODE, InjectedFault, copies_for
from regiorapportage.synth._geography import Geography, load_geography
from regiorapportage.synth._history import load_herindelingen
from regiorapportage.synth._payroll import Payroll, build_payroll
from regiorapportage.synth._population import (
    B_EMIGRATED, B_NONE, B_SINGLE, NO, Population, build_brp, build_population,
)

BW_SOURCES = ("gemeenten", "personen", "brp_verblijf", "adviezen", "polis_ikv", "polis_tijdvak")
SOURCES = BW_SOURCES + BA_SOURCES  # all sources written by default (banenafspraak=True)
FORMATS = ("csv", "parquet")
EXTRACTIEDATUM = D.to_date(D.EXTRACT).isoformat()
# The payroll, the doelgroepregister and personen are taken in July 2020 (six months after
# 2019-12-31: the Landelijke monitor 2019, LM-2); the other sources in October 2019.
LATE_SOURCES = ("personen", "polis_ikv", "polis_tijdvak", "werkgever_tijdvak", "doelgroepregister")
EXTRACTIEDATUM_LATE = D.to_date(D.BA_EXTRACT).isoformat()


def extractiedatum(source: str) -> str:
    """The extractiedatum of a source in ``bronnen.json`` (T-5, LM-2)."""
    return EXTRACTIEDATUM_LATE if source in LATE_SOURCES else EXTRACTIEDATUM

# Column name → kind: str, int, date (day number, D.NULL = null), money (hundredths), bool,
# dec1 (tenths).
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "gemeenten": [("jaar", "int"), ("gemeente_code", "str"), ("gemeente_naam", "str"),
                  ("arbeidsmarktregio_code", "str"), ("arbeidsmarktregio_naam", "str")],
    "personen": [("persoon_id", "str"), ("geboortedatum", "date"), ("overlijdensdatum", "date")],
    "brp_verblijf": [("persoon_id", "str"), ("gemeente_code", "str"), ("begindatum", "date"),
                     ("einddatum", "date")],
    "adviezen": [("advies_id", "str"), ("persoon_id", "str"), ("aanvraagdatum", "date"),
                 ("adviesdatum", "date"), ("aanvrager", "str"), ("verantwoordelijke", "str"),
                 ("uitkomst", "str"), ("gemeente_code", "str")],
    "polis_ikv": [("ikv_id", "str"), ("persoon_id", "str"), ("werkgever_id", "str"),
                  ("begindatum", "date"), ("einddatum", "date"), ("inleenverband", "str")],
    "polis_tijdvak": [("ikv_id", "str"), ("tijdvak_type", "str"), ("tijdvak_begin", "date"),
                      ("tijdvak_einde", "date"), ("sv_loon", "money"), ("verloonde_uren", "money")],
    "werkgever_tijdvak": [("werkgever_id", "str"), ("tijdvak_begin", "date"), ("tijdvak_einde", "date"),
                          ("sector_wfsv", "int"), ("uren_totaal", "money"), ("uren_ufo", "money")],
    "doelgroepregister": [("registratie_id", "str"), ("persoon_id", "str"), ("grondslag", "str"),
                          ("begindatum", "date"), ("einddatum", "date"), ("einde_reden", "str")],
    "klantprofielen": [("persoon_id", "str"), ("begindatum", "date"), ("einddatum", "date"),
                       ("zichtbaar", "bool"), ("heeft_cv", "bool"), ("heeft_beroep", "bool"),
                       ("heeft_werkervaring", "bool")],
    "werkkamer_indicatie": [("arbeidsmarktregio_code", "str"), ("jaar", "int"), ("extra_banen", "dec1")],
    "nulmeting": [("arbeidsmarktregio_code", "str"), ("sector", "str"), ("banen", "money")],
}
MONEY = pa.decimal128(12, 2)  # sv_loon and verloonde_uren: euro / hours with two decimals


@dataclass
class SynthResult:
    rows: dict[str, int]
    faults: list[InjectedFault] = field(default_factory=list)
    seconds: float = 0.0
    besluiten: int = 0  # decisions in register/besluiten.csv (banenafspraak only)


# --- column helpers -------------------------------------------------------------------------
# Arrays are built from numpy buffers (pa.Array.from_buffers) rather than with pa.array(),
# which would import pandas just to inspect the input.

def _indices(idx: np.ndarray) -> pa.Array:
    return _numeric(np.asarray(idx, dtype=np.int64), pa.int64())


def _money(hundredths) -> pa.Array:
    h = np.asarray(hundredths, dtype=np.int64)
    valid = h != D.NULL
    floats = _numeric(np.where(valid, h, 0) / 100.0, pa.float64(), valid)
    return pc.cast(floats, MONEY, safe=False)


def _fmt_money(v: int) -> str:
    sign = "-" if v < 0 else ""
    v = abs(int(v))
    return f"{sign}{v // 100}.{v % 100:02d}"


def _fault_column(kind: str, values: list, fmt: str) -> pa.Array:
    """A column of injected rows. In CSV every value is text (so a date may be invalid)."""
    if fmt == "csv":
        def text(v):
            if v is None or isinstance(v, str):
                return v
            if kind == "date":
                return D.to_date(v).isoformat()
            if kind == "money":
                return _fmt_money(v)
            if kind == "dec1":
                return f"{'-' if v < 0 else ''}{abs(v) // 10}.{abs(v) % 10}"
            if kind == "bool":
                return "true" if v else "false"
            return str(v)
        return _strings([text(v) for v in values])
    if kind == "str":
        return _strings(values)
    if kind == "bool":
        valid = np.array([v is not None for v in values], dtype=bool)
        return A.bools(np.array([bool(v) for v in values], dtype=bool), valid)
    raw = np.array([D.NULL if v is None else v for v in values], dtype=np.int64)
    if kind == "date":
        return _dates(raw)
    if kind == "money":
        return _money(raw)
    if kind == "dec1":
        return A.decimals(raw, scale=1)
    return _numeric(raw.astype(np.int32), pa.int32(), raw != D.NULL)


# --- building the clean sources -------------------------------------------------------------

@dataclass
class Sources:
    tables: dict[str, pa.Table]
    # position in the sorted file of clean row i (by the generator's internal index)
    file_pos: dict[str, np.ndarray]
    persoon_id: np.ndarray  # object, per person: the pseudonym of ``bsn`` (DR-1)
    advies_id: np.ndarray  # object, per advice (internal index)
    bsn: np.ndarray  # int64, per person: the BSN (nine digits with leading zeros, _bsn)
    # the numbers of the former "P…" ids, drawn only to keep the random streams as they were
    old_numbers: np.ndarray


def _hex_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """The draws of the former persoon_ids (``P`` + ten hex digits). The ids are now pseudonyms
    of BSNs; the numbers are still drawn, so every later draw from ``rng`` is as it was."""
    numbers = np.unique(rng.integers(16**9, 16**10, int(n * 1.1) + 16))
    while len(numbers) < n:  # pragma: no cover
        numbers = np.unique(np.concatenate([numbers, rng.integers(16**9, 16**10, n)]))
    return rng.permutation(numbers)[:n]


def _inverse(order: np.ndarray) -> np.ndarray:
    inv = np.empty(len(order), dtype=np.int64)
    inv[order] = np.arange(len(order))
    return inv


def build_sources(rng: np.random.Generator, geo: Geography, pop: Population, pay: Payroll,
                  bsn: np.ndarray) -> Sources:
    """``bsn``: the persons' BSNs (numbers, ``_bsn``); ``persoon_id`` is their pseudonym."""
    tables: dict[str, pa.Table] = {}
    file_pos: dict[str, np.ndarray] = {}

    tables["gemeenten"] = pa.table({
        "jaar": _numeric(geo.jaar.astype(np.int32), pa.int32()),
        "gemeente_code": _strings(geo.code),
        "gemeente_naam": _strings(geo.naam),
        "arbeidsmarktregio_code": _strings(geo.regio_code),
        "arbeidsmarktregio_naam": _strings(geo.regio_naam),
    })

    old_numbers = _hex_numbers(rng, pop.n)
    pid = np.array(_bsn.pseudonym_array(bsn).to_pylist(), dtype=object)
    order = np.argsort(pid, kind="stable")
    rank = _inverse(order)
    file_pos["personen"] = rank
    tables["personen"] = pa.table({
        "persoon_id": _strings(pid[order]),
        "geboortedatum": _dates(pop.geboortedatum[order]),
        "overlijdensdatum": _dates(pop.overlijdensdatum[order]),
    })

    order = np.lexsort((pop.brp_begin, rank[pop.brp_person]))
    file_pos["brp_verblijf"] = _inverse(order)
    tables["brp_verblijf"] = pa.table({
        "persoon_id": _strings(pid[pop.brp_person[order]]),
        "gemeente_code": _strings(pop.brp_code[order]),
        "begindatum": _dates(pop.brp_begin[order]),
        "einddatum": _dates(pop.brp_end[order]),
    })

    # advies_id: numbered in order of application
    order = np.lexsort((rng.random(len(pop.adv_date)), pop.adv_date, pop.adv_aanvraag))
    advies_id = np.empty(len(order), dtype=object)
    advies_id[order] = [f"BW{i + 1:07d}" for i in range(len(order))]
    file_pos["adviezen"] = _inverse(order)
    aanvrager = np.array(AANVRAGER, dtype=object)[CELL_AANVRAGER[pop.adv_cell]]
    verantw = np.array(VERANTWOORDELIJKE, dtype=object)[CELL_VERANTW[pop.adv_cell]]
    uitkomst = np.where(pop.adv_pos, "positief", "negatief").astype(object)
    tables["adviezen"] = pa.table({
        "advies_id": _strings(advies_id[order]),
        "persoon_id": _strings(pid[pop.adv_person[order]]),
        "aanvraagdatum": _dates(pop.adv_aanvraag[order]),
        "adviesdatum": _dates(pop.adv_date[order]),
        "aanvrager": _strings(aanvrager[order]),
        "verantwoordelijke": _strings(verantw[order]),
        "uitkomst": _strings(uitkomst[order]),
        "gemeente_code": _strings(pop.adv_gemeente[order]),
    })

    order = np.argsort(pay.ikv_id, kind="stable")
    ikv_rank = _inverse(order)
    file_pos["polis_ikv"] = ikv_rank
    sorted_ikv_ids = _strings(pay.ikv_id[order])
    tables["polis_ikv"] = pa.table({
        "ikv_id": sorted_ikv_ids,
        "persoon_id": _strings(pid[pay.ikv_person[order]]),
        "werkgever_id": _strings(pay.werkgever_id[pay.ikv_employer[order]]),
        "begindatum": _dates(pay.ikv_begin[order]),
        "einddatum": _dates(pay.ikv_end[order]),
        "inleenverband": _strings(pay.ikv_inleen[order]),
    })

    tv_rank = ikv_rank[pay.tv_ikv]
    order = np.lexsort((pay.tv_begin, tv_rank))
    file_pos["polis_tijdvak"] = _inverse(order)
    types = _strings(D.TIJDVAK_TYPES)
    tables["polis_tijdvak"] = pa.table({
        "ikv_id": sorted_ikv_ids.take(_indices(tv_rank[order])),
        "tijdvak_type": types.take(_indices(pay.ikv_type[pay.tv_ikv[order]])),
        "tijdvak_begin": _dates(pay.tv_begin[order]),
        "tijdvak_einde": _dates(pay.tv_end[order]),
        "sv_loon": _money(pay.tv_cents[order]),
        "verloonde_uren": _money(pay.tv_hours_c[order]),
    })
    return Sources(tables, file_pos, pid, advies_id, bsn, old_numbers)


# --- faults ---------------------------------------------------------------------------------

def unknown_ids(seed: int, copies: int) -> tuple[list[str], list[str]]:
    """persoon_ids that are in no personen file (DQ-2 reference faults): pseudonyms of BSNs
    that no synthetic person has (``_bsn.unknown_numbers``), for the beschut werk and the
    banenafspraak sources (the first list does not depend on the second)."""
    n_bw, n_ba = 12 * copies + 8, 8 * copies + 8
    ids = _bsn.pseudonym_array(_bsn.unknown_numbers(seed, n_bw + n_ba)).to_pylist()
    return ids[:n_bw], ids[n_bw:]


def build_faults(
    rng: np.random.Generator, geo: Geography, pop: Population, pay: Payroll, src: Sources,
    copies: int, unknown: list[str],
) -> dict[str, list[tuple[int, str, dict]]]:
    """Fault rows per source: (insertion point q = number of clean rows before it, code, row).
    ``unknown``: persoon_ids in no personen file (``unknown_ids``)."""
    out: dict[str, list[tuple[int, str, dict]]] = {s: [] for s in BW_SOURCES}
    n_rows = {s: src.tables[s].num_rows for s in BW_SOURCES}
    pid = src.persoon_id
    _hex_numbers(rng, 12 * copies + 8)  # the draw of the former unknown ids (keeps later draws)
    unknown_iter = iter(unknown)
    codes = np.array(geo.code, dtype=object)
    n_adv = len(src.advies_id)
    adv_seq = iter(range(n_adv + 1, n_adv + 1 + 10 * copies))
    ikv_seq = iter(range(1, 10 * copies + 1))
    werkgevers = pay.werkgever_id

    def rand_q(source: str) -> int:
        return int(rng.integers(0, n_rows[source] + 1))

    def after(source: str, pos: int) -> int:
        return int(min(pos + 1 + rng.integers(0, 20), n_rows[source]))

    def other_region_code(person: int) -> str:
        while True:
            g = int(rng.integers(0, len(codes)))
            if geo.gemeente_region[g] != pop.region[person] and geo.regions[geo.gemeente_region[g]] != "AM99":
                return codes[g]

    payroll_hosts = set(np.concatenate(list(pay.hosts.values())).tolist())
    has_brp = pop.brp_kind != B_NONE
    adv_hosts = [i for i in rng.permutation(np.flatnonzero((pop.cat == NO) & has_brp)).tolist()
                 if i not in payroll_hosts]
    emigrated = rng.permutation(np.flatnonzero(pop.brp_kind == B_EMIGRATED)).tolist()
    singles = [i for i in rng.permutation(np.flatnonzero(pop.brp_kind == B_SINGLE)).tolist()
               if i not in payroll_hosts and pop.cat[i] != NO]
    positives = np.flatnonzero(pop.adv_pos & (pop.adv_date <= D.WINDOW_END))
    w1_ikvs = pay.host_ikv["W1"]
    n1, n3, n4 = pay.hosts["N1"], pay.hosts["N3"], pay.hosts["N4m"]
    n4_ikv, n7_ikv = pay.host_ikv["N4m"], pay.host_ikv["N7m"]
    p_row = {}
    holds_p = np.flatnonzero((pay.tv_begin <= D.P) & (D.P <= pay.tv_end))
    for row in holds_p.tolist():
        p_row[int(pay.tv_ikv[row])] = row

    def adv_row(person_id, aanvraag, advies, aanvrager, verantw, uitkomst, code):
        return {"advies_id": f"BW{next(adv_seq):07d}", "persoon_id": person_id,
                "aanvraagdatum": aanvraag, "adviesdatum": advies, "aanvrager": aanvrager,
                "verantwoordelijke": verantw, "uitkomst": uitkomst, "gemeente_code": code}

    def ikv_row(person_id, werkgever, begin, end, inleen=None, ikv_id=None):
        return {"ikv_id": ikv_id or f"IKV0{next(ikv_seq):08d}", "persoon_id": person_id,
                "werkgever_id": werkgever, "begindatum": begin, "einddatum": end,
                "inleenverband": inleen}

    def tv_row(ikv_id, typ, begin, end, cents, hours_c):
        return {"ikv_id": ikv_id, "tijdvak_type": typ, "tijdvak_begin": begin,
                "tijdvak_einde": end, "sv_loon": cents, "verloonde_uren": hours_c}

    june1, june3 = D.day("2019-06-01"), D.day("2019-06-03")
    for j in range(copies):
        # personen
        out["personen"].append((rand_q("personen"), "F-PER-01",
                                {"persoon_id": next(unknown_iter), "geboortedatum": None, "overlijdensdatum": None}))
        out["personen"].append((rand_q("personen"), "F-PER-02",
                                {"persoon_id": next(unknown_iter), "geboortedatum": "1990-02-30", "overlijdensdatum": None}))
        # brp_verblijf
        if j < len(emigrated) or 2 * copies + j < len(singles):
            # an emigrated person (accepting the row would move them); at tiny scales without
            # emigrants, a person with one open record (harmless)
            h = emigrated[j] if j < len(emigrated) else singles[2 * copies + j]
            ends = pop.brp_end[pop.brp_person == h]
            end = D.P - 60 if (ends == D.NULL).any() else int(ends.max())
            begin = end + max(1, (D.P - end) // 2)
            last_row = int(src.file_pos["brp_verblijf"][np.flatnonzero(pop.brp_person == h)].max())
            out["brp_verblijf"].append((after("brp_verblijf", last_row), "F-BRP-01",
                                        {"persoon_id": pid[h], "gemeente_code": other_region_code(h),
                                         "begindatum": begin, "einddatum": begin - 30}))
        out["brp_verblijf"].append((rand_q("brp_verblijf"), "F-BRP-02",
                                    {"persoon_id": next(unknown_iter), "gemeente_code": codes[int(rng.integers(0, len(codes)))],
                                     "begindatum": D.day("2016-03-01") + j, "einddatum": None}))
        if 2 * j + 1 < len(singles):
            h = singles[2 * j]
            out["brp_verblijf"].append((rand_q("brp_verblijf"), "F-BRP-03",
                                        {"persoon_id": pid[h], "gemeente_code": other_region_code(h),
                                         "begindatum": "2019-02-29", "einddatum": None}))
            h = singles[2 * j + 1]
            out["brp_verblijf"].append((rand_q("brp_verblijf"), "F-BRP-04",
                                        {"persoon_id": pid[h], "gemeente_code": None,
                                         "begindatum": D.day("2019-05-01"), "einddatum": None}))
        # adviezen
        if len(positives):
            a = int(positives[rng.integers(0, len(positives))])
            out["adviezen"].append((after("adviezen", int(src.file_pos["adviezen"][a])), "F-ADV-01",
                                    adv_row(None, int(pop.adv_aanvraag[a]), int(pop.adv_date[a]),
                                            AANVRAGER[CELL_AANVRAGER[pop.adv_cell[a]]],
                                            VERANTWOORDELIJKE[CELL_VERANTW[pop.adv_cell[a]]], "negatief",
                                            pop.adv_gemeente[a])
                                    | {"advies_id": src.advies_id[a], "persoon_id": pid[pop.adv_person[a]]}))
        hosts = adv_hosts[6 * j:6 * j + 6]
        specs = [
            ("F-ADV-02", D.day("2019-03-11") + j, D.day("2019-02-20") + j, "gemeente", "gemeente", "positief"),
            ("F-ADV-03", D.day("2016-05-02") + j, D.day("2016-06-14") + j, "burger", "gemeente", "positief"),
            ("F-ADV-04", D.day("2014-11-17") + j, D.day("2014-12-15") + j, "gemeente", "gemeente", "positief"),
            ("F-ADV-06", D.day("2018-09-03") + j, D.day("2018-10-01") + j, "burger", "gemeente", "onbekend"),
            ("F-ADV-07", D.day("2019-01-28") + j, "2019-02-30", "burger", "gemeente", "positief"),
            ("F-ADV-08", D.day("2018-02-05") + j, D.day("2018-03-12") + j, None, "gemeente", "positief"),
        ]
        for h, (code, aanvraag, advies, aanvrager, verantw, uitkomst) in zip(hosts, specs):
            out["adviezen"].append((rand_q("adviezen"), code,
                                    adv_row(pid[h], aanvraag, advies, aanvrager, verantw, uitkomst, pop.home_code[h])))
        out["adviezen"].append((rand_q("adviezen"), "F-ADV-05",
                                adv_row(next(unknown_iter), D.day("2018-04-03") + j, D.day("2018-05-15") + j,
                                        "gemeente", "uwv", "positief", codes[int(rng.integers(0, len(codes)))])))
        # polis_ikv
        werkgever = werkgevers[int(rng.integers(0, len(werkgevers)))]
        hosts = n1[2 * j:2 * j + 2].tolist()
        if hosts and len(w1_ikvs):
            i = int(w1_ikvs[rng.integers(0, len(w1_ikvs))])
            out["polis_ikv"].append((after("polis_ikv", int(src.file_pos["polis_ikv"][i])), "F-IKV-01",
                                     ikv_row(pid[hosts[0]], werkgevers[pay.ikv_employer[i]], int(pay.ikv_begin[i]),
                                             None if pay.ikv_end[i] == D.NULL else int(pay.ikv_end[i]),
                                             pay.ikv_inleen[i], ikv_id=pay.ikv_id[i])))
        if len(hosts) > 1:
            out["polis_ikv"].append((rand_q("polis_ikv"), "F-IKV-03",
                                     ikv_row(pid[hosts[1]], werkgever, D.day("2019-06-10"), D.day("2019-05-10"))))
        # Hosts with wage in June from a relation that ended in June (N3): a relation covering
        # P would make them work on P.
        specs = [
            ("F-IKV-04", D.day("2018-09-01") + j, None, "detachering", werkgever),
            ("F-IKV-05", "2019-04-31", None, None, werkgever),
            ("F-IKV-06", D.day("2019-06-15") + j % 10, None, None, None),
        ]
        for h, (code, begin, end, inleen, wg) in zip(n3[3 * j:3 * j + 3].tolist(), specs):
            out["polis_ikv"].append((rand_q("polis_ikv"), code, ikv_row(pid[h], wg, begin, end, inleen)))
        out["polis_ikv"].append((rand_q("polis_ikv"), "F-IKV-02",
                                 ikv_row(next(unknown_iter), werkgever, D.day("2018-01-01") + j, None)))
        # polis_tijdvak
        if 2 * j + 1 < len(n4):
            i = int(n4_ikv[2 * j])
            row = p_row[i]
            out["polis_tijdvak"].append((after("polis_tijdvak", int(src.file_pos["polis_tijdvak"][row])), "F-TV-01",
                                         tv_row(pay.ikv_id[i], D.TIJDVAK_TYPES[pay.ikv_type[i]], int(pay.tv_begin[row]),
                                                int(pay.tv_end[row]), 250_000, 16_000)))
            i = int(n4_ikv[2 * j + 1])
            row = p_row[i]
            out["polis_tijdvak"].append((after("polis_tijdvak", int(src.file_pos["polis_tijdvak"][row])), "F-TV-02",
                                         tv_row(pay.ikv_id[i], "vierweken", june3, june3 + 27, 150_000, 12_000)))
        hosts = n7_ikv[5 * j:5 * j + 5].tolist()
        specs = [
            ("F-TV-03", "vierweken", june3, june3 + 30, 180_000, 13_000),
            ("F-TV-04", "maand", june1, D.P, 165_000, -1_200),
            ("F-TV-05", "week", D.day("2019-06-24"), D.P, 42_000, 3_200),
            ("F-TV-06", "maand", june1, "2019-06-31", 165_000, 12_000),
            ("F-TV-07", None, june1, D.P, 165_000, 12_000),
        ]
        for i, (code, typ, begin, end, cents, hours) in zip(hosts, specs):
            out["polis_tijdvak"].append((rand_q("polis_tijdvak"), code,
                                         tv_row(pay.ikv_id[i], typ, begin, end, cents, hours)))
        out["polis_tijdvak"].append((rand_q("polis_tijdvak"), "F-TV-08",
                                     tv_row(f"IKV09{j:07d}", "maand", june1, D.P, 120_000, 9_000)))
    return out


# --- writing --------------------------------------------------------------------------------

CSV_BATCH = 200_000
_NO_QUOTES = pacsv.WriteOptions(include_header=False, quoting_style="none")


def _write_csv(path: pathlib.Path, names: list[str], segments: list[pa.Table]) -> None:
    """CSV with a header, ``\n`` line ends, ISO dates, ``.`` decimals, empty = null, and quotes
    only where a value needs them (only gemeente names contain commas)."""
    with open(path, "wb") as fh:
        fh.write((",".join(names) + "\n").encode("utf-8"))
        for table in segments:
            for start in range(0, table.num_rows, CSV_BATCH):
                part = table.slice(start, CSV_BATCH)
                buffer = pa.BufferOutputStream()
                try:
                    pacsv.write_csv(part, buffer, _NO_QUOTES)
                    fh.write(buffer.getvalue().to_pybytes())
                except pa.ArrowInvalid:  # a value needs quotes: minimal quoting, row by row
                    text = io.StringIO()
                    writer = csv.writer(text, lineterminator="\n")
                    for row in part.to_pylist():
                        writer.writerow(["" if v is None else _csv_text(v) for v in row.values()])
                    fh.write(text.getvalue().encode("utf-8"))


def _csv_text(v) -> str:
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def write_source(
    directory: pathlib.Path, source: str, clean: pa.Table, fault_rows: list[tuple[int, str, dict]],
    fmt: str, more: Iterable[pa.Table] | None = None, partition: bool = False,
) -> tuple[int, list[tuple[str, int]]]:
    """Write one source: the clean rows with the fault rows inserted at their insertion points
    (zero-copy slices, no full-table copy), then the tables of ``more`` (streamed: large
    sources are generated chunk by chunk). Returns rows written and (code, row number).

    With ``partition=True`` (Parquet, the sources in :data:`PARTITIONS`) the rows go to a
    Hive-partitioned dataset ``<source>/jaar=YYYY/part-0.parquet`` instead of one file (see
    :class:`_PartitionedWriter`); the row numbers returned are then those of the rows counted
    through the partition files in path order, as the reader numbers them (``rij``)."""
    schema = SCHEMAS[source]
    fault_rows = sorted(fault_rows, key=lambda r: r[0])  # stable: equal points keep their order
    segments: list[tuple[str, pa.Table]] = []
    placed: list[tuple[str, int]] = []
    at = 0
    written = 0
    faults_table = pa.table(
        {name: _fault_column(kind, [row[name] for _, _, row in fault_rows], fmt) for name, kind in schema}
    ) if fault_rows else None
    for k, (q, code, _) in enumerate(fault_rows):
        if q > at:
            segments.append(("clean", clean.slice(at, q - at)))
            written += q - at
            at = q
        segments.append(("fault", faults_table.slice(k, 1)))
        written += 1
        placed.append((code, written))
    if at < clean.num_rows or not segments:
        segments.append(("clean", clean.slice(at)))
        written += clean.num_rows - at
    if partition:
        if fmt != "parquet" or source not in PARTITIONS:
            raise ValueError(f"only the Parquet sources {', '.join(PARTITIONS)} can be partitioned, not {source}.{fmt}")
        first = pa.concat_tables([t.cast(clean.schema) for _, t in segments])
        counted = _counting(_prefetch(more) if more is not None else ())
        with _PartitionedWriter(directory / source, clean.schema, PARTITIONS[source]) as writer:
            where = writer.write(first, [row - 1 for _, row in placed])
            for table in counted:
                writer.write(table.cast(clean.schema))
        placed = [(code, writer.row_number(key, within)) for (code, _), (key, within) in zip(placed, where)]
        return written + counted.rows, placed
    path = directory / f"{source}.{fmt}"
    if more is not None:
        counted = _counting(_prefetch(more))
        if fmt == "csv":
            _write_csv(path, [name for name, _ in schema], itertools.chain([t for _, t in segments], counted))
        else:
            with pq.ParquetWriter(path, clean.schema, compression="zstd") as writer:
                writer.write_table(pa.concat_tables([t.cast(clean.schema) for _, t in segments]))
                for table in counted:
                    writer.write_table(table.cast(clean.schema))
        return written + counted.rows, placed
    if fmt == "csv":
        _write_csv(path, [name for name, _ in schema], [t for _, t in segments])
    else:
        table = pa.concat_tables([t.cast(clean.schema) for _, t in segments])
        pq.write_table(table, path, compression="zstd")
    return written, placed


# Sources written as a Hive-partitioned Parquet dataset (partition=True): source → the date
# column whose year is the partition value (``<source>/jaar=2019/part-0.parquet``).
PARTITIONS = {"polis_tijdvak": "tijdvak_begin", "werkgever_tijdvak": "tijdvak_begin"}
PARTITION_COLUMN = "jaar"
# Rows whose date is null (an injected fault could have one): Hive's own name for a null
# partition value, which Spark, DuckDB and Arrow read back as null. "_" sorts after the
# digits, so this partition comes after every year in path order.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
PART_FILE = "part-0.parquet"


class _PartitionedWriter:
    """Write tables into ``folder/jaar=YYYY/part-0.parquet`` by the year of ``column``: one
    ParquetWriter per partition, open until the end (about a dozen years), so memory stays
    flat while the chunks stream through. Within a partition the rows keep their order.

    The reader numbers the rows of a dataset (``rij``) through its files in order of their
    relative path; years are four digits and the null partition sorts last, so that is the
    order of the years. :meth:`row_number` turns (partition, position in it) into that number
    once all rows are written."""

    def __init__(self, folder: pathlib.Path, schema: pa.Schema, column: str) -> None:
        self.folder, self.schema, self.column = folder, schema, column
        self.writers: dict[int, pq.ParquetWriter] = {}  # year (-1 = null) → writer
        self.rows: dict[int, int] = {}
        self._offsets: dict[int, int] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def name(key: int) -> str:
        if key < 0:
            return f"{PARTITION_COLUMN}={NULL_PARTITION}"
        return f"{PARTITION_COLUMN}={key:04d}"

    def write(self, table: pa.Table, positions: Iterable[int] = ()) -> list[tuple[int, int]]:
        """Append ``table``'s rows to their partitions; return (partition, 0-based position
        in the partition) of the rows at ``positions`` (0-based in ``table``)."""
        positions = list(positions)
        if table.num_rows == 0:
            return []
        years = A.as_numpy(pc.fill_null(pc.cast(pc.year(table.column(self.column)), pa.int64()), -1))
        if years.max() > 9999:  # pragma: no cover - the data's years are 2011…2019
            raise ValueError(f"year {years.max()} does not have four digits; the partitions would not sort by year")
        # stable (a radix sort on int16): the rows keep their order within a partition
        order = np.argsort(years.astype(np.int16), kind="stable")
        keys, starts, counts = np.unique(years[order], return_index=True, return_counts=True)
        ordered = table.take(_indices(order)) if len(keys) > 1 else table
        before = {int(k): self.rows.get(int(k), 0) for k in keys}
        for key, start, n in zip(keys.tolist(), starts.tolist(), counts.tolist()):
            writer = self.writers.get(key)
            if writer is None:
                (self.folder / self.name(key)).mkdir(exist_ok=True)
                writer = pq.ParquetWriter(self.folder / self.name(key) / PART_FILE, self.schema, compression="zstd")
                self.writers[key] = writer
            writer.write_table(ordered.slice(start, n))
            self.rows[key] = self.rows.get(key, 0) + n
        where = []
        if positions:
            rank = _inverse(order)  # position of each row in the partition-sorted table
            start_of = dict(zip(keys.tolist(), starts.tolist()))
            for g in positions:
                key = int(years[g])
                where.append((key, before[key] + int(rank[g]) - start_of[key]))
        return where

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        if not self.writers:  # no rows at all: one empty file, so the folder is still a dataset
            pq.write_table(self.schema.empty_table(), self.folder / PART_FILE, compression="zstd")

    def __enter__(self) -> "_PartitionedWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def row_number(self, key: int, within: int) -> int:
        """The 1-based row number (``rij``) of the row at 0-based position ``within`` of
        partition ``key``: the rows of the partitions before it in path order, plus one."""
        if self._offsets is None:
            self._offsets, total = {}, 0
            for k in sorted(self.rows, key=lambda k: self.name(k) + "/" + PART_FILE):
                self._offsets[k] = total
                total += self.rows[k]
        return self._offsets[key] + within + 1


def _prefetch(tables: Iterable[pa.Table], depth: int = 1):
    """Generate the next table in a background thread while the current one is written (numpy
    and Arrow release the GIL); the tables come in the same order, so output is unchanged."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for table in tables:
                if stop.is_set():
                    return
                q.put(table)
            q.put(done)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            q.put(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(0.05)


class _counting:
    """An iterable of tables that counts the rows it has passed on."""

    def __init__(self, tables: Iterable[pa.Table]) -> None:
        self.tables = tables
        self.rows = 0

    def __iter__(self):
        for table in self.tables:
            self.rows += table.num_rows
            yield table


def _merge(src: Sources, source: str, extra: pa.Table, keys: list[str]) -> None:
    """Add rows to a beschut werk source, sorted by ``keys`` as before (stable: the existing
    rows keep their order); the existing rows' file positions are updated."""
    old = src.tables[source]
    combined = pa.concat_tables([old, extra.cast(old.schema)])
    order = A.as_numpy(pc.sort_indices(combined, sort_keys=[(k, "ascending") for k in keys])).astype(np.int64)
    src.tables[source] = combined.take(_indices(order))
    src.file_pos[source] = _inverse(order)[src.file_pos[source]]


def _check_removable(output: pathlib.Path, source: str) -> None:
    """A dataset folder ``<source>/`` of an earlier generation is only removed when it holds
    nothing but Parquet files (and hidden or ``_`` bookkeeping files such as Spark's
    ``_SUCCESS``); otherwise stop before anything is written."""
    folder = output / source
    if folder.is_dir() and not folder.is_symlink():
        foreign = [p for p in folder.rglob("*") if not p.is_dir() and not p.name.endswith(".parquet")
                   and not p.name.startswith((".", "_"))]
        if foreign:
            raise UserError(f"de map {folder} bevat andere bestanden dan Parquet (zoals "
                            f"{foreign[0].relative_to(folder)}); ruim die zelf op of kies een andere uitvoermap")


def _remove_source(output: pathlib.Path, source: str) -> None:
    """Remove ``<source>.csv``, ``<source>.parquet`` and a dataset folder ``<source>/`` of an
    earlier generation (see :func:`_check_removable`)."""
    folder = output / source
    _check_removable(output, source)
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    for f in (output / f"{source}.csv", output / f"{source}.parquet", folder):
        if f.is_symlink() or f.is_file():
            f.unlink()


def generate_detailed(
    output: pathlib.Path,
    scale: float = 1.0,
    seed: int = 2019,
    fmt: str = "csv",
    faults: bool = True,
    progress: Callable[[str], None] | None = None,
    banenafspraak: bool = True,
    nulmeting: bool = False,
    partition: bool = True,
    herindelingen: bool = True,
) -> SynthResult:
    """Like :func:`regiorapportage.synth.generate`, but also returns where every injected
    fault row is (source, 1-based data row number, fault code, rule). For a partitioned
    source the row number counts through the partition files in path order (the reader's
    ``rij``).

    ``herindelingen=False`` writes the residence histories with the 2019 gemeente codes on
    every date (no old codes before a herindeling; for comparisons): every other row is the
    same, and so is the code on every date from 2019-01-01."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    scale = float(scale)
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, not {scale!r}")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for source in SOURCES + ("nulmeting",):
        _check_removable(output, source)

    rng = np.random.default_rng(seed)
    geo = load_geography()
    say("calibration plan (Rapportage beschut werk 2019Q2)")
    counts = scale_counts(rng, build_plan(rng, geo.regions), scale)
    say("persons and advices")
    pop = build_population(rng, geo, counts, scale)
    say("payroll (polis)")
    copies = copies_for(scale)
    pay = build_payroll(rng, geo, pop, scale, copies, np.random.default_rng([seed, 0x7A2019]))
    say("residence histories (BRP)")
    history = load_herindelingen() if herindelingen else None
    build_brp(rng, geo, pop, pay.last_day, history, np.random.default_rng([seed, 0x4E12]))
    say("assembling the sources")
    src = build_sources(rng, geo, pop, pay, _bsn.person_numbers(seed, pop.n))
    sources = SOURCES if banenafspraak else BW_SOURCES
    streams: dict[str, Iterable[pa.Table]] = {}
    ba: BAData | None = None
    if banenafspraak:
        ba = build_ba(seed, geo, pop, pay, src, scale, say, history)
        _merge(src, "personen", ba.tables.pop("personen"), ["persoon_id"])
        _merge(src, "brp_verblijf", ba.tables.pop("brp_verblijf"), ["persoon_id", "begindatum"])
        _merge(src, "polis_ikv", ba.tables.pop("polis_ikv"), ["ikv_id"])
        for source in BA_SOURCES:
            src.tables[source] = ba.tables[source]
        streams = dict(ba.streams)
    if nulmeting and not banenafspraak:
        raise ValueError("nulmeting=True needs banenafspraak=True")

    fault_rows = {s: [] for s in sources}
    if faults:
        fault_rng = np.random.default_rng([seed, 0xFA17])
        unknown_bw, unknown_ba = unknown_ids(seed, copies)
        fault_rows = build_faults(fault_rng, geo, pop, pay, src, copies, unknown_bw)
        if ba is not None:
            fault_rows.update(build_ba_faults(np.random.default_rng([seed, 0xFA17, 0xBA]), geo, ba, src.tables, copies,
                                              unknown_ba))
        if fmt != "csv":  # unparseable dates cannot be stored in typed Parquet
            fault_rows = {s: [r for r in rows if not FAULTS_BY_CODE[r[1]].csv_only]
                          for s, rows in fault_rows.items()}

    rows: dict[str, int] = {}
    injected: list[InjectedFault] = []
    rules = {f.code: f.rule for f in FAULTS}
    for source in sources:
        split = partition and fmt == "parquet" and source in PARTITIONS
        say(f"writing {source}/" if split else f"writing {source}.{fmt}")
        _remove_source(output, source)  # never leave two formats of one source side by side
        n, placed = write_source(output, source, src.tables[source], fault_rows[source], fmt,
                                 more=streams.get(source), partition=split)
        rows[source] = n
        injected += [InjectedFault(code, source, rules[code], row) for code, row in placed]
    if nulmeting and ba is not None:
        say(f"writing nulmeting.{fmt}")
        _remove_source(output, "nulmeting")
        table = ba.nulmeting_table()
        n, _ = write_source(output, "nulmeting", table, [], fmt)
        rows["nulmeting"] = n
        sources = sources + ("nulmeting",)
    for source in SOURCES + ("nulmeting",):
        if source not in sources:  # files of an earlier generation would not match these data
            _remove_source(output, source)
    besluiten = 0
    if ba is not None:
        # the sources are written: free them before the decisions (peak memory at scale 10)
        src.tables.clear()
        ba.tables.clear()
        streams.clear()
        ba.jobs = ba.plan = ba.emp = ba.profiles = None
        say(f"writing {_decisions.FOLDER}/{_decisions.FILE}")
        decisions = _decisions.build(ba, scale, seed)
        _decisions.write(output, decisions, D.to_date(D.BA_EXTRACT))
        besluiten = decisions.num_rows
    else:
        _decisions.remove(output)
    bronnen = {"extractiedatum": {source: extractiedatum(source) for source in sources}}
    (output / "bronnen.json").write_text(json.dumps(bronnen, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    injected.sort(key=lambda f: (sources.index(f.source), f.row))
    return SynthResult(rows, injected, time.perf_counter() - started, besluiten)
