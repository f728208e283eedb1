"""The browser page of the doelgroepregister (DR-5, DR-6) over HTTP, against a real server on
SQLite and PostgreSQL: logging in with a credential (a signed HttpOnly SameSite=Strict
session cookie), the look-up form with the same wording for "unknown" and "not in the
doelgroep", invalid and injected input refused with a clear Dutch message that never repeats
it, CSRF on every POST (missing, forged and another session's token refused, and audited),
revocation effective at once for a logged-in session, logout, the administrator kept out,
and the rate limit's page with ``Retry-After``. The same page in headless Chromium is in
``test_service_browser.py``."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import httpx
import pytest
from live import ENDED, IN, UNKNOWN, audit_rows, bsn_hash, counts, live_server, window_with_room

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FOUT = re.compile(r'<p class="fout" role="alert">(.*?)</p>', re.S)
ANTWOORD = re.compile(r'<div class="antwoord (ja|nee)" role="status">(.*?)</div>', re.S)
INJECTIONS = ["' OR 1=1 --", "111222333'; DROP TABLE persoon; --", "{{7*7}}", "${7*7}",
              "<script>alert(1)</script>", '"><img src=x>']


@pytest.fixture
def live(database_url, tmp_path):
    with live_server(database_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as server:
        yield server


def token_of(page: httpx.Response) -> str:
    return CSRF.search(page.text).group(1)


def login(client: httpx.Client, credential: str) -> httpx.Response:
    form = client.get("/aanmelden")
    assert form.status_code == 200
    return client.post("/aanmelden", data={"csrf": token_of(form), "sleutel": credential})


def message(page: httpx.Response) -> str:
    return " ".join(FOUT.search(page.text).group(1).split())


def answer(page: httpx.Response) -> tuple[str, str]:
    m = ANTWOORD.search(page.text)
    return m.group(1), " ".join(re.sub(r"<[^>]+>", "", m.group(2)).split())


def test_DR_5_page_login_and_look_up_with_the_same_wording_for_unknown_and_not_in(live):
    with live.client(None) as c:
        start = c.get("/")
        assert start.status_code == 200 and "alleen <strong>ja</strong> of <strong>nee</strong>" in start.text
        assert "Wat de dienst niet doet" in start.text
        assert c.get("/opvragen").headers["location"] == "/aanmelden"  # not logged in
        r = login(c, live.tokens["werkgever"])
        assert r.status_code == 303 and r.headers["location"] == "/opvragen"
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("rr_sessie="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=900" in cookie
        page = c.get("/opvragen")
        assert page.status_code == 200 and "Aangemeld als Bakkerij Jansen" in page.text

        r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN, "datum": "2019-06-30"})
        assert r.status_code == 200
        assert answer(r) == ("ja", "Ja, deze persoon hoort op 30 juni 2019 bij de doelgroep en telt mee voor de "
                                   "banenafspraak.")
        assert IN not in r.text  # the answer does not repeat the BSN
        nee = []
        for bsn in (UNKNOWN, ENDED):
            r = c.post("/opvragen", data={"csrf": token_of(r), "bsn": bsn, "datum": "2019-06-30"})
            assert r.status_code == 200
            nee.append(answer(r))
            assert bsn not in r.text
        assert nee[0] == nee[1] == ("nee", "Nee, deze persoon hoort op 30 juni 2019 niet bij de doelgroep en telt "
                                           "niet mee voor de banenafspraak.")
        r = c.post("/opvragen", data={"csrf": token_of(r), "bsn": IN, "datum": ""})  # no date: today
        assert answer(r)[0] == "ja" and f"{date.today().year}" in answer(r)[1]
    rows = [r for r in audit_rows(live.engine) if r.actie == "opvragen"]
    assert [(r.antwoord, r.detail, r.status) for r in rows] == [("ja", "web", 200), ("nee", "web", 200),
                                                                ("nee", "web", 200), ("ja", "web", 200)]
    assert rows[0].bsn_hash == bsn_hash(live.settings, IN) and rows[0].peildatum == "2019-06-30"
    assert [r.actie for r in audit_rows(live.engine)][0] == "aanmelden"


def test_DR_5_page_refuses_invalid_and_injected_input_without_echo(live):
    register_before = counts(live.engine)
    with live.client(None) as c:
        login(c, live.tokens["gemeente"])
        page = c.get("/opvragen")
        n_audit = len(audit_rows(live.engine))
        sent = 0
        for bsn in ("11122233a", "12345678", "1234567890", "123456789", "000000000", *INJECTIONS):
            r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": bsn})
            sent += 1
            assert r.status_code == 400
            assert message(r).startswith("Ongeldig BSN:"), message(r)
            assert bsn not in r.text and "49" not in message(r)
            assert "<img src=x>" not in r.text and "<script>" not in r.text
            assert ANTWOORD.search(r.text) is None
            page = r
        assert "elfproef" in message(c.post("/opvragen", data={"csrf": token_of(page), "bsn": "123456789"}))
        sent += 1
        tomorrow = (date.today() + timedelta(days=2)).isoformat()
        for datum in (tomorrow, "2020-02-30", "30-06-2019", *INJECTIONS):
            r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN, "datum": datum})
            sent += 1
            assert r.status_code == 400 and "datum" in message(r)
            assert IN not in r.text and datum not in r.text
        assert "toekomst" in message(c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN, "datum": tomorrow}))
        sent += 1
        # unknown fields, a field twice, another media type, an oversized form
        for data in ({"csrf": token_of(page), "bsn": IN, "naam": "x"},):
            r = c.post("/opvragen", data=data)
            sent += 1
            assert r.status_code == 400 and IN not in r.text
        r = c.post("/opvragen", content=f"csrf={token_of(page)}&bsn={IN}&bsn={IN}".encode(),
                   headers={"content-type": "application/x-www-form-urlencoded"})
        sent += 1
        assert r.status_code == 400 and IN not in r.text
        r = c.post("/opvragen", json={"csrf": token_of(page), "bsn": IN})
        sent += 1
        assert r.status_code == 415 and IN not in r.text
        r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN, "datum": "x" * 5000})
        sent += 1
        assert r.status_code == 413 and "te groot" in message(r)
    assert counts(live.engine) == register_before
    rows = audit_rows(live.engine)[n_audit:]
    assert len(rows) == sent and all(400 <= r.status < 500 for r in rows)
    for row in rows:
        text = " ".join(map(str, row))
        assert IN not in text and "7*7" not in text and "DROP" not in text
    assert IN not in live.log_text()


def test_DR_6_page_csrf_revocation_logout_and_roles(live):
    with live.client(None) as c, live.client(None) as other:
        # login without or with a wrong CSRF token
        form = c.get("/aanmelden")
        r = c.post("/aanmelden", data={"sleutel": live.tokens["werkgever"]})
        assert r.status_code == 403 and "verlopen" in message(r) and "rr_sessie" not in r.headers.get("set-cookie", "")
        r = c.post("/aanmelden", data={"csrf": token_of(form) + "x", "sleutel": live.tokens["werkgever"]})
        assert r.status_code == 403
        # a wrong credential, an administrator's
        r = c.post("/aanmelden", data={"csrf": token_of(form), "sleutel": "0123456789abcdef." + "A" * 43})
        assert r.status_code == 401 and "onjuist of ingetrokken" in message(r)
        r = c.post("/aanmelden", data={"csrf": token_of(form), "sleutel": live.tokens["beheerder"]})
        assert r.status_code == 403 and "werkgevers en gemeenten" in message(r)
        assert "rr_sessie" not in r.headers.get("set-cookie", "")

        assert login(c, live.tokens["werkgever"]).status_code == 303
        assert login(other, live.tokens["werkgever"]).status_code == 303
        page, other_page = c.get("/opvragen"), other.get("/opvragen")
        n_audit = len(audit_rows(live.engine))
        # a POST without the token, with a forged one, with another session's token
        for data in ({"bsn": IN}, {"csrf": "x" * 40, "bsn": IN}, {"csrf": token_of(other_page), "bsn": IN}):
            r = c.post("/opvragen", data=data)
            assert r.status_code == 403 and "verlopen of komt niet van deze pagina" in message(r)
            assert ANTWOORD.search(r.text) is None and IN not in r.text
        # without the CSRF cookie (another site's form cannot send it: SameSite=Strict)
        nonce = c.cookies.get("rr_csrf")
        c.cookies.delete("rr_csrf")
        r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN})
        assert r.status_code == 403
        c.cookies.set("rr_csrf", nonce, domain="127.0.0.1")
        assert c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN}).status_code == 200
        refused = audit_rows(live.engine)[n_audit:]
        assert [r.status for r in refused] == [403, 403, 403, 403, 200]
        assert {r.detail for r in refused[:4]} == {"csrf"} and all(r.bsn_hash is None for r in refused[:4])

        # logout needs the token too; afterwards the page asks to log in
        assert c.post("/afmelden", data={}).status_code == 403
        r = c.post("/afmelden", data={"csrf": token_of(c.get("/opvragen"))})
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert c.get("/opvragen").headers["location"] == "/aanmelden"

        # revoking the credential ends the other session at once
        with live.client("beheerder") as a:
            sid = live.tokens["werkgever"].split(".")[0]
            assert a.post(f"/api/v1/beheer/bellers/{sid}/intrekken").status_code == 200
        r = other.post("/opvragen", data={"csrf": token_of(other_page), "bsn": IN})
        assert r.status_code == 401 and "niet (meer) aangemeld" in message(r)
        assert other.get("/opvragen").headers["location"] == "/aanmelden"


def test_DR_6_page_rate_limit_says_when_to_retry(sqlite_url, tmp_path):
    window = window_with_room(time.time())
    with live_server(sqlite_url, tmp_path / "dienst", limiet=3, venster_seconden=window) as live:
        with live.client(None) as c:
            login(c, live.tokens["werkgever"])  # 1
            page = c.get("/opvragen")  # showing the form is not counted
            assert c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN}).status_code == 200  # 2
            assert c.post("/opvragen", data={"csrf": token_of(page), "bsn": "123"}).status_code == 400  # 3
            r = c.post("/opvragen", data={"csrf": token_of(page), "bsn": IN})
            assert r.status_code == 429
            retry = int(r.headers["retry-after"])
            assert 1 <= retry <= window
            assert f"probeer het opnieuw over {retry} seconden" in message(r)
            assert ANTWOORD.search(r.text) is None
