"""DR-6: the rate limit of each caller, kept in the database (table ``tegoed``) so that it
holds across every worker process and server.

A fixed window: time is cut into windows of ``window_seconds`` aligned on the Unix epoch
(a window of 60 s starts on each whole minute); a caller may make ``limit`` requests per
window, and every request counts — a refused one, an invalid BSN, a 403 — so that trying
numbers is as expensive as asking valid ones (DR-6). The first request of a new window
starts the count again at 1. A refused request learns how many seconds remain until the
window ends (``Retry-After``).

Known property of a fixed window: a caller can make ``limit`` requests at the end of one
window and ``limit`` more at the start of the next, so the short-term peak is 2 × ``limit``;
over any longer period the rate is at most ``limit`` per window. That is enough to stop an
enumeration: trying 10⁹ numbers at 100 a minute takes 19 years.

The count is one statement, ``INSERT … ON CONFLICT (sleutel_id) DO UPDATE … RETURNING``,
in the caller's transaction: on PostgreSQL the row lock orders concurrent requests of one
caller, on SQLite the transaction holds the write lock (``BEGIN IMMEDIATE``). The counter
stops growing at ``limit + 1`` (it only needs to say "over the limit")."""

from __future__ import annotations

import math

from sqlalchemy import Connection, case, literal
from sqlalchemy.dialects import postgresql, sqlite

from regiorapportage.register.schema import tegoed


def window_start(now_seconds: float, window_seconds: int) -> int:
    now = int(now_seconds)
    return now - now % window_seconds


def take(conn: Connection, sleutel_id: str, limit: int, window_seconds: int, now_seconds: float) -> tuple[bool, int]:
    """Count one request of ``sleutel_id`` at ``now_seconds`` (Unix time) and say whether it
    is within ``limit`` per ``window_seconds``: ``(allowed, retry_after_seconds)``, where
    ``retry_after_seconds`` is 0 when allowed, else the whole seconds (at least 1) until the
    current window ends."""
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be positive")
    start = window_start(now_seconds, window_seconds)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(tegoed).values(sleutel_id=sleutel_id, venster=start, aantal=1)
    same_or_later = tegoed.c.venster >= stmt.excluded.venster  # a clock a little behind keeps the window
    stmt = stmt.on_conflict_do_update(
        index_elements=[tegoed.c.sleutel_id],
        set_={
            "aantal": case(
                (same_or_later & (tegoed.c.aantal > limit), literal(limit + 1)),
                (same_or_later, tegoed.c.aantal + 1),
                else_=literal(1),
            ),
            "venster": case((same_or_later, tegoed.c.venster), else_=stmt.excluded.venster),
        },
    ).returning(tegoed.c.venster, tegoed.c.aantal)
    venster, aantal = conn.execute(stmt).one()
    if aantal <= limit:
        return True, 0
    return False, max(1, math.ceil(venster + window_seconds - now_seconds))
