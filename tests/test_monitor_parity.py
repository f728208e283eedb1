"""The Landelijke monitor: the pipeline (Ibis on DuckDB) and the pandas reference
(``bench/regiorapportage_pandas/monitor.py``, written from SPEC independently) agree byte
for byte on random small populations (LM-2 … LM-7): registrations of every grondslag around
31 December and 1 January (Wsw from March, quotumgroep around 2018-12-01), income relations
with and without an inleenverband at government, market and SW employers and at an employer
without a sector, every tijdvak type holding 31 December, delivered or shipped keys and
targets, a delivered or a computed nulmeting."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import regiorapportage_pandas as reference
from conftest import AMS, employer, job, lives, period, person, registration, write_inputs
from populations import GRONDSLAGEN_DRAWN, PROPERTY_SETTINGS, SCALE, Population, day_between, holding, hours
from regiorapportage.pipeline import run as pipeline_run

WERKGEVERS = ("W1", "W2", "W3", "W4", "WX")  # WX never has a werkgever_tijdvak (onbekend)
INLEEN = (None, "geen", "uitzend", "wsw_detachering")
TIJDVAK_TYPES = ("maand", "vierweken", "kwartaal", "halfjaar", "jaar")
LATE = {"polis_ikv": "2021-01-31", "polis_tijdvak": "2021-01-31"}


@st.composite
def monitor_populations(draw, max_persons=15):
    year = draw(st.sampled_from([2019, 2016]))
    decembers = [date(y, 12, 31) for y in (2012, 2013, 2015, year - 1, year)]
    key_days = sorted({date(year, 1, 1), date(year, 3, 1), date(2018, 11, 30), date(2018, 12, 1), *decembers,
                       *(d + timedelta(days=1) for d in decembers), *(d - timedelta(days=1) for d in decembers)})
    a_day = st.one_of(st.sampled_from(key_days), day_between(date(2011, 6, 1), date(year + 1, 3, 1)))
    pop = Population()
    s = pop.src
    for i in range(draw(st.integers(1, max_persons))):
        pid = f"P{i:02d}"
        s["personen"].append(person(pid, "1980-05-05"))
        s["brp_verblijf"].append(lives(pid, AMS))
        for _ in range(draw(st.integers(1, 2))):
            begin, end = draw(a_day), draw(st.one_of(st.none(), a_day))
            if end is not None and end < begin:
                begin, end = end, begin
            s["doelgroepregister"].append(registration(f"R{len(s['doelgroepregister']) + 1:03d}", pid,
                                                       draw(st.sampled_from(GRONDSLAGEN_DRAWN)), str(begin),
                                                       str(end) if end else None))
        for _ in range(draw(st.integers(0, 3))):
            ikv = f"I{len(s['polis_ikv']) + 1:03d}"
            s["polis_ikv"].append({**job(ikv, pid, "2010-01-01", werkgever=draw(st.sampled_from(WERKGEVERS))),
                                   "inleenverband": draw(st.sampled_from(INLEEN))})
            kind = draw(st.sampled_from(TIJDVAK_TYPES))
            seen: set = set()
            for anchor in draw(st.lists(st.sampled_from(decembers), min_size=1, max_size=3, unique=True)):
                b, e = holding(kind, anchor, draw)
                if any(b <= xe and xb <= e for xb, xe in seen):
                    continue
                seen.add((b, e))
                s["polis_tijdvak"].append(period(ikv, str(b), str(e), "100.00", kind=kind, uren=format(draw(hours), "f")))
    for w in WERKGEVERS[:-1]:
        for d in draw(st.lists(st.sampled_from(decembers), max_size=5, unique=True)):
            sector = draw(st.one_of(st.sampled_from([52, 60, 61, 63, 66, 67]), st.integers(1, 69)))
            totaal = draw(st.decimals(min_value=0, max_value=1000, places=2))
            ufo = min(totaal, draw(st.sampled_from([Decimal(0), totaal, totaal / 2, totaal / 2 + Decimal("0.001")])))
            s["werkgever_tijdvak"].append(employer(w, f"{d.year}-12-01", str(d), sector, format(totaal, "f"), format(ufo, "f")))
    # the nulmeting: delivered, or computed (then some period holds 2012-12-31)
    delivered = draw(st.booleans())
    if delivered:
        s["nulmeting_landelijk"] = [{"sector": sec, "banen": format(draw(st.decimals(0, 50, places=2)), "f")}
                                    for sec in draw(st.lists(st.sampled_from(["markt", "overheid", "onbekend"]),
                                                             unique=True))]
    else:
        s["polis_ikv"].append(job("I999", "P00", "2010-01-01", werkgever="W1"))
        s["polis_tijdvak"].append(period("I999", "2012-12-01", "2012-12-31", "1.00", uren="110.92"))
    if draw(st.booleans()):  # keys of our own: from 2012 when the nulmeting is computed (LM-5),
        # else possibly from a later year (series years before it keep only their totals, LM-4)
        first = 2012 if not delivered else draw(st.sampled_from([2012, 2014, year]))
        extra = draw(st.lists(st.integers(first + 1, year + 1), unique=True, max_size=3))
        s["verdeelsleutel"] = [{"jaar": y, "aandeel_overheid": format(draw(st.decimals(0, 1, places=4)), "f")}
                               for y in [first, *extra]]
    if draw(st.booleans()):  # targets of our own, around the numbers drawn
        s["banenafspraak_doelen"] = [{"jaar": y, "sector": sec, "extra_banen": draw(st.integers(0, 4))}
                                     for y in draw(st.lists(st.integers(2013, year), unique=True, max_size=4))
                                     for sec in ("markt", "overheid")]
    return year, pop


def check(year: int, pop: Population) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_inputs(Path(tmp) / "in", LATE, **{k: v for k, v in pop.src.items()})
        pipe = pipeline_run(folder, Path(tmp) / "pipeline", str(year), render=False).output_dir
        ref = reference.run_monitor(folder, Path(tmp) / "reference", year)
        a = (pipe / "landelijke_monitor.csv").read_text(encoding="utf-8")
        b = (ref / "landelijke_monitor.csv").read_text(encoding="utf-8")
        if a != b:
            diff = [f"pipeline {x!r} ≠ reference {y!r}" for x, y in zip(a.splitlines(), b.splitlines()) if x != y]
            raise AssertionError("landelijke_monitor.csv differs:\n" + "\n".join(diff[:20]) + f"\n{len(a)} vs {len(b)}")
        for path in sorted((pipe / "rejects").glob("*.csv")):
            want = path.read_text(encoding="utf-8").splitlines()
            got = (ref / "rejects" / path.name).read_text(encoding="utf-8").splitlines()
            assert [r.split(",")[:2] for r in want] == [r.split(",")[:2] for r in got], path.name


@settings(max_examples=round(6 * SCALE), **PROPERTY_SETTINGS)
@given(case=monitor_populations())
def test_LM_reference_equals_pipeline_on_random_populations(case):
    check(*case)
