"""The HTML site of a run: ``html/index.html`` and one page per region (NL01, AMxx…, AM99,
ONB) with every publication of the quarter that is present, in the order of the UWV
publications: Trendrapportage banenafspraak, Factsheet banenafspraak, Transparantie
klantprofielen, Rapportage beschut werk.

This is the one page generator: ``run`` writes these pages into ``<run>/html/``, next to the
CSV and XLSX files and the PDFs in ``<run>/pdf/`` that the pages link to (relative links,
so the run folder works from the file system, offline, and can be copied as a whole);
``site`` runs the same and adds a start page over the quarters in the output folder
(:func:`write_site_index`).

The index has a map of the regions coloured by a chosen indicator (map.py) and a sortable
table of the regions (a few lines of inline JavaScript; without JavaScript the page shows
every map and the table in region order). A region page has a small locator map, the
downloads of the region (its PDFs, and the CSV and XLSX of all regions), the region
compared with Nederland, and every publication.

One template serves every region (DESIGN: Render); every number comes from the long tables
in ``frames``; charts and maps are inline SVG (charts.py, map.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from regiorapportage.quarter import Quarter
from regiorapportage.render import banenafspraak_html as ba
from regiorapportage.render import banenafspraak_texts as ba_texts
from regiorapportage.render import beschut_werk_texts as bw_texts
from regiorapportage.render import map as kaart
from regiorapportage.render import regions
from regiorapportage.render.beschut_werk_html import (
    page_name,
    read_beschut_werk_series,
    section_context,
    series_view,
)
from regiorapportage.render.beschut_werk_model import read_regions
from regiorapportage.render.charts import Comparison, comparison_svg
from regiorapportage.render.formatting import format_date, format_number, format_percentage
from regiorapportage.render.publication_model import read_publication, read_series
from regiorapportage.render.templating import environment, meta_items, stylesheet

INDEX_NAME = "index.html"

from regiorapportage.render.keys import (  # the frame keys shared by site and PDF
    BESCHUT_WERK,
    BESCHUT_WERK_REEKS,
    FACTSHEET,
    KLANTPROFIELEN,
    PDF_DIR,
    REEKS,
    TREND,
)

# (frame key, section id on the region page, title, short link text), in page order.
PUBLICATIONS = (
    (TREND, "trendrapportage", ba_texts.TREND_TITEL, "Trend"),
    (FACTSHEET, "factsheet", ba_texts.FACTSHEET_TITEL, "Factsheet"),
    (KLANTPROFIELEN, "klantprofielen", ba_texts.KLANTPROFIELEN_TITEL, "Klantprofielen"),
    (BESCHUT_WERK, "beschut-werk", bw_texts.TITEL, "Beschut werk"),
)

# meta keys that the texts use (TR-3, TR-5); the footer shows the rest (meta_items).
META_IN_TEXTS = ("nulmeting_bron", "werkkamer_jaar")

INTRO = (
    "Elk kwartaal verschijnen per arbeidsmarktregio en voor Nederland de regionale rapportages "
    "banenafspraak en beschut werk. Ze bestaan uit vier onderdelen:",
)
ONDERDELEN = {
    TREND: "een overzicht van de omvang van de doelgroep banenafspraak en van de banen, "
    "vergeleken met de nulmeting;",
    FACTSHEET: "het aantal werkzame personen in de doelgroep en hoe dat in het kwartaal "
    "veranderde (instroom en uitstroom);",
    KLANTPROFIELEN: "welk deel van de doelgroep zonder werk een klantprofiel heeft dat "
    "werkgevers kunnen zien in de Kandidatenverkenner;",
    BESCHUT_WERK: "de adviezen beschut werk en hoeveel mensen met een positief advies werken.",
}


def _data_files(key: str) -> dict[str, str]:
    # Relative to the HTML folder (<run>/html/): the data files sit in <run>/.
    return {"csv": f"../{key}.csv", "xlsx": f"../{key}.xlsx"}


def pdf_name(publicatie: str, code: str) -> str:
    """``pdf/<publicatie>_<regio_code>.pdf`` in the run folder (render/pdf.py)."""
    return f"{publicatie}_{code}.pdf"


def combined_pdf_name(quarter: Quarter) -> str:
    """The national PDF with all regions (render/pdf.py)."""
    return f"regiorapportage_{quarter}_alle_regios.pdf"


@dataclass(frozen=True)
class Indicator:
    """A reported percentage per region: a map colouring, a column of the index table and
    a bar of the comparison with Nederland."""

    key: str  # html id part
    publication: str
    tabel: str
    rij: str
    kolom: str
    kort: str  # column heading / radio label
    titel: str  # map title and legend title
    regels: tuple[str, ...]  # label in the comparison chart (one or two lines)


INDICATORS = (
    Indicator(
        "beschut-werk", BESCHUT_WERK, "werk_naar_aanvrager", "totaal", "percentage_werkend",
        "Beschut werk: % werkend",
        "Beschut werk: percentage werkend van de mensen met een positief advies",
        ("Beschut werk: werkend, % van", "de mensen met een positief advies"),
    ),
    Indicator(
        "werkkamer", TREND, "indicatie_werkkamer", "totaal", "percentage_indicatie",
        "Extra banen, % van de indicatie Werkkamer",
        "Extra banen als percentage van de indicatie van de Werkkamer",
        ("Extra banen, % van de", "indicatie van de Werkkamer"),
    ),
    Indicator(
        "klantprofielen", KLANTPROFIELEN, "klantprofielen", "totaal", "percentage",
        "Zichtbaar klantprofiel, % zonder werk",
        "Zichtbaar klantprofiel: percentage van de doelgroep zonder werk",
        ("Zichtbaar klantprofiel, % van", "de doelgroep zonder werk"),
    ),
)
# The completeness of the visible profiles: bars of the comparison only.
VOLLEDIGHEID = (
    ("heeft_cv", ("Zichtbare profielen met cv",)),
    ("heeft_beroep", ("Zichtbare profielen met beroep",)),
    ("heeft_werkervaring", ("Zichtbare profielen met", "werkervaring")),
)
KAART_BRON = kaart.BRON


class _Site:
    """The publications of one run, read once, looked up per region."""

    def __init__(
        self,
        frames: dict[str, pd.DataFrame],
        quarter: Quarter,
        voorlopig: bool,
        meta: dict,
        out_dir: Path | None = None,
    ):
        self.quarter, self.voorlopig = quarter, bool(voorlopig)
        self.frames = frozenset(frames)
        self.dates = ba_texts.dates_for(quarter, meta)
        self.bw_dates = bw_texts.BeschutWerkDates(quarter)
        self.trend = read_publication(frames[TREND], ba_texts.TREND) if TREND in frames else {}
        self.series = read_series(frames[REEKS]) if REEKS in frames else {}
        self.factsheet = (
            read_publication(frames[FACTSHEET], ba_texts.FACTSHEET) if FACTSHEET in frames else {}
        )
        self.klantprofielen = (
            read_publication(frames[KLANTPROFIELEN], ba_texts.KLANTPROFIELEN)
            if KLANTPROFIELEN in frames
            else {}
        )
        self.beschut_werk = (
            {r.code: r for r in read_regions(frames[BESCHUT_WERK])} if BESCHUT_WERK in frames else {}
        )
        self.bw_series = (
            read_beschut_werk_series(frames[BESCHUT_WERK_REEKS]) if BESCHUT_WERK_REEKS in frames else {}
        )
        # The PDFs that exist in <run>/pdf/ when the pages are written (render PDFs first).
        pdf_dir = Path(out_dir) / PDF_DIR if out_dir is not None else None
        self.pdfs = (
            frozenset(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir is not None and pdf_dir.is_dir() else frozenset()
        )
        self.present = {
            TREND: TREND in frames or REEKS in frames,
            FACTSHEET: FACTSHEET in frames,
            KLANTPROFIELEN: KLANTPROFIELEN in frames,
            BESCHUT_WERK: BESCHUT_WERK in frames,
        }
        names: dict[str, str] = {}
        for source in (self.trend, self.factsheet, self.klantprofielen, self.series, self.beschut_werk):
            for code, item in source.items():
                names.setdefault(code, item.naam)
        self.codes = sorted(names, key=regions.region_sort_key)
        self.names = names
        visible = {k: v for k, v in (meta or {}).items() if k not in META_IN_TEXTS}
        self.common = {
            "css": stylesheet(),
            "rapport_titel": ba_texts.SITE_TITEL,
            "kwartaal": quarter.label_nl,
            "kwartaal_code": str(quarter),
            "peildatum": format_date(quarter.peildatum),
            "voorlopig": self.voorlopig,
            "voorlopig_kop": bw_texts.VOORLOPIG_KOP,
            "voorlopig_tekst": self.dates.fill(bw_texts.VOORLOPIG_TEKST),
            "meta": meta_items(visible),
            "index_link": INDEX_NAME,
        }

    def publications(self) -> list[tuple[str, str, str, str]]:
        return [p for p in PUBLICATIONS if self.present[p[0]]]

    # -- values, links ---------------------------------------------------------------------

    def _source(self, publication: str) -> dict:
        return {
            TREND: self.trend, KLANTPROFIELEN: self.klantprofielen, BESCHUT_WERK: self.beschut_werk,
        }.get(publication, {})

    def indicators(self) -> list[Indicator]:
        return [i for i in INDICATORS if self._source(i.publication)]

    def indicator_value(self, indicator: Indicator, code: str):
        region = self._source(indicator.publication).get(code)
        if region is None:
            return None
        return region.value(indicator.tabel, indicator.rij, indicator.kolom)

    def pdf_link(self, publicatie: str, code: str) -> str | None:
        name = pdf_name(publicatie, code)
        return f"../{PDF_DIR}/{name}" if name in self.pdfs else None

    def combined_pdf_link(self) -> str | None:
        name = combined_pdf_name(self.quarter)
        return f"../{PDF_DIR}/{name}" if name in self.pdfs else None

    def region_links(self) -> dict[str, str]:
        """Links of the map: the published regions (not AM99, which is no region)."""
        return {code: page_name(code) for code in self.codes if regions.region_kind(code) == "regio"}

    # -- maps and charts -------------------------------------------------------------------

    def maps(self) -> list[dict]:
        """One choropleth per indicator (the index page shows one at a time)."""
        views = []
        for number, indicator in enumerate(self.indicators()):
            values = {code: self.indicator_value(indicator, code) for code in self.codes
                      if regions.region_kind(code) == "regio"}
            nl = self.indicator_value(indicator, regions.NEDERLAND_CODE)
            nl_text = f"Nederland: {format_percentage(nl)}." if nl is not None else ""
            desc = (
                f"Kaart van de 35 arbeidsmarktregio's, ingekleurd naar {indicator.titel.lower()}, "
                f"{self.quarter.label_nl.lower()}. {nl_text} Elke regio is een link naar haar pagina; "
                "de cijfers per regio staan ook in de tabel onder de kaart."
            )
            svg = kaart.choropleth_svg(
                values, f"kaart-{indicator.key}", f"{indicator.titel}, {self.quarter.label_nl.lower()}",
                desc, indicator.kort, links=self.region_links(), names=self.names,
            )
            views.append({
                "key": indicator.key,
                "kort": indicator.kort,
                "titel": f"{indicator.titel}, {self.quarter.label_nl.lower()}",
                "nederland": nl_text,
                "svg": Markup(svg),  # built by map.py, which escapes every text it writes
                "gekozen": number == 0,
            })
        return views

    def locator(self, code: str) -> Markup | None:
        naam = self.names[code]
        if regions.region_kind(code) not in ("regio", "nederland"):
            return None
        if code == regions.NEDERLAND_CODE:
            title, desc = "Nederland", "Kaart van Nederland met de 35 arbeidsmarktregio's."
        else:
            title = f"Ligging van {naam}"
            desc = f"Kaart van Nederland met de arbeidsmarktregio {naam} gemarkeerd."
        svg = kaart.locator_svg(code, "ligging", title, desc, links=self.region_links(), names=self.names)
        return Markup(svg)

    def comparison(self, code: str) -> dict | None:
        """The region's reported percentages next to those of Nederland (not for Nederland
        itself nor for the unpublished AM99/ONB). Usable by the PDF too."""
        if regions.region_kind(code) != "regio":
            return None
        nl = regions.NEDERLAND_CODE
        items: list[Comparison] = []
        for indicator in self.indicators():
            if code in self._source(indicator.publication):
                items.append(Comparison(indicator.regels, self.indicator_value(indicator, code),
                                        self.indicator_value(indicator, nl)))
        if code in self.klantprofielen and nl in self.klantprofielen:
            for rij, regels in VOLLEDIGHEID:
                items.append(Comparison(
                    regels,
                    self.klantprofielen[code].value("volledigheid", rij, "percentage"),
                    self.klantprofielen[nl].value("volledigheid", rij, "percentage"),
                ))
        if not items:
            return None
        naam = self.names[code]
        title = f"{naam} vergeleken met Nederland, {self.quarter.label_nl.lower()}"

        def text(v) -> str:
            return ba_texts.STREEPJE if v is None else format_percentage(v)

        desc = "Staafdiagram. " + " ".join(
            f"{' '.join(i.lines)}: {naam} {text(i.region)}, Nederland {text(i.nederland)}." for i in items
        )
        svg = comparison_svg(items, naam, "vergelijking-nederland", title, desc)
        return {"titel": title, "svg": Markup(svg)}

    def region_downloads(self, code: str) -> list[dict]:
        """Per publication of the run: the region's PDF (when written) and the data files of
        all regions (CSV, XLSX)."""
        files = []
        for key, _, titel, _ in self.publications():
            if key == TREND and TREND not in self.frames:  # only the series
                data = {"csv": _data_files(REEKS)["csv"], "xlsx": ""}
            else:
                data = _data_files(key)
            files.append({"titel": titel, "pdf": self.pdf_link(key, code), **data})
        return files

    def downloads(self) -> list[dict]:
        files = []
        for key, _, titel, _ in self.publications():
            if key == TREND and TREND not in self.frames:
                continue
            files.append({"titel": titel, **_data_files(key)})
            if key == TREND and REEKS in self.frames:
                # The series is a sheet of the trend workbook ("Data reeks").
                files.append(
                    {"titel": f"{titel}: per kwartaal sinds de nulmeting",
                     "csv": _data_files(REEKS)["csv"], "xlsx": _data_files(TREND)["xlsx"]}
                )
        return files

    def region_page(self, code: str, previous: str | None, following: str | None) -> str:
        sections = {}
        if self.present[TREND]:
            sections["trend"] = ba.trend_section(
                self.trend.get(code), self.series.get(code), self.quarter, self.dates
            )
        if code in self.factsheet:
            sections["factsheet"] = ba.factsheet_section(self.factsheet[code], self.dates)
        if code in self.klantprofielen:
            sections["klantprofielen"] = ba.klantprofielen_section(self.klantprofielen[code], self.dates)
        if code in self.beschut_werk:
            grafiek = None
            if code in self.bw_series:
                grafiek = series_view(
                    self.bw_series[code], self.bw_series.get(regions.NEDERLAND_CODE), self.quarter,
                    "beschut-werk-grafiek",
                )
            sections["bw"] = section_context(self.beschut_werk[code], self.bw_dates, self.voorlopig, grafiek)
        inhoud = [
            {"id": section_id, "titel": titel}
            for key, section_id, titel, _ in self.publications()
        ]
        naam = self.names[code]
        banenafspraak = any(k in sections for k in ("trend", "factsheet", "klantprofielen"))
        return environment().get_template("regio.html.j2").render(
            **self.common,
            titel=f"{naam} — {ba_texts.SITE_TITEL}, {self.quarter.label_nl.lower()}",
            regio_code=code,
            regio_naam=naam,
            regio_soort=regions.region_kind(code),
            gepubliceerd=regions.is_published(code),
            niet_gepubliceerd_kop=regions.NIET_GEPUBLICEERD_KOP,
            regio_noot=regions.region_note(code, self.quarter.peildatum.year),
            inhoud=inhoud,
            trend=sections.get("trend"),
            factsheet=sections.get("factsheet"),
            klantprofielen=sections.get("klantprofielen"),
            bw=sections.get("bw"),
            ba_bron_titel=f"{ba_texts.BRON_EN_DEFINITIES_TITEL} banenafspraak",
            ba_definities=(
                [(self.dates.fill(t), self.dates.fill(x)) for t, x in ba_texts.BANENAFSPRAAK_DEFINITIES]
                if banenafspraak
                else []
            ),
            downloads=self.downloads(),
            regio_downloads=self.region_downloads(code),
            alle_regios_pdf=self.combined_pdf_link(),
            ligging=self.locator(code),
            vergelijking=self.comparison(code),
            vorige={"link": page_name(previous), "naam": self.names[previous]} if previous else None,
            volgende=(
                {"link": page_name(following), "naam": self.names[following]} if following else None
            ),
        )

    def _index_columns(self) -> list[tuple[str, object]]:
        """(heading, function code -> (text, sort key)) of the key figures on the index page;
        the sort key is the reported value as a plain number ("" = no value)."""
        columns: list[tuple[str, object]] = []

        def figure(source: dict, spec, tabel: str, kolom: str):
            def cell(c: str) -> tuple[str, str]:
                region = source.get(c)
                if region is None:
                    return "", ""
                value = region.value(tabel, "totaal", kolom)
                text = ba.key_figure(region, spec, tabel, "totaal", kolom)
                return text, "" if value is None else str(value)
            return cell

        def indicator(ind: Indicator):
            def cell(c: str) -> tuple[str, str]:
                if c not in self._source(ind.publication):
                    return "", ""
                value = self.indicator_value(ind, c)
                if value is None:
                    return ba_texts.STREEPJE, ""
                return format_percentage(value), str(value)
            return cell

        by_key = {i.key: i for i in self.indicators()}
        if self.trend:
            t, spec = self.trend, ba_texts.TREND
            columns += [
                ("Doelgroep", figure(t, spec, "doelgroep", "personen")),
                ("Banen", figure(t, spec, "banen", "banen")),
                ("Extra banen", figure(t, spec, "banen", "extra_banen")),
                ("Extra banen, % indicatie", indicator(by_key["werkkamer"])),
            ]
        if self.klantprofielen:
            columns.append(("Zichtbaar profiel, %", indicator(by_key["klantprofielen"])))
        if self.beschut_werk:
            bw = self.beschut_werk

            def beschut(c: str) -> tuple[str, str]:
                region = bw.get(c)
                if region is None:
                    return "", ""
                value = region.value("werk_naar_aanvrager", "totaal", "totaal_werkend")
                return format_number(value), str(value)

            columns.append(("Beschut werk, % werkend", indicator(by_key["beschut-werk"])))
            columns.append(("Beschut werk, werkend", beschut))
        return columns

    def _column_notes(self) -> list[tuple[str, str]]:
        """What the short headings of the index table stand for."""
        d = self.dates.fill
        notes = []
        if self.trend:
            notes += [
                ("Doelgroep", d("personen in de doelgroep banenafspraak op {peildatum}")),
                ("Banen", d("banen van de doelgroep op {peildatum} (25,5 uur per week = 1 baan)")),
                ("Extra banen", "banen boven de nulmeting"),
                ("Extra banen, % indicatie", "extra banen als percentage van de indicatie van de Werkkamer"),
            ]
        if self.klantprofielen:
            notes.append(("Zichtbaar profiel, %", "percentage van de doelgroep zonder werk met een klantprofiel "
                          "dat werkgevers kunnen zien"))
        if self.beschut_werk:
            notes += [
                ("Beschut werk, % werkend", self.bw_dates.fill(
                    "percentage werkend op {peildatum} van de mensen met een positief advies beschut werk "
                    "tot en met de cohortdatum")),
                ("Beschut werk, werkend", self.bw_dates.fill(
                    "mensen met een positief advies beschut werk die werken op {peildatum}")),
            ]
        return notes

    def index_page(self) -> str:
        columns = self._index_columns()
        rows = []
        for code in self.codes:
            rows.append(
                {
                    "code": code,
                    "naam": self.names[code],
                    "link": page_name(code),
                    "kind": regions.region_kind(code),
                    "secties": [
                        {"link": f"{page_name(code)}#{section_id}", "titel": short, "lang": titel}
                        for key, section_id, titel, short in self.publications()
                    ],
                    "cells": [dict(zip(("tekst", "sorteer"), fn(code), strict=True)) for _, fn in columns],
                }
            )
        onderdelen = [
            {"titel": titel, "tekst": ONDERDELEN[key]} for key, _, titel, _ in self.publications()
        ]
        return environment().get_template("index.html.j2").render(
            **self.common,
            titel=f"{ba_texts.SITE_TITEL} — {self.quarter.label_nl}",
            intro=INTRO,
            onderdelen=onderdelen,
            downloads=self.downloads(),
            nederland_pdfs=[
                {"titel": titel, "pdf": self.pdf_link(key, regions.NEDERLAND_CODE)}
                for key, _, titel, _ in self.publications()
            ],
            alle_regios_pdf=self.combined_pdf_link(),
            kaarten=self.maps(),
            kaart_bron=KAART_BRON,
            index_kolommen=[heading for heading, _ in columns],
            nederland=[r for r in rows if r["kind"] == "nederland"],
            regios=[r for r in rows if r["kind"] == "regio"],
            overig=[r for r in rows if r["kind"] in ("niet_in_te_delen", "onbekend")],
            kolom_uitleg=self._column_notes(),
            nederland_noot=regions.NEDERLAND_NOOT_ALGEMEEN,
            overig_noot=(
                "‘Niet in te delen’ en ‘Onbekend’ zijn geen gepubliceerde regio's; ze staan hier "
                "ter controle en tellen mee in Nederland."
            ),
            streepje_noot=(
                f"{ba_texts.STREEPJE} = niet te berekenen (geen nulmeting of geen indicatie "
                "van de Werkkamer); zie de pagina van de regio."
                if self.trend
                else ""
            ),
        )


def write_html(
    frames: dict[str, pd.DataFrame],
    out_dir: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
) -> list[Path]:
    """Write ``out_dir/html/index.html`` and one page per region with every publication in
    ``frames`` (any subset of beschut_werk, banenafspraak_trend, banenafspraak_reeks,
    factsheet, klantprofielen, beschut_werk_reeks). The pages link the PDFs that exist in
    ``out_dir/pdf/`` at the time of the call, so write the PDFs first. Returns the written
    paths, index first."""
    html_dir = Path(out_dir) / "html"
    site = _Site(frames, quarter, voorlopig, meta, out_dir)
    if not site.codes:
        return []
    pages = [(html_dir / INDEX_NAME, site.index_page())]
    for position, code in enumerate(site.codes):
        previous = site.codes[position - 1] if position > 0 else None
        following = site.codes[position + 1] if position + 1 < len(site.codes) else None
        pages.append((html_dir / page_name(code), site.region_page(code, previous, following)))
    html_dir.mkdir(parents=True, exist_ok=True)
    for path, html in pages:
        path.write_text(html, encoding="utf-8", newline="\n")
    return [path for path, _ in pages]


# --- the start page of a site with one or more quarters ----------------------------------


def write_site_index(site_dir: Path) -> Path:
    """Write ``site_dir/index.html``: the quarters in ``site_dir`` (each a run folder
    ``<JJJJKn>/`` with ``html/index.html``), newest first, each marked voorlopig when its
    manifest says so, linking to the quarter's index page. ``site`` writes it after the
    run; it is rewritten each time, so a folder can collect several quarters."""
    site_dir = Path(site_dir)
    quarters = []
    for child in site_dir.iterdir() if site_dir.is_dir() else []:
        try:
            quarter = Quarter.parse(child.name)
        except Exception:  # noqa: BLE001 - not a quarter folder
            continue
        if not (child / "html" / INDEX_NAME).is_file():
            continue
        voorlopig = False
        manifest = child / "manifest.json"
        if manifest.is_file():
            try:
                voorlopig = bool(json.loads(manifest.read_text(encoding="utf-8"))["run"]["voorlopig"])
            except (ValueError, KeyError, TypeError):
                voorlopig = False
        combined = child / PDF_DIR / combined_pdf_name(quarter)
        quarters.append({
            "kwartaal": quarter.label_nl,
            "peildatum": format_date(quarter.peildatum),
            "link": f"{child.name}/html/{INDEX_NAME}",
            "nederland": f"{child.name}/html/{page_name(regions.NEDERLAND_CODE)}",
            "pdf": f"{child.name}/{PDF_DIR}/{combined.name}" if combined.is_file() else None,
            "voorlopig": voorlopig,
            "_sort": quarter,
        })
    quarters.sort(key=lambda q: q["_sort"], reverse=True)
    html = environment().get_template("site_index.html.j2").render(
        css=stylesheet(),
        titel=ba_texts.SITE_TITEL,
        rapport_titel=ba_texts.SITE_TITEL,
        kwartaal=quarters[0]["kwartaal"] if quarters else "",
        voorlopig=False,
        meta=[],
        kwartalen=quarters,
    )
    path = site_dir / INDEX_NAME
    site_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8", newline="\n")
    return path
