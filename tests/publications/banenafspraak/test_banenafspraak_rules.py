"""Rules BA-1 … BA-7, TR-1 … TR-6, FS-1 … FS-5 and KP-1 … KP-2 on small hand-made inputs.

Every expected number was worked out by hand from SPEC.md; the comment by each assertion
says how. Quarter 2019Q2 unless stated: P = 2019-06-30, P-1q = 2019-03-31. One baan is
110.92 hours a month (BA-5), so a June wage return of 110.92 hours is exactly 1.00 baan.
Regions: Amsterdam GM0363 → AM18, Utrecht GM0344 → AM13, Rotterdam GM0599 → AM22,
Groningen GM0014 → AM01, Enschede GM0153 → AM05.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import (
    AMS,
    BA_PUBLICATIONS,
    RDAM,
    UTR,
    advice,
    employer,
    job,
    lives,
    period,
    person,
    profile,
    registration,
    run_ba_cells,
)
from regiorapportage.errors import UserError

GRON, ENS = "GM0014", "GM0153"
BAAN = "110.92"  # hours in a month = exactly one baan
EXTRACT_LATE = {"polis_ikv": "2020-12-31", "polis_tijdvak": "2020-12-31"}


class World:
    """A small population: persons, where they live, registrations, jobs and wage returns."""

    def __init__(self):
        self.src: dict[str, list] = {
            "personen": [], "brp_verblijf": [], "doelgroepregister": [], "polis_ikv": [], "polis_tijdvak": [],
            "werkgever_tijdvak": [], "klantprofielen": [], "adviezen": [],
        }
        self.employers: set[str] = set()

    def person(self, pid, gemeente=AMS, born="1980-01-01", died=None, grondslag="wajong", begin="2010-01-01",
               end=None, reden=None, register=True):
        self.src["personen"].append(person(pid, born, died))
        if gemeente:
            self.src["brp_verblijf"].append(lives(pid, gemeente))
        if register:
            self.register(pid, grondslag, begin, end, reden)
        return self

    def register(self, pid, grondslag, begin="2010-01-01", end=None, reden=None):
        n = len(self.src["doelgroepregister"]) + 1
        self.src["doelgroepregister"].append(registration(f"R{n:03d}", pid, grondslag, begin, end, reden))
        return self

    def work(self, pid, months=("2019-06",), uren=BAAN, werkgever="W1", kind="maand", begin=None, end=None):
        """A job with wage returns; ``months`` 'YYYY-MM' for monthly periods, or give
        ``begin``/``end`` for one period of another ``kind``."""
        ikv = f"I{pid}{len(self.src['polis_ikv'])}"
        self.src["polis_ikv"].append(job(ikv, pid, begin="2010-01-01", werkgever=werkgever))
        if begin:
            self.src["polis_tijdvak"].append(period(ikv, begin, end, "1000.00", kind=kind, uren=uren))
        else:
            for m in months:
                self.src["polis_tijdvak"].append(period(ikv, f"{m}-01", _month_end(m), "1000.00", uren=uren))
        if werkgever not in self.employers and werkgever.startswith("W"):
            self.employers.add(werkgever)
            self.src["werkgever_tijdvak"].append(employer(werkgever, "2010-01-01", "2010-01-31"))
            # one long market period per month would be long to write; a year per employer
            for year in range(2012, 2021):
                for month in range(1, 13):
                    m = f"{year}-{month:02d}"
                    self.src["werkgever_tijdvak"].append(employer(werkgever, f"{m}-01", _month_end(m)))
        return self

    def run(self, inputs_dir, tmp_path, quarter="2019Q2", **kwargs):
        return run_ba_cells(inputs_dir(**self.src), tmp_path / "uit", quarter, **kwargs)


def _month_end(m: str) -> str:
    import calendar

    y, mo = int(m[:4]), int(m[5:])
    return f"{m}-{calendar.monthrange(y, mo)[1]:02d}"


def doelgroep(c, region="NL01"):
    return c[(region, "doelgroep", "totaal", "personen")]


# ------------------------------------------------------------------ BA-2 validity on P


def test_BA_2_wsw_registered_in_march_counts_from_next_1_january(inputs_dir, tmp_path):
    w = World()
    w.person("P1", grondslag="wsw_begeleid_werk", begin="2019-03-15")  # after 1-1-2019
    w.person("P2", grondslag="wsw_detachering", begin="2018-03-15")  # covers 1-1-2019
    w.person("P3", grondslag="wiw_id", begin="2019-03-15")  # after 1-1-2019
    w.person("P4", grondslag="wsw_begeleid_werk", begin="2015-01-01", end="2019-02-28")  # covered 1-1-2019
    w.src["gemeenten"] = [
        {"jaar": y, "gemeente_code": AMS, "gemeente_naam": "Amsterdam", "arbeidsmarktregio_code": "AM18",
         "arbeidsmarktregio_naam": "Groot Amsterdam"} for y in (2019, 2020)
    ]
    c = w.run(inputs_dir, tmp_path)
    # 2019Q2: P2 and P4 cover 1 January 2019 (P4 ended since, still valid this year); P1, P3 do not
    assert doelgroep(c) == 2
    c2 = World.run(w, inputs_dir, tmp_path / "2020", "2020Q1", voorlopig=True)
    # 2020Q1: P1, P2, P3 cover 1 January 2020; P4 ended in 2019
    assert doelgroep(c2) == 3


def test_BA_2_quotumgroep_counts_only_from_2018_12_01(inputs_dir, tmp_path):
    w = World()
    w.person("Q1", grondslag="quotumgroep", begin="2018-01-01")  # before 2018-12-01
    w.person("Q2", grondslag="quotumgroep", begin="2019-01-10")  # after 2018-12-01
    w.work("Q1", months=("2018-09", "2018-12", "2019-03"))  # payroll from 2018Q3: the series starts there
    c = w.run(inputs_dir, tmp_path, "2019Q1")
    # 2018-09-30: quotumgroep does not count yet (FAQ 14) → 0
    assert c[("NL01", "reeks", "2018Q3", "doelgroep_personen")] == 0
    # 2018-12-31: Q1 counts (registered, and P ≥ 2018-12-01); Q2 not yet registered → 1
    assert c[("NL01", "reeks", "2018Q4", "doelgroep_personen")] == 1
    # 2019-03-31: both → 2
    assert doelgroep(c) == 2
    assert c[("NL01", "reeks", "2019Q1", "doelgroep_personen")] == 2


def test_BA_2_registration_period_is_closed_interval(inputs_dir, tmp_path):
    w = World()
    w.person("E1", end="2019-06-30")  # ends on P: covers P (T-2)
    w.person("E2", end="2019-06-29")  # ended the day before
    w.person("E3", begin="2019-06-30")  # starts on P
    w.person("E4", begin="2019-07-01")  # starts after P
    c = w.run(inputs_dir, tmp_path)
    assert doelgroep(c) == 2  # E1, E3


# ------------------------------------------------------------------ BA-3 doelgroep, warnings


def _warnings(c):
    return {(w.regel, w.melding.split(" (")[0]): w.aantal for w in c["_result"].warnings}


def test_BA_3_one_person_counts_once_and_stale_registrations_are_warned(inputs_dir, tmp_path):
    w = World()
    w.person("D1").register("D1", "indicatie_banenafspraak", "2016-01-01")  # two valid grondslagen: one person
    w.person("D2", died="2019-01-01")  # registration still open after death
    w.person("D3", born="1953-01-15")  # AOW age 66y4m reached 2019-05-15 < P
    w.person("D4", born="1953-08-31")  # AOW age reached 2019-12-31 > P: no warning
    w.person("D5")
    w.src["adviezen"].append(advice("A1", "D5", "2019-02-01"))  # positive beschut werk advice before P
    # the advices are read when the Rapportage beschut werk is part of the run (the default)
    c = w.run(inputs_dir, tmp_path, publications=["beschut_werk", *BA_PUBLICATIONS])
    # all five count as delivered (BA-3: the register's own end dates are used)
    assert doelgroep(c) == 5
    stale = {k[1]: v for k, v in _warnings(c).items() if k[0] == "BA-3"}
    assert list(stale.values()) == [1, 1, 1]
    assert any("overlijden" in k for k in stale) and any("AOW" in k for k in stale)
    assert any("beschut werk" in k for k in stale)


def test_BA_3_aow_age_table_with_short_target_month(inputs_dir, tmp_path):
    w = World()
    # born 1953-01-31: 66 years + 4 months → 2019-05-31 (last day of May, GLOSSARY decision) < P
    w.person("A1", born="1953-01-31")
    # born 1953-02-28 → 2019-06-28 < P: warned; born 1953-03-01 → 2019-07-01 > P: not
    w.person("A2", born="1953-02-28")
    w.person("A3", born="1953-03-01")
    c = w.run(inputs_dir, tmp_path)
    assert {k: v for k, v in _warnings(c).items() if k[0] == "BA-3"} == {
        ("BA-3", "registraties die op de peildatum nog geldig zijn terwijl de persoon de AOW-leeftijd al had bereikt"): 2
    }


# ------------------------------------------------------------------ BA-4 working


def test_BA_4_working_means_paid_hours_in_the_period_holding_P(inputs_dir, tmp_path):
    w = World()
    w.person("W1").work("W1", uren="0.00")  # wage return with 0 hours: not working
    w.person("W2").work("W2", uren="0.00").work("W2", uren="5.00")  # 0 + 5 hours: working
    w.person("W3").work("W3", months=("2019-05",))  # only May: not working on P
    w.person("W4", register=False).work("W4")  # works, but not in the doelgroep
    c = w.run(inputs_dir, tmp_path)
    assert doelgroep(c) == 3
    assert c[("NL01", "doelgroep", "totaal", "werkzame_personen")] == 1  # W2


# ------------------------------------------------------------------ T-4 / BA-5 banen


def test_BA_5_T_4_period_types_converted_to_monthly_hours(inputs_dir, tmp_path):
    w = World()
    # maand: 110.92 h → 110.92/110.92 = 1.00 baan (AM18)
    w.person("M", AMS).work("M")
    # vierweken 2019-06-10…07-07 holds P: 120 h × 13/12 = 130 h a month → 130/110.92 = 1.172… → 1.17 (AM13)
    w.person("V", UTR).work("V", kind="vierweken", begin="2019-06-10", end="2019-07-07", uren="120.00")
    # kwartaal Apr–Jun: 166.38 / 3 = 55.46 → 0.50 (AM22)
    w.person("K", RDAM).work("K", kind="kwartaal", begin="2019-04-01", end="2019-06-30", uren="166.38")
    # halfjaar Jan–Jun: 166.38 / 6 = 27.73 → 0.25 (AM01)
    w.person("H", GRON).work("H", kind="halfjaar", begin="2019-01-01", end="2019-06-30", uren="166.38")
    # jaar 2019: 665.52 / 12 = 55.46 → 0.50 (AM05)
    w.person("J", ENS).work("J", kind="jaar", begin="2019-01-01", end="2019-12-31", uren="665.52")
    c = w.run(inputs_dir, tmp_path)
    b = lambda region: c[(region, "banen", "totaal", "banen")]  # noqa: E731
    assert (b("AM18"), b("AM13"), b("AM22"), b("AM01"), b("AM05")) == (
        Decimal("1.00"), Decimal("1.17"), Decimal("0.50"), Decimal("0.25"), Decimal("0.50")
    )
    # Nederland: (110.92 + 130 + 55.46 + 27.73 + 55.46) / 110.92 = 379.57/110.92 = 3.42201…
    assert b("NL01") == Decimal("3.42")
    assert c[("NL01", "doelgroep", "totaal", "werkzame_personen")] == 5


def test_BA_5_every_income_relation_counts_and_rounding_is_half_up(inputs_dir, tmp_path):
    w = World()
    # two jobs of one person: 55.46 + 55.46 = 110.92 → 1.00 baan
    w.person("T").work("T", uren="55.46").work("T", uren="55.46", werkgever="W2")
    # 0.555 baan = 61.5606 h: written with two decimals, half up → 0.56 (not banker's 0.56/0.55)
    w.person("U", UTR).work("U", uren="61.5606")
    c = w.run(inputs_dir, tmp_path)
    assert c[("AM18", "banen", "totaal", "banen")] == Decimal("1.00")
    assert c[("AM13", "banen", "totaal", "banen")] == Decimal("0.56")
    assert c[("NL01", "banen", "totaal", "banen")] == Decimal("1.56")  # 172.4806/110.92 = 1.555…


# ------------------------------------------------------------------ BA-6 markt / overheid


def test_BA_6_sector_by_wfsv_and_ufo_share(inputs_dir, tmp_path):
    w = World()
    cases = {
        "G50": (63, "1000", "500"),  # exactly 50 % Ufo: markt
        "G5001": (63, "10000", "5001"),  # 50.01 %: overheid
        "G61": (61, "100", "60"),  # government sector 61, 60 %: overheid
        "G66": (66, "100", "100"),  # sector 66, 100 %: overheid
        "SW67": (67, "100", "100"),  # SW company (67) with Ufo: not 61–66 → markt
        "U52": (52, "100", "0"),  # agency: markt (no verdeelsleutel in regional figures, TR-7)
    }
    for i, (werkgever, (sector, totaal, ufo)) in enumerate(cases.items()):
        pid = f"S{i}"
        w.person(pid).work(pid, werkgever=werkgever)
        w.src["werkgever_tijdvak"].append(employer(werkgever, "2019-06-01", "2019-06-30", sector, totaal, ufo))
    w.person("S9").work("S9", werkgever="X-zonder-tijdvak")  # no employer period: onbekend
    c = w.run(inputs_dir, tmp_path)
    banen = {row: c[("AM18", "banen", row, "banen")] for row in ("markt", "overheid", "onbekend", "totaal")}
    assert banen == {"markt": Decimal("3.00"), "overheid": Decimal("3.00"), "onbekend": Decimal("1.00"),
                     "totaal": Decimal("7.00")}
    assert ("BA-6", "inkomstenverhoudingen van doelgroeppersonen bij een werkgever zonder werkgeverstijdvak op "
            "de peildatum; hun banen tellen als sector 'onbekend'") in _warnings(c)


# ------------------------------------------------------------------ BA-7 categories


def test_BA_7_every_precedence_case(inputs_dir, tmp_path):
    w = World()
    combos = {
        "A": ["wsw_detachering", "wajong"],  # 1. wsw_detachering → wsw_wiw
        "B": ["wsw_begeleid_werk", "wajong"],  # 2. before Wajong (decision) → wsw_wiw
        "C": ["wajong", "indicatie_banenafspraak"],  # 3. → wajong
        "D": ["indicatie_banenafspraak"],  # 4. → doelgroep_pw
        "E": ["verminderde_loonwaarde"],  # 4. → doelgroep_pw
        "F": ["quotumgroep"],  # 4. → doelgroep_pw
        "G": ["wiw_id"],  # 5. only wiw_id → wsw_wiw
        "H": ["wiw_id", "indicatie_banenafspraak"],  # 4 before 5 → doelgroep_pw
        "I": ["wiw_id", "wajong"],  # 3 before 5 → wajong
        "J": ["wsw_begeleid_werk", "wsw_detachering"],  # 1 → wsw_wiw
    }
    for pid, grondslagen in combos.items():
        w.person(pid, grondslag=grondslagen[0], begin="2018-01-01")
        for g in grondslagen[1:]:
            w.register(pid, g, "2018-01-01")
    w.work("C")  # one working person, in wajong
    c = w.run(inputs_dir, tmp_path)
    cat = {row: c[("NL01", "categorie", row, "personen")] for row in ("wsw_wiw", "wajong", "doelgroep_pw", "totaal")}
    assert cat == {"wsw_wiw": 4, "wajong": 2, "doelgroep_pw": 4, "totaal": 10}  # A B G J | C I | D E F H
    assert c[("NL01", "categorie", "wajong", "werkzaam")] == 1


def test_BA_7_precedence_table_is_data(inputs_dir, tmp_path):
    w = World()
    w.person("B", grondslag="wsw_begeleid_werk", begin="2018-01-01").register("B", "wajong", "2018-01-01")
    table = tmp_path / "voorrang.csv"
    table.write_text(
        "rang,grondslag,categorie\n1,wsw_detachering,wsw_wiw\n2,wajong,wajong\n3,wsw_begeleid_werk,wsw_wiw\n"
        "4,indicatie_banenafspraak,doelgroep_pw\n4,verminderde_loonwaarde,doelgroep_pw\n4,quotumgroep,doelgroep_pw\n"
        "5,wiw_id,wsw_wiw\n"
    )
    c = w.run(inputs_dir, tmp_path, precedence=table)
    # with Wajong ranked before Wsw begeleid werk the same person is in Wajong
    assert c[("NL01", "categorie", "wajong", "personen")] == 1
    assert c[("NL01", "categorie", "wsw_wiw", "personen")] == 0


def test_BA_7_precedence_table_must_name_every_grondslag_once(inputs_dir, tmp_path):
    w = World().person("B")
    table = tmp_path / "voorrang.csv"
    table.write_text("rang,grondslag,categorie\n1,wajong,wajong\n")
    with pytest.raises(UserError, match="ontbreekt: wsw_begeleid_werk"):
        w.run(inputs_dir, tmp_path, precedence=table)


# ------------------------------------------------------------------ FS-2 … FS-4 flows


def test_FS_2_FS_3_flows_with_a_person_moving_region(inputs_dir, tmp_path):
    w = World()
    # M1 moves Amsterdam → Utrecht on 2019-05-01, works in March and June
    w.person("M1", gemeente=None).work("M1", months=("2019-03", "2019-06"))
    w.src["brp_verblijf"] += [lives("M1", AMS, "2000-01-01", "2019-04-30"), lives("M1", UTR, "2019-05-01")]
    # M2 moves too, works only in June
    w.person("M2", gemeente=None).work("M2", months=("2019-06",))
    w.src["brp_verblijf"] += [lives("M2", AMS, "2000-01-01", "2019-04-30"), lives("M2", UTR, "2019-05-01")]
    w.person("S1").work("S1", months=("2019-06",))  # stays in Amsterdam, starts working
    w.person("S2").work("S2", months=("2019-03",))  # stays, stops working
    w.person("N1", begin="2019-05-01").work("N1", months=("2019-06",))  # inflow, working
    w.person("N2", grondslag="verminderde_loonwaarde", begin="2019-05-01")  # inflow via Praktijkroute, not working
    w.person("O1", end="2019-05-31", reden="aow").work("O1", months=("2019-03",))  # outflow, worked in March
    c = w.run(inputs_dir, tmp_path)
    s = lambda region, row: c[(region, "stromen", row, "personen")]  # noqa: E731
    # Amsterdam: werkzaam on 31-3: M1, S2, O1 = 3; + instromer N1 − uitstromer O1 + begonnen S1
    # − gestopt S2 − verhuisd uit M1 (M2 did not work on 31-3) = 2 (S1, N1)
    assert [s("AM18", r) for r in (
        "werkzaam_vorige_peildatum", "werkzame_instromers", "niet_werkzame_instromers", "werkzame_uitstromers",
        "niet_werkzame_uitstromers", "begonnen_met_werk", "gestopt_met_werk", "verhuisd_in_werkzaam",
        "verhuisd_uit_werkzaam", "werkzaam")] == [3, 1, 1, 1, 0, 1, 1, 0, 1, 2]
    # Utrecht: nobody on 31-3; M1 and M2 moved in and work on 30-6 → 2
    assert s("AM13", "werkzaam_vorige_peildatum") == 0
    assert s("AM13", "verhuisd_in_werkzaam") == 2
    assert s("AM13", "begonnen_met_werk") == 0  # M2 started working, but counts as a mover
    assert s("AM13", "werkzaam") == 2
    # Nederland = sum of the regions: 3 + 1 − 1 + 1 − 1 + 2 − 1 = 4
    assert [s("NL01", r) for r in ("werkzaam_vorige_peildatum", "verhuisd_in_werkzaam", "verhuisd_uit_werkzaam",
                                   "werkzaam")] == [3, 2, 1, 4]
    # FS-4: N1 is Wajong and works; N2's earliest valid registration is verminderde_loonwaarde
    assert c[("AM18", "instroom_naar_grondslag", "wajong", "werkzaam")] == 1
    assert c[("AM18", "instroom_naar_grondslag", "praktijkroute", "niet_werkzaam")] == 1
    assert c[("AM18", "instroom_naar_grondslag", "doelgroep_pw", "niet_werkzaam")] == 0
    assert c[("AM18", "uitstroom_naar_reden", "aow", "werkzaam")] == 1
    # FS-1 at P: Amsterdam S1, S2, N1, N2 (M1, M2 live in Utrecht; O1 left)
    assert c[("AM18", "categorie", "totaal", "personen")] == 4
    assert c[("AM18", "categorie", "totaal", "werkzaam")] == 2


def test_FS_4_praktijkroute_only_when_earliest_registration(inputs_dir, tmp_path):
    w = World()
    # earliest valid registration is indicatie (2019-04-01), verminderde_loonwaarde later → doelgroep_pw
    w.person("P1", grondslag="indicatie_banenafspraak", begin="2019-04-01").register(
        "P1", "verminderde_loonwaarde", "2019-05-01")
    # earliest is verminderde_loonwaarde → praktijkroute (although the category is doelgroep_pw)
    w.person("P2", grondslag="verminderde_loonwaarde", begin="2019-04-01").register(
        "P2", "indicatie_banenafspraak", "2019-05-01")
    c = w.run(inputs_dir, tmp_path)
    assert c[("NL01", "instroom_naar_grondslag", "doelgroep_pw", "niet_werkzaam")] == 1
    assert c[("NL01", "instroom_naar_grondslag", "praktijkroute", "niet_werkzaam")] == 1
    assert c[("NL01", "instroom_naar_grondslag", "totaal", "niet_werkzaam")] == 2
    assert c[("NL01", "categorie", "doelgroep_pw", "personen")] == 2


def test_FS_5_outflow_by_each_reason(inputs_dir, tmp_path):
    w = World()
    reasons = {
        "U1": "aow", "U2": "overlijden", "U3": "duurzaam_geen_arbeidsvermogen", "U4": "beschut_werk",
        "U5": "uitschrijving_verzoek", "U6": "bezwaar", "U7": None, "U8": "overig",
    }
    for pid, reden in reasons.items():
        w.person(pid, end="2019-04-15", reden=reden)
    # two registrations: the one that ended last (2019-05-20, aow) decides
    w.person("U9", end="2019-04-10", reden="bezwaar").register("U9", "indicatie_banenafspraak", "2016-01-01",
                                                               "2019-05-20", "aow")
    w.work("U1", months=("2019-03",))  # U1 worked on P-1q
    c = w.run(inputs_dir, tmp_path)
    out = {r: (c[("NL01", "uitstroom_naar_reden", r, "werkzaam")], c[("NL01", "uitstroom_naar_reden", r, "niet_werkzaam")])
           for r in ("aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "overig", "totaal")}
    assert out == {
        "aow": (1, 1),  # U1 (worked), U9
        "overlijden": (0, 1),
        "duurzaam_geen_arbeidsvermogen": (0, 1),
        "beschut_werk": (0, 1),
        "overig": (0, 4),  # uitschrijving_verzoek, bezwaar, empty, overig
        "totaal": (1, 8),
    }
    assert c[("NL01", "stromen", "werkzame_uitstromers", "personen")] == 1
    assert c[("NL01", "stromen", "niet_werkzame_uitstromers", "personen")] == 8


# ------------------------------------------------------------------ TR nulmeting, extra banen, indicatie, series


def test_TR_3_nulmeting_computed_at_2012_12_31_in_the_region_of_that_day(inputs_dir, tmp_path):
    w = World()
    # lived in Utrecht until 2015, then Amsterdam; 1 baan in Dec 2012, 2 banen in June 2019
    w.person("N", gemeente=None).work("N", months=("2012-12",)).work("N", uren="221.84", werkgever="W2")
    w.src["brp_verblijf"] += [lives("N", UTR, "2000-01-01", "2014-12-31"), lives("N", AMS, "2015-01-01")]
    w.src["werkkamer_indicatie"] = [
        {"arbeidsmarktregio_code": "AM18", "jaar": 2019, "extra_banen": "4"},
        {"arbeidsmarktregio_code": "AM13", "jaar": 2019, "extra_banen": "3"},
        {"arbeidsmarktregio_code": "AM18", "jaar": 2018, "extra_banen": "99"},  # other year: not used
    ]
    c = w.run(inputs_dir, tmp_path)
    t = lambda region, col: c[(region, "banen", "totaal", col)]  # noqa: E731
    # Amsterdam: 2 banen now, nothing at the nulmeting → extra 2; Utrecht: 0 now, 1 then → extra −1
    assert (t("AM18", "banen"), t("AM18", "nulmeting"), t("AM18", "extra_banen")) == (
        Decimal("2.00"), Decimal("0.00"), Decimal("2.00"))
    assert (t("AM13", "banen"), t("AM13", "nulmeting"), t("AM13", "extra_banen")) == (
        Decimal("0.00"), Decimal("1.00"), Decimal("-1.00"))
    assert t("NL01", "extra_banen") == Decimal("1.00")
    # TR-5: 100 × 2/4 = 50; 100 × −1/3 = −33.3 → −33; Nederland 100 × 1/7 = 14.29 → 14
    ind = lambda region, col: c[(region, "indicatie_werkkamer", "totaal", col)]  # noqa: E731
    assert (ind("AM18", "indicatie"), ind("AM18", "percentage_indicatie")) == (Decimal("4.00"), 50)
    assert ind("AM13", "percentage_indicatie") == -33
    assert (ind("NL01", "indicatie"), ind("NL01", "percentage_indicatie")) == (Decimal("7.00"), 14)
    assert ind("AM01", "indicatie") is None and ind("AM01", "percentage_indicatie") is None
    # TR-6: the series runs from the nulmeting quarter to P: 2012Q4 … 2019Q2 = 27 quarters
    quarters = sorted({k[2] for k in c if k != "_result" and k[0] == "NL01" and k[1] == "reeks"})
    assert quarters[0] == "2012Q4" and quarters[-1] == "2019Q2" and len(quarters) == 27
    assert c[("AM13", "reeks", "2012Q4", "banen")] == Decimal("1.00")
    assert c[("AM18", "reeks", "2019Q2", "extra_banen")] == Decimal("2.00")
    assert c["_result"].output_dir.joinpath("manifest.json").read_text().count('"TR-3"') == 0


def test_TR_3_nulmeting_from_input_and_TR_4_extra_banen(inputs_dir, tmp_path):
    w = World()
    w.person("X").work("X", months=("2019-06",))  # 1 baan markt in Amsterdam
    w.src["nulmeting"] = [
        {"arbeidsmarktregio_code": "AM18", "sector": "markt", "banen": "0.25"},
        {"arbeidsmarktregio_code": "AM18", "sector": "overheid", "banen": "0.50"},
        {"arbeidsmarktregio_code": "AM13", "sector": "markt", "banen": "2"},
    ]
    c = w.run(inputs_dir, tmp_path)
    row = lambda region, sector: tuple(c[(region, "banen", sector, k)] for k in ("banen", "nulmeting", "extra_banen"))  # noqa: E731
    assert row("AM18", "markt") == (Decimal("1.00"), Decimal("0.25"), Decimal("0.75"))
    assert row("AM18", "overheid") == (Decimal("0.00"), Decimal("0.50"), Decimal("-0.50"))
    assert row("AM18", "totaal") == (Decimal("1.00"), Decimal("0.75"), Decimal("0.25"))
    assert row("NL01", "totaal") == (Decimal("1.00"), Decimal("2.75"), Decimal("-1.75"))
    # no werkkamer_indicatie input: indicatie empty, with a TR-5 warning
    assert c[("AM18", "indicatie_werkkamer", "totaal", "indicatie")] is None
    assert any(w_.regel == "TR-5" for w_ in c["_result"].warnings)


def test_TR_3_without_nulmeting_cells_stay_empty_with_a_warning(inputs_dir, tmp_path):
    w = World()
    w.person("X").work("X", months=("2019-06",))  # payroll starts in 2019: no 2012-12-31
    c = w.run(inputs_dir, tmp_path)
    assert c[("AM18", "banen", "totaal", "banen")] == Decimal("1.00")
    assert c[("AM18", "banen", "totaal", "nulmeting")] is None
    assert c[("AM18", "banen", "totaal", "extra_banen")] is None
    assert any(w_.regel == "TR-3" for w_ in c["_result"].warnings)


def test_TR_6_series_holds_the_same_quarter_one_year_earlier(inputs_dir, tmp_path):
    w = World()
    w.person("Y").work("Y", months=("2018-06", "2019-06"), uren="55.46")
    w.person("Z", begin="2019-01-01").work("Z", months=("2019-06",))
    c = w.run(inputs_dir, tmp_path)
    # 2018-06-30: Y only, 0.5 baan; 2019-06-30: Y and Z, 1.5 banen
    assert c[("NL01", "reeks", "2018Q2", "doelgroep_personen")] == 1
    assert c[("NL01", "reeks", "2018Q2", "banen")] == Decimal("0.50")
    assert c[("NL01", "reeks", "2019Q2", "banen")] == Decimal("1.50")
    assert c[("NL01", "reeks", "2018Q3", "werkzame_personen")] == 0


# ------------------------------------------------------------------ KP


def test_KP_1_KP_2_visible_and_invisible_profiles(inputs_dir, tmp_path):
    w = World()
    for pid in ("K1", "K2", "K3", "K4", "K5"):
        w.person(pid)
    w.work("K4")  # K4 works: not in "doelgroep zonder werk"
    w.src["klantprofielen"] = [
        profile("K1", zichtbaar="true", cv="true", beroep="false"),  # visible, covers P
        profile("K2", zichtbaar="false", cv="true"),  # invisible
        profile("K3", end="2019-05-31"),  # visible but ended before P
        profile("K4"),  # visible, but K4 works
    ]
    c = w.run(inputs_dir, tmp_path)
    kp = {k: c[("NL01", "klantprofielen", "totaal", k)] for k in ("doelgroep_zonder_werk", "met_zichtbaar_profiel", "percentage")}
    assert kp == {"doelgroep_zonder_werk": 4, "met_zichtbaar_profiel": 1, "percentage": 25}  # K1 of K1 K2 K3 K5
    # among the one visible profile: cv yes, beroep no, werkervaring unknown (counts as not present)
    assert [c[("NL01", "volledigheid", f, "percentage")] for f in ("heeft_cv", "heeft_beroep", "heeft_werkervaring")] == [100, 0, 0]


def test_TR_3_payroll_must_hold_2012_12_31_itself(inputs_dir, tmp_path):
    w = World()
    # payroll begins before the nulmeting date, but no period holds 2012-12-31 (December missing)
    w.person("G").work("G", months=("2012-11", "2013-01", "2019-06"))
    c = w.run(inputs_dir, tmp_path)
    assert c[("NL01", "banen", "totaal", "nulmeting")] is None
    assert any(w_.regel == "TR-3" for w_ in c["_result"].warnings)
    # the series still starts with the first quarter the payroll reaches
    assert c[("NL01", "reeks", "2012Q4", "doelgroep_personen")] == 1
