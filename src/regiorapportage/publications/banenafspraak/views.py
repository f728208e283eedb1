"""What the three banenafspraak publications show on the site, in the PDFs and in the
workbooks: the defaults of ``render.views.View`` (every table of the vocabulary) plus the
trend's time series since the nulmeting (TR-6), the factsheet's flows in the order of the
balance with a flow diagram (FS-3), the klantprofielen indicators, and the definitions the
three share.

Every number is looked up in the publication's long tables and formatted here; nothing is
computed (DESIGN: Render). Empty cells (``None``: a value that could not be computed) are
shown as "–" with the reason under the table.
"""

from __future__ import annotations

from markupsafe import Markup

from regiorapportage.publications.banenafspraak import texts
from regiorapportage.publications.banenafspraak.measures import NULMETING_KWARTAAL
from regiorapportage.publications.banenafspraak.vocabulary import FACTSHEET, REEKS, REEKS_KEY
from regiorapportage.publications.base import BANEN, STREEPJE, TOTAAL
from regiorapportage.quarter import Quarter
from regiorapportage.render import pdf_blocks as b
from regiorapportage.render import regions
from regiorapportage.render.charts import Comparison, Flow, Series, flow_svg, quarter_short, time_series_svg
from regiorapportage.render.formatting import format_date, format_number
from regiorapportage.render.model import RegionSeries, RegionValues
from regiorapportage.render.views import Data, Indicator, Sections, View, cell_text

PACKAGE = "regiorapportage.publications.banenafspraak"

def _series_view(
    series: RegionSeries, quarter: Quarter, dates: texts.BanenafspraakDates, chart_id: str
) -> dict:
    """TR-6: the chart since the nulmeting, the same quarter a year earlier marked, both
    values stated; and the whole series as a table."""
    quarters = [q for q in series.quarters if NULMETING_KWARTAAL <= q <= quarter]
    if not quarters:
        return {}
    earlier = dates.jaar_eerder if dates.jaar_eerder in series.values else None
    current = quarter if quarter in series.values else None
    marked = [q for q in (earlier, current) if q is not None]
    banen = tuple(series.values[q]["banen"] for q in quarters)
    werkzaam = tuple(series.values[q]["werkzame_personen"] for q in quarters)
    fill = dict(nulmeting_kwartaal=quarters[0].label_nl.lower())
    title = texts.GRAFIEK_TITEL.format(**dates.placeholders(), **fill)
    compared = [
        (texts.GRAFIEK_REEKS_BANEN, "banen", BANEN),
        (texts.GRAFIEK_REEKS_WERKZAAM, "werkzame_personen", "aantal"),
    ]
    desc_parts = [
        f"Lijngrafiek van {quarters[0].label_nl.lower()} tot en met {quarters[-1].label_nl.lower()}."
    ]
    for label, kolom, kind in compared:
        for q in marked:
            desc_parts.append(
                f"{label} op {format_date(q.peildatum)}: {cell_text(series.value(q, kolom), kind)}."
            )
    svg = time_series_svg(
        quarters,
        [
            Series(texts.GRAFIEK_REEKS_BANEN, banen, "#123f6d"),
            Series(texts.GRAFIEK_REEKS_WERKZAAM, werkzaam, "#c2570c", dash="7 4"),
        ],
        marked,
        chart_id,
        title,
        " ".join(desc_parts),
    )
    vergelijking = {
        "kolommen": [format_date(q.peildatum) for q in marked],
        "rijen": [
            {"label": label, "cells": [cell_text(series.value(q, kolom), kind) for q in marked]}
            for label, kolom, kind in compared
        ],
    }
    table_rows = []
    for q in quarters:
        table_rows.append(
            {
                "label": f"{q.label_nl} ({format_date(q.peildatum, short_month=True)})",
                "gemarkeerd": q in marked,
                "cells": [cell_text(series.value(q, c.code), c.kind) for c in REEKS.tables[0].columns],
            }
        )
    return {
        "svg": Markup(svg),  # built by charts.py, which escapes every text it writes
        "titel": title,
        "vergelijking": vergelijking,
        "geen_jaar_eerder": None if earlier else dates.fill(texts.GRAFIEK_GEEN_JAAR_EERDER),
        "noot": texts.GRAFIEK_VERGELIJKING_NOOT,
        "tabel_titel": texts.GRAFIEK_TABEL_TITEL,
        "tabel_kolommen": [c.label for c in REEKS.tables[0].columns],
        "tabel_rijen": table_rows,
        "tabel_noot": (
            f"{STREEPJE} {texts.LEEG_NULMETING}"
            if any(series.value(q, "extra_banen") is None for q in quarters)
            else None
        ),
    }


def _stromen_view(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    """FS-3: the flows in the order of the balance, then the flows outside it."""
    spec = FACTSHEET.table("stromen")
    labels = dict(spec.rows)
    rows = [
        {
            "label": dates.fill(labels[rij]),
            "teken": sign,
            "totaal": sign == texts.IS,
            "cells": [cell_text(region.value("stromen", rij, "personen"), "aantal")],
        }
        for rij, sign in texts.STROMEN_BALANS
    ]
    extra = [
        {
            "label": dates.fill(labels[rij]),
            "teken": "",
            "totaal": False,
            "cells": [cell_text(region.value("stromen", rij, "personen"), "aantal")],
        }
        for rij in texts.STROMEN_BUITEN_BALANS
    ]
    return {
        "id": "factsheet-stromen",
        "titel": dates.fill(spec.titel),
        "hoek": "",
        "kolommen": [],
        "rijen": rows,
        "groep_kop": texts.STROMEN_BUITEN_BALANS_KOP,
        "groep_rijen": extra,
        "noten": [],
        "gedraaid": True,
    }


def _flow_view(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    def v(rij: str) -> int:
        return region.value("stromen", rij, "personen")

    start_label = dates.fill("Werkzaam op {vorige_peildatum}")
    end_label = dates.fill("Werkzaam op {peildatum}")
    inflows = [Flow(lines, v(rij)) for rij, lines in texts.STROOM_IN]
    outflows = [Flow(lines, v(rij)) for rij, lines in texts.STROOM_UIT]
    title = dates.fill(texts.STROOM_TITEL)
    described = [f"{start_label}: {format_number(v('werkzaam_vorige_peildatum'))}."]
    described += [f"Erbij: {' '.join(f.lines)} {format_number(f.value)}." for f in inflows]
    described += [f"Eraf: {' '.join(f.lines)} {format_number(f.value)}." for f in outflows]
    described.append(f"{end_label}: {format_number(v('werkzaam'))}.")
    # FS-3 as the reader can check it: every term looked up, in the order of the balance.
    terms = []
    for rij, sign in texts.STROMEN_BALANS:
        number = format_number(v(rij))
        terms.append(f"{sign} {number}" if sign else number)
    balance = " ".join(terms)
    svg = flow_svg(
        ("Werkzaam op", dates.fill("{vorige_peildatum}")), v("werkzaam_vorige_peildatum"),
        ("Werkzaam op", dates.fill("{peildatum}")), v("werkzaam"),
        inflows, outflows, "factsheet-stromen-grafiek", title, " ".join(described),
    )
    return {
        "svg": Markup(svg),  # built by charts.py, which escapes every text it writes
        "titel": title,
        "balans": balance,
        "balans_uitleg": dates.fill(texts.STROOM_BALANS_UITLEG),
    }


# --- shared by the three ----------------------------------------------------------------------


class BanenafspraakView(View):
    templates = PACKAGE
    meta_labels = (("nulmeting_bron", "Nulmeting"), ("werkkamer_jaar", "Indicatie Werkkamer, jaar"))
    leeg_reden = texts.LEEG_REDEN
    leeg_algemeen = texts.LEEG_ALGEMEEN
    tabel_noten = texts.TABEL_NOTEN
    bron_titel = texts.BRON_EN_DEFINITIES_TITEL
    data_waarde = dict(texts.DATA_KOLOMMEN)["waarde"]

    def dates(self, quarter: Quarter, meta: dict):
        return texts.dates_for(quarter, meta)

    def workbook_definitions(self, data: Data):
        return (*self.definities, *texts.BANENAFSPRAAK_DEFINITIES)

    def _bron(self, data: Data) -> tuple[str, list[tuple[str, str]]]:
        d = data.dates.fill
        return (f"{texts.BRON_EN_DEFINITIES_TITEL} banenafspraak",
                [(d(t), d(x)) for t, x in texts.BANENAFSPRAAK_DEFINITIES])

    def family_texts(self, data: Data) -> list[dict]:
        return [b.definitions(*self._bron(data))]

    def family_section(self, datas: list[Data], code: str) -> dict | None:
        titel, definities = self._bron(datas[0])
        return {"template": "banenafspraak/bron_banenafspraak.html.j2", "id": "bron-banenafspraak", "titel": titel,
                "definities": definities}

    def _texts(self, data: Data) -> list[dict]:
        d = data.dates.fill
        return [
            b.paragraphs("Toelichting", [d(p) for p in self.toelichting]),
            b.definitions(self.definities_kop, [(d(t), d(x)) for t, x in self.definities]),
            *self.family_texts(data),
        ]


def _figure(region: RegionValues | None, spec, tabel: str, kolom: str) -> str:
    """One formatted value for the index page ("" when the region is not in the table)."""
    if region is None:
        return ""
    return cell_text(region.value(tabel, TOTAAL, kolom), spec.column(tabel, kolom).kind)


# --- Trendrapportage ----------------------------------------------------------------------------


class TrendView(BanenafspraakView):
    onderdeel = (
        "een overzicht van de omvang van de doelgroep banenafspraak en van de banen, vergeleken met de nulmeting;"
    )
    toelichting = texts.TREND_TOELICHTING
    definities = texts.TREND_DEFINITIES
    definities_kop = "Toelichting bij de cijfers"
    id_prefix = "trend-"
    streepje_noot = (
        f"{STREEPJE} = niet te berekenen (geen nulmeting of geen indicatie van de Werkkamer); zie de pagina van de "
        "regio."
    )
    WERKKAMER = Indicator(
        "werkkamer", "indicatie_werkkamer", TOTAAL, "percentage_indicatie",
        "Extra banen, % van de indicatie Werkkamer",
        "Extra banen als percentage van de indicatie van de Werkkamer",
        ("Extra banen, % van de", "indicatie van de Werkkamer"),
    )

    def indicators(self):
        return (self.WERKKAMER,)

    def index_columns(self, data: Data, site):
        t, spec = data.main, self.publication.main
        d = data.dates.fill

        def figure(tabel: str, kolom: str):
            def cell(c: str) -> tuple[str, str]:
                region = t.get(c)
                if region is None:
                    return "", ""
                value = region.value(tabel, TOTAAL, kolom)
                return _figure(region, spec, tabel, kolom), "" if value is None else str(value)
            return cell

        pub = self.publication
        return [
            ("Doelgroep", figure("doelgroep", "personen"), d("personen in de doelgroep banenafspraak op {peildatum}")),
            ("Banen", figure("banen", "banen"), d("banen van de doelgroep op {peildatum} (25,5 uur per week = 1 baan)")),
            ("Extra banen", figure("banen", "extra_banen"), "banen boven de nulmeting"),
            ("Extra banen, % indicatie", site.indicator_cell(pub, self.WERKKAMER),
             "extra banen als percentage van de indicatie van de Werkkamer"),
        ]

    def _series(self, data: Data, code: str) -> RegionSeries | None:
        return data.outputs.get(REEKS_KEY, {}).get(code)

    def html_section(self, data: Data, code: str, site) -> dict:
        section = self.section_context(data, code)  # also without the region's tables
        series = self._series(data, code)
        section["grafiek"] = _series_view(series, data.quarter, data.dates, "trend-grafiek") if series else {}
        return section

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        views = self.table_views(data, code)
        turned = [b.table(t) for t in views if t["gedraaid"]]
        cijfers = b.side_by_side(turned) + [b.table(t) for t in views if not t["gedraaid"]]
        series = None if numbers_only else self._series(data, code)
        if series is not None:
            cijfers += b.series_blocks(_series_view(series, data.quarter, data.dates, "trend-grafiek"))
        cijfers += pdf.comparison(self.publication, code)
        return Sections(cijfers, self._texts(data))

    def data_sheet(self, output):
        return ("Data reeks", "De cijfers per kwartaal sinds de nulmeting in lange vorm")

    def sheet_closing(self, book, ws, row: int, sheet: str, code: str) -> int:
        series = self._series(book.data, code)
        return row if series is None else _series_sheet(book, ws, row, sheet, series)


def _series_sheet(book, ws, row: int, name: str, series: RegionSeries) -> int:
    """TR-6 on a region sheet: the quarters since the nulmeting, the compared quarters
    marked, and a chart."""
    from regiorapportage.render.xlsx_common import quoted

    d, f = book.dates.fill, book.fmts
    quarter = book.data.quarter
    columns = REEKS.tables[0].columns
    quarters = [q for q in series.quarters if NULMETING_KWARTAAL <= q <= quarter]
    if not quarters:
        return row
    marked = {quarter, book.dates.jaar_eerder}
    row = book.caption(ws, row, "Ontwikkeling per kwartaal (de vergeleken kwartalen gemarkeerd)")
    ws.write(row, 0, "Kwartaal (peildatum)", f.header_left)
    for col, column in enumerate(columns, start=1):
        ws.write(row, col, column.label, f.header_right)
    ws.set_row(row, 32)
    row += 1
    first = row
    any_empty = False
    for q in quarters:
        style = "highlight" if q in marked else ""
        label = f"{quarter_short(q)} ({format_date(q.peildatum, short_month=True)})"
        ws.write(row, 0, label, f.highlight_label if style else f.label)
        for col, column in enumerate(columns, start=1):
            value = series.value(q, column.code)
            any_empty = any_empty or value is None
            book.value(ws, row, col, value, column.kind, style)
        row += 1
    last = row - 1
    if any_empty:
        row = book.notes(ws, row, [f"{STREEPJE} {texts.LEEG_NULMETING}"])
    row = book.notes(ws, row, [texts.GRAFIEK_VERGELIJKING_NOOT]) + 1

    chart = book.wb.add_chart({"type": "line"})
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
    chart.set_title({"name": d(texts.GRAFIEK_TITEL.replace("{nulmeting_kwartaal}", quarters[0].label_nl.lower())),
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


# --- Factsheet ----------------------------------------------------------------------------------


class FactsheetView(BanenafspraakView):
    onderdeel = (
        "het aantal werkzame personen in de doelgroep en hoe dat in het kwartaal veranderde (instroom en uitstroom);"
    )
    toelichting = texts.FACTSHEET_TOELICHTING
    definities = texts.STROMEN_DEFINITIES
    definities_kop = "Definities van de stromen"
    id_prefix = "factsheet-"

    def _section(self, region: RegionValues, data: Data) -> dict:
        dates, spec = data.dates, self.publication.main
        return {
            "categorie": self.table_view(region, spec.table("categorie"), dates, self.prefix),
            "stroom": _flow_view(region, dates),
            "stromen": _stromen_view(region, dates),
            "instroom": self.table_view(region, spec.table("instroom_naar_grondslag"), dates, self.prefix),
            "uitstroom": self.table_view(region, spec.table("uitstroom_naar_reden"), dates, self.prefix),
        }

    def html_section(self, data: Data, code: str, site) -> dict | None:
        region = data.main.get(code)
        if region is None:
            return None
        d = data.dates.fill
        return {
            "template": "banenafspraak/factsheet.html.j2",
            "id": self.publication.sectie,
            "titel": self.publication.titel,
            **self._section(region, data),
            "toelichting": [d(p) for p in self.toelichting],
            "definities": [(d(t), d(x)) for t, x in self.definities],
        }

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        sec = self._section(data.main[code], data)
        cijfers = [b.table(sec["categorie"])]
        if not numbers_only:
            stroom = sec["stroom"]
            cijfers.append(b.chart(stroom["titel"], stroom["svg"]))
            cijfers.append({"soort": "balans", "uitleg": stroom["balans_uitleg"], "som": stroom["balans"]})
        cijfers.append(b.table(sec["stromen"], kolombreedte=28))
        cijfers += b.side_by_side([b.table(sec["instroom"]), b.table(sec["uitstroom"])])
        cijfers += pdf.comparison(self.publication, code)
        return Sections(cijfers, self._texts(data))

    def write_table(self, book, ws, row: int, region: RegionValues, spec) -> int:
        if spec.tabel != "stromen":
            return book.table(ws, row, region, spec)
        # FS-3: the flows in the order of the balance, then those outside it.
        d, f = book.dates.fill, book.fmts
        labels = dict(spec.rows)
        row = book.caption(ws, row, d(spec.titel))
        for rij, sign in texts.STROMEN_BALANS:
            total = sign == texts.IS
            label = d(labels[rij])
            ws.write(row, 0, f"{sign} {label}" if sign else label, f.total_label if total else f.label)
            book.value(ws, row, 1, region.value("stromen", rij, "personen"), "aantal", "total" if total else "")
            row += 1
        ws.write(row, 0, texts.STROMEN_BUITEN_BALANS_KOP, f.caption)
        row += 1
        for rij in texts.STROMEN_BUITEN_BALANS:
            ws.write(row, 0, d(labels[rij]), f.muted_label)
            book.value(ws, row, 1, region.value("stromen", rij, "personen"), "aantal", "muted")
            row += 1
        return row + 1


# --- Transparantie klantprofielen ---------------------------------------------------------------


class KlantprofielenView(BanenafspraakView):
    onderdeel = (
        "welk deel van de doelgroep zonder werk een klantprofiel heeft dat werkgevers kunnen zien in de "
        "Kandidatenverkenner;"
    )
    toelichting = texts.KLANTPROFIELEN_TOELICHTING
    definities = texts.KLANTPROFIELEN_DEFINITIES
    definities_kop = "Definities"
    id_prefix = "klantprofielen-"
    ZICHTBAAR = Indicator(
        "klantprofielen", "klantprofielen", TOTAAL, "percentage",
        "Zichtbaar klantprofiel, % zonder werk",
        "Zichtbaar klantprofiel: percentage van de doelgroep zonder werk",
        ("Zichtbaar klantprofiel, % van", "de doelgroep zonder werk"),
    )
    # The completeness of the visible profiles: bars of the comparison only.
    VOLLEDIGHEID = (
        ("heeft_cv", ("Zichtbare profielen met cv",)),
        ("heeft_beroep", ("Zichtbare profielen met beroep",)),
        ("heeft_werkervaring", ("Zichtbare profielen met", "werkervaring")),
    )

    def indicators(self):
        return (self.ZICHTBAAR,)

    def comparison_extras(self, data: Data, code: str) -> list[Comparison]:
        region, nl = data.main[code], data.main[regions.NEDERLAND_CODE]
        return [
            Comparison(regels, region.value("volledigheid", rij, "percentage"), nl.value("volledigheid", rij, "percentage"))
            for rij, regels in self.VOLLEDIGHEID
        ]

    def index_columns(self, data: Data, site):
        return [(
            "Zichtbaar profiel, %", site.indicator_cell(self.publication, self.ZICHTBAAR),
            "percentage van de doelgroep zonder werk met een klantprofiel dat werkgevers kunnen zien",
        )]

    def html_section(self, data: Data, code: str, site) -> dict | None:
        section = super().html_section(data, code, site)
        if section is not None:
            section["naast"] = True
        return section

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        cijfers = b.side_by_side([b.table(t) for t in self.table_views(data, code)])
        cijfers += pdf.comparison(self.publication, code)
        return Sections(cijfers, self._texts(data))
