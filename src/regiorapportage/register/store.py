"""The register in the database: loads the part a change or a look-up concerns into the
in-memory ``rules.Register``, applies the rules there, and appends the new rows in the same
transaction (the caller's ``conn``). Nothing is updated or deleted (DR-2).

Changes to the register are serialised: on PostgreSQL by a transaction-level advisory lock,
on SQLite by ``BEGIN IMMEDIATE`` (``db``). A look-up only reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Connection, select, text

from regiorapportage.register import db
from regiorapportage.register.decisions import Decision, DecisionError, apply
from regiorapportage.register.rules import (
    DIRECT_REDENEN,
    Event,
    Person,
    Register,
    RegisterError,
    Registration,
    aow_dag,
)
from regiorapportage.register.schema import gebeurtenis, persoon, persoonsgebeurtenis, registratie

CHANGE_LOCK = 0x52454731  # "REG1": one writer of register data at a time (PostgreSQL)
_CHUNK = 500
_LOAD_ALL_ABOVE = 2_000  # persons; a larger batch loads the whole register at once


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Summary:
    """What one batch recorded."""

    personen: int
    registraties: int
    gebeurtenissen: int
    persoonsgebeurtenissen: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def load(conn: Connection, bsns: Iterable[str] | None = None) -> Register:
    """The register of ``bsns`` (None: everyone) as stored."""
    wanted = None if bsns is None else sorted(set(bsns))
    persons, regs, events, deaths = [], [], [], {}

    def rows(table, column, extra_order=None):
        order = [extra_order] if extra_order is not None else []
        if wanted is None:
            yield from conn.execute(select(table).order_by(*order))
            return
        for chunk in _chunks(wanted):
            yield from conn.execute(select(table).where(column.in_(chunk)).order_by(*order))

    for r in rows(persoonsgebeurtenis, persoonsgebeurtenis.c.bsn, persoonsgebeurtenis.c.id):
        if r.soort == "overlijden":
            deaths.setdefault(r.bsn, r.datum)
    for r in rows(persoon, persoon.c.bsn):
        persons.append(Person(r.bsn, r.geboortedatum, deaths.get(r.bsn)))
    for r in rows(registratie, registratie.c.bsn):
        regs.append(_registration(r, r.bsn))
    reg_ids = [r.registratie_id for r in regs]
    ev_rows = []
    if wanted is None:
        ev_rows = list(conn.execute(select(gebeurtenis).order_by(gebeurtenis.c.id)))
    else:
        for chunk in _chunks(reg_ids):
            ev_rows += conn.execute(select(gebeurtenis).where(gebeurtenis.c.registratie_id.in_(chunk)))
        ev_rows.sort(key=lambda r: r.id)
    for r in ev_rows:
        events.append(_event(r))
    reg = Register()
    reg.load(persons, regs, events)
    return reg


def _registration(r, bsn: str) -> Registration:
    return Registration(r.registratie_id, bsn, r.grondslag, r.begindatum, r.orgaan, r.besluit_id)


def _event(r) -> Event:
    return Event(r.soort, r.registratie_id, r.datum, r.reden, r.door, _utc(r.op))


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _lock_changes(conn: Connection) -> None:
    if db.is_postgresql(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOCK})


def _persons_of(conn: Connection, decisions: list[Decision]) -> set[str]:
    bsns = {d.bsn for d in decisions if d.bsn}
    in_batch = {d.registratie_id for d in decisions if d.soort == "registratie"}
    refs = sorted({d.registratie_id for d in decisions if d.registratie_id} - in_batch)
    for chunk in _chunks(refs):
        bsns |= {r.bsn for r in conn.execute(select(registratie.c.bsn).where(registratie.c.registratie_id.in_(chunk)))}
    return bsns


def _save(conn: Connection, reg: Register, before: tuple[set, set, int], person_rows: list[dict], door: str,
          op: datetime) -> Summary:
    persons_before, regs_before, n_events = before
    new_persons = [p for b, p in reg.persons.items() if b not in persons_before]
    new_regs = [r for i, r in reg.registrations.items() if i not in regs_before]
    new_events = reg.events[n_events:]
    if new_persons:
        conn.execute(persoon.insert(), [
            {"bsn": p.bsn, "geboortedatum": p.geboortedatum, "door": door, "op": op}
            for p in new_persons
        ])
    if new_regs:
        conn.execute(registratie.insert(), [
            {"registratie_id": r.registratie_id, "bsn": r.bsn, "grondslag": r.grondslag, "begindatum": r.begindatum,
             "orgaan": r.orgaan, "besluit_id": r.besluit_id} for r in new_regs
        ])
    if new_events:
        conn.execute(gebeurtenis.insert(), [
            {"registratie_id": e.registratie_id, "soort": e.soort, "datum": e.datum, "reden": e.reden,
             "door": e.door, "op": e.op} for e in new_events
        ])
    if person_rows:
        conn.execute(persoonsgebeurtenis.insert(), person_rows)
    return Summary(len(new_persons), len(new_regs), len(new_events), len(person_rows))


def record(conn: Connection, decisions: list[Decision], door: str) -> Summary:
    """Apply a batch of decisions in order, in the caller's transaction (all or nothing: a
    refused decision raises ``DecisionError`` naming it, and the caller rolls back)."""
    _lock_changes(conn)
    touched = _persons_of(conn, decisions)
    reg = load(conn, None if len(touched) > _LOAD_ALL_ABOVE else touched)
    before = (set(reg.persons), set(reg.registrations), len(reg.events))
    op = now()
    _refuse_known_ids(conn, decisions, reg)
    person_rows: list[dict] = []
    for i, d in enumerate(decisions, start=1):
        if d.soort == "persoon" and d.bsn in reg.persons:
            raise DecisionError(i, "deze persoon staat al in het register")
        apply(reg, d, i, door, op)
        if d.soort in (*DIRECT_REDENEN, "aow"):
            person_rows.append({"soort": d.soort, "bsn": d.bsn, "datum": d.datum, "orgaan": d.orgaan,
                                "besluit_id": d.besluit_id, "door": door, "op": op})
    return _save(conn, reg, before, person_rows, door, op)


def _refuse_known_ids(conn: Connection, decisions: list[Decision], reg: Register) -> None:
    """A new registration's id must be new in the whole register, not only among the persons
    loaded for the batch."""
    new = {d.registratie_id: i for i, d in enumerate(decisions, start=1) if d.soort == "registratie"}
    unknown_here = sorted(set(new) - set(reg.registrations))
    for chunk in _chunks(unknown_here):
        taken = conn.execute(select(registratie.c.registratie_id).where(registratie.c.registratie_id.in_(chunk))).first()
        if taken is not None:
            raise DecisionError(new[taken.registratie_id], f"registratie {taken.registratie_id} bestaat al")


def apply_aow(conn: Connection, up_to: date, door: str) -> Summary:
    """DR-3: end every open registration of every person whose AOW day is on or before
    ``up_to`` on that day, in the caller's transaction."""
    _lock_changes(conn)
    candidates = _persons_with_open_registrations(conn)
    born = {}
    for chunk in _chunks(sorted(candidates)):
        born.update({r.bsn: r.geboortedatum for r in conn.execute(
            select(persoon.c.bsn, persoon.c.geboortedatum).where(persoon.c.bsn.in_(chunk)))})
    due = sorted(b for b, g in born.items() if (day := aow_dag(g)) is not None and day <= up_to)
    reg = load(conn, due)
    before = (set(reg.persons), set(reg.registrations), len(reg.events))
    op = now()
    ended_by_person: dict[str, date] = {}
    for bsn in due:
        if reg.apply_aow(up_to, door, op, bsns=[bsn]):
            ended_by_person[bsn] = aow_dag(reg.persons[bsn].geboortedatum)
    rows = [{"soort": "aow", "bsn": b, "datum": d, "orgaan": None, "besluit_id": None, "door": door, "op": op}
            for b, d in ended_by_person.items()]
    return _save(conn, reg, before, rows, door, op)


def _persons_with_open_registrations(conn: Connection) -> set[str]:
    closed = select(gebeurtenis.c.registratie_id).where(gebeurtenis.c.soort.in_(("beeindigd", "vervallen")))
    q = select(registratie.c.bsn).where(registratie.c.registratie_id.not_in(closed)).distinct()
    return {r.bsn for r in conn.execute(q)}


def in_doelgroep(conn: Connection, bsn: str, day: date) -> bool:
    """DR-5: whether the person with this (valid) BSN has a registration valid on ``day``
    (BA-2; a voided one never). An unknown BSN is simply not in the doelgroep.

    One query of the same shape whatever the BSN (registrations with their events, an outer
    join), so that the work done does not differ between an unknown BSN and a registered
    person who is not in the doelgroep (the service adds a time floor on top)."""
    q = (select(registratie.c.registratie_id, registratie.c.grondslag, registratie.c.begindatum,
                registratie.c.orgaan, registratie.c.besluit_id, gebeurtenis.c.id, gebeurtenis.c.soort,
                gebeurtenis.c.datum, gebeurtenis.c.reden, gebeurtenis.c.door, gebeurtenis.c.op)
         .select_from(registratie.outerjoin(gebeurtenis, gebeurtenis.c.registratie_id == registratie.c.registratie_id))
         .where(registratie.c.bsn == bsn)
         .order_by(gebeurtenis.c.id))
    regs, events = {}, []
    for r in conn.execute(q):
        regs[r.registratie_id] = _registration(r, bsn)
        if r.id is not None:
            events.append(_event(r))
    reg = Register()
    reg.load([], regs.values(), events)
    return reg.in_doelgroep(bsn, day)
