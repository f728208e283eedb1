"""R-7 and R-8: a region is the same area on every date of a report. A gemeente code found on
a date that the classification of P's year does not have is followed through the
gemeentelijke herindelingen to its code in P's year; a split takes the successor with the
largest share (with a warning); what still does not map goes to ONB (R-4); a year without a
classification is refused. Hand-made inputs, hand-worked numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import (
    advice,
    employer,
    job,
    lives,
    period,
    person,
    registration,
    run_ba_cells,
    run_cells,
    write_inputs,
)
from regiorapportage.errors import UserError
from regiorapportage.pipeline import run

# one baan: 110.92 hours in the month (BA-5)
BAAN = "110.92"
TEN_BOER, GRONINGEN = "GM0009", "GM0014"  # merged 2019-01-01; Groningen is AM01
LITTENSERADIEL = "GM0140"  # split 2018-01-01: Súdwest-Fryslân 51 %, Leeuwarden 31 %, Waadhoeke 18 % (all AM02)
GELDERMALSEN = "GM0236"  # 2019-01-01 into West Betuwe: AM99 in 2019, Rivierenland (AM10) in 2026
NIEUW_LEKKERLAND = "GM0571"  # 2013 into Molenwaard, 2019 into Molenlanden (AM35)
AMSTERDAM, WEESP = "GM0363", "GM0457"  # Weesp into Amsterdam on 2022-03-24


def worker(pid: str, homes: list[dict], months: list[tuple[str, str]], werkgever: str = "W1") -> dict:
    """A doelgroep person (Wajong since 2010) with one job and a baan in each of ``months``
    (begin, end) at a market employer known on every date."""
    return {
        "personen": [person(pid)],
        "brp_verblijf": homes,
        "doelgroepregister": [registration(f"R{pid}", pid, "wajong", "2010-01-01")],
        "polis_ikv": [job(f"I{pid}", pid, "2010-01-01", werkgever=werkgever)],
        "polis_tijdvak": [period(f"I{pid}", b, e, "2000", uren=BAAN) for b, e in months],
    }


def merged(*parts: dict) -> dict:
    out: dict[str, list] = {}
    for part in parts:
        for name, rows in part.items():
            out.setdefault(name, []).extend(rows)
    out.setdefault("werkgever_tijdvak", []).append(employer("W1", "2010-01-01", "2030-12-31", 1))
    return out


DEC_2012 = ("2012-12-01", "2012-12-31")
JUN_2019 = ("2019-06-01", "2019-06-30")


def test_R_7_ten_boer_on_2012_12_31_counts_in_the_computed_nulmeting_of_groningen(tmp_path):
    """P1 lived in Ten Boer until the merger and in Groningen after it; one baan in December
    2012 and one in June 2019. The nulmeting of AM01 (computed at 2012-12-31, TR-3) is 1 baan,
    not 0 with the baan in ONB; extra banen in AM01 = 1 − 1 = 0."""
    homes = [lives("P1", TEN_BOER, "2000-01-01", "2018-12-31"), lives("P1", GRONINGEN, "2019-01-01")]
    folder = write_inputs(tmp_path / "in", **merged(worker("P1", homes, [DEC_2012, JUN_2019])))
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q2")
    assert c[("AM01", "banen", "totaal", "nulmeting")] == Decimal("1.00")
    assert c[("ONB", "banen", "totaal", "nulmeting")] == Decimal("0.00")
    assert c[("AM01", "banen", "totaal", "extra_banen")] == Decimal("0.00")
    r7 = [w for w in c["_result"].warnings if w.regel == "R-7"]
    assert len(r7) == 1 and r7[0].details["2012-12-31"] == {"via_herindeling": 1, "gesplitst": 0, "in_onb": 0}
    assert "2012-12-31: 1 persoon via herindeling naar hun gemeente van 2019, 0 in ONB" in r7[0].melding


def test_R_7_littenseradiel_in_2017_counts_in_sudwest_fryslans_region_with_the_split_warning(tmp_path):
    """Littenseradiel was split in 2018; Súdwest-Fryslân took the largest share (0.5120), so a
    person recorded there on 2017-12-31 counts in AM02 (Friesland) in a 2019 report."""
    homes = [lives("P1", LITTENSERADIEL, "2000-01-01")]  # never updated: last known address
    folder = write_inputs(tmp_path / "in", **merged(worker("P1", homes, [("2017-12-01", "2017-12-31"), JUN_2019])))
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q2")
    assert c[("AM02", "reeks", "2017Q4", "banen")] == Decimal("1.00")
    assert c[("ONB", "reeks", "2017Q4", "banen")] == Decimal("0.00")
    r7 = next(w for w in c["_result"].warnings if w.regel == "R-7")
    assert r7.details["2017-12-31"] == {"via_herindeling": 1, "gesplitst": 1, "in_onb": 0}
    assert "uit een gesplitste gemeente" in r7.melding


def test_R_7_geldermalsen_is_AM99_in_a_2019_report_and_rivierenland_in_a_2026_report(tmp_path):
    """West Betuwe has no region in 2019 (AM99) and is in Rivierenland (AM10) in 2026."""
    sources = dict(
        personen=[person("P1")],
        brp_verblijf=[lives("P1", GELDERMALSEN, "2000-01-01")],
        adviezen=[advice("A1", "P1", "2018-03-01", gemeente=GELDERMALSEN)],
    )
    c2019 = run_cells(write_inputs(tmp_path / "a", **sources), tmp_path / "uit_a", "2019Q2")
    assert c2019[("AM99", "adviezen_naar_aanvrager", "totaal", "positief")] == 1
    later = {"polis_ikv": "2026-10-15", "polis_tijdvak": "2026-10-15", "adviezen": "2026-10-15"}
    c2026 = run_cells(write_inputs(tmp_path / "b", extractiedatum=later, **sources), tmp_path / "uit_b", "2026Q2")
    assert c2026[("AM10", "adviezen_naar_aanvrager", "totaal", "positief")] == 1
    assert not any(k[0] == "AM99" for k in c2026 if k != "_result")  # 2026 has no AM99


def test_R_7_two_mergers_in_a_row_are_followed_step_by_step(tmp_path):
    """Nieuw-Lekkerland → Molenwaard (2013) → Molenlanden (2019, AM35 Gorinchem)."""
    homes = [lives("P1", NIEUW_LEKKERLAND, "2000-01-01")]
    folder = write_inputs(tmp_path / "in", **merged(worker("P1", homes, [DEC_2012, JUN_2019])))
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q2")
    assert c[("AM35", "banen", "totaal", "nulmeting")] == Decimal("1.00")
    assert c[("AM35", "banen", "totaal", "banen")] == Decimal("1.00")


def test_R_7_an_unknown_code_still_goes_to_ONB_per_date(tmp_path):
    homes = [lives("P1", "GM9999", "2000-01-01")]
    folder = write_inputs(tmp_path / "in", **merged(worker("P1", homes, [DEC_2012, JUN_2019])))
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q2")
    assert c[("ONB", "banen", "totaal", "nulmeting")] == Decimal("1.00")
    assert not [w for w in c["_result"].warnings if w.regel == "R-7"]
    per_date = [w for w in c["_result"].warnings if w.regel == "R-4" and "andere gebruikte datums" in w.melding]
    assert len(per_date) == 1 and per_date[0].details["2012-12-31"] == 1


def test_R_7_a_factsheet_across_a_merger_date_has_nobody_moving_because_of_the_merger(tmp_path):
    """2019Q1: on P-1q (2018-12-31) P1 is recorded in Ten Boer, on P (2019-03-31) in
    Groningen. Both are AM01 in the 2019 classification, so P1 stayed and worked on both
    dates: werkzaam 1 on both, no move in or out, no start or stop."""
    homes = [lives("P1", TEN_BOER, "2000-01-01", "2018-12-31"), lives("P1", GRONINGEN, "2019-01-01")]
    months = [("2018-12-01", "2018-12-31"), ("2019-03-01", "2019-03-31")]
    folder = write_inputs(tmp_path / "in", **merged(worker("P1", homes, months)))
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q1", publications=["factsheet"])
    flows = {rij: c[("AM01", "stromen", rij, "personen")] for rij in (
        "werkzaam_vorige_peildatum", "verhuisd_in_werkzaam", "verhuisd_uit_werkzaam", "begonnen_met_werk",
        "gestopt_met_werk", "werkzame_instromers", "werkzame_uitstromers", "werkzaam")}
    assert flows == {"werkzaam_vorige_peildatum": 1, "verhuisd_in_werkzaam": 0, "verhuisd_uit_werkzaam": 0,
                     "begonnen_met_werk": 0, "gestopt_met_werk": 0, "werkzame_instromers": 0,
                     "werkzame_uitstromers": 0, "werkzaam": 1}
    assert c[("ONB", "stromen", "werkzaam_vorige_peildatum", "personen")] == 0


def test_R_7_the_2026_classification_weesp_in_groot_amsterdam_leerdam_in_gorinchem(tmp_path):
    """2026: Weesp (into Amsterdam on 2022-03-24) counts in Groot Amsterdam (AM18); Leerdam
    (into Vijfheerenlanden in 2019) in Gorinchem (AM35); there is no AM99."""
    sources = dict(
        personen=[person("P1"), person("P2")],
        brp_verblijf=[lives("P1", WEESP, "2000-01-01"), lives("P2", "GM0545", "2000-01-01")],
        adviezen=[advice("A1", "P1", "2021-03-01", gemeente=WEESP), advice("A2", "P2", "2021-03-01")],
    )
    later = {"polis_ikv": "2026-10-15", "polis_tijdvak": "2026-10-15", "adviezen": "2026-10-15"}
    c = run_cells(write_inputs(tmp_path / "b", extractiedatum=later, **sources), tmp_path / "uit", "2026Q2")
    assert c[("AM18", "adviezen_naar_aanvrager", "totaal", "positief")] == 1
    assert c[("AM35", "adviezen_naar_aanvrager", "totaal", "positief")] == 1
    assert c[("ONB", "adviezen_naar_aanvrager", "totaal", "positief")] == 0
    assert not any(k[0] == "AM99" for k in c if k != "_result")


def test_R_7_a_delivered_herindelingen_table_replaces_the_packaged_one(tmp_path):
    """Without the merger of Ten Boer in the delivered table, Ten Boer stays unknown: ONB."""
    homes = [lives("P1", TEN_BOER, "2000-01-01", "2018-12-31"), lives("P1", GRONINGEN, "2019-01-01")]
    folder = write_inputs(
        tmp_path / "in",
        herindelingen=[{"datum": "2019-01-01", "oude_code": "GM0017", "oude_naam": "Haren", "nieuwe_code": GRONINGEN,
                        "nieuwe_naam": "Groningen", "aandeel": "1"}],
        **merged(worker("P1", homes, [DEC_2012, JUN_2019])),
    )
    c = run_ba_cells(folder, tmp_path / "uit", "2019Q2")
    assert c[("ONB", "banen", "totaal", "nulmeting")] == Decimal("1.00")
    assert c["_result"].inputs.sources["herindelingen"].accepted == 1


def test_R_8_a_year_without_a_classification_is_refused_naming_the_years_there_are(tmp_path):
    folder = write_inputs(tmp_path / "in", personen=[person("P1")])
    with pytest.raises(UserError) as refused:
        run(folder, tmp_path / "uit", "2021Q2", render=False, voorlopig=True)
    message = str(refused.value)
    assert "geen gemeente-indeling voor 2021 (R-8)" in message and "2016, 2019, 2026" in message
    assert "jaar = 2021" in message
    assert not (tmp_path / "uit").exists()


def test_R_8_the_packaged_2016_classification_serves_a_2016_report(tmp_path):
    """Food Valley is AM31 in 2016 (AM38 from 2018): a person in Ede counts there."""
    sources = dict(personen=[person("P1")], brp_verblijf=[lives("P1", "GM0228", "2000-01-01")],
                   adviezen=[advice("A1", "P1", "2016-03-01", gemeente="GM0228")])
    early = {"polis_ikv": "2017-04-15", "polis_tijdvak": "2017-04-15", "adviezen": "2017-04-15"}
    c = run_cells(write_inputs(tmp_path / "in", extractiedatum=early, **sources), tmp_path / "uit", "2016Q4")
    assert c[("AM31", "adviezen_naar_aanvrager", "totaal", "positief")] == 1
