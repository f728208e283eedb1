"""The HTML site of a run: ``html/index.html`` and one page per region (NL01, AMxx…, AM99,
ONB) with every publication of the run, in the order of the publications' ``volgorde`` (the
order of the UWV publications).

The one page generator of every publication: ``run`` writes these pages into
``<run>/html/``, next to the CSV and XLSX files and the PDFs in ``<run>/pdf/`` that the pages
link to (relative links, so the run folder works from the file system, offline, and can be
copied as a whole); ``site`` runs the same and adds a start page over the quarters in the
output folder (:func:`write_site_index`).

The index has a map of the regions coloured by a chosen indicator (map.py) and a sortable
table of the regions (a few lines of inline JavaScript; without JavaScript the page shows
every map and the table in region order). A region page has a small locator map, the
downloads of the region (its PDFs, and the CSV and XLSX of all regions), the region
compared with Nederland, and every publication: each publication's view gives its section
(a template and what it shows), its indicators and its key figures.

One template serves every region (DESIGN: Render); every number comes from the long tables;
charts and maps are inline SVG (charts.py, map.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from markupsafe import Markup

from regiorapportage.render.formatting import STREEPJE
from regiorapportage.quarter import Jaar, Quarter
from regiorapportage.render import map as kaart
from regiorapportage.render import regions
from regiorapportage.render.charts import comparison_svg
from regiorapportage.render.common_texts import VOORLOPIG_KOP, voorlopig_tekst
from regiorapportage.render.formatting import format_date, format_percentage
from regiorapportage.render.job import PDF_DIR, RenderJob, combined_pdf_name, pdf_name
from regiorapportage.render.templating import environment, meta_items, stylesheet
from regiorapportage.render.views import Indicator

INDEX_NAME = "index.html"
KAART_BRON = kaart.BRON

_SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def page_name(code: str) -> str:
    """The region page's file name; a code that is no safe file name is refused."""
    if not _SAFE_CODE.match(code):
        raise ValueError(f"regiocode {code!r} is geen geldige bestandsnaam")
    return f"{code}.html"


def _data_files(key: str) -> dict[str, str]:
    # Relative to the HTML folder (<run>/html/): the data files sit in <run>/.
    return {"csv": f"../{key}.csv", "xlsx": f"../{key}.xlsx"}


class _Site:
    """The publications of one run, read once, looked up per region."""

    def __init__(self, job: RenderJob, out_dir: Path | None = None):
        self.job = job
        self.quarter, self.voorlopig = job.quarter, job.voorlopig
        # The PDFs that exist in <run>/pdf/ when the pages are written (render PDFs first).
        pdf_dir = Path(out_dir) / PDF_DIR if out_dir is not None else None
        self.pdfs = (
            frozenset(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir is not None and pdf_dir.is_dir() else frozenset()
        )
        self.codes = job.codes
        self.names = job.names
        self.common = {
            "css": stylesheet(),
            "rapport_titel": job.titel,
            "kwartaal": job.quarter.label_nl,
            "kwartaal_code": str(job.quarter),
            "peildatum": format_date(job.quarter.peildatum),
            "voorlopig": self.voorlopig,
            "voorlopig_kop": VOORLOPIG_KOP,
            "voorlopig_tekst": voorlopig_tekst(job.dates, job.quarter),
            "meta": meta_items(job.footer_meta()),
            "index_link": INDEX_NAME,
        }

    def publications(self):
        return self.job.present

    def environment(self):
        return environment(tuple(dict.fromkeys(p.view.templates for p in self.job.publications if p.view.templates)))

    # -- values, links ---------------------------------------------------------------------

    def indicators(self) -> list[tuple[object, Indicator]]:
        return self.job.indicators()

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
        for number, (pub, indicator) in enumerate(self.indicators()):
            values = {code: self.job.indicator_value(pub, indicator, code) for code in self.codes
                      if regions.region_kind(code) == "regio"}
            nl = self.job.indicator_value(pub, indicator, regions.NEDERLAND_CODE)
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
        itself nor for the unpublished AM99/ONB)."""
        if regions.region_kind(code) != "regio":
            return None
        items = self.job.comparison_items(self.job.publications, code)
        if not items:
            return None
        naam = self.names[code]
        title = f"{naam} vergeleken met Nederland, {self.quarter.label_nl.lower()}"
        desc = self.job.comparison_description(items, naam)
        svg = comparison_svg(items, naam, "vergelijking-nederland", title, desc)
        return {"titel": title, "svg": Markup(svg)}

    def _files(self, pub) -> list[dict]:
        """The data files of a publication: its main output (CSV, XLSX) and the further
        outputs in its workbook (their CSV; their sheets are in the main workbook)."""
        main = pub.main.key
        files = [{"titel": pub.titel, **_data_files(main)}]
        wanted = pub.view.workbook_outputs
        for output in pub.outputs[1:]:
            if output.key in self.job.frames and (wanted is None or output.key in wanted):
                files.append({"titel": output.titel, "csv": _data_files(output.key)["csv"],
                              "xlsx": _data_files(main)["xlsx"]})
        return files

    def region_downloads(self, code: str) -> list[dict]:
        """Per publication of the run: the region's PDF (when written) and the data files of
        all regions (CSV, XLSX)."""
        return [{"titel": p.titel, "pdf": self.pdf_link(p.key, code), **_data_files(p.main.key)}
                for p in self.publications()]

    def downloads(self) -> list[dict]:
        return [f for p in self.publications() for f in self._files(p)]

    def sections(self, code: str) -> list[dict]:
        """The sections of a region page, in page order; after the last publication of a
        family on the page, the family's closing section (shared definitions), once."""
        out = []
        made: dict[str, bool] = {}
        present = self.publications()
        for position, pub in enumerate(present):
            section = pub.view.html_section(self.job.data[pub.key], code, self)
            made[pub.key] = section is not None
            if section is not None:
                out.append(section)
            family = pub.family.key
            members = [p for p in present if p.family.key == family]
            if family and pub is members[-1]:  # after the family's last publication on the page
                if any(made[p.key] for p in members):
                    closing = pub.view.family_section([self.job.data[p.key] for p in members], code)
                    if closing is not None:
                        out.append(closing)
        return out

    def region_page(self, code: str, previous: str | None, following: str | None) -> str:
        inhoud = [{"id": p.sectie, "titel": p.titel} for p in self.publications()]
        naam = self.names[code]
        return self.environment().get_template("regio.html.j2").render(
            **self.common,
            titel=f"{naam} — {self.job.titel}, {self.quarter.label_nl.lower()}",
            regio_code=code,
            regio_naam=naam,
            alleen_nederland=self.codes == [regions.NEDERLAND_CODE],
            regio_soort=regions.region_kind(code),
            gepubliceerd=regions.is_published(code),
            niet_gepubliceerd_kop=regions.NIET_GEPUBLICEERD_KOP,
            # a page of Nederland alone (national publications) compares with no regions
            regio_noot=regions.region_note(code, self.quarter.peildatum.year) if len(self.codes) > 1 else None,
            inhoud=inhoud,
            secties=self.sections(code),
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

    def indicator_cell(self, pub, indicator: Indicator):
        """An index column of an indicator: function code → (text, sort key)."""

        def cell(c: str) -> tuple[str, str]:
            if c not in self.job.data[pub.key].main:
                return "", ""
            value = self.job.indicator_value(pub, indicator, c)
            if value is None:
                return STREEPJE, ""
            return format_percentage(value), str(value)

        return cell

    def _index_columns(self) -> list[tuple[str, object, str]]:
        """(heading, function code -> (text, sort key), note) of the key figures on the
        index page, publication by publication; the sort key is the reported value as a
        plain number ("" = no value)."""
        columns = []
        for pub in self.publications():
            columns += pub.view.index_columns(self.job.data[pub.key], self)
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
                        {"link": f"{page_name(code)}#{p.sectie}", "titel": p.kort, "lang": p.titel}
                        for p in self.publications()
                    ],
                    "cells": [dict(zip(("tekst", "sorteer"), fn(code), strict=True)) for _, fn, _ in columns],
                }
            )
        streepje = [p.view.streepje_noot for p in self.publications() if p.view.streepje_noot]
        return self.environment().get_template("index.html.j2").render(
            **self.common,
            titel=f"{self.job.titel} — {self.quarter.label_nl}",
            intro=self.job.intro,
            onderdelen=[{"titel": p.titel, "tekst": p.view.onderdeel} for p in self.publications()],
            downloads=self.downloads(),
            nederland_pdfs=[
                {"titel": p.titel, "pdf": self.pdf_link(p.key, regions.NEDERLAND_CODE)}
                for p in self.publications()
            ],
            alle_regios_pdf=self.combined_pdf_link(),
            kaarten=self.maps(),
            kaart_bron=KAART_BRON,
            index_kolommen=[heading for heading, _, _ in columns],
            nederland=[r for r in rows if r["kind"] == "nederland"],
            regios=[r for r in rows if r["kind"] == "regio"],
            overig=[r for r in rows if r["kind"] in ("niet_in_te_delen", "onbekend")],
            kolom_uitleg=[(heading, note) for heading, _, note in columns if note],
            nederland_noot=regions.NEDERLAND_NOOT_ALGEMEEN,
            overig_noot=(
                "‘Niet in te delen’ en ‘Onbekend’ zijn geen gepubliceerde regio's; ze staan hier "
                "ter controle en tellen mee in Nederland."
            ),
            streepje_noot=streepje[0] if streepje else "",
        )


def write_html(job: RenderJob, out_dir: Path) -> list[Path]:
    """Write ``out_dir/html/index.html`` and one page per region with every publication of
    the job. The pages link the PDFs that exist in ``out_dir/pdf/`` at the time of the call,
    so write the PDFs first. Returns the written paths, index first."""
    html_dir = Path(out_dir) / "html"
    site = _Site(job, out_dir)
    if not site.codes:
        return []
    if site.codes == [regions.NEDERLAND_CODE]:
        # national publications only (the annual monitor, LM-1): the Nederland page is the
        # run's page; there is no map and no table of regions to show
        html_dir.mkdir(parents=True, exist_ok=True)
        path = html_dir / INDEX_NAME
        path.write_text(site.region_page(regions.NEDERLAND_CODE, None, None), encoding="utf-8", newline="\n")
        return [path]
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


def _run_manifest(child: Path) -> dict:
    manifest = child / "manifest.json"
    if manifest.is_file():
        try:
            run = json.loads(manifest.read_text(encoding="utf-8"))["run"]
            return run if isinstance(run, dict) else {}
        except (ValueError, KeyError, TypeError):
            return {}
    return {}


def write_site_index(site_dir: Path, titel: str, titles: dict[str, str] | None = None) -> Path:
    """Write ``site_dir/index.html``: the quarters in ``site_dir`` (each a run folder
    ``<JJJJKn>/`` with ``html/index.html``), newest first, each marked voorlopig when its
    manifest says so, linking to the quarter's index page; then the years (``<JJJJ>/``, the
    annual publications), each publication of the year's manifest by its title
    (``titles``: key → title) with its page and PDF. ``site`` writes it after the run; it
    is rewritten each time, so a folder can collect several quarters and years."""
    site_dir = Path(site_dir)
    titles = titles or {}
    quarters, years = [], []
    for child in sorted(site_dir.iterdir()) if site_dir.is_dir() else []:
        if not (child / "html" / INDEX_NAME).is_file():
            continue
        run = _run_manifest(child)
        voorlopig = bool(run.get("voorlopig", False))
        if re.fullmatch(r"[0-9]{4}", child.name):
            keys = [k for k in run.get("publicaties", []) if isinstance(k, str) and _SAFE_CODE.match(k)]
            years.append({
                "jaar": child.name,
                "peildatum": format_date(Jaar.parse(child.name).peildatum),
                "link": f"{child.name}/html/{INDEX_NAME}",
                "voorlopig": voorlopig,
                "publicaties": [{
                    "titel": titles.get(k, k.replace("_", " ")),
                    "pdf": (f"{child.name}/{PDF_DIR}/{pdf_name(k, regions.NEDERLAND_CODE)}"
                            if (child / PDF_DIR / pdf_name(k, regions.NEDERLAND_CODE)).is_file() else None),
                } for k in keys],
            })
            continue
        try:
            quarter = Quarter.parse(child.name)
        except Exception:  # noqa: BLE001 - not a quarter folder
            continue
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
    years.sort(key=lambda j: j["jaar"], reverse=True)
    html = environment().get_template("site_index.html.j2").render(
        css=stylesheet(),
        titel=titel,
        rapport_titel=titel,
        kwartaal=quarters[0]["kwartaal"] if quarters else "",
        voorlopig=False,
        meta=[],
        kwartalen=quarters,
        jaren=years,
    )
    path = site_dir / INDEX_NAME
    site_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8", newline="\n")
    return path
