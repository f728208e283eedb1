"""The register's rules (SPEC DR-2 … DR-4, with BA-1/BA-2 and the GLOSSARY's AOW table) on an
append-only list of events. Nothing is updated in place or deleted: a registration is
added, and later ended (with a reason and a date) or voided (a successful bezwaar); every
event records who did it and when. The state of a registration on a day, and whether a
person is in the doelgroep on a day, are computed from the events.

- DR-3: on the day a person reaches the AOW age (``aow_dag``: the GLOSSARY table; a target day
  past the end of the month is the month's last day), dies, is found to have duurzaam geen
  arbeidsvermogen, or receives a beschut werk decision, every open registration of that person
  ends on that day with that reason. AOW endings follow from the birth date: ``apply_aow(up_to)``
  applies them up to a given date; the other three arrive as events (``person_event``).
- DR-4: no automatic outflow — nothing here ends a registration because its conditions are no
  longer met (the t+2 rule is not applied). An uitschrijving on request ends it on the day the
  request is granted, and is refused for a request dated before 2020-01-01. A bezwaar voids it:
  it counts on no date, and an extract made after the decision leaves it out.
- BA-2: ``valid_on`` — Wsw and Wiw/ID when the registration covers 1 January of the day's year,
  the quotumgroep only from 2018-12-01, every other grondslag when it covers the day (T-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from regiorapportage.errors import UserError
from regiorapportage.measures.doelgroep import JAN1_GRONDSLAGEN, QUOTUMGROEP_FROM, aow_months
from regiorapportage.quarter import add_months
from regiorapportage.register.bsn import validate
from regiorapportage.sources.schema import GRONDSLAGEN

UITSCHRIJVING_VANAF = date(2020, 1, 1)  # DR-4
DIRECT_REDENEN = ("overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk")  # DR-3, as events
# CONTRACT's einde_reden without ``bezwaar`` (a bezwaar voids, DR-4)
EINDE_REDENEN = ("aow", *DIRECT_REDENEN, "uitschrijving_verzoek", "overig")
TOEGEVOEGD, BEEINDIGD, VERVALLEN = "toegevoegd", "beeindigd", "vervallen"


class RegisterError(UserError):
    """A change the register refuses (nothing is recorded)."""


def aow_dag(geboortedatum: date) -> date | None:
    """The day the person reaches the AOW age: ``geboortedatum + age(Y)`` for the year Y in
    which that date falls (a day past the end of the target month is its last day). None
    when the table does not reach that far yet (later years are announced five years
    ahead)."""
    for year, months in sorted(aow_months().items()):
        day = add_months(geboortedatum, months)
        if day.year == year:
            return day
    return None


@dataclass(frozen=True)
class Person:
    bsn: str
    geboortedatum: date
    overlijdensdatum: date | None = None


@dataclass(frozen=True)
class Registration:
    """DR-2: a registration as decided: grondslag, begindatum and the decision it came from."""

    registratie_id: str
    bsn: str
    grondslag: str
    begindatum: date
    orgaan: str  # the deciding body
    besluit_id: str


@dataclass(frozen=True)
class Event:
    """One change, never altered: ``soort`` toegevoegd / beeindigd / vervallen, the day it
    takes effect (``datum``: begindatum, einddatum, or the day of the bezwaar decision), the
    reason of an ending, who recorded it and when."""

    soort: str
    registratie_id: str
    datum: date
    reden: str | None
    door: str
    op: datetime


@dataclass(frozen=True)
class State:
    einddatum: date | None
    einde_reden: str | None
    vervallen_op: date | None  # the day of the bezwaar decision that voided it


@dataclass
class Register:
    """Persons, registrations and the append-only event list, in memory. The database store
    (``store``) loads the part a change or a look-up concerns into one of these, applies the
    rule here, and appends the new events in the same transaction."""

    persons: dict[str, Person] = field(default_factory=dict)
    registrations: dict[str, Registration] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    # indexes over the lists above (kept by ``_append`` and ``add``)
    _by_reg: dict[str, list[Event]] = field(default_factory=dict, repr=False)
    _by_bsn: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def _append(self, event: Event) -> None:
        self.events.append(event)
        self._by_reg.setdefault(event.registratie_id, []).append(event)

    def load(self, persons, registrations, events) -> None:
        """Fill from stored rows (no rule is applied: they were applied when recorded)."""
        for p in persons:
            self.persons[p.bsn] = p
        for r in registrations:
            self.registrations[r.registratie_id] = r
            self._by_bsn.setdefault(r.bsn, []).append(r.registratie_id)
        for e in events:
            self._append(e)

    def registrations_of(self, bsn: str) -> list[Registration]:
        return [self.registrations[r] for r in self._by_bsn.get(bsn, [])]

    # --- changes -----------------------------------------------------------------------

    def add_person(self, person: Person) -> None:
        validate(person.bsn)
        if person.bsn in self.persons and self.persons[person.bsn] != person:
            raise RegisterError("deze persoon staat al in het register met andere gegevens")
        self.persons[person.bsn] = person

    def add(self, reg: Registration, door: str, op: datetime) -> None:
        """DR-2: record a registration. Refused: an unknown person, an unknown grondslag, a
        registratie_id in use, a begindatum on or after the person's death or AOW day."""
        person = self.persons.get(reg.bsn)
        if person is None:
            raise RegisterError("onbekende persoon: voeg eerst de persoon toe")
        if reg.grondslag not in GRONDSLAGEN:
            raise RegisterError(f"onbekende grondslag '{reg.grondslag}'; kies uit {', '.join(GRONDSLAGEN)}")
        if reg.registratie_id in self.registrations:
            raise RegisterError(f"registratie {reg.registratie_id} bestaat al")
        if reg.begindatum < person.geboortedatum:
            raise RegisterError("de begindatum ligt voor de geboortedatum")
        aow = aow_dag(person.geboortedatum)
        if (person.overlijdensdatum and reg.begindatum >= person.overlijdensdatum) or (aow and reg.begindatum >= aow):
            raise RegisterError("de begindatum ligt op of na het overlijden of het bereiken van de AOW-leeftijd (DR-3)")
        self.registrations[reg.registratie_id] = reg
        self._by_bsn.setdefault(reg.bsn, []).append(reg.registratie_id)
        self._append(Event(TOEGEVOEGD, reg.registratie_id, reg.begindatum, None, door, op))

    def end(self, registratie_id: str, datum: date, reden: str, door: str, op: datetime) -> bool:
        """End an open registration on ``datum`` for another reason (``overig``: a revised
        decision, a correction). The other reasons have their own rule: ``apply_aow`` /
        ``record_aow``, ``person_event``, ``uitschrijving``; a bezwaar voids (``void``).
        False (nothing recorded) when it has already ended or was voided."""
        if reden == "bezwaar":
            raise RegisterError("een geslaagd bezwaar laat de registratie vervallen: gebruik void (DR-4)")
        if reden != "overig":
            raise RegisterError(f"een beëindiging om '{reden}' volgt een eigen regel (DR-3, DR-4); "
                                "hier alleen 'overig'")
        return self._end(registratie_id, datum, reden, door, op)

    def _end(self, registratie_id: str, datum: date, reden: str, door: str, op: datetime) -> bool:
        """Record an ending on ``datum`` unless the registration was voided or already ends
        on or before it (an earlier ending than one recorded before counts: DR-3)."""
        reg = self._registration(registratie_id)
        state = self.state(registratie_id)
        if state.vervallen_op is not None or (state.einddatum is not None and state.einddatum <= datum):
            return False
        if datum < reg.begindatum:
            raise RegisterError("de einddatum ligt voor de begindatum van de registratie")
        self._append(Event(BEEINDIGD, registratie_id, datum, reden, door, op))
        return True

    def void(self, registratie_id: str, besluit_datum: date, door: str, op: datetime) -> None:
        """DR-4: a successful bezwaar voids the registration from the decision on."""
        self._registration(registratie_id)
        if self.state(registratie_id).vervallen_op is None:
            self._append(Event(VERVALLEN, registratie_id, besluit_datum, "bezwaar", door, op))

    def person_event(self, bsn: str, reden: str, datum: date, door: str, op: datetime) -> list[str]:
        """DR-3: death, duurzaam geen arbeidsvermogen or a beschut werk decision ends every
        registration of the person that is open on ``datum`` on that day — also one that was
        given a later einddatum before (the earlier ending counts). Refused: a second death,
        and an event dated before a registration of the person began (that registration
        must be corrected first). Returns the registrations ended."""
        if reden not in DIRECT_REDENEN:
            raise RegisterError(f"onbekende directe beëindiging '{reden}'; kies uit {', '.join(DIRECT_REDENEN)}")
        person = self.persons.get(bsn)
        if person is None:
            raise RegisterError("onbekende persoon")
        if reden == "overlijden" and person.overlijdensdatum is not None:
            raise RegisterError("het overlijden van deze persoon is al vastgelegd")
        later = [r for r in self._by_bsn.get(bsn, ()) if self.state(r).vervallen_op is None
                 and self.registrations[r].begindatum > datum]
        if later:
            raise RegisterError(f"registratie {later[0]} begint na deze datum; herstel die registratie eerst (DR-3)")
        if reden == "overlijden":
            self.persons[bsn] = Person(bsn, person.geboortedatum, datum)
        return [r for r in self._open_on(bsn, datum) if self._end(r, datum, reden, door, op)]

    def apply_aow(self, up_to: date, door: str, op: datetime, bsns=None) -> list[str]:
        """DR-3: every person (of ``bsns``, default all) whose AOW day is on or before
        ``up_to``: their open registrations end on that day with reason ``aow``. Returns the
        registrations ended."""
        ended = []
        for bsn in self.persons if bsns is None else bsns:
            day = aow_dag(self.persons[bsn].geboortedatum)
            if day is not None and day <= up_to:
                ended += [r for r in self._open_on(bsn, day) if self._end(r, day, "aow", door, op)]
        return ended

    def record_aow(self, bsn: str, datum: date, door: str, op: datetime) -> list[str]:
        """DR-3 for one person, as recorded earlier (an imported history): ``datum`` must be
        the person's AOW day."""
        person = self.persons.get(bsn)
        if person is None:
            raise RegisterError("onbekende persoon")
        if aow_dag(person.geboortedatum) != datum:
            raise RegisterError("de datum is niet de dag waarop deze persoon de AOW-leeftijd bereikt (DR-3)")
        return self.apply_aow(datum, door, op, bsns=[bsn])

    def uitschrijving(self, registratie_id: str, verzoek_datum: date, toegekend_op: date, door: str,
                      op: datetime) -> None:
        """DR-4: removal on the person's request, effective on the day it is granted;
        refused for a request dated before 2020-01-01."""
        if verzoek_datum < UITSCHRIJVING_VANAF:
            raise RegisterError("uitschrijving op verzoek kan pas voor verzoeken vanaf 1 januari 2020 (DR-4)")
        if toegekend_op < verzoek_datum:
            raise RegisterError("een verzoek kan niet worden toegekend voor de datum van het verzoek")
        self._registration(registratie_id)
        if not self._end(registratie_id, toegekend_op, "uitschrijving_verzoek", door, op):
            raise RegisterError("deze registratie is al beëindigd of vervallen")

    # --- state -------------------------------------------------------------------------

    def state(self, registratie_id: str, known_at: date | None = None) -> State:
        """The registration's end, and its voiding as known on ``known_at`` (default: every
        decision recorded): a bezwaar decided after ``known_at`` does not void it yet (an
        extract made before the decision still holds it, DR-4)."""
        end = reden = void = None
        for e in self._by_reg.get(registratie_id, ()):
            if e.soort == VERVALLEN and known_at is not None and e.datum > known_at:
                continue
            if e.soort == BEEINDIGD and (end is None or e.datum < end):  # the earliest ending counts
                end, reden = e.datum, e.reden
            elif e.soort == VERVALLEN and void is None:
                void = e.datum
        return State(end, reden, void)

    def valid_on(self, registratie_id: str, day: date, known_at: date | None = None) -> bool:
        """BA-2 on ``day`` (a voided registration never, DR-4)."""
        reg = self._registration(registratie_id)
        state = self.state(registratie_id, known_at)
        if state.vervallen_op is not None:
            return False
        probe = date(day.year, 1, 1) if reg.grondslag in JAN1_GRONDSLAGEN else day
        if reg.grondslag == "quotumgroep" and day < QUOTUMGROEP_FROM:
            return False
        return reg.begindatum <= probe and (state.einddatum is None or state.einddatum >= probe)

    def in_doelgroep(self, bsn: str, day: date) -> bool:
        """DR-5's answer: the person has a registration valid on ``day`` (BA-2, BA-3). An
        unknown BSN is simply not in the doelgroep."""
        return any(self.valid_on(r, day) for r in self._by_bsn.get(bsn, ()))

    def _registration(self, registratie_id: str) -> Registration:
        try:
            return self.registrations[registratie_id]
        except KeyError:
            raise RegisterError(f"onbekende registratie {registratie_id}") from None

    def _open_on(self, bsn: str, day: date) -> list[str]:
        """The person's registrations not voided and not ended before ``day``."""
        states = {r: self.state(r) for r in self._by_bsn.get(bsn, ())}
        return [rid for rid, s in states.items()
                if s.vervallen_op is None and (s.einddatum is None or s.einddatum > day)]
