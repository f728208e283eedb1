"""PDF reports: ``pdf/<publicatie>_<regio_code>.pdf`` for every publication present and
every published region (NL01, AM01…AM35), and one combined national document
``pdf/regiorapportage_<kwartaal>_alle_regios.pdf`` (Nederland first, then every region, all
publications, with contents and bookmarks).

Typeset with Typst (the ``typst`` Python binding) from one template,
``render/typst/rapport.typ``. This module builds, per report, a list of *blocks* (tables,
charts, paragraphs, definitions) as plain data and hands them to the template as JSON in
``sys.inputs``: no Typst markup is generated from strings, so no text needs escaping.

The contents are those of the HTML pages: the same section builders
(``banenafspraak_html``, ``beschut_werk_html``), hence the same numbers (looked up in the
long tables, formatted the Dutch way; nothing is computed here — DESIGN: Render), the same
texts (``*_texts.py``) and the same SVG charts (``charts.py``).

AM99 (Niet in te delen) and ONB (Onbekend) are not published regions (R-2, R-4): they get no
PDF of their own; their tables are printed in the Nederland report, marked as such, as the
HTML and workbooks show them on their own page or sheet marked "Geen gepubliceerde regio".
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from regiorapportage.quarter import Quarter
from regiorapportage.render import banenafspraak_html as ba
from regiorapportage.render import banenafspraak_texts as ba_texts
from regiorapportage.render import beschut_werk_texts as bw_texts
from regiorapportage.render import pdf_charts, regions
from regiorapportage.render.beschut_werk_html import section_context
from regiorapportage.render.beschut_werk_model import RegionReport, read_regions
from regiorapportage.render.publication_model import RegionSeries, RegionValues, read_publication, read_series
from regiorapportage.render.templating import meta_items

TEMPLATE = "rapport.typ"

from regiorapportage.render.keys import (  # the frame keys shared by site and PDF
    BESCHUT_WERK,
    BESCHUT_WERK_REEKS,
    FACTSHEET,
    KLANTPROFIELEN,
    PDF_DIR,
    REEKS,
    TREND,
)

# (key = file name stem, title), in the order of the UWV publications.
PUBLICATIONS = (
    (TREND, ba_texts.TREND_TITEL),
    (FACTSHEET, ba_texts.FACTSHEET_TITEL),
    (KLANTPROFIELEN, ba_texts.KLANTPROFIELEN_TITEL),
    (BESCHUT_WERK, bw_texts.TITEL),
)

# Fonts, in order of preference; Typst takes each glyph from the first that has it. Liberation
# Sans (metric-compatible with Arial) is on Debian with fonts-liberation; Libertinus Serif is
# built into Typst, so a document always compiles.
FONTS = ("Liberation Sans", "Arial", "Helvetica", "DejaVu Sans", "Libertinus Serif")

VOORLOPIG_LABEL = "VOORLOPIGE CIJFERS"
BRONREGEL = "Bron: UWV"
NIET_GEPUBLICEERD_TITEL = "Bijlage: Niet in te delen en Onbekend"
NIET_GEPUBLICEERD_INLEIDING = (
    "De cijfers hieronder horen bij geen enkele arbeidsmarktregio en worden niet als regio "
    "gepubliceerd. Ze staan hier ter controle; ze tellen mee in de cijfers voor Nederland."
)
VERZAMELING_SLOT = (
    "Na Nederland volgen de 35 arbeidsmarktregio's, elk met alle rapportages van dit "
    "kwartaal. De cijfers van wie niet aan een arbeidsmarktregio is toe te delen (‘Niet in te "
    "delen’ en ‘Onbekend’) staan in de rapportages van Nederland."
)

Block = dict
Report = dict


def _combined_name(quarter: Quarter) -> str:
    return f"regiorapportage_{quarter}_alle_regios.pdf"


def _file_name(publication: str, code: str) -> str:
    return f"{publication}_{code}.pdf"


# --- blocks -------------------------------------------------------------------------------


def _table(view: dict, **extra) -> Block:
    """A table view of banenafspraak_html / beschut_werk_html as a template block."""
    return {
        "soort": "tabel",
        "titel": view["titel"],
        "teken": extra.pop("teken", ""),
        "hoek": view.get("hoek", ""),
        "kolommen": list(view.get("kolommen", [])),
        "rijen": [
            {
                "label": r["label"],
                "cells": list(r["cells"]),
                "totaal": bool(r.get("totaal")),
                "teken": r.get("teken", ""),
            }
            for r in view["rijen"]
        ],
        "groep_kop": view.get("groep_kop", ""),
        "groep_rijen": [
            {"label": r["label"], "cells": list(r["cells"]), "totaal": False, "teken": r.get("teken", "")}
            for r in view.get("groep_rijen", [])
        ],
        "noten": list(view.get("noten", [])),
        **extra,
    }


def _side_by_side(tables: list[Block]) -> list[Block]:
    if len(tables) < 2:
        return tables
    return [{"soort": "naast", "tabellen": tables}]


def _paragraphs(kop: str | None, alineas: Iterable[str]) -> Block:
    return {"soort": "alineas", "kop": kop, "alineas": list(alineas)}


def _definitions(kop: str, paren: Iterable[tuple[str, str]]) -> Block:
    return {"soort": "definities", "kop": kop, "paren": [[t, x] for t, x in paren]}


def _chart(titel: str, svg: object, noten: Iterable[str] = (), alt: str | None = None) -> Block:
    return {"soort": "grafiek", "titel": titel, "svg": str(svg), "noten": list(noten), "alt": alt or titel}


@dataclass
class Sections:
    """The blocks of one publication for one region: the numbers (tables and charts) and the
    texts (toelichting, definities); AM99 and ONB get only the numbers."""

    cijfers: list[Block]
    teksten: list[Block]


class _Reports:
    """The publications of one run, read once, turned into report blocks per region."""

    def __init__(self, frames: dict[str, pd.DataFrame], quarter: Quarter, voorlopig: bool, meta: dict | None):
        self.quarter, self.voorlopig = quarter, bool(voorlopig)
        self.meta = dict(meta or {})
        self.dates = ba_texts.dates_for(quarter, self.meta)
        self.bw_dates = bw_texts.BeschutWerkDates(quarter)
        self.trend = read_publication(frames[TREND], ba_texts.TREND) if TREND in frames else {}
        self.series = read_series(frames[REEKS]) if REEKS in frames else {}
        self.factsheet = read_publication(frames[FACTSHEET], ba_texts.FACTSHEET) if FACTSHEET in frames else {}
        self.klantprofielen = (
            read_publication(frames[KLANTPROFIELEN], ba_texts.KLANTPROFIELEN) if KLANTPROFIELEN in frames else {}
        )
        self.beschut_werk: dict[str, RegionReport] = (
            {r.code: r for r in read_regions(frames[BESCHUT_WERK])} if BESCHUT_WERK in frames else {}
        )
        self.bw_series = (
            pdf_charts.read_bw_series(frames[BESCHUT_WERK_REEKS]) if BESCHUT_WERK_REEKS in frames else {}
        )
        self.present = {
            TREND: bool(self.trend or self.series),
            FACTSHEET: bool(self.factsheet),
            KLANTPROFIELEN: bool(self.klantprofielen),
            BESCHUT_WERK: bool(self.beschut_werk),
        }
        names: dict[str, str] = {}
        for source in (self.trend, self.series, self.factsheet, self.klantprofielen, self.beschut_werk, self.bw_series):
            for code, item in source.items():
                names.setdefault(code, item.naam)
        self.names = names
        self.codes = sorted(names, key=regions.region_sort_key)
        self.published = [c for c in self.codes if regions.is_published(c)]
        self.unpublished = [c for c in self.codes if not regions.is_published(c)]
        visible = {k: v for k, v in self.meta.items() if k not in ("nulmeting_bron", "werkkamer_jaar")}
        items = meta_items(visible)
        self.colofon = " · ".join(f"{label}: {value}" for label, value in items) if items else None

    # --- which reports exist

    def publications(self) -> list[tuple[str, str]]:
        return [p for p in PUBLICATIONS if self.present[p[0]]]

    def has(self, publication: str, code: str) -> bool:
        if publication == TREND:
            return code in self.trend or code in self.series
        return code in {FACTSHEET: self.factsheet, KLANTPROFIELEN: self.klantprofielen,
                        BESCHUT_WERK: self.beschut_werk}[publication]

    # --- the sections of each publication

    def _ba_bron(self) -> Block:
        d = self.dates.fill
        return _definitions(
            f"{ba_texts.BRON_EN_DEFINITIES_TITEL} banenafspraak",
            [(d(t), d(x)) for t, x in ba_texts.BANENAFSPRAAK_DEFINITIES],
        )

    def trend_sections(self, code: str, numbers_only: bool = False) -> Sections:
        region: RegionValues | None = self.trend.get(code)
        series: RegionSeries | None = None if numbers_only else self.series.get(code)
        sec = ba.trend_section(region, series, self.quarter, self.dates)
        turned = [_table(t) for t in sec["tabellen"] if t["gedraaid"]]
        cijfers = _side_by_side(turned) + [_table(t) for t in sec["tabellen"] if not t["gedraaid"]]
        cijfers += pdf_charts.series_blocks(sec["grafiek"])
        cijfers += self._comparison(TREND, code)
        teksten = [
            _paragraphs("Toelichting", sec["toelichting"]),
            _definitions("Toelichting bij de cijfers", sec["definities"]),
            self._ba_bron(),
        ]
        return Sections(cijfers, teksten)

    def factsheet_sections(self, code: str, numbers_only: bool = False) -> Sections:
        sec = ba.factsheet_section(self.factsheet[code], self.dates)
        cijfers = [_table(sec["categorie"])]
        if not numbers_only:
            stroom = sec["stroom"]
            cijfers.append(_chart(stroom["titel"], stroom["svg"]))
            cijfers.append({"soort": "balans", "uitleg": stroom["balans_uitleg"], "som": stroom["balans"]})
        cijfers.append(_table(sec["stromen"], kolombreedte=28))
        cijfers += _side_by_side([_table(sec["instroom"]), _table(sec["uitstroom"])])
        cijfers += self._comparison(FACTSHEET, code)
        teksten = [
            _paragraphs("Toelichting", sec["toelichting"]),
            _definitions("Definities van de stromen", sec["definities"]),
            self._ba_bron(),
        ]
        return Sections(cijfers, teksten)

    def klantprofielen_sections(self, code: str, numbers_only: bool = False) -> Sections:
        sec = ba.klantprofielen_section(self.klantprofielen[code], self.dates)
        cijfers = _side_by_side([_table(t) for t in sec["tabellen"]])
        cijfers += self._comparison(KLANTPROFIELEN, code)
        teksten = [
            _paragraphs("Toelichting", sec["toelichting"]),
            _definitions("Definities", sec["definities"]),
            self._ba_bron(),
        ]
        return Sections(cijfers, teksten)

    def beschut_werk_sections(self, code: str, numbers_only: bool = False) -> Sections:
        sec = section_context(self.beschut_werk[code], self.bw_dates, self.voorlopig)
        cijfers = []
        for view in sec["tabellen"]:
            cijfers.append(_table(view, teken=sec["voetnoot_teken"] if view["voetnoot"] else "",
                                  kolombreedte=31))
        cijfers.append({"soort": "voetnoot", "teken": sec["voetnoot_teken"], "tekst": sec["voetnoot"]})
        if not numbers_only:
            # The series chart already sets the region beside Nederland; the bar only without it.
            series = pdf_charts.bw_series_blocks(self.bw_series, code, self.quarter)
            cijfers += series or self._comparison(BESCHUT_WERK, code)
        teksten = [
            _paragraphs("Toelichting", sec["toelichting"]),
            _definitions(sec["bron_titel"], sec["definities"]),
        ]
        return Sections(cijfers, teksten)

    def _comparison(self, publication: str, code: str) -> list[Block]:
        """The region compared with Nederland, when charts.py offers that chart."""
        if code == regions.NEDERLAND_CODE or not regions.is_published(code):
            return []
        return pdf_charts.comparison_blocks(self, publication, code)

    def sections(self, publication: str, code: str, numbers_only: bool = False) -> Sections:
        build: Callable[..., Sections] = {
            TREND: self.trend_sections,
            FACTSHEET: self.factsheet_sections,
            KLANTPROFIELEN: self.klantprofielen_sections,
            BESCHUT_WERK: self.beschut_werk_sections,
        }[publication]
        return build(code, numbers_only)

    # --- reports and documents

    def region_note(self, publication: str, code: str) -> tuple[str | None, str | None]:
        jaar = self.quarter.peildatum.year
        if publication == BESCHUT_WERK:
            note = bw_texts.region_note(code, jaar)
        else:
            note = regions.region_note(code, jaar)
        return None, note

    def report(self, publication: str, code: str, titel: str) -> Report:
        sections = self.sections(publication, code)
        blokken = list(sections.cijfers) + sections.teksten
        if code == regions.NEDERLAND_CODE:
            blokken += self._unpublished(publication)
        if self.colofon:
            blokken.append({"soort": "colofon", "tekst": self.colofon})
        noot_kop, noot = self.region_note(publication, code)
        naam = self.names[code]
        return {
            "code": code,
            "naam": naam,
            "publicatie": publication,
            "titel": titel,
            "kop": f"{titel} · {naam}",
            "regio_kop": False,
            "noot_kop": noot_kop,
            "noot": noot,
            "blokken": blokken,
        }

    def _unpublished(self, publication: str) -> list[Block]:
        """AM99 and ONB in the Nederland report: their tables, marked as no published region."""
        codes = [c for c in self.unpublished if self.has(publication, c)]
        if not codes:
            return []
        blocks: list[Block] = [
            {"soort": "nieuwe_pagina"},
            {"soort": "kop", "tekst": NIET_GEPUBLICEERD_TITEL},
            {"soort": "noot", "tekst": NIET_GEPUBLICEERD_INLEIDING},
        ]
        jaar = self.quarter.peildatum.year
        for code in codes:
            note = (bw_texts.region_note if publication == BESCHUT_WERK else regions.region_note)(code, jaar)
            blocks.append({
                "soort": "kader",
                "kop": f"{self.names[code]} ({code}) — {regions.NIET_GEPUBLICEERD_KOP.lower()}",
                "tekst": note or "",
            })
            numbers = self.sections(publication, code, numbers_only=True).cijfers
            blocks += [b for b in numbers if b["soort"] != "voetnoot"]
        return blocks

    def document(self, reports: list[Report], titel: str, combined: bool) -> dict:
        data = {
            "titel": titel + (" (voorlopig)" if self.voorlopig else ""),
            "auteur": ["regiorapportage"],
            "trefwoorden": ["banenafspraak", "beschut werk", "arbeidsmarktregio", str(self.quarter)],
            "datum": _document_date(self.meta),
            "lettertypen": list(FONTS),
            "kwartaal": self.quarter.label_nl,
            "peildatum": self.dates.fill("{peildatum}"),
            "voorlopig": self.voorlopig,
            "voorlopig_kop": bw_texts.VOORLOPIG_KOP,
            "voorlopig_label": VOORLOPIG_LABEL,
            "voorlopig_tekst": self.dates.fill(bw_texts.VOORLOPIG_TEKST),
            "bronregel": BRONREGEL + (" · voorlopige cijfers" if self.voorlopig else ""),
            "verzameling": None,
            "rapporten": reports,
        }
        if combined:
            from regiorapportage.render import site

            data["verzameling"] = {
                "titel": ba_texts.SITE_TITEL,
                "kop": ba_texts.SITE_TITEL,
                "inleiding": list(site.INTRO),
                "onderdelen": [[t, site.ONDERDELEN[k]] for k, t in self.publications()],
                "slot": [VERZAMELING_SLOT],
                "inhoud_kop": "Inhoud",
            }
        return data


def _document_date(meta: dict) -> list[int] | None:
    """The document date from the run (``meta['generated']``, ISO), never the clock; none
    when the run gives none, so that the same inputs give the same bytes."""
    text = str(meta.get("generated") or "")
    try:
        year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    except ValueError:
        return None
    return [year, month, day]


# --- Typst ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _template_dir() -> Path:
    return Path(str(resources.files("regiorapportage.render").joinpath("typst")))


_local = threading.local()


def _compiler():
    """One Typst compiler per thread (fonts are loaded once per compiler)."""
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        import typst

        folder = _template_dir()
        compiler = typst.Compiler(input=str(folder / TEMPLATE), root=str(folder))
        _local.compiler = compiler
    return compiler


def compile_document(data: dict) -> bytes:
    """The PDF of one document (see ``rapport.typ`` for the data it expects)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _compiler().compile(sys_inputs={"data": payload})


def write_pdf(
    frames: dict[str, pd.DataFrame],
    out_dir: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
) -> list[Path]:
    """Write ``out_dir/pdf/<publicatie>_<regio_code>.pdf`` for every publication in
    ``frames`` (any subset of beschut_werk, banenafspraak_trend, banenafspraak_reeks,
    factsheet, klantprofielen, beschut_werk_reeks) and every published region, and the
    combined ``regiorapportage_<kwartaal>_alle_regios.pdf``. Returns the written paths,
    sorted, the combined document first."""
    model = _Reports(frames, quarter, voorlopig, meta)
    if not model.published:
        return []
    pdf_dir = Path(out_dir) / PDF_DIR
    jobs: list[tuple[Path, dict]] = []
    combined: list[Report] = []
    for code in model.published:
        first = True
        for publication, titel in model.publications():
            if not model.has(publication, code):
                continue
            report = model.report(publication, code, titel)
            name = model.names[code]
            jobs.append((
                pdf_dir / _file_name(publication, code),
                model.document([report], f"{titel} {name} — {quarter.label_nl}", combined=False),
            ))
            combined.append({**report, "regio_kop": first})
            first = False
    if not combined:
        return []
    combined_path = pdf_dir / _combined_name(quarter)
    jobs.insert(0, (combined_path, model.document(
        combined, f"{ba_texts.SITE_TITEL} — {quarter.label_nl}", combined=True)))

    pdf_dir.mkdir(parents=True, exist_ok=True)
    # One document after the other: Typst lays out and exports in parallel itself; two
    # Python threads compiling at once were slower here (2 cores).
    for path, data in jobs:
        path.write_bytes(compile_document(data))
    return [jobs[0][0]] + sorted(path for path, _ in jobs[1:])
