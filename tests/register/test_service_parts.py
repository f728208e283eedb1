"""The service's parts without a server, on SQLite and PostgreSQL (DR-6): credentials
(kinds, slow hash only, revocation read on every call even when the verification is cached,
a verification that never waits for a slot: busy at once, cached callers unaffected),
the fixed-window rate limit (counting, the window's end, the cap, per caller), the audit
chain (changed, removed, inserted and reordered entries detected; a truncated tail caught by
an anchor) and the CSRF tokens (binding, expiry, forgery)."""

from __future__ import annotations

import hashlib
import hmac
import threading

import pytest
from live import SlowHasher
from sqlalchemy import delete, insert, select, update

from regiorapportage.register import audit, auth, db, ratelimit
from regiorapportage.register import config as cfg
from regiorapportage.register.bsn import InvalidBSN
from regiorapportage.register.csrf import Csrf, new_nonce
from regiorapportage.register.schema import audit as audit_table
from regiorapportage.register.schema import beller, tegoed


@pytest.fixture
def settings(database_url):
    return cfg.Settings(database_url, cfg.new_key(), cfg.new_key(), cfg.new_key())


# ---------------------------------------------------------------------- credentials


def test_DR_6_credentials_are_stored_as_slow_hashes_and_revocable(engine):
    auth.clear_cache()
    with db.transaction(engine) as conn:
        token = auth.create_credential(conn, "Bakkerij Jansen", "opvrager", "werkgever", "123456789L01")
        gemeente = auth.create_credential(conn, "Gemeente Utrecht", "opvrager", "gemeente", "GM0344")
        admin = auth.create_credential(conn, "Beheer", "beheerder", "beheer", None)
    sid, secret = token.split(".")
    assert len(sid) == 16 and len(secret) == 43
    with engine.connect() as conn:
        stored = conn.execute(select(beller.c.geheim_hash).where(beller.c.sleutel_id == sid)).scalar_one()
        assert stored.startswith("$argon2id$") and secret not in stored
        caller = auth.authenticate(conn, token)
        assert caller == auth.Caller(sid, "Bakkerij Jansen", "opvrager", "werkgever", "123456789L01")
        assert auth.authenticate(conn, gemeente).kenmerk == "GM0344"
        assert auth.authenticate(conn, admin).is_beheerder
        for wrong in (f"{sid}.{'A' * 43}", sid, secret, "", None, 12, f"{sid}.{secret}x", "x" * 500,
                      f"{'f' * 16}.{secret}"):
            assert auth.authenticate(conn, wrong) is None
        assert auth.authenticate(conn, token) == caller  # cached now
        listed = auth.list_credentials(conn)
    assert [c["sleutel_id"] for c in listed if c["actief"]] and all("geheim_hash" not in c for c in listed)
    assert secret not in repr(listed)
    with db.transaction(engine) as conn:
        assert auth.revoke(conn, sid) is True
        assert auth.revoke(conn, sid) is False
        assert auth.revoke(conn, "' OR 1=1 --") is False
    with engine.connect() as conn:
        assert auth.authenticate(conn, token) is None  # revocation read despite the cache
        assert auth.authenticate(conn, gemeente) is not None
        assert next(c for c in auth.list_credentials(conn) if c["sleutel_id"] == sid)["actief"] is False


def test_DR_6_a_verification_never_waits_for_a_slot_and_cached_callers_need_none(engine, monkeypatch):
    auth.clear_cache()
    with db.transaction(engine) as conn:
        token = auth.create_credential(conn, "Bakkerij Jansen", "opvrager", "werkgever", "123456789L01")
        other = auth.create_credential(conn, "Gemeente Utrecht", "opvrager", "gemeente", "GM0344")
    sid = token.split(".")[0]
    wrong = [f"{sid}.{c * 43}" for c in "ABC"]
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(1))
    with engine.connect() as conn:
        caller = auth.authenticate(conn, token)  # verified once: cached from now on
        found, found_other = auth.find(conn, token), auth.find(conn, other)
    slow = SlowHasher(wrong[0].split(".")[1])
    monkeypatch.setattr(auth, "_hasher", slow)
    results = []
    attacker = threading.Thread(target=lambda: results.append(auth.check(found, wrong[0])))
    attacker.start()
    try:
        assert slow.entered.wait(30)
        # the only slot is taken: an uncached token is not checked, and nothing waits for the slot
        with pytest.raises(auth.VerifyBusy):
            auth.check(found, wrong[1])
        with pytest.raises(auth.VerifyBusy):
            auth.check(found_other, other)  # a right token that is not cached yet: busy too, not refused
        assert not slow.release.is_set() and attacker.is_alive()  # both answered while the slot stayed taken
        # a caller verified before needs no slot
        assert auth.check(found, token) == caller
    finally:
        slow.release.set()
        attacker.join(30)
    assert results == [None]
    # the slot is free again: the same tokens are checked now (the wrong one refused, the right one accepted)
    assert auth.check(found, wrong[1]) is None
    assert auth.check(found_other, other).kenmerk == "GM0344"
    assert auth._verify_slots.acquire(blocking=False)  # every slot was given back
    auth._verify_slots.release()
    auth.clear_cache()


@pytest.mark.parametrize("args, word", [
    (("", "opvrager", "werkgever", "123456789L01"), "naam"),
    (("X", "lezer", "werkgever", "123456789L01"), "rol"),
    (("X", "opvrager", "burger", "123456789L01"), "soort"),
    (("X", "opvrager", "werkgever", "123456789"), "loonheffingennummer"),
    (("X", "opvrager", "werkgever", "123456789l01"), "loonheffingennummer"),
    (("X", "opvrager", "werkgever", None), "loonheffingennummer"),
    (("X", "opvrager", "gemeente", "GM363"), "gemeentecode"),
    (("X", "opvrager", "gemeente", "123456789L01"), "gemeentecode"),
    (("X", "opvrager", "beheer", None), "beheerder"),
    (("X", "beheerder", "werkgever", "123456789L01"), "beheer"),
    (("X", "beheerder", "beheer", "GM0363"), "kenmerk"),
])
def test_DR_6_credential_kinds_are_checked(sqlite_url, args, word):
    eng = db.engine(sqlite_url)
    db.migrate(eng)
    with pytest.raises(auth.CredentialError, match=word), db.transaction(eng) as conn:
        auth.create_credential(conn, *args)
    eng.dispose()


# ---------------------------------------------------------------------- rate limit


def test_DR_6_fixed_window_rate_limit_per_caller(engine):
    t0 = 1_700_000_040.0
    start = ratelimit.window_start(t0, 60)
    assert start % 60 == 0 and start <= t0 < start + 60
    with db.transaction(engine) as conn:
        results = [ratelimit.take(conn, "a" * 16, 3, 60, start + 10 + i) for i in range(5)]
        other = ratelimit.take(conn, "b" * 16, 3, 60, start + 15)
    assert results[:3] == [(True, 0)] * 3
    assert results[3] == (False, 60 - 13) and results[4] == (False, 60 - 14)  # seconds to the window's end
    assert other == (True, 0)
    with db.transaction(engine) as conn:
        assert ratelimit.take(conn, "a" * 16, 3, 60, start + 59.5) == (False, 1)  # at least 1
        for _ in range(10):
            ratelimit.take(conn, "a" * 16, 3, 60, start + 30)
        assert conn.execute(select(tegoed.c.aantal).where(tegoed.c.sleutel_id == "a" * 16)).scalar_one() == 4  # cap
        # the next window starts again at one; a clock a little behind stays in the newer window
        assert ratelimit.take(conn, "a" * 16, 3, 60, start + 60) == (True, 0)
        assert ratelimit.take(conn, "a" * 16, 3, 60, start + 59) == (True, 0)
        assert ratelimit.take(conn, "a" * 16, 3, 60, start + 61) == (True, 0)
        assert ratelimit.take(conn, "a" * 16, 3, 60, start + 62) == (False, 58)
    with pytest.raises(ValueError):
        with db.transaction(engine) as conn:
            ratelimit.take(conn, "a" * 16, 0, 60, start)


# ---------------------------------------------------------------------- audit


def _log(engine, settings, n=6):
    with db.transaction(engine) as conn:
        for i in range(n):
            audit.append(conn, settings, beller="a" * 16, actie="opvragen", status=200, bsn="111222333",
                         peildatum="2019-06-30", antwoord=i % 2 == 0, detail="api")


def test_DR_6_audit_entries_are_chained_and_keyed(engine, settings):
    _log(engine, settings, 3)
    with db.transaction(engine) as conn:
        n = audit.append(conn, settings, beller="cli:" + "x" * 60, actie="import", status=0, detail="d" * 400)
    assert n == 4
    with engine.connect() as conn:
        rows = list(conn.execute(select(audit_table).order_by(audit_table.c.volgnummer)))
        result = audit.verify(conn)
    assert rows[0].vorige_hash == "0" * 64
    assert all(b.vorige_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    expected = hmac.new(settings.auditsleutel, b"111222333", hashlib.sha256).hexdigest()
    assert rows[0].bsn_hash == expected and rows[0].antwoord == "ja" and rows[1].antwoord == "nee"
    assert len(rows[3].beller) == 32 and len(rows[3].detail) == 256 and rows[3].bsn_hash is None
    assert result.ok and result.entries == 4 and result.last_hash == rows[-1].hash and result.last_volgnummer == 4
    with pytest.raises(InvalidBSN):
        with db.transaction(engine) as conn:
            audit.append(conn, settings, beller=None, actie="x", status=400, bsn="123456789")  # no BSN


@pytest.mark.parametrize("tamper, bad, word", [
    ("change", 3, "gewijzigd"),
    ("status", 2, "gewijzigd"),
    ("delete", 3, "ontbreekt"),
    ("delete_first", 1, "ontbreekt"),
    ("insert", 5, "verwijst niet"),  # the slipped-in entry links correctly; the one after it does not
    ("relink", 4, "verwijst niet"),
])
def test_DR_6_audit_verify_detects_changed_removed_and_inserted_entries(engine, settings, tamper, bad, word):
    _log(engine, settings)
    with db.transaction(engine) as conn:
        t = audit_table
        if tamper == "change":
            conn.execute(update(t).where(t.c.volgnummer == 3).values(antwoord="nee"))
        elif tamper == "status":
            conn.execute(update(t).where(t.c.volgnummer == 2).values(status=429))
        elif tamper == "delete":
            conn.execute(delete(t).where(t.c.volgnummer == 3))
        elif tamper == "delete_first":
            conn.execute(delete(t).where(t.c.volgnummer == 1))
        elif tamper in ("insert", "relink"):
            # an entry slipped in after 3 (renumbering the rest), with a correct hash of its own
            rows = list(conn.execute(select(t).order_by(t.c.volgnummer.desc())))
            for r in rows:
                if r.volgnummer >= 4:
                    conn.execute(update(t).where(t.c.volgnummer == r.volgnummer).values(volgnummer=r.volgnummer + 100))
            prev = conn.execute(select(t.c.hash).where(t.c.volgnummer == 3)).scalar_one()
            entry = {"volgnummer": 4, "op": "2020-01-01T00:00:00.000000Z", "beller": "b" * 16, "actie": "opvragen",
                     "bsn_hash": None, "peildatum": None, "antwoord": None, "status": 200, "detail": None,
                     "vorige_hash": prev}
            entry["hash"] = audit.entry_hash(entry)
            conn.execute(insert(t).values(**entry))
            for r in sorted(rows, key=lambda r: r.volgnummer):
                if r.volgnummer >= 4:
                    moved = t.c.volgnummer == r.volgnummer + 100
                    conn.execute(update(t).where(moved).values(volgnummer=r.volgnummer + 1))
            if tamper == "relink":
                # … and the next entry's link forged too: its own hash then no longer matches
                conn.execute(update(t).where(t.c.volgnummer == 5).values(vorige_hash=entry["hash"]))
                word = "gewijzigd"
                bad = 5
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert not result.ok and result.first_bad == bad and word in result.reason, result


def test_DR_6_a_truncated_tail_is_caught_only_by_an_anchor(engine, settings):
    _log(engine, settings)
    with engine.connect() as conn:
        anchor = audit.verify(conn)
    with db.transaction(engine) as conn:
        conn.execute(delete(audit_table).where(audit_table.c.volgnummer >= 5))
    with engine.connect() as conn:
        assert audit.verify(conn).ok  # the chain alone cannot see it (documented)
        result = audit.verify(conn, anchor=(anchor.last_volgnummer, anchor.last_hash))
    assert not result.ok and "korter" in result.reason
    _log(engine, settings, 2)  # the log grows again to 6 entries: the anchor's entry differs
    with engine.connect() as conn:
        result = audit.verify(conn, anchor=(anchor.last_volgnummer, anchor.last_hash))
    assert not result.ok and result.first_bad == 6 and "anker" in result.reason


# ---------------------------------------------------------------------- CSRF


def test_csrf_tokens_are_bound_to_the_cookie_and_the_session_and_expire():
    key = cfg.new_key()
    csrf = Csrf(key)
    nonce = new_nonce()
    token = csrf.token(nonce, "sessie-1")
    assert nonce not in token
    assert csrf.valid(nonce, token, "sessie-1")
    assert not csrf.valid(nonce, token, "sessie-2")  # another session
    assert not csrf.valid(new_nonce(), token, "sessie-1")  # another cookie
    assert not csrf.valid(None, token, "sessie-1") and not csrf.valid(nonce, None, "sessie-1")
    assert not csrf.valid(nonce, token + "x", "sessie-1")  # tampered
    assert not Csrf(cfg.new_key()).valid(nonce, token, "sessie-1")  # another key: forged
    assert not Csrf(key, max_age=-1).valid(nonce, token, "sessie-1")  # expired
    assert not csrf.valid(nonce, "x" * 1000, "sessie-1")
