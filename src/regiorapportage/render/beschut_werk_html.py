"""HTML pages of the Rapportage beschut werk: one per region, Nederland, AM99, ONB, and an
index page. One template serves every region (DESIGN: Render)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from regiorapportage.quarter import Quarter
from regiorapportage.render import beschut_werk_texts as texts
from regiorapportage.render.beschut_werk_model import RegionReport, read_regions
from regiorapportage.render.formatting import format_number, format_percentage
from regiorapportage.render.templating import environment, meta_items, stylesheet

INDEX_NAME = "index.html"
# Relative to the HTML folder (<run>/html/): the data files sit in <run>/.
CSV_LINK = "../beschut_werk.csv"
XLSX_LINK = "../beschut_werk.xlsx"

_SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def page_name(code: str) -> str:
    if not _SAFE_CODE.match(code):
        raise ValueError(f"beschut werk: regiocode {code!r} is geen geldige bestandsnaam")
    return f"{code}.html"


def _table_views(region: RegionReport, dates: texts.BeschutWerkDates) -> list[dict]:
    """The four tables of a region as headings and formatted cells (BW-2, BW-5)."""
    views = []
    for number, spec in enumerate(texts.TABELLEN, start=1):
        rows = []
        if spec.soort == "adviezen":
            corner = dates.fill(texts.ADVIES_HOEK)
            headings = [label for _, label in texts.ADVIES_KOLOMMEN]
            for rij, label in spec.rijen:
                cells = [
                    format_number(region.value(spec.tabel, rij, kolom))
                    for kolom, _ in texts.ADVIES_KOLOMMEN
                ]
                rows.append({"label": label, "totaal": rij == "totaal", "cells": cells})
        else:
            corner = ""
            labels = dict(texts.WERK_KOLOMMEN)
            headings = [
                dates.fill(labels["positief_advies_tm_cohortdatum"]),
                dates.fill(labels["werkend_uit_cohort"]),
                dates.fill(labels["totaal_werkend"]),
            ]
            for rij, label in spec.rijen:
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
                "voetnoot": spec.soort == "werk",
                "hoek": corner,
                "kolommen": headings,
                "rijen": rows,
            }
        )
    return views


def section_context(region: RegionReport, dates: texts.BeschutWerkDates, voorlopig: bool) -> dict:
    """The beschut werk part of a region page: tables, footnote and texts (BW-2, BW-5, BW-7)."""
    return {
        "id": "beschut-werk",
        "titel": texts.TITEL,
        "tabellen": _table_views(region, dates),
        "voetnoot_teken": texts.VOETNOOT_TEKEN,
        "voetnoot": dates.fill(texts.VOETNOOT_WERK_VOORLOPIG if voorlopig else texts.VOETNOOT_WERK),
        "toelichting": [dates.fill(p) for p in texts.TOELICHTING],
        "bron_titel": texts.BRON_EN_DEFINITIES_TITEL,
        "definities": [(dates.fill(term), dates.fill(text)) for term, text in texts.BRON_EN_DEFINITIES],
    }


def _common_context(
    quarter: Quarter, voorlopig: bool, meta: dict | None
) -> tuple[texts.BeschutWerkDates, dict]:
    dates = texts.BeschutWerkDates(quarter)
    context = {
        "css": stylesheet(),
        "rapport_titel": texts.TITEL,
        "kwartaal": quarter.label_nl,
        "kwartaal_code": str(quarter),
        "voorlopig": bool(voorlopig),
        "voorlopig_kop": texts.VOORLOPIG_KOP,
        "voorlopig_tekst": dates.fill(texts.VOORLOPIG_TEKST),
        "meta": meta_items(meta),
        "index_link": INDEX_NAME,
        "csv_link": CSV_LINK,
        "xlsx_link": XLSX_LINK,
        "bron_titel": texts.BRON_EN_DEFINITIES_TITEL,
        "definities": [(dates.fill(term), dates.fill(text)) for term, text in texts.BRON_EN_DEFINITIES],
    }
    return dates, context


def _index_rows(regions: list[RegionReport]) -> list[dict]:
    rows = []
    for region in regions:
        v = region.value
        rows.append(
            {
                "code": region.code,
                "naam": region.naam,
                "link": page_name(region.code),
                "kind": region.kind,
                "cells": [
                    format_number(v("adviezen_naar_aanvrager", "totaal", "totaal")),
                    format_number(v("adviezen_naar_aanvrager", "totaal", "positief")),
                    format_number(v("werk_naar_aanvrager", "totaal", "positief_advies_tm_cohortdatum")),
                    f"{format_number(v('werk_naar_aanvrager', 'totaal', 'werkend_uit_cohort'))} "
                    f"({format_percentage(v('werk_naar_aanvrager', 'totaal', 'percentage_werkend'))})",
                    format_number(v("werk_naar_aanvrager", "totaal", "totaal_werkend")),
                ],
            }
        )
    return rows


def write_beschut_werk_html(
    table: pd.DataFrame,
    out_dir: Path,
    quarter: Quarter,
    voorlopig: bool,
    meta: dict,
) -> list[Path]:
    """Write ``index.html`` and one page per region (NL01, AMxx…, AM99, ONB) to ``out_dir``.

    Every number comes from ``table`` (long format of ``beschut_werk.csv``); the pages
    depend on nothing but the arguments (BW-7 texts with the quarter's dates, T-5
    marking when ``voorlopig``). Returns the written paths, index first.
    """
    out_dir = Path(out_dir)
    regions = read_regions(table)
    dates, common = _common_context(quarter, voorlopig, meta)
    env = environment()
    region_template = env.get_template("beschut_werk_regio.html.j2")
    index_template = env.get_template("beschut_werk_index.html.j2")
    jaar = quarter.peildatum.year

    pages: list[tuple[Path, str]] = []
    index_rows = _index_rows(regions)
    index_html = index_template.render(
        **common,
        titel=f"{texts.TITEL} — {quarter.label_nl}",
        nederland=[r for r in index_rows if r["kind"] == "nederland"],
        regios=[r for r in index_rows if r["kind"] == "regio"],
        overig=[r for r in index_rows if r["kind"] in ("niet_in_te_delen", "onbekend")],
        index_kolommen=[
            f"Adviezen {dates.fill('{adviesperiode_kort}').lower()}",
            "Waarvan positief",
            dates.fill(dict(texts.WERK_KOLOMMEN)["positief_advies_tm_cohortdatum"]),
            dates.fill(dict(texts.WERK_KOLOMMEN)["werkend_uit_cohort"]),
            dates.fill(dict(texts.WERK_KOLOMMEN)["totaal_werkend"]),
        ],
        nederland_noot=texts.NEDERLAND_NOOT,
        overig_noot=(
            "Niet in te delen en Onbekend zijn geen gepubliceerde regio's; ze staan hier ter "
            "controle en tellen mee in Nederland."
        ),
    )
    pages.append((out_dir / INDEX_NAME, index_html))

    for position, region in enumerate(regions):
        previous = regions[position - 1] if position > 0 else None
        following = regions[position + 1] if position + 1 < len(regions) else None
        html = region_template.render(
            **common,
            titel=f"{texts.TITEL} {region.naam}",
            regio_code=region.code,
            regio_naam=region.naam,
            regio_soort=region.kind,
            gepubliceerd=region.published,
            niet_gepubliceerd_kop=texts.NIET_GEPUBLICEERD_KOP,
            regio_noot=texts.region_note(region.code, jaar),
            bw=section_context(region, dates, voorlopig),
            vorige=(
                {"link": page_name(previous.code), "naam": previous.naam} if previous else None
            ),
            volgende=(
                {"link": page_name(following.code), "naam": following.naam} if following else None
            ),
        )
        pages.append((out_dir / page_name(region.code), html))

    out_dir.mkdir(parents=True, exist_ok=True)
    for path, html in pages:
        path.write_text(html, encoding="utf-8", newline="\n")
    return [path for path, _ in pages]
