"""Day numbers (days since 1970-01-01, as in Arrow ``date32``) and payroll calendars.

The generator works on integer day numbers in numpy arrays; they become ``date32`` columns
only when the files are written.
"""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1)
NULL = -10_000_000  # a missing date (open einddatum, alive); day numbers before 1970 are negative


def day(text: str) -> int:
    """Day number of an ISO date."""
    return (date.fromisoformat(text) - EPOCH).days


def to_date(d: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(d))


# Key dates of the calibration quarter 2019Q2 (SPEC T-1, BW-1, BW-3).
P = day("2019-06-30")  # peildatum
COHORT_END = day("2019-03-31")  # last day of the quarter before Q (BW-3)
Q_START = day("2019-04-01")
Q3_START = day("2019-07-01")
WINDOW_START = day("2015-01-01")  # BW-1
WINDOW_END = day("2019-09-30")  # last day of the quarter after Q (BW-1)
BURGER_START = day("2017-01-01")  # citizens may apply since 2017-01-01
EXTRACT = day("2019-10-15")  # extractiedatum of every source
LAST_ADVICE = EXTRACT - 1  # advices after the window, up to the day before the extract
PAYROLL_CUTOFF = WINDOW_END  # payroll periods are delivered up to September 2019
HISTORY_START = day("2012-01-01")
VIERWEKEN_ANCHOR = day("2019-01-07")  # a Monday; four-week periods are 2019-01-07 + 28k

MAAND, VIERWEKEN, KWARTAAL = 0, 1, 2
TIJDVAK_TYPES = ("maand", "vierweken", "kwartaal")
# T-4: monthly hours = period hours × factor⁻¹; a period holds ``factor`` months of hours.
MONTHS_PER_PERIOD = np.array([1.0, 12.0 / 13.0, 3.0])


def _month_starts(first_year: int, last_year: int) -> np.ndarray:
    months = np.arange(f"{first_year}-01", f"{last_year + 1}-02", dtype="datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def period_calendar(kind: int) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of every payroll period of one type from 2010 to early 2020."""
    if kind == MAAND:
        edges = _month_starts(2010, 2020)
    elif kind == KWARTAAL:
        edges = _month_starts(2010, 2020)[::3]
    elif kind == VIERWEKEN:
        k = np.arange(-140, 20)
        edges = VIERWEKEN_ANCHOR + 28 * k
        edges = np.append(edges, edges[-1] + 28)
    else:  # pragma: no cover - internal
        raise ValueError(kind)
    return edges[:-1].astype(np.int64), (edges[1:] - 1).astype(np.int64)


CALENDARS = {k: period_calendar(k) for k in (MAAND, VIERWEKEN, KWARTAAL)}


def year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
