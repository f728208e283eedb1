"""Errors that reach the user as a readable message (never a traceback)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad arguments, missing inputs, refused requests.

    The CLI prints the message and exits with ``exit_code``.
    """

    exit_code = 2


class StructuralError(UserError):
    """DQ-2: an input cannot be used at all (missing file or column, wrong type for a
    whole column, unreadable file). The run stops before anything is written."""

    exit_code = 3

    def __init__(self, source: str, message: str, *, file: str | None = None, column: str | None = None):
        self.source = source
        self.file = file
        self.column = column
        where = file or source
        if column:
            where += f", kolom '{column}'"
        super().__init__(f"{where}: {message}")


class RefusedError(UserError):
    """A request the rules forbid (R-6 gemeente level, T-5 data not yet reliable)."""

    exit_code = 4


class ConsistencyError(Exception):
    """BW-6 / R-5 / FS-3: a computed publication breaks an invariant. This is a bug in
    the system, not in the input; the run stops and nothing is written."""

    exit_code = 5
