"""The register service's load benchmark (issue 14): a bounded run of concurrent look-ups
against the real service on loopback, on SQLite and on PostgreSQL.

For each database it sets up a fresh register (``personen`` synthetic persons with valid
BSNs from the generator's range: a third in the doelgroep, a third whose registration ended,
a third unknown), starts ``regiorapportage register serve`` with ``workers`` processes,
warms each worker's credential cache, then sends ``requests`` look-ups from ``concurrency``
simultaneous connections (HTTP/1.1 keep-alive, httpx) and measures:

- throughput (answered look-ups per second of wall-clock time of the measured part);
- latency p50 / p99 / max per request;
- errors: any status other than 200, a transport error, or a wrong answer (every answer is
  checked against the register) — must be 0;
- the audit log afterwards: entries of answered look-ups = answered look-ups, and the chain
  verifies.

The rate limit is set far above the load (the benchmark measures the service, not the
limit). PostgreSQL runs in a throwaway cluster (``pgcluster``) with ``fsync`` on, SQLite in
WAL mode with ``synchronous=FULL`` (as in production): a look-up is answered only after its
audit entry is committed."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

LOOKUP_ACTIE = "opvragen"


@dataclass
class LoadResult:
    database: str
    floor_ms: int
    workers: int
    concurrency: int
    requests: int
    answered: int
    errors: int
    seconds: float
    throughput: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    audit_entries: int
    chain_ok: bool

    def as_dict(self) -> dict:
        return asdict(self)


def synthetic_bsns(n: int, start: int = 99_000_000) -> list[str]:
    """``n`` valid BSNs (elfproef) from consecutive 8-digit prefixes starting at ``start``."""
    out, prefix = [], start
    while len(out) < n:
        digits = f"{prefix:08d}"
        s = sum(w * int(d) for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2), digits))
        check = s % 11  # s − d9 ≡ 0 (mod 11) → d9 = s mod 11, one digit only
        if check < 10:
            out.append(digits + str(check))
        prefix += 1
    return out


def _setup(database_url: str, folder: Path, persons: int, floor_ms: int = 25):
    """A configuration, a register and a look-up credential; returns (config path, token,
    expected answers by BSN)."""
    from regiorapportage.register import auth, config as cfg, db, store
    from regiorapportage.register.decisions import parse

    settings = cfg.Settings(database_url, cfg.new_key(), cfg.new_key(), cfg.new_key(), limiet=10**9,
                            min_antwoord_ms=floor_ms)
    path = folder / "register.toml"
    cfg.write(path, settings)
    eng = db.engine(database_url)
    db.migrate(eng)
    bsns = synthetic_bsns(persons)
    expected, rows = {}, []
    for i, bsn in enumerate(bsns):
        kind = i % 3
        expected[bsn] = kind == 0
        if kind == 2:
            continue  # unknown
        rows.append({"soort": "persoon", "bsn": bsn, "geboortedatum": "1980-01-01"})
        rows.append({"soort": "registratie", "bsn": bsn, "registratie_id": f"L{i}", "grondslag": "wajong",
                     "datum": "2015-01-01", "orgaan": "UWV", "besluit_id": f"B{i}"})
        if kind == 1:
            rows.append({"soort": "beeindiging", "registratie_id": f"L{i}", "datum": "2017-01-01"})
    with db.transaction(eng) as conn:
        store.record(conn, [parse(r, i) for i, r in enumerate(rows, 1)], "benchmark")
        token = auth.create_credential(conn, "Benchmark BV", "opvrager", "werkgever", "123456789L01")
    eng.dispose()
    return path, token, expected


async def _load(port: int, token: str, expected: dict[str, bool], requests: int, concurrency: int,
                warmup: int) -> tuple[list[float], int, int, float]:
    import httpx

    url = f"http://127.0.0.1:{port}/api/v1/opvragen"
    headers = {"Authorization": f"Bearer {token}"}
    bsns = list(expected)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:
        # warm-up: every worker verifies the credential once (argon2) before measuring
        await asyncio.gather(*(client.post(url, json={"bsn": bsns[i % len(bsns)], "datum": "2019-06-30"})
                               for i in range(warmup)))
        latencies: list[float] = []
        errors = answered = 0
        counter = iter(range(requests))

        async def worker() -> None:
            nonlocal errors, answered
            for i in counter:
                bsn = bsns[(i * 7919) % len(bsns)]
                t0 = time.perf_counter()
                try:
                    r = await client.post(url, json={"bsn": bsn, "datum": "2019-06-30"})
                except httpx.TransportError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200 or r.json() != {"in_doelgroep": expected[bsn]}:
                    errors += 1
                else:
                    answered += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, answered, errors, time.perf_counter() - start


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_one(database: str, requests: int, concurrency: int, workers: int, persons: int,
            floor_ms: int = 25) -> LoadResult:
    from regiorapportage.register import audit, db, pgcluster, process
    from regiorapportage.register.schema import audit as audit_table

    with tempfile.TemporaryDirectory(prefix="register-load-") as tmp:
        folder = Path(tmp)
        cluster = None
        if database == "postgresql":
            cluster = pgcluster.Cluster.start(settings={"fsync": "on"})
            url = cluster.create_database()
        else:
            url = f"sqlite:///{folder / 'register.db'}"
        try:
            config, token, expected = _setup(url, folder, persons, floor_ms)
            port = process.free_port()
            proc = process.start(config, port, workers)
            try:
                warmup = 4 * workers
                latencies, answered, errors, seconds = asyncio.run(
                    _load(port, token, expected, requests, concurrency, warmup))
            finally:
                process.stop(proc)
            eng = db.engine(url)
            with eng.connect() as conn:
                entries = conn.execute(select(func.count()).select_from(audit_table).where(
                    audit_table.c.actie == LOOKUP_ACTIE, audit_table.c.status == 200)).scalar_one() - warmup
                chain = audit.verify(conn)
            eng.dispose()
        finally:
            if cluster is not None:
                cluster.stop()
    ms = [v * 1000 for v in latencies]
    return LoadResult(database, floor_ms, workers, concurrency, requests, answered, errors, round(seconds, 2),
                      round(answered / seconds, 1) if seconds else 0.0, round(_quantile(ms, 0.5), 1),
                      round(_quantile(ms, 0.99), 1), round(max(ms) if ms else float("nan"), 1), entries, chain.ok)


def markdown(results: list[LoadResult], when: date | None = None) -> str:
    lines = [
        f"Register service load (`regiorapportage register benchmark`, {(when or date.today()).isoformat()}, "
        f"{os.cpu_count()} cores; client and server on the same machine):",
        "",
        "| database | floor ms | workers | concurrent | look-ups | answered | errors | seconds | look-ups/s | p50 ms | p99 ms | max ms | audit entries | chain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(f"| {r.database} | {r.floor_ms} | {r.workers} | {r.concurrency} | {r.requests:,} | {r.answered:,} | {r.errors} | "
                     f"{r.seconds} | {r.throughput} | {r.p50_ms} | {r.p99_ms} | {r.max_ms} | {r.audit_entries:,} | "
                     f"{'verifies' if r.chain_ok else 'BROKEN'} |")
    return "\n".join(lines)
