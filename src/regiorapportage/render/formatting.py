"""Dutch formatting of numbers and dates for the human-readable reports.

Numbers: thousands separated with ``.``, decimals with ``,`` (``1.234``, ``62,5``,
``12.345,67``). Dates: ``30 juni 2019``; months ``maart 2019`` or abbreviated
``mrt. 2019`` / ``sept. 2019`` as in the UWV publications.

These are the only transformations the renderers apply to numbers: every number shown
comes from a publication's long-format table (DESIGN: "the HTML, PDF and XLSX never
compute numbers of their own").
"""

from __future__ import annotations

import math
import numbers
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# Abbreviations as used in the UWV publication ("mrt. 2019", "sept. 2019").
MONTHS_NL_SHORT = (
    "jan.",
    "feb.",
    "mrt.",
    "apr.",
    "mei",
    "jun.",
    "jul.",
    "aug.",
    "sept.",
    "okt.",
    "nov.",
    "dec.",
)


# An empty cell — a value that could not be computed — in every rendering.
STREEPJE = "\u2013"


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"geen getal: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        as_float = float(value)
        if math.isnan(as_float) or math.isinf(as_float):
            raise ValueError(f"geen getal: {value!r}")
        # repr gives the shortest string that round-trips: 62.5 -> '62.5', not 62.499999…
        result = Decimal(repr(as_float))
    else:
        raise ValueError(f"geen getal: {value!r}")
    if not result.is_finite():
        raise ValueError(f"geen getal: {value!r}")
    return result


def format_number(value: object, decimals: int | None = None) -> str:
    """Format a number the Dutch way.

    ``decimals=None`` (default): integers (and floats with an integral value) without
    decimals, other numbers with as many decimals as they have (``62.5`` -> ``62,5``).
    With ``decimals=n``: exactly n decimals, rounded half up.

    >>> format_number(1234567)
    '1.234.567'
    >>> format_number(12345.67)
    '12.345,67'
    >>> format_number(-3)
    '-3'
    """
    number = _to_decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    negative = number < 0
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    if fraction:
        result += "," + fraction
    if negative and result.strip("0.,") != "":
        result = "-" + result
    return result


TELWOORDEN = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")


def telwoord(n: int) -> str:
    """A small number in words, as Dutch prose writes it (``zes maanden``); digits above ten."""
    return TELWOORDEN[n] if 0 <= n < len(TELWOORDEN) else str(n)


def format_percentage(value: object) -> str:
    """``74`` -> ``74%`` (the publication writes the sign without a space)."""
    return f"{format_number(value)}%"


def month_name(month: int) -> str:
    """``3`` -> ``maart``."""
    return MONTHS_NL[month - 1]


def month_abbreviation(month: int) -> str:
    """``3`` -> ``mrt.``, ``9`` -> ``sept.``, ``5`` -> ``mei``."""
    return MONTHS_NL_SHORT[month - 1]


def format_month(d: date, short_month: bool = False) -> str:
    """``maart 2019``; with ``short_month``: ``mrt. 2019``."""
    name = month_abbreviation(d.month) if short_month else month_name(d.month)
    return f"{name} {d.year}"


def format_date(d: date, short_month: bool = False) -> str:
    """``30 juni 2019``; with ``short_month``: ``30 jun. 2019``."""
    return f"{d.day} {format_month(d, short_month)}"


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only: ``jan. 2015`` -> ``Jan. 2015``."""
    return text[:1].upper() + text[1:]
