"""Dutch formatting of the renderings (render/formatting.py) and valid Excel sheet names
(render/xlsx_common.py)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from regiorapportage.render.formatting import (
    format_date,
    format_month,
    format_number,
    format_percentage,
    month_abbreviation,
    month_name,
)
from regiorapportage.render.xlsx_common import sheet_name


# --- Dutch formatting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (1234, "1.234"),
        (1234567, "1.234.567"),
        (62.5, "62,5"),
        (-3, "-3"),
        (12345.67, "12.345,67"),
        (-1234.5, "-1.234,5"),
        (999, "999"),
        (1000, "1.000"),
        (2.0, "2"),
        (np.int64(2272), "2.272"),
        (np.float64(5801.0), "5.801"),
    ],
)
def test_format_number_dutch(value, expected):
    assert format_number(value) == expected


def test_format_number_fixed_decimals_round_half_up():
    assert format_number(1234.5, decimals=2) == "1.234,50"
    assert format_number(62.5, decimals=0) == "63"
    assert format_number(0.125, decimals=2) == "0,13"
    assert format_number(-0.001, decimals=2) == "0,00"


@pytest.mark.parametrize("bad", [float("nan"), None, "12", True])
def test_format_number_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        format_number(bad)


def test_format_percentage():
    assert format_percentage(74) == "74%"
    assert format_percentage(100) == "100%"


def test_format_date_and_months():
    assert format_date(date(2019, 6, 30)) == "30 juni 2019"
    assert format_date(date(2019, 6, 30), short_month=True) == "30 jun. 2019"
    assert format_date(date(2020, 1, 1)) == "1 januari 2020"
    assert format_month(date(2019, 3, 31)) == "maart 2019"
    assert format_month(date(2019, 3, 31), short_month=True) == "mrt. 2019"
    assert format_month(date(2019, 9, 30), short_month=True) == "sept. 2019"
    assert format_month(date(2019, 5, 31), short_month=True) == "mei 2019"
    assert month_name(12) == "december"
    assert month_abbreviation(1) == "jan."


def test_sheet_names_are_valid_excel_names():
    assert sheet_name("AM17", "Zaanstreek/Waterland") == "AM17 Zaanstreek-Waterland"
    assert sheet_name("NL01", "Nederland") == "NL01 Nederland"
    long = sheet_name("AM06", "Stedendriehoek en Noordwest Veluwe")
    assert len(long) <= 31 and long.startswith("AM06 Stedendriehoek") and long.endswith("…")
    assert not set("[]:*?/\\") & set(sheet_name("X1", "a[b]:c*d?e/f\\g"))
