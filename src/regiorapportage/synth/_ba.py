"""Assemble the banenafspraak sources (SPEC BA, TR, FS, KP) on top of the beschut werk data.

Everything here uses its own random streams (``[seed, 0xBA, …]``), so the beschut werk
sources' own rows are the same with and without the banenafspraak data; new persons and
income relations are only *added* (persons without advices: no beschut werk number changes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from regiorapportage.synth import _arrow as A
from regiorapportage.synth import _bsn
from regiorapportage.synth import _days as D
from regiorapportage.synth._ba_payroll import (
    HOURS_PER_JOB, INLEEN, EmployerMonths, Employers, Jobs, build_employers, build_jobs,
    employer_chunks, period_chunks, plan_employer_months,
)
from regiorapportage.synth._geography import Geography
from regiorapportage.synth._history import Herindelingen
from regiorapportage.synth._payroll import Payroll
from regiorapportage.synth._population import Population
from regiorapportage.synth._profiles import Profiles, build_profiles, werkkamer
from regiorapportage.synth._register import (
    GRONDSLAGEN, REDENEN, Register, Residence, build_register, build_residence, valid_on,
)

BA_SOURCES = ("werkgever_tijdvak", "doelgroepregister", "klantprofielen", "werkkamer_indicatie")


@dataclass
class BAData:
    reg: Register
    res: Residence
    emp: Employers
    jobs: Jobs
    plan: EmployerMonths
    profiles: Profiles
    new_ids: pa.Array  # persoon_id of the new persons
    bsn: np.ndarray  # int64: BSN by BA person index (existing, then new)
    all_ids: pa.Array  # persoon_id by BA person index (existing, then new)
    tables: dict[str, pa.Table]  # new rows of personen, brp_verblijf, polis_ikv; the BA sources
    streams: dict[str, Iterator[pa.Table]]  # rows appended after the table
    log: dict = field(default_factory=dict)
    geo: Geography | None = None
    pop: Population | None = None
    pay: Payroll | None = None
    # filled while the streams are written: monthly hours (T-4) of each new income relation in
    # the period holding 2012-12-31, and each employer's sector then (-1 onbekend, 0 markt,
    # 1 overheid; BA-6)
    nul_hours: np.ndarray | None = None
    emp_nul: np.ndarray | None = None
    werkkamer_tenths: np.ndarray | None = None
    history: Herindelingen | None = None  # the herindelingen in the BRP histories (R-7 for the nulmeting)
    reg_order: np.ndarray | None = None  # registration index of each doelgroepregister row (DGR<k+1>)

    def _on_periods(self, ikv, tb, te, typ, hours_c) -> None:
        sel = (tb <= D.NULMETING) & (D.NULMETING <= te)
        np.add.at(self.nul_hours, ikv[sel], hours_c[sel] / 100.0 / D.BA_MONTHS_PER_PERIOD[typ[sel]])

    def _on_employer_months(self, employer, month, sector, total_c, ufo_c) -> None:
        sel = month == 11  # December 2012
        gov = (sector[sel] >= 61) & (sector[sel] <= 66) & (2 * ufo_c[sel] > total_c[sel])
        self.emp_nul[employer[sel]] = gov.astype(np.int64)

    def nulmeting_table(self) -> pa.Table:
        """TR-3 banen per region and sector at 2012-12-31 (BA-2…BA-6), from the generated data
        (after the streams have been written). Persons without a region and employers without
        a record for December 2012 (onbekend) are left out."""
        reg, geo, pop, pay = self.reg, self.geo, self.pop, self.pay
        ok = valid_on(reg.reg_g, reg.reg_begin, reg.reg_end, D.NULMETING)
        in_dg = np.zeros(reg.n_old + reg.n_new, dtype=bool)
        in_dg[reg.reg_person[ok]] = True
        # new persons
        j = self.jobs.person
        region = self.res.region_at(geo, j, np.full(len(j), D.NULMETING))
        hours = np.where(in_dg[reg.n_old + j], self.nul_hours, 0.0)
        sector = self.emp_nul[self.jobs.employer]
        # existing (beschut werk) persons in the doelgroep at the nulmeting
        rows = np.flatnonzero((pay.tv_begin <= D.NULMETING) & (D.NULMETING <= pay.tv_end))
        ikv = pay.tv_ikv[rows]
        person = pay.ikv_person[ikv]
        keep = in_dg[person]
        rows, ikv, person = rows[keep], ikv[keep], person[keep]
        old_hours = pay.tv_hours_c[rows] / 100.0 / D.MONTHS_PER_PERIOD[pay.ikv_type[ikv]]
        old_region = _region_on(geo, pop, person, D.NULMETING, self.history.forward if self.history else {})
        region = np.concatenate([region, old_region])
        hours = np.concatenate([hours, old_hours])
        sector = np.concatenate([sector, self.emp_nul[pay.ikv_employer[ikv]]])
        keep = (region >= 0) & (sector >= 0) & (hours > 0)
        banen = np.zeros((len(geo.regions), 2))
        np.add.at(banen, (region[keep], sector[keep]), hours[keep] / HOURS_PER_JOB)
        codes, sectors, cents = [], [], []
        for r, code in enumerate(geo.regions):
            for s, name in enumerate(("markt", "overheid")):
                codes.append(code)
                sectors.append(name)
                cents.append(int(round(banen[r, s] * 100)))
        return pa.table({
            "arbeidsmarktregio_code": A.strings(codes),
            "sector": A.strings(sectors),
            "banen": A.decimals(np.array(cents, dtype=np.int64)),
        })


def _region_on(geo: Geography, pop: Population, person: np.ndarray, day: int,
               forward: dict[str, str]) -> np.ndarray:
    """Region (R-1) of existing persons on ``day``: the BRP record covering it, else the last
    one begun before it, a former code followed to its 2019 code (R-7, ``forward``); -1
    without a gemeente (or with a code that is not a gemeente)."""
    code_index = {c: i for i, c in enumerate(geo.code)}
    code_index.update({old: code_index[new] for old, new in forward.items() if new in code_index})
    out = np.full(len(person), -1, dtype=np.int64)
    order = np.lexsort((pop.brp_begin, pop.brp_person))
    bp, bb = pop.brp_person[order], pop.brp_begin[order]
    key = bp * 1_000_000 + (bb + 500_000)
    pos = np.searchsorted(key, person * 1_000_000 + (day + 500_000), side="right") - 1
    ok = (pos >= 0) & (bp[np.maximum(pos, 0)] == person)
    for k in np.flatnonzero(ok):
        g = code_index.get(pop.brp_code[order][pos[k]], -1)
        out[k] = geo.gemeente_region[g] if g >= 0 else -1
    return out


def _person_numbers(rng: np.random.Generator, n: int, existing: np.ndarray) -> np.ndarray:
    """The draws of the former "P…" ids of the new persons (kept so later draws stay the same)."""
    numbers = A.not_in(A.unique_sorted(rng.integers(16**9, 16**10, int(n * 1.1) + 16)), existing)
    while len(numbers) < n:  # pragma: no cover
        numbers = A.not_in(A.unique_sorted(np.concatenate([numbers, rng.integers(16**9, 16**10, n)])), existing)
    return rng.permutation(numbers)[:n]


def build_ba(seed: int, geo: Geography, pop: Population, pay: Payroll, src,
             scale: float, say: Callable[[str], None], history: Herindelingen | None = None) -> BAData:
    """``src``: the beschut werk sources (``_generate.Sources``: the persons' BSNs and ids)."""
    rng = np.random.default_rng([seed, 0xBA])
    say("doelgroepregister banenafspraak")
    reg, log = build_register(rng, pop, scale)
    res = build_residence(rng, geo, reg, history, np.random.default_rng([seed, 0xBA, 3]))
    say("werkgevers en loonaangifte van de doelgroep")
    emp = build_employers(rng, geo, pay, scale)
    jobs = build_jobs(rng, geo, reg, res, emp, scale)
    plan = plan_employer_months(rng, emp, pay, jobs, scale)
    end_eff = np.where(jobs.end == D.NULL, D.FAR, jobs.end)
    covering = (jobs.begin <= D.P) & (D.P <= end_eff)
    working_p = np.zeros(reg.n_new, dtype=bool)
    working_p[jobs.person[covering]] = True
    profiles = build_profiles(rng, reg, working_p)

    _person_numbers(rng, reg.n_new, src.old_numbers)
    # BSNs continue the existing persons' draw (the first n_old are theirs); persoon_id = pseudonym
    numbers = _bsn.person_numbers(seed, reg.n_old + reg.n_new)
    assert (numbers[: reg.n_old] == src.bsn).all()
    new_ids = _bsn.pseudonym_array(numbers[reg.n_old:])
    all_ids = pa.concat_arrays([A.strings(src.persoon_id.tolist()), new_ids])

    tables: dict[str, pa.Table] = {}
    tables["personen"] = pa.table({
        "persoon_id": new_ids,
        "geboortedatum": A.dates(reg.geboortedatum),
        # personen is taken with the payroll and the register (July 2020): deaths up to then
        "overlijdensdatum": A.dates(np.where(reg.death <= D.BA_EXTRACT, reg.death, D.NULL)),
    })
    tables["brp_verblijf"] = pa.table({
        "persoon_id": new_ids.take(A.numeric(res.brp_person.astype(np.int64), pa.int64())),
        "gemeente_code": A.strings(res.brp_code.tolist()),
        "begindatum": A.dates(res.brp_begin),
        "einddatum": A.dates(res.brp_end),
    })
    res.brp_person = res.brp_code = res.brp_begin = res.brp_end = None  # in the table now
    tables["polis_ikv"] = pa.table({
        "ikv_id": jobs.ids,
        "persoon_id": new_ids.take(A.numeric(jobs.person.astype(np.int64), pa.int64())),
        "werkgever_id": emp.ids.take(A.numeric(jobs.employer.astype(np.int64), pa.int64())),
        "begindatum": A.dates(jobs.begin),
        "einddatum": A.dates(jobs.end),
        "inleenverband": A.codes(INLEEN, jobs.inleen),
    })

    # doelgroepregister: registratie_id numbered in order of begindatum
    order = np.lexsort((rng.random(len(reg.reg_begin)), reg.reg_begin))
    tables["doelgroepregister"] = pa.table({
        "registratie_id": A.fixed_ids("DGR", np.arange(1, len(order) + 1), 8),
        "persoon_id": all_ids.take(A.numeric(reg.reg_person[order].astype(np.int64), pa.int64())),
        "grondslag": A.codes(GRONDSLAGEN, reg.reg_g[order]),
        "begindatum": A.dates(reg.reg_begin[order]),
        "einddatum": A.dates(reg.reg_end[order]),
        "einde_reden": A.codes(REDENEN, reg.reg_reason[order]),
    })
    kp = pa.table({
        "persoon_id": new_ids.take(A.numeric(profiles.person.astype(np.int64), pa.int64())),
        "begindatum": A.dates(profiles.begin),
        "einddatum": A.dates(profiles.end),
        "zichtbaar": A.bools(profiles.zichtbaar),
        **{name: A.bools(v, valid) for name, (v, valid) in profiles.flags.items()},
    })
    tables["klantprofielen"] = kp.take(pc.sort_indices(kp, sort_keys=[("persoon_id", "ascending"), ("begindatum", "ascending")]))
    codes, years, tenths = werkkamer(rng, geo)
    tables["werkkamer_indicatie"] = pa.table({
        "arbeidsmarktregio_code": A.strings(codes),
        "jaar": A.numeric(years.astype(np.int32), pa.int32()),
        "extra_banen": A.decimals(tenths, scale=1),
    })

    ba = BAData(reg, res, emp, jobs, plan, profiles, new_ids, numbers, all_ids, tables, {}, log,
                geo=geo, pop=pop, pay=pay, nul_hours=np.zeros(len(jobs.person)),
                emp_nul=np.full(len(emp.cat), -1, dtype=np.int64), history=history)
    ba.werkkamer_tenths = tenths
    ba.reg_order = order
    ba.streams["polis_tijdvak"] = period_chunks(np.random.default_rng([seed, 0xBA, 1]), jobs, ba._on_periods)
    wg = employer_chunks(np.random.default_rng([seed, 0xBA, 2]), emp, plan, ba._on_employer_months)
    tables["werkgever_tijdvak"] = next(wg)
    ba.streams["werkgever_tijdvak"] = wg
    return ba
