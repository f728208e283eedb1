"""The Excel workbooks of a run: one per publication, ``<publicatie>.xlsx`` — the one
workbook writer of every publication.

Each workbook has the sheets ``Toelichting`` (texts, definitions, list of sheets, the codes
of the Data sheet), one sheet for Nederland and one per region with the publication's
tables, and ``Data`` with the long table itself; a further output in the workbook (a time
series) gets its own data sheet and, through the publication's view, a block on each region
sheet. Numbers stay numbers with Excel number formats; banen are whole jobs (rounded half
up) on the region sheets and have two decimals in the Data sheets (BA-5). A value that could
not be computed is "–" on the region sheets and an empty cell in the Data sheets.

The layout is driven by the publication's vocabulary (labels, kinds, turned tables) and its
view (``views.View``: texts, widths, captions, what follows the tables).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from regiorapportage.publications.base import AANDEEL, BANEN, JAARTAL, PERCENTAGE, TOTAAL, Publication, TableSpec
from regiorapportage.render.formatting import STREEPJE
from regiorapportage.render import regions
from regiorapportage.render.common_texts import VOORLOPIG_KOP, voorlopig_tekst
from regiorapportage.render.formatting import format_date
from regiorapportage.render.job import RenderJob
from regiorapportage.render.model import RegionValues
from regiorapportage.render.templating import meta_items
from regiorapportage.render.views import Data
from regiorapportage.render.xlsx_common import (
    DATA_SHEET,
    TOELICHTING_SHEET,
    XLSX_META_EXCLUDED,
    Formats,
    check_unique_sheet_names,
    page_setup,
    sheet_name,
    whole_jobs,
    workbook,
    write_banner,
    write_data_sheet,
    write_definitions,
    write_paragraph,
    write_sheet_index,
)

COLUMNS = 5  # A = labels, B..E = numbers


class Book:
    """One publication's workbook being written; the view's hooks get it to write with."""

    def __init__(self, wb: xlsxwriter.Workbook, pub: Publication, data: Data, meta: dict) -> None:
        self.wb, self.pub, self.view, self.data = wb, pub, pub.view, data
        self.dates = data.dates
        self.voorlopig = data.voorlopig
        self.meta = meta
        self.fmts = Formats(wb)
        self.voorlopig_text = f"{VOORLOPIG_KOP} — {voorlopig_tekst(data.dates, data.quarter)}"
        self.text_width = self.view.label_width + self.view.number_width * (COLUMNS - 1)

    # --- region sheets ---------------------------------------------------------------------

    def value(self, ws, row: int, col: int, value, kind: str, style: str = "") -> None:
        f = self.fmts
        if value is None:
            fmt = {"total": f.total_empty, "highlight": f.highlight_empty}.get(style, f.empty)
            ws.write_string(row, col, STREEPJE, fmt)
            return
        if kind in (JAARTAL, AANDEEL):  # a year, a share (0,2780): as delivered, no separators
            ws.write_number(row, col, int(value) if kind == JAARTAL else float(value))
            return
        if kind == PERCENTAGE:
            fmt = f.total_percentage if style == "total" else f.percentage
        else:
            fmt = {"total": f.total_number, "highlight": f.highlight_number,
                   "muted": f.muted_number}.get(style, f.number)
        ws.write_number(row, col, whole_jobs(value) if kind == BANEN else value, fmt)

    def caption(self, ws, row: int, text: str) -> int:
        ws.write(row, 0, text, self.fmts.caption)
        ws.set_row(row, 20)
        return row + 1

    def notes(self, ws, row: int, notes: list[str]) -> int:
        for note in notes:
            row = write_paragraph(ws, row, COLUMNS - 1, self.fmts.small, note, self.text_width * 1.2, 12.0)
        return row

    def table(self, ws, row: int, region: RegionValues, spec: TableSpec) -> int:
        """A table of the vocabulary: headings and rows, or one line per column when turned;
        then why cells are empty and the table's notes."""
        d, f = self.dates.fill, self.fmts
        row = self.caption(ws, row, self.view.caption(spec, self.dates))
        empty: list[str] = []
        if spec.turned:
            ((rij, _),) = spec.rows
            for column in spec.columns:
                value = region.value(spec.tabel, rij, column.code)
                if value is None:
                    empty.append(column.code)
                ws.write(row, 0, d(column.label), f.label_wrap)
                self.value(ws, row, 1, value, column.kind)
                row += 1
        else:
            ws.write(row, 0, self.view.corner(spec, self.dates), f.header_left)
            for col, column in enumerate(spec.columns, start=1):
                ws.write(row, col, d(column.label), f.header_right)
            ws.set_row(row, 32)
            row += 1
            for rij, label in spec.rows:
                style = "total" if rij == TOTAAL else ""
                ws.write(row, 0, d(label), f.total_label if style else f.label)
                for col, column in enumerate(spec.columns, start=1):
                    value = region.value(spec.tabel, rij, column.code)
                    if value is None and column.code not in empty:
                        empty.append(column.code)
                    self.value(ws, row, col, value, column.kind, style)
                row += 1
        return self.notes(ws, row, self.view.table_notes(spec, empty)) + 1

    def region_sheet(self, name: str, region: RegionValues) -> None:
        view = self.view
        ws = self.wb.add_worksheet(name)
        ws.hide_gridlines(2)
        last_col = COLUMNS - 1
        ws.set_column(0, 0, view.label_width)
        ws.set_column(1, last_col, view.number_width)
        ws.write(0, 0, f"{self.pub.titel} {region.naam}", self.fmts.title)
        ws.set_row(0, 21)
        ws.write(1, 0, view.sheet_subtitle(self.dates), self.fmts.subtitle)
        row = 3
        if self.voorlopig:
            row = write_banner(ws, row, last_col, self.fmts, self.voorlopig_text, self.text_width) + 1
        note = view.region_note(region.code, self.data.quarter.peildatum.year)
        if note:
            if not region.published:
                note = f"{regions.NIET_GEPUBLICEERD_KOP} ({region.code}). {note}"
            row = write_paragraph(ws, row, last_col, self.fmts.note, note, self.text_width) + 1
        for spec in self.pub.main.tables:
            row = view.write_table(self, ws, row, region, spec)
        row = view.sheet_closing(self, ws, row, name, region.code)
        row = write_paragraph(
            ws, row, last_col, self.fmts.small,
            "Zie het tabblad Toelichting voor de toelichting, bron en definities.",
            self.text_width * 1.2, line_points=12.0,
        )
        page_setup(ws, row - 1, last_col, self.voorlopig, self.pub.titel)

    # --- Toelichting -----------------------------------------------------------------------

    def toelichting(self, sheets: list[tuple[str, RegionValues]], data_sheets: list[tuple[str, str]]) -> None:
        d, f, view = self.dates.fill, self.fmts, self.view
        ws = self.wb.add_worksheet(TOELICHTING_SHEET)
        ws.hide_gridlines(2)
        term_width, text_width = view.term_width, 90
        ws.set_column(0, 0, term_width)
        ws.set_column(1, 1, text_width)
        width = term_width + text_width
        ws.write(0, 0, f"{self.pub.titel} — Toelichting", f.title)
        ws.set_row(0, 21)
        ws.write(1, 0, view.sheet_subtitle(self.dates), f.subtitle)
        row = 3
        if self.voorlopig:
            row = write_banner(ws, row, 1, f, self.voorlopig_text, width) + 1

        ws.write(row, 0, "Over deze rapportage", f.caption)
        row += 1
        for paragraph in view.workbook_paragraphs(self.data):
            row = write_paragraph(ws, row, 1, f.paragraph, paragraph, width)
        row += 1

        row = write_definitions(ws, row, f, view.bron_titel, view.workbook_definitions(self.data), d, text_width)
        row = write_sheet_index(ws, row, f, sheets, data_sheets, regions.NIET_GEPUBLICEERD_KOP)
        row += 1

        ws.write(row, 0, "Codes in het tabblad Data", f.caption)
        row += 1
        for column, explanation in view.data_columns():
            ws.write(row, 0, column, f.term)
            ws.write(row, 1, explanation, f.paragraph)
            row += 1
        for code, meanings in self._codes().items():
            ws.write(row, 0, code, f.data_text)
            ws.write(row, 1, "; ".join(meanings), f.paragraph)
            row += 1
        row += 1

        ws.write(row, 0, "Over dit bestand", f.caption)
        row += 1
        quarter = self.data.quarter
        about = [
            ("Kwartaal", f"{quarter} ({quarter.label_nl})"),
            ("Peildatum", d("{peildatum}")),
            ("Status", "voorlopig" if self.voorlopig else "definitief"),
        ]
        visible = {k: v for k, v in self.meta.items() if k not in XLSX_META_EXCLUDED}
        about.extend(meta_items(visible, view.meta_labels))
        for label, value in about:
            ws.write(row, 0, label, f.term)
            ws.write(row, 1, value, f.paragraph)
            row += 1
        page_setup(ws, row, 1, self.voorlopig, self.pub.titel)

    def _codes(self) -> dict[str, list[str]]:
        """What each code of the Data sheet means: its table, row and column labels."""
        d = self.dates.fill
        tables = self.pub.main.tables
        codes: dict[str, list[str]] = {}
        for spec in tables:
            codes.setdefault(spec.tabel, []).append(f"tabel: {d(spec.titel)}")
        for spec in tables:
            for rij, label in spec.rows:
                meaning = f"rij: {d(label)}"
                if meaning not in codes.setdefault(rij, []):
                    codes[rij].append(meaning)
        for spec in tables:
            for column in spec.columns:
                meaning = f"kolom: {d(column.label)}"
                if meaning not in codes.setdefault(column.code, []):
                    codes[column.code].append(meaning)
        return codes


def write_workbook(job: RenderJob, pub: Publication, path: Path) -> Path:
    """One publication as a workbook at ``path``. Every number comes from the job's long
    tables of the publication's outputs."""
    path = Path(path)
    data = job.data[pub.key]
    view = pub.view
    wanted = view.workbook_outputs
    extra = [o for o in pub.outputs[1:] if o.key in job.frames and (wanted is None or o.key in wanted)]
    sheets = [(sheet_name(r.code, r.naam), r) for r in data.main.values()]
    extra_sheets = [view.data_sheet(o) for o in extra]
    check_unique_sheet_names([name for name, _ in sheets] + [name for name, _ in view.reserved_sheets()], pub.key)
    data_sheets = [(DATA_SHEET, f"Alle cijfers in lange vorm, zoals in {pub.main.csv}"), *extra_sheets]
    subject = f"{pub.titel}, peildatum {format_date(job.quarter.peildatum)}"
    with workbook(path, job.quarter, job.voorlopig, pub.titel, subject) as wb:
        book = Book(wb, pub, data, job.workbook_meta(pub))
        book.toelichting(sheets, data_sheets)
        for name, region in sheets:
            book.region_sheet(name, region)
        write_data_sheet(wb, DATA_SHEET, job.frames[pub.main.key], job.voorlopig, book.fmts, book.voorlopig_text,
                         pub.titel)
        for output, (name, _) in zip(extra, extra_sheets, strict=True):
            write_data_sheet(wb, name, job.frames[output.key], job.voorlopig, book.fmts, book.voorlopig_text,
                             pub.titel)
    return path


def write_xlsx(job: RenderJob, out_dir: Path) -> list[Path]:
    """Write one workbook per publication of the job to ``out_dir``: ``<publicatie>.xlsx``,
    in registry order."""
    out_dir = Path(out_dir)
    return [write_workbook(job, pub, out_dir / f"{pub.key}.xlsx") for pub in job.publications if pub.key in job.data]
