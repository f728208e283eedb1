"""The doelgroepregister as a web service (DR-5, DR-6, DR-7): FastAPI served by uvicorn.

Endpoints
---------

Look-ups (DR-5; rol ``opvrager`` only, see below):

- ``POST /api/v1/opvragen`` — JSON ``{"bsn": "<9 cijfers>", "datum": "JJJJ-MM-DD"}`` (``datum``
  optional: today in Europe/Amsterdam; never a future day) with ``Authorization: Bearer
  <sleutel>`` → 200 ``{"in_doelgroep": true}`` or ``{"in_doelgroep": false}``. An unknown BSN
  and a registered person who is not in the doelgroep take the same code path and get the
  same status, headers and body bytes.
- The browser page, server-rendered in Dutch without JavaScript: ``GET /`` (what the service
  is and is not), ``GET/POST /aanmelden`` (the caller's credential → a signed session cookie,
  HttpOnly, SameSite=Strict, ``SESSION_SECONDS``), ``GET/POST /opvragen``, ``POST /afmelden``.
  Every POST carries a CSRF token (``csrf``).

Administration (DR-6: rol ``beheerder``; an ``opvrager`` gets 403):
``POST /api/v1/beheer/besluiten`` (a JSON list of decisions, ``decisions.parse``; one
transaction, all or nothing; 400 names the refused decision's ``index``),
``POST /api/v1/beheer/bijwerken`` ``{"tot": "JJJJ-MM-DD"}`` (AOW endings, DR-3),
``POST /api/v1/beheer/bellers`` (a new credential, shown once), ``POST
/api/v1/beheer/bellers/{sleutel_id}/intrekken``, ``GET /api/v1/beheer/bellers``, ``GET
/api/v1/beheer/extract?datum=JJJJ-MM-DD`` (a zip: ``doelgroepregister.csv``,
``personen.csv``, ``bronnen.json``, DR-7) and ``GET /api/v1/beheer/audit/verificatie``.

``GET /gezondheid`` → ``{"status": "ok"}``. There is no OpenAPI document, no docs page and
no endpoint that lists, searches or bulk-queries persons (DR-5).

Order of checks on an authenticated request
-------------------------------------------

1. **Authentication** (DR-6): ``Authorization: Bearer`` for the API, the session cookie for
   the page; missing, malformed, wrong or revoked → 401 (with ``WWW-Authenticate: Bearer``)
   before the body is read. 401s are not counted or audited: without a caller there is no
   rate limit to charge, and an unauthenticated client must not be able to grow the audit
   log. What they cost: a malformed token or an unknown/revoked ``sleutel_id`` one indexed
   query; a wrong secret for a known ``sleutel_id`` one argon2 verification (~0.25 s CPU,
   at most ``auth.MAX_PARALLEL_VERIFY`` per process at a time; a repeated wrong token is
   answered from the per-process cache). When every verification slot is taken, a token
   that is not in the cache is not checked at all: the answer is at once 503 with
   ``Retry-After: 1`` and a Dutch message (the page: an error page), without a thread
   waiting for a slot; it is not counted or audited either (there is no caller yet). A
   caller whose token was verified recently (the cache) never needs a slot, so a flood of
   wrong secrets cannot make legitimate callers wait. Concurrent requests with the same
   uncached token (a client opening several connections at once) share one verification,
   waiting for it on the event loop; what remains is that a caller whose token is not in
   the cache can get the 503 while a flood holds every slot.
2. The body is read up to the endpoint's limit (``max_verzoek_bytes`` for look-ups and the
   page, ``max_beheer_bytes`` for administration), counting the bytes of a chunked body as
   they arrive; a longer body is not kept.
3. One database transaction: the revocation is read again; the request is **counted**
   (``ratelimit.take``; every authenticated request counts, refused ones too); then
   **role** (403) → **rate limit** (429, ``Retry-After`` and a Dutch message saying when)
   → **size** (413) → **parse and validate** (400/415 with a clear Dutch message in
   ``{"fout": …}`` that never repeats the input) → the answer or the change. The audit entry
   (caller, time, keyed BSN hash when a valid BSN was given, peildatum, answer, status, a
   short detail without personal data) is appended in the same transaction, and the
   response is sent only after the commit (DR-6). An administrative change that is refused
   is rolled back to a savepoint: the count and the audit entry stay.

   The two administrative reads that take long — the extract (the whole register) and the
   audit chain's verification — are done first in a read snapshot (``Service.snapshot``:
   SQLite's deferred ``BEGIN``, which never takes the write lock; PostgreSQL's ``REPEATABLE
   READ, READ ONLY``, so the four queries of ``store.load`` see one state), outside the
   write transaction and only for a caller with the administrator role; the write
   transaction then only counts, checks and audits (and the result is sent only if it
   allows the request). On SQLite the write transaction holds the database's single write
   lock, so a long one would stop every look-up meanwhile. An administrator over its rate
   limit still costs one such read before its 429.

Timing (DR-5)
-------------

Every look-up request (``POST /api/v1/opvragen`` and the page's ``POST /opvragen``) is
answered no sooner than ``settings.min_antwoord_ms`` (default 25 ms) after it arrived,
whatever its outcome (200, 400, 401, 403, 413, 429, 503, 500): ``AnswerFloor`` holds the
response's start, after the commit, in an ``asyncio`` sleep (no thread is held). The
look-up itself (one query of one shape for every BSN, ``store.in_doelgroep``) takes a few
milliseconds at most, so "unknown BSN" and "registered, not in the doelgroep" cannot be told
apart by the response's time. Only when the service is so loaded that a look-up takes
longer than the floor does the floor hide nothing; the queueing then varies far more than
the query. The floor caps one connection at ``1000 / min_antwoord_ms`` look-ups per second;
it holds no thread, so the service's throughput over several connections stays (see the
load benchmark, ``--min-antwoord-ms``).

Transport limits
----------------

Request line and headers are bounded at ``MAX_HEADER_BYTES`` (16 KiB) and ``MAX_HEADERS``
(100) in two places (httptools, uvicorn's default parser, kept reading a 50 MB header block
and accepted 20,000 headers):

- ``serve`` runs uvicorn with the pure-Python ``h11`` parser and
  ``h11_max_incomplete_event_size`` = ``MAX_HEADER_BYTES``: while a header block is
  incomplete, at most that much of it is buffered; beyond it the answer is 400 and the
  connection is closed. h11 checks only an *incomplete* block, so one that arrives whole in
  a single read (asyncio reads up to 256 KiB at a time) is still parsed;
- ``HeaderLimit`` therefore refuses, before any other work, a request whose parsed request
  line and headers exceed either limit: 431 with a Dutch message and ``Connection: close``.

``timeout_keep_alive`` is 5 s and ``limit_concurrency`` 512 connections per worker (503
beyond). What uvicorn does not bound is the time a client takes to send its headers (a
slow client holds one of those 512 connections); in production put a reverse proxy with
header timeouts in front.

May an administrator look up? No. DR-6: "look-up callers can only look up; administrative
actions need the administrator role"; DR-5 gives the look-up to employers and gemeenten,
each known by its own number. An administrator is neither, so the roles are disjoint: a
``beheerder`` gets 403 on a look-up (audited) and cannot log in to the page. An
administrator who must check a person does so with a look-up credential of its own, which
is then logged as such.

Security headers on every response: ``Content-Security-Policy`` (``default-src 'none';
style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'``),
``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy:
no-referrer``, ``Cache-Control: no-store``, ``Cross-Origin-Opener-Policy`` and
``-Resource-Policy: same-origin``. uvicorn runs without a ``Server`` header, without proxy
headers and without an access log; errors are logged by exception type only (an exception's
text may hold request data). A BSN is never put in a URL.

Cookies get the ``Secure`` flag when the request came over HTTPS, or always when
``REGIORAPPORTAGE_REGISTER_SECURE_COOKIES=1`` (set it behind a TLS-terminating proxy).

Known limitation: logging out does not end the session on the server. The session is a
signed cookie (``SESSION_SECONDS``, 15 minutes) that names the credential and a random
session id; ``POST /afmelden`` deletes it from the browser, but a copy taken before (it is
HttpOnly, SameSite=Strict and Secure behind TLS, so only someone with access to the
browser's storage or the traffic could take one) stays valid until it expires. Ending it
for every worker process needs state shared in the database — a table of ended sessions or
a per-credential session generation in ``beller`` — which the schema does not have; a
per-process list would not hold across workers. Revoking the credential
(``/api/v1/beheer/bellers/{sleutel_id}/intrekken``) does end every session of it at once,
because the revocation is read on every request.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import re
import secrets
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from itsdangerous import BadData, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from regiorapportage.errors import UserError
from regiorapportage.register import audit, auth, config, db, extract, ratelimit, store
from regiorapportage.register.auth import BEHEERDER, OPVRAGER, Caller
from regiorapportage.register.bsn import InvalidBSN
from regiorapportage.register.bsn import validate as validate_bsn
from regiorapportage.register.csrf import COOKIE as CSRF_COOKIE
from regiorapportage.register.csrf import FIELD as CSRF_FIELD
from regiorapportage.register.csrf import Csrf, new_nonce
from regiorapportage.register.decisions import DecisionError
from regiorapportage.register.decisions import parse as parse_decision

log = logging.getLogger("regiorapportage.register.web")

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TEMPLATES = Path(__file__).parent / "templates"
SESSION_COOKIE = "rr_sessie"
SESSION_SECONDS = 15 * 60
SECURE_COOKIES_ENV = "REGIORAPPORTAGE_REGISTER_SECURE_COOKIES"
LOOKUP = "opvragen"  # the audit action of a look-up (API and page; detail says which)
DRAIN_MAX_BYTES = 1024 * 1024  # an oversized body is read and dropped up to this, so the client sees the 413
LOOKUP_API_PATH = "/api/v1/opvragen"
LOOKUP_PAGE_PATH = "/opvragen"
FLOORED = frozenset({("POST", LOOKUP_API_PATH), ("POST", LOOKUP_PAGE_PATH)})  # DR-5: AnswerFloor
MAX_HEADER_BYTES = 16 * 1024  # request line and headers together (h11_max_incomplete_event_size, HeaderLimit)
MAX_HEADERS = 100
KEEP_ALIVE_SECONDS = 5
BUSY_RETRY_SECONDS = 1

CSP = ("default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

ANSWER = {True: b'{"in_doelgroep":true}', False: b'{"in_doelgroep":false}'}
JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MSG_401 = ("niet aangemeld: geef een geldige sleutel mee als 'Authorization: Bearer <sleutel>' "
           "(de sleutel ontbreekt, is onjuist of is ingetrokken)")
MSG_403_LOOKUP = "deze sleutel mag niet opvragen: opvragen is alleen voor werkgevers en gemeenten (DR-6)"
MSG_403_ADMIN = "deze sleutel mag dit niet: beheer vraagt de rol beheerder (DR-6)"
MSG_503 = (f"de dienst controleert op dit moment te veel sleutels tegelijk; uw sleutel is niet gecontroleerd en "
           f"er is niets opgevraagd of vastgelegd: probeer het over {BUSY_RETRY_SECONDS} seconde opnieuw")


def today() -> date:
    """Today in the Netherlands (the default peildatum, DR-5)."""
    return datetime.now(AMSTERDAM).date()


def dutch_date(day: date) -> str:
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def _json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class TooLarge:
    """The body was longer than the endpoint's limit (it was not kept)."""


TOO_LARGE = TooLarge()


class Refusal(Exception):
    """A request refused with ``status`` and a Dutch ``message`` for the caller; ``detail``
    goes to the audit log (no personal data), ``bsn``/``peildatum`` when they were valid."""

    def __init__(self, status: int, message: str, detail: str, *, bsn: str | None = None,
                 peildatum: date | None = None, extra: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail
        self.bsn, self.peildatum, self.extra = bsn, peildatum, extra or {}


@dataclass(frozen=True)
class Staged:
    """An administrative action in two steps: ``prepare`` reads in a snapshot before the
    write transaction, ``work`` runs in it (``Service.run``)."""

    prepare: Callable[[Connection], None]
    work: Callable[[Connection, bytes], Outcome]


@dataclass
class Outcome:
    """A response and what its audit entry records."""

    response: Response
    detail: str | None = None
    bsn: str | None = None
    peildatum: date | None = None
    antwoord: bool | None = None

    @property
    def status(self) -> int:
        return self.response.status_code


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    doc: dict = {}
    for k, v in pairs:
        if k in doc:
            raise ValueError("duplicate key")
        doc[k] = v
    return doc


def parse_json(body: bytes, content_type: str | None) -> object:
    """The JSON document of a request body, or a ``Refusal`` (415 for another media type,
    400 for invalid JSON or a key given twice)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media != JSON_TYPE:
        raise Refusal(415, "verstuur het verzoek als JSON (Content-Type: application/json)", "geen JSON")
    try:
        return json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Refusal(400, "de inhoud is geen geldige JSON (UTF-8, elke sleutel één keer)", "ongeldige JSON") from None


def parse_day(value: object, name: str, *, bsn: str | None = None, default_today: bool = True) -> date:
    """A date ``JJJJ-MM-DD`` that is not in the future (DR-5); missing or empty → today."""
    if value is None or value == "":
        if default_today:
            return today()
        raise Refusal(400, f"geef '{name}' op als datum (JJJJ-MM-DD)", f"{name} ontbreekt", bsn=bsn)
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise Refusal(400, f"'{name}' moet een datum zijn in de vorm JJJJ-MM-DD (bijvoorbeeld 2024-03-01)",
                      f"{name} ongeldig", bsn=bsn)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Refusal(400, f"'{name}' is geen bestaande datum (JJJJ-MM-DD)", f"{name} bestaat niet", bsn=bsn) from None
    if day > today():
        raise Refusal(400, f"'{name}' ligt in de toekomst: vraag naar vandaag of een eerdere dag (DR-5)",
                      f"{name} in de toekomst", bsn=bsn)
    return day


def parse_lookup(bsn_value: object, datum_value: object) -> tuple[str, date]:
    """DR-1/DR-5: a valid BSN and a peildatum, or a ``Refusal`` whose message never repeats
    the input (the BSN's hash is audited only when it is valid)."""
    if bsn_value is None or bsn_value == "":
        raise Refusal(400, "geef een BSN op (negen cijfers)", "bsn ontbreekt")
    try:
        bsn = validate_bsn(bsn_value)
    except InvalidBSN as e:
        raise Refusal(400, f"ongeldig BSN: {e}", f"ongeldig BSN: {e}"[:120]) from None
    return bsn, parse_day(datum_value, "datum", bsn=bsn)


async def read_body(request: Request, limit: int) -> bytes | TooLarge:
    """The request body up to ``limit`` bytes (``Content-Length`` checked first, a chunked
    body counted as it arrives), else ``TOO_LARGE``; the rest of an oversized body is
    read and dropped up to ``DRAIN_MAX_BYTES`` so the client can read the 413."""
    declared = request.headers.get("content-length")
    too_large = False
    if declared is not None:
        try:
            too_large = int(declared) > limit
        except ValueError:
            too_large = True
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if too_large or size > limit:
            too_large = True
            chunks = []
            if size > DRAIN_MAX_BYTES:
                break
            continue
        chunks.append(chunk)
    return TOO_LARGE if too_large else b"".join(chunks)


def parse_form(body: bytes, content_type: str | None) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (a field given twice is refused); an
    empty body is an empty form."""
    if not body:
        return {}
    media = (content_type or "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise Refusal(415, "verstuur het formulier vanaf de pagina", "geen formulier")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=10)
        return _no_duplicates(pairs)
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "het formulier is onleesbaar; open de pagina opnieuw", "ongeldig formulier") from None


# ---------------------------------------------------------------------- ASGI middleware


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (replacing any of the same name)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in SECURITY_HEADERS}

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _wait_until(deadline: float) -> None:
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(left)


class AnswerFloor:
    """DR-5: a look-up (``FLOORED``: method and path) is answered no sooner than ``min_ms``
    after the request arrived, whatever its outcome. The start of the response is held in
    an asyncio sleep (no thread), after the application produced it — so after the commit
    — and before anything is sent."""

    def __init__(self, app, min_ms: int, routes: frozenset[tuple[str, str]] = FLOORED) -> None:
        self.app, self.seconds, self.routes = app, max(0, min_ms) / 1000, routes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not self.seconds or (scope.get("method"), scope.get("path")) not in self.routes:
            await self.app(scope, receive, send)
            return
        not_before = time.monotonic() + self.seconds

        async def floored(message) -> None:
            if message["type"] == "http.response.start":
                await _wait_until(not_before)
            await send(message)

        await self.app(scope, receive, floored)


class HeaderLimit:
    """Refuses a request whose request line and headers together exceed ``MAX_HEADER_BYTES``
    or that has more than ``MAX_HEADERS`` headers: 431 and ``Connection: close`` (see
    "Transport limits" in the module's docstring), before the application sees it."""

    def __init__(self, app, max_bytes: int = MAX_HEADER_BYTES, max_headers: int = MAX_HEADERS) -> None:
        self.app, self.max_bytes, self.max_headers = app, max_bytes, max_headers

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            headers = scope.get("headers") or []
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(k) + len(v) + 4 for k, v in headers)
            if len(headers) > self.max_headers or size > self.max_bytes:
                body = _json({"fout": f"de kopregels (headers) van het verzoek zijn te groot of te veel: hoogstens "
                                      f"{self.max_bytes} bytes en {self.max_headers} kopregels"})
                await send({"type": "http.response.start", "status": 431,
                            "headers": [(b"content-type", JSON_TYPE.encode()),
                                        (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class CatchAll:
    """Turns any exception that reaches it into a 500 without details, logging only the
    exception's type: its text may hold request data (a BSN in an SQL parameter)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:  # noqa: BLE001 - the boundary of the service
            log.error("interne fout bij een %s-verzoek: %s", scope.get("method"), type(exc).__name__)
            if not started:
                body = _json({"fout": "interne fout; probeer het later opnieuw"})
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", JSON_TYPE.encode()),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------- the service


class Service:
    """The service's state in one worker process: settings, engine, signers, templates."""

    def __init__(self, settings: config.Settings) -> None:
        self.settings = settings
        self.engine = db.engine(settings.database)
        if not db.is_migrated(self.engine):
            self.engine.dispose()
            raise UserError("de database heeft het schema nog niet: voer 'regiorapportage register init' uit")
        self.csrf = Csrf(settings.csrfsleutel)
        self.sessions = URLSafeTimedSerializer(settings.csrfsleutel, salt="regiorapportage-register-sessie")
        self.templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                                     auto_reload=False)
        self.stylesheet = (TEMPLATES / "stijl.css").read_bytes()
        self.always_secure = os.environ.get(SECURE_COOKIES_ENV, "") not in ("", "0")
        self.verifying: dict[bytes, asyncio.Future] = {}  # token key → its verification in progress (event loop only)

    # --- responses --------------------------------------------------------------------

    @staticmethod
    def json(status: int, doc: object, headers: dict[str, str] | None = None) -> Response:
        return Response(_json(doc), status_code=status, media_type=JSON_TYPE, headers=headers)

    def html(self, status: int, template: str, headers: dict[str, str] | None = None, **values) -> Response:
        body = self.templates.get_template(template).render(**values).encode("utf-8")
        return Response(body, status_code=status, media_type=HTML_TYPE, headers=headers)

    def error_page(self, status: int, titel: str, melding: str, headers: dict[str, str] | None = None,
                   **values) -> Response:
        values.setdefault("naam", None)
        values.setdefault("csrf", "")
        values.setdefault("terug", "/")
        return self.html(status, "fout.html", headers, titel=titel, melding=melding, **values)

    @staticmethod
    def retry_message(seconds: int) -> str:
        at = (datetime.now(AMSTERDAM) + timedelta(seconds=seconds)).strftime("%H:%M:%S")
        return (f"te veel verzoeken met deze sleutel; probeer het opnieuw over {seconds} seconden "
                f"(na {at} Nederlandse tijd) (DR-6)")

    def unauthorized(self) -> Response:
        return self.json(401, {"fout": MSG_401}, {"WWW-Authenticate": 'Bearer realm="doelgroepregister"'})

    def busy(self, page: bool = False) -> Response:
        """503: no argon2 slot was free to check an uncached token (``auth.VerifyBusy``)."""
        headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
        if page:
            return self.error_page(503, "Even geduld", MSG_503[0].upper() + MSG_503[1:] + ".", headers,
                                   terug="/aanmelden")
        return self.json(503, {"fout": MSG_503, "opnieuw_over_seconden": BUSY_RETRY_SECONDS}, headers)

    def secure(self, request: Request) -> bool:
        return self.always_secure or request.url.scheme == "https"

    # --- authentication ---------------------------------------------------------------

    async def bearer(self, header: str | None) -> Caller | None:
        """The caller of an ``Authorization: Bearer`` header (DR-6), or None; raises
        ``auth.VerifyBusy`` like ``token_caller``."""
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return await self.token_caller(token.strip())

    def _find(self, token: str) -> auth.Found | None:
        with self.engine.connect() as conn:
            return auth.find(conn, token)

    async def token_caller(self, token: str) -> Caller | None:
        """The caller of a token, or None. The row is read in the threadpool; a token in
        the cache is answered on the event loop; otherwise argon2 runs in the threadpool
        (``auth.check``) outside any transaction. Concurrent requests with the same uncached
        token share that one verification: the others wait for it on the event loop, not in
        a thread. Raises ``auth.VerifyBusy`` when argon2 is needed and no slot is free (the
        endpoint answers 503)."""
        if auth.parse_token(token) is None:
            return None
        found = await run_in_threadpool(self._find, token)
        known, caller = auth.from_cache(found, token)
        if known:
            return caller
        key = auth.token_key(token)
        while (pending := self.verifying.get(key)) is not None:
            await asyncio.shield(pending)
            known, caller = auth.from_cache(found, token)
            if known:
                return caller
        done = asyncio.get_running_loop().create_future()
        self.verifying[key] = done
        try:
            return await run_in_threadpool(auth.check, found, token)
        finally:
            del self.verifying[key]
            done.set_result(None)

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only snapshot outside any write transaction: on SQLite a deferred ``BEGIN``
        (no write lock, WAL), on PostgreSQL ``REPEATABLE READ`` and ``READ ONLY`` so that
        several queries see one state."""
        with db.read(self.engine) as conn:
            if db.is_postgresql(conn):
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def session(self, request: Request) -> tuple[Caller, str] | None:
        """The caller and session id of a valid session cookie (revocation read now)."""
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or len(raw) > 512:
            return None
        try:
            doc = self.sessions.loads(raw, max_age=SESSION_SECONDS)
        except BadData:
            return None
        if not isinstance(doc, dict) or not isinstance(doc.get("k"), str) or not isinstance(doc.get("s"), str):
            return None
        with self.engine.connect() as conn:
            caller = auth.caller_of(conn, doc["k"])
        return (caller, doc["s"]) if caller is not None else None

    # --- one audited, counted transaction -----------------------------------------------

    def run(self, caller: Caller, actie: str, *, rol: str, body: bytes | TooLarge,
            work: Callable[[Connection, bytes], Outcome], page: bool = False, writes: bool = False,
            prepare: Callable[[Connection], None] | None = None) -> Response:
        """Count the request, check role, rate limit and size, run ``work`` and append the
        audit entry, all in one transaction; return the response after the commit.

        ``prepare``: a long read that ``work`` uses, done first in a read snapshot
        (``snapshot``) and only when the caller has the role, so that the write
        transaction stays short (see the module's docstring)."""
        s = self.settings
        try:
            if prepare is not None and caller.rol == rol and not isinstance(body, TooLarge):
                with self.snapshot() as conn:
                    prepare(conn)
            with db.transaction(self.engine) as conn:
                if auth.caller_of(conn, caller.sleutel_id) is None:  # revoked meanwhile
                    return self.unauthorized() if not page else self.login_again()
                allowed, retry = ratelimit.take(conn, caller.sleutel_id, s.limiet, s.venster_seconden, time.time())
                if caller.rol != rol:
                    message = MSG_403_LOOKUP if rol == OPVRAGER else MSG_403_ADMIN
                    outcome = self.refused(Refusal(403, message, "rol " + caller.rol), page)
                elif not allowed:
                    message = self.retry_message(retry)
                    headers = {"Retry-After": str(retry)}
                    response = (self.error_page(429, "Te veel opvragingen", message[0].upper() + message[1:] + ".",
                                                headers, terug="/opvragen")
                                if page else self.json(429, {"fout": message, "opnieuw_over_seconden": retry}, headers))
                    outcome = Outcome(response, "te veel verzoeken")
                elif isinstance(body, TooLarge):
                    limit = s.max_beheer_bytes if rol == BEHEERDER else s.max_verzoek_bytes
                    outcome = self.refused(Refusal(413, f"het verzoek is te groot (hoogstens {limit} bytes)",
                                                   "te groot"), page)
                else:
                    try:
                        if writes:
                            with conn.begin_nested():
                                outcome = work(conn, body)
                        else:
                            outcome = work(conn, body)
                    except Refusal as r:
                        outcome = self.refused(r, page)
                audit.append(conn, s, beller=caller.sleutel_id, actie=actie, status=outcome.status,
                             bsn=outcome.bsn, peildatum=outcome.peildatum, antwoord=outcome.antwoord,
                             detail=outcome.detail)
        except Exception as exc:  # noqa: BLE001 - rolled back; record the failure, answer 500
            log.error("interne fout bij %s: %s", actie, type(exc).__name__)
            self._audit_failure(caller, actie)
            if page:
                return self.error_page(500, "Er ging iets mis", "Er ging iets mis bij de dienst. Probeer het later "
                                                                 "opnieuw; er is niets vastgelegd.")
            return self.json(500, {"fout": "interne fout; er is niets vastgelegd, probeer het later opnieuw"})
        return outcome.response

    def _audit_failure(self, caller: Caller, actie: str) -> None:
        try:
            with db.transaction(self.engine) as conn:
                audit.append(conn, self.settings, beller=caller.sleutel_id, actie=actie, status=500,
                             detail="interne fout; teruggedraaid")
        except Exception as exc:  # noqa: BLE001
            log.error("auditregel van een interne fout niet geschreven: %s", type(exc).__name__)

    def refused(self, r: Refusal, page: bool) -> Outcome:
        if page:
            titels = {403: "Geen toegang", 413: "Verzoek te groot", 415: "Onbekend formulier"}
            response = self.error_page(r.status, titels.get(r.status, "Verzoek geweigerd"),
                                       r.message[0].upper() + r.message[1:] + ".", terug="/opvragen")
        else:
            response = self.json(r.status, {"fout": r.message, **r.extra})
        return Outcome(response, r.detail, bsn=r.bsn, peildatum=r.peildatum)

    def login_again(self) -> Response:
        return self.error_page(401, "Niet aangemeld", "U bent niet (meer) aangemeld. Meld u opnieuw aan met uw "
                                                      "sleutel.", terug="/aanmelden")

    # --- look-ups -----------------------------------------------------------------------

    def lookup_api(self, content_type: str | None) -> Callable[[Connection, bytes], Outcome]:
        def work(conn: Connection, body: bytes) -> Outcome:
            doc = parse_json(body, content_type)
            if not isinstance(doc, dict):
                raise Refusal(400, "verwacht een JSON-object met 'bsn' en eventueel 'datum'", "geen object")
            if set(doc) - {"bsn", "datum"}:
                raise Refusal(400, "alleen de sleutels 'bsn' en 'datum' zijn toegestaan", "onbekende sleutel")
            bsn, day = parse_lookup(doc.get("bsn"), doc.get("datum"))
            answer = store.in_doelgroep(conn, bsn, day)
            return Outcome(Response(ANSWER[answer], status_code=200, media_type=JSON_TYPE), "api",
                           bsn=bsn, peildatum=day, antwoord=answer)
        return work

    def lookup_page(self, caller: Caller, sid: str, nonce: str | None, content_type: str | None,
                    request: Request) -> Callable[[Connection, bytes], Outcome]:
        def work(conn: Connection, body: bytes) -> Outcome:
            form = parse_form(body, content_type)
            if not self.csrf.valid(nonce, form.get(CSRF_FIELD), sid):
                raise Refusal(403, "het formulier is verlopen of komt niet van deze pagina; open de pagina "
                                   "opnieuw en probeer het nog eens", "csrf")
            if set(form) - {"bsn", "datum", CSRF_FIELD}:
                raise Refusal(400, "het formulier bevat onbekende velden; open de pagina opnieuw", "onbekend veld")
            try:
                bsn, day = parse_lookup(form.get("bsn", "").strip(), form.get("datum", "").strip())
            except Refusal as r:
                page = self.lookup_form(request, caller, sid, nonce, status=400, fout=r.message)
                return Outcome(page, "web: " + r.detail, bsn=r.bsn)
            answer = store.in_doelgroep(conn, bsn, day)
            page = self.lookup_form(request, caller, sid, nonce, status=200, antwoord=answer, datum=dutch_date(day))
            return Outcome(page, "web", bsn=bsn, peildatum=day, antwoord=answer)
        return work

    def lookup_form(self, request: Request, caller: Caller, sid: str, nonce: str | None, *, status: int = 200,
                    fout: str | None = None, antwoord: bool | None = None, datum: str | None = None) -> Response:
        nonce_is_new = not nonce
        nonce = nonce or new_nonce()
        response = self.html(status, "opvragen.html", naam=caller.naam, kenmerk=caller.kenmerk,
                             csrf=self.csrf.token(nonce, sid), vandaag=today().isoformat(),
                             fout=(fout[0].upper() + fout[1:] + ".") if fout else None, antwoord=antwoord, datum=datum)
        if nonce_is_new:
            self.set_csrf_cookie(response, request, nonce)
        return response

    def set_csrf_cookie(self, response: Response, request: Request, nonce: str) -> None:
        response.set_cookie(CSRF_COOKIE, nonce, max_age=self.csrf.max_age, path="/", secure=self.secure(request),
                            httponly=True, samesite="strict")

    # --- administration -----------------------------------------------------------------

    def admin_besluiten(self, caller: Caller, content_type: str | None):
        def work(conn: Connection, body: bytes) -> Outcome:
            doc = parse_json(body, content_type)
            if not isinstance(doc, list) or not doc:
                raise Refusal(400, "verwacht een JSON-lijst met minstens één besluit", "geen lijst")
            try:
                batch = [parse_decision(raw, i) for i, raw in enumerate(doc, start=1)]
                summary = store.record(conn, batch, f"api:{caller.sleutel_id}")
            except DecisionError as e:
                raise Refusal(400, str(e), f"besluit {e.index} geweigerd; niets vastgelegd",
                              extra={"index": e.index}) from None
            counts = summary.as_dict()
            return Outcome(self.json(200, {"besluiten": len(batch), **counts}),
                           f"{len(batch)} besluiten: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return work

    def admin_bijwerken(self, caller: Caller, content_type: str | None):
        def work(conn: Connection, body: bytes) -> Outcome:
            doc = parse_json(body, content_type) if body.strip() else {}
            if not isinstance(doc, dict) or set(doc) - {"tot"}:
                raise Refusal(400, "verwacht een JSON-object {\"tot\": \"JJJJ-MM-DD\"}", "ongeldig verzoek")
            day = parse_day(doc.get("tot"), "tot")
            summary = store.apply_aow(conn, day, f"api:{caller.sleutel_id}")
            counts = summary.as_dict()
            return Outcome(self.json(200, {"tot": day.isoformat(), **counts}),
                           f"AOW tot {day}: {summary.gebeurtenissen} registraties beëindigd")
        return work

    def admin_new_caller(self, content_type: str | None):
        def work(conn: Connection, body: bytes) -> Outcome:
            doc = parse_json(body, content_type)
            allowed = {"naam", "rol", "soort", "kenmerk"}
            if not isinstance(doc, dict) or set(doc) - allowed:
                raise Refusal(400, "verwacht een JSON-object met naam, rol, soort en kenmerk", "ongeldig verzoek")
            try:
                token = auth.create_credential(conn, doc.get("naam"), doc.get("rol"), doc.get("soort"),
                                               doc.get("kenmerk"))
            except auth.CredentialError as e:
                raise Refusal(400, str(e), "beller niet aangemaakt") from None
            sid = token.split(".", 1)[0]
            return Outcome(self.json(201, {"sleutel_id": sid, "sleutel": token,
                                           "melding": "bewaar deze sleutel nu: hij wordt niet opnieuw getoond"}),
                           f"beller {sid} aangemaakt ({doc['rol']}, {doc['soort']})")
        return work

    def admin_revoke(self, sleutel_id: str):
        def work(conn: Connection, body: bytes) -> Outcome:
            if not auth.is_sleutel_id(sleutel_id):
                raise Refusal(404, "geen actieve sleutel met dit id", "intrekken: ongeldig id")
            if not auth.revoke(conn, sleutel_id):
                raise Refusal(404, "geen actieve sleutel met dit id", f"intrekken: {sleutel_id} niet actief")
            return Outcome(self.json(200, {"ingetrokken": sleutel_id}), f"beller {sleutel_id} ingetrokken")
        return work

    def admin_list(self, conn: Connection, body: bytes) -> Outcome:
        rows = auth.list_credentials(conn)
        return Outcome(self.json(200, {"bellers": rows}), f"{len(rows)} bellers getoond")

    def admin_extract(self, datum: str | None, unknown_params: bool) -> Staged:
        """DR-7 as a zip: the register is loaded and the zip made in ``prepare`` (a read
        snapshot); ``work`` in the write transaction only refuses or hands it over."""
        made: dict = {}

        def day_asked() -> date:
            if unknown_params:
                raise Refusal(400, "alleen de parameter 'datum' is toegestaan", "onbekende parameter")
            return parse_day(datum, "datum")

        def prepare(conn: Connection) -> None:
            try:
                day = day_asked()
            except Refusal:
                return  # refused (and audited) by work
            regs, persons = extract.rows(store.load(conn), day, self.settings.pseudoniemsleutel)
            made.update(day=day, data=extract_zip(day, regs, persons), regs=len(regs), persons=len(persons))

        def work(conn: Connection, body: bytes) -> Outcome:
            day_asked()
            if "data" not in made:
                raise RuntimeError("extract not prepared")
            day = made["day"]  # the day of the snapshot (today may have turned since)
            name = f"doelgroepregister-extract-{day.isoformat()}.zip"
            response = Response(made["data"], status_code=200, media_type="application/zip",
                                headers={"Content-Disposition": f'attachment; filename="{name}"'})
            return Outcome(response, f"extract {day}: {made['regs']} registraties, {made['persons']} personen")

        return Staged(prepare, work)

    def admin_verify(self) -> Staged:
        """The audit chain checked in ``prepare`` (a read snapshot); ``work`` audits the check."""
        found: list[audit.VerifyResult] = []

        def prepare(conn: Connection) -> None:
            found.append(audit.verify(conn))

        def work(conn: Connection, body: bytes) -> Outcome:
            if not found:
                raise RuntimeError("verification not prepared")
            result = found[0]
            state = "in orde" if result.ok else f"GEBROKEN bij regel {result.first_bad}"
            return Outcome(self.json(200, result.as_dict()), f"keten {state}, {result.entries} regels")

        return Staged(prepare, work)


def _csv(header: tuple[str, ...], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def extract_zip(day: date, regs: list[tuple], persons: list[tuple]) -> bytes:
    """DR-7's extract as a zip with the same three files ``extract.write`` makes."""
    bronnen = {"extractiedatum": {"doelgroepregister": day.isoformat(), "personen": day.isoformat()}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("doelgroepregister.csv", _csv(extract.REGISTER_COLUMNS, regs))
        z.writestr("personen.csv", _csv(extract.PERSONEN_COLUMNS, persons))
        z.writestr("bronnen.json", json.dumps(bronnen, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return buf.getvalue()


# ---------------------------------------------------------------------- the application


def create_app(settings: config.Settings) -> FastAPI:
    """The web application on ``settings`` (one per worker process)."""
    svc = Service(settings)
    app = FastAPI(title="Doelgroepregister", docs_url=None, redoc_url=None, openapi_url=None,
                  swagger_ui_oauth2_redirect_url=None)
    app.state.service = svc

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "onbekend adres", 405: "deze methode kan hier niet"}
        headers = {"Allow": exc.headers["Allow"]} if exc.headers and "Allow" in exc.headers else None
        return svc.json(exc.status_code, {"fout": messages.get(exc.status_code, "verzoek geweigerd")}, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return svc.json(400, {"fout": "ongeldig verzoek"})  # never FastAPI's default, which echoes the input

    # --- health and static -------------------------------------------------------------

    @app.get("/gezondheid")
    async def gezondheid() -> Response:
        return svc.json(200, {"status": "ok"})

    @app.get("/stijl.css")
    async def stylesheet() -> Response:
        return Response(svc.stylesheet, media_type="text/css; charset=utf-8")

    @app.get("/favicon.ico")
    async def favicon() -> Response:
        return Response(status_code=204)

    # --- look-up API -------------------------------------------------------------------

    async def bearer(request: Request) -> Caller | Response:
        """The caller of the ``Authorization`` header, or the 401 / 503 to answer."""
        try:
            caller = await svc.bearer(request.headers.get("authorization"))
        except auth.VerifyBusy:
            return svc.busy()
        return caller if caller is not None else svc.unauthorized()

    @app.post(LOOKUP_API_PATH)
    async def api_opvragen(request: Request) -> Response:
        caller = await bearer(request)
        if isinstance(caller, Response):
            return caller
        body = await read_body(request, settings.max_verzoek_bytes)
        return await run_in_threadpool(svc.run, caller, LOOKUP, rol=OPVRAGER, body=body,
                                       work=svc.lookup_api(request.headers.get("content-type")))

    # --- administration ------------------------------------------------------------------

    async def admin(request: Request, actie: str, make_work, *, read: bool = True, writes: bool = False,
                    staged: Callable[[], Staged] | None = None) -> Response:
        caller = await bearer(request)
        if isinstance(caller, Response):
            return caller
        body = await read_body(request, settings.max_beheer_bytes) if read else b""
        if staged is not None:
            steps = staged()
            return await run_in_threadpool(svc.run, caller, actie, rol=BEHEERDER, body=body, work=steps.work,
                                           prepare=steps.prepare)
        return await run_in_threadpool(svc.run, caller, actie, rol=BEHEERDER, body=body, work=make_work(caller),
                                       writes=writes)

    content = lambda request: request.headers.get("content-type")  # noqa: E731

    @app.post("/api/v1/beheer/besluiten")
    async def besluiten(request: Request) -> Response:
        return await admin(request, "besluiten", lambda c: svc.admin_besluiten(c, content(request)), writes=True)

    @app.post("/api/v1/beheer/bijwerken")
    async def bijwerken(request: Request) -> Response:
        return await admin(request, "bijwerken", lambda c: svc.admin_bijwerken(c, content(request)), writes=True)

    @app.post("/api/v1/beheer/bellers")
    async def new_caller(request: Request) -> Response:
        return await admin(request, "sleutel_nieuw", lambda c: svc.admin_new_caller(content(request)), writes=True)

    @app.post("/api/v1/beheer/bellers/{sleutel_id}/intrekken")
    async def revoke(request: Request, sleutel_id: str) -> Response:
        return await admin(request, "sleutel_intrekken", lambda c: svc.admin_revoke(sleutel_id), writes=True)

    @app.get("/api/v1/beheer/bellers")
    async def callers(request: Request) -> Response:
        return await admin(request, "sleutel_lijst", lambda c: svc.admin_list, read=False)

    @app.get("/api/v1/beheer/extract")
    async def extract_(request: Request) -> Response:
        params = request.query_params
        unknown = bool(set(params.keys()) - {"datum"}) or len(params.getlist("datum")) > 1
        return await admin(request, "extract", None, read=False,
                           staged=lambda: svc.admin_extract(params.get("datum"), unknown))

    @app.get("/api/v1/beheer/audit/verificatie")
    async def verificatie(request: Request) -> Response:
        return await admin(request, "audit_verificatie", None, read=False, staged=svc.admin_verify)

    # --- the page ------------------------------------------------------------------------

    @app.get("/")
    async def start() -> Response:
        return svc.html(200, "start.html", naam=None, csrf="", limiet=settings.limiet,
                        venster=settings.venster_seconden)

    def login_page(request: Request, status: int = 200, fout: str | None = None) -> Response:
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        fresh = not nonce or len(nonce) > 128
        if fresh:
            nonce = new_nonce()
        response = svc.html(status, "aanmelden.html", naam=None, csrf=svc.csrf.token(nonce, ""), fout=fout)
        if fresh:
            svc.set_csrf_cookie(response, request, nonce)
        return response

    @app.get("/aanmelden")
    async def login_form(request: Request) -> Response:
        return login_page(request)

    @app.post("/aanmelden")
    async def login(request: Request) -> Response:
        body = await read_body(request, settings.max_verzoek_bytes)
        if isinstance(body, TooLarge):
            return svc.error_page(413, "Verzoek te groot", "Het formulier is te groot.", terug="/aanmelden")
        try:
            form = parse_form(body, request.headers.get("content-type"))
        except Refusal as r:
            return login_page(request, r.status, r.message[0].upper() + r.message[1:] + ".")
        if not svc.csrf.valid(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD), ""):
            return login_page(request, 403, "Het formulier is verlopen of komt niet van deze pagina. "
                                            "Probeer het nog eens.")
        try:
            caller = await svc.token_caller(form.get("sleutel", "").strip())
        except auth.VerifyBusy:
            return svc.busy(page=True)
        if caller is None:
            return login_page(request, 401, "Deze sleutel is onjuist of ingetrokken.")
        sid = secrets.token_urlsafe(16)

        def work(conn: Connection, _body: bytes) -> Outcome:
            response = Response(status_code=303, headers={"Location": "/opvragen"})
            response.set_cookie(SESSION_COOKIE, svc.sessions.dumps({"k": caller.sleutel_id, "s": sid}),
                                max_age=SESSION_SECONDS, path="/", secure=svc.secure(request), httponly=True,
                                samesite="strict")
            return Outcome(response, "aangemeld op de pagina")

        return await run_in_threadpool(svc.run, caller, "aanmelden", rol=OPVRAGER, body=b"", work=work, page=True)

    @app.get(LOOKUP_PAGE_PATH)
    async def lookup_form(request: Request) -> Response:
        found = await run_in_threadpool(svc.session, request)
        if found is None:
            return Response(status_code=303, headers={"Location": "/aanmelden"})
        caller, sid = found
        if caller.rol != OPVRAGER:
            return svc.error_page(403, "Geen toegang", MSG_403_LOOKUP[0].upper() + MSG_403_LOOKUP[1:] + ".")
        return svc.lookup_form(request, caller, sid, request.cookies.get(CSRF_COOKIE))

    @app.post(LOOKUP_PAGE_PATH)
    async def lookup(request: Request) -> Response:
        found = await run_in_threadpool(svc.session, request)
        if found is None:
            return svc.login_again()
        caller, sid = found
        body = await read_body(request, settings.max_verzoek_bytes)
        nonce = request.cookies.get(CSRF_COOKIE)
        work = svc.lookup_page(caller, sid, nonce, request.headers.get("content-type"), request)
        return await run_in_threadpool(svc.run, caller, LOOKUP, rol=OPVRAGER, body=body, work=work, page=True)

    @app.post("/afmelden")
    async def logout(request: Request) -> Response:
        body = await read_body(request, settings.max_verzoek_bytes)
        found = await run_in_threadpool(svc.session, request)
        response = Response(status_code=303, headers={"Location": "/"})
        if found is None:
            response.delete_cookie(SESSION_COOKIE, path="/", secure=svc.secure(request), httponly=True,
                                   samesite="strict")
            return response
        caller, sid = found
        nonce = request.cookies.get(CSRF_COOKIE)

        def work(conn: Connection, body: bytes) -> Outcome:
            form = parse_form(body, request.headers.get("content-type"))
            if not svc.csrf.valid(nonce, form.get(CSRF_FIELD), sid):
                raise Refusal(403, "het formulier is verlopen of komt niet van deze pagina; open de pagina "
                                   "opnieuw en probeer het nog eens", "csrf")
            response.delete_cookie(SESSION_COOKIE, path="/", secure=svc.secure(request), httponly=True,
                                   samesite="strict")
            return Outcome(response, "afgemeld")

        return await run_in_threadpool(svc.run, caller, "afmelden", rol=caller.rol, body=body, work=work, page=True)

    app.add_middleware(CatchAll)
    app.add_middleware(HeaderLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AnswerFloor, min_ms=settings.min_antwoord_ms)  # outermost: holds even a 500
    return app


def app_from_env() -> FastAPI:
    """The application for ``uvicorn --factory``: the configuration named by
    ``$REGIORAPPORTAGE_REGISTER_CONFIG`` (or ``./register.toml``)."""
    return create_app(config.load())


def serve(config_path: Path | str | None = None, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the service with uvicorn (``workers`` processes sharing the database, so the
    rate limits and the audit chain hold across them). The configuration is checked and
    the database must be migrated before any worker starts."""
    import uvicorn

    path = config.config_path(config_path).resolve()
    settings = config.load(path)
    eng = db.engine(settings.database)
    try:
        if not db.is_migrated(eng):
            raise UserError("de database heeft het schema nog niet: voer 'regiorapportage register init' uit")
    finally:
        eng.dispose()
    if workers < 1:
        raise UserError("workers moet minstens 1 zijn")
    os.environ[config.ENV_CONFIG] = str(path)  # read by app_from_env in every worker
    uvicorn.run(
        "regiorapportage.register.web:app_from_env", factory=True, host=host, port=port, workers=workers,
        server_header=False, date_header=True, proxy_headers=False, access_log=False, log_level="info",
        timeout_graceful_shutdown=10, limit_concurrency=512,
        # h11 bounds the request line and headers together (see "Transport limits")
        http="h11", h11_max_incomplete_event_size=MAX_HEADER_BYTES, timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )

