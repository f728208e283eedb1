"""The register's part of ``regiorapportage demo``: an embedded register (SQLite) with the
synthetic decisions, the service started on 127.0.0.1 and one look-up over HTTP — the
short version of the README's walk-through.

The register lives in ``<demo>/register/`` (configuration with the public demo pseudonym
key, database, the credentials made here are not kept anywhere else); it is made anew on
every demo run."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PEILDATUM = date(2019, 6, 30)


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    config: Path
    besluiten: int
    bsn: str
    antwoord: bool
    onbekend_antwoord: bool


def _candidate(decisions: Path) -> str | None:
    """A person of the file with a Wajong registration from before the peildatum and no
    ending in the file: in the doelgroep on the peildatum (BA-2)."""
    started, ended = {}, set()
    with open(decisions, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["soort"] == "registratie" and row["grondslag"] == "wajong" and row["datum"] <= "2019-01-01":
                started.setdefault(row["bsn"], row["registratie_id"])
            elif row["soort"] in ("beeindiging", "uitschrijving", "bezwaar"):
                ended.add(row["registratie_id"])
            elif row["soort"] not in ("persoon", "registratie"):
                ended.add(row["bsn"])  # a person event (DR-3)
    for bsn, rid in started.items():
        if rid not in ended and bsn not in ended:
            return bsn
    return None


def run(decisions: Path, folder: Path) -> DemoResult:
    """Set up the register in ``folder`` from ``decisions``, serve it, and look up one BSN in
    the doelgroep and one unknown BSN. (That the register's extract is the generator's
    ``doelgroepregister`` is shown by ``tests/register/test_roundtrip.py``.)"""
    import httpx

    from regiorapportage.errors import UserError
    from regiorapportage.register import audit, auth, config as cfg, db, process, store
    from regiorapportage.register import decisions as dec
    from regiorapportage.synth import DEMO_PSEUDONIEMSLEUTEL

    if not decisions.exists():
        raise UserError(f"{decisions} ontbreekt: genereer de invoer met de banenafspraak")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    config = folder / "register.toml"
    settings = cfg.Settings(cfg.default_database(config), DEMO_PSEUDONIEMSLEUTEL, cfg.new_key(), cfg.new_key())
    cfg.write(config, settings)
    eng = db.engine(settings.database)
    try:
        db.migrate(eng)
        batch = dec.read_csv(decisions)
        with db.transaction(eng) as conn:
            summary = store.record(conn, batch, "demo")
            audit.append(conn, settings, beller="demo", actie="import", status=0,
                         detail=f"{decisions.name}: {len(batch)} besluiten; {summary.registraties} registraties")
            token = auth.create_credential(conn, "Demowerkgever BV", "opvrager", "werkgever", "123456789L01")
    finally:
        eng.dispose()
    bsn = _candidate(decisions)
    if bsn is None:
        raise UserError("geen persoon in de besluiten die op 30-06-2019 in de doelgroep is")
    port = process.free_port()
    proc = process.start(config, port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/opvragen"
        headers = {"Authorization": f"Bearer {token}"}
        yes = httpx.post(url, json={"bsn": bsn, "datum": PEILDATUM.isoformat()}, headers=headers, timeout=30)
        # 999990019: RvIG's range of test BSNs, never in the synthetic register
        no = httpx.post(url, json={"bsn": "999990019", "datum": PEILDATUM.isoformat()}, headers=headers, timeout=30)
    finally:
        process.stop(proc)
    for r in (yes, no):
        if r.status_code != 200:
            raise RuntimeError(f"de opvraging gaf status {r.status_code}: {r.text[:200]}")
    return DemoResult(folder, config, len(batch), bsn, yes.json()["in_doelgroep"], no.json()["in_doelgroep"])
