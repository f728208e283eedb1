"""What the Rapportage beschut werk shows on the site, in the PDFs and in its workbook: the
four tables as published (BW-2, BW-5: the working persons with their percentage in one cell,
"1.404 (74%)"), the footnote on the polis data, the BW-7 texts, and the cohort percentage
per quarter with Nederland beside the region.

Every number is looked up in the long tables; nothing is computed here (DESIGN: Render).
"""

from __future__ import annotations

from markupsafe import Markup

from regiorapportage.publications.base import PERCENTAGE, STREEPJE, TOTAAL, TableSpec
from regiorapportage.publications.beschut_werk import texts
from regiorapportage.publications.beschut_werk.vocabulary import BESCHUT_WERK, KEY, REEKS, REEKS_VOCABULARY, WERK_TABELLEN
from regiorapportage.quarter import Quarter
from regiorapportage.render import pdf_blocks as b
from regiorapportage.render import regions
from regiorapportage.render.charts import Series, percentage_series_svg
from regiorapportage.render.formatting import format_date, format_number, format_percentage
from regiorapportage.render.model import RegionSeries, RegionValues
from regiorapportage.render.views import Data, Indicator, Sections, View
from regiorapportage.render.xlsx_common import write_paragraph

REEKS_KOLOMMEN = REEKS_VOCABULARY.tables[0].columns
REGIO_KLEUR, NEDERLAND_KLEUR = "#123f6d", "#c2570c"


def _table_views(region: RegionValues, dates: texts.BeschutWerkDates) -> list[dict]:
    """The four tables of a region as headings and formatted cells (BW-2, BW-5)."""
    views = []
    for number, spec in enumerate(BESCHUT_WERK.tables, start=1):
        rows = []
        werk = spec.tabel in WERK_TABELLEN
        if not werk:
            corner = dates.fill(texts.ADVIES_HOEK)
            headings = [c.label for c in spec.columns]
            for rij, label in spec.rows:
                cells = [format_number(region.value(spec.tabel, rij, c.code)) for c in spec.columns]
                rows.append({"label": label, "totaal": rij == "totaal", "cells": cells})
        else:
            corner = ""
            labels = {c.code: c.label for c in spec.columns}
            headings = [
                dates.fill(labels["positief_advies_tm_cohortdatum"]),
                dates.fill(labels["werkend_uit_cohort"]),
                dates.fill(labels["totaal_werkend"]),
            ]
            for rij, label in spec.rows:
                cohort, werkend, percentage, totaal = (
                    region.value(spec.tabel, rij, kolom)
                    for kolom in (
                        "positief_advies_tm_cohortdatum",
                        "werkend_uit_cohort",
                        "percentage_werkend",
                        "totaal_werkend",
                    )
                )
                cells = [
                    format_number(cohort),
                    # "1.404 (74%)" as in the publication; the percentage is in the table.
                    f"{format_number(werkend)} ({format_percentage(percentage)})",
                    format_number(totaal),
                ]
                rows.append({"label": label, "totaal": rij == "totaal", "cells": cells})
        views.append(
            {
                "id": f"tabel-{number}",
                "tabel": spec.tabel,
                "titel": spec.titel,
                "voetnoot": werk,
                "hoek": corner,
                "kolommen": headings,
                "rijen": rows,
            }
        )
    return views


def series_view(
    series: RegionSeries,
    nederland: RegionSeries | None,
    quarter: Quarter,
    chart_id: str,
) -> dict:
    """The chart of the percentage of the cohort at work since the first quarter of the
    series (the region, and Nederland for comparison), the same quarter a year earlier and
    the report quarter marked and their values stated; the whole series as a table."""
    quarters = sorted(q for q in series.values if q <= quarter)
    if not quarters:
        return {}
    earlier = quarter.shift(-4)
    marked = [q for q in (earlier, quarter) if q in series.values]
    lines = [Series(series.naam, tuple(series.value(q, "percentage_werkend") for q in quarters), REGIO_KLEUR)]
    compare = nederland is not None and nederland.code != series.code
    if compare:
        lines.append(
            Series(nederland.naam, tuple(nederland.value(q, "percentage_werkend") for q in quarters),
                   NEDERLAND_KLEUR, dash="7 4")
        )
    first, last = quarters[0].label_nl.lower(), quarters[-1].label_nl.lower()
    title = f"Percentage werkend van de mensen met een positief advies beschut werk, {first} t/m {last}"

    def pct(s: RegionSeries, q: Quarter) -> str:
        v = s.value(q, "percentage_werkend")
        return STREEPJE if v is None else format_percentage(v)

    desc = [f"Lijngrafiek van {first} tot en met {last}."]
    for s in [series] + ([nederland] if compare else []):
        for q in marked:
            desc.append(f"{s.naam} op {format_date(q.peildatum)}: {pct(s, q)}.")
    svg = percentage_series_svg(quarters, lines, marked, chart_id, title, " ".join(desc),
                                y_title="Percentage werkend")

    def cell(q: Quarter, kolom: str, percentage: bool) -> str:
        v = series.value(q, kolom)
        if v is None:
            return STREEPJE
        return format_percentage(v) if percentage else format_number(v)

    return {
        "svg": Markup(svg),  # built by charts.py, which escapes every text it writes
        "titel": title,
        "vergelijking": {
            "kolommen": [format_date(q.peildatum) for q in marked],
            "rijen": [{"label": s.naam, "cells": [pct(s, q) for q in marked]}
                      for s in [series] + ([nederland] if compare else [])],
        },
        "noot": (
            "Per kwartaal: het deel van de mensen met een positief advies beschut werk tot en "
            "met de cohortdatum van dat kwartaal dat op de peildatum werkt. "
            f"{STREEPJE} = geen positieve adviezen, dus geen percentage."
        ),
        "tabel_titel": "De reeks als tabel",
        "tabel_kolommen": [c.label for c in REEKS_KOLOMMEN],
        "tabel_rijen": [
            {
                "label": f"{q.label_nl} ({format_date(q.peildatum, short_month=True)})",
                "gemarkeerd": q in marked,
                "cells": [cell(q, c.code, c.kind == PERCENTAGE) for c in REEKS_KOLOMMEN],
            }
            for q in quarters
        ],
    }


def section_context(
    region: RegionValues, dates: texts.BeschutWerkDates, voorlopig: bool, grafiek: dict | None = None
) -> dict:
    """The beschut werk part of a region page: tables, footnote and texts (BW-2, BW-5, BW-7);
    ``grafiek`` the series view (:func:`series_view`) when the run has the series."""
    return {
        "id": "beschut-werk",
        "titel": texts.TITEL,
        "grafiek": grafiek or {},
        "tabellen": _table_views(region, dates),
        "voetnoot_teken": texts.VOETNOOT_TEKEN,
        "voetnoot": dates.fill(texts.VOETNOOT_WERK_VOORLOPIG if voorlopig else texts.VOETNOOT_WERK),
        "toelichting": [dates.fill(p) for p in texts.TOELICHTING],
        "bron_titel": texts.BRON_EN_DEFINITIES_TITEL,
        "definities": [(dates.fill(term), dates.fill(text)) for term, text in texts.BRON_EN_DEFINITIES],
    }


class BeschutWerkView(View):
    templates = "regiorapportage.publications.beschut_werk"
    onderdeel = "de adviezen beschut werk en hoeveel mensen met een positief advies werken."
    toelichting = texts.TOELICHTING
    definities = texts.BRON_EN_DEFINITIES
    definities_kop = texts.BRON_EN_DEFINITIES_TITEL
    bron_titel = texts.BRON_EN_DEFINITIES_TITEL
    data_waarde = dict(texts.DATA_KOLOMMEN)["waarde"]
    label_width, number_width, term_width = 30, 17, 26
    workbook_outputs = (KEY,)  # the cohort series is a CSV of its own
    PERCENTAGE_WERKEND = Indicator(
        "beschut-werk", "werk_naar_aanvrager", TOTAAL, "percentage_werkend",
        "Beschut werk: % werkend",
        "Beschut werk: percentage werkend van de mensen met een positief advies",
        ("Beschut werk: werkend, % van", "de mensen met een positief advies"),
    )

    def dates(self, quarter: Quarter, meta: dict):
        return texts.BeschutWerkDates(quarter)

    def region_note(self, code: str, jaar: int) -> str | None:
        return texts.region_note(code, jaar)

    def _footnote(self, data: Data) -> str:
        return data.dates.fill(texts.VOETNOOT_WERK_VOORLOPIG if data.voorlopig else texts.VOETNOOT_WERK)

    def _series_view(self, data: Data, code: str) -> dict | None:
        series = data.outputs.get(REEKS, {})
        if code not in series:
            return None
        return series_view(series[code], series.get(regions.NEDERLAND_CODE), data.quarter, "beschut-werk-grafiek")

    # --- the site

    def indicators(self):
        return (self.PERCENTAGE_WERKEND,)

    def index_columns(self, data: Data, site):
        bw = data.main

        def werkend(c: str) -> tuple[str, str]:
            region = bw.get(c)
            if region is None:
                return "", ""
            value = region.value("werk_naar_aanvrager", TOTAAL, "totaal_werkend")
            return format_number(value), str(value)

        fill = data.dates.fill
        return [
            ("Beschut werk, % werkend", site.indicator_cell(self.publication, self.PERCENTAGE_WERKEND), fill(
                "percentage werkend op {peildatum} van de mensen met een positief advies beschut werk tot en met de "
                "cohortdatum")),
            ("Beschut werk, werkend", werkend, fill(
                "mensen met een positief advies beschut werk die werken op {peildatum}")),
        ]

    def html_section(self, data: Data, code: str, site) -> dict | None:
        region = data.main.get(code)
        if region is None:
            return None
        return {"template": "beschut_werk/beschut_werk.html.j2",
                **section_context(region, data.dates, data.voorlopig, self._series_view(data, code))}

    # --- the PDF

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        sec = section_context(data.main[code], data.dates, data.voorlopig)
        cijfers = []
        for view in sec["tabellen"]:
            cijfers.append(b.table(view, teken=sec["voetnoot_teken"] if view["voetnoot"] else "", kolombreedte=31))
        cijfers.append({"soort": "voetnoot", "teken": sec["voetnoot_teken"], "tekst": sec["voetnoot"]})
        if not numbers_only:
            # The series chart already sets the region beside Nederland; the bar only without it.
            series = self._series_view(data, code)
            cijfers += (b.series_blocks(series) if series else []) or pdf.comparison(self.publication, code)
        teksten = [
            b.paragraphs("Toelichting", sec["toelichting"]),
            b.definitions(sec["bron_titel"], sec["definities"]),
        ]
        return Sections(cijfers, teksten)

    # --- the workbook

    def sheet_subtitle(self, dates) -> str:
        return dates.quarter.label_nl

    def workbook_paragraphs(self, data: Data) -> list[str]:
        return [data.dates.fill(p) for p in self.toelichting] + [f"{texts.VOETNOOT_TEKEN} {self._footnote(data)}"]

    def caption(self, spec: TableSpec, dates) -> str:
        return f"{texts.VOETNOOT_TEKEN} {spec.titel}" if spec.tabel in WERK_TABELLEN else spec.titel

    def corner(self, spec: TableSpec, dates) -> str:
        return "" if spec.tabel in WERK_TABELLEN else dates.fill(texts.ADVIES_HOEK)

    def sheet_closing(self, book, ws, row: int, sheet: str, code: str) -> int:
        # 9 pt text: about 1.2 times as many characters per line, 12 pt per line.
        return write_paragraph(
            ws, row, 4, book.fmts.small, f"{texts.VOETNOOT_TEKEN} {self._footnote(book.data)}",
            book.text_width * 1.2, line_points=12.0,
        )
