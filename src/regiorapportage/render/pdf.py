"""PDF reports: ``pdf/<publicatie>_<regio_code>.pdf`` for every publication present and
every published region (NL01, AM01…AM35), and one combined national document
``pdf/regiorapportage_<kwartaal>_alle_regios.pdf`` (Nederland first, then every region, all
publications, with contents and bookmarks).

The one PDF builder of every publication: typeset with Typst (the ``typst`` Python binding)
from one template, ``render/typst/rapport.typ``. Each publication's view gives, per region,
its *blocks* (tables, charts, paragraphs, definitions; ``pdf_blocks.py``) as plain data, and
this module hands them to the template as JSON in ``sys.inputs``: no Typst markup is
generated from strings, so no text needs escaping. The contents are those of the HTML pages:
the same views, hence the same numbers (looked up in the long tables, formatted the Dutch
way; nothing is computed here — DESIGN: Render), the same texts and the same SVG charts.

AM99 (Niet in te delen) and ONB (Onbekend) are not published regions (R-2, R-4): they get no
PDF of their own; their tables are printed in the Nederland report, marked as such, as the
HTML and workbooks show them on their own page or sheet marked "Geen gepubliceerde regio".
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from regiorapportage.render import pdf_blocks as b
from regiorapportage.render import regions
from regiorapportage.render.charts import comparison_svg
from regiorapportage.render.common_texts import VOORLOPIG_KOP, voorlopig_tekst
from regiorapportage.render.formatting import format_date
from regiorapportage.render.job import PDF_DIR, RenderJob, combined_pdf_name, pdf_name
from regiorapportage.render.templating import meta_items
from regiorapportage.render.views import Sections

TEMPLATE = "rapport.typ"

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

Report = dict


class _Reports:
    """The publications of one run, read once, turned into report blocks per region."""

    def __init__(self, job: RenderJob):
        self.job = job
        self.quarter, self.voorlopig = job.quarter, job.voorlopig
        self.meta = dict(job.meta)
        self.names = job.names
        self.codes = job.codes
        self.published = [c for c in self.codes if regions.is_published(c)]
        self.unpublished = [c for c in self.codes if not regions.is_published(c)]
        items = meta_items(job.footer_meta())
        self.colofon = " · ".join(f"{label}: {value}" for label, value in items) if items else None

    def sections(self, pub, code: str, numbers_only: bool = False) -> Sections:
        return pub.view.pdf_sections(self.job.data[pub.key], code, self, numbers_only)

    def comparison(self, pub, code: str) -> list[dict]:
        """The region's reported percentages of this publication next to those of Nederland:
        the bars of the site's comparison chart that belong to the publication. Looks values
        up only; none for Nederland itself and the unpublished AM99/ONB."""
        if code == regions.NEDERLAND_CODE or not regions.is_published(code):
            return []
        items = self.job.comparison_items([pub], code)
        if not items:
            return []
        naam = self.names[code]
        title = f"{naam} vergeleken met Nederland, {self.quarter.label_nl.lower()}"
        desc = self.job.comparison_description(items, naam)
        return [b.chart(title, comparison_svg(items, naam, "vergelijking-nederland", title, desc))]

    # --- reports and documents

    def report(self, pub, code: str) -> Report:
        sections = self.sections(pub, code)
        blokken = list(sections.cijfers) + sections.teksten
        if code == regions.NEDERLAND_CODE:
            blokken += self._unpublished(pub)
        if self.colofon:
            blokken.append({"soort": "colofon", "tekst": self.colofon})
        naam = self.names[code]
        return {
            "code": code,
            "naam": naam,
            "publicatie": pub.key,
            "titel": pub.titel,
            "kop": f"{pub.titel} · {naam}",
            "regio_kop": False,
            "noot_kop": None,
            "noot": pub.view.region_note(code, self.quarter.peildatum.year),
            "blokken": blokken,
        }

    def _unpublished(self, pub) -> list[dict]:
        """AM99 and ONB in the Nederland report: their tables, marked as no published region."""
        codes = [c for c in self.unpublished if pub.view.has_region(self.job.data[pub.key], c)]
        if not codes:
            return []
        blocks: list[dict] = [
            {"soort": "nieuwe_pagina"},
            {"soort": "kop", "tekst": NIET_GEPUBLICEERD_TITEL},
            {"soort": "noot", "tekst": NIET_GEPUBLICEERD_INLEIDING},
        ]
        jaar = self.quarter.peildatum.year
        for code in codes:
            blocks.append({
                "soort": "kader",
                "kop": f"{self.names[code]} ({code}) — {regions.NIET_GEPUBLICEERD_KOP.lower()}",
                "tekst": pub.view.region_note(code, jaar) or "",
            })
            numbers = self.sections(pub, code, numbers_only=True).cijfers
            blocks += [blk for blk in numbers if blk["soort"] != "voetnoot"]
        return blocks

    def document(self, reports: list[Report], titel: str, combined: bool) -> dict:
        data = {
            "titel": titel + (" (voorlopig)" if self.voorlopig else ""),
            "auteur": ["regiorapportage"],
            "trefwoorden": [*self.job.keywords, str(self.quarter)],
            "datum": _document_date(self.meta),
            "lettertypen": list(FONTS),
            "kwartaal": self.quarter.label_nl,
            "peildatum": format_date(self.quarter.peildatum),
            "voorlopig": self.voorlopig,
            "voorlopig_kop": VOORLOPIG_KOP,
            "voorlopig_label": VOORLOPIG_LABEL,
            "voorlopig_tekst": voorlopig_tekst(self.job.dates, self.job.quarter),
            "bronregel": BRONREGEL + (" · voorlopige cijfers" if self.voorlopig else ""),
            "verzameling": None,
            "rapporten": reports,
        }
        if combined:
            data["verzameling"] = {
                "titel": self.job.titel,
                "kop": self.job.titel,
                "inleiding": list(self.job.intro),
                "onderdelen": [[p.titel, p.view.onderdeel] for p in self.job.present],
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


def write_pdf(job: RenderJob, out_dir: Path) -> list[Path]:
    """Write ``out_dir/pdf/<publicatie>_<regio_code>.pdf`` for every publication of the job
    and every published region, and the combined ``regiorapportage_<kwartaal>_alle_regios.pdf``
    (not for a run of one report: the national monitor). Returns the written paths, sorted,
    the combined document first."""
    model = _Reports(job)
    if not model.published:
        return []
    quarter = job.quarter
    pdf_dir = Path(out_dir) / PDF_DIR
    jobs: list[tuple[Path, dict]] = []
    combined: list[Report] = []
    for code in model.published:
        first = True
        for pub in job.present:
            if not pub.view.has_region(job.data[pub.key], code):
                continue
            report = model.report(pub, code)
            name = model.names[code]
            jobs.append((
                pdf_dir / pdf_name(pub.key, code),
                model.document([report], f"{pub.titel} {name} — {quarter.label_nl}", combined=False),
            ))
            combined.append({**report, "regio_kop": first})
            first = False
    if not combined:
        return []
    if len(combined) > 1:  # one report (the national monitor) needs no combined document
        combined_path = pdf_dir / combined_pdf_name(quarter)
        jobs.insert(0, (combined_path, model.document(combined, f"{job.titel} — {quarter.label_nl}", combined=True)))

    pdf_dir.mkdir(parents=True, exist_ok=True)
    # One document after the other: Typst lays out and exports in parallel itself; two
    # Python threads compiling at once were slower here (2 cores).
    for path, data in jobs:
        path.write_bytes(compile_document(data))
    return [jobs[0][0]] + sorted(path for path, _ in jobs[1:])
