"""The pandas reference's Landelijke monitor (``bench/regiorapportage_pandas/monitor.py``, SPEC §8
LM-1 … LM-8) on small hand-made inputs, every number worked out by hand below.

The population (doelgroep on 2019-12-31 by LM-2; hours of the polis_tijdvak period holding P,
monthly by T-4; 110.92 monthly hours = 1 baan):

=====  ==========================================  ============================  =================
pers.  registration                                job (employer, inleenverband)  hours → banen
=====  ==========================================  ============================  =================
P1     wajong 2010-01-01 …                          I1 at WM (markt)              Dec 2012 110.92 → 1
                                                                                  Dec 2019 110.92 → 1
P2     wajong 2010-01-01 …                          I2 at WO (overheid)           Dec 2012 110.92 → 1
                                                                                  Dec 2019 221.84 → 2
P3     wajong 2010-01-01 …                          I3 at WX (no employer period)  Dec 2019 55.46 → 0.5 onbekend
P4     wsw_detachering 2019-03-01 … (LM-2: valid,   I4 at WO, wsw_detachering     2019Q4 kwartaal 332.76
       no 1-January exception)                                                    → 110.92/month → 1 inleen
P5     quotumgroep 2012-01-01 … (not before         I5 at WX, uitzend             Dec 2012 110.92 (not counted)
       2018-12-01)                                                                Dec 2019 110.92 → 1 inleen
P6     wsw_detachering 2012-03-01 … 2016-12-31      I6 at WO, wsw_detachering     Dec 2012/2014/2016 110.92 → 1 inleen
P7     wsw_begeleid_werk 2015-01-01 … 2019-06-30    I7 at WM                      Dec 2019 110.92 (not counted:
       (covers 1 January, not P: not valid)                                       no 1-January exception)
=====  ==========================================  ============================  =================

Employers: WM sector 1 (markt), WO sector 62 with Ufo on 600 of 1000 hours (overheid), WF
sector 63 with Ufo on exactly 500 of 1000 (markt: exactly 50 %), WX without any period.

2019 with the shipped key (2016: 0.278, LM-4 fallback): inleen = 2 banen → overheid 0.556,
markt 1.444; markt 1 + 1.444 = 2.444, overheid 2 + 0.556 = 2.556, onbekend 0.5, totaal 5.5.
Computed nulmeting (LM-5, 2012-12-31, key 2012 = 0.24): P1 1 markt, P2 1 overheid, P6 1 inleen
→ 0.76 markt / 0.24 overheid, P5 not in the doelgroep: markt 1.76, overheid 1.24, onbekend 0,
totaal 3.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import regiorapportage_pandas as reference
from conftest import employer, person, registration, write_csv, write_inputs
from regiorapportage_pandas.monitor import MonitorRefused

LM_COLUMNS = {
    "verdeelsleutel": ["jaar", "aandeel_overheid"],
    "banenafspraak_doelen": ["jaar", "sector", "extra_banen"],
    "nulmeting_landelijk": ["sector", "banen"],
}
EXTRACT = {s: "2020-07-15" for s in ("polis_ikv", "polis_tijdvak", "werkgever_tijdvak", "doelgroepregister")}


def ikv(ikv_id: str, pid: str, werkgever: str, inleen: str | None = None) -> dict:
    return {"ikv_id": ikv_id, "persoon_id": pid, "werkgever_id": werkgever, "begindatum": "2012-01-01",
            "einddatum": None, "inleenverband": inleen}


def december(ikv_id: str, year: int, uren: str) -> dict:
    return {"ikv_id": ikv_id, "tijdvak_type": "maand", "tijdvak_begin": f"{year}-12-01",
            "tijdvak_einde": f"{year}-12-31", "sv_loon": "1000", "verloonde_uren": uren}


def population(folder: Path, with_2012: bool = True, **lm: list[dict]) -> Path:
    """The population of the module docstring; ``lm`` rows for the three LM inputs (each
    written as its own CSV file; not given = not delivered)."""
    periods = [
        december("I1", 2019, "110.92"),
        december("I2", 2019, "221.84"),
        december("I3", 2019, "55.46"),
        {"ikv_id": "I4", "tijdvak_type": "kwartaal", "tijdvak_begin": "2019-10-01", "tijdvak_einde": "2019-12-31",
         "sv_loon": "3000", "verloonde_uren": "332.76"},
        december("I5", 2019, "110.92"),
        december("I6", 2014, "110.92"),
        december("I6", 2016, "110.92"),
        december("I7", 2019, "110.92"),
        december("I8", 2019, "110.92"),
    ]
    if with_2012:
        periods += [december("I1", 2012, "110.92"), december("I2", 2012, "110.92"), december("I5", 2012, "110.92"),
                    december("I6", 2012, "110.92")]
    write_inputs(
        folder,
        extractiedatum=EXTRACT,
        personen=[person(p) for p in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8")],
        doelgroepregister=[
            registration("R1", "P1"),
            registration("R2", "P2"),
            registration("R3", "P3"),
            registration("R4", "P4", "wsw_detachering", begin="2019-03-01"),
            registration("R5", "P5", "quotumgroep", begin="2012-01-01"),
            registration("R6", "P6", "wsw_detachering", begin="2012-03-01", end="2016-12-31"),
            registration("R7", "P7", "wsw_begeleid_werk", begin="2015-01-01", end="2019-06-30"),
        ],
        polis_ikv=[ikv("I1", "P1", "WM"), ikv("I2", "P2", "WO"), ikv("I3", "P3", "WX"),
                   ikv("I4", "P4", "WO", "wsw_detachering"), ikv("I5", "P5", "WX", "uitzend"),
                   ikv("I6", "P6", "WO", "wsw_detachering"), ikv("I7", "P7", "WM"),
                   ikv("I8", "P8", "WF")],  # P8 is not in the register: not counted
        polis_tijdvak=periods,
        werkgever_tijdvak=[employer("WM", "2012-01-01", "2019-12-31", sector=1),
                           employer("WO", "2012-01-01", "2019-12-31", sector=62, totaal="1000", ufo="600"),
                           employer("WF", "2012-01-01", "2019-12-31", sector=63, totaal="1000", ufo="500")],
    )
    for name, rows in lm.items():
        write_csv(folder / f"{name}.csv", LM_COLUMNS[name], rows)
    return folder


def cells(out: Path) -> dict:
    """{(tabel, rij, kolom): text as written} of ``landelijke_monitor.csv`` (NL01 only)."""
    with open(out / "landelijke_monitor.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(r["regio_code"], r["regio_naam"]) for r in rows} == {("NL01", "Nederland")}  # LM-1
    return {(r["tabel"], r["rij"], r["kolom"]): r["waarde"] for r in rows}


def monitor(tmp_path: Path, year=2019, **kw) -> dict:
    folder = population(tmp_path / "in", **kw)
    return cells(reference.run_monitor(folder, tmp_path / "out", year))


def doelen(**per_year: tuple[int, int]) -> list[dict]:
    return [{"jaar": y[1:], "sector": s, "extra_banen": v} for y, (m, o) in per_year.items()
            for s, v in (("markt", m), ("overheid", o))]


# =========================================================================== LM-3, LM-4, LM-5, LM-6


def test_lm3_key_split_with_shipped_key_fallback_and_computed_nulmeting(tmp_path):
    c = monitor(tmp_path)
    # LM-4: no shipped key for 2019 → 2016's (0.278), written with four decimals
    assert c[("verdeelsleutel", "toegepast", "jaar")] == "2016"
    assert c[("verdeelsleutel", "toegepast", "aandeel_overheid")] == "0.2780"
    # LM-3: the two inleen banen (P4 wsw_detachering at an overheid employer, P5 uitzend at an
    # employer without a period) are split by the key, whatever the employer's sector
    assert c[("inleenverbanden", "markt", "banen")] == "1.44"  # 2 × 0.722
    assert c[("inleenverbanden", "overheid", "banen")] == "0.56"  # 2 × 0.278
    assert c[("inleenverbanden", "totaal", "banen")] == "2.00"
    # banen per sector (P7: wsw_begeleid_werk ended 2019-06-30, not valid on P in LM-2; WF at
    # exactly 50 % Ufo is markt but P8 is not in the register)
    assert [c[("banen", s, "banen")] for s in ("markt", "overheid", "onbekend", "totaal")] == [
        "2.44", "2.56", "0.50", "5.50"]
    # LM-5 computed on 2012-12-31 with the key of 2012 (0.24); P5 quotumgroep is not valid then
    assert [c[("banen", s, "nulmeting")] for s in ("markt", "overheid", "onbekend", "totaal")] == [
        "1.76", "1.24", "0.00", "3.00"]
    # LM-6: 2.444 − 1.76 = 0.684; 2.556 − 1.24 = 1.316; targets shipped: 40,000 and 15,000
    assert [c[("banen", s, "extra_banen")] for s in ("markt", "overheid", "onbekend", "totaal")] == [
        "0.68", "1.32", "0.50", "2.50"]
    assert [c[("banen", s, "doel")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["40000", "15000", "", "55000"]
    assert [c[("banen", s, "verschil_met_doel")] for s in ("markt", "overheid", "onbekend", "totaal")] == [
        "-39999.32", "-14998.68", "", "-54997.50"]
    assert [c[("banen", s, "doel_gehaald")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["0", "0", "", "0"]


def test_lm7_series_each_year_with_its_own_key_and_target(tmp_path):
    c = monitor(tmp_path)
    years = sorted({rij for tabel, rij, _ in c if tabel == "reeks"})
    assert years == [str(t) for t in range(2013, 2020)]
    # 2013: nobody works on 2013-12-31; extra = − nulmeting; no target yet (targets begin in 2015)
    assert c[("reeks", "2013", "totaal_banen")] == "0.00" and c[("reeks", "2013", "totaal_extra_banen")] == "-3.00"
    assert c[("reeks", "2013", "markt_doel")] == "" and c[("reeks", "2013", "markt_doel_gehaald")] == ""
    # 2014: P6's inleen baan with the key of 2012 (0.24)
    assert c[("reeks", "2014", "markt_banen")] == "0.76" and c[("reeks", "2014", "overheid_banen")] == "0.24"
    assert c[("reeks", "2014", "markt_extra_banen")] == "-1.00" and c[("reeks", "2014", "totaal_extra_banen")] == "-2.00"
    # 2015: the first target (6,000 / 3,000), not met
    assert c[("reeks", "2015", "markt_doel")] == "6000" and c[("reeks", "2015", "markt_doel_gehaald")] == "0"
    # 2016: the same baan with the key of 2016 (0.278): markt 0.722 − 1.76 = −1.038
    assert c[("reeks", "2016", "markt_banen")] == "0.72" and c[("reeks", "2016", "overheid_banen")] == "0.28"
    assert c[("reeks", "2016", "markt_extra_banen")] == "-1.04" and c[("reeks", "2016", "overheid_extra_banen")] == "-0.96"
    # the last row is the year itself
    assert c[("reeks", "2019", "markt_banen")] == c[("banen", "markt", "banen")]
    assert c[("reeks", "2019", "overheid_doel")] == "15000"
    assert c[("reeks", "2019", "totaal_extra_banen")] == c[("banen", "totaal", "extra_banen")]


def test_delivered_key_nulmeting_and_targets_replace_the_shipped_ones(tmp_path):
    c = monitor(
        tmp_path, with_2012=False,  # no payroll on 2012-12-31: fine with a delivered nulmeting
        verdeelsleutel=[{"jaar": 2010, "aandeel_overheid": "0.1"}, {"jaar": 2019, "aandeel_overheid": "0.5"}],
        nulmeting_landelijk=[{"sector": "markt", "banen": "1"}, {"sector": "overheid", "banen": "0.5"}],
        banenafspraak_doelen=doelen(j2019=(1, 3)),
    )
    assert c[("verdeelsleutel", "toegepast", "jaar")] == "2019"
    assert c[("verdeelsleutel", "toegepast", "aandeel_overheid")] == "0.5000"
    assert [c[("inleenverbanden", s, "banen")] for s in ("markt", "overheid", "totaal")] == ["1.00", "1.00", "2.00"]
    # markt 1 + 1 = 2, overheid 2 + 1 = 3; nulmeting as delivered, onbekend missing = 0
    assert [c[("banen", s, "banen")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["2.00", "3.00", "0.50", "5.50"]
    assert [c[("banen", s, "nulmeting")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["1.00", "0.50", "0.00", "1.50"]
    assert [c[("banen", s, "extra_banen")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["1.00", "2.50", "0.50", "4.00"]
    # targets: markt 1 (met exactly: 1.00 ≥ 1), overheid 3 (2.5 < 3), totaal 4 (met exactly)
    assert [c[("banen", s, "doel")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["1", "3", "", "4"]
    assert [c[("banen", s, "verschil_met_doel")] for s in ("markt", "overheid", "onbekend", "totaal")] == [
        "0.00", "-0.50", "", "0.00"]
    assert [c[("banen", s, "doel_gehaald")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["1", "0", "", "1"]
    # the delivered targets replace the shipped ones whole: no target in 2015-2018 any more;
    # the series years use the key of 2010 (0.1): 2016 markt 0.9 − 1 = −0.1
    assert c[("reeks", "2016", "markt_doel")] == "" and c[("reeks", "2016", "markt_doel_gehaald")] == ""
    assert c[("reeks", "2016", "markt_banen")] == "0.90" and c[("reeks", "2016", "markt_extra_banen")] == "-0.10"


def test_lm6_one_job_short_and_decided_on_exact_values(tmp_path):
    key = [{"jaar": 2012, "aandeel_overheid": "0.5"}]
    # one job short: totaal extra 4 against 2 + 3 = 5
    c = monitor(tmp_path / "a", with_2012=False, verdeelsleutel=key, banenafspraak_doelen=doelen(j2019=(2, 3)),
                nulmeting_landelijk=[{"sector": "markt", "banen": "1"}, {"sector": "overheid", "banen": "0.5"}])
    assert c[("banen", "totaal", "extra_banen")] == "4.00" and c[("banen", "totaal", "doel")] == "5"
    assert c[("banen", "totaal", "verschil_met_doel")] == "-1.00" and c[("banen", "totaal", "doel_gehaald")] == "0"
    assert c[("banen", "markt", "extra_banen")] == "1.00" and c[("banen", "markt", "doel_gehaald")] == "0"
    # 0.001 short: written 4.00 against a target of 4, but not met (LM-6: exact values)
    c = monitor(tmp_path / "b", with_2012=False, verdeelsleutel=key, banenafspraak_doelen=doelen(j2019=(1, 3)),
                nulmeting_landelijk=[{"sector": "markt", "banen": "1.001"}, {"sector": "overheid", "banen": "0.5"}])
    assert c[("banen", "totaal", "extra_banen")] == "4.00" and c[("banen", "totaal", "doel")] == "4"
    assert c[("banen", "totaal", "doel_gehaald")] == "0"
    assert c[("banen", "markt", "extra_banen")] == "1.00" and c[("banen", "markt", "doel_gehaald")] == "0"  # 0.999 < 1


def test_target_of_one_sector_missing_leaves_totaal_empty(tmp_path):
    c = monitor(tmp_path, banenafspraak_doelen=[{"jaar": 2019, "sector": "markt", "extra_banen": 0}])
    assert c[("banen", "markt", "doel")] == "0" and c[("banen", "markt", "doel_gehaald")] == "1"
    assert c[("banen", "overheid", "doel")] == "" and c[("banen", "overheid", "doel_gehaald")] == ""
    assert c[("banen", "totaal", "doel")] == "" and c[("banen", "totaal", "verschil_met_doel")] == ""


# =========================================================================== refusals


@pytest.mark.parametrize(
    "lm, with_2012, fragment",
    [
        ({"verdeelsleutel": [{"jaar": 2020, "aandeel_overheid": "0.3"}]}, True, "geen verdeelsleutel voor 2019"),
        ({"verdeelsleutel": [{"jaar": 2019, "aandeel_overheid": "0.3"}]}, True, "nulmeting van 2012"),
        ({}, False, "31 december 2012"),
    ],
    ids=["no-key-at-or-before-Y", "no-key-for-2012", "no-payroll-on-2012-12-31"],
)
def test_refused_and_nothing_written(tmp_path, lm, with_2012, fragment):
    folder = population(tmp_path / "in", with_2012=with_2012, **lm)
    with pytest.raises(MonitorRefused, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        reference.run_monitor(folder, tmp_path / "out", 2019)
    assert not (tmp_path / "out").exists()
    # the CLI: exit code 4 (refused), as the pipeline's
    done = subprocess.run([sys.executable, "-m", "regiorapportage_pandas", "--input", str(folder), "--output",
                           str(tmp_path / "out"), "--jaar", "2019"], capture_output=True, text=True)
    assert done.returncode == 4, done.stderr
    assert not (tmp_path / "out").exists()


def test_series_year_without_key_has_empty_sectors_but_its_totals(tmp_path):
    # keys only from 2015: the monitor of 2019 is made; 2013 and 2014 cannot be divided
    c = monitor(tmp_path, verdeelsleutel=[{"jaar": 2015, "aandeel_overheid": "0.3"}],
                nulmeting_landelijk=[{"sector": "markt", "banen": "1"}])
    for kolom in ("markt_banen", "markt_extra_banen", "overheid_banen", "overheid_doel_gehaald"):
        assert c[("reeks", "2013", kolom)] == "" and c[("reeks", "2014", kolom)] == ""
    assert c[("reeks", "2013", "totaal_banen")] != "" and c[("reeks", "2015", "markt_banen")] != ""


# =========================================================================== DQ-1 on the LM inputs


def test_lm_inputs_validated_with_row_rejects(tmp_path):
    folder = population(
        tmp_path / "in",
        verdeelsleutel=[{"jaar": 2012, "aandeel_overheid": "0.25"}, {"jaar": 2019, "aandeel_overheid": "0.5"},
                        {"jaar": 2019, "aandeel_overheid": "0.6"}, {"jaar": 2018, "aandeel_overheid": "1.2"},
                        {"jaar": "twee", "aandeel_overheid": "0.1"}, {"jaar": 2017, "aandeel_overheid": ""}],
        banenafspraak_doelen=[{"jaar": 2019, "sector": "markt", "extra_banen": 1},
                              {"jaar": 2019, "sector": "markt", "extra_banen": 2},
                              {"jaar": 2019, "sector": "onbekend", "extra_banen": 5},
                              {"jaar": 2019, "sector": "overheid", "extra_banen": "1.5"}],
        nulmeting_landelijk=[{"sector": "markt", "banen": "1"}, {"sector": "markt", "banen": "2"},
                             {"sector": "overig", "banen": "1"}, {"sector": "overheid", "banen": "-1"}],
    )
    out = reference.run_monitor(folder, tmp_path / "out", "2019")
    rejects = {}
    for name in LM_COLUMNS:
        with open(out / "rejects" / f"{name}.csv", encoding="utf-8", newline="") as f:
            rejects[name] = [(r["rij"], r["regel"]) for r in csv.DictReader(f)]
    assert rejects["verdeelsleutel"] == [("3", "DQ-2.dubbel"), ("4", "DQ-2.bereik"), ("5", "DQ-2.getal"),
                                         ("6", "DQ-2.verplicht")]
    assert rejects["banenafspraak_doelen"] == [("2", "DQ-2.dubbel"), ("3", "DQ-2.code"), ("4", "DQ-2.getal")]
    assert rejects["nulmeting_landelijk"] == [("2", "DQ-2.dubbel"), ("3", "DQ-2.code"), ("4", "DQ-2.negatieve_banen")]
    c = cells(out)
    # the first key of 2019 (0.5) is kept; only the markt target and nulmeting survive
    assert c[("verdeelsleutel", "toegepast", "aandeel_overheid")] == "0.5000"
    assert c[("banen", "markt", "doel")] == "1" and c[("banen", "overheid", "doel")] == ""
    assert [c[("banen", s, "nulmeting")] for s in ("markt", "overheid", "onbekend", "totaal")] == ["1.00", "0.00", "0.00", "1.00"]


def test_shipped_tables_validate_and_are_own_copies():
    from regiorapportage_pandas.io import DATA

    shared = Path(__file__).resolve().parents[2] / "shared" / "reference"
    for name in ("verdeelsleutel.csv", "banenafspraak_doelen.csv"):
        assert (DATA / name).is_file()
        if (shared / name).is_file():  # the copy is byte for byte (data/README.md)
            assert (DATA / name).read_bytes() == (shared / name).read_bytes()


# =========================================================================== output conventions


def test_file_layout_order_and_year_forms(tmp_path):
    folder = population(tmp_path / "in")
    out = reference.run(folder, tmp_path / "a", "2019")  # a 4-digit string is the annual run
    assert out == tmp_path / "a" / "2019"
    assert sorted(p.name for p in out.glob("*.csv")) == ["landelijke_monitor.csv"]
    assert (out / "rejects" / "polis_tijdvak.csv").exists() and (out / "rejects" / "verdeelsleutel.csv").exists()
    lines = (out / "landelijke_monitor.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "regio_code,regio_naam,tabel,rij,kolom,waarde"
    tables = list(dict.fromkeys(line.split(",")[2] for line in lines[1:]))
    assert tables == ["banen", "inleenverbanden", "verdeelsleutel", "reeks"]
    assert lines[1:7] == [f"NL01,Nederland,banen,markt,{k},{v}" for k, v in zip(
        reference.monitor.BANEN_KOLOMMEN, ["2.44", "1.76", "0.68", "40000", "-39999.32", "0"])]
    assert len(lines) == 1 + 4 * 6 + 3 + 2 + 7 * 10
    # the same bytes from an int year and from the CLI
    again = reference.run_monitor(folder, tmp_path / "b", 2019)
    assert (again / "landelijke_monitor.csv").read_bytes() == (out / "landelijke_monitor.csv").read_bytes()
    done = subprocess.run([sys.executable, "-m", "regiorapportage_pandas", "--input", str(folder), "--output",
                           str(tmp_path / "c"), "--jaar", "2019"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c" / "2019" / "landelijke_monitor.csv").read_bytes() == (out / "landelijke_monitor.csv").read_bytes()


def test_lm8_totals_hold_on_the_written_values(tmp_path):
    c = monitor(tmp_path)
    for kolom in ("banen", "nulmeting", "extra_banen"):
        parts = sum(Decimal(c[("banen", s, kolom)]) for s in ("markt", "overheid", "onbekend"))
        assert abs(parts - Decimal(c[("banen", "totaal", kolom)])) <= Decimal("0.015")


def test_period_forms():
    """``run`` takes a quarter or a year in every form the pipeline's callers use."""
    import regiorapportage.quarter as pq

    assert reference.parse_period("2019") == 2019 and reference.parse_period(2019) == 2019
    assert reference.parse_period(" 2019 ") == 2019
    assert reference.parse_period("2019Q2") == reference.Quarter(2019, 2)
    assert reference.parse_period(pq.Quarter(2019, 4)) == reference.Quarter(2019, 4)
    if hasattr(pq, "Jaar"):  # the pipeline's year type
        assert reference.parse_period(pq.Jaar(2019)) == 2019
    with pytest.raises(ValueError):
        reference.parse_period("2019Q5")
