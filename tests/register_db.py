"""Fixtures of the register's tests: an empty database on SQLite and on PostgreSQL. A plugin
module (``pytest_plugins`` in tests/conftest.py), not a ``tests/register/conftest.py``: a
second module named ``conftest`` would shadow the one the other tests import from.

- ``engine`` — a migrated SQLAlchemy engine on ``database_url``;
- ``database_url`` — parametrized ``sqlite`` / ``postgresql``: a test that takes it runs on
  both; the URL names a fresh, empty database;
- ``sqlite_url``, ``postgresql_url`` — the same for tests that need one kind;
- ``pg_cluster`` — one throwaway PostgreSQL cluster (``regiorapportage.register.pgcluster``)
  per test process, i.e. per xdist worker, stopped at the end of the session. Without
  PostgreSQL the PostgreSQL tests are skipped, except under CI (``$CI`` set and not "0"),
  where they fail: CI must run them (``scripts/system-deps`` installs PostgreSQL).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from regiorapportage.register import pgcluster


@pytest.fixture(scope="session")
def pg_cluster():
    if not pgcluster.available():
        why = (
            "PostgreSQL not found (initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin; "
            "as root also the postgres OS user): run scripts/system-deps"
        )
        if os.environ.get("CI", "") not in ("", "0"):
            pytest.fail(f"{why}. CI must run the PostgreSQL variant of the register tests.",
                        pytrace=False)
        pytest.skip(why)
    with pgcluster.Cluster.start() as cluster:
        yield cluster


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'register.db'}"


@pytest.fixture
def postgresql_url(pg_cluster):
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(make_url(url).database)  # ends connections left open


@pytest.fixture
def engine(database_url):
    """A migrated register database (both kinds, through ``database_url``)."""
    from regiorapportage.register import db

    eng = db.engine(database_url)
    db.migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    # looked up by name, so that the sqlite variant never starts (or needs) PostgreSQL
    return request.getfixturevalue(f"{request.param}_url")
