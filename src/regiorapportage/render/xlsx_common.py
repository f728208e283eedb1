"""What every workbook of a run shares: sheet names, cell formats, banner and paragraph
rows, page setup, the Data sheet with the long table, and deterministic file properties.

Deterministic (DQ-5): the workbook's created date is fixed from the quarter (its peildatum)
and ``meta['generated']`` is never written, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import xlsxwriter

from regiorapportage.quarter import Quarter
from regiorapportage.render.common_texts import VOORLOPIG_KOP

TOELICHTING_SHEET = "Toelichting"
DATA_SHEET = "Data"

# meta keys never written to a workbook: they differ between otherwise identical runs.
XLSX_META_EXCLUDED = ("generated",)

_FORBIDDEN_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
DATA_COLUMNS = ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde")
_TWO_DECIMALS = Decimal("0.01")
_WHOLE = Decimal(1)


def sheet_name(code: str, naam: str) -> str:
    """``AM17 Zaanstreek-Waterland``: code + name, at most 31 characters, without the
    characters Excel forbids (``[ ] : * ? / \\``)."""
    name = _FORBIDDEN_SHEET_CHARS.sub("-", f"{code} {naam}").strip().strip("'")
    name = re.sub(r"\s+", " ", name)
    if len(name) > MAX_SHEET_NAME:
        name = name[: MAX_SHEET_NAME - 1].rstrip(" -'") + "…"
    return name


def quoted(sheet: str) -> str:
    """A sheet name as used in an internal link (``'AM01 Groningen'``)."""
    return "'" + sheet.replace("'", "''") + "'"


def check_unique_sheet_names(names: list[str], what: str) -> None:
    seen: set[str] = {TOELICHTING_SHEET.lower(), DATA_SHEET.lower()}
    for name in names:
        if name.lower() in seen:
            raise ValueError(f"{what}: tabbladnaam {name!r} komt twee keer voor")
        seen.add(name.lower())


def text_height(text: str, width_chars: float, line_points: float = 15.0) -> float:
    """Row height for wrapped text in a (merged) cell; Excel does not do this itself."""
    lines = max(1, math.ceil(len(text) / (width_chars * 1.05)))
    return lines * line_points + 4


def whole_jobs(value: object) -> int:
    """Banen as shown in a report: whole jobs, rounded half up (BA-5)."""
    return int(Decimal(value if isinstance(value, Decimal) else repr(float(value))).quantize(
        _WHOLE, rounding=ROUND_HALF_UP
    ))


def two_decimals(value: Decimal) -> float:
    """Banen as in the machine-readable outputs: two decimals, rounded half up (BA-5)."""
    return float(value.quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP))


class Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
        kop = "#123F6D"
        lijn = "#C9D2DC"

        def fmt(**props):
            return wb.add_format({**base, **props})

        self.title = fmt(bold=True, font_size=15, font_color=kop)
        self.subtitle = fmt(font_size=12, font_color="#5B6673")
        self.banner = fmt(
            bold=True, font_color="#FFFFFF", bg_color="#A4161A", text_wrap=True, border=1,
            border_color="#A4161A", valign="vcenter",
        )
        self.banner_small = fmt(bold=True, font_color="#FFFFFF", bg_color="#A4161A")
        self.note = fmt(text_wrap=True, italic=True, font_color="#33414F", bg_color="#EEF4FB")
        self.caption = fmt(bold=True, font_color=kop, valign="bottom")
        self.header_left = fmt(
            bold=True, bg_color="#E8EEF5", text_wrap=True, valign="bottom", bottom=2,
            bottom_color=kop,
        )
        self.header_right = fmt(
            bold=True, bg_color="#E8EEF5", text_wrap=True, valign="bottom", align="right",
            bottom=2, bottom_color=kop,
        )
        self.label = fmt(bottom=1, bottom_color=lijn)
        self.label_wrap = fmt(bottom=1, bottom_color=lijn, text_wrap=True)
        self.number = fmt(num_format="#,##0", bottom=1, bottom_color=lijn)
        self.percentage = fmt(num_format='0"%"', bottom=1, bottom_color=lijn)
        self.empty = fmt(bottom=1, bottom_color=lijn, align="right")
        total = {"bold": True, "top": 2, "top_color": kop, "bottom": 2, "bottom_color": kop}
        self.total_label = fmt(**total)
        self.total_number = fmt(num_format="#,##0", **total)
        self.total_percentage = fmt(num_format='0"%"', **total)
        self.total_empty = fmt(align="right", **total)
        self.muted_label = fmt(bottom=1, bottom_color=lijn, font_color="#5B6673")
        self.muted_number = fmt(num_format="#,##0", bottom=1, bottom_color=lijn, font_color="#5B6673")
        self.highlight_label = fmt(bottom=1, bottom_color=lijn, bold=True, bg_color="#FFF1C2")
        self.highlight_number = fmt(
            num_format="#,##0", bottom=1, bottom_color=lijn, bold=True, bg_color="#FFF1C2"
        )
        self.highlight_empty = fmt(bottom=1, bottom_color=lijn, bold=True, bg_color="#FFF1C2",
                                   align="right")
        self.paragraph = fmt(text_wrap=True)
        self.small = fmt(font_size=9, font_color="#5B6673", text_wrap=True)
        self.term = fmt(bold=True, text_wrap=True)
        self.link = fmt(font_color="#1F6FB2", underline=1)
        self.data_header = fmt(bold=True, bg_color="#E8EEF5", bottom=1)
        self.data_text = fmt()
        self.data_int = fmt(num_format="#,##0")
        self.data_decimal = fmt(num_format="#,##0.00")


def write_banner(ws, row: int, last_col: int, fmts: Formats, text: str, width: float) -> int:
    ws.merge_range(row, 0, row, last_col, text, fmts.banner)
    ws.set_row(row, text_height(text, width) + 4)
    return row + 1


def write_paragraph(
    ws, row: int, last_col: int, fmt, text: str, width: float, line_points: float = 15.0
) -> int:
    ws.merge_range(row, 0, row, last_col, text, fmt)
    ws.set_row(row, text_height(text, width, line_points))
    return row + 1


def page_setup(
    ws, last_row: int, last_col: int, voorlopig: bool, title: str, landscape: bool = False
) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer("&L&8" + title + "&R&8&P / &N")
    if voorlopig:
        ws.set_tab_color("#A4161A")
        # T-5: also on every printed page.
        ws.set_header('&C&"Calibri,Bold"&12&KA4161A' + VOORLOPIG_KOP)


def data_value(value: object) -> int | float | None:
    """A long-table value for the Data sheet: counts and percentages as whole numbers,
    banen (Decimal) with two decimals, an empty value (None) as an empty cell."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else two_decimals(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    as_float = float(value)  # type: ignore[arg-type]
    if math.isnan(as_float):
        return None
    return int(as_float) if as_float.is_integer() else as_float


def write_data_sheet(
    wb: xlsxwriter.Workbook,
    name: str,
    table: pd.DataFrame,
    voorlopig: bool,
    fmts: Formats,
    voorlopig_text: str,
    title: str,
) -> None:
    """The long table itself, from A1, machine-readable: text columns as text, ``waarde``
    as numbers (banen with 2 decimals), empty where a value could not be computed."""
    ws = wb.add_worksheet(name)
    widths = (11, 34, 32, 26, 32, 12)
    for col, (column, width) in enumerate(zip(DATA_COLUMNS, widths, strict=True)):
        ws.set_column(col, col, width)
        ws.write(0, col, column, fmts.data_header)
    rows = table.loc[:, list(DATA_COLUMNS)].itertuples(index=False, name=None)
    n = 0
    for n, values in enumerate(rows, start=1):
        for col, value in enumerate(values[:-1]):
            ws.write_string(n, col, str(value), fmts.data_text)
        waarde = values[-1]
        shown = data_value(waarde)
        if shown is None:
            continue
        if isinstance(waarde, Decimal) or not float(shown).is_integer():
            ws.write_number(n, 5, shown, fmts.data_decimal)
        else:
            ws.write_number(n, 5, shown, fmts.data_int)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), len(DATA_COLUMNS) - 1)
    ws.repeat_rows(0)
    page_setup(ws, max(n, 1), len(DATA_COLUMNS) - 1, voorlopig, title, landscape=True)
    if voorlopig:
        # Beside the table, so that the table itself stays machine-readable from A1.
        ws.set_column(7, 7, 60)
        ws.write(0, 7, VOORLOPIG_KOP, fmts.banner_small)
        ws.write(1, 7, voorlopig_text, fmts.banner)
        ws.set_row(1, text_height(voorlopig_text, 60))


@contextmanager
def workbook(
    path: Path, quarter: Quarter, voorlopig: bool, title: str, subject: str
) -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook with fixed properties (byte-identical runs), closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            # No temporary files: much faster where creating and removing files is slow.
            "in_memory": True,
        },
    )
    try:
        wb.set_properties(
            {
                "title": f"{title} — {quarter.label_nl}" + (" (voorlopig)" if voorlopig else ""),
                "subject": subject,
                "author": "regiorapportage",
                "status": "voorlopig" if voorlopig else "definitief",
                # Fixed, derived from the quarter: two runs give byte-identical files.
                "created": datetime.combine(quarter.peildatum, time(0, 0)),
            }
        )
        yield wb
    finally:
        wb.close()


def write_definitions(ws, row: int, fmts: Formats, title: str, items, fill, text_width: float) -> int:
    """A caption and (term, explanation) rows on a Toelichting sheet; returns the next row."""
    ws.write(row, 0, title, fmts.caption)
    row += 1
    for term, text in items:
        filled = fill(text)
        ws.write(row, 0, fill(term), fmts.term)
        ws.write(row, 1, filled, fmts.paragraph)
        ws.set_row(row, text_height(filled, text_width))
        row += 1
    return row + 1


def write_sheet_index(ws, row: int, fmts: Formats, sheets, data_sheets, not_published: str) -> int:
    """'Tabbladen': a link to every region sheet (unpublished regions marked) and to the
    data sheets ((name, description) pairs); returns the next row."""
    ws.write(row, 0, "Tabbladen", fmts.caption)
    row += 1
    for name, region in sheets:
        ws.write_url(row, 0, f"internal:{quoted(name)}!A1", fmts.link, string=name)
        description = "Nederland" if region.kind == "nederland" else region.naam
        if not region.published:
            description += f" — {not_published.lower()}"
        ws.write(row, 1, description, fmts.paragraph)
        row += 1
    for name, description in data_sheets:
        ws.write_url(row, 0, f"internal:{quoted(name)}!A1", fmts.link, string=name)
        ws.write(row, 1, description, fmts.paragraph)
        row += 1
    return row
