"""The HTML site of a run: ``html/index.html`` and one page per region (NL01, AMxx…, AM99,
ONB) with every publication of the quarter that is present, in the order of the UWV
publications: Trendrapportage banenafspraak, Factsheet banenafspraak, Transparantie
klantprofielen, Rapportage beschut werk.

One template serves every region (DESIGN: Render); every number comes from the long tables
in ``frames``; charts are inline SVG (charts.py).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiorapportage.quarter import Quarter
from regiorapportage.render import banenafspraak_html as ba
from regiorapportage.render import banenafspraak_texts as ba_texts
from regiorapportage.render import beschut_werk_texts as bw_texts
from regiorapportage.render import regions
from regiorapportage.render.beschut_werk_html import page_name, section_context
from regiorapportage.render.beschut_werk_model import read_regions
from regiorapportage.render.formatting import format_date, format_number
from regiorapportage.render.publication_model import read_publication, read_series
from regiorapportage.render.templating import environment, meta_items, stylesheet

INDEX_NAME = "index.html"

BESCHUT_WERK = "beschut_werk"
TREND = ba_texts.TREND.key
REEKS = "banenafspraak_reeks"
FACTSHEET = ba_texts.FACTSHEET.key
KLANTPROFIELEN = ba_texts.KLANTPROFIELEN.key

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


class _Site:
    """The publications of one run, read once, looked up per region."""

    def __init__(self, frames: dict[str, pd.DataFrame], quarter: Quarter, voorlopig: bool, meta: dict):
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
            sections["bw"] = section_context(self.beschut_werk[code], self.bw_dates, self.voorlopig)
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
            vorige={"link": page_name(previous), "naam": self.names[previous]} if previous else None,
            volgende=(
                {"link": page_name(following), "naam": self.names[following]} if following else None
            ),
        )

    def _index_columns(self) -> list[tuple[str, object]]:
        """(heading, function code -> text) of the key figures on the index page."""
        d = self.dates.fill
        columns: list[tuple[str, object]] = []
        if self.trend:
            trend = self.trend
            columns += [
                (d("Doelgroep op {peildatum}"), lambda c: ba.key_figure(
                    trend.get(c), ba_texts.TREND, "doelgroep", "totaal", "personen")),
                ("Banen", lambda c: ba.key_figure(
                    trend.get(c), ba_texts.TREND, "banen", "totaal", "banen")),
                ("Extra banen t.o.v. de nulmeting", lambda c: ba.key_figure(
                    trend.get(c), ba_texts.TREND, "banen", "totaal", "extra_banen")),
            ]
        if self.klantprofielen:
            kp = self.klantprofielen
            columns.append(("Zichtbaar klantprofiel (% zonder werk)", lambda c: ba.key_figure(
                kp.get(c), ba_texts.KLANTPROFIELEN, "klantprofielen", "totaal", "percentage")))
        if self.beschut_werk:
            bw = self.beschut_werk

            def beschut(c: str) -> str:
                region = bw.get(c)
                if region is None:
                    return ""
                return format_number(region.value("werk_naar_aanvrager", "totaal", "totaal_werkend"))

            columns.append((self.bw_dates.fill("Beschut werk: werk op {peildatum}"), beschut))
        return columns

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
                    "cells": [fn(code) for _, fn in columns],
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
            index_kolommen=[heading for heading, _ in columns],
            nederland=[r for r in rows if r["kind"] == "nederland"],
            regios=[r for r in rows if r["kind"] == "regio"],
            overig=[r for r in rows if r["kind"] in ("niet_in_te_delen", "onbekend")],
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
    factsheet, klantprofielen). Returns the written paths, index first."""
    html_dir = Path(out_dir) / "html"
    site = _Site(frames, quarter, voorlopig, meta)
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
