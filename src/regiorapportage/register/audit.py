"""DR-6: the append-only audit log with hash-chained entries.

Every look-up (and every refused authenticated request, and every administrative action) is
one entry: its ``volgnummer`` (1, 2, 3, … without gaps), the time (``op``, UTC text, hashed
exactly as stored), the caller (``beller``: a ``sleutel_id``, or ``cli:<user>`` for the
commands), the action, a **keyed** hash of the BSN (HMAC-SHA256 with the ``auditsleutel``, so
that the log reveals no BSN and cannot be searched for one without the key), the peildatum,
the answer (``ja``/``nee``), the HTTP status (0 for a command) and a short detail without
personal data.

Each entry's ``hash`` = SHA-256 over a canonical serialisation (``canonical``: a JSON array of
the fields in a fixed order) that includes the previous entry's hash (``vorige_hash``; the
first entry links to 64 zeros). ``append`` runs in the caller's transaction, so an entry is
committed with the change or look-up it records, or not at all; it takes the log's lock
first (PostgreSQL: a transaction-level advisory lock; SQLite: the write lock that ``BEGIN
IMMEDIATE`` already holds), so two transactions never append the same ``volgnummer``.

``verify`` recomputes the chain and detects:

- a **changed** entry: its recomputed hash differs from the stored one;
- a **removed** entry: a gap in ``volgnummer`` (and the next entry's link points to a hash
  that is no longer there);
- an **inserted** entry: it needs a ``volgnummer`` of its own, so the numbering or the link
  of the entry after it breaks.

What a chain alone cannot detect: the removal of the **last** entries (a truncated tail
looks like a shorter, intact log), and a rewrite of the whole chain from some entry on by
someone who can write to the database (the hash is not keyed). Both are caught by comparing
with an anchor kept elsewhere: ``verify`` returns the number and hash of the last entry, and
``verify(conn, anchor=(volgnummer, hash))`` checks that an earlier anchor is still in the log
unchanged (a log shorter than the anchor is refused)."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Connection, select, text

from regiorapportage.register import db
from regiorapportage.register.bsn import validate
from regiorapportage.register.schema import audit

AUDIT_LOCK = 0x52454732  # "REG2": one appender of the audit log at a time (PostgreSQL)
GENESIS = "0" * 64
FIELDS = ("volgnummer", "op", "beller", "actie", "bsn_hash", "peildatum", "antwoord", "status", "detail",
          "vorige_hash")
_PREFIX = b"regiorapportage-audit-v1\n"
MAX_ACTIE, MAX_BELLER, MAX_DETAIL = 32, 32, 256


def canonical(entry: dict) -> bytes:
    """The bytes an entry's hash covers: the fields of ``FIELDS`` as a compact JSON array
    (ASCII only), so that the same values always give the same bytes."""
    return json.dumps([entry[k] for k in FIELDS], ensure_ascii=True, separators=(",", ":")).encode("ascii")


def entry_hash(entry: dict) -> str:
    return hashlib.sha256(_PREFIX + canonical(entry)).hexdigest()


def bsn_hash(key: bytes, bsn: str) -> str:
    """HMAC-SHA256 of a valid BSN with the audit key (hex)."""
    return hmac.new(key, validate(bsn).encode("ascii"), hashlib.sha256).hexdigest()


def _antwoord(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value in ("ja", "nee"):
        return value
    raise ValueError("antwoord is ja, nee (of True/False) of None")


def _peildatum(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise ValueError("peildatum is een datum, geen tijdstip")
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)).isoformat()


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _lock(conn: Connection) -> None:
    if db.is_postgresql(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})


def append(conn: Connection, settings, *, beller: str | None, actie: str, status: int, bsn: str | None = None,
           peildatum: date | str | None = None, antwoord: bool | str | None = None,
           detail: str | None = None) -> int:
    """Append one entry in the caller's transaction and return its ``volgnummer``.

    ``bsn`` must be a valid BSN (it is stored only as its keyed hash); ``detail`` must not
    hold personal data (it is cut to 256 characters). Call it last in a transaction: the
    log's lock is held until the commit."""
    entry = {
        "op": _stamp(),
        "beller": None if beller is None else str(beller)[:MAX_BELLER],
        "actie": str(actie)[:MAX_ACTIE],
        "bsn_hash": None if bsn is None else bsn_hash(settings.auditsleutel, bsn),
        "peildatum": _peildatum(peildatum),
        "antwoord": _antwoord(antwoord),
        "status": int(status),
        "detail": None if detail is None else str(detail)[:MAX_DETAIL],
    }
    _lock(conn)
    last = conn.execute(select(audit.c.volgnummer, audit.c.hash).order_by(audit.c.volgnummer.desc()).limit(1)).first()
    entry["volgnummer"] = 1 if last is None else last.volgnummer + 1
    entry["vorige_hash"] = GENESIS if last is None else last.hash
    entry["hash"] = entry_hash(entry)
    conn.execute(audit.insert().values(**entry))
    return entry["volgnummer"]


@dataclass(frozen=True)
class VerifyResult:
    """The chain check: ``ok``; ``entries`` checked; the first bad ``volgnummer`` (None when
    ok) and the Dutch ``reason``; the last entry's number and hash (an anchor to keep
    elsewhere, see the module's docstring)."""

    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str | None = None
    last_volgnummer: int = 0
    last_hash: str = GENESIS

    def as_dict(self) -> dict:
        return {"ok": self.ok, "regels": self.entries, "eerste_fout": self.first_bad, "reden": self.reason,
                "laatste_volgnummer": self.last_volgnummer, "laatste_hash": self.last_hash}


def verify(conn: Connection, anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Recompute the chain from the first entry (see the module's docstring for what it
    detects and what it cannot). ``anchor``: an earlier ``(last_volgnummer, last_hash)`` that
    must still be in the log unchanged."""
    previous, expected, count = GENESIS, 1, 0
    anchor_seen = anchor is None or anchor[0] == 0
    rows = conn.execute(select(audit).order_by(audit.c.volgnummer).execution_options(yield_per=2_000))
    for r in rows:
        entry = {k: getattr(r, k) for k in FIELDS}
        if r.volgnummer != expected:
            rows.close()
            reason = (f"regel {expected} ontbreekt (verwijderd?)" if r.volgnummer > expected
                      else f"regel {r.volgnummer} staat niet op zijn plaats")
            return VerifyResult(False, count, expected if r.volgnummer > expected else r.volgnummer, reason,
                                expected - 1, previous)
        if r.vorige_hash != previous:
            rows.close()
            return VerifyResult(False, count, r.volgnummer,
                                f"regel {r.volgnummer} verwijst niet naar de regel ervoor "
                                "(regel verwijderd, ingevoegd of vervangen)", expected - 1, previous)
        if entry_hash(entry) != r.hash:
            rows.close()
            return VerifyResult(False, count, r.volgnummer,
                                f"de inhoud van regel {r.volgnummer} is gewijzigd (de hash klopt niet)",
                                expected - 1, previous)
        count += 1
        previous, expected = r.hash, expected + 1
        if anchor is not None and r.volgnummer == anchor[0]:
            if not hmac.compare_digest(r.hash, anchor[1]):
                rows.close()
                return VerifyResult(False, count, r.volgnummer,
                                    f"regel {r.volgnummer} wijkt af van het eerder vastgelegde anker "
                                    "(de keten is vanaf daar of eerder herschreven)", r.volgnummer, r.hash)
            anchor_seen = True
    if not anchor_seen:
        return VerifyResult(False, count, count + 1,
                            f"het log is korter dan het eerder vastgelegde anker (regel {anchor[0]}): "
                            "regels aan het eind zijn verwijderd", count, previous)
    return VerifyResult(True, count, None, None, count, previous)
