"""The Excel workbooks of a run: ``beschut_werk.xlsx`` (beschut_werk_xlsx.py) and one
workbook per banenafspraak publication: ``banenafspraak_trend.xlsx``, ``factsheet.xlsx``,
``klantprofielen.xlsx``.

Each banenafspraak workbook has the sheets ``Toelichting`` (texts, definitions, list of
sheets, the codes of the Data sheet), one sheet for Nederland and one per region with the
publication's tables, and ``Data`` with the long table itself; the trend workbook also has
the time series per region (with a line chart) and ``Data reeks``. Numbers stay numbers with
Excel number formats; banen are whole jobs (rounded half up) on the region sheets and have
two decimals in the Data sheets (BA-5). A value that could not be computed is "–" on the
region sheets and an empty cell in the Data sheets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from regiorapportage.quarter import Quarter
from regiorapportage.render import banenafspraak_texts as texts
from regiorapportage.render import regions
from regiorapportage.render.banenafspraak_html import NULMETING_KWARTAAL, empty_notes
from regiorapportage.render.beschut_werk_xlsx import write_beschut_werk_xlsx
from regiorapportage.render.charts import quarter_short
from regiorapportage.render.common_texts import VOORLOPIG_KOP, VOORLOPIG_TEKST
from regiorapportage.render.formatting import format_date
from regiorapportage.render.publication_model import (
    BANEN,
    PERCENTAGE,
    REEKS_COLUMNS,
    PublicationSpec,
    RegionSeries,
    RegionValues,
    TableSpec,
    read_publication,
    read_series,
)
from regiorapportage.render.keys import BESCHUT_WERK, REEKS
from regiorapportage.render.site import META_IN_TEXTS
from regiorapportage.render.templating import meta_items
from regiorapportage.render.xlsx_common import (
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
    whole_jobs,
    workbook,
    write_banner,
    write_data_sheet,
    write_paragraph,
)

DATA_REEKS_SHEET = "Data reeks"

_LABEL_WIDTH = 44
_NUMBER_WIDTH = 18
_COLUMNS = 5  # A = labels, B..E = numbers
_TEXT_WIDTH = _LABEL_WIDTH + _NUMBER_WIDTH * (_COLUMNS - 1)

_TOELICHTING = {
    texts.TREND.key: texts.TREND_TOELICHTING,
    texts.FACTSHEET.key: texts.FACTSHEET_TOELICHTING,
    texts.KLANTPROFIELEN.key: texts.KLANTPROFIELEN_TOELICHTING,
}
_DEFINITIES = {
    texts.TREND.key: texts.TREND_DEFINITIES,
    texts.FACTSHEET.key: texts.STROMEN_DEFINITIES,
    texts.KLANTPROFIELEN.key: texts.KLANTPROFIELEN_DEFINITIES,
}


class _Book:
    """One banenafspraak workbook being written."""

    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        spec: PublicationSpec,
        dates: texts.BanenafspraakDates,
        voorlopig: bool,
    ) -> None:
        self.wb, self.spec, self.dates, self.voorlopig = wb, spec, dates, voorlopig
        self.fmts = Formats(wb)
        self.voorlopig_text = f"{VOORLOPIG_KOP} — {dates.fill(VOORLOPIG_TEKST)}"

    # --- region sheets ---------------------------------------------------------------------

    def _value(self, ws, row: int, col: int, value, kind: str, style: str = "") -> None:
        f = self.fmts
        if value is None:
            fmt = {"total": f.total_empty, "highlight": f.highlight_empty}.get(style, f.empty)
            ws.write_string(row, col, texts.STREEPJE, fmt)
            return
        if kind == PERCENTAGE:
            fmt = f.total_percentage if style == "total" else f.percentage
        else:
            fmt = {"total": f.total_number, "highlight": f.highlight_number,
                   "muted": f.muted_number}.get(style, f.number)
        ws.write_number(row, col, whole_jobs(value) if kind == BANEN else value, fmt)

    def _caption(self, ws, row: int, text: str) -> int:
        ws.write(row, 0, text, self.fmts.caption)
        ws.set_row(row, 20)
        return row + 1

    def _notes(self, ws, row: int, notes: list[str]) -> int:
        for note in notes:
            row = write_paragraph(ws, row, _COLUMNS - 1, self.fmts.small, note, _TEXT_WIDTH * 1.2, 12.0)
        return row

    def _table(self, ws, row: int, region: RegionValues, spec: TableSpec) -> int:
        d, f = self.dates.fill, self.fmts
        row = self._caption(ws, row, d(spec.titel))
        empty: list[str] = []
        if spec.tabel in texts.TURNED_TABLES:
            (rij, _), = spec.rows
            for column in spec.columns:
                value = region.value(spec.tabel, rij, column.code)
                if value is None:
                    empty.append(column.code)
                ws.write(row, 0, d(column.label), f.label_wrap)
                self._value(ws, row, 1, value, column.kind)
                row += 1
        else:
            ws.write(row, 0, "", f.header_left)
            for col, column in enumerate(spec.columns, start=1):
                ws.write(row, col, d(column.label), f.header_right)
            ws.set_row(row, 32)
            row += 1
            for rij, label in spec.rows:
                style = "total" if rij == "totaal" else ""
                ws.write(row, 0, d(label), f.total_label if style else f.label)
                for col, column in enumerate(spec.columns, start=1):
                    value = region.value(spec.tabel, rij, column.code)
                    if value is None and column.code not in empty:
                        empty.append(column.code)
                    self._value(ws, row, col, value, column.kind, style)
                row += 1
        notes = empty_notes(empty)
        if spec.tabel in texts.TABEL_NOTEN:
            notes.append(texts.TABEL_NOTEN[spec.tabel])
        return self._notes(ws, row, notes) + 1

    def _stromen(self, ws, row: int, region: RegionValues) -> int:
        """FS-3: the flows in the order of the balance, then those outside it."""
        d, f = self.dates.fill, self.fmts
        spec = self.spec.table("stromen")
        labels = dict(spec.rows)
        row = self._caption(ws, row, d(spec.titel))
        for rij, sign in texts.STROMEN_BALANS:
            total = sign == texts.IS
            label = d(labels[rij])
            ws.write(row, 0, f"{sign} {label}" if sign else label, f.total_label if total else f.label)
            self._value(ws, row, 1, region.value("stromen", rij, "personen"), "aantal",
                        "total" if total else "")
            row += 1
        ws.write(row, 0, texts.STROMEN_BUITEN_BALANS_KOP, f.caption)
        row += 1
        for rij in texts.STROMEN_BUITEN_BALANS:
            ws.write(row, 0, d(labels[rij]), f.muted_label)
            self._value(ws, row, 1, region.value("stromen", rij, "personen"), "aantal", "muted")
            row += 1
        return row + 1

    def _series(self, ws, row: int, name: str, series: RegionSeries, quarter: Quarter) -> int:
        """TR-6: the quarters since the nulmeting, the compared quarters marked, and a chart."""
        d, f = self.dates.fill, self.fmts
        quarters = [q for q in series.quarters if NULMETING_KWARTAAL <= q <= quarter]
        if not quarters:
            return row
        marked = {quarter, self.dates.jaar_eerder}
        row = self._caption(ws, row, "Ontwikkeling per kwartaal (de vergeleken kwartalen gemarkeerd)")
        ws.write(row, 0, "Kwartaal (peildatum)", f.header_left)
        for col, column in enumerate(REEKS_COLUMNS, start=1):
            ws.write(row, col, column.label, f.header_right)
        ws.set_row(row, 32)
        row += 1
        first = row
        any_empty = False
        for q in quarters:
            style = "highlight" if q in marked else ""
            label = f"{quarter_short(q)} ({format_date(q.peildatum, short_month=True)})"
            ws.write(row, 0, label, f.highlight_label if style else f.label)
            for col, column in enumerate(REEKS_COLUMNS, start=1):
                value = series.value(q, column.code)
                any_empty = any_empty or value is None
                self._value(ws, row, col, value, column.kind, style)
            row += 1
        last = row - 1
        if any_empty:
            row = self._notes(ws, row, [f"{texts.STREEPJE} {texts.LEEG_NULMETING}"])
        row = self._notes(ws, row, [texts.GRAFIEK_VERGELIJKING_NOOT]) + 1

        chart = self.wb.add_chart({"type": "line"})
        ref = quoted(name)
        for col, color, dash in ((3, "#123F6D", "solid"), (2, "#C2570C", "dash")):
            chart.add_series(
                {
                    "name": [name, first - 1, col],
                    "categories": f"={ref}!$A${first + 1}:$A${last + 1}",
                    "values": [name, first, col, last, col],
                    "line": {"color": color, "width": 2.25, "dash_type": dash},
                }
            )
        chart.set_title({"name": d(texts.GRAFIEK_TITEL.replace("{nulmeting_kwartaal}",
                                                            quarters[0].label_nl.lower())),
                         "name_font": {"size": 11}})
        chart.set_y_axis({"name": "Aantal", "num_format": "#,##0", "min": 0,
                          "major_gridlines": {"visible": True, "line": {"color": "#DDE3EA"}}})
        # One label a year (the quarters of the series start in Q4 of 2012).
        chart.set_x_axis({"name": "Kwartaal (peildatum)", "interval_unit": 4, "interval_tick": 1,
                          "num_font": {"rotation": -45}})
        chart.set_legend({"position": "top"})
        chart.set_size({"width": 760, "height": 340})
        ws.insert_chart(row, 0, chart)
        return row + 18

    def region_sheet(
        self, name: str, region: RegionValues, series: RegionSeries | None, quarter: Quarter
    ) -> None:
        ws = self.wb.add_worksheet(name)
        ws.hide_gridlines(2)
        last_col = _COLUMNS - 1
        ws.set_column(0, 0, _LABEL_WIDTH)
        ws.set_column(1, last_col, _NUMBER_WIDTH)
        ws.write(0, 0, f"{self.spec.titel} {region.naam}", self.fmts.title)
        ws.set_row(0, 21)
        ws.write(1, 0, self.dates.fill("{kwartaal} · peildatum {peildatum}"), self.fmts.subtitle)
        row = 3
        if self.voorlopig:
            row = write_banner(ws, row, last_col, self.fmts, self.voorlopig_text, _TEXT_WIDTH) + 1
        note = regions.region_note(region.code, quarter.peildatum.year)
        if note:
            if not region.published:
                note = f"{regions.NIET_GEPUBLICEERD_KOP} ({region.code}). {note}"
            row = write_paragraph(ws, row, last_col, self.fmts.note, note, _TEXT_WIDTH) + 1
        for spec in self.spec.tables:
            if spec.tabel == "stromen":
                row = self._stromen(ws, row, region)
            else:
                row = self._table(ws, row, region, spec)
        if series is not None:
            row = self._series(ws, row, name, series, quarter)
        row = write_paragraph(
            ws, row, last_col, self.fmts.small,
            "Zie het tabblad Toelichting voor de toelichting, bron en definities.",
            _TEXT_WIDTH * 1.2, line_points=12.0,
        )
        page_setup(ws, row - 1, last_col, self.voorlopig, self.spec.titel)

    # --- Toelichting -----------------------------------------------------------------------

    def toelichting(self, sheets: list[tuple[str, RegionValues]], data_sheets: list[tuple[str, str]],
                    meta: dict | None) -> None:
        d, f = self.dates.fill, self.fmts
        ws = self.wb.add_worksheet(TOELICHTING_SHEET)
        ws.hide_gridlines(2)
        term_width, text_width = 30, 90
        ws.set_column(0, 0, term_width)
        ws.set_column(1, 1, text_width)
        width = term_width + text_width
        ws.write(0, 0, f"{self.spec.titel} — Toelichting", f.title)
        ws.set_row(0, 21)
        ws.write(1, 0, d("{kwartaal} · peildatum {peildatum}"), f.subtitle)
        row = 3
        if self.voorlopig:
            row = write_banner(ws, row, 1, f, self.voorlopig_text, width) + 1

        ws.write(row, 0, "Over deze rapportage", f.caption)
        row += 1
        for paragraph in _TOELICHTING[self.spec.key]:
            row = write_paragraph(ws, row, 1, f.paragraph, d(paragraph), width)
        row += 1

        row = write_definitions(
            ws, row, f, texts.BRON_EN_DEFINITIES_TITEL,
            (*_DEFINITIES[self.spec.key], *texts.BANENAFSPRAAK_DEFINITIES), d, text_width,
        )
        row = write_sheet_index(ws, row, f, sheets, data_sheets, regions.NIET_GEPUBLICEERD_KOP)
        row += 1

        ws.write(row, 0, "Codes in het tabblad Data", f.caption)
        row += 1
        for column, explanation in texts.DATA_KOLOMMEN:
            ws.write(row, 0, column, f.term)
            ws.write(row, 1, explanation, f.paragraph)
            row += 1
        codes: dict[str, list[str]] = {}
        for spec in self.spec.tables:
            codes.setdefault(spec.tabel, []).append(f"tabel: {d(spec.titel)}")
        for spec in self.spec.tables:
            for rij, label in spec.rows:
                meaning = f"rij: {d(label)}"
                if meaning not in codes.setdefault(rij, []):
                    codes[rij].append(meaning)
        for spec in self.spec.tables:
            for column in spec.columns:
                meaning = f"kolom: {d(column.label)}"
                if meaning not in codes.setdefault(column.code, []):
                    codes[column.code].append(meaning)
        for code, meanings in codes.items():
            ws.write(row, 0, code, f.data_text)
            ws.write(row, 1, "; ".join(meanings), f.paragraph)
            row += 1
        row += 1

        ws.write(row, 0, "Over dit bestand", f.caption)
        row += 1
        about = [
            ("Kwartaal", f"{self.dates.quarter} ({self.dates.quarter.label_nl})"),
            ("Peildatum", d("{peildatum}")),
            ("Status", "voorlopig" if self.voorlopig else "definitief"),
        ]
        visible = {k: v for k, v in (meta or {}).items() if k not in XLSX_META_EXCLUDED}
        about.extend(meta_items(visible))
        for label, value in about:
            ws.write(row, 0, label, f.term)
            ws.write(row, 1, value, f.paragraph)
            row += 1
        page_setup(ws, row, 1, self.voorlopig, self.spec.titel)


def write_banenafspraak_xlsx(
    spec: PublicationSpec,
    table: pd.DataFrame,
    path: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
    reeks: pd.DataFrame | None = None,
) -> Path:
    """One banenafspraak publication (``spec``: trend, factsheet or klantprofielen) as a
    workbook at ``path``. Every number comes from ``table`` (and ``reeks`` for the trend)."""
    path = Path(path)
    found = read_publication(table, spec)
    series = read_series(reeks) if reeks is not None else {}
    dates = texts.dates_for(quarter, meta)
    sheets = [(sheet_name(r.code, r.naam), r) for r in found.values()]
    check_unique_sheet_names([name for name, _ in sheets] + [DATA_REEKS_SHEET], spec.key)
    data_sheets = [(DATA_SHEET, f"Alle cijfers in lange vorm, zoals in {spec.key}.csv")]
    if reeks is not None:
        data_sheets.append(
            (DATA_REEKS_SHEET, "De cijfers per kwartaal sinds de nulmeting in lange vorm")
        )
    subject = f"{spec.titel}, peildatum {format_date(quarter.peildatum)}"
    with workbook(path, quarter, voorlopig, spec.titel, subject) as wb:
        book = _Book(wb, spec, dates, voorlopig)
        book.toelichting(sheets, data_sheets, meta)
        for name, region in sheets:
            book.region_sheet(name, region, series.get(region.code), quarter)
        write_data_sheet(wb, DATA_SHEET, table, voorlopig, book.fmts, book.voorlopig_text, spec.titel)
        if reeks is not None:
            write_data_sheet(
                wb, DATA_REEKS_SHEET, reeks, voorlopig, book.fmts, book.voorlopig_text, spec.titel
            )
    return path


def write_xlsx(
    frames: dict[str, pd.DataFrame],
    out_dir: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
) -> list[Path]:
    """Write one workbook per publication present in ``frames`` to ``out_dir``:
    ``beschut_werk.xlsx``, ``banenafspraak_trend.xlsx`` (with the time series of
    ``banenafspraak_reeks`` when present), ``factsheet.xlsx``, ``klantprofielen.xlsx``."""
    out_dir = Path(out_dir)
    written = []
    if BESCHUT_WERK in frames:
        bw_meta = {k: v for k, v in (meta or {}).items() if k not in META_IN_TEXTS}
        written.append(
            write_beschut_werk_xlsx(
                frames[BESCHUT_WERK], out_dir / f"{BESCHUT_WERK}.xlsx", quarter, voorlopig, bw_meta
            )
        )
    for spec in (texts.TREND, texts.FACTSHEET, texts.KLANTPROFIELEN):
        if spec.key not in frames:
            continue
        reeks = frames.get(REEKS) if spec is texts.TREND else None
        written.append(
            write_banenafspraak_xlsx(
                spec, frames[spec.key], out_dir / f"{spec.key}.xlsx", quarter, voorlopig, meta, reeks
            )
        )
    return written
