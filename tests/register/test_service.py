"""The doelgroepregister service tested as a security boundary (DR-5, DR-6, DR-7): a real
uvicorn server (``web.serve``) in a subprocess on 127.0.0.1, on SQLite and on PostgreSQL,
spoken to with httpx.

- DR-6 access: no, a malformed, a wrong, an unknown and a revoked credential → 401 (not
  audited); a look-up credential on every administrative endpoint → 403 and an
  administrator on the look-up → 403 (both audited, nothing changed);
- DR-5 input: malformed JSON, BSNs with letters, of the wrong length, failing the elfproef,
  ``000000000``, future and impossible dates, oversized bodies (with Content-Length and
  chunked), SQL and template injection strings → 4xx with a clear Dutch message that never
  repeats the input; nothing stored but the audit entries;
- DR-5 answers: "unknown" and "not in the doelgroep" byte-identical (status, headers but
  Date, body); yes for a person in the doelgroep; BA-2 through HTTP (Wsw from March: nee
  until 1 January; quotumgroep from 2018-12-01; an ended and a voided registration);
- DR-6 audit: the chain verifies after a series of requests; an entry changed or deleted
  directly in the database is detected;
- the administrative API end to end (decisions all or nothing, AOW endings, credentials,
  the DR-7 extract zip equal to ``extract.write``);
- no information surface: no docs/OpenAPI, security headers everywhere, no Server header,
  no BSN or secret in the server's log.

The rate limit against an enumeration (across two worker processes) is in
``test_service_ratelimit.py``, the browser page in ``test_service_page.py``."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from live import (
    AOW,
    ENDED,
    IN,
    QUOTUM,
    UNKNOWN,
    VOIDED,
    WSW,
    audit_rows,
    bsn_hash,
    counts,
    live_server,
)
from sqlalchemy import delete, func, select, update

from regiorapportage.register import audit, db, extract
from regiorapportage.register.schema import audit as audit_table
from regiorapportage.register.schema import beller, persoon

LOOKUP = "/api/v1/opvragen"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
NEW_PERSON = "100000071"  # elfproef: 9·1 + 2·7 − 1 = 22


@pytest.fixture
def live(database_url, tmp_path):
    with live_server(database_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as server:
        yield server


def sleutel_id(token: str) -> str:
    return token.split(".", 1)[0]


def assert_refused(r, status=None, *, echoes=()):
    """A 4xx with a Dutch message in {"fout": …} that repeats none of ``echoes``."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    if status is not None:
        assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"] == "application/json"
    doc = r.json()
    assert isinstance(doc.get("fout"), str) and len(doc["fout"]) > 10
    for value in echoes:
        assert value not in r.text, (value, r.text)
    return doc["fout"]


# ---------------------------------------------------------------------- DR-6 access


def test_DR_6_missing_malformed_wrong_unknown_and_revoked_credentials_get_401(live):
    body = {"bsn": IN, "datum": "2020-01-01"}
    token = live.tokens["gemeente"]
    wrong_secret = sleutel_id(token) + "." + "A" * 43
    unknown_id = "0123456789abcdef." + token.split(".", 1)[1]
    before = len(audit_rows(live.engine))
    with live.client(None) as c:
        headers = [{}, {"Authorization": ""}, {"Authorization": "Bearer"}, {"Authorization": "Bearer  x"},
                   {"Authorization": f"Basic {token}"}, {"Authorization": token},
                   {"Authorization": f"Bearer {wrong_secret}"}, {"Authorization": f"Bearer {unknown_id}"},
                   {"Authorization": f"Bearer {token}x"}, {"Authorization": "Bearer ' OR 1=1 --"},
                   {"Authorization": "Bearer " + "a" * 5000}]
        for h in headers:
            r = c.post(LOOKUP, json=body, headers=h)
            message = assert_refused(r, 401, echoes=[IN, token.split(".", 1)[1]])
            assert "niet aangemeld" in message
            assert r.headers["www-authenticate"].startswith("Bearer")
        # the same for an administrative endpoint
        r = c.get("/api/v1/beheer/bellers", headers={"Authorization": f"Bearer {wrong_secret}"})
        assert_refused(r, 401)
    assert len(audit_rows(live.engine)) == before  # no caller, nothing to audit or to count

    # revoked: it worked (and is cached in the worker), is revoked, and is refused at once
    with live.client("gemeente") as c:
        assert c.post(LOOKUP, json=body).json() == {"in_doelgroep": True}
        with live.client("beheerder") as admin:
            r = admin.post(f"/api/v1/beheer/bellers/{sleutel_id(token)}/intrekken")
            assert r.status_code == 200 and r.json() == {"ingetrokken": sleutel_id(token)}
            assert_refused(admin.post(f"/api/v1/beheer/bellers/{sleutel_id(token)}/intrekken"), 404)
        r = c.post(LOOKUP, json=body)
        assert_refused(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")


ADMIN_CALLS = [
    ("post", "/api/v1/beheer/besluiten", [{"soort": "persoon", "bsn": NEW_PERSON, "geboortedatum": "1990-01-01"}]),
    ("post", "/api/v1/beheer/bijwerken", {"tot": "2020-01-01"}),
    ("post", "/api/v1/beheer/bellers", {"naam": "Indringer", "rol": "beheerder", "soort": "beheer"}),
    ("post", "/api/v1/beheer/bellers/{beheerder}/intrekken", None),
    ("get", "/api/v1/beheer/bellers", None),
    ("get", "/api/v1/beheer/extract?datum=2020-01-01", None),
    ("get", "/api/v1/beheer/audit/verificatie", None),
]


def test_DR_6_look_up_credential_gets_403_on_administration_and_administrator_on_look_up(live):
    admin_id = sleutel_id(live.tokens["beheerder"])
    werkgever_id = sleutel_id(live.tokens["werkgever"])
    register_before = counts(live.engine)
    with live.engine.connect() as conn:
        callers_before = conn.execute(select(func.count()).select_from(beller)).scalar_one()
    n_audit = len(audit_rows(live.engine))
    with live.client("werkgever") as c:
        for method, path, body in ADMIN_CALLS:
            path = path.format(beheerder=admin_id)
            r = c.request(method, path, json=body) if body is not None else c.request(method, path)
            message = assert_refused(r, 403)
            assert "beheerder" in message
            assert "PK" not in r.text and "doelgroepregister.csv" not in r.text  # no zip, no data
    with live.client("beheerder") as a:
        message = assert_refused(a.post(LOOKUP, json={"bsn": IN}), 403, echoes=[IN])
        assert "werkgevers en gemeenten" in message
        # the administrator still works: the 403s above revoked nothing
        assert a.get("/api/v1/beheer/bellers").status_code == 200
    assert counts(live.engine) == register_before
    with live.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(beller)).scalar_one() == callers_before
    rows = audit_rows(live.engine)[n_audit:]
    refused = [r for r in rows if r.status == 403]
    assert len(refused) == len(ADMIN_CALLS) + 1
    assert {r.beller for r in refused[:-1]} == {werkgever_id}
    assert refused[-1].beller == admin_id and refused[-1].actie == "opvragen" and refused[-1].bsn_hash is None


# ---------------------------------------------------------------------- DR-5 input

INJECTIONS = ["' OR 1=1 --", "111222333'; DROP TABLE persoon; --", "{{7*7}}", "${7*7}", "<script>alert(1)</script>",
              "%s%s%n", "../../etc/passwd"]
BAD_BSNS = ["11122233a", "12345678", "1234567890", "123456789", "000000000", " 111222333", "１１１２２２３３３",
            *INJECTIONS]


def test_DR_5_invalid_input_is_refused_clearly_never_echoed_and_only_audited(live):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    register_before = counts(live.engine)
    n_audit = len(audit_rows(live.engine))
    sent = 0
    expected_hashes = []  # the bsn_hash of each refused request (None without a valid BSN)
    with live.client("werkgever") as c:
        def post(**kw):
            nonlocal sent
            sent += 1
            return c.post(LOOKUP, **kw)

        # BSNs: letters, length, elfproef, all zeros, injections; and a BSN of the wrong type
        for bad in BAD_BSNS:
            message = assert_refused(post(json={"bsn": bad, "datum": "2020-01-01"}), 400, echoes=[bad.strip()])
            assert message.startswith("ongeldig BSN")
            expected_hashes.append(None)
        assert "elfproef" in assert_refused(post(json={"bsn": "123456789"}), 400)
        assert "alleen nullen" in assert_refused(post(json={"bsn": "000000000"}), 400)
        assert "negen cijfers" in assert_refused(post(json={"bsn": "12345678"}), 400)
        expected_hashes += [None] * 3
        for bad in (111222333, None, ["111222333"], {"bsn": "111222333"}, True):
            assert_refused(post(json={"bsn": bad}), 400, echoes=["111222333"])
            expected_hashes.append(None)
        # dates: in the future, impossible, other forms, injections — with a valid BSN (not echoed)
        for bad in (tomorrow, "2999-01-01", "2020-02-30", "20200101", "01-01-2020", "2020-1-1", *INJECTIONS, 20200101):
            message = assert_refused(post(json={"bsn": IN, "datum": bad}), 400, echoes=[IN, str(bad)])
            assert "datum" in message
            expected_hashes.append(bsn_hash(live.settings, IN))
        assert "toekomst" in assert_refused(post(json={"bsn": IN, "datum": tomorrow}), 400, echoes=[IN])
        expected_hashes.append(bsn_hash(live.settings, IN))
        # not JSON, not an object, keys given twice or unknown, another media type
        for raw in (b"{", b'{"bsn": "111222333",}', b"\xff\xfe\x00", b'"111222333"', b"[]", b"null",
                    b'{"bsn":"111222333","bsn":"123456782"}', b'{"bsn":"111222333","naam":"x"}',
                    b"[" * 1000 + b"]" * 1000, b""):
            assert_refused(post(content=raw, headers={"content-type": "application/json"}), 400, echoes=[IN])
            expected_hashes.append(None)
        r = post(content=json.dumps({"bsn": IN}).encode(), headers={"content-type": "text/plain"})
        assert "JSON" in assert_refused(r, 415, echoes=[IN])
        expected_hashes.append(None)
        # oversized (limit 2048 bytes): with a Content-Length, and chunked without one
        big = json.dumps({"bsn": IN, "datum": "2020-01-01", "x": "{{7*7}}" * 600}).encode()
        assert "te groot" in assert_refused(post(content=big, headers={"content-type": "application/json"}), 413,
                                            echoes=[IN, "{{7*7}}"])

        def chunks():
            for i in range(0, len(big), 500):
                yield big[i:i + 500]

        r = post(content=chunks(), headers={"content-type": "application/json"})
        assert "te groot" in assert_refused(r, 413, echoes=[IN])
        assert r.request.headers.get("transfer-encoding") == "chunked"
        expected_hashes += [None, None]
        # the form's channel refuses JSON clients' mistakes alike: GET with the BSN in the URL is no look-up
        r = c.get(LOOKUP, params={"bsn": IN})
        assert r.status_code == 405 and IN not in r.text
        # still fine afterwards
        assert post(json={"bsn": IN, "datum": "2020-01-01"}).json() == {"in_doelgroep": True}
        expected_hashes.append(bsn_hash(live.settings, IN))

    assert counts(live.engine) == register_before  # nothing stored in the register
    with live.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(persoon)).scalar_one() == register_before[0]
    rows = audit_rows(live.engine)[n_audit:]
    assert len(rows) == sent  # one audit entry per request
    assert [r.bsn_hash for r in rows] == expected_hashes
    assert [r.status for r in rows][-1] == 200 and all(400 <= r.status < 500 for r in rows[:-1])
    for row in rows:  # no input in the log
        text = " ".join(str(v) for v in row)
        assert IN not in text and "7*7" not in text and "DROP" not in text
    assert IN not in live.log_text() and "DROP" not in live.log_text()


# ---------------------------------------------------------------------- DR-5 answers


def test_DR_5_unknown_and_not_in_doelgroep_are_byte_identical(live):
    def raw(client, bsn, datum):
        body = {"bsn": bsn} if datum is None else {"bsn": bsn, "datum": datum}
        r = client.post(LOOKUP, json=body)
        headers = [(k.lower(), v) for k, v in r.headers.raw if k.lower() != b"date"]
        return r.status_code, headers, r.content

    with live.client("werkgever") as c:
        for datum in (None, "2019-06-30"):
            unknown = raw(c, UNKNOWN, datum)
            assert unknown[0] == 200 and unknown[2] == b'{"in_doelgroep":false}'
            for not_in in (ENDED, VOIDED, WSW if datum else UNKNOWN):
                assert raw(c, not_in, datum) == unknown
        # a yes differs only in its body (and so its length)
        yes = raw(c, IN, "2019-06-30")
        assert yes[2] == b'{"in_doelgroep":true}'
        assert [h for h in yes[1] if h[0] != b"content-length"] == [h for h in unknown[1] if h[0] != b"content-length"]


def test_DR_5_answers_follow_BA_2_through_http(live):
    cases = [
        (IN, None, True), (IN, "2015-01-01", True), (IN, "2014-12-31", False),
        (ENDED, "2016-06-30", True), (ENDED, "2017-01-01", True), (ENDED, "2017-01-02", False), (ENDED, None, False),
        # BA-2: a Wsw registration from March 2019 counts only from the next 1 January
        (WSW, "2019-03-01", False), (WSW, "2019-12-31", False), (WSW, "2020-01-01", True), (WSW, None, True),
        # BA-2: the quotumgroep counts from 2018-12-01
        (QUOTUM, "2018-11-30", False), (QUOTUM, "2018-12-01", True),
        # DR-4: voided by a bezwaar: on no date
        (VOIDED, "2015-06-30", False), (VOIDED, None, False),
        (UNKNOWN, "2019-06-30", False),
    ]
    for who in ("werkgever", "gemeente"):  # an employer and a gemeente get the same answers
        with live.client(who) as c:
            for bsn, datum, expected in cases:
                body = {"bsn": bsn} if datum is None else {"bsn": bsn, "datum": datum}
                r = c.post(LOOKUP, json=body)
                assert r.status_code == 200, (bsn, datum, r.text)
                assert r.json() == {"in_doelgroep": expected}, (who, bsn, datum)
    rows = [r for r in audit_rows(live.engine) if r.actie == "opvragen"]
    assert len(rows) == 2 * len(cases)
    for i, row in enumerate(rows):
        bsn, datum, expected = cases[i % len(cases)]
        assert row.bsn_hash == bsn_hash(live.settings, bsn)
        assert row.antwoord == ("ja" if expected else "nee")
        assert len(row.peildatum) == 10 and (datum is None or row.peildatum == datum)
        who = "werkgever" if i < len(cases) else "gemeente"
        assert row.beller == sleutel_id(live.tokens[who]) and row.status == 200


# ---------------------------------------------------------------------- DR-6 audit


def test_DR_6_audit_chain_verifies_and_detects_a_changed_or_removed_entry(live):
    with live.client("werkgever") as c:
        for bsn in (IN, ENDED, UNKNOWN, WSW, IN):
            assert c.post(LOOKUP, json={"bsn": bsn, "datum": "2019-06-30"}).status_code == 200
        assert c.post(LOOKUP, json={"bsn": "123456789"}).status_code == 400
        assert c.get("/api/v1/beheer/bellers").status_code == 403
    with live.client("beheerder") as a:
        r = a.get("/api/v1/beheer/audit/verificatie")
        assert r.status_code == 200
        doc = r.json()
    rows = audit_rows(live.engine)
    assert doc["ok"] is True and doc["regels"] == len(rows) - 1  # the check itself is logged after it
    assert doc["laatste_hash"] == rows[-2].hash
    with live.engine.connect() as conn:
        assert audit.verify(conn).ok
    # no BSN anywhere in the log; each look-up keyed-hashed
    assert not any(b in " ".join(map(str, row)) for row in rows for b in (IN, ENDED, UNKNOWN, WSW))
    lookups = [r for r in rows if r.actie == "opvragen" and r.status == 200]
    assert [r.antwoord for r in lookups] == ["ja", "nee", "nee", "nee", "ja"]

    # tamper: a 'nee' becomes 'ja' directly in the database
    target = lookups[1].volgnummer
    with db.transaction(live.engine) as conn:
        conn.execute(update(audit_table).where(audit_table.c.volgnummer == target).values(antwoord="ja"))
    with live.engine.connect() as conn:
        result = audit.verify(conn)
    assert not result.ok and result.first_bad == target and "gewijzigd" in result.reason
    with live.client("beheerder") as a:
        doc = a.get("/api/v1/beheer/audit/verificatie").json()
    assert doc["ok"] is False and doc["eerste_fout"] == target and "gewijzigd" in doc["reden"]
    with db.transaction(live.engine) as conn:
        conn.execute(update(audit_table).where(audit_table.c.volgnummer == target).values(antwoord="nee"))
    with live.engine.connect() as conn:
        assert audit.verify(conn).ok  # restored exactly: the chain holds again

    # remove an entry in the middle
    removed = lookups[2].volgnummer
    with db.transaction(live.engine) as conn:
        conn.execute(delete(audit_table).where(audit_table.c.volgnummer == removed))
    with live.engine.connect() as conn:
        result = audit.verify(conn)
    assert not result.ok and result.first_bad == removed and "ontbreekt" in result.reason


# ---------------------------------------------------------------------- administration


def test_DR_6_administrative_api_end_to_end(live, tmp_path):
    admin_id = sleutel_id(live.tokens["beheerder"])
    a = live.client("beheerder")
    w = live.client("werkgever")
    try:
        # decisions: one transaction
        batch = [{"soort": "persoon", "bsn": NEW_PERSON, "geboortedatum": "1990-05-05"},
                 {"soort": "registratie", "bsn": NEW_PERSON, "registratie_id": "R-NEW", "grondslag": "wajong",
                  "datum": "2018-01-01", "orgaan": "UWV", "besluit_id": "B-NEW"}]
        assert w.post(LOOKUP, json={"bsn": NEW_PERSON, "datum": "2019-01-01"}).json() == {"in_doelgroep": False}
        r = a.post("/api/v1/beheer/besluiten", json=batch)
        assert r.status_code == 200, r.text
        assert r.json() == {"besluiten": 2, "personen": 1, "registraties": 1, "gebeurtenissen": 1,
                            "persoonsgebeurtenissen": 0}
        assert w.post(LOOKUP, json={"bsn": NEW_PERSON, "datum": "2019-01-01"}).json() == {"in_doelgroep": True}

        # all or nothing: the second decision is refused, the first is not kept either
        before = counts(live.engine)
        other = "100000083"
        refused = [{"soort": "persoon", "bsn": other, "geboortedatum": "1990-01-01"},
                   {"soort": "registratie", "bsn": other, "registratie_id": "R-X", "grondslag": "onzin",
                    "datum": "2018-01-01", "orgaan": "UWV", "besluit_id": "B-X"}]
        r = a.post("/api/v1/beheer/besluiten", json=refused)
        assert r.status_code == 400 and r.json()["index"] == 2 and "grondslag" in r.json()["fout"]
        r = a.post("/api/v1/beheer/besluiten", json=[{"soort": "persoon", "bsn": "123456789",
                                                      "geboortedatum": "1990-01-01"}])
        assert r.status_code == 400 and r.json()["index"] == 1 and "123456789" not in r.text
        assert_refused(a.post("/api/v1/beheer/besluiten", json=[]), 400)
        assert_refused(a.post("/api/v1/beheer/besluiten", json={"soort": "persoon"}), 400)
        assert counts(live.engine) == before

        # DR-3: AOW endings applied by the service (born 1953-01-01: AOW day 2019-05-01)
        assert w.post(LOOKUP, json={"bsn": AOW, "datum": "2019-05-02"}).json() == {"in_doelgroep": True}
        assert_refused(a.post("/api/v1/beheer/bijwerken", json={"tot": "2999-01-01"}), 400)
        r = a.post("/api/v1/beheer/bijwerken", json={"tot": "2019-06-01"})
        assert r.status_code == 200 and r.json()["gebeurtenissen"] == 1 and r.json()["persoonsgebeurtenissen"] == 1
        assert w.post(LOOKUP, json={"bsn": AOW, "datum": "2019-05-01"}).json() == {"in_doelgroep": True}
        assert w.post(LOOKUP, json={"bsn": AOW, "datum": "2019-05-02"}).json() == {"in_doelgroep": False}
        assert a.post("/api/v1/beheer/bijwerken", json={"tot": "2019-06-01"}).json()["gebeurtenissen"] == 0

        # credentials: made (shown once), listed without hashes, used, revoked
        r = a.post("/api/v1/beheer/bellers", json={"naam": "Gemeente Utrecht", "rol": "opvrager",
                                                   "soort": "gemeente", "kenmerk": "GM0344"})
        assert r.status_code == 201, r.text
        token = r.json()["sleutel"]
        new_id = r.json()["sleutel_id"]
        assert token.startswith(new_id + ".")
        for bad, word in (({"naam": "X", "rol": "opvrager", "soort": "werkgever", "kenmerk": "12345"},
                           "loonheffingennummer"),
                          ({"naam": "X", "rol": "opvrager", "soort": "gemeente", "kenmerk": "0344"}, "GM"),
                          ({"naam": "X", "rol": "baas", "soort": "beheer"}, "rol"),
                          ({"naam": "X", "rol": "beheerder", "soort": "werkgever", "kenmerk": "123456789L01"},
                           "beheer")):
            assert word in assert_refused(a.post("/api/v1/beheer/bellers", json=bad), 400)
        listed = a.get("/api/v1/beheer/bellers").json()["bellers"]
        assert {c["sleutel_id"] for c in listed} >= {new_id, admin_id}
        mine = next(c for c in listed if c["sleutel_id"] == new_id)
        assert mine["kenmerk"] == "GM0344" and mine["actief"] is True and mine["rol"] == "opvrager"
        text = json.dumps(listed)
        assert "argon2" not in text and token.split(".", 1)[1] not in text and "hash" not in text
        with live.client(None) as c:
            h = {"Authorization": f"Bearer {token}"}
            assert c.post(LOOKUP, json={"bsn": IN}, headers=h).json() == {"in_doelgroep": True}
            assert a.post(f"/api/v1/beheer/bellers/{new_id}/intrekken").status_code == 200
            assert_refused(c.post(LOOKUP, json={"bsn": IN}, headers=h), 401)
        assert_refused(a.post("/api/v1/beheer/bellers/' OR 1=1 --/intrekken"), 404)
        assert next(c for c in a.get("/api/v1/beheer/bellers").json()["bellers"]
                    if c["sleutel_id"] == new_id)["actief"] is False

        # DR-7: the extract as a zip, equal to what extract.write makes
        r = a.get("/api/v1/beheer/extract", params={"datum": "2020-01-01"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        assert "doelgroepregister-extract-2020-01-01.zip" in r.headers["content-disposition"]
        files = zipfile.ZipFile(io.BytesIO(r.content))
        assert sorted(files.namelist()) == ["bronnen.json", "doelgroepregister.csv", "personen.csv"]
        folder = tmp_path / "extract"
        extract.write(live.engine, date(2020, 1, 1), folder, live.settings.pseudoniemsleutel)
        for name in ("doelgroepregister.csv", "personen.csv", "bronnen.json"):
            assert files.read(name) == (folder / name).read_bytes(), name
        content = b"".join(files.read(n) for n in files.namelist()).decode()
        assert not any(b in content for b in (IN, ENDED, WSW, QUOTUM, NEW_PERSON, AOW))
        assert "R-NEW" in content and "R-VOIDED" not in content  # voided before 2020: left out (DR-4)
        assert_refused(a.get("/api/v1/beheer/extract", params={"datum": "2999-01-01"}), 400)
        assert_refused(a.get("/api/v1/beheer/extract", params={"datum": "2020-01-01", "bsn": IN}), 400, echoes=[IN])
    finally:
        a.close()
        w.close()

    # every administrative request audited under the administrator's id
    rows = [r for r in audit_rows(live.engine) if r.beller == admin_id]
    acties = [r.actie for r in rows]
    for actie in ("besluiten", "bijwerken", "sleutel_nieuw", "sleutel_lijst", "sleutel_intrekken", "extract"):
        assert actie in acties, actie
    assert any(r.actie == "besluiten" and r.status == 400 and r.detail.startswith("besluit 2") for r in rows)
    with live.engine.connect() as conn:
        assert audit.verify(conn).ok


# ---------------------------------------------------------------------- surface


def test_DR_5_no_information_surface_and_security_headers_everywhere(live):
    with live.client(None) as c:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect", "/api/v1/personen",
                     f"/api/v1/opvragen/{IN}"):
            r = c.get(path)
            assert r.status_code == 404 and r.json() == {"fout": "onbekend adres"}
        r = c.get("/gezondheid")
        assert r.status_code == 200 and r.content == b'{"status":"ok"}'
        responses = [r, c.get("/"), c.get("/aanmelden"), c.get("/stijl.css"), c.get("/docs"),
                     c.post(LOOKUP, json={"bsn": IN}), c.get(LOOKUP)]
    with live.client("werkgever") as w:
        responses += [w.post(LOOKUP, json={"bsn": IN}), w.post(LOOKUP, json={"bsn": "x"})]
    for r in responses:
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (r.request.url, name)
        assert "server" not in r.headers and "x-powered-by" not in r.headers
    log = live.log_text()
    assert IN not in log
    for token in live.tokens.values():
        assert token.split(".", 1)[1] not in log
