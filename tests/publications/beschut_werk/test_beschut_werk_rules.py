"""Rules BW-1 … BW-5, R-1 … R-5 on small hand-made inputs.

Every expected number below was worked out by hand from SPEC.md; the comment above each
assertion says how. Quarter 2019Q2: P = 2019-06-30, cohort date 2019-03-31, advice window
2015-01-01 … 2019-09-30. Amsterdam (GM0363) is in AM18, Utrecht (GM0344) in AM13.
"""

from __future__ import annotations

import pytest

from conftest import AMS, RDAM, UTR, WBET, advice, job, june, lives, period, person, run_cells
from regiorapportage.publications.long_format import round_half_up_percentage

AA = "adviezen_naar_aanvrager"
AV = "adviezen_naar_verantwoordelijke"
WA = "werk_naar_aanvrager"
WV = "werk_naar_verantwoordelijke"


def cells_for(inputs_dir, tmp_path, **sources):
    return run_cells(inputs_dir(**sources), tmp_path / "uit")


def working_person(pid, gemeente=AMS, loon="1500.00"):
    """A person living in ``gemeente`` with a job covering P and a June wage."""
    return dict(p=person(pid), b=lives(pid, gemeente), j=job(f"I{pid}", pid), t=june(f"I{pid}", loon))


def sources_of(*people, advices=()):
    out = {"personen": [], "brp_verblijf": [], "polis_ikv": [], "polis_tijdvak": [], "adviezen": list(advices)}
    for p in people:
        out["personen"].append(p["p"])
        if p.get("b"):
            out["brp_verblijf"].append(p["b"])
        if p.get("j"):
            out["polis_ikv"].append(p["j"])
        if p.get("t"):
            out["polis_tijdvak"].append(p["t"])
    return out


# ------------------------------------------------------------------ BW-1 advice window


def test_BW_1_window_ends_on_last_day_of_next_quarter(inputs_dir, tmp_path):
    people = [dict(p=person(x), b=lives(x, AMS)) for x in ("P1", "P2", "P3")]
    advices = [
        advice("A1", "P1", "2019-09-30", uitkomst="negatief"),  # last day of 2019Q3: counted
        advice("A2", "P2", "2019-10-01", uitkomst="negatief"),  # one day later: not counted
        advice("A3", "P3", "2015-01-01", uitkomst="negatief"),  # first day of the window
    ]
    c = cells_for(inputs_dir, tmp_path, **sources_of(*people, advices=advices))
    assert c[("AM18", AA, "aanvraag_gemeente", "negatief")] == 2
    assert c[("NL01", AA, "totaal", "totaal")] == 2


def test_BW_1_counts_advices_not_persons(inputs_dir, tmp_path):
    people = [dict(p=person("P1"), b=lives("P1", AMS))]
    advices = [
        advice("A1", "P1", "2017-03-01", uitkomst="negatief"),
        advice("A2", "P1", "2018-03-01", uitkomst="positief"),
    ]
    c = cells_for(inputs_dir, tmp_path, **sources_of(*people, advices=advices))
    # negative then positive: both advices count; positief 1, negatief 1, totaal 2
    assert (c[("AM18", AA, "totaal", "positief")], c[("AM18", AA, "totaal", "negatief")]) == (1, 1)
    assert c[("AM18", AA, "totaal", "totaal")] == 2
    # the person is in the cohort once (positive advice 2018-03-01 <= 2019-03-31)
    assert c[("AM18", WA, "totaal", "positief_advies_tm_cohortdatum")] == 1


# ------------------------------------------------------------------ BW-3 cohort


def test_BW_3_cohort_date_boundary(inputs_dir, tmp_path):
    on = working_person("P1")
    after = working_person("P2")
    advices = [
        advice("A1", "P1", "2019-03-31"),  # on the cohort date: in the cohort
        advice("A2", "P2", "2019-04-01"),  # one day later: not in the cohort, but in totaal_werkend
    ]
    c = cells_for(inputs_dir, tmp_path, **sources_of(on, after, advices=advices))
    assert c[("AM18", WA, "aanvraag_gemeente", "positief_advies_tm_cohortdatum")] == 1
    assert c[("AM18", WA, "aanvraag_gemeente", "werkend_uit_cohort")] == 1
    assert c[("AM18", WA, "aanvraag_gemeente", "totaal_werkend")] == 2
    assert c[("AM18", AA, "aanvraag_gemeente", "positief")] == 2


def test_BW_3_later_negative_does_not_remove_from_cohort(inputs_dir, tmp_path):
    p = working_person("P1")
    advices = [advice("A1", "P1", "2017-05-01"), advice("A2", "P1", "2018-05-01", uitkomst="negatief")]
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=advices))
    assert c[("AM18", WA, "totaal", "positief_advies_tm_cohortdatum")] == 1
    assert c[("AM18", WA, "totaal", "werkend_uit_cohort")] == 1


def test_BW_3_two_positive_advices_row_from_earliest(inputs_dir, tmp_path):
    p = working_person("P1")
    advices = [
        advice("A1", "P1", "2016-05-01", aanvrager="gemeente", verantwoordelijke="uwv"),
        advice("A2", "P1", "2018-05-01", aanvrager="burger", verantwoordelijke="gemeente"),
    ]
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=advices))
    # the advice tables count both advices in their own rows
    assert c[("AM18", AA, "aanvraag_gemeente", "positief")] == 1
    assert c[("AM18", AA, "aanvraag_burger", "positief")] == 1
    assert c[("AM18", AV, "uwv", "positief")] == 1
    assert c[("AM18", AV, "gemeente", "positief")] == 1
    # the person counts once, in the rows of the earliest positive advice (gemeente, uwv)
    assert c[("AM18", WA, "aanvraag_gemeente", "positief_advies_tm_cohortdatum")] == 1
    assert c[("AM18", WA, "aanvraag_burger", "positief_advies_tm_cohortdatum")] == 0
    assert c[("AM18", WV, "uwv", "werkend_uit_cohort")] == 1
    assert c[("AM18", WV, "gemeente", "werkend_uit_cohort")] == 0


def test_BW_3_negative_only_person_is_not_in_cohort(inputs_dir, tmp_path):
    p = working_person("P1")
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01", uitkomst="negatief")]))
    assert c[("AM18", WA, "totaal", "positief_advies_tm_cohortdatum")] == 0
    assert c[("AM18", WA, "totaal", "totaal_werkend")] == 0


# ------------------------------------------------------------------ BW-4 working on P


def _one(inputs_dir, tmp_path, jobs, periods):
    srcs = {
        "personen": [person("P1")],
        "brp_verblijf": [lives("P1", AMS)],
        "adviezen": [advice("A1", "P1", "2018-01-01")],
        "polis_ikv": jobs,
        "polis_tijdvak": periods,
    }
    c = cells_for(inputs_dir, tmp_path, **srcs)
    return c[("AM18", WA, "totaal", "werkend_uit_cohort")], c[("AM18", WA, "totaal", "totaal_werkend")]


def test_BW_4_relation_ending_exactly_on_P_counts(inputs_dir, tmp_path):
    assert _one(inputs_dir, tmp_path, [job("I1", "P1", end="2019-06-30")], [june("I1", "900")]) == (1, 1)


def test_BW_4_relation_ending_the_day_before_P_does_not(inputs_dir, tmp_path):
    assert _one(inputs_dir, tmp_path, [job("I1", "P1", end="2019-06-29")], [june("I1", "900")]) == (0, 0)


def test_BW_4_wage_from_ended_job_while_other_job_covers_P(inputs_dir, tmp_path):
    # job I1 ended 2019-06-15 but paid 700 in June; job I2 covers P with 0 in June.
    # Covering relation: I2. Sum of June wages over all relations: 700 + 0 > 0 → works.
    jobs = [job("I1", "P1", end="2019-06-15"), job("I2", "P1", begin="2019-06-16", werkgever="W2")]
    periods = [june("I1", "700"), june("I2", "0", uren="0")]
    assert _one(inputs_dir, tmp_path, jobs, periods) == (1, 1)


def test_BW_4_four_weekly_period_holding_P(inputs_dir, tmp_path):
    # vierweken 2019-06-10 … 2019-07-07 holds P; the June calendar month is not what counts.
    periods = [
        period("I1", "2019-05-13", "2019-06-09", "0", kind="vierweken", uren="0"),
        period("I1", "2019-06-10", "2019-07-07", "820.50", kind="vierweken"),
    ]
    assert _one(inputs_dir, tmp_path, [job("I1", "P1")], periods) == (1, 1)


def test_BW_4_four_weekly_period_before_P_does_not_count(inputs_dir, tmp_path):
    # the period 2019-06-02 … 2019-06-29 ends before P; the one holding P paid nothing
    periods = [
        period("I1", "2019-06-02", "2019-06-29", "820.50", kind="vierweken"),
        period("I1", "2019-06-30", "2019-07-27", "0", kind="vierweken", uren="0"),
    ]
    assert _one(inputs_dir, tmp_path, [job("I1", "P1")], periods) == (0, 0)


def test_BW_4_quarterly_period_holding_P(inputs_dir, tmp_path):
    periods = [period("I1", "2019-04-01", "2019-06-30", "2400", kind="kwartaal")]
    assert _one(inputs_dir, tmp_path, [job("I1", "P1")], periods) == (1, 1)


def test_BW_4_negative_correction_cancels_wage(inputs_dir, tmp_path):
    # two relations: +100.10 and -100.10 in June → sum exactly 0 → not working
    jobs = [job("I1", "P1"), job("I2", "P1", werkgever="W2")]
    periods = [june("I1", "100.10"), june("I2", "-100.10", uren="0")]
    assert _one(inputs_dir, tmp_path, jobs, periods) == (0, 0)


def test_BW_4_negative_correction_smaller_than_wage(inputs_dir, tmp_path):
    # +500 and -499.99 → 0.01 > 0 → working
    jobs = [job("I1", "P1"), job("I2", "P1", werkgever="W2")]
    periods = [june("I1", "500"), june("I2", "-499.99", uren="0")]
    assert _one(inputs_dir, tmp_path, jobs, periods) == (1, 1)


def test_BW_4_relation_without_wage_in_June(inputs_dir, tmp_path):
    periods = [period("I1", "2019-05-01", "2019-05-31", "900"), june("I1", "0", uren="0")]
    assert _one(inputs_dir, tmp_path, [job("I1", "P1")], periods) == (0, 0)


def test_BW_4_no_income_relation(inputs_dir, tmp_path):
    assert _one(inputs_dir, tmp_path, [], []) == (0, 0)


# ------------------------------------------------------------------ BW-5 percentages


@pytest.mark.parametrize(
    "w, c, expected",
    [(5, 8, 63), (1, 8, 13), (3, 8, 38), (2, 3, 67), (1, 3, 33), (1, 2, 50), (0, 0, 0), (0, 5, 0), (7, 7, 100), (1404, 1898, 74)],
)
def test_BW_5_percentage_rounds_half_up(w, c, expected):
    # 5/8 = 62.5 → 63; 1/8 = 12.5 → 13; 3/8 = 37.5 → 38; 2/3 = 66.67 → 67
    assert round_half_up_percentage(w, c) == expected


def test_BW_5_percentage_62_5_becomes_63_in_the_report(inputs_dir, tmp_path):
    people, advices = [], []
    for i in range(8):
        pid = f"P{i}"
        p = working_person(pid) if i < 5 else dict(p=person(pid), b=lives(pid, AMS))
        people.append(p)
        advices.append(advice(f"A{i}", pid, "2018-06-01"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(*people, advices=advices))
    assert c[("AM18", WA, "aanvraag_gemeente", "positief_advies_tm_cohortdatum")] == 8
    assert c[("AM18", WA, "aanvraag_gemeente", "werkend_uit_cohort")] == 5
    assert c[("AM18", WA, "aanvraag_gemeente", "percentage_werkend")] == 63
    assert c[("NL01", WA, "totaal", "percentage_werkend")] == 63


# ------------------------------------------------------------------ R-1 … R-5 regions


def test_R_1_person_moved_region_before_P(inputs_dir, tmp_path):
    p = working_person("P1")
    p["b"] = lives("P1", UTR, "2000-01-01", "2019-02-28")
    srcs = sources_of(p, advices=[advice("A1", "P1", "2018-01-01", gemeente=UTR)])
    srcs["brp_verblijf"].append(lives("P1", AMS, "2019-03-01"))
    c = cells_for(inputs_dir, tmp_path, **srcs)
    # counted in the region of the gemeente on P (Amsterdam, AM18), not Utrecht
    assert c[("AM18", AA, "totaal", "totaal")] == 1
    assert c[("AM13", AA, "totaal", "totaal")] == 0
    assert c[("AM18", WA, "totaal", "werkend_uit_cohort")] == 1


def test_R_1_move_after_P_does_not_count(inputs_dir, tmp_path):
    p = working_person("P1")
    p["b"] = lives("P1", UTR, "2000-01-01", "2019-07-14")
    srcs = sources_of(p, advices=[advice("A1", "P1", "2018-01-01", gemeente=UTR)])
    srcs["brp_verblijf"].append(lives("P1", AMS, "2019-07-15"))
    c = cells_for(inputs_dir, tmp_path, **srcs)
    assert c[("AM13", AA, "totaal", "totaal")] == 1
    assert c[("AM18", AA, "totaal", "totaal")] == 0


def test_R_1_emigrated_person_keeps_last_known_address(inputs_dir, tmp_path):
    p = dict(p=person("P1"), b=lives("P1", RDAM, "2000-01-01", "2018-12-31"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01")]))
    assert c[("AM22", AA, "totaal", "positief")] == 1


def test_R_3_person_without_residence_falls_back_to_advice_gemeente(inputs_dir, tmp_path):
    p = dict(p=person("P1"))
    advices = [advice("A1", "P1", "2017-01-05", gemeente=AMS), advice("A2", "P1", "2018-01-05", gemeente=UTR)]
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=advices))
    # most recent advice (2018-01-05) names Utrecht → AM13, both advices counted there
    assert c[("AM13", AA, "totaal", "positief")] == 2
    assert c[("AM18", AA, "totaal", "positief")] == 0


def test_R_4_unknown_gemeente_code_goes_to_ONB_with_warning(inputs_dir, tmp_path):
    p = dict(p=person("P1"), b=lives("P1", "GM9999"))
    q = dict(p=person("P2"), b=lives("P2", "GM9998"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, q, advices=[advice("A1", "P1", "2018-01-01"), advice("A2", "P2", "2018-01-01")]))
    assert c[("ONB", AA, "totaal", "positief")] == 2
    assert c[("NL01", AA, "totaal", "positief")] == 2
    warnings = {w.regel: w for w in reversed(c["_result"].warnings)}  # the first of each rule: the one on P
    assert warnings["R-4"].aantal == 2
    assert warnings["R-4"].details == {"GM9998": 1, "GM9999": 1}


def test_R_7_a_dissolved_gemeente_counts_in_its_successors_region_not_in_ONB(inputs_dir, tmp_path):
    """Geldermalsen (GM0236) became West Betuwe (GM1960) on 2019-01-01, which has no
    arbeidsmarktregio in 2019 (AM99): a person still recorded in Geldermalsen counts there."""
    p = dict(p=person("P1"), b=lives("P1", "GM9999"))
    q = dict(p=person("P2"), b=lives("P2", "GM0236"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, q, advices=[advice("A1", "P1", "2018-01-01"), advice("A2", "P2", "2018-01-01")]))
    assert c[("ONB", AA, "totaal", "positief")] == 1
    assert c[("AM99", AA, "totaal", "positief")] == 1
    warnings = {w.regel: w for w in reversed(c["_result"].warnings)}  # the first of each rule: the one on P
    assert warnings["R-4"].details == {"GM9999": 1}
    # R-7 per date used: P, and the cohort series from 2018Q2 (the first quarter whose cohort
    # date, 2018-03-31, follows the advice of 2018-01-01) to 2019Q2 — five dates, one person each
    r7 = warnings["R-7"]
    assert r7.details["2019-06-30"] == {"via_herindeling": 1, "gesplitst": 0, "in_onb": 1}
    assert sorted(r7.details) == ["2018-06-30", "2018-09-30", "2018-12-31", "2019-03-31", "2019-06-30"]
    assert r7.aantal == 5


def test_R_2_AM99_gemeente_counts_in_AM99_and_Nederland(inputs_dir, tmp_path):
    p = working_person("P1", gemeente=WBET)
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01")]))
    assert c[("AM99", WA, "totaal", "werkend_uit_cohort")] == 1
    assert c[("NL01", WA, "totaal", "werkend_uit_cohort")] == 1
    assert sum(v for k, v in c.items() if k != "_result" and k[0].startswith("AM") and k[0] != "AM99" and k[1:] == (WA, "totaal", "werkend_uit_cohort")) == 0


def test_R_5_nederland_is_sum_of_regions_AM99_and_ONB(inputs_dir, tmp_path):
    people = [
        working_person("P1", AMS),
        working_person("P2", UTR),
        working_person("P3", WBET),
        dict(p=person("P4"), b=lives("P4", "GM9999")),
    ]
    advices = [advice(f"A{i}", f"P{i}", "2018-01-01") for i in range(1, 5)]
    c = cells_for(inputs_dir, tmp_path, **sources_of(*people, advices=advices))
    for key in [(AA, "totaal", "positief"), (WA, "totaal", "positief_advies_tm_cohortdatum"), (WA, "totaal", "werkend_uit_cohort")]:
        regions = sum(v for k, v in c.items() if k != "_result" and k[0] != "NL01" and k[1:] == key)
        assert c[("NL01", *key)] == regions
    assert c[("NL01", AA, "totaal", "positief")] == 4
    assert c[("NL01", WA, "totaal", "werkend_uit_cohort")] == 3


# ------------------------------------------------------------------ edge cases (review)


def test_R_3_brp_records_only_after_P_means_no_gemeente_not_fallback(inputs_dir, tmp_path):
    # P1 has BRP residence, but only from 2019-08-01 (after P): no gemeente on P by R-1, and
    # R-3's fallback is only for persons without any BRP residence → ONB (R-4), with warning.
    p = dict(p=person("P1"), b=lives("P1", AMS, "2019-08-01"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01", gemeente=UTR)]))
    assert c[("ONB", AA, "totaal", "totaal")] == 1
    assert c[("AM13", AA, "totaal", "totaal")] == 0 and c[("AM18", AA, "totaal", "totaal")] == 0
    warnings = {w.regel: w for w in reversed(c["_result"].warnings)}  # the first of each rule: the one on P
    assert warnings["R-4"].details == {"(geen gemeente)": 1}


def test_R_3_no_brp_and_advice_without_gemeente_goes_to_ONB(inputs_dir, tmp_path):
    p = dict(p=person("P1"))
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01", gemeente=None)]))
    assert c[("ONB", AA, "totaal", "positief")] == 1
    assert {w.regel: w for w in reversed(c["_result"].warnings)}  # the first of each rule: the one on P["R-4"].details == {"(geen gemeente)": 1}


def test_BW_5_totaal_werkend_boundary_on_P(inputs_dir, tmp_path):
    on_p, after_p = working_person("P1"), working_person("P2")
    advices = [advice("A1", "P1", "2019-06-30"), advice("A2", "P2", "2019-07-01")]
    c = cells_for(inputs_dir, tmp_path, **sources_of(on_p, after_p, advices=advices))
    # both advices are in the window (BW-1); only the one on P counts for totaal_werkend
    assert c[("AM18", AA, "totaal", "positief")] == 2
    assert c[("AM18", WA, "totaal", "totaal_werkend")] == 1
    assert c[("AM18", WA, "totaal", "positief_advies_tm_cohortdatum")] == 0


@pytest.mark.parametrize(
    "kind, begin, end",
    [("halfjaar", "2019-01-01", "2019-06-30"), ("jaar", "2019-01-01", "2019-12-31")],
)
def test_BW_4_half_year_and_year_periods_holding_P(inputs_dir, tmp_path, kind, begin, end):
    periods = [period("I1", begin, end, "9000", kind=kind)]
    assert _one(inputs_dir, tmp_path, [job("I1", "P1")], periods) == (1, 1)


def test_BW_3_tie_on_date_lowest_advies_id_decides_the_row(inputs_dir, tmp_path):
    p = working_person("P1")
    advices = [
        advice("A2", "P1", "2018-05-01", aanvrager="burger"),
        advice("A1", "P1", "2018-05-01", aanvrager="gemeente"),
    ]
    c = cells_for(inputs_dir, tmp_path, **sources_of(p, advices=advices))
    assert c[("AM18", WA, "aanvraag_gemeente", "positief_advies_tm_cohortdatum")] == 1
    assert c[("AM18", WA, "aanvraag_burger", "positief_advies_tm_cohortdatum")] == 0


def test_R_1_overlapping_brp_records_the_later_begun_wins(inputs_dir, tmp_path):
    p = dict(p=person("P1"), b=lives("P1", UTR, "2010-01-01"))  # open-ended, still covers P
    srcs = sources_of(p, advices=[advice("A1", "P1", "2018-01-01")])
    srcs["brp_verblijf"].append(lives("P1", RDAM, "2019-01-01"))  # begun later, also covers P
    c = cells_for(inputs_dir, tmp_path, **srcs)
    assert c[("AM22", AA, "totaal", "totaal")] == 1 and c[("AM13", AA, "totaal", "totaal")] == 0


def _classification(year, regio_code, regio_naam):
    return [
        {"jaar": year, "gemeente_code": AMS, "gemeente_naam": "Amsterdam", "arbeidsmarktregio_code": regio_code,
         "arbeidsmarktregio_naam": regio_naam},
        {"jaar": year, "gemeente_code": UTR, "gemeente_naam": "Utrecht", "arbeidsmarktregio_code": "AM13",
         "arbeidsmarktregio_naam": "Midden-Utrecht"},
    ]


def test_R_2_classification_of_the_year_of_P_is_used(inputs_dir, tmp_path):
    # in the 2018 rows Amsterdam belongs to AM13; in 2019 to AM18: 2019Q2 uses 2019
    gemeenten = _classification(2018, "AM13", "Midden-Utrecht") + _classification(2019, "AM18", "Groot Amsterdam")
    p = working_person("P1")
    c = cells_for(inputs_dir, tmp_path, gemeenten=gemeenten, **sources_of(p, advices=[advice("A1", "P1", "2018-01-01")]))
    assert c[("AM18", AA, "totaal", "totaal")] == 1 and c[("AM13", AA, "totaal", "totaal")] == 0
    regions = {k[0] for k in c if k != "_result"}
    assert regions == {"NL01", "AM13", "AM18", "ONB"}  # only the regions of the 2019 classification


def test_R_2_region_with_two_names_in_a_year_is_structural(inputs_dir, tmp_path):
    from regiorapportage.errors import StructuralError

    gemeenten = _classification(2019, "AM13", "Midden Utrecht")  # AM13 named twice, differently
    with pytest.raises(StructuralError, match="AM13 heeft in 2019 meer dan één naam"):
        cells_for(inputs_dir, tmp_path, gemeenten=gemeenten, **sources_of(working_person("P1"), advices=[]))


def test_empty_inputs_give_every_cell_as_zero(inputs_dir, tmp_path):
    c = cells_for(inputs_dir, tmp_path)
    values = [v for k, v in c.items() if k != "_result"]
    assert len(values) == 38 * 42 and set(values) == {0}


# ------------------------------------------------------------------ the cohort series (BW-3, BW-4 over time)


def test_BW_3_BW_4_cohort_series_per_quarter(inputs_dir, tmp_path):
    """beschut_werk_reeks.csv, worked out by hand per quarter Q (cohort date = last day of
    Q's previous quarter, working = on Q's peildatum):

    - P1 (Amsterdam): positive advice 2016-05-10 → in the cohort from 2016Q3 (cohort date
      2016-06-30); works only in September 2016 → working at 2016Q3 (2016-09-30), not later.
    - P2 (Utrecht until 2018-12-31, then Amsterdam): positive 2018-01-15 → cohort from
      2018Q2; works in June 2019 → working at 2019Q2 only; region on each peildatum: AM13 in
      2018Q2…2018Q4, AM18 from 2019Q1.
    - P3 (no BRP at all): negative 2017-02-01, positive 2019-04-02 → cohort only from 2019Q3
      (not in this series); not counted anywhere.

    So AM18: 2016Q2 cohort 0 (percentage empty); 2016Q3 1/1 = 100 %; 2016Q4 … 2018Q4 1/0 →
    0 %; 2019Q1 P1+P2 = 2, 0 working → 0 %; 2019Q2: 2, 1 working → 50 %. AM13: 2018Q2 …
    2018Q4 cohort 1 (P2), 0 working; 2019Q1 0. NL01 = the sum. At 2019Q2 the series equals
    the report's werk_naar_aanvrager totaal row (checked by the run as well)."""
    import csv as _csv

    from regiorapportage.pipeline import run

    people = [
        dict(p=person("P1"), b=lives("P1", AMS), j=job("I1", "P1", begin="2016-09-01", end="2016-09-30"),
             t=period("I1", "2016-09-01", "2016-09-30", "1200.00")),
        dict(p=person("P2"), j=job("I2", "P2", begin="2019-06-01"), t=june("I2", "900.00")),
        dict(p=person("P3")),
    ]
    src = sources_of(
        *people,
        advices=[
            advice("A1", "P1", "2016-05-10"),
            advice("A2", "P2", "2018-01-15", gemeente=UTR),
            advice("A3", "P3", "2017-02-01", uitkomst="negatief"),
            advice("A4", "P3", "2019-04-02"),
        ],
    )
    src["brp_verblijf"] += [lives("P2", UTR, "2000-01-01", "2018-12-31"), lives("P2", AMS, "2019-01-01")]
    result = run(inputs_dir(**src), tmp_path / "uit", "2019Q2", render=False, publications=["beschut_werk"])
    with open(result.output_dir / "beschut_werk_reeks.csv", encoding="utf-8") as f:
        cells = {(r["regio_code"], r["rij"], r["kolom"]): r["waarde"] for r in _csv.DictReader(f)}

    def row(region, q):
        return tuple(cells[(region, q, k)] for k in ("positief_advies_tm_cohortdatum", "werkend_uit_cohort", "percentage_werkend"))

    assert min(q for _, q, _ in cells) == "2016Q1" and max(q for _, q, _ in cells) == "2019Q2"
    assert row("AM18", "2016Q2") == ("0", "0", "")
    assert row("AM18", "2016Q3") == ("1", "1", "100")
    assert row("AM18", "2016Q4") == ("1", "0", "0")
    assert row("AM18", "2018Q4") == ("1", "0", "0")
    assert row("AM13", "2018Q1") == ("0", "0", "")
    assert row("AM13", "2018Q2") == ("1", "0", "0")
    assert row("AM13", "2018Q4") == ("1", "0", "0")
    assert row("AM13", "2019Q1") == ("0", "0", "")
    assert row("AM18", "2019Q1") == ("2", "0", "0")
    assert row("AM18", "2019Q2") == ("2", "1", "50")
    assert row("NL01", "2018Q3") == ("2", "0", "0")
    assert row("NL01", "2019Q2") == ("2", "1", "50")
    assert row("ONB", "2019Q2") == ("0", "0", "")
