"""Helpers of the service tests: a real server (uvicorn through ``web.serve``) in a
subprocess on a free port of 127.0.0.1, on a register prepared directly in the database.

Imported by the ``test_service*.py`` files (``from live import …``; pytest puts this folder on
``sys.path``). Not a conftest: the fixtures here are built from the ``database_url`` fixture
that ``conftest.py`` provides.

The server's output goes to ``server.log`` in the test's folder; ``LiveServer.log_text()``
reads it, so that a test can check that no BSN or secret ever reaches the log."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select

from regiorapportage.register import auth, db, process, store
from regiorapportage.register import config as cfg
from regiorapportage.register.decisions import parse
from regiorapportage.register.schema import audit, gebeurtenis, persoon, persoonsgebeurtenis, registratie

START_TIMEOUT = 60

# BSNs that pass the elfproef (see test_register_rules / test_store), with their role here
IN = "111222333"  # wajong since 2015: in the doelgroep
ENDED = "123456782"  # wajong 2015 … 2017-01-01 (ended, overig): not in the doelgroep now
UNKNOWN = "100000058"  # 9·1 + 2·5 − 8 = 11; never registered
WSW = "100000010"  # 9·1 + 2·1 − 0 = 11; Wsw from 2019-03-01 (BA-2: 1 January rule)
QUOTUM = "100000022"  # 9 + 2·2 − 2 = 11; quotumgroep from 2017-01-01 (BA-2: counts from 2018-12-01)
VOIDED = "100000034"  # 9 + 2·3 − 4 = 11; wajong 2015, voided by bezwaar in 2016
AOW = "100000046"  # 9 + 2·4 − 6 = 11; born 1953-01-01: AOW day 2019-05-01
WERKGEVER = "123456789L01"
GEMEENTE = "GM0363"


def window_with_room(now: float, margin: float = 300) -> int:
    """A rate-limit window of about an hour whose current window (windows are aligned on the
    epoch) has at least ``margin`` seconds left, so that a test's requests all fall in one
    window and its counts are exact."""
    return next(w for w in range(3600, 7200, 100) if w - now % w >= margin)


def register_rows() -> list[dict]:
    """The decisions of the test register (see the BSN constants)."""
    def person(bsn, born="1980-01-01"):
        return {"soort": "persoon", "bsn": bsn, "geboortedatum": born}

    def reg(rid, bsn, grondslag, begin):
        return {"soort": "registratie", "bsn": bsn, "registratie_id": rid, "grondslag": grondslag, "datum": begin,
                "orgaan": "UWV", "besluit_id": f"B-{rid}"}

    return [
        person(IN), reg("R-IN", IN, "wajong", "2015-01-01"),
        person(ENDED), reg("R-ENDED", ENDED, "wajong", "2015-01-01"),
        {"soort": "beeindiging", "registratie_id": "R-ENDED", "datum": "2017-01-01"},
        person(WSW), reg("R-WSW", WSW, "wsw_begeleid_werk", "2019-03-01"),
        person(QUOTUM), reg("R-QUOTUM", QUOTUM, "quotumgroep", "2017-01-01"),
        person(VOIDED), reg("R-VOIDED", VOIDED, "wajong", "2015-01-01"),
        {"soort": "bezwaar", "registratie_id": "R-VOIDED", "datum": "2016-01-01"},
        person(AOW, "1953-01-01"), reg("R-AOW", AOW, "indicatie_banenafspraak", "2016-01-01"),
    ]


def counts(engine: Engine) -> tuple[int, ...]:
    """Rows of the register's own tables (persoon, registratie, gebeurtenis, persoonsgebeurtenis)."""
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (persoon, registratie, gebeurtenis, persoonsgebeurtenis))


def audit_rows(engine: Engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(audit).order_by(audit.c.volgnummer)))


def bsn_hash(settings: cfg.Settings, bsn: str) -> str:
    return hmac.new(settings.auditsleutel, bsn.encode(), hashlib.sha256).hexdigest()


@dataclass
class LiveServer:
    """A running service and what it was made with."""

    url: str
    proc: subprocess.Popen
    folder: Path
    settings: cfg.Settings
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)  # werkgever / gemeente / beheerder

    def headers(self, who: str = "werkgever") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def client(self, who: str | None = "werkgever", **kw) -> httpx.Client:
        headers = self.headers(who) if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kw)

    def log_text(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The server's worker processes (children of the uvicorn supervisor that serve)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid and b"spawn_main" in cmdline:
                pids.append(int(entry.name))
        return sorted(pids)


class SlowHasher:
    """The real hasher, whose ``verify`` of ``slow_secret`` holds its slot until ``release``
    is set (``entered`` tells that it holds it)."""

    def __init__(self, slow_secret: str) -> None:
        self.real, self.slow_secret = auth._hasher, slow_secret
        self.entered, self.release = threading.Event(), threading.Event()

    def hash(self, secret: str) -> str:
        return self.real.hash(secret)

    def verify(self, hashed: str, secret: str) -> bool:
        if secret == self.slow_secret:
            self.entered.set()
            assert self.release.wait(60), "the test never released the slow verification"
        return self.real.verify(hashed, secret)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def prepare(database_url: str, folder: Path, **settings) -> tuple[Path, cfg.Settings, Engine, dict[str, str]]:
    """A configuration file, the migrated database with the test register, and three
    credentials (a werkgever, a gemeente, a beheerder)."""
    folder.mkdir(parents=True, exist_ok=True)
    s = cfg.Settings(database_url, cfg.new_key(), cfg.new_key(), cfg.new_key(), **settings)
    path = folder / "register.toml"
    cfg.write(path, s)
    engine = db.engine(database_url)
    db.migrate(engine)
    rows = register_rows()
    with db.transaction(engine) as conn:
        store.record(conn, [parse(r, i) for i, r in enumerate(rows, start=1)], "test")
        tokens = {
            "werkgever": auth.create_credential(conn, "Bakkerij Jansen", "opvrager", "werkgever", WERKGEVER),
            "gemeente": auth.create_credential(conn, "Gemeente Amsterdam", "opvrager", "gemeente", GEMEENTE),
            "beheerder": auth.create_credential(conn, "Beheer", "beheerder", "beheer", None),
        }
    return path, s, engine, tokens


def start(config_path: Path, workers: int = 1) -> tuple[subprocess.Popen, str]:
    """Start ``web.serve`` in a subprocess and wait until ``/gezondheid`` answers."""
    port = process.free_port()
    log = open(config_path.parent / "server.log", "ab")
    code = (f"from regiorapportage.register.web import serve; "
            f"serve({str(config_path)!r}, host='127.0.0.1', port={port}, workers={workers})")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGIORAPPORTAGE_")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server stopped while starting:\n"
                               + (config_path.parent / "server.log").read_text(errors="replace")[-3000:])
        try:
            if httpx.get(f"{url}/gezondheid", timeout=1).status_code == 200:
                if workers > 1:
                    _wait_for_workers(proc, workers, deadline)
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.stop(proc)
    raise RuntimeError(f"server did not start within {START_TIMEOUT} s")


def _wait_for_workers(proc: subprocess.Popen, workers: int, deadline: float) -> None:
    probe = LiveServer("", proc, Path("."), None, None)  # type: ignore[arg-type]
    while time.monotonic() < deadline and len(probe.worker_pids()) < workers:
        time.sleep(0.1)
    time.sleep(1.0)  # the last worker binds after it appears


@contextmanager
def live_server(database_url: str, folder: Path, workers: int = 1, **settings) -> Iterator[LiveServer]:
    """A prepared register served by a real uvicorn; stopped (and its engine disposed) after."""
    path, s, engine, tokens = prepare(database_url, folder, **settings)
    proc, url = start(path, workers)
    try:
        yield LiveServer(url, proc, folder, s, engine, tokens)
    finally:
        process.stop(proc)
        engine.dispose()
