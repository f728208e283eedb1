"""The Rapportage beschut werk as one Excel workbook.

Sheets: ``Toelichting`` (texts, definitions, list of sheets), one sheet for Nederland and
one per region (laid out like the publication's four tables), and ``Data`` (the long
table itself). Numbers stay numbers with Excel number formats (``#,##0``, ``0"%"``), so
Excel shows them with the reader's locale separators.

Deterministic (DQ-5): the workbook's created date is fixed from the quarter (its
peildatum) and the footer-style run information leaves out ``meta['generated']``, so the
same inputs give byte-identical files.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time
from pathlib import Path

import pandas as pd
import xlsxwriter

from regiorapportage.quarter import Quarter
from regiorapportage.render import beschut_werk_texts as texts
from regiorapportage.render.beschut_werk_model import RegionReport, read_regions
from regiorapportage.render.templating import meta_items

TOELICHTING_SHEET = "Toelichting"
DATA_SHEET = "Data"

# meta keys never written to the workbook: they differ between otherwise identical runs.
XLSX_META_EXCLUDED = ("generated",)

_FORBIDDEN_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

# Column widths of a region sheet (A = labels, B..E = numbers), in Excel character units.
_LABEL_WIDTH = 30
_NUMBER_WIDTH = 17
_REGION_COLUMNS = 5
_TEXT_WIDTH = _LABEL_WIDTH + _NUMBER_WIDTH * (_REGION_COLUMNS - 1)


def sheet_name(code: str, naam: str) -> str:
    """``AM17 Zaanstreek-Waterland``: code + name, at most 31 characters, without the
    characters Excel forbids (``[ ] : * ? / \\``)."""
    name = _FORBIDDEN_SHEET_CHARS.sub("-", f"{code} {naam}").strip().strip("'")
    name = re.sub(r"\s+", " ", name)
    if len(name) > MAX_SHEET_NAME:
        name = name[: MAX_SHEET_NAME - 1].rstrip(" -'") + "…"
    return name


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _text_height(text: str, width_chars: float, line_points: float = 15.0) -> float:
    """Row height for wrapped text in a (merged) cell; Excel does not do this itself."""
    lines = max(1, math.ceil(len(text) / (width_chars * 1.05)))
    return lines * line_points + 4


class _Formats:
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
        self.number = fmt(num_format="#,##0", bottom=1, bottom_color=lijn)
        self.percentage = fmt(num_format='0"%"', bottom=1, bottom_color=lijn)
        total = {"bold": True, "top": 2, "top_color": kop, "bottom": 2, "bottom_color": kop}
        self.total_label = fmt(**total)
        self.total_number = fmt(num_format="#,##0", **total)
        self.total_percentage = fmt(num_format='0"%"', **total)
        self.paragraph = fmt(text_wrap=True)
        self.small = fmt(font_size=9, font_color="#5B6673", text_wrap=True)
        self.term = fmt(bold=True, text_wrap=True)
        self.link = fmt(font_color="#1F6FB2", underline=1)
        self.data_header = fmt(bold=True, bg_color="#E8EEF5", bottom=1)
        self.data_text = fmt()
        self.data_int = fmt(num_format="#,##0")
        self.data_decimal = fmt(num_format="#,##0.00")


def _write_banner(ws, row: int, last_col: int, fmts: _Formats, text: str, width: float) -> int:
    ws.merge_range(row, 0, row, last_col, text, fmts.banner)
    ws.set_row(row, _text_height(text, width) + 4)
    return row + 1


def _write_paragraph(
    ws, row: int, last_col: int, fmt, text: str, width: float, line_points: float = 15.0
) -> int:
    ws.merge_range(row, 0, row, last_col, text, fmt)
    ws.set_row(row, _text_height(text, width, line_points))
    return row + 1


def _page_setup(
    ws, last_row: int, last_col: int, voorlopig: bool, landscape: bool = False
) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer("&L&8" + texts.TITEL + "&R&8&P / &N")
    if voorlopig:
        ws.set_tab_color("#A4161A")
        # T-5: also on every printed page.
        ws.set_header('&C&"Calibri,Bold"&12&KA4161A' + texts.VOORLOPIG_KOP)


def _write_region_sheet(
    wb: xlsxwriter.Workbook,
    name: str,
    region: RegionReport,
    dates: texts.BeschutWerkDates,
    voorlopig: bool,
    fmts: _Formats,
    voorlopig_text: str,
    footnote: str,
) -> None:
    ws = wb.add_worksheet(name)
    ws.hide_gridlines(2)
    last_col = _REGION_COLUMNS - 1
    ws.set_column(0, 0, _LABEL_WIDTH)
    ws.set_column(1, last_col, _NUMBER_WIDTH)

    ws.write(0, 0, f"{texts.TITEL} {region.naam}", fmts.title)
    ws.set_row(0, 21)
    ws.write(1, 0, dates.quarter.label_nl, fmts.subtitle)
    row = 3
    if voorlopig:
        row = _write_banner(ws, row, last_col, fmts, voorlopig_text, _TEXT_WIDTH) + 1
    note = texts.region_note(region.code, dates.quarter.peildatum.year)
    if note:
        if not region.published:
            note = f"{texts.NIET_GEPUBLICEERD_KOP} ({region.code}). {note}"
        row = _write_paragraph(ws, row, last_col, fmts.note, note, _TEXT_WIDTH) + 1

    werk_labels = dict(texts.WERK_KOLOMMEN)
    for spec in texts.TABELLEN:
        caption = spec.titel
        if spec.soort == "werk":
            caption = f"{texts.VOETNOOT_TEKEN} {caption}"
        ws.write(row, 0, caption, fmts.caption)
        ws.set_row(row, 20)
        row += 1
        if spec.soort == "adviezen":
            kolommen = [k for k, _ in texts.ADVIES_KOLOMMEN]
            headings = [label for _, label in texts.ADVIES_KOLOMMEN]
            corner = dates.fill(texts.ADVIES_HOEK)
        else:
            kolommen = [k for k, _ in texts.WERK_KOLOMMEN]
            headings = [dates.fill(werk_labels[k]) for k in kolommen]
            corner = ""
        ws.write(row, 0, corner, fmts.header_left)
        for col, heading in enumerate(headings, start=1):
            ws.write(row, col, heading, fmts.header_right)
        ws.set_row(row, 32)
        row += 1
        for rij, label in spec.rijen:
            total = rij == "totaal"
            ws.write(row, 0, label, fmts.total_label if total else fmts.label)
            for col, kolom in enumerate(kolommen, start=1):
                if kolom == "percentage_werkend":
                    fmt = fmts.total_percentage if total else fmts.percentage
                else:
                    fmt = fmts.total_number if total else fmts.number
                ws.write_number(row, col, region.value(spec.tabel, rij, kolom), fmt)
            row += 1
        row += 1

    # 9 pt text: about 1.2 times as many characters per line, 12 pt per line.
    row = _write_paragraph(
        ws, row, last_col, fmts.small, f"{texts.VOETNOOT_TEKEN} {footnote}",
        _TEXT_WIDTH * 1.2, line_points=12.0,
    )
    row = _write_paragraph(
        ws, row, last_col, fmts.small,
        "Zie het tabblad Toelichting voor de toelichting, bron en definities.",
        _TEXT_WIDTH * 1.2, line_points=12.0,
    )
    _page_setup(ws, row - 1, last_col, voorlopig)


def _write_toelichting(
    wb: xlsxwriter.Workbook,
    dates: texts.BeschutWerkDates,
    voorlopig: bool,
    fmts: _Formats,
    voorlopig_text: str,
    footnote: str,
    sheets: list[tuple[str, RegionReport]],
    meta: dict | None,
) -> None:
    ws = wb.add_worksheet(TOELICHTING_SHEET)
    ws.hide_gridlines(2)
    term_width, text_width = 26, 90
    ws.set_column(0, 0, term_width)
    ws.set_column(1, 1, text_width)
    width = term_width + text_width
    ws.write(0, 0, f"{texts.TITEL} — Toelichting", fmts.title)
    ws.set_row(0, 21)
    ws.write(1, 0, dates.quarter.label_nl, fmts.subtitle)
    row = 3
    if voorlopig:
        row = _write_banner(ws, row, 1, fmts, voorlopig_text, width) + 1

    ws.write(row, 0, "Over deze rapportage", fmts.caption)
    row += 1
    for paragraph in texts.TOELICHTING:
        row = _write_paragraph(ws, row, 1, fmts.paragraph, dates.fill(paragraph), width)
    row = _write_paragraph(
        ws, row, 1, fmts.paragraph, f"{texts.VOETNOOT_TEKEN} {footnote}", width
    )
    row += 1

    ws.write(row, 0, texts.BRON_EN_DEFINITIES_TITEL, fmts.caption)
    row += 1
    for term, text in texts.BRON_EN_DEFINITIES:
        filled = dates.fill(text)
        ws.write(row, 0, dates.fill(term), fmts.term)
        ws.write(row, 1, filled, fmts.paragraph)
        ws.set_row(row, _text_height(filled, text_width))
        row += 1
    row += 1

    ws.write(row, 0, "Tabbladen", fmts.caption)
    row += 1
    for name, region in sheets:
        ws.write_url(row, 0, f"internal:{_quoted(name)}!A1", fmts.link, string=name)
        description = "Nederland" if region.kind == "nederland" else region.naam
        if not region.published:
            description += f" — {texts.NIET_GEPUBLICEERD_KOP.lower()}"
        ws.write(row, 1, description, fmts.paragraph)
        row += 1
    ws.write_url(row, 0, f"internal:{_quoted(DATA_SHEET)}!A1", fmts.link, string=DATA_SHEET)
    ws.write(row, 1, "Alle cijfers in lange vorm, zoals in beschut_werk.csv", fmts.paragraph)
    row += 2

    ws.write(row, 0, "Codes in het tabblad Data", fmts.caption)
    row += 1
    for column, explanation in texts.DATA_KOLOMMEN:
        ws.write(row, 0, column, fmts.term)
        ws.write(row, 1, explanation, fmts.paragraph)
        row += 1
    codes: dict[str, list[str]] = {}
    for spec in texts.TABELLEN:
        codes.setdefault(spec.tabel, []).append(f"tabel: {spec.titel}")
    for spec in texts.TABELLEN:
        for rij, label in spec.rijen:
            if f"rij: {label}" not in codes.setdefault(rij, []):
                codes[rij].append(f"rij: {label}")
    for kolom, label in texts.ADVIES_KOLOMMEN + texts.WERK_KOLOMMEN:
        codes.setdefault(kolom, []).append(f"kolom: {dates.fill(label)}")
    for code, meanings in codes.items():
        explanation = "; ".join(meanings)
        ws.write(row, 0, code, fmts.data_text)
        ws.write(row, 1, explanation, fmts.paragraph)
        row += 1
    row += 1

    ws.write(row, 0, "Over dit bestand", fmts.caption)
    row += 1
    about = [
        ("Kwartaal", f"{dates.quarter} ({dates.quarter.label_nl})"),
        ("Peildatum", dates.placeholders()["peildatum"]),
        ("Status", "voorlopig" if voorlopig else "definitief"),
    ]
    visible_meta = {k: v for k, v in (meta or {}).items() if k not in XLSX_META_EXCLUDED}
    about.extend(meta_items(visible_meta))
    for label, value in about:
        ws.write(row, 0, label, fmts.term)
        ws.write(row, 1, value, fmts.paragraph)
        row += 1
    _page_setup(ws, row, 1, voorlopig)


def _write_data(
    wb: xlsxwriter.Workbook,
    table: pd.DataFrame,
    voorlopig: bool,
    fmts: _Formats,
    voorlopig_text: str,
) -> None:
    ws = wb.add_worksheet(DATA_SHEET)
    columns = [c for c, _ in texts.DATA_KOLOMMEN]
    widths = (11, 34, 32, 20, 32, 12)
    for col, (name, width) in enumerate(zip(columns, widths, strict=True)):
        ws.set_column(col, col, width)
        ws.write(0, col, name, fmts.data_header)
    rows = table.loc[:, columns].itertuples(index=False, name=None)
    n = 0
    for n, values in enumerate(rows, start=1):
        for col, value in enumerate(values[:-1]):
            ws.write_string(n, col, str(value), fmts.data_text)
        waarde = float(values[-1])
        if waarde.is_integer():
            ws.write_number(n, 5, int(waarde), fmts.data_int)
        else:
            ws.write_number(n, 5, waarde, fmts.data_decimal)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
    ws.repeat_rows(0)
    _page_setup(ws, max(n, 1), len(columns) - 1, voorlopig, landscape=True)
    if voorlopig:
        # Beside the table, so that the table itself stays machine-readable from A1.
        ws.set_column(7, 7, 60)
        ws.write(0, 7, texts.VOORLOPIG_KOP, fmts.banner_small)
        ws.write(1, 7, voorlopig_text, fmts.banner)
        ws.set_row(1, _text_height(voorlopig_text, 60))


def write_beschut_werk_xlsx(
    table: pd.DataFrame,
    path: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
) -> Path:
    """Write the workbook to ``path`` and return it. Every number comes from ``table``."""
    path = Path(path)
    regions = read_regions(table)
    dates = texts.BeschutWerkDates(quarter)
    voorlopig_text = f"{texts.VOORLOPIG_KOP} — {dates.fill(texts.VOORLOPIG_TEKST)}"
    footnote = dates.fill(texts.VOETNOOT_WERK_VOORLOPIG if voorlopig else texts.VOETNOOT_WERK)
    sheets = [(sheet_name(r.code, r.naam), r) for r in regions]
    seen: set[str] = {TOELICHTING_SHEET.lower(), DATA_SHEET.lower()}
    for name, _ in sheets:
        if name.lower() in seen:
            raise ValueError(f"beschut werk: tabbladnaam {name!r} komt twee keer voor")
        seen.add(name.lower())

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    try:
        wb.set_properties(
            {
                "title": f"{texts.TITEL} — {quarter.label_nl}"
                + (" (voorlopig)" if voorlopig else ""),
                "subject": f"{texts.TITEL}, peildatum {dates.placeholders()['peildatum']}",
                "author": "regiorapportage",
                "status": "voorlopig" if voorlopig else "definitief",
                # Fixed, derived from the quarter: two runs give byte-identical files.
                "created": datetime.combine(quarter.peildatum, time(0, 0)),
            }
        )
        fmts = _Formats(wb)
        _write_toelichting(wb, dates, voorlopig, fmts, voorlopig_text, footnote, sheets, meta)
        for name, region in sheets:
            _write_region_sheet(wb, name, region, dates, voorlopig, fmts, voorlopig_text, footnote)
        _write_data(wb, table, voorlopig, fmts, voorlopig_text)
    finally:
        wb.close()
    return path
