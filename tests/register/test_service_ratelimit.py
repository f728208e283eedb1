"""DR-6: the rate limit stops an enumeration, on SQLite and PostgreSQL, counted in the
database so that it holds across the service's worker processes.

One caller tries 3000 consecutive nine-digit numbers (valid and invalid BSNs alike, as an
enumeration would) against a service with two uvicorn worker processes and a limit of 100
per window (about an hour, chosen so that the run stays inside one), from eight client
threads without keep-alive (every request a new connection, so both workers serve; the test
checks that both used CPU). At most ``limit`` requests are
answered (200 or 400: an invalid BSN counts too), every other one is a 429 with a
``Retry-After`` and a Dutch message that says when to retry, every request has its audit
entry, and another caller is not affected."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live import IN, audit_rows, cpu_ticks, live_server, window_with_room
from sqlalchemy import select

from regiorapportage.register import audit
from regiorapportage.register.schema import tegoed

LIMIT = 100
MARGIN = 300  # seconds the run may take; the window is chosen so that it does not end sooner
ATTEMPTS = 3000
THREADS = 8


@pytest.mark.parametrize("workers", [2])
def test_DR_6_enumeration_is_stopped_by_the_rate_limit_across_worker_processes(database_url, tmp_path, workers):
    window = window_with_room(time.time(), MARGIN)
    with live_server(database_url, tmp_path / "dienst", workers=workers, limiet=LIMIT,
                     venster_seconden=window) as live:
        pids = live.worker_pids()
        assert len(pids) == workers
        ticks_before = {pid: cpu_ticks(pid) for pid in pids}
        candidates = [f"{n:09d}" for n in range(111_220_000, 111_220_000 + ATTEMPTS)]
        token = live.tokens["werkgever"]

        def attempt(chunk: list[str]) -> list[httpx.Response]:
            limits = httpx.Limits(max_keepalive_connections=0)
            with httpx.Client(base_url=live.url, timeout=60, limits=limits,
                              headers={"Authorization": f"Bearer {token}"}) as c:
                return [c.post("/api/v1/opvragen", json={"bsn": bsn, "datum": "2019-06-30"}) for bsn in chunk]

        started = time.time()
        with ThreadPoolExecutor(THREADS) as pool:
            parts = pool.map(attempt, [candidates[i::THREADS] for i in range(THREADS)])
            responses = [r for part in parts for r in part]
        ended = time.time()
        assert int(ended // window) == int(started // window), "the run took longer than MARGIN"

        assert len(responses) == ATTEMPTS
        answered = [r for r in responses if r.status_code != 429]
        limited = [r for r in responses if r.status_code == 429]
        assert {r.status_code for r in answered} <= {200, 400}
        assert len(answered) == LIMIT
        assert len(limited) == ATTEMPTS - len(answered)
        for r in limited:
            retry = int(r.headers["retry-after"])
            assert 1 <= retry <= window
            fout = r.json()["fout"]
            assert "te veel verzoeken" in fout and f"probeer het opnieuw over {retry} seconden" in fout
            assert r.json()["opnieuw_over_seconden"] == retry

        # both worker processes served (each used CPU), so the count held across processes
        grown = {pid: cpu_ticks(pid) - ticks_before[pid] for pid in pids}
        assert all(g >= 5 for g in grown.values()), grown

        # every request audited, in one unbroken chain; the counter stopped at limit + 1
        rows = [r for r in audit_rows(live.engine) if r.beller == token.split(".")[0]]
        assert len(rows) == ATTEMPTS
        assert sum(r.status == 429 for r in rows) == len(limited)
        assert sum(r.status == 200 for r in rows) == sum(r.status_code == 200 for r in answered)
        with live.engine.connect() as conn:
            assert audit.verify(conn).ok
            mine = tegoed.c.sleutel_id == token.split(".")[0]
            aantal = conn.execute(select(tegoed.c.aantal).where(mine)).scalar_one()
        assert aantal == LIMIT + 1

        # the limit is per caller: the gemeente still gets its answer
        with live.client("gemeente") as g:
            assert g.post("/api/v1/opvragen", json={"bsn": IN, "datum": "2019-06-30"}).json() == {"in_doelgroep": True}
