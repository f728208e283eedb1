"""The synthetic round trip (issue 14, item 5; DR-1 … DR-7).

The generator writes the register's decisions beside its inputs (``register/besluiten.csv``).
Recorded in an empty register in one transaction (``store.record``, door "import") and
extracted for the generator's extract date with the demo key (``extract.write``), they give
the generator's ``doelgroepregister.csv`` byte for byte, and its ``personen`` rows for the
same persons except the deaths the register was never told of (the BA-3 cases of a
registration that outlives the death). The pipeline then publishes exactly the same on the
extract as on the generator's file.

Scale 0.1 (about 38,000 register persons), generated once per module, without faulty rows
(those are rows no register would hold)."""

from __future__ import annotations

import csv
import os
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from regiorapportage.pipeline import run
from regiorapportage.register import db, extract, store
from regiorapportage.register.decisions import read_csv
from regiorapportage.register.pseudonym import persoon_id
from regiorapportage.register.rules import UITSCHRIJVING_VANAF
from regiorapportage.synth import (
    DECISIONS_FILE, DECISIONS_FOLDER, DEMO_PSEUDONIEMSLEUTEL, EXTRACTIEDATUM_LATE, generate_detailed,
)

SCALE = 0.1
SEED = 2019
DAY = date.fromisoformat(EXTRACTIEDATUM_LATE)  # 2020-07-15: the generator's register extract
KEY = DEMO_PSEUDONIEMSLEUTEL
UWV = {"wajong", "indicatie_banenafspraak", "verminderde_loonwaarde", "quotumgroep"}
TIMES: dict[str, float] = {}


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rondgang") / "invoer"
    started = time.perf_counter()
    result = generate_detailed(folder, scale=SCALE, seed=SEED, faults=False)
    TIMES["generate"] = time.perf_counter() - started
    started = time.perf_counter()
    decisions = read_csv(folder / DECISIONS_FOLDER / DECISIONS_FILE)
    TIMES["read decisions"] = time.perf_counter() - started
    assert len(decisions) == result.besluiten
    return folder, decisions


def import_and_extract(url: str, decisions, folder: Path, label: str):
    eng = db.engine(url)
    try:
        db.migrate(eng)
        started = time.perf_counter()
        with db.transaction(eng) as conn:
            summary = store.record(conn, decisions, "import")
        TIMES[f"import {label}"] = time.perf_counter() - started
        started = time.perf_counter()
        result = extract.write(eng, DAY, folder, KEY)
        TIMES[f"extract {label}"] = time.perf_counter() - started
    finally:
        eng.dispose()
    return summary, result


@pytest.fixture(scope="module")
def sqlite_extract(synthetic, tmp_path_factory):
    _, decisions = synthetic
    base = tmp_path_factory.mktemp("register")
    summary, result = import_and_extract(f"sqlite:///{base / 'register.db'}", decisions, base / "extract", "sqlite")
    return summary, result


def outlive_death(folder: Path) -> set[str]:
    """From the generator's files alone: persons with a registration that is still open after
    their death (up to the extract date), begins after it or ends after it — the register was
    not told of those deaths."""
    died = {r[0]: date.fromisoformat(r[2]) for r in rows(folder / "personen.csv") if r[2]}
    out = set()
    for rid, pid, _, begin, end, _ in rows(folder / "doelgroepregister.csv"):
        d = died.get(pid)
        if d and d <= DAY and (not end or date.fromisoformat(end) > d or date.fromisoformat(begin) > d):
            out.add(pid)
    return out


# --------------------------------------------------------------------- the decisions file


def test_decisions_are_valid_and_in_an_order_that_applies(synthetic):
    folder, decisions = synthetic
    kinds = [d.soort for d in decisions]
    n_persons = kinds.count("persoon")
    assert set(kinds[:n_persons]) == {"persoon"} and "persoon" not in kinds[n_persons:]  # persons first
    bsns = [d.bsn for d in decisions[:n_persons]]
    assert bsns == sorted(set(bsns))  # read_csv checked the elfproef of every one
    days = [d.datum for d in decisions[n_persons:]]
    assert days == sorted(days) and days[-1] <= DAY  # then by date, nothing after the extract
    counts = Counter(kinds)
    assert counts["registratie"] > 30_000
    for kind in ("beeindiging", "uitschrijving", "bezwaar", "aow", "overlijden", "duurzaam_geen_arbeidsvermogen",
                 "beschut_werk"):
        assert counts[kind] >= 3, kind
    # DR-4: removal on request for requests from 2020, granted on or after the request
    for d in decisions:
        if d.soort == "uitschrijving":
            assert UITSCHRIJVING_VANAF <= d.verzoekdatum <= d.datum
    # the deciding body: UWV, or a gemeente for Wsw and Wiw/ID; every decision has an id
    for d in decisions:
        if d.soort == "registratie":
            assert d.besluit_id and (d.orgaan == "UWV") == (d.grondslag in UWV), d
            assert d.orgaan == "UWV" or re.fullmatch(r"GM\d{4}|gemeente", d.orgaan), d
    ids = [d.besluit_id for d in decisions if d.besluit_id]
    assert len(ids) == len(set(ids))


def test_voided_registrations_are_only_in_the_decisions(synthetic):
    folder, decisions = synthetic
    voided = {d.registratie_id for d in decisions if d.soort == "bezwaar"}
    registered = {d.registratie_id for d in decisions if d.soort == "registratie"}
    in_file = {r[0] for r in rows(folder / "doelgroepregister.csv")}
    assert len(voided) >= 5 and voided <= registered
    assert not voided & in_file and registered - voided == in_file
    assert all(d.datum <= DAY for d in decisions if d.soort == "bezwaar")


def test_DR_1_persoon_id_is_the_pseudonym_of_the_bsn(synthetic):
    folder, decisions = synthetic
    pseudonyms = {persoon_id(d.bsn, KEY) for d in decisions if d.soort == "persoon"}
    assert pseudonyms == {r[1] for r in rows(folder / "doelgroepregister.csv")}
    personen = [r[0] for r in rows(folder / "personen.csv")]
    assert len(set(personen)) == len(personen) and pseudonyms <= set(personen)
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in personen)


# --------------------------------------------------------------------- import → extract


def test_DR_7_round_trip_gives_the_generators_doelgroepregister(synthetic, sqlite_extract):
    folder, decisions = synthetic
    summary, result = sqlite_extract
    counts = Counter(d.soort for d in decisions)
    assert summary.personen == counts["persoon"] and summary.registraties == counts["registratie"]
    assert (result.folder / "doelgroepregister.csv").read_bytes() == (folder / "doelgroepregister.csv").read_bytes()


def test_DR_7_round_trip_gives_the_generators_personen_but_untold_deaths(synthetic, sqlite_extract):
    folder, _ = synthetic
    _, result = sqlite_extract
    generated = {r[0]: r for r in rows(folder / "personen.csv")}
    extracted = rows(result.folder / "personen.csv")
    assert len(extracted) == len({r[1] for r in rows(folder / "doelgroepregister.csv")})
    differ = {r[0] for r in extracted if generated[r[0]] != r}
    untold = outlive_death(folder)
    assert differ == untold and 3 <= len(untold) < 20
    for r in extracted:
        if r[0] in untold:  # the same person, only the date of death is not known to the register
            assert r[:2] == generated[r[0]][:2] and r[2] == "" and generated[r[0]][2]


def test_round_trip_publications_are_identical(synthetic, sqlite_extract, tmp_path):
    folder, _ = synthetic
    _, result = sqlite_extract
    other = tmp_path / "invoer_extract"
    other.mkdir()
    for f in folder.iterdir():
        if f.is_file() and f.name != "doelgroepregister.csv":
            os.link(f, other / f.name)
    os.link(result.folder / "doelgroepregister.csv", other / "doelgroepregister.csv")
    for period in ("2019Q2", "2019"):
        started = time.perf_counter()
        a = run(folder, tmp_path / "generator", period, render=False)
        b = run(other, tmp_path / "extract", period, render=False)
        TIMES[f"runs {period}"] = time.perf_counter() - started
        names = sorted(p.name for p in a.output_dir.glob("*.csv"))
        assert names == sorted(p.name for p in b.output_dir.glob("*.csv")) and len(names) >= (5 if "Q" in period else 1)
        for name in names:
            assert (a.output_dir / name).read_bytes() == (b.output_dir / name).read_bytes(), f"{period}/{name}"
    print("\nrondgang schaal", SCALE, {k: round(v, 1) for k, v in TIMES.items()})


def test_round_trip_on_postgresql(synthetic, postgresql_url, tmp_path):
    folder, decisions = synthetic
    _, result = import_and_extract(postgresql_url, decisions, tmp_path / "extract", "postgresql")
    assert (result.folder / "doelgroepregister.csv").read_bytes() == (folder / "doelgroepregister.csv").read_bytes()
    generated = {r[0]: r for r in rows(folder / "personen.csv")}
    differ = {r[0] for r in rows(result.folder / "personen.csv") if generated[r[0]] != r}
    assert differ == outlive_death(folder)
    print("\nrondgang PostgreSQL schaal", SCALE, {k: round(v, 1) for k, v in TIMES.items() if "postgresql" in k})
