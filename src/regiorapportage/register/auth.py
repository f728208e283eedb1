"""DR-6: callers and their credentials.

Every caller has its own credential ``<sleutel_id>.<geheim>``: ``sleutel_id`` (16 hex
characters) is the public half that names the row in ``beller`` and appears in the audit
log; ``geheim`` (43 URL-safe characters, 256 random bits) is shown once when the credential
is made and stored only as an argon2id hash (a slow hash, DR-6). Revoking sets
``ingetrokken_op``; nothing is deleted.

Roles (DR-6 "look-up callers can only look up; administrative actions need the
administrator role"):

| rol | soort | kenmerk |
|---|---|---|
| ``opvrager`` | ``werkgever`` | loonheffingennummer, 9 digits + ``L`` + 2 digits (``123456789L01``) |
| ``opvrager`` | ``gemeente`` | gemeente code ``GM`` + 4 digits (``GM0363``) |
| ``beheerder`` | ``beheer`` | none |

An administrator is not an employer or a gemeente and has no kenmerk under which a look-up
could be justified (DR-5), so the two roles are disjoint: the service refuses look-ups by a
``beheerder`` and administrative actions by an ``opvrager``.

Verifying argon2 costs about a quarter of a second of CPU. ``authenticate`` therefore

1. refuses a malformed token, an unknown or a revoked ``sleutel_id`` with one indexed
   query and no hashing (a ``sleutel_id`` is not secret; guessing one gains nothing);
2. looks the whole token up in a short-lived per-process cache (``CACHE_SECONDS``, keyed by
   the SHA-256 of the token, never the token itself): a recent success or failure is
   answered without hashing again — the database row is still read on every request, so a
   revocation takes effect at once in every worker process;
3. otherwise verifies the argon2 hash in one of ``MAX_PARALLEL_VERIFY`` slots per process.
   Taking a slot never waits: when all are taken, ``check`` raises ``VerifyBusy`` at once
   (the web service answers 503 with ``Retry-After``). So a flood of wrong secrets for a
   known ``sleutel_id`` costs a bounded share of the CPU, ties up no thread waiting for a
   slot, and does not touch callers whose credential is cached (they need no slot;
   ``from_cache`` tells without hashing). The web service lets concurrent requests with the
   same uncached token share one verification (they wait for it without a thread).

``find`` and ``check`` are the two halves of ``authenticate`` for callers (the web service)
that must not hold a database transaction open while the hash is verified."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, select, update

from regiorapportage.errors import UserError
from regiorapportage.register.schema import beller

ROLLEN = ("opvrager", "beheerder")
SOORTEN = ("werkgever", "gemeente", "beheer")
OPVRAGER, BEHEERDER = ROLLEN
LOONHEFFINGENNUMMER = re.compile(r"[0-9]{9}L[0-9]{2}")
GEMEENTECODE = re.compile(r"GM[0-9]{4}")
MAX_NAAM = 128

_SLEUTEL_ID = re.compile(r"[0-9a-f]{16}")
_TOKEN = re.compile(r"([0-9a-f]{16})\.([A-Za-z0-9_-]{43})")
MAX_TOKEN_CHARS = 128

CACHE_SECONDS = 60.0
CACHE_MAX_ENTRIES = 10_000
MAX_PARALLEL_VERIFY = 2

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
_verify_slots = threading.BoundedSemaphore(MAX_PARALLEL_VERIFY)


class VerifyBusy(Exception):
    """Every argon2 verification slot of this process is taken: the token was not checked
    (neither accepted nor refused); ask again shortly."""


class CredentialError(UserError):
    """A credential that cannot be made as asked (the message names the rule)."""


@dataclass(frozen=True)
class Caller:
    """An authenticated caller (DR-6). ``kenmerk``: loonheffingennummer or gemeente code;
    None for an administrator."""

    sleutel_id: str
    naam: str
    rol: str
    soort: str
    kenmerk: str | None

    @property
    def is_opvrager(self) -> bool:
        return self.rol == OPVRAGER

    @property
    def is_beheerder(self) -> bool:
        return self.rol == BEHEERDER


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check_kind(naam: object, rol: object, soort: object, kenmerk: object) -> tuple[str, str, str, str | None]:
    if not isinstance(naam, str) or not naam.strip() or len(naam) > MAX_NAAM or not naam.isprintable():
        raise CredentialError(f"de naam is verplicht: leesbare tekst van hoogstens {MAX_NAAM} tekens")
    if rol not in ROLLEN:
        raise CredentialError(f"onbekende rol; kies uit {', '.join(ROLLEN)}")
    if soort not in SOORTEN:
        raise CredentialError(f"onbekende soort; kies uit {', '.join(SOORTEN)}")
    if kenmerk == "":
        kenmerk = None
    if rol == BEHEERDER:
        if soort != "beheer":
            raise CredentialError("een beheerder heeft soort 'beheer' (beheerders doen geen opvragingen, DR-6)")
        if kenmerk is not None:
            raise CredentialError("een beheerder heeft geen kenmerk (loonheffingennummer of gemeentecode)")
        return naam.strip(), rol, soort, None
    if soort == "beheer":
        raise CredentialError("soort 'beheer' is alleen voor de rol beheerder")
    if soort == "werkgever":
        if not isinstance(kenmerk, str) or not LOONHEFFINGENNUMMER.fullmatch(kenmerk):
            raise CredentialError("een werkgever heeft een loonheffingennummer als kenmerk: negen cijfers, "
                                  "de letter L en twee cijfers (bijvoorbeeld 123456789L01)")
    elif not isinstance(kenmerk, str) or not GEMEENTECODE.fullmatch(kenmerk):
        raise CredentialError("een gemeente heeft een gemeentecode als kenmerk: GM en vier cijfers "
                              "(bijvoorbeeld GM0363)")
    return naam.strip(), rol, soort, kenmerk


def create_credential(conn: Connection, naam: str, rol: str, soort: str, kenmerk: str | None) -> str:
    """Make a credential and return the whole token ``sleutel_id.geheim``, which is shown
    once: only the argon2 hash of ``geheim`` is stored (DR-6). In the caller's transaction."""
    naam, rol, soort, kenmerk = _check_kind(naam, rol, soort, kenmerk)
    sleutel_id = secrets.token_hex(8)
    geheim = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    conn.execute(beller.insert().values(
        sleutel_id=sleutel_id, naam=naam, rol=rol, soort=soort, kenmerk=kenmerk,
        geheim_hash=_hasher.hash(geheim), aangemaakt_op=_now(), ingetrokken_op=None,
    ))
    return f"{sleutel_id}.{geheim}"


def is_sleutel_id(value: object) -> bool:
    return isinstance(value, str) and _SLEUTEL_ID.fullmatch(value) is not None


def revoke(conn: Connection, sleutel_id: str) -> bool:
    """Revoke a credential at once, in every worker process (the row is read on every
    request). False when there is no active credential with this id."""
    if not is_sleutel_id(sleutel_id):
        return False
    done = conn.execute(update(beller).where(beller.c.sleutel_id == sleutel_id, beller.c.ingetrokken_op.is_(None))
                        .values(ingetrokken_op=_now()))
    _forget(sleutel_id)
    return done.rowcount == 1


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat(timespec="seconds")


def list_credentials(conn: Connection) -> list[dict]:
    """Every caller, oldest first, without hashes or secrets."""
    rows = conn.execute(select(beller.c.sleutel_id, beller.c.naam, beller.c.rol, beller.c.soort, beller.c.kenmerk,
                               beller.c.aangemaakt_op, beller.c.ingetrokken_op)
                        .order_by(beller.c.aangemaakt_op, beller.c.sleutel_id))
    return [{"sleutel_id": r.sleutel_id, "naam": r.naam, "rol": r.rol, "soort": r.soort, "kenmerk": r.kenmerk,
             "aangemaakt_op": _iso(r.aangemaakt_op), "ingetrokken_op": _iso(r.ingetrokken_op),
             "actief": r.ingetrokken_op is None} for r in rows]


# ---------------------------------------------------------------------- authentication


@dataclass(frozen=True)
class Found:
    """The active row of a well-formed token (``find``), still to be ``check``-ed."""

    caller: Caller
    geheim_hash: str


def parse_token(token: object) -> tuple[str, str] | None:
    """``(sleutel_id, geheim)`` of a well-formed token, else None."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        return None
    m = _TOKEN.fullmatch(token)
    return (m.group(1), m.group(2)) if m else None


def caller_of(conn: Connection, sleutel_id: str) -> Caller | None:
    """The active (not revoked) caller with this id, else None. One indexed query."""
    if not is_sleutel_id(sleutel_id):
        return None
    found = _row(conn, sleutel_id)
    return found.caller if found else None


def _row(conn: Connection, sleutel_id: str) -> Found | None:
    r = conn.execute(select(beller).where(beller.c.sleutel_id == sleutel_id)).first()
    if r is None or r.ingetrokken_op is not None:
        return None
    return Found(Caller(r.sleutel_id, r.naam, r.rol, r.soort, r.kenmerk), r.geheim_hash)


def find(conn: Connection, token: object) -> Found | None:
    """The active row named by a well-formed token, without verifying its secret."""
    parsed = parse_token(token)
    return _row(conn, parsed[0]) if parsed else None


class _Cache:
    """Per-process memory of recent verifications: SHA-256 of the token → (expiry,
    sleutel_id, the hash it was verified against, outcome)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[bytes, tuple[float, str, str, bool]] = {}

    def get(self, key: bytes, sleutel_id: str, geheim_hash: str) -> bool | None:
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return None
        expires, sid, hashed, ok = entry
        if expires < time.monotonic() or sid != sleutel_id or not hmac.compare_digest(hashed, geheim_hash):
            return None
        return ok

    def put(self, key: bytes, sleutel_id: str, geheim_hash: str, ok: bool) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._entries) >= CACHE_MAX_ENTRIES:
                self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
                if len(self._entries) >= CACHE_MAX_ENTRIES:
                    self._entries.clear()
            self._entries[key] = (now + CACHE_SECONDS, sleutel_id, geheim_hash, ok)

    def forget(self, sleutel_id: str) -> None:
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items() if v[1] != sleutel_id}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_cache = _Cache()


def _forget(sleutel_id: str) -> None:
    _cache.forget(sleutel_id)


def clear_cache() -> None:
    """Forget every cached verification of this process (tests, key rotation)."""
    _cache.clear()


def token_key(token: str) -> bytes:
    """The cache's key of a well-formed token (its SHA-256; the token itself is not kept)."""
    return hashlib.sha256(token.encode("ascii")).digest()


def from_cache(found: Found | None, token: object) -> tuple[bool, Caller | None]:
    """``(known, caller)``: whether ``check``'s answer is known without argon2 — a malformed
    token, no active row, or a recent verification of this token against this row's hash in
    the cache — and that answer. Cheap: no hashing but one SHA-256."""
    parsed = parse_token(token)
    if found is None or parsed is None or parsed[0] != found.caller.sleutel_id:
        return True, None
    ok = _cache.get(token_key(token), found.caller.sleutel_id, found.geheim_hash)
    if ok is None:
        return False, None
    return True, found.caller if ok else None


def check(found: Found | None, token: object) -> Caller | None:
    """Verify the token's secret against the row ``find`` returned (cache first, argon2
    otherwise). Needs no database connection. Raises ``VerifyBusy`` when argon2 is needed
    and no verification slot is free (it never waits for one)."""
    known, caller = from_cache(found, token)
    if known:
        return caller
    if not _verify_slots.acquire(blocking=False):
        raise VerifyBusy
    try:
        ok = _hasher.verify(found.geheim_hash, parse_token(token)[1])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    finally:
        _verify_slots.release()
    _cache.put(token_key(token), found.caller.sleutel_id, found.geheim_hash, ok)
    return found.caller if ok else None


def authenticate(conn: Connection, token: object) -> Caller | None:
    """The caller of a token ``sleutel_id.geheim``, or None for a malformed, unknown,
    revoked or wrong one (DR-6). Revocation is read from the database on every call.
    Raises ``VerifyBusy`` like ``check``."""
    return check(find(conn, token), token)
