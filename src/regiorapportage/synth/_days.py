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
EXTRACT = day("2019-10-15")  # extractiedatum of the adviezen, BRP, klantprofielen, …
LAST_ADVICE = EXTRACT - 1  # advices after the window, up to the day before the extract
# The payroll (polis, werkgever_tijdvak), the doelgroepregister and personen are extracts taken
# in July 2020: six months after 2019-12-31, so the Landelijke monitor 2019 can be made (LM-2).
BA_EXTRACT = day("2020-07-15")
PAYROLL_CUTOFF = day("2019-12-31")  # payroll periods are delivered up to December 2019
BW_PAYROLL_CUTOFF = WINDOW_END  # the beschut werk payroll's first part (its random stream) ends here
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


# --- banenafspraak (BA) ---------------------------------------------------------------------
# Further payroll period types (T-3) used by the banenafspraak payroll. The beschut werk payroll
# uses only the first three (``CALENDARS``); ``BA_CALENDARS`` adds half years and years.
HALFJAAR, JAAR = 3, 4
BA_TIJDVAK_TYPES = TIJDVAK_TYPES + ("halfjaar", "jaar")
BA_MONTHS_PER_PERIOD = np.array([1.0, 12.0 / 13.0, 3.0, 6.0, 12.0])
BA_CALENDARS = dict(CALENDARS)
for _k in (HALFJAAR, JAAR):
    _edges = _month_starts(2010, 2021)[:: 6 if _k == HALFJAAR else 12]
    BA_CALENDARS[_k] = (_edges[:-1].astype(np.int64), (_edges[1:] - 1).astype(np.int64))
del _k, _edges

NULMETING = day("2012-12-31")  # TR-3: the baseline peildatum
QUOTUM_FROM = day("2018-12-01")  # BA-2: quotumgroep counts from this day
FAR = day("2100-01-01")


def quarter_ends(first: str = "2012Q4", last: str = "2019Q3") -> list[tuple[str, int]]:
    """(label, peildatum) of every quarter from ``first`` to ``last`` (T-1)."""
    y, q = int(first[:4]), int(first[-1])
    out = []
    while (y, q) <= (int(last[:4]), int(last[-1])):
        end = np.datetime64(f"{y}-{3 * q:02d}", "M") + 1
        out.append((f"{y}Q{q}", int((end.astype("datetime64[D]") - 1).astype(np.int64))))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


_MONTH_STARTS = np.arange("1900-01", "2101-01", dtype="datetime64[M]").astype("datetime64[D]").astype(np.int64)
_MONTH_LENGTHS = np.diff(np.append(_MONTH_STARTS, day("2101-01-01")))
_MONTH0 = (1900 - 1970) * 12  # month number (months since 1970-01) of _MONTH_STARTS[0]


def _split_months(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(month number since 1970-01, 0-based day of month) of day numbers (1900…2100)."""
    d = np.asarray(days, dtype=np.int64)
    m = np.searchsorted(_MONTH_STARTS, d, side="right") - 1
    return m + _MONTH0, d - _MONTH_STARTS[m]


def add_months(days: np.ndarray, months) -> np.ndarray:
    """``days`` plus a number of months; a day that does not exist in the target month becomes
    its last day (GLOSSARY, AOW-leeftijd decision)."""
    m, dom = _split_months(days)
    t = m + np.asarray(months, dtype=np.int64) - _MONTH0
    return _MONTH_STARTS[t] + np.minimum(dom, _MONTH_LENGTHS[t] - 1)


# AOW age in months by the year in which it is reached (GLOSSARY table; 65 years before 2013).
AOW_AGE_MONTHS = {
    2012: 780, 2013: 781, 2014: 782, 2015: 783, 2016: 786, 2017: 789, 2018: 792, 2019: 796,
    2020: 796, 2021: 796, 2022: 799, 2023: 802, 2024: 804, 2025: 804, 2026: 804, 2027: 804,
    2028: 807, 2029: 807, 2030: 807,
}


def aow_date(geboortedatum: np.ndarray) -> np.ndarray:
    """The day each person reaches the AOW age: for the first year Y of the table in which
    ``geboortedatum + age(Y)`` falls in Y (before 2013: 65 years; after 2030: 67 y + 3 m)."""
    m, dom = _split_months(geboortedatum)
    out = np.full(len(m), NULL, dtype=np.int64)
    for y, months in sorted(AOW_AGE_MONTHS.items()):
        t = m + months
        yr = t // 12 + 1970
        hit = (out == NULL) & ((yr == y) if y > 2012 else (yr <= y))
        t = t[hit] - _MONTH0
        out[hit] = _MONTH_STARTS[t] + np.minimum(dom[hit], _MONTH_LENGTHS[t] - 1)
    rest = out == NULL
    out[rest] = add_months(np.asarray(geboortedatum, dtype=np.int64)[rest], AOW_AGE_MONTHS[2030])
    return out
