"""What the renderings of a run share: the run's long tables read once per publication,
the regions in publication order, the file names of the PDFs, and the comparison of a
region with Nederland. Built from the publications handed in (the registry's, or a test's);
nothing here names one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from regiorapportage.publications.base import Publication
from regiorapportage.render.formatting import STREEPJE
from regiorapportage.quarter import Quarter
from regiorapportage.render import regions
from regiorapportage.render.charts import Comparison
from regiorapportage.render.formatting import format_percentage
from regiorapportage.render.views import Data, Dates, Indicator

PDF_DIR = "pdf"


def pdf_name(publicatie: str, code: str) -> str:
    """``pdf/<publicatie>_<regio_code>.pdf`` in the run folder."""
    return f"{publicatie}_{code}.pdf"


def combined_pdf_name(quarter: Quarter) -> str:
    """The national PDF with all regions."""
    return f"regiorapportage_{quarter}_alle_regios.pdf"


@dataclass
class RenderJob:
    """The long tables of one run (``frames``, keyed by output key) and the publications
    that made them. ``titel``, ``intro`` and ``keywords`` are the product's own texts for
    the site and the combined PDF."""

    frames: dict[str, pd.DataFrame]
    quarter: Quarter
    voorlopig: bool
    meta: dict
    publications: list[Publication]
    titel: str
    intro: tuple[str, ...]
    keywords: tuple[str, ...]
    data: dict[str, Data] = field(init=False)

    def __post_init__(self) -> None:
        self.meta = dict(self.meta or {})
        self.voorlopig = bool(self.voorlopig)
        self.data = {}
        for pub in sorted(self.publications, key=lambda p: p.volgorde):
            data = pub.view.read(self.frames, self.quarter, self.voorlopig, self.meta)
            if data is not None:
                self.data[pub.key] = data

    @cached_property
    def present(self) -> list[Publication]:
        """The publications with tables in this run, in page order (``volgorde``)."""
        return [p for p in sorted(self.publications, key=lambda p: p.volgorde) if p.key in self.data]

    @cached_property
    def names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for pub in self.present:
            for code, naam in self.data[pub.key].names().items():
                names.setdefault(code, naam)
        return names

    @cached_property
    def codes(self) -> list[str]:
        return sorted(self.names, key=regions.region_sort_key)

    @cached_property
    def dates(self) -> Dates:
        return Dates(self.quarter)

    def footer_meta(self) -> dict:
        """The run's facts for footers: those that no publication's texts show already."""
        in_texts = {k for p in self.publications for k in p.view.meta_in_texts}
        return {k: v for k, v in self.meta.items() if k not in in_texts}

    def workbook_meta(self, pub: Publication) -> dict:
        """The run's facts for a publication's workbook: not those of another's texts."""
        others = {k for p in self.publications if p is not pub for k in p.view.meta_in_texts}
        own = set(pub.view.meta_in_texts)
        return {k: v for k, v in self.meta.items() if k not in others - own}

    # --- indicators and the comparison with Nederland -------------------------------------

    def indicators(self) -> list[tuple[Publication, Indicator]]:
        """The indicators of the publications present, in registry order."""
        return [(p, i) for p in self.publications if p.key in self.data for i in p.view.indicators()]

    def indicator_value(self, pub: Publication, indicator: Indicator, code: str):
        region = self.data[pub.key].main.get(code)
        if region is None:
            return None
        return region.value(indicator.tabel, indicator.rij, indicator.kolom)

    def comparison_items(self, publications: list[Publication], code: str) -> list[Comparison]:
        """The bars of the comparison of region ``code`` with Nederland: the indicators of
        ``publications`` (registry order), then their extra bars."""
        nl = regions.NEDERLAND_CODE
        chosen = [p for p in self.publications if p in publications and p.key in self.data]
        items: list[Comparison] = []
        for pub in chosen:
            if code in self.data[pub.key].main:
                for indicator in pub.view.indicators():
                    items.append(Comparison(indicator.regels, self.indicator_value(pub, indicator, code),
                                            self.indicator_value(pub, indicator, nl)))
        for pub in chosen:
            main = self.data[pub.key].main
            if code in main and nl in main:
                items += pub.view.comparison_extras(self.data[pub.key], code)
        return items

    @staticmethod
    def comparison_description(items: list[Comparison], naam: str) -> str:
        def text(v) -> str:
            return STREEPJE if v is None else format_percentage(v)

        return "Staafdiagram. " + " ".join(
            f"{' '.join(i.lines)}: {naam} {text(i.region)}, Nederland {text(i.nederland)}." for i in items
        )
