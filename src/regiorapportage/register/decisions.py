"""Decisions: the changes the register records (DR-2 … DR-4), in one format for the
administrative endpoint (JSON objects), the ``register import`` command (a CSV file with
these columns) and the synthetic generator (which writes such a file).

Columns / keys (``besluiten.csv``; empty = not given):

| key | meaning |
|---|---|
| ``soort`` | ``persoon`` · ``registratie`` · ``beeindiging`` · ``uitschrijving`` · ``bezwaar`` · ``overlijden`` · ``duurzaam_geen_arbeidsvermogen`` · ``beschut_werk`` · ``aow`` |
| ``bsn`` | the person (``persoon``, ``registratie`` and the person-wide endings) |
| ``geboortedatum`` | ``persoon`` only |
| ``registratie_id`` | ``registratie``, ``beeindiging``, ``uitschrijving``, ``bezwaar`` |
| ``grondslag`` | ``registratie`` only (BA-1) |
| ``datum`` | the day it takes effect: begindatum · einddatum · the day the request was granted · the day of the bezwaar decision · the day of death / the finding / the beschut werk decision · the AOW day |
| ``verzoekdatum`` | ``uitschrijving`` only: the day of the request (DR-4: from 2020-01-01) |
| ``orgaan`` | the deciding body (``registratie``: required) |
| ``besluit_id`` | the decision's id (``registratie``: required) |

Meaning of each ``soort``:

- ``persoon``: a person with a BSN (DR-1, elfproef) and birth date;
- ``registratie``: DR-2, a registration from a decision;
- ``beeindiging``: an ending for another reason (``overig``: a revised decision, a correction);
- ``uitschrijving``: DR-4, removal on request, effective on ``datum``;
- ``bezwaar``: DR-4, a successful objection voids the registration;
- ``overlijden``, ``duurzaam_geen_arbeidsvermogen``, ``beschut_werk``: DR-3, every open
  registration of the person ends on ``datum``;
- ``aow``: DR-3, a recorded AOW ending (an imported history): ``datum`` must be the person's
  AOW day. The service applies AOW itself with ``register bijwerken``.

Decisions are applied in order; a batch (a file, one request) is one transaction: all or
nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from regiorapportage.register.bsn import InvalidBSN, validate
from regiorapportage.register.rules import DIRECT_REDENEN, Person, Register, RegisterError, Registration

SOORTEN = ("persoon", "registratie", "beeindiging", "uitschrijving", "bezwaar", *DIRECT_REDENEN, "aow")
COLUMNS = ("soort", "bsn", "geboortedatum", "registratie_id", "grondslag", "datum", "verzoekdatum", "orgaan",
           "besluit_id")
_REQUIRED = {
    "persoon": ("bsn", "geboortedatum"),
    "registratie": ("bsn", "registratie_id", "grondslag", "datum", "orgaan", "besluit_id"),
    "beeindiging": ("registratie_id", "datum"),
    "uitschrijving": ("registratie_id", "datum", "verzoekdatum"),
    "bezwaar": ("registratie_id", "datum"),
    "aow": ("bsn", "datum"),
    **{r: ("bsn", "datum") for r in DIRECT_REDENEN},
}
MAX_TEXT = 64  # registratie_id, orgaan, besluit_id


class DecisionError(RegisterError):
    """A decision that cannot be read or applied; ``index`` is its position (1-based)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(f"besluit {index}: {message}")
        self.index = index


@dataclass(frozen=True)
class Decision:
    soort: str
    bsn: str | None = None
    geboortedatum: date | None = None
    registratie_id: str | None = None
    grondslag: str | None = None
    datum: date | None = None
    verzoekdatum: date | None = None
    orgaan: str | None = None
    besluit_id: str | None = None

    def bsns(self) -> set[str]:
        return {self.bsn} if self.bsn else set()


def _date(value: object, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"'{key}' is geen datum (JJJJ-MM-DD)") from None


def parse(raw: dict, index: int) -> Decision:
    """One decision from a mapping (a CSV row or a JSON object). Unknown keys, missing
    required values, bad dates and invalid BSNs are refused (the message never repeats a
    BSN)."""
    if not isinstance(raw, dict):
        raise DecisionError(index, "een besluit is een object met sleutels")
    unknown = sorted(set(raw) - set(COLUMNS))
    if unknown:
        raise DecisionError(index, f"onbekende sleutel(s) {', '.join(k[:40] for k in unknown[:5])}; "
                                   f"toegestaan: {', '.join(COLUMNS)}")
    values = {k: (None if raw.get(k) in (None, "") else raw[k]) for k in COLUMNS}
    soort = values["soort"]
    if soort not in SOORTEN:
        raise DecisionError(index, f"onbekende soort; kies uit {', '.join(SOORTEN)}")
    missing = [k for k in _REQUIRED[soort] if values[k] is None]
    if missing:
        raise DecisionError(index, f"{soort} mist {', '.join(missing)}")
    extra = [k for k in COLUMNS if values[k] is not None and k != "soort" and k not in _REQUIRED[soort]
             and not (k in ("orgaan", "besluit_id"))]
    if extra:
        raise DecisionError(index, f"{soort} heeft geen {', '.join(extra)}")
    try:
        for k in ("geboortedatum", "datum", "verzoekdatum"):
            if values[k] is not None:
                values[k] = _date(values[k], k)
        for k in ("registratie_id", "grondslag", "orgaan", "besluit_id"):
            if values[k] is not None:
                if not isinstance(values[k], str) or len(values[k]) > MAX_TEXT or not values[k].isprintable():
                    raise ValueError(f"'{k}' is tekst van hoogstens {MAX_TEXT} tekens")
        if values["bsn"] is not None:
            values["bsn"] = validate(values["bsn"])
    except InvalidBSN as e:
        raise DecisionError(index, f"bsn: {e}") from None
    except ValueError as e:
        raise DecisionError(index, str(e)) from None
    return Decision(**values)


def read_csv(path: Path) -> list[Decision]:
    """A decisions file (UTF-8 CSV with a header of ``COLUMNS``; order free, all present)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise RegisterError(f"{path.name}: kolom(men) {', '.join(missing)} ontbreken")
        return [parse(row, i) for i, row in enumerate(reader, start=1)]


def write_csv(path: Path, decisions) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for d in decisions:
            w.writerow(["" if getattr(d, k) is None else str(getattr(d, k)) for k in COLUMNS])


def apply(register: Register, decision: Decision, index: int, door: str, op: datetime,
          today: date | None = None) -> None:
    """Apply one decision to the in-memory register (the rules of ``rules``). An ending, a
    voiding or a person's event dated after ``today`` (default: the date of ``op``) is
    refused: the register records what has been decided, not what may happen."""
    d = decision
    today = today or op.date()
    if d.soort != "registratie" and any(x is not None and x > today for x in (d.datum, d.verzoekdatum, d.geboortedatum)):
        raise DecisionError(index, "de datum ligt in de toekomst")
    try:
        match d.soort:
            case "persoon":
                register.add_person(Person(d.bsn, d.geboortedatum))
            case "registratie":
                register.add(Registration(d.registratie_id, d.bsn, d.grondslag, d.datum, d.orgaan, d.besluit_id),
                             door, op)
            case "beeindiging":
                if not register.end(d.registratie_id, d.datum, "overig", door, op):
                    raise RegisterError("deze registratie is al beëindigd of vervallen")
            case "uitschrijving":
                register.uitschrijving(d.registratie_id, d.verzoekdatum, d.datum, door, op)
            case "bezwaar":
                register.void(d.registratie_id, d.datum, door, op)
            case "aow":
                register.record_aow(d.bsn, d.datum, door, op)
            case _:
                register.person_event(d.bsn, d.soort, d.datum, door, op)
    except DecisionError:
        raise
    except RegisterError as e:
        raise DecisionError(index, str(e)) from None
