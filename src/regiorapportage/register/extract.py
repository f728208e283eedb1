"""DR-7: the register's extract for the reporting pipeline.

For a date D the service writes ``doelgroepregister.csv`` and ``personen.csv`` in the
CONTRACT format, with ``persoon_id`` = the keyed pseudonym of the BSN (DR-1) instead of the
BSN, and records D as their ``extractiedatum`` in ``bronnen.json`` (T-5), so that
``regiorapportage run`` works on the folder directly.

What the register holds about D, as it holds it when the extract is made:

- every registration that began on or before D, except a voided one (DR-4: a successful
  bezwaar makes it count on no date, and an extract made after the decision leaves it out —
  whatever D is; the look-up answers nee for it on every date as well);
- its ``einddatum`` and ``einde_reden`` when the ending took effect on or before D (an ending
  after D is in the future as seen from D: empty), including endings recorded later with an
  effect on or before D (the register's best knowledge of D, as the look-up uses it);
- ``personen``: the persons of those registrations with their birth date and, when the
  register knows of a death on or before D, the date of death.

Rows are sorted by ``registratie_id`` and ``persoon_id``."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from regiorapportage.register import store
from regiorapportage.register.pseudonym import persoon_id

REGISTER_COLUMNS = ("registratie_id", "persoon_id", "grondslag", "begindatum", "einddatum", "einde_reden")
PERSONEN_COLUMNS = ("persoon_id", "geboortedatum", "overlijdensdatum")


@dataclass(frozen=True)
class ExtractResult:
    registraties: int
    personen: int
    folder: Path


def rows(register, day: date, key: bytes) -> tuple[list[tuple], list[tuple]]:
    """The extract's rows of an in-memory register for ``day``."""
    pseudonyms: dict[str, str] = {}
    regs, persons = [], {}
    for reg in register.registrations.values():
        if reg.begindatum > day:
            continue
        state = register.state(reg.registratie_id)
        if state.vervallen_op is not None:
            continue
        ended = state.einddatum is not None and state.einddatum <= day
        pid = pseudonyms.get(reg.bsn) or pseudonyms.setdefault(reg.bsn, persoon_id(reg.bsn, key))
        regs.append((reg.registratie_id, pid, reg.grondslag, reg.begindatum.isoformat(),
                     state.einddatum.isoformat() if ended else "", state.einde_reden if ended else ""))
        person = register.persons[reg.bsn]
        died = person.overlijdensdatum if person.overlijdensdatum and person.overlijdensdatum <= day else None
        persons[pid] = (pid, person.geboortedatum.isoformat(), died.isoformat() if died else "")
    regs.sort()
    return regs, sorted(persons.values())


def _write_csv(path: Path, header: tuple[str, ...], data: list[tuple]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(data)
    os.replace(tmp, path)


def _record_date(folder: Path, day: date) -> None:
    path = folder / "bronnen.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc.setdefault("extractiedatum", {})
    for source in ("doelgroepregister", "personen"):
        doc["extractiedatum"][source] = day.isoformat()
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def write(eng: Engine, day: date, folder: Path, key: bytes, audit_entry=None) -> ExtractResult:
    """Write the extract for ``day`` into ``folder`` (created when missing; the two CSV files
    are replaced atomically, ``bronnen.json`` is merged). ``audit_entry(conn, result)``, when
    given, is written in a transaction that commits only after the files are in place, so
    there is no extract without its audit entry (DR-6)."""
    with eng.connect() as conn:
        register = store.load(conn)
    regs, persons = rows(register, day, key)
    result = ExtractResult(len(regs), len(persons), folder)
    from regiorapportage.register import db

    with db.transaction(eng) as conn:
        if audit_entry is not None:
            audit_entry(conn, result)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / "doelgroepregister.csv", REGISTER_COLUMNS, regs)
        _write_csv(folder / "personen.csv", PERSONEN_COLUMNS, persons)
        _record_date(folder, day)
    return result
