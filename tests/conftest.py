"""Shared fixtures: small hand-made input folders.

``write_inputs(folder, personen=[...], adviezen=[...], ...)`` writes CONTRACT-format CSV
files from lists of dicts (missing columns are left empty), plus bronnen.json. Sources not
given are written empty (header only), except gemeenten, which defaults to the packaged
2019 classification.
"""

from __future__ import annotations

# the register's database fixtures (database_url over SQLite and PostgreSQL, pg_cluster)
pytest_plugins = ["register_db"]

import csv
import json
import os
import sys
from pathlib import Path

import pytest

from regiorapportage.sources.schema import SOURCES

sys.path.insert(0, str(Path(__file__).parent))  # tests/: `from render_fixtures import ...`

EXTRACT = {"polis_ikv": "2019-10-15", "polis_tijdvak": "2019-10-15", "adviezen": "2019-10-15"}
# Sources written even when a test gives no rows (header only); optional ones only when given.
ALWAYS = [n for n, s in SOURCES.items() if n != "gemeenten" and not s.optional]


def pytest_addoption(parser):
    parser.addoption(
        "--engine",
        default=None,
        choices=["duckdb", "pyspark"],
        help="run the whole suite on this engine (sets $REGIORAPPORTAGE_ENGINE; default duckdb). "
        "tests/test_engines.py compares both engines in every run.",
    )


def pytest_configure(config):
    engine = config.getoption("--engine")
    if engine:
        # every pipeline.run / validate_inputs without an explicit engine uses it
        os.environ["REGIORAPPORTAGE_ENGINE"] = engine


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def write_inputs(folder: Path, extractiedatum: dict | None = None, **sources: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    unknown = set(sources) - set(SOURCES)
    assert not unknown, f"unknown sources {unknown}"
    for name in SOURCES:
        if name in ALWAYS or name in sources:
            write_csv(folder / f"{name}.csv", SOURCES[name].column_names, sources.get(name, []))
    (folder / "bronnen.json").write_text(json.dumps({"extractiedatum": extractiedatum or EXTRACT}))
    return folder


@pytest.fixture
def inputs_dir(tmp_path):
    def make(**sources):
        return write_inputs(tmp_path / "invoer", **sources)

    return make


# ----------------------------------------------------------------- small row builders
# Gemeenten used in the tests: GM0363 Amsterdam (AM18), GM0344 Utrecht (AM13),
# GM0599 Rotterdam (AM22), GM1960 West Betuwe (AM99).
AMS, UTR, RDAM, WBET = "GM0363", "GM0344", "GM0599", "GM1960"


def person(pid: str, born: str = "1990-01-01", died: str | None = None) -> dict:
    return {"persoon_id": pid, "geboortedatum": born, "overlijdensdatum": died}


def lives(pid: str, gemeente: str, begin: str = "2000-01-01", end: str | None = None) -> dict:
    return {"persoon_id": pid, "gemeente_code": gemeente, "begindatum": begin, "einddatum": end}


def advice(aid, pid, date, uitkomst="positief", aanvrager="gemeente", verantwoordelijke="gemeente", gemeente=AMS, requested=None):
    return {
        "advies_id": aid,
        "persoon_id": pid,
        "aanvraagdatum": requested or date,
        "adviesdatum": date,
        "aanvrager": aanvrager,
        "verantwoordelijke": verantwoordelijke,
        "uitkomst": uitkomst,
        "gemeente_code": gemeente,
    }


def job(ikv: str, pid: str, begin: str = "2018-01-01", end: str | None = None, werkgever: str = "W1") -> dict:
    return {"ikv_id": ikv, "persoon_id": pid, "werkgever_id": werkgever, "begindatum": begin, "einddatum": end}


def period(ikv: str, begin: str, end: str, loon, kind: str = "maand", uren="80") -> dict:
    return {
        "ikv_id": ikv,
        "tijdvak_type": kind,
        "tijdvak_begin": begin,
        "tijdvak_einde": end,
        "sv_loon": loon,
        "verloonde_uren": uren,
    }


def june(ikv: str, loon, uren="80") -> dict:
    return period(ikv, "2019-06-01", "2019-06-30", loon, uren=uren)


def small(tmp_path: Path, **kw) -> Path:
    """One person in Amsterdam with a positive advice who works in June 2019."""
    return write_inputs(
        tmp_path / "in",
        personen=[person("P1")],
        brp_verblijf=[lives("P1", AMS)],
        adviezen=[advice("A1", "P1", "2018-01-01")],
        polis_ikv=[job("I1", "P1")],
        polis_tijdvak=[june("I1", "100")],
        **kw,
    )


def run_cells(folder: Path, tmp_out: Path, quarter: str = "2019Q2", **kwargs) -> dict:
    """Run the Rapportage beschut werk (no rendering) and return
    {(regio, tabel, rij, kolom): waarde}."""
    import pandas as pd

    from regiorapportage.pipeline import run

    kwargs.setdefault("publications", ["beschut_werk"])
    result = run(folder, tmp_out, quarter, render=False, **kwargs)
    frame = pd.read_csv(result.output_dir / "beschut_werk.csv", dtype={"waarde": "int64"})
    cells = {(r.regio_code, r.tabel, r.rij, r.kolom): r.waarde for r in frame.itertuples()}
    cells["_result"] = result
    return cells


def _family(key: str):
    from regiorapportage.publications.registry import PUBLICATIONS

    return [p for p in PUBLICATIONS if p.family.key == key]


BA_PUBLICATIONS = [p.key for p in _family("banenafspraak")]
BA_FILES = [o.csv for p in _family("banenafspraak") for o in p.outputs]


def run_ba_cells(folder: Path, tmp_out: Path, quarter: str = "2019Q2", **kwargs) -> dict:
    """Run the three banenafspraak publications (no rendering) and return
    {(regio, tabel, rij, kolom): waarde} over their CSV files: ``int`` for whole numbers,
    ``Decimal`` for banen (two decimals as written), ``None`` for an empty cell."""
    import csv as _csv
    from decimal import Decimal

    from regiorapportage.pipeline import run

    kwargs.setdefault("publications", BA_PUBLICATIONS)
    result = run(folder, tmp_out, quarter, render=False, **kwargs)
    cells: dict = {"_result": result}
    for name in BA_FILES:
        path = result.output_dir / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for r in _csv.DictReader(f):
                v = r["waarde"]
                value = None if v == "" else (Decimal(v) if "." in v else int(v))
                cells[(r["regio_code"], r["tabel"], r["rij"], r["kolom"])] = value
    return cells


# ----------------------------------------------------------------- banenafspraak builders


def registration(rid: str, pid: str, grondslag: str = "wajong", begin: str = "2010-01-01", end: str | None = None,
                 reden: str | None = None) -> dict:
    return {"registratie_id": rid, "persoon_id": pid, "grondslag": grondslag, "begindatum": begin,
            "einddatum": end, "einde_reden": reden}


def employer(werkgever: str, begin: str, end: str, sector=1, totaal="1000", ufo="0") -> dict:
    return {"werkgever_id": werkgever, "tijdvak_begin": begin, "tijdvak_einde": end, "sector_wfsv": sector,
            "uren_totaal": totaal, "uren_ufo": ufo}


def profile(pid: str, begin: str = "2018-01-01", end: str | None = None, zichtbaar="true", cv=None, beroep=None,
            werkervaring=None) -> dict:
    return {"persoon_id": pid, "begindatum": begin, "einddatum": end, "zichtbaar": zichtbaar, "heeft_cv": cv,
            "heeft_beroep": beroep, "heeft_werkervaring": werkervaring}
