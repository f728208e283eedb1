"""The web application in process (Starlette's TestClient, no server), for what is easier to
show from inside than over a socket (DR-5, DR-6):

- a flood of wrong secrets cannot make callers wait for an argon2 slot: with every slot
  taken (one, held by a slow verification) an uncached token gets 503 with ``Retry-After: 1``
  and a Dutch message at once — the API, the administrative API and the page's login — while a
  caller whose token is cached is answered as usual; the 503s are not counted or audited;
  concurrent requests with one uncached token share its single verification (no 503);
- the administrative extract and the audit verification read the database outside the write
  transaction: while they read, another connection can take SQLite's write lock (so the
  look-ups are not stopped), and a caller without the administrator role makes them read
  nothing;
- DR-5's time floor (``AnswerFloor``, on a stub application) holds the look-ups (API and
  page) and nothing else.

The time floor measured over HTTP, the header limits and everything else over HTTP are in
the other ``test_service*.py`` files (a real uvicorn)."""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3
import threading
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from live import IN, SlowHasher, audit_rows, prepare
from sqlalchemy.engine import make_url

from regiorapportage.register import audit, auth, store, web

with warnings.catch_warnings():  # Starlette 1.x asks for httpx2 instead of httpx; the client works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LOOKUP = "/api/v1/opvragen"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@contextmanager
def app_on(url: str, folder, **settings) -> Iterator[tuple[TestClient, object, dict[str, str]]]:
    _path, s, engine, tokens = prepare(url, folder, **settings)
    app = web.create_app(s)
    try:
        with TestClient(app, raise_server_exceptions=True) as client:
            yield client, engine, tokens
    finally:
        app.state.service.engine.dispose()
        engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_DR_6_no_free_verification_slot_gives_503_at_once_and_cached_callers_are_served(
        sqlite_url, tmp_path, monkeypatch):
    auth.clear_cache()
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(1))
    with app_on(sqlite_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as (client, engine, tokens):
        werkgever = tokens["werkgever"]
        assert client.post(LOOKUP, json={"bsn": IN}, headers=bearer(werkgever)).json() == {"in_doelgroep": True}
        sid = werkgever.split(".")[0]
        with engine.connect() as conn:
            found = auth.find(conn, werkgever)
        slow = SlowHasher("S" * 43)
        monkeypatch.setattr(auth, "_hasher", slow)
        holder = threading.Thread(target=auth.check, args=(found, f"{sid}.{'S' * 43}"))
        holder.start()
        n_audit = len(audit_rows(engine))
        try:
            assert slow.entered.wait(30)  # the only slot is held by a slow (wrong) verification
            # a wrong secret that is not cached: not checked, 503 at once
            r = client.post(LOOKUP, json={"bsn": IN}, headers=bearer(f"{sid}.{'W' * 43}"))
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            assert r.headers["content-type"] == "application/json"
            doc = r.json()
            assert doc["opnieuw_over_seconden"] == 1
            assert "te veel sleutels tegelijk" in doc["fout"] and "over 1 seconde opnieuw" in doc["fout"]
            assert IN not in r.text
            # an administrator whose token is not cached yet: the same
            r = client.get("/api/v1/beheer/bellers", headers=bearer(tokens["beheerder"]))
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            # the page's login with a token that is not cached: an error page
            form = client.get("/aanmelden")
            r = client.post("/aanmelden", data={"csrf": CSRF.search(form.text).group(1),
                                                "sleutel": tokens["gemeente"]})
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            assert r.headers["content-type"].startswith("text/html") and "Even geduld" in r.text
            assert "rr_sessie" not in r.headers.get("set-cookie", "")
            # nobody waited for the slot: the slow verification still holds it
            assert holder.is_alive() and not slow.release.is_set()
            # a caller verified before needs no slot
            r = client.post(LOOKUP, json={"bsn": IN, "datum": "2019-06-30"}, headers=bearer(werkgever))
            assert r.status_code == 200 and r.json() == {"in_doelgroep": True}
        finally:
            slow.release.set()
            holder.join(30)
        rows = audit_rows(engine)[n_audit:]
        assert [(r.actie, r.status) for r in rows] == [("opvragen", 200)]  # the 503s: no caller, not audited
        # with the slot free again the same wrong secret is checked and refused
        r = client.post(LOOKUP, json={"bsn": IN}, headers=bearer(f"{sid}.{'W' * 43}"))
        assert r.status_code == 401
        assert client.get("/api/v1/beheer/bellers", headers=bearer(tokens["beheerder"])).status_code == 200
    auth.clear_cache()


def test_DR_6_concurrent_requests_with_one_uncached_token_share_its_verification(sqlite_url, tmp_path, monkeypatch):
    auth.clear_cache()
    monkeypatch.setattr(auth, "_verify_slots", threading.BoundedSemaphore(1))
    with app_on(sqlite_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as (client, engine, tokens):
        gemeente = tokens["gemeente"]
        slow = SlowHasher(gemeente.split(".")[1])  # the right secret, verified slowly
        monkeypatch.setattr(auth, "_hasher", slow)
        calls = []
        real_verify = slow.verify
        monkeypatch.setattr(slow, "verify", lambda h, secret: calls.append(secret) or real_verify(h, secret))
        svc = client.app.state.service
        waiting = threading.Event()

        class Watched(dict):
            def get(self, key, default=None):
                found = super().get(key, default)
                if found is not None:
                    waiting.set()  # a request found this token's verification in progress
                return found

        svc.verifying = Watched()
        results: dict[str, int] = {}

        def ask(name: str) -> None:
            r = client.post(LOOKUP, json={"bsn": IN, "datum": "2019-06-30"}, headers=bearer(gemeente))
            results[name] = r.status_code

        first = threading.Thread(target=ask, args=("first",))
        first.start()
        assert slow.entered.wait(30)  # the first request holds the only slot
        second = threading.Thread(target=ask, args=("second",))
        second.start()
        try:
            assert waiting.wait(30)  # the second one waits for that verification instead of a 503
            wrong = gemeente.split(".")[0] + "." + "W" * 43
            assert client.post(LOOKUP, json={"bsn": IN}, headers=bearer(wrong)).status_code == 503  # another token
            assert results == {}
        finally:
            slow.release.set()
            first.join(30)
            second.join(30)
        assert results == {"first": 200, "second": 200}
        assert len(calls) == 1  # one argon2 verification for both
        assert svc.verifying == {}
    auth.clear_cache()


def test_DR_6_extract_and_audit_verification_read_outside_the_write_transaction(sqlite_url, tmp_path, monkeypatch):
    database = make_url(sqlite_url).database
    seen = []

    def write_lock_is_free(what: str) -> None:
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once ("database is locked") if a writer holds it
            other.execute("ROLLBACK")
            seen.append(what)
        finally:
            other.close()

    real_load, real_verify = store.load, audit.verify

    def load(conn, *args, **kw):
        write_lock_is_free("load")
        return real_load(conn, *args, **kw)

    def verify(conn, anchor=None):
        write_lock_is_free("verify")
        return real_verify(conn, anchor)

    auth.clear_cache()
    with app_on(sqlite_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as (client, engine, tokens):
        monkeypatch.setattr(store, "load", load)  # after the register was recorded (which loads too)
        monkeypatch.setattr(audit, "verify", verify)
        admin, werkgever = bearer(tokens["beheerder"]), bearer(tokens["werkgever"])
        # without the administrator role: refused before anything is read
        r = client.get("/api/v1/beheer/extract", params={"datum": "2020-01-01"}, headers=werkgever)
        assert r.status_code == 403
        assert client.get("/api/v1/beheer/audit/verificatie", headers=werkgever).status_code == 403
        # a refused date: nothing read either, the refusal audited
        assert client.get("/api/v1/beheer/extract", params={"datum": "2999-01-01"}, headers=admin).status_code == 400
        assert seen == []

        r = client.get("/api/v1/beheer/extract", params={"datum": "2020-01-01"}, headers=admin)
        assert r.status_code == 200 and seen == ["load"]
        files = zipfile.ZipFile(io.BytesIO(r.content))
        assert "R-IN" in files.read("doelgroepregister.csv").decode()
        r = client.get("/api/v1/beheer/audit/verificatie", headers=admin)
        assert r.status_code == 200 and seen == ["load", "verify"]
        doc = r.json()
        rows = audit_rows(engine)
        assert doc["ok"] is True and doc["regels"] == len(rows) - 1 and doc["laatste_hash"] == rows[-2].hash
        assert [(x.actie, x.status) for x in rows[-5:]] == [
            ("extract", 403), ("audit_verificatie", 403), ("extract", 400), ("extract", 200),
            ("audit_verificatie", 200)]
        assert rows[-2].detail.startswith("extract 2020-01-01: ") and rows[-1].detail.startswith("keten in orde")
    auth.clear_cache()


def test_DR_5_the_floor_holds_look_ups_only(monkeypatch):
    """``AnswerFloor`` on a stub application: it holds the start of a look-up's response (API
    and page; the stub answers 418, any status is held alike) until the floor has passed
    since arrival, and holds nothing else."""
    held = []
    real_wait = web._wait_until

    async def wait_until(deadline: float) -> None:
        held.append(deadline)
        await real_wait(deadline)

    monkeypatch.setattr(web, "_wait_until", wait_until)

    async def stub(scope, receive, send):
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})

    async def one(min_ms: int, method: str, path: str) -> float:
        sent: list[tuple[str, float]] = []

        async def send(message):
            sent.append((message["type"], time.monotonic()))

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        t0 = time.monotonic()
        await web.AnswerFloor(stub, min_ms=min_ms)({"type": "http", "method": method, "path": path}, receive, send)
        assert [t for t, _ in sent] == ["http.response.start", "http.response.body"]
        return sent[0][1] - t0

    async def main():
        for method, path in (("POST", "/api/v1/opvragen"), ("POST", "/opvragen")):
            assert await one(40, method, path) >= 0.040
        assert len(held) == 2
        for method, path in (("GET", "/opvragen"), ("POST", "/aanmelden"), ("GET", "/gezondheid"),
                             ("POST", "/api/v1/beheer/besluiten"), ("POST", "/api/v1/opvragen/")):
            await one(40, method, path)
        await one(0, "POST", "/api/v1/opvragen")  # no floor configured
        assert len(held) == 2

    asyncio.run(main())
