"""Timing and transport limits of the service over HTTP, against a real uvicorn (``web.serve``):

- DR-5: every look-up — the API and the page, whatever the outcome (ja, nee for an unknown
  and for a registered BSN, 400, 401, 403, 413, 429) — is answered no sooner than the
  configured floor (``min_antwoord_ms``, here 60 ms) after it was sent, measured by the
  client (which can only see more than the server's own time since arrival);
- the request line and headers are bounded (16 KiB and 100 headers: h11 while the block is
  incomplete, ``web.HeaderLimit`` once it is parsed): a 64 KiB header, a header block that
  is never finished, 150 small headers and 20,000 small headers get a 4xx (400 or 431) or a
  closed connection, a header of a few KiB is served, and the server keeps answering
  afterwards."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from live import ENDED, IN, UNKNOWN, live_server, window_with_room

FLOOR_MS = 60
LIMIT = 14


def timed(client: httpx.Client, method: str, path: str, **kw) -> tuple[httpx.Response, float]:
    t0 = time.perf_counter()
    r = client.request(method, path, **kw)
    return r, (time.perf_counter() - t0) * 1000


def test_DR_5_every_look_up_is_answered_no_sooner_than_the_floor(database_url, tmp_path):
    window = window_with_room(time.time())
    with live_server(database_url, tmp_path / "dienst", limiet=LIMIT, venster_seconden=window,
                     min_antwoord_ms=FLOOR_MS) as live:
        seen: list[tuple[int, float]] = []

        def look_up(client: httpx.Client, path: str = "/api/v1/opvragen", **kw) -> httpx.Response:
            r, ms = timed(client, "POST", path, **kw)
            seen.append((r.status_code, ms))
            assert ms >= FLOOR_MS, (path, r.status_code, ms)
            return r

        with live.client("werkgever") as c:  # counted: 2 × 3 + 2 = 8
            for _ in range(2):
                for bsn, expected in ((IN, True), (ENDED, False), (UNKNOWN, False)):
                    r = look_up(c, json={"bsn": bsn, "datum": "2019-06-30"})
                    assert r.status_code == 200 and r.json() == {"in_doelgroep": expected}
            assert look_up(c, json={"bsn": "123456789"}).status_code == 400
            big = {"bsn": IN, "x": "y" * 4000}
            assert look_up(c, json=big).status_code == 413
        with live.client(None) as c:
            assert look_up(c, json={"bsn": IN}).status_code == 401  # no credential: not counted
        with live.client("beheerder") as a:
            assert look_up(a, json={"bsn": IN}).status_code == 403
        with live.client(None) as c:  # the page: login (counted, not a look-up) and 3 look-ups = 4
            form = c.get("/aanmelden")
            csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            assert c.post("/aanmelden", data={"csrf": csrf, "sleutel": live.tokens["gemeente"]}).status_code == 303
            page = c.get("/opvragen")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            for bsn, status in ((IN, 200), (UNKNOWN, 200), ("12345678", 400)):
                r = look_up(c, "/opvragen", data={"csrf": csrf, "bsn": bsn, "datum": "2019-06-30"})
                assert r.status_code == status
        with live.client("werkgever") as c:  # werkgever: 8 counted so far; the limit is 14
            statuses = [look_up(c, json={"bsn": UNKNOWN}).status_code for _ in range(LIMIT - 8 + 1)]
            assert statuses == [200] * (LIMIT - 8) + [429]
        assert {s for s, _ in seen} == {200, 400, 401, 403, 413, 429}


def raw_exchange(url: str, request: bytes, finish: bool = True) -> bytes:
    """Send ``request`` on a new connection and return what comes back before the server
    closes it or 10 s pass (b"" when it closed without answering)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        try:
            s.sendall(request)
            if finish:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed while we were still sending (EPIPE, ECONNRESET, ENOTCONN)
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and not finish:
                    break
        except TimeoutError:
            pytest.fail(f"the server neither answered nor closed within 10 s: {received[:200]!r}")
        except OSError:
            pass  # reset after (or instead of) the answer: closed
    return received


def refused_or_closed(answer: bytes) -> bool:
    return answer == b"" or (answer.startswith(b"HTTP/1.1 4") and not answer.startswith(b"HTTP/1.1 404"))


def test_request_headers_are_bounded_and_the_server_keeps_answering(sqlite_url, tmp_path):
    with live_server(sqlite_url, tmp_path / "dienst") as live:
        token = live.tokens["werkgever"].encode()
        head = b"GET /gezondheid HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + b"\r\n"
        # a header of a few KiB is fine
        answer = raw_exchange(live.url, head + b"X-Ruim: " + b"a" * 4096 + b"\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        # one header of 64 KiB
        answer = raw_exchange(live.url, head + b"X-Groot: " + b"a" * 65536 + b"\r\n\r\n")
        assert refused_or_closed(answer), answer[:200]
        # a header block that never ends (the server must not wait for the end to refuse it)
        answer = raw_exchange(live.url, head + b"X-Eindeloos: " + b"a" * 65536, finish=False)
        assert refused_or_closed(answer), answer[:200]
        # more than 100 headers, small enough together: the count alone is refused
        answer = raw_exchange(live.url, head + b"".join(b"X-%d: a\r\n" % i for i in range(150)) + b"\r\n")
        assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
        assert "hoogstens 16384 bytes en 100 kopregels" in answer.decode()
        # 20,000 small headers
        many = b"".join(b"X-%d: a\r\n" % i for i in range(20_000))
        answer = raw_exchange(live.url, head + many + b"\r\n")
        assert refused_or_closed(answer), answer[:200]
        # still serving
        with live.client("werkgever") as c:
            assert c.get("/gezondheid").status_code == 200
            assert c.post("/api/v1/opvragen", json={"bsn": IN, "datum": "2019-06-30"}).json() == {"in_doelgroep": True}
        assert IN not in live.log_text()
