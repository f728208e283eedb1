"""What a publication shows, and how — the interface between a publication and the shared
page generator (``site.py``), PDF builder (``pdf.py``) and workbook writer (``workbooks.py``).

Every publication's ``view`` is a :class:`View`. Its defaults render every table of the
publication's vocabulary (labels, kinds, empty cells) in the HTML page, the PDF and the
workbook, so a publication with nothing to add needs no view code of its own; a publication
overrides what it shows differently (a chart, a flow diagram, a combined cell, a footnote).

Nothing here names a publication. Every number is looked up in the long tables
(``model.py``); views format, they never compute (DESIGN: Render).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from regiorapportage.publications.base import AANDEEL, BANEN, JAARTAL, PERCENTAGE, TOTAAL, Publication, TableSpec
from regiorapportage.render.formatting import STREEPJE
from regiorapportage.quarter import Quarter
from regiorapportage.render import pdf_blocks as b
from regiorapportage.render import regions
from regiorapportage.render.charts import Comparison
from regiorapportage.render.common_texts import DATA_SLEUTELKOLOMMEN
from regiorapportage.render.formatting import format_date, format_number, format_percentage
from regiorapportage.render.model import RegionValues, Value, read


def cell_text(value: Value, kind: str) -> str:
    """A value as shown in the reports: banen in whole jobs rounded half up (BA-5), counts
    with Dutch separators, whole percentages with "%", an empty value as "–"."""
    if value is None:
        return STREEPJE
    if kind == BANEN:
        return format_number(value, decimals=0)
    if kind == PERCENTAGE:
        return format_percentage(value)
    if kind == JAARTAL:
        return str(int(value))
    if kind == AANDEEL:  # a share as a percentage with one decimal: 0,278 → 27,8%
        return f"{format_number(value * 100, decimals=1)}%"
    return format_number(value)


@dataclass(frozen=True)
class Indicator:
    """A reported percentage per region: a map colouring, a column of the index table and
    a bar of the comparison with Nederland."""

    key: str  # html id part
    tabel: str
    rij: str
    kolom: str
    kort: str  # column heading / radio label
    titel: str  # map title and legend title
    regels: tuple[str, ...]  # label in the comparison chart (one or two lines)


@dataclass
class Sections:
    """The PDF blocks of one publication for one region: the numbers (tables and charts)
    and the texts (toelichting, definities); AM99 and ONB get only the numbers."""

    cijfers: list[dict]
    teksten: list[dict]


@dataclass(frozen=True)
class Dates:
    """The dates of a quarter as the texts use them (``{peildatum}``, …); a publication's
    view may add its own placeholders (``extra``)."""

    quarter: Quarter
    extra: dict[str, str] = field(default_factory=dict)

    def placeholders(self) -> dict[str, str]:
        q = self.quarter
        return {
            "kwartaal": q.label_nl,
            "kwartaal_klein": q.label_nl[:1].lower() + q.label_nl[1:],
            "peildatum": format_date(q.peildatum),
            "vorige_peildatum": format_date(q.previous.peildatum),
            "jaar_begin": format_date(date(q.year, 1, 1)),
            "jaar_indeling": str(q.peildatum.year),
            "betrouwbaar_vanaf": format_date(q.reliable_from),
            "streepje": STREEPJE,
            **self.extra,
        }

    def fill(self, template: str) -> str:
        return template.format_map(self.placeholders())


@dataclass
class Data:
    """One publication's long tables of a run, read: ``outputs`` maps each output key that is
    present to its regions (``RegionValues`` or, for a series, ``RegionSeries``)."""

    publication: Publication
    quarter: Quarter
    voorlopig: bool
    meta: dict
    dates: Any
    outputs: dict[str, dict]

    @property
    def main(self) -> dict[str, RegionValues]:
        return self.outputs.get(self.publication.main.key, {})

    def names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for regions_ in self.outputs.values():
            for code, item in regions_.items():
                names.setdefault(code, item.naam)
        return names


class View:
    """The default view: every table of the main output, turned when it has one row."""

    # --- texts ---------------------------------------------------------------------------
    onderdeel: str = ""  # one line on the site's start page: what the publication tells
    toelichting: tuple[str, ...] = ()
    definities: tuple[tuple[str, str], ...] = ()
    definities_kop: str = "Definities"
    bron_titel: str = "Bron en definities"  # heading of the definitions in the workbook
    # meta keys this publication's texts use (shown there and in its workbook, not in the
    # footers), with their labels
    meta_labels: tuple[tuple[str, str], ...] = ()

    @property
    def meta_in_texts(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.meta_labels)
    # the Data sheet's explanation of ``waarde``
    data_waarde: str = "Aantal; percentages als hele getallen; leeg = niet te berekenen"
    leeg_reden: dict[str, str] = {}  # why a column's cell is "–", by column
    leeg_algemeen: str = "Niet te berekenen."
    tabel_noten: dict[str, str] = {}  # notes always shown under a table
    # a package with a templates/ folder for its sections, reached as "<last name>/<file>"
    templates: str | None = None
    id_prefix: str | None = None  # of the ids of its tables on a page (default: sectie + "-")

    def __init__(self, publication: Publication | None = None) -> None:
        self.publication = publication

    # --- data ----------------------------------------------------------------------------

    def dates(self, quarter: Quarter, meta: dict):
        return Dates(quarter)

    def read(self, frames: dict[str, pd.DataFrame], quarter: Quarter, voorlopig: bool, meta: dict) -> Data | None:
        """The publication's outputs in ``frames``; None when its main output is absent."""
        pub = self.publication
        if pub.main.key not in frames:
            return None
        outputs = {o.key: read(frames[o.key], o) for o in pub.outputs if o.key in frames}
        return Data(pub, quarter, bool(voorlopig), dict(meta or {}), self.dates(quarter, meta), outputs)

    def region_note(self, code: str, jaar: int) -> str | None:
        return regions.region_note(code, jaar)

    def has_region(self, data: Data, code: str) -> bool:
        return code in data.main

    # --- tables --------------------------------------------------------------------------

    def cell_text(self, value: Value, kind: str) -> str:
        return cell_text(value, kind)

    def empty_notes(self, empty_columns: list[str]) -> list[str]:
        """Why cells of a table are "–" (by column), once each."""
        notes: list[str] = []
        for kolom in empty_columns:
            reason = self.leeg_reden.get(kolom)
            if reason and reason not in notes:
                notes.append(reason)
        if empty_columns and not notes:
            notes.append(self.leeg_algemeen)
        return [f"{STREEPJE} {note}" for note in notes]

    def table_notes(self, spec: TableSpec, empty: list[str]) -> list[str]:
        return self.empty_notes(empty) + ([self.tabel_noten[spec.tabel]] if spec.tabel in self.tabel_noten else [])

    def table_view(self, region: RegionValues, spec: TableSpec, dates, id_prefix: str) -> dict:
        """One table as caption, headings and formatted cells; tables of one row are turned."""
        empty: list[str] = []
        rows = []
        if spec.turned:
            ((rij, _),) = spec.rows
            headings: list[str] = []
            for column in spec.columns:
                value = region.value(spec.tabel, rij, column.code)
                if value is None:
                    empty.append(column.code)
                rows.append(
                    {"label": dates.fill(column.label), "totaal": False, "teken": "",
                     "cells": [self.cell_text(value, column.kind)]}
                )
        else:
            headings = [dates.fill(c.label) for c in spec.columns]
            for rij, label in spec.rows:
                cells = []
                for column in spec.columns:
                    value = region.value(spec.tabel, rij, column.code)
                    if value is None and column.code not in empty:
                        empty.append(column.code)
                    cells.append(self.cell_text(value, column.kind))
                rows.append({"label": dates.fill(label), "totaal": rij == TOTAAL, "teken": "", "cells": cells})
        return {
            "id": f"{id_prefix}{spec.tabel.replace('_', '-')}",
            "titel": dates.fill(spec.titel),
            "hoek": "",
            "kolommen": headings,
            "rijen": rows,
            "noten": self.table_notes(spec, empty),
            "gedraaid": spec.turned,
            "groep_kop": "",
            "groep_rijen": [],
        }

    def table_views(self, data: Data, code: str) -> list[dict]:
        region = data.main.get(code)
        if region is None:
            return []
        return [self.table_view(region, spec, data.dates, self.prefix) for spec in self.publication.main.tables]

    @property
    def prefix(self) -> str:
        return self.id_prefix if self.id_prefix is not None else f"{self.publication.sectie}-"

    # --- the site ------------------------------------------------------------------------

    def indicators(self) -> tuple[Indicator, ...]:
        """The percentages on the map, in the index table and in the comparison chart."""
        return ()

    def comparison_extras(self, data: Data, code: str) -> list[Comparison]:
        """Bars of the comparison with Nederland beyond the indicators."""
        return []

    def index_columns(self, data: Data, site) -> list[tuple[str, Any, str]]:
        """(heading, function code → (text, sort key), note) of the key figures on the
        site's index page; the indicators get a column from the site itself."""
        return []

    # under the index table: what "–" means there ("" = nothing to say)
    streepje_noot: str = ""

    def family_section(self, datas: list[Data], code: str) -> dict | None:
        """A section after the last of the family's publications on a region page (their
        shared definitions), when one of them has a section there."""
        return None

    def html_section(self, data: Data, code: str, site) -> dict | None:
        """The publication's part of a region page: a template and what it shows."""
        if not self.has_region(data, code):
            return None
        return self.section_context(data, code)

    def section_context(self, data: Data, code: str) -> dict:
        """What the shared section template (``_publicatie.html.j2``) shows."""
        d = data.dates.fill
        return {
            "template": "_publicatie.html.j2",
            "id": self.publication.sectie,
            "prefix": self.prefix,
            "titel": self.publication.titel,
            "tabellen": self.table_views(data, code),
            "naast": False,
            "grafiek": {},
            "toelichting": [d(p) for p in self.toelichting],
            "definities_kop": self.definities_kop,
            "definities": [(d(t), d(x)) for t, x in self.definities],
        }

    # --- the PDF -------------------------------------------------------------------------

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        """Tables (turned ones side by side) and the comparison with Nederland, then the
        texts."""
        views = self.table_views(data, code)
        turned = [b.table(t) for t in views if t["gedraaid"]]
        cijfers = b.side_by_side(turned) + [b.table(t) for t in views if not t["gedraaid"]]
        cijfers += pdf.comparison(self.publication, code)
        d = data.dates.fill
        teksten = [b.paragraphs("Toelichting", [d(p) for p in self.toelichting])] if self.toelichting else []
        if self.definities:
            teksten.append(b.definitions(self.definities_kop, [(d(t), d(x)) for t, x in self.definities]))
        return Sections(cijfers, teksten + self.family_texts(data))

    def family_texts(self, data: Data) -> list[dict]:
        """Blocks shared by the publications of a family (their common definitions)."""
        return []

    # --- the workbook --------------------------------------------------------------------

    label_width: float = 44
    number_width: float = 18
    term_width: float = 30
    # the outputs in the workbook (default: all): each further one gets a data sheet of its
    # own; what it adds to a region sheet is the view's (``sheet_closing``)
    workbook_outputs: tuple[str, ...] | None = None

    def sheet_subtitle(self, dates) -> str:
        return dates.fill("{kwartaal} · peildatum {peildatum}")

    def workbook_definitions(self, data: Data) -> tuple[tuple[str, str], ...]:
        return self.definities

    def workbook_paragraphs(self, data: Data) -> list[str]:
        """The "Over deze rapportage" paragraphs, filled."""
        return [data.dates.fill(p) for p in self.toelichting]

    def data_columns(self) -> tuple[tuple[str, str], ...]:
        return (*DATA_SLEUTELKOLOMMEN, ("waarde", self.data_waarde))

    def caption(self, spec: TableSpec, dates) -> str:
        """A table's caption on a region sheet."""
        return dates.fill(spec.titel)

    def corner(self, spec: TableSpec, dates) -> str:
        """The top-left heading cell of a table on a region sheet."""
        return ""

    def write_table(self, book, ws, row: int, region: RegionValues, spec: TableSpec) -> int:
        """One table on a region sheet (the workbook writer's generic table by default)."""
        return book.table(ws, row, region, spec)

    def sheet_closing(self, book, ws, row: int, sheet: str, code: str) -> int:
        """What follows the tables on a region sheet (a footnote, a time series)."""
        return row

    def data_sheet(self, output) -> tuple[str, str]:
        """(name, description) of the data sheet of a further output in the workbook."""
        return (f"Data {output.key}"[:31], f"{output.titel} in lange vorm")

    def reserved_sheets(self) -> list[tuple[str, str]]:
        """The data sheets of the further outputs the workbook may hold (their names must
        not clash with a region's sheet)."""
        wanted = self.workbook_outputs
        return [self.data_sheet(o) for o in self.publication.outputs[1:] if wanted is None or o.key in wanted]
