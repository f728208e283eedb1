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

from pathlib import Path

import pandas as pd
import xlsxwriter

from regiorapportage.quarter import Quarter
from regiorapportage.render import beschut_werk_texts as texts
from regiorapportage.render.beschut_werk_model import RegionReport, read_regions
from regiorapportage.render.templating import meta_items
from regiorapportage.render.xlsx_common import (  # noqa: F401  (sheet_name: public here too)
    write_definitions,
    write_sheet_index,
    DATA_SHEET,
    TOELICHTING_SHEET,
    XLSX_META_EXCLUDED,
    Formats,
    check_unique_sheet_names,
    page_setup,
    quoted,
    sheet_name,
    text_height,
    workbook,
    write_banner,
    write_data_sheet,
    write_paragraph,
)

# Column widths of a region sheet (A = labels, B..E = numbers), in Excel character units.
_LABEL_WIDTH = 30
_NUMBER_WIDTH = 17
_REGION_COLUMNS = 5
_TEXT_WIDTH = _LABEL_WIDTH + _NUMBER_WIDTH * (_REGION_COLUMNS - 1)


def _page_setup(ws, last_row: int, last_col: int, voorlopig: bool, landscape: bool = False) -> None:
    page_setup(ws, last_row, last_col, voorlopig, texts.TITEL, landscape)


def _write_region_sheet(
    wb: xlsxwriter.Workbook,
    name: str,
    region: RegionReport,
    dates: texts.BeschutWerkDates,
    voorlopig: bool,
    fmts: Formats,
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
        row = write_banner(ws, row, last_col, fmts, voorlopig_text, _TEXT_WIDTH) + 1
    note = texts.region_note(region.code, dates.quarter.peildatum.year)
    if note:
        if not region.published:
            note = f"{texts.NIET_GEPUBLICEERD_KOP} ({region.code}). {note}"
        row = write_paragraph(ws, row, last_col, fmts.note, note, _TEXT_WIDTH) + 1

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
    row = write_paragraph(
        ws, row, last_col, fmts.small, f"{texts.VOETNOOT_TEKEN} {footnote}",
        _TEXT_WIDTH * 1.2, line_points=12.0,
    )
    row = write_paragraph(
        ws, row, last_col, fmts.small,
        "Zie het tabblad Toelichting voor de toelichting, bron en definities.",
        _TEXT_WIDTH * 1.2, line_points=12.0,
    )
    _page_setup(ws, row - 1, last_col, voorlopig)


def _write_toelichting(
    wb: xlsxwriter.Workbook,
    dates: texts.BeschutWerkDates,
    voorlopig: bool,
    fmts: Formats,
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
        row = write_banner(ws, row, 1, fmts, voorlopig_text, width) + 1

    ws.write(row, 0, "Over deze rapportage", fmts.caption)
    row += 1
    for paragraph in texts.TOELICHTING:
        row = write_paragraph(ws, row, 1, fmts.paragraph, dates.fill(paragraph), width)
    row = write_paragraph(
        ws, row, 1, fmts.paragraph, f"{texts.VOETNOOT_TEKEN} {footnote}", width
    )
    row += 1

    row = write_definitions(
        ws, row, fmts, texts.BRON_EN_DEFINITIES_TITEL, texts.BRON_EN_DEFINITIES, dates.fill, text_width
    )
    row = write_sheet_index(
        ws, row, fmts, sheets, [(DATA_SHEET, "Alle cijfers in lange vorm, zoals in beschut_werk.csv")],
        texts.NIET_GEPUBLICEERD_KOP,
    )
    row += 1

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
    check_unique_sheet_names([name for name, _ in sheets], "beschut werk")
    subject = f"{texts.TITEL}, peildatum {dates.placeholders()['peildatum']}"
    with workbook(path, quarter, voorlopig, texts.TITEL, subject) as wb:
        fmts = Formats(wb)
        _write_toelichting(wb, dates, voorlopig, fmts, voorlopig_text, footnote, sheets, meta)
        for name, region in sheets:
            _write_region_sheet(wb, name, region, dates, voorlopig, fmts, voorlopig_text, footnote)
        write_data_sheet(wb, DATA_SHEET, table, voorlopig, fmts, voorlopig_text, texts.TITEL)
    return path
