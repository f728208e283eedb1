"""The database fixtures and the throwaway PostgreSQL cluster behind them
(``regiorapportage.register.pgcluster``): both variants of ``database_url`` are real, empty,
writable databases; databases of one cluster are isolated; a stopped cluster leaves nothing."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from regiorapportage.register import pgcluster


def _round_trip(url: str) -> list[tuple[int, str]]:
    meta = sa.MetaData()
    t = sa.Table(
        "t", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("naam", sa.Text)
    )
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
            meta.create_all(conn)
            conn.execute(t.insert(), [{"id": 1, "naam": "één"}, {"id": 2, "naam": "twee"}])
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.select(t).order_by(t.c.id))]
    finally:
        engine.dispose()


def test_database_url_is_an_empty_writable_database_of_its_kind(database_url, request):
    kind = request.node.callspec.params["database_url"]
    assert sa.make_url(database_url).get_backend_name() == kind
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    assert _round_trip(database_url) == [(1, "één"), (2, "twee")]


def test_postgresql_runs_on_the_psycopg_driver_over_a_socket_with_utf8(postgresql_url):
    url = sa.make_url(postgresql_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.query["host"].startswith("/")
    engine = sa.create_engine(postgresql_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW server_encoding")).scalar_one() == "UTF8"
            assert conn.execute(sa.text("SHOW listen_addresses")).scalar_one() == ""
    finally:
        engine.dispose()


def test_databases_of_one_cluster_are_isolated(pg_cluster):
    first, second = pg_cluster.create_database(), pg_cluster.create_database()
    try:
        assert first != second
        assert _round_trip(first) == [(1, "één"), (2, "twee")]
        engine = sa.create_engine(second)
        try:
            assert not sa.inspect(engine).has_table("t")
        finally:
            engine.dispose()
    finally:
        for url in (first, second):
            pg_cluster.drop_database(sa.make_url(url).database)


def test_drop_database_ends_open_connections(pg_cluster):
    url = pg_cluster.create_database("te_verwijderen")
    assert sa.make_url(url).database == "te_verwijderen"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            pg_cluster.drop_database("te_verwijderen")
            with pytest.raises(sa.exc.OperationalError):
                conn.execute(sa.text("SELECT 1"))
    finally:
        engine.dispose()
    with pytest.raises(RuntimeError, match="does not exist"):
        pg_cluster._admin("DROP DATABASE {}", "te_verwijderen")


def test_a_stopped_cluster_leaves_no_directory_and_no_server(pg_cluster):
    with pgcluster.Cluster.start() as cluster:
        directory, conninfo = cluster.directory, cluster.conninfo()
        assert directory.is_dir() and str(directory).startswith("/tmp/pgcluster-")
        assert _round_trip(cluster.create_database()) == [(1, "één"), (2, "twee")]
        assert cluster.directory != pg_cluster.directory
    assert not directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**conninfo, connect_timeout=2)
    cluster.stop()  # a second stop does nothing
    with pytest.raises(RuntimeError, match="stopped"):
        cluster.create_database()


def test_find_bin_finds_the_programs_and_not_the_absent(pg_cluster):
    assert pgcluster.available()
    for name in ("initdb", "pg_ctl", "postgres", "psql"):
        assert pgcluster.find_bin(name), name
    assert pgcluster.find_bin("geen-postgresql-programma") is None
