"""The register in a database (SQLite and PostgreSQL, the same code and migrations): DR-2
(append-only, a batch is one transaction), DR-3 (AOW applied by the service on the exact
day, death recorded), DR-4 (a voided registration leaves later extracts), DR-5 (the look-up
answers BA-2) and DR-7 (the extract in the CONTRACT format with pseudonyms). Hand-worked
cases; BSNs 111222333 and 123456782 pass the elfproef (see test_register_rules)."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from regiorapportage.register import db, extract, store
from regiorapportage.register.decisions import DecisionError, parse, read_csv, write_csv
from regiorapportage.register.pseudonym import persoon_id
from regiorapportage.register.schema import gebeurtenis, metadata, persoon, persoonsgebeurtenis, registratie

A, B = "111222333", "123456782"
KEY = b"s" * 32


def batch(*rows):
    return [parse(r, i) for i, r in enumerate(rows, start=1)]


def person(bsn, born):
    return {"soort": "persoon", "bsn": bsn, "geboortedatum": born}


def reg(rid, bsn, grondslag, begin, orgaan="UWV"):
    return {"soort": "registratie", "bsn": bsn, "registratie_id": rid, "grondslag": grondslag, "datum": begin,
            "orgaan": orgaan, "besluit_id": f"B-{rid}"}


def record(eng, *rows):
    with db.transaction(eng) as conn:
        return store.record(conn, batch(*rows), "test")


def counts(eng):
    with eng.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (persoon, registratie, gebeurtenis, persoonsgebeurtenis))


def answer(eng, bsn, day):
    with eng.connect() as conn:
        return store.in_doelgroep(conn, bsn, day)


def world(eng):
    record(eng, person(A, "1953-01-01"), reg("R1", A, "wajong", "2010-01-01"),
           reg("R2", A, "indicatie_banenafspraak", "2016-01-01"),
           person(B, "1990-01-01"), reg("R3", B, "quotumgroep", "2018-06-01"))


def test_schema_from_the_migrations_is_the_declared_schema(engine):
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    db.migrate(engine)  # idempotent
    assert db.is_migrated(engine)


def test_DR_2_a_batch_is_one_transaction_all_or_nothing(engine):
    with pytest.raises(DecisionError, match="besluit 4: .*1 januari 2020"):
        record(engine, person(A, "1953-01-01"), reg("R1", A, "wajong", "2010-01-01"),
               reg("R2", A, "wajong", "2011-01-01"),
               {"soort": "uitschrijving", "registratie_id": "R1", "verzoekdatum": "2019-12-31", "datum": "2020-01-10"})
    assert counts(engine) == (0, 0, 0, 0)  # the three valid decisions before it are not kept either
    world(engine)
    assert counts(engine) == (2, 3, 3, 0)


def test_DR_2_rows_are_appended_never_changed(engine):
    world(engine)
    with engine.connect() as conn:
        before = {t.name: sorted(map(tuple, conn.execute(select(t)))) for t in (persoon, registratie, gebeurtenis)}
    s = record(engine, {"soort": "beeindiging", "registratie_id": "R2", "datum": "2017-06-30"},
               {"soort": "bezwaar", "registratie_id": "R3", "datum": "2019-05-01"})
    assert (s.gebeurtenissen, s.registraties, s.personen) == (2, 0, 0)
    with engine.connect() as conn:
        after = {t.name: sorted(map(tuple, conn.execute(select(t)))) for t in (persoon, registratie, gebeurtenis)}
        soorten = [r.soort for r in conn.execute(select(gebeurtenis).order_by(gebeurtenis.c.id))]
    for name, rows in before.items():
        assert set(rows) <= set(after[name])  # every earlier row is still there, unchanged
    assert soorten == ["toegevoegd", "toegevoegd", "toegevoegd", "beeindigd", "vervallen"]
    # an ended registration cannot be ended again: refused, nothing recorded
    with pytest.raises(DecisionError, match="al beëindigd"):
        record(engine, {"soort": "beeindiging", "registratie_id": "R2", "datum": "2018-01-01"})
    assert counts(engine) == (2, 3, 5, 0)


def test_DR_3_bijwerken_applies_aow_on_the_exact_day(engine):
    world(engine)  # A born 1953-01-01: 2019 → 66 y 4 m → AOW day 2019-05-01
    with db.transaction(engine) as conn:
        assert store.apply_aow(conn, date(2019, 4, 30), "test").gebeurtenissen == 0
    with db.transaction(engine) as conn:
        s = store.apply_aow(conn, date(2019, 5, 1), "test")
    assert (s.gebeurtenissen, s.persoonsgebeurtenissen) == (2, 1)  # R1 and R2 of one person
    assert answer(engine, A, date(2019, 5, 1)) and not answer(engine, A, date(2019, 5, 2))
    with db.transaction(engine) as conn:  # applied once
        assert store.apply_aow(conn, date(2020, 1, 1), "test").gebeurtenissen == 0
    with engine.connect() as conn:
        ends = sorted((r.registratie_id, r.datum, r.reden) for r in conn.execute(
            select(gebeurtenis).where(gebeurtenis.c.soort == "beeindigd")))
    assert ends == [("R1", date(2019, 5, 1), "aow"), ("R2", date(2019, 5, 1), "aow")]


def test_DR_3_recorded_aow_must_be_the_aow_day(engine):
    world(engine)
    with pytest.raises(DecisionError, match="AOW-leeftijd"):
        record(engine, {"soort": "aow", "bsn": A, "datum": "2019-04-30"})
    record(engine, {"soort": "aow", "bsn": A, "datum": "2019-05-01"})
    assert not answer(engine, A, date(2019, 5, 2))


def test_DR_3_death_ends_everything_and_is_known_to_the_extract(engine, tmp_path):
    world(engine)
    record(engine, {"soort": "overlijden", "bsn": B, "datum": "2019-08-10", "orgaan": "BRP"})
    assert answer(engine, B, date(2019, 8, 10)) and not answer(engine, B, date(2019, 8, 11))
    with pytest.raises(DecisionError, match="overlijden"):
        record(engine, reg("R9", B, "wajong", "2019-09-01"))
    extract.write(engine, date(2019, 8, 9), tmp_path / "voor", KEY)
    extract.write(engine, date(2019, 8, 10), tmp_path / "na", KEY)
    pid = persoon_id(B, KEY)
    assert _csv(tmp_path / "voor" / "personen.csv")[pid]["overlijdensdatum"] == ""
    assert _csv(tmp_path / "na" / "personen.csv")[pid]["overlijdensdatum"] == "2019-08-10"
    rows = _csv(tmp_path / "na" / "doelgroepregister.csv")
    assert (rows["R3"]["einddatum"], rows["R3"]["einde_reden"]) == ("2019-08-10", "overlijden")


def test_DR_4_a_voided_registration_counts_never_and_leaves_later_extracts(engine, tmp_path):
    world(engine)
    extract.write(engine, date(2019, 4, 30), tmp_path / "voor", KEY)  # made before the decision
    record(engine, {"soort": "bezwaar", "registratie_id": "R3", "datum": "2019-05-01"})
    assert not answer(engine, B, date(2019, 1, 1))  # not even before the decision
    extract.write(engine, date(2019, 4, 30), tmp_path / "na", KEY)  # made after it, for the same date
    before, after = _csv(tmp_path / "voor" / "doelgroepregister.csv"), _csv(tmp_path / "na" / "doelgroepregister.csv")
    assert "R3" in before and (before["R3"]["einddatum"], before["R3"]["einde_reden"]) == ("", "")
    assert "R3" not in after and set(after) == {"R1", "R2"}
    assert persoon_id(B, KEY) not in _csv(tmp_path / "na" / "personen.csv")  # nor the person


def test_DR_4_uitschrijving_from_2020_through_the_store(engine):
    world(engine)
    record(engine, {"soort": "uitschrijving", "registratie_id": "R3", "verzoekdatum": "2020-01-02",
                    "datum": "2020-02-01"})
    assert answer(engine, B, date(2020, 2, 1)) and not answer(engine, B, date(2020, 2, 2))


def test_DR_3_gaps_closed(engine):
    world(engine)
    # a second death, a death before a registration began, a future date: refused
    record(engine, {"soort": "overlijden", "bsn": B, "datum": "2019-08-10"})
    with pytest.raises(DecisionError, match="al vastgelegd"):
        record(engine, {"soort": "overlijden", "bsn": B, "datum": "2019-01-01"})
    with pytest.raises(DecisionError, match="begint na deze datum"):
        record(engine, {"soort": "overlijden", "bsn": A, "datum": "2012-01-01"})  # R2 begins 2016
    with pytest.raises(DecisionError, match="toekomst"):
        record(engine, {"soort": "beeindiging", "registratie_id": "R1", "datum": "2999-01-01"})
    with pytest.raises(DecisionError, match="geboortedatum"):
        record(engine, reg("R8", A, "wajong", "1952-12-31"))
    with pytest.raises(DecisionError, match="R1 bestaat al"):  # an id of another person's registration
        record(engine, reg("R1", B, "wajong", "2019-01-01"))
    # an ending recorded for later is overtaken by an earlier immediate ending (DR-3)
    record(engine, {"soort": "beeindiging", "registratie_id": "R2", "datum": "2018-12-31"},
           {"soort": "duurzaam_geen_arbeidsvermogen", "bsn": A, "datum": "2018-06-01"})
    with engine.connect() as conn:
        state = store.load(conn, [A])
    assert (state.state("R2").einddatum, state.state("R2").einde_reden) == (date(2018, 6, 1),
                                                                             "duurzaam_geen_arbeidsvermogen")
    assert not answer(engine, A, date(2018, 6, 2))


def test_DR_5_lookup_is_one_query_of_one_shape(engine):
    from sqlalchemy import event

    world(engine)
    record(engine, {"soort": "bezwaar", "registratie_id": "R3", "datum": "2019-05-01"})
    seen = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, stmt, *a: seen.append(stmt))
    for bsn in (A, B, "100000010"):  # in the doelgroep, voided, unknown
        seen.clear()
        answer(engine, bsn, date(2019, 6, 30))
        assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
        shape = seen[-1] if bsn == A else shape
        assert seen[-1] == shape


def test_DR_5_lookup_follows_BA_2(engine):
    world(engine)
    record(engine, person("999999990", "1980-05-05"), reg("W1", "999999990", "wsw_begeleid_werk", "2019-03-01",
                                                           "GM0363"))
    assert not answer(engine, "999999990", date(2019, 6, 30))  # Wsw from March: nee until 1 January
    assert answer(engine, "999999990", date(2020, 1, 1))
    assert not answer(engine, B, date(2018, 11, 30)) and answer(engine, B, date(2018, 12, 1))  # quotumgroep
    assert not answer(engine, "100000010", date(2019, 6, 30))  # unknown (9 + 2 = 11): simply nee


def test_DR_7_extract_in_the_contract_format(engine, tmp_path):
    world(engine)
    record(engine, {"soort": "beeindiging", "registratie_id": "R2", "datum": "2020-03-31"},
           person("999999990", "1980-05-05"), reg("W1", "999999990", "wajong", "2020-01-01"))
    out = tmp_path / "invoer"
    out.mkdir()
    (out / "bronnen.json").write_text(json.dumps({"extractiedatum": {"polis_ikv": "2020-01-31"}}))
    result = extract.write(engine, date(2019, 12, 31), out, KEY)
    assert (result.registraties, result.personen) == (3, 2)  # W1 begins after the date
    with open(out / "doelgroepregister.csv", encoding="utf-8") as f:
        lines = f.read().splitlines()
    pa, pb = persoon_id(A, KEY), persoon_id(B, KEY)
    assert lines == [
        "registratie_id,persoon_id,grondslag,begindatum,einddatum,einde_reden",
        f"R1,{pa},wajong,2010-01-01,,",
        f"R2,{pa},indicatie_banenafspraak,2016-01-01,,",  # ended 2020-03-31: not known on the date
        f"R3,{pb},quotumgroep,2018-06-01,,",
    ]
    assert (out / "personen.csv").read_text().splitlines() == [
        "persoon_id,geboortedatum,overlijdensdatum", *sorted([f"{pa},1953-01-01,", f"{pb},1990-01-01,"])]
    assert json.loads((out / "bronnen.json").read_text())["extractiedatum"] == {
        "polis_ikv": "2020-01-31", "doelgroepregister": "2019-12-31", "personen": "2019-12-31"}
    assert A not in (out / "doelgroepregister.csv").read_text()


def test_decisions_file_round_trip_and_refusals(tmp_path):
    ds = batch(person(A, "1953-01-01"), reg("R1", A, "wajong", "2010-01-01"),
               {"soort": "uitschrijving", "registratie_id": "R1", "verzoekdatum": "2020-01-02", "datum": "2020-02-01"})
    write_csv(tmp_path / "b.csv", ds)
    assert read_csv(tmp_path / "b.csv") == ds
    for bad, message in [
        ({"soort": "persoon", "bsn": "123456789", "geboortedatum": "1990-01-01"}, "elfproef"),
        ({"soort": "persoon", "bsn": "' OR 1=1 --", "geboortedatum": "1990-01-01"}, "negen cijfers"),
        ({"soort": "persoon", "bsn": A}, "mist geboortedatum"),
        ({"soort": "registratie", "bsn": A, "registratie_id": "R", "grondslag": "wajong", "datum": "2019-02-30",
          "orgaan": "UWV", "besluit_id": "B"}, "geen datum"),
        ({"soort": "wissen", "bsn": A}, "onbekende soort"),
        ({"soort": "persoon", "bsn": A, "geboortedatum": "1990-01-01", "naam": "X"}, "onbekende sleutel"),
        ({"soort": "bezwaar", "registratie_id": "R1", "datum": "2019-01-01", "grondslag": "wajong"}, "heeft geen"),
    ]:
        with pytest.raises(DecisionError, match=message) as e:
            parse(bad, 7)
        assert "besluit 7" in str(e.value) and "123456789" not in str(e.value)


def _csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    key = "registratie_id" if "registratie_id" in rows[0] else "persoon_id"
    return {r[key]: r for r in rows}
