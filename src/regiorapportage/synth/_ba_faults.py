"""Injected faulty rows of the banenafspraak sources (see ``_faults.FAULTS``, F-WGT/F-DGR/
F-KP/F-WKI). Each row breaks one CONTRACT row rule; rows that duplicate or overlap an existing
row are placed after it (first occurrence wins)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from regiorapportage.synth import _arrow as A
from regiorapportage.synth import _days as D
from regiorapportage.synth._ba_payroll import C_MARKET, JUNE_2019
from regiorapportage.synth._geography import AM99, Geography
from regiorapportage.synth._register import valid_on

Row = tuple[int, str, dict]


def build_ba_faults(rng: np.random.Generator, geo: Geography, ba, tables: dict[str, pa.Table],
                    copies: int, unknown: list[str]) -> dict[str, list[Row]]:
    """``unknown``: persoon_ids in no personen file (``_generate.unknown_ids``)."""
    out: dict[str, list[Row]] = {s: [] for s in ("werkgever_tijdvak", "doelgroepregister",
                                                 "klantprofielen", "werkkamer_indicatie")}
    n_rows = {s: tables[s].num_rows for s in out}
    reg, emp, plan = ba.reg, ba.emp, ba.plan

    def rand_q(source: str) -> int:
        return int(rng.integers(0, n_rows[source] + 1))

    # unknown persoon_ids (the draw of the former ones is kept, so later draws stay the same)
    rng.integers(16**9, 16**10, 8 * copies + 8)
    unknown_iter = iter(unknown)

    # --- werkgever_tijdvak (hosts among the employers of the first block = the clean table) --
    wt = tables["werkgever_tijdvak"]
    first_block = plan.order[: plan.first_block]
    ids = np.array(emp.ids.to_pylist(), dtype=object)

    # row of (employer, month) in the first chunk (rows by employer in file order, then month;
    # one gap month per employer at most), computed from the plan
    fb = first_block
    cnt = np.maximum(plan.stop[fb] - plan.start[fb] + 1, 0)
    cnt -= (plan.gap[fb] >= plan.start[fb]) & (plan.gap[fb] <= plan.stop[fb]) & (cnt > 0)
    offset = dict(zip(fb.tolist(), (np.cumsum(cnt) - cnt).tolist()))
    assert int(cnt.sum()) == wt.num_rows

    def row_of(e: int, month: int) -> int:
        g = plan.gap[e]
        return offset[e] + month - int(plan.start[e]) - int(plan.start[e] <= g < month)

    june = D.day("2019-06-01")
    june_idx = JUNE_2019
    gap_hosts = [e for e in first_block.tolist() if plan.gap[e] == june_idx]
    full = [e for e in rng.permutation(first_block).tolist()
            if plan.start[e] <= june_idx - 12 and plan.stop[e] >= june_idx + 1 and plan.gap[e] < 0]
    market = [e for e in full if emp.cat[e] == C_MARKET]
    free_hosts = iter(full[len(market) // 2:] + full[: len(market) // 2])
    market_iter = iter(market)

    def wg_row(e, begin, end, sector, total, ufo):
        return {"werkgever_id": ids[e], "tijdvak_begin": begin, "tijdvak_einde": end,
                "sector_wfsv": sector, "uren_totaal": total, "uren_ufo": ufo}

    for j in range(copies):
        if j < len(gap_hosts):
            e = gap_hosts[j]
            out["werkgever_tijdvak"].append((rand_q("werkgever_tijdvak"), "F-WGT-01",
                                             wg_row(e, june, D.P, 63, 1_000_000, 1_200_000)))
        for code, month, kw in (("F-WGT-02", "2011-12", {"sector": 70}),
                                ("F-WGT-05", "2011-11", {"sector": None}),
                                ("F-WGT-06", "2011-10", {"total": -5_000, "ufo": 0})):
            e = next(free_hosts, None)
            if e is None:
                continue
            begin = D.day(f"{month}-01")
            end = int((np.datetime64(month, "M") + 1).astype("datetime64[D]").astype(np.int64)) - 1
            row = wg_row(e, begin, end, int(emp.sector[e]), 800_000, 0)
            if "sector" in kw:
                row["sector_wfsv"] = kw["sector"]
            if "total" in kw:
                row["uren_totaal"], row["uren_ufo"] = kw["total"], kw["ufo"]
            out["werkgever_tijdvak"].append((rand_q("werkgever_tijdvak"), code, row))
        e = next(free_hosts, None)
        if e is not None:
            out["werkgever_tijdvak"].append((rand_q("werkgever_tijdvak"), "F-WGT-07",
                                             wg_row(e, D.day("2011-09-01"), "2011-09-31", int(emp.sector[e]), 800_000, 0)))
        e = next(market_iter, None)
        if e is not None:  # inside June 2019 (overlaps only that earlier record), after it
            pos = row_of(e, june_idx) + 1 + int(rng.integers(0, 3))
            out["werkgever_tijdvak"].append((pos, "F-WGT-03", wg_row(e, june + 9, june + 22, 64, 900_000, 900_000)))
        e = next(market_iter, None)
        if e is not None:  # after the employer's June 2019 row
            pos = row_of(e, june_idx) + 1 + int(rng.integers(0, 3))
            out["werkgever_tijdvak"].append((pos, "F-WGT-04", wg_row(e, june, D.P, 62, 700_000, 700_000)))

    # --- doelgroepregister -----------------------------------------------------------------
    dg = tables["doelgroepregister"]
    ok = valid_on(reg.reg_g, reg.reg_begin, reg.reg_end, D.P)
    in_dg = np.zeros(reg.n_old + reg.n_new, dtype=bool)
    in_dg[reg.reg_person[ok]] = True
    outside = np.flatnonzero(~in_dg[reg.n_old:] & (reg.overlijdensdatum == D.NULL))
    hosts = iter(rng.permutation(outside).tolist())
    new_ids = ba.new_ids
    seq = iter(range(dg.num_rows + 1, dg.num_rows + 1 + 20 * copies))
    open_rows = np.flatnonzero(A.as_numpy(dg["einddatum"].is_null()))

    def dg_row(person, grondslag, begin, end, reden, rid=None):
        return {"registratie_id": rid or f"DGR{next(seq):08d}", "persoon_id": person, "grondslag": grondslag,
                "begindatum": begin, "einddatum": end, "einde_reden": reden}

    def host() -> str | None:
        h = next(hosts, None)
        return None if h is None else new_ids[h].as_py()

    for j in range(copies):
        specs = [
            ("F-DGR-01", "wsw_intern", D.day("2019-01-15") + j, None, None),
            ("F-DGR-02", "indicatie_banenafspraak", D.day("2019-05-01"), D.day("2019-04-01"), "overig"),
            ("F-DGR-05", "wajong", None, None, None),
            ("F-DGR-06", "indicatie_banenafspraak", "2018-13-01", None, None),
            ("F-DGR-07", "indicatie_banenafspraak", D.day("2016-03-01"), D.day("2018-05-31"), "verhuisd"),
        ]
        for code, g, b, e, r in specs:
            h = host()
            if h is not None:
                out["doelgroepregister"].append((rand_q("doelgroepregister"), code, dg_row(h, g, b, e, r)))
        h = host()
        if h is not None and len(open_rows):
            i = int(open_rows[rng.integers(0, len(open_rows))])
            row = dg_row(h, dg["grondslag"][i].as_py(), D.day("2018-02-01") + j, None, None,
                         rid=dg["registratie_id"][i].as_py())
            out["doelgroepregister"].append((i + 1 + int(rng.integers(0, 20)), "F-DGR-03", row))
        out["doelgroepregister"].append((rand_q("doelgroepregister"), "F-DGR-04",
                                         dg_row(next(unknown_iter), "wajong", D.day("2017-06-01") + j, None, None)))

    # --- klantprofielen ----------------------------------------------------------------------
    has_profile = np.zeros(reg.n_new, dtype=bool)
    has_profile[ba.profiles.person] = True
    inside = np.flatnonzero(in_dg[reg.n_old:] & ~has_profile)
    kp_hosts = iter(rng.permutation(inside).tolist())

    def kp_row(person, begin, end, zichtbaar):
        return {"persoon_id": person, "begindatum": begin, "einddatum": end, "zichtbaar": zichtbaar,
                "heeft_cv": True, "heeft_beroep": True, "heeft_werkervaring": None}

    for j in range(copies):
        specs = [
            ("F-KP-01", D.day("2018-04-01") + j, None, "ja"),
            ("F-KP-02", D.day("2018-05-01") + j, None, None),
            ("F-KP-04", D.day("2019-03-01"), D.day("2019-01-31"), True),
            ("F-KP-05", "2019-02-30", None, True),
        ]
        for code, b, e, z in specs:
            h = next(kp_hosts, None)
            if h is not None:
                out["klantprofielen"].append((rand_q("klantprofielen"), code, kp_row(new_ids[h].as_py(), b, e, z)))
        out["klantprofielen"].append((rand_q("klantprofielen"), "F-KP-03",
                                      kp_row(next(unknown_iter), D.day("2018-09-01") + j, None, True)))

    # --- werkkamer_indicatie -------------------------------------------------------------------
    wk = tables["werkkamer_indicatie"]
    regions = [r for r in geo.regions if r != AM99]
    codes = wk["arbeidsmarktregio_code"].to_pylist()
    years = wk["jaar"].to_pylist()
    for j in range(copies):
        r = regions[int(rng.integers(0, len(regions)))]
        i = next(k for k, (c, y) in enumerate(zip(codes, years)) if c == r and y == 2019)
        value = int(ba.werkkamer_tenths[i])
        out["werkkamer_indicatie"].append((i + 1, "F-WKI-01", {"arbeidsmarktregio_code": r, "jaar": 2019, "extra_banen": 2 * value}))
        out["werkkamer_indicatie"].append((rand_q("werkkamer_indicatie"), "F-WKI-02",
                                           {"arbeidsmarktregio_code": "AM1", "jaar": 2019, "extra_banen": 1234}))
        out["werkkamer_indicatie"].append((rand_q("werkkamer_indicatie"), "F-WKI-03",
                                           {"arbeidsmarktregio_code": r, "jaar": 2030 + j, "extra_banen": None}))
        out["werkkamer_indicatie"].append((rand_q("werkkamer_indicatie"), "F-WKI-04",
                                           {"arbeidsmarktregio_code": r, "jaar": 2060 + j, "extra_banen": "veel"}))
    return out
