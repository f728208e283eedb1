"""The database behind the register: one SQLAlchemy engine for an SQLite file (the embedded
default) or PostgreSQL, the schema migrations (Alembic, the same on both) and transactions.

Every change is one transaction (``transaction``) and the service answers only after the
commit. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` (writers queue instead
of failing halfway) and a read (``read`` or ``engine.connect()``) with a deferred ``BEGIN``,
in WAL mode with ``synchronous=FULL`` (a commit is on disk when acknowledged) and a busy
timeout; on PostgreSQL the audit chain and the rate-limit counters take their own locks
(``audit``, ``ratelimit``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from regiorapportage.errors import UserError

BUSY_TIMEOUT_MS = 30_000
_WRITE = "register_write"


def engine(url: str, pool_size: int = 5) -> Engine:
    """An engine for ``url`` (``sqlite:///…`` or ``postgresql+psycopg://…``)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError("de database-URL is onleesbaar (sqlite:///pad of postgresql+psycopg://…)") from None
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise UserError("een SQLite-register is een bestand: sqlite:///pad/register.db")
        if not Path(parsed.database).parent.is_dir():
            raise UserError(f"de map van de database {Path(parsed.database).parent} bestaat niet")
        # the register holds BSNs: a new file (and SQLite's -wal/-shm, which take its mode)
        # is readable by its owner only
        os.close(os.open(parsed.database, os.O_CREAT | os.O_WRONLY, 0o600))
        eng = create_engine(url, isolation_level=None, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            for pragma in ("journal_mode=WAL", "synchronous=FULL", f"busy_timeout={BUSY_TIMEOUT_MS}",
                           "foreign_keys=ON"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        @event.listens_for(eng, "begin")
        def _begin(conn):
            # a write transaction takes the write lock at once (writers queue instead of
            # failing halfway); a read sees a snapshot and never waits for a writer (WAL)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return eng
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    raise UserError(f"database '{parsed.get_backend_name()}' wordt niet ondersteund: kies sqlite of postgresql")


def is_postgresql(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "postgresql"


@contextmanager
def transaction(eng: Engine) -> Iterator[Connection]:
    """One write transaction: committed when the block ends normally, rolled back otherwise
    (on SQLite it holds the write lock from its start)."""
    with eng.connect() as conn:
        conn = conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def read(eng: Engine) -> Iterator[Connection]:
    """One read-only snapshot (``engine.connect()`` does the same): on SQLite it never waits
    for a writer."""
    with eng.connect() as conn:
        yield conn


def _alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("regiorapportage.register") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def migrate(eng: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    with eng.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def is_migrated(eng: Engine) -> bool:
    return inspect(eng).has_table("alembic_version") and inspect(eng).has_table("audit")
