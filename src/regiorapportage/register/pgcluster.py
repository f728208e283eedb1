"""A throwaway PostgreSQL cluster for the tests and the load benchmark.

The register runs on SQLite and on PostgreSQL; to test the second without a database server
to set up, this module makes one from the PostgreSQL binaries (Debian's ``postgresql``
package, installed by ``scripts/system-deps``) in a fresh temporary directory, and removes it
again::

    with Cluster.start() as cluster:
        url = cluster.create_database()  # postgresql+psycopg://postgres@/db_1_…?host=…&port=…
        engine = sqlalchemy.create_engine(url)
        …

- ``find_bin(name)`` — a PostgreSQL program: on ``PATH`` first, then in the newest
  ``/usr/lib/postgresql/<version>/bin`` (Debian keeps ``initdb`` and ``pg_ctl`` there, off
  ``PATH``); Debian's ``pg_wrapper`` links on ``PATH`` do not count;
- ``available()`` — whether ``Cluster.start()`` can work here;
- ``Cluster.start(base_dir=None)`` — ``initdb`` and ``pg_ctl start`` in a new directory
  ``base_dir/pgcluster-XXXX`` (``/tmp`` by default: short enough for a socket path and
  reachable by the ``postgres`` user); ``create_database()`` / ``drop_database(name)``;
  ``stop()`` (also on leaving the ``with`` block, and at interpreter exit for a cluster
  never stopped) kills the server and removes the directory.

The cluster listens on a Unix socket in its own directory only (no TCP), trusts every local
connection as superuser ``postgres`` and runs with ``fsync=off``: fast and disposable, never
for data that matters. Numbers measured on it say how the register's queries scale, not what
a production server's disks allow; ``start(settings={"fsync": "on"})`` puts fsync back.

PostgreSQL refuses to run as root. When this process is root (the developers' machines and
CI are), the directory is given to the ``postgres`` OS user that Debian's package creates and
``initdb``/``pg_ctl`` run through ``runuser -u postgres``; otherwise they run as the current
user. Every failure raises ``RuntimeError`` with the program's output and the server log's
tail.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

PG_LIB = Path("/usr/lib/postgresql")
OS_USER = "postgres"  # the OS user the server runs as when we are root
SUPERUSER = "postgres"  # the database superuser initdb creates
DEFAULT_BASE = "/tmp"
SOCKET_PATH_MAX = 107  # sun_path is 108 bytes with the terminating NUL
START_TIMEOUT = 60  # seconds for pg_ctl -w
LOG_TAIL = 30  # lines of the server log in an error


def _is_pg_wrapper(path: str) -> bool:
    # Debian links psql, createdb, … on PATH to pg_wrapper, which picks a version by the
    # clusters it knows of; this module wants the real programs of one version.
    return Path(path).resolve().name == "pg_wrapper"


def _version_key(bindir: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in bindir.parent.name.split("."))


def _lib_bindirs() -> list[Path]:
    """``/usr/lib/postgresql/*/bin``, newest version first."""
    dirs = [d for d in PG_LIB.glob("*/bin") if re.fullmatch(r"\d+(\.\d+)*", d.parent.name)]
    return sorted(dirs, key=_version_key, reverse=True)


def find_bin(name: str) -> str | None:
    """The path of the PostgreSQL program ``name`` (``initdb``, ``pg_ctl``, …): ``PATH``
    first, then the newest ``/usr/lib/postgresql/*/bin``; None when there is none."""
    found = shutil.which(name)
    if found and not _is_pg_wrapper(found):
        return found
    for bindir in _lib_bindirs():
        candidate = bindir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _programs() -> tuple[str, str] | None:
    """``initdb`` and the ``pg_ctl`` of the same version (beside it), or None."""
    initdb = find_bin("initdb")
    if initdb is None:
        return None
    beside = Path(initdb).resolve().parent / "pg_ctl"
    pg_ctl = str(beside) if beside.is_file() else find_bin("pg_ctl")
    return (initdb, pg_ctl) if pg_ctl else None


def _is_root() -> bool:
    return os.geteuid() == 0


def _os_user() -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(OS_USER)
    except KeyError:
        return None


def available() -> bool:
    """Whether a cluster can be started here: ``initdb`` and ``pg_ctl`` found and, as root,
    the ``postgres`` OS user and ``runuser`` to run them with."""
    if _programs() is None:
        return False
    return not _is_root() or (_os_user() is not None and shutil.which("runuser") is not None)


def _free_port() -> int:
    # The server listens on no TCP port, but the port still names its socket file
    # (.s.PGSQL.<port>); one that is free on the loopback avoids surprising anyone.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A running throwaway cluster; make one with ``Cluster.start()``."""

    _names = itertools.count(1)

    def __init__(self, directory: Path, port: int, pg_ctl: str, as_postgres: bool):
        self.directory = directory  # everything lives here; stop() removes it
        self.data_dir = directory / "data"
        self.socket_dir = directory / "socket"  # the URL's host
        self.log_path = directory / "postgres.log"
        self.port = port
        self._pg_ctl = pg_ctl
        self._as_postgres = as_postgres
        self._lock = threading.Lock()
        self._stopped = False

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def start(
        cls, base_dir: Path | None = None, settings: Mapping[str, str] | None = None
    ) -> Cluster:
        """Create and start a cluster in a new directory under ``base_dir`` (``/tmp`` by
        default). ``settings`` are extra server settings (``-c name=value``), applied after
        the defaults (``listen_addresses=''``, ``fsync=off``)."""
        programs = _programs()
        if programs is None:
            raise RuntimeError(
                "PostgreSQL not found: no initdb/pg_ctl on PATH or in "
                f"{PG_LIB}/*/bin (scripts/system-deps installs Debian's postgresql)"
            )
        initdb, pg_ctl = programs
        as_postgres = _is_root()
        if as_postgres and not available():
            raise RuntimeError(
                f"running as root, PostgreSQL needs the OS user {OS_USER!r} and runuser "
                "to run as (Debian's postgresql package creates the user)"
            )
        directory = Path(tempfile.mkdtemp(prefix="pgcluster-", dir=base_dir or DEFAULT_BASE))
        cluster = cls(directory, _free_port(), pg_ctl, as_postgres)
        try:
            cluster._create(initdb, dict(settings or {}))
        except BaseException:
            cluster.stop()
            raise
        atexit.register(cluster.stop)
        return cluster

    def _create(self, initdb: str, settings: dict[str, str]) -> None:
        socket_file = self.socket_dir / f".s.PGSQL.{self.port}"
        if len(str(socket_file)) > SOCKET_PATH_MAX:
            raise RuntimeError(
                f"socket path {socket_file} is longer than {SOCKET_PATH_MAX} bytes: "
                "start the cluster under a shorter base_dir"
            )
        self.socket_dir.mkdir(mode=0o700)
        if self._as_postgres:
            user = _os_user()
            for path in (self.directory, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
            # a base_dir that postgres cannot reach (e.g. pytest's 0700 tmp_path of root)
            # would otherwise fail inside initdb with a less clear message
            reach = subprocess.run(self._as_user(["test", "-w", str(self.directory)]))
            if reach.returncode != 0:
                raise RuntimeError(
                    f"the OS user {OS_USER!r} cannot write {self.directory}: "
                    "give start() a base_dir it can reach (the default /tmp is)"
                )
        self._run(
            [initdb, "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
            "initdb",
        )
        options = {"listen_addresses": "''", "fsync": "off"}
        options.update({k: shlex.quote(str(v)) for k, v in settings.items()})
        server_opts = " ".join(
            [f"-k {shlex.quote(str(self.socket_dir))}", f"-p {self.port}"]
            + [f"-c {k}={v}" for k, v in options.items()]
        )
        self._run(
            [self._pg_ctl, "-w", "-t", str(START_TIMEOUT), "-D", str(self.data_dir),
             "-o", server_opts, "-l", str(self.log_path), "start"],
            "pg_ctl start",
        )

    def stop(self) -> None:
        """Kill the server (``pg_ctl stop -m immediate``) and remove the cluster's directory.
        Safe to call more than once."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        atexit.unregister(self.stop)
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run(
                    [self._pg_ctl, "-w", "-D", str(self.data_dir), "-m", "immediate", "stop"],
                    "pg_ctl stop",
                )
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<Cluster {self.socket_dir} port {self.port} {state}>"

    # ------------------------------------------------------------------ databases

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3 driver) of ``database`` on this cluster."""
        host = quote(str(self.socket_dir), safe="/")
        name = quote(database, safe="")
        return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={host}&port={self.port}"

    def conninfo(self, database: str = "postgres") -> dict[str, object]:
        """Keyword arguments for ``psycopg.connect`` to ``database`` on this cluster."""
        return {"host": str(self.socket_dir), "port": self.port, "user": SUPERUSER,
                "dbname": database}

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a fresh name when none is given) and return its URL."""
        if name is None:
            name = f"db_{next(self._names)}_{secrets.token_hex(4)}"
        self._admin("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop the database ``name`` if it exists, ending its open connections."""
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)

    def _admin(self, statement: str, name: str) -> None:
        import psycopg
        from psycopg import sql

        if self._stopped:
            raise RuntimeError(f"{self!r}: the cluster is stopped")
        try:
            with psycopg.connect(**self.conninfo(), autocommit=True) as conn:
                conn.execute(sql.SQL(statement).format(sql.Identifier(name)))
        except psycopg.Error as e:
            raise RuntimeError(f"{statement.format(name)} failed: {e}\n{self._log_tail()}") from e

    # ------------------------------------------------------------------ running programs

    def _as_user(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", OS_USER, "--", *args] if self._as_postgres else args

    def _run(self, args: list[str], what: str) -> None:
        # PG* variables of the caller (PGDATA, PGPORT, PGOPTIONS, …) must not steer these
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        try:
            done = subprocess.run(
                self._as_user(args), cwd=self.directory, env=env, capture_output=True,
                text=True, timeout=START_TIMEOUT + 30,
            )
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(f"{what} timed out after {e.timeout} s\n{self._log_tail()}") from e
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise RuntimeError(
                f"{what} failed (exit {done.returncode}): {shlex.join(args)}\n{output}\n"
                f"{self._log_tail()}"
            )

    def _log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()[-LOG_TAIL:]
        except OSError:
            return "(no server log)"
        return f"server log {self.log_path} (last {len(lines)} lines):\n" + "\n".join(lines)
