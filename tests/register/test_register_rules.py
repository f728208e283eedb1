"""The doelgroepregister's rules (SPEC DR-1 … DR-4, BA-2, GLOSSARY AOW table) on hand-worked
cases. The service, its database and its access rules build on these (issue 14)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from regiorapportage.register import bsn as B
from regiorapportage.register.pseudonym import persoon_id
from regiorapportage.register.rules import Person, Register, RegisterError, Registration, aow_dag

OP = datetime(2020, 1, 1, 12, 0)
KEY = b"k" * 32
# 9·1 + 8·1 + 7·1 + 6·2 + 5·2 + 4·2 + 3·3 + 2·3 − 3 = 66 = 6 × 11
VALID = "111222333"


# ------------------------------------------------------------------ DR-1


def test_DR_1_elfproef_valid_invalid_and_all_zeros():
    assert B.is_valid(VALID)
    # 123456789: 9+16+21+24+25+24+21+16−9 = 147 = 13 × 11 + 4 → no
    assert not B.is_valid("123456789")
    assert not B.is_valid("000000000")  # sum 0: excluded
    for bad in ("12345678", "1234567890", "11122233a", " 11122233", "", None, 111222333):
        assert not B.is_valid(bad)
    with pytest.raises(B.InvalidBSN, match="elfproef") as e:
        B.validate("123456789")
    assert "123456789" not in str(e.value)  # the value is not echoed
    with pytest.raises(B.InvalidBSN, match="alleen nullen"):
        B.validate("000000000")
    with pytest.raises(B.InvalidBSN, match="precies negen cijfers"):
        B.validate("11122233a")


def test_DR_1_pseudonym_is_a_keyed_hmac_and_needs_a_real_key():
    a = persoon_id(VALID, KEY)
    assert len(a) == 64 and a == persoon_id(VALID, KEY)  # stable: the same person in every source
    assert a != persoon_id(VALID, b"j" * 32)  # another key, another pseudonym
    assert VALID not in a
    import hashlib
    import hmac

    assert a == hmac.new(KEY, VALID.encode(), hashlib.sha256).hexdigest()
    with pytest.raises(Exception, match="minstens 32 bytes"):
        persoon_id(VALID, b"kort")
    with pytest.raises(B.InvalidBSN):
        persoon_id("123456789", KEY)


# ------------------------------------------------------------------ DR-3 AOW


def test_DR_3_aow_day_from_the_glossary_table_with_the_short_month_rule():
    # 2019: 66 y 4 m → born 1953-01-01 reaches it on 2019-05-01
    assert aow_dag(date(1953, 1, 1)) == date(2019, 5, 1)
    # born 1953-08-31 + 66 y 4 m = 2019-12-31 (still 2019)
    assert aow_dag(date(1953, 8, 31)) == date(2019, 12, 31)
    # born 1953-10-31: 2020 (66 y 4 m) → 2020-02-31 does not exist → the last day, 2020-02-29
    assert aow_dag(date(1953, 10, 31)) == date(2020, 2, 29)
    # born 1952-03-15: 2017 (65 y 9 m) gives 2017-12-15, inside 2017 → reached then
    assert aow_dag(date(1952, 3, 15)) == date(2017, 12, 15)
    # born 1952-04-01: 2017 gives 2018-01-01 (not in 2017); 2018 (66 y) gives 2018-04-01
    assert aow_dag(date(1952, 4, 1)) == date(2018, 4, 1)


def world():
    r = Register()
    r.add_person(Person(VALID, date(1953, 1, 1)))
    r.add(Registration("R1", VALID, "wajong", date(2010, 1, 1), "UWV", "B1"), "beheer", OP)
    r.add(Registration("R2", VALID, "indicatie_banenafspraak", date(2016, 1, 1), "UWV", "B2"), "beheer", OP)
    return r


def test_DR_3_aow_ends_every_open_registration_on_the_exact_day():
    r = world()
    assert r.apply_aow(date(2019, 4, 30), "beheer", OP) == []  # the day before: nothing
    assert r.in_doelgroep(VALID, date(2019, 4, 30))
    assert sorted(r.apply_aow(date(2019, 5, 1), "beheer", OP)) == ["R1", "R2"]
    assert r.state("R1").einddatum == date(2019, 5, 1) and r.state("R1").einde_reden == "aow"
    assert r.in_doelgroep(VALID, date(2019, 5, 1))  # T-2: the einddatum is the last day covered
    assert not r.in_doelgroep(VALID, date(2019, 5, 2))
    assert r.apply_aow(date(2020, 1, 1), "beheer", OP) == []  # applied once


@pytest.mark.parametrize("reden", ["overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk"])
def test_DR_3_death_arbeidsvermogen_and_beschut_werk_end_every_open_registration(reden):
    r = world()
    r.end("R2", date(2017, 6, 30), "overig", "beheer", OP)  # already ended: stays as it was
    assert r.person_event(VALID, reden, date(2018, 3, 1), "beheer", OP) == ["R1"]
    assert r.state("R1").einde_reden == reden and r.state("R1").einddatum == date(2018, 3, 1)
    assert r.state("R2").einde_reden == "overig"
    assert not r.in_doelgroep(VALID, date(2018, 3, 2))
    if reden == "overlijden":
        with pytest.raises(RegisterError, match="overlijden"):
            r.add(Registration("R3", VALID, "wajong", date(2018, 4, 1), "UWV", "B3"), "beheer", OP)


def test_DR_2_events_are_appended_never_changed():
    r = world()
    before = list(r.events)
    r.end("R1", date(2015, 1, 1), "overig", "beheer", OP)
    assert not r.end("R1", date(2016, 1, 1), "overig", "beheer", OP)  # already ended: nothing recorded
    assert r.events[: len(before)] == before and len(r.events) == len(before) + 1
    assert r.events[-1].door == "beheer" and r.events[-1].op == OP
    with pytest.raises(RegisterError, match="bestaat al"):
        r.add(Registration("R1", VALID, "wajong", date(2011, 1, 1), "UWV", "B9"), "beheer", OP)


# ------------------------------------------------------------------ DR-4


def test_DR_4_no_automatic_outflow():
    # nothing ends a registration because years pass without work (t+2 not applied)
    r = Register()
    r.add_person(Person(VALID, date(1990, 1, 1)))
    r.add(Registration("R1", VALID, "indicatie_banenafspraak", date(2015, 1, 1), "UWV", "B1"), "beheer", OP)
    r.apply_aow(date(2025, 1, 1), "beheer", OP)
    assert r.in_doelgroep(VALID, date(2024, 12, 31)) and r.state("R1").einddatum is None


def test_DR_4_uitschrijving_only_for_requests_from_2020():
    r = world()
    with pytest.raises(RegisterError, match="1 januari 2020"):
        r.uitschrijving("R1", date(2019, 12, 31), date(2020, 1, 15), "beheer", OP)
    assert r.state("R1").einddatum is None  # nothing recorded
    r.uitschrijving("R2", date(2020, 1, 1), date(2020, 1, 15), "beheer", OP)
    assert r.state("R2").einddatum == date(2020, 1, 15) and r.state("R2").einde_reden == "uitschrijving_verzoek"


def test_DR_4_voided_registration_counts_on_no_date_and_leaves_later_extracts():
    r = Register()
    r.add_person(Person(VALID, date(1990, 1, 1)))
    r.add(Registration("R1", VALID, "wajong", date(2015, 1, 1), "UWV", "B1"), "beheer", OP)
    r.void("R1", date(2019, 3, 1), "beheer", OP)
    assert not r.in_doelgroep(VALID, date(2016, 6, 30))  # not even before the decision
    assert r.state("R1", known_at=date(2019, 2, 28)).vervallen_op is None  # an extract before it
    assert r.state("R1", known_at=date(2019, 3, 1)).vervallen_op == date(2019, 3, 1)  # and after
    with pytest.raises(RegisterError, match="void"):
        r.end("R1", date(2019, 3, 1), "bezwaar", "beheer", OP)


# ------------------------------------------------------------------ BA-2 through the register


def test_BA_2_wsw_from_march_answers_nee_until_1_january():
    r = Register()
    r.add_person(Person(VALID, date(1990, 1, 1)))
    r.add(Registration("R1", VALID, "wsw_begeleid_werk", date(2019, 3, 1), "gemeente", "W1"), "beheer", OP)
    assert not r.in_doelgroep(VALID, date(2019, 6, 30))
    assert not r.in_doelgroep(VALID, date(2019, 12, 31))
    assert r.in_doelgroep(VALID, date(2020, 1, 1))


def test_BA_2_quotumgroep_before_and_after_2018_12_01():
    r = Register()
    r.add_person(Person(VALID, date(1990, 1, 1)))
    r.add(Registration("R1", VALID, "quotumgroep", date(2018, 6, 1), "UWV", "Q1"), "beheer", OP)
    assert not r.in_doelgroep(VALID, date(2018, 11, 30))
    assert r.in_doelgroep(VALID, date(2018, 12, 1))


def test_unknown_bsn_is_simply_not_in_the_doelgroep():
    # 123456782: 9+16+21+24+25+24+21+16−2 = 154 = 14 × 11, a valid BSN nobody registered
    assert B.is_valid("123456782") and not world().in_doelgroep("123456782", date(2019, 6, 30))
