"""Landelijke monitor banenafspraak (SPEC section 8): LM-1 … LM-8 on small hand-made inputs,
every expected number worked out by hand in the comments.

One baan is 110.92 hours a month (BA-5). Unless a test says otherwise, the nulmeting is
delivered (``nulmeting_landelijk``) so that the payroll need not reach back to 2012, and
the keys and targets are the packaged ones (2019: key of 2016, 0.278; targets 40,000 markt
and 15,000 overheid).
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from conftest import AMS, employer, job, lives, period, person, registration, run_ba_cells, write_inputs
from regiorapportage.errors import ConsistencyError, RefusedError, UserError
from regiorapportage.pipeline import run

BAAN = Decimal("110.92")
LATE = {"polis_ikv": "2020-12-31", "polis_tijdvak": "2020-12-31"}
NUL = [{"sector": "markt", "banen": "0"}, {"sector": "overheid", "banen": "0"}]


class Monitor:
    """A small national population for the monitor of ``year``."""

    def __init__(self, year: int = 2019):
        self.year = year
        self.src: dict[str, list] = {k: [] for k in (
            "personen", "brp_verblijf", "doelgroepregister", "polis_ikv", "polis_tijdvak", "werkgever_tijdvak")}
        self.src["nulmeting_landelijk"] = list(NUL)
        self.jobs = 0

    def person(self, pid, grondslag="wajong", begin="2010-01-01", end=None):
        self.src["personen"].append(person(pid, "1980-01-01"))
        self.src["brp_verblijf"].append(lives(pid, AMS))
        self.src["doelgroepregister"].append(
            registration(f"R{len(self.src['doelgroepregister']) + 1:03d}", pid, grondslag, begin, end))
        return self

    def employer(self, werkgever, sector=1, ufo="0", years=None):
        """December records (sector, Ufo share of 1,000 hours) in each of ``years``."""
        for y in years or [self.year]:
            self.src["werkgever_tijdvak"].append(employer(werkgever, f"{y}-12-01", f"{y}-12-31", sector, "1000", ufo))
        return self

    def work(self, pid, werkgever, uren=BAAN, inleen=None, years=None, kind="maand", begin=None, end=None):
        """A job with ``uren`` paid in December of each of ``years`` (or one period)."""
        self.jobs += 1
        ikv = f"I{self.jobs:03d}"
        self.src["polis_ikv"].append({**job(ikv, pid, "2010-01-01", werkgever=werkgever), "inleenverband": inleen})
        if begin:
            self.src["polis_tijdvak"].append(period(ikv, begin, end, "1000.00", kind=kind, uren=str(uren)))
        for y in years or ([] if begin else [self.year]):
            self.src["polis_tijdvak"].append(period(ikv, f"{y}-12-01", f"{y}-12-31", "1000.00", uren=str(uren)))
        return self

    def folder(self, tmp_path, extract=None, **extra):
        src = {**self.src, **extra}
        src = {k: v for k, v in src.items() if v is not None}
        return write_inputs(tmp_path / "in", extract or LATE, **src)

    def run(self, tmp_path, extract=None, **extra):
        kwargs = {k: extra.pop(k) for k in ("voorlopig", "level", "publications") if k in extra}
        folder = self.folder(tmp_path, extract, **extra)
        result = run(folder, tmp_path / "uit", str(self.year), render=False, **kwargs)
        return cells(result.output_dir / "landelijke_monitor.csv"), result


def cells(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            assert r["regio_code"] == "NL01"  # LM-1: national only
            v = r["waarde"]
            out[(r["tabel"], r["rij"], r["kolom"])] = None if v == "" else (Decimal(v) if "." in v else int(v))
    return out


def banen(c, sector, kolom="banen"):
    return c[("banen", sector, kolom)]


# ------------------------------------------------------------------ LM-1 national only


def test_LM_1_monitor_is_national_only_and_refused_per_region_or_gemeente(tmp_path):
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    folder = m.folder(tmp_path)
    for level in ("arbeidsmarktregio", "gemeente"):
        with pytest.raises(RefusedError, match="LM-1") as e:
            run(folder, tmp_path / "uit", "2019", level=level, render=False)
        assert "verdeelsleutel" in str(e.value) and "landelijk" in str(e.value)
    assert not (tmp_path / "uit" / "2019").exists()
    c, result = m.run(tmp_path)
    assert {k[0] for k in c} == {"banen", "inleenverbanden", "verdeelsleutel", "reeks"}
    assert result.output_dir.name == "2019"


def test_LM_1_annual_run_offers_only_annual_publications(tmp_path):
    folder = Monitor().person("P1").folder(tmp_path)
    with pytest.raises(UserError, match="onbekende publicatie 'beschut_werk'; kies uit: landelijke_monitor"):
        run(folder, tmp_path / "uit", "2019", publications=["beschut_werk"], render=False)
    with pytest.raises(UserError, match="onbekende publicatie 'landelijke_monitor'"):
        run(folder, tmp_path / "uit", "2019Q4", publications=["landelijke_monitor"], render=False)


# ------------------------------------------------------------------ LM-2 actuality and validity


def test_LM_2_wsw_registration_from_march_counts_in_monitor_not_in_quarterly_Q4(tmp_path):
    # Wsw begeleid werk from 2019-03-01, one baan in December 2019 at a market employer.
    # Monitor (LM-2: the period covers 31-12-2019, no 1-January exception): markt 1 baan.
    # Trendrapportage 2019Q4 (BA-2: Wsw counts when it covers 1-1-2019): not in the doelgroep.
    m = Monitor().person("P1", "wsw_begeleid_werk", begin="2019-03-01").employer("W1").work("P1", "W1")
    c, _ = m.run(tmp_path)
    assert banen(c, "markt") == Decimal("1.00") and banen(c, "totaal") == Decimal("1.00")
    q = run_ba_cells(m.folder(tmp_path / "q"), tmp_path / "q" / "uit", "2019Q4", publications=["banenafspraak_trend"])
    assert q[("NL01", "doelgroep", "totaal", "personen")] == 0
    assert q[("NL01", "banen", "totaal", "banen")] == Decimal("0.00")


def test_LM_2_quotumgroep_counts_only_from_2018_12_01(tmp_path):
    # quotumgroep from 2017-01-01, one baan every December 2017–2019 (market employer):
    # reeks 2017 (P 2017-12-31 < 2018-12-01) 0 banen; 2018 and 2019: 1 baan.
    m = (Monitor().person("P1", "quotumgroep", begin="2017-01-01")
         .employer("W1", years=[2017, 2018, 2019]).work("P1", "W1", years=[2017, 2018, 2019]))
    c, _ = m.run(tmp_path)
    assert c[("reeks", "2017", "markt_banen")] == Decimal("0.00")
    assert c[("reeks", "2018", "markt_banen")] == Decimal("1.00")
    assert c[("reeks", "2019", "markt_banen")] == Decimal("1.00")


def test_LM_2_payroll_extract_six_months_after_P_or_voorlopig(tmp_path):
    # P = 2019-12-31: reliable from 2020-06-30. An extract of 2020-03-31 (enough for 2019Q4)
    # is refused for the monitor; with the override the monitor is made, marked voorlopig.
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    early = {"polis_ikv": "2020-03-31", "polis_tijdvak": "2020-03-31"}
    with pytest.raises(RefusedError, match=r"2020-06-30 \(peildatum \+ 6 maanden, LM-2, T-5\)"):
        m.run(tmp_path, extract=early)
    assert not (tmp_path / "uit" / "2019").exists()
    _, result = m.run(tmp_path, extract=early, voorlopig=True)
    with open(result.output_dir / "landelijke_monitor.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["status"] for r in rows} == {"voorlopig"}
    assert any(w.regel == "T-5" and "zes maanden" in w.melding for w in result.warnings)


def test_LM_2_BA_3_registrations_valid_after_death_are_warned_with_the_monitors_validity(tmp_path):
    # P1 died 2019-06-01 but the registration is open: valid on 31-12-2019 (counts as
    # delivered), one BA-3 warning. P2's Wsw registration from 2019-03-01 belongs to a person
    # who died 2019-05-01: valid on P under LM-2 (not under BA-2's 1-January rule) → warned too.
    m = Monitor().person("P1").person("P2", "wsw_begeleid_werk", begin="2019-03-01")
    m.src["personen"] = [person("P1", "1980-01-01", "2019-06-01"), person("P2", "1980-01-01", "2019-05-01")]
    _, result = m.run(tmp_path)
    (dood,) = [w for w in result.warnings if w.regel == "BA-3" and "overlijden" in w.melding]
    assert dood.aantal == 2


# ------------------------------------------------------------------ LM-3 the key


def test_LM_3_inleenverband_hours_divided_with_the_key_whatever_the_employer(tmp_path):
    # Key 2019: 0.25 (delivered; also 2012 so that every year of the series has one).
    #   P1 uitzend at a government employer G (sector 62, Ufo on 60 %):  1 baan
    #   P2 uitzend at a market employer M (sector 52):                    1 baan
    #   P3 uitzend at an employer X without werkgever_tijdvak:            1 baan
    #   P4 wsw_detachering at an SW company S (sector 67):                4 banen
    #   P5 no inleenverband at G: overheid 1; P6 none (empty) at X: onbekend 1
    # inleen: 7 banen → overheid 0.25 × 7 = 1.75, markt 5.25
    # banen: markt 5.25, overheid 1.75 + 1 = 2.75, onbekend 1, totaal 9
    m = Monitor()
    for p in ("P1", "P2", "P3", "P4", "P5", "P6"):
        m.person(p)
    m.employer("G", 62, ufo="600").employer("M", 52).employer("S", 67)
    m.work("P1", "G", inleen="uitzend").work("P2", "M", inleen="uitzend").work("P3", "X", inleen="uitzend")
    m.work("P4", "S", uren=4 * BAAN, inleen="wsw_detachering").work("P5", "G", inleen="geen").work("P6", "X")
    keys = [{"jaar": 2012, "aandeel_overheid": "0.2"}, {"jaar": 2019, "aandeel_overheid": "0.25"}]
    c, result = m.run(tmp_path, verdeelsleutel=keys)
    assert c[("inleenverbanden", "overheid", "banen")] == Decimal("1.75")
    assert c[("inleenverbanden", "markt", "banen")] == Decimal("5.25")
    assert c[("inleenverbanden", "totaal", "banen")] == Decimal("7.00")
    assert [banen(c, s) for s in ("markt", "overheid", "onbekend", "totaal")] == [
        Decimal("5.25"), Decimal("2.75"), Decimal("1.00"), Decimal("9.00")]
    assert c[("verdeelsleutel", "toegepast", "jaar")] == 2019
    assert c[("verdeelsleutel", "toegepast", "aandeel_overheid")] == Decimal("0.2500")
    assert not [w for w in result.warnings if w.regel == "LM-4" and "voor 2019" in w.melding]  # the year's own key
    (onbekend,) = [w for w in result.warnings if w.regel == "BA-6"]
    assert onbekend.aantal == 1  # P6's relation; P3's (uitzend at X) is divided by the key


def test_LM_3_aandeel_written_with_four_decimals(tmp_path):
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    _, result = m.run(tmp_path)
    text = (result.output_dir / "landelijke_monitor.csv").read_text(encoding="utf-8")
    assert "NL01,Nederland,verdeelsleutel,toegepast,aandeel_overheid,0.2780\n" in text
    assert "NL01,Nederland,verdeelsleutel,toegepast,jaar,2016\n" in text  # packaged keys: 2012, 2016, 2020


# ------------------------------------------------------------------ LM-4 the key of a year


def test_LM_4_key_of_the_latest_earlier_year_with_a_warning_naming_it(tmp_path):
    # keys 2012 0.2, 2016 0.3, 2020 0.5: 2019 uses 2016's. One uitzend baan:
    # overheid 0.30, markt 0.70; reeks 2015 uses 2012's (0.2).
    m = Monitor().person("P1").employer("W1", years=[2015, 2019]).work("P1", "W1", inleen="uitzend", years=[2015, 2019])
    keys = [{"jaar": 2012, "aandeel_overheid": "0.2"}, {"jaar": 2016, "aandeel_overheid": "0.3"},
            {"jaar": 2020, "aandeel_overheid": "0.5"}]
    c, result = m.run(tmp_path, verdeelsleutel=keys)
    assert c[("verdeelsleutel", "toegepast", "jaar")] == 2016
    assert banen(c, "overheid") == Decimal("0.30") and banen(c, "markt") == Decimal("0.70")
    assert c[("reeks", "2015", "overheid_banen")] == Decimal("0.20")
    (warning,) = [w for w in result.warnings if w.regel == "LM-4" and not w.melding.startswith("reeks")]
    assert "geen verdeelsleutel voor 2019; die van 2016" in warning.melding


def test_LM_4_a_year_before_any_key_is_refused_and_nothing_written(tmp_path):
    # Keys only from 2016: the monitor of 2015 has no key at or before its year: refused.
    m15 = Monitor(2015).person("P1").employer("W1").work("P1", "W1")
    keys = [{"jaar": 2016, "aandeel_overheid": "0.3"}]
    with pytest.raises(RefusedError, match="geen verdeelsleutel voor 2015 of een eerder jaar.*LM-4.*eerste verdeelsleutel is van 2016"):
        m15.run(tmp_path, verdeelsleutel=keys)
    assert not (tmp_path / "uit" / "2015").exists()


def test_LM_4_series_years_before_the_first_key_keep_their_totals_only(tmp_path):
    # Keys only 2019 (0.5): the monitor of 2019 is made (LM-4 for Y holds); 2013 … 2018 have
    # no key at or before them, so their markt and overheid cannot be divided: empty, with a
    # warning; their totals are there. One uitzend baan every December 2016–2019.
    years = [2016, 2017, 2018, 2019]
    m = Monitor().person("P1").employer("W1", years=years).work("P1", "W1", inleen="uitzend", years=years)
    c, result = m.run(tmp_path, verdeelsleutel=[{"jaar": 2019, "aandeel_overheid": "0.5"}])
    assert banen(c, "overheid") == Decimal("0.50") and banen(c, "markt") == Decimal("0.50")
    for kolom in ("markt_banen", "markt_extra_banen", "markt_doel_gehaald", "overheid_banen", "overheid_doel_gehaald"):
        assert c[("reeks", "2017", kolom)] is None
    assert c[("reeks", "2017", "markt_doel")] == 23000  # the target is known
    assert c[("reeks", "2017", "totaal_banen")] == Decimal("1.00")
    assert c[("reeks", "2019", "overheid_banen")] == Decimal("0.50")
    warning = [w for w in result.warnings if w.regel == "LM-4" and "2013 t/m 2018" in w.melding]
    assert warning and warning[0].aantal == 6


def test_LM_4_every_series_year_that_borrows_a_key_is_named(tmp_path):
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    _, result = m.run(tmp_path)  # packaged keys 2012, 2016, 2020
    (reeks,) = [w for w in result.warnings if w.regel == "LM-4" and w.melding.startswith("reeks")]
    assert "2013: 2012; 2014: 2012; 2015: 2012; 2017: 2016; 2018: 2016" in reeks.melding


def test_LM_7_the_monitor_of_2012_has_an_empty_series(tmp_path):
    # Y = 2012 (the year of the nulmeting, before the banenafspraak): banen on 2012-12-31,
    # no year 2013 … Y in the series, no target. Key of 2012 (0.24) on one uitzend baan.
    m = Monitor(2012).person("P1").employer("W1", years=[2012]).work("P1", "W1", inleen="uitzend", years=[2012])
    m.src["nulmeting_landelijk"] = None  # computed: the same day, so extra banen 0
    c, _ = m.run(tmp_path, extract={"polis_ikv": "2013-07-01", "polis_tijdvak": "2013-07-01"})
    assert not [k for k in c if k[0] == "reeks"]
    assert banen(c, "overheid") == Decimal("0.24") and banen(c, "totaal", "extra_banen") == Decimal("0.00")
    assert banen(c, "totaal", "doel") is None


# ------------------------------------------------------------------ LM-5 nulmeting


def test_LM_5_nulmeting_computed_at_2012_12_31_with_the_key_of_2012(tmp_path):
    # No nulmeting_landelijk. Keys 2012 0.2, 2016 0.3.
    # P1 uitzend: 1 baan in December 2012, 2 in December 2019.
    #   nulmeting: overheid 0.2, markt 0.8, totaal 1;  2019: overheid 0.6, markt 1.4
    #   extra: markt 0.6, overheid 0.4, totaal 1
    # P2 at a government employer (no key): 1 baan in 2012 only → nulmeting overheid +1,
    #   extra overheid −1 … so overheid: nulmeting 1.2, banen 0.6, extra −0.6.
    m = Monitor()
    m.src["nulmeting_landelijk"] = None
    m.person("P1").person("P2").employer("W1", years=[2012, 2019]).employer("G", 63, "900", years=[2012])
    m.work("P1", "W1", inleen="uitzend", years=[2012]).work("P1", "W1", uren=2 * BAAN, inleen="uitzend", years=[2019])
    m.work("P2", "G", years=[2012])
    keys = [{"jaar": 2012, "aandeel_overheid": "0.2"}, {"jaar": 2016, "aandeel_overheid": "0.3"}]
    c, result = m.run(tmp_path, verdeelsleutel=keys)
    assert [banen(c, s, "nulmeting") for s in ("markt", "overheid", "onbekend", "totaal")] == [
        Decimal("0.80"), Decimal("1.20"), Decimal("0.00"), Decimal("2.00")]
    assert [banen(c, s, "extra_banen") for s in ("markt", "overheid", "totaal")] == [
        Decimal("0.60"), Decimal("-0.60"), Decimal("0.00")]
    assert result.inputs.sources.get("nulmeting_landelijk") is None


def test_LM_5_nulmeting_delivered_per_sector(tmp_path):
    # nulmeting_landelijk markt 10.5, overheid 2.25 (no onbekend row → 0): totaal 12.75.
    m = Monitor().person("P1").employer("W1").work("P1", "W1", uren=20 * BAAN)
    nul = [{"sector": "markt", "banen": "10.5"}, {"sector": "overheid", "banen": "2.25"}]
    c, _ = m.run(tmp_path, nulmeting_landelijk=nul)
    assert [banen(c, s, "nulmeting") for s in ("markt", "overheid", "onbekend", "totaal")] == [
        Decimal("10.50"), Decimal("2.25"), Decimal("0.00"), Decimal("12.75")]
    assert banen(c, "markt", "extra_banen") == Decimal("9.50")  # 20 − 10.5
    assert banen(c, "totaal", "extra_banen") == Decimal("7.25")  # 20 − 12.75


def test_LM_5_without_nulmeting_and_without_payroll_on_2012_12_31_refused(tmp_path):
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    m.src["nulmeting_landelijk"] = None
    with pytest.raises(RefusedError, match="LM-5"):
        m.run(tmp_path)
    assert not (tmp_path / "uit" / "2019").exists()


# ------------------------------------------------------------------ LM-6 target


def test_LM_6_sector_exactly_at_target_is_met_and_one_job_short_is_not(tmp_path):
    # Targets 2019: markt 3, overheid 2 (delivered); nulmeting 0.
    # markt: exactly 3 banen → extra 3.00 ≥ 3: met, verschil 0.00.
    # overheid: 1 baan → extra 1 < 2: not met, verschil −1.00. totaal: 4 < 5: not met.
    m = (Monitor().person("P1").person("P2").employer("W1").employer("G", 61, "501")
         .work("P1", "W1", uren=3 * BAAN).work("P2", "G"))
    doelen = [{"jaar": 2019, "sector": "markt", "extra_banen": 3}, {"jaar": 2019, "sector": "overheid", "extra_banen": 2}]
    c, _ = m.run(tmp_path, banenafspraak_doelen=doelen)
    assert (banen(c, "markt", "doel"), banen(c, "markt", "verschil_met_doel"), banen(c, "markt", "doel_gehaald")) == (
        3, Decimal("0.00"), 1)
    assert (banen(c, "overheid", "doel"), banen(c, "overheid", "verschil_met_doel"),
            banen(c, "overheid", "doel_gehaald")) == (2, Decimal("-1.00"), 0)
    assert (banen(c, "totaal", "doel"), banen(c, "totaal", "doel_gehaald")) == (5, 0)
    assert (banen(c, "onbekend", "doel"), banen(c, "onbekend", "verschil_met_doel"),
            banen(c, "onbekend", "doel_gehaald")) == (None, None, None)
    assert (c[("reeks", "2019", "markt_doel_gehaald")], c[("reeks", "2019", "overheid_doel_gehaald")]) == (1, 0)


def test_LM_6_doel_gehaald_is_decided_on_exact_values_not_rounded_ones(tmp_path):
    # 332.75 hours = 2.99991 banen: written as 3.00, but short of a target of 3.
    m = Monitor().person("P1").employer("W1").work("P1", "W1", uren=Decimal("332.75"))
    doelen = [{"jaar": 2019, "sector": "markt", "extra_banen": 3}, {"jaar": 2019, "sector": "overheid", "extra_banen": 0}]
    c, _ = m.run(tmp_path, banenafspraak_doelen=doelen)
    assert banen(c, "markt", "extra_banen") == Decimal("3.00")
    assert banen(c, "markt", "doel_gehaald") == 0
    assert banen(c, "markt", "verschil_met_doel") == Decimal("0.00")  # −0.00009 rounds to 0.00
    assert banen(c, "overheid", "doel_gehaald") == 1  # 0 extra banen ≥ target 0


def test_LM_6_a_difference_that_rounds_to_zero_is_written_0_00_and_the_text_shows_the_shortfall(tmp_path):
    # markt: 110.80908 hours = 0.99900… banen against a target of 1: verschil −0.000998… → "0.00"
    # (never "-0.00"); not met. overheid has a target of 5 and 0 banen: not met; the page
    # says so with the quotum text, also though markt's text comes first.
    m = Monitor().person("P1").employer("W1").work("P1", "W1", uren=Decimal("110.80908"))
    doelen = [{"jaar": 2019, "sector": "markt", "extra_banen": 1}, {"jaar": 2019, "sector": "overheid", "extra_banen": 5}]
    folder = m.folder(tmp_path, banenafspraak_doelen=doelen)
    result = run(folder, tmp_path / "uit", "2019")
    text = (result.output_dir / "landelijke_monitor.csv").read_text(encoding="utf-8")
    assert "NL01,Nederland,banen,markt,verschil_met_doel,0.00\n" in text and "-0.00" not in text
    assert "NL01,Nederland,banen,markt,doel_gehaald,0\n" in text
    page = (result.output_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "0,00 minder" not in page
    assert "Markt: 1,00 extra banen, net minder dan de doelstelling van 1 voor 2019 (het verschil is kleiner dan " \
           "0,01 baan)." in page
    assert "quotumheffing voor de overheid" in page and "quotumheffing voor de markt" in page


def test_LM_6_a_target_for_one_sector_only(tmp_path):
    # doelen 2019 only for overheid (5): markt and totaal have no doel; overheid misses it
    # and carries the quotum text.
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    folder = m.folder(tmp_path, banenafspraak_doelen=[{"jaar": 2019, "sector": "overheid", "extra_banen": 5}])
    result = run(folder, tmp_path / "uit", "2019")
    c = cells(result.output_dir / "landelijke_monitor.csv")
    assert banen(c, "markt", "doel") is None and banen(c, "totaal", "doel") is None
    assert (banen(c, "overheid", "doel"), banen(c, "overheid", "doel_gehaald")) == (5, 0)
    page = (result.output_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "Markt: voor 2019 is er geen doelstelling." in page and "quotumheffing voor de overheid" in page


def test_LM_6_year_without_target_has_empty_cells(tmp_path):
    # The targets begin in 2015: the monitor of 2014 has no doel, verschil or doel_gehaald.
    m = Monitor(2014).person("P1").employer("W1", years=[2014]).work("P1", "W1", years=[2014])
    c, _ = m.run(tmp_path, extract={"polis_ikv": "2015-07-01", "polis_tijdvak": "2015-07-01"})
    for sector in ("markt", "overheid", "onbekend", "totaal"):
        for kolom in ("doel", "verschil_met_doel", "doel_gehaald"):
            assert banen(c, sector, kolom) is None
    assert banen(c, "markt", "extra_banen") == Decimal("1.00")
    for year in ("2013", "2014"):
        assert c[("reeks", year, "markt_doel")] is None and c[("reeks", year, "overheid_doel_gehaald")] is None


# ------------------------------------------------------------------ LM-7 series


def test_LM_7_series_each_year_with_its_own_key_and_target(tmp_path):
    # One uitzend baan every December 2013–2019; packaged keys (2013–2015: 0.24; 2016–: 0.278)
    # and targets (2015 markt 6,000 …); nulmeting 0.
    years = list(range(2013, 2020))
    m = Monitor().person("P1").employer("W1", years=years).work("P1", "W1", inleen="uitzend", years=years)
    c, _ = m.run(tmp_path)
    assert sorted({k[1] for k in c if k[0] == "reeks"}) == [str(y) for y in years]
    assert c[("reeks", "2015", "overheid_banen")] == Decimal("0.24")
    assert c[("reeks", "2016", "overheid_banen")] == Decimal("0.28")  # 0.278
    assert c[("reeks", "2016", "markt_banen")] == Decimal("0.72")  # 0.722
    assert c[("reeks", "2015", "markt_doel")] == 6000 and c[("reeks", "2019", "overheid_doel")] == 15000
    assert c[("reeks", "2013", "totaal_extra_banen")] == Decimal("1.00")


# ------------------------------------------------------------------ T-4 in the monitor


def test_LM_3_T_4_four_weekly_period_holding_31_december(tmp_path):
    # vierweken 2019-12-09 … 2020-01-05 with 120 hours holds P: 120 × 13/12 = 130 hours a
    # month = 130 / 110.92 = 1.17201… banen; the December monthly period of another job is
    # counted beside it (1 baan): markt 2.17.
    m = Monitor().person("P1").employer("W1")
    m.work("P1", "W1", uren=120, kind="vierweken", begin="2019-12-09", end="2020-01-05")
    m.work("P1", "W1")
    c, _ = m.run(tmp_path)
    assert banen(c, "markt") == Decimal("2.17")


# ------------------------------------------------------------------ LM-8 checks


def test_LM_8_a_key_that_loses_hours_stops_the_run_before_anything_is_written(tmp_path, monkeypatch):
    from regiorapportage.publications.landelijke_monitor import measures

    real = measures.sector_hours

    def losing(inputs, keys):
        t = real(inputs, keys)
        return t.mutate(overheid=t.overheid - 1)  # an hour lost in the division

    monkeypatch.setattr(measures, "sector_hours", losing)
    m = Monitor().person("P1").employer("W1").work("P1", "W1", inleen="uitzend")
    with pytest.raises(ConsistencyError, match="LM-8"):
        m.run(tmp_path)
    assert not (tmp_path / "uit" / "2019").exists()


def test_LM_8_inleen_share_of_overheid_must_be_key_times_inleen_hours(tmp_path, monkeypatch):
    from regiorapportage.publications.landelijke_monitor import measures

    real = measures.sector_hours

    def shifted(inputs, keys):  # markt and overheid shifted together: sectors still add up
        t = real(inputs, keys)
        return t.mutate(inleen_overheid=t.inleen_overheid + 1, inleen_markt=t.inleen_markt - 1)

    monkeypatch.setattr(measures, "sector_hours", shifted)
    m = Monitor().person("P1").employer("W1").work("P1", "W1", inleen="uitzend")
    with pytest.raises(ConsistencyError, match="inleenverbanden overheid"):
        m.run(tmp_path)


# ------------------------------------------------------------------ the readable outputs


def test_monitor_page_pdf_workbook_and_site_start_page(tmp_path):
    """The monitor page (the run's html/index.html), the PDF and the workbook show the table,
    the key and why, the quotum text as a possibility for a sector that misses its target,
    and a chart per sector; the site's start page lists the year."""
    import shutil
    import subprocess

    import openpyxl

    from regiorapportage.publications.registry import SITE_TITEL, titles
    from regiorapportage.render.site import write_site_index

    # targets 2019: markt 3 (met with 3 banen), overheid 2 (1 baan: not met)
    m = (Monitor().person("P1").person("P2").employer("W1").employer("G", 61, "501")
         .work("P1", "W1", uren=3 * BAAN).work("P2", "G", inleen="uitzend"))
    doelen = [{"jaar": 2019, "sector": "markt", "extra_banen": 3}, {"jaar": 2019, "sector": "overheid", "extra_banen": 2}]
    folder = m.folder(tmp_path, banenafspraak_doelen=doelen)
    result = run(folder, tmp_path / "site", "2019")
    out = result.output_dir
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "Landelijke monitor banenafspraak" in page and "Jaar 2019" in page
    # markt: 3 + 0.722 (the uitzend baan after the key 0.278) = 3.722 → 4; overheid 0.278 < 2
    assert "Markt: 4 extra banen, de doelstelling van 3 voor 2019 is gehaald." in page
    assert "kan het kabinet na overleg met sociale partners en gemeenten besluiten de quotumheffing voor de overheid" in page
    assert "quotumheffing voor de markt" not in page  # markt met its target
    assert "geen besluit" in page
    assert "Voor 2019 is geen verdeelsleutel vastgesteld. Toegepast is die van het laatste eerdere jaar" in page
    assert page.count("<svg") >= 2 and "Overheid: extra banen en de doelstelling, 2013 t/m 2019" in page
    assert "arbeidsmarktregio's." not in page.split("<main", 1)[-1].split("Landelijke monitor banenafspraak", 1)[0]
    assert not (out / "html" / "NL01.html").exists()
    assert not list((out / "pdf").glob("regiorapportage_*_alle_regios.pdf"))  # one report: no combined PDF
    pdf = out / "pdf" / "landelijke_monitor_NL01.pdf"
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is installed by the project's system deps"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Doelstelling en quotum" in text and "quotumheffing voor de overheid" in text and "27,8%" in text
    book = openpyxl.load_workbook(out / "landelijke_monitor.xlsx", read_only=True)
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Toegepaste verdeelsleutel" in values and 2016 in values
    index = write_site_index(tmp_path / "site", SITE_TITEL, titles()).read_text(encoding="utf-8")
    assert 'href="2019/html/index.html">Landelijke monitor banenafspraak 2019</a>' in index
    assert 'href="2019/pdf/landelijke_monitor_NL01.pdf"' in index


def test_LM_2_voorlopig_monitor_page_names_six_months(tmp_path):
    m = Monitor().person("P1").employer("W1").work("P1", "W1")
    folder = m.folder(tmp_path, extract={"polis_ikv": "2020-03-01", "polis_tijdvak": "2020-03-01"})
    result = run(folder, tmp_path / "uit", "2019", voorlopig=True)
    page = (result.output_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "ongeveer zes maanden na de peildatum 31 december 2019" in page and "30 juni 2020" in page
    assert "drie maanden" not in page
