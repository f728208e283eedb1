"""HTML pages of the Rapportage beschut werk: one per region, Nederland, AM99, ONB, and an
index page. One template serves every region (DESIGN: Render)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from regiorapportage.quarter import Quarter
from regiorapportage.render import beschut_werk_texts as texts
from regiorapportage.render.beschut_werk_model import RegionReport, read_regions
from regiorapportage.render.charts import Series, percentage_series_svg
from regiorapportage.render.formatting import format_date, format_number, format_percentage
from regiorapportage.render.publication_model import clean_value
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


# --- the time series of the percentage at work (beschut_werk_reeks) ------------------------

REEKS_KEY = "beschut_werk_reeks"
REEKS_TABEL = "reeks"
# (kolom, label, is a percentage), in table order.
REEKS_KOLOMMEN = (
    ("positief_advies_tm_cohortdatum", "Positief advies t/m de cohortdatum", False),
    ("werkend_uit_cohort", "Waarvan werkend", False),
    ("percentage_werkend", "Percentage werkend", True),
)
STREEPJE = "\u2013"
REGIO_KLEUR, NEDERLAND_KLEUR = "#123f6d", "#c2570c"


@dataclass
class BeschutWerkSeries:
    """One region's quarterly series of the cohort and the share of it at work."""

    code: str
    naam: str
    values: dict[Quarter, dict[str, object]] = field(default_factory=dict)

    def value(self, quarter: Quarter, kolom: str):
        return self.values.get(quarter, {}).get(kolom)


def read_beschut_werk_series(table: pd.DataFrame) -> dict[str, BeschutWerkSeries]:
    """The long table ``beschut_werk_reeks`` (tabel ``reeks``, rij = ``YYYYQn``, kolom one of
    :data:`REEKS_KOLOMMEN`) per region; an empty percentage (no cohort) is ``None``."""
    missing = [c for c in ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde") if c not in table.columns]
    if missing:
        raise ValueError(f"{REEKS_KEY}: kolommen ontbreken in de tabel: {', '.join(missing)}")
    found: dict[str, BeschutWerkSeries] = {}
    rows = table.loc[:, ["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"]]
    for code, naam, tabel, rij, kolom, waarde in rows.itertuples(index=False, name=None):
        if str(tabel) != REEKS_TABEL:
            raise ValueError(f"{REEKS_KEY}: onbekende tabel {tabel!r} bij regio {code}")
        try:
            quarter = Quarter.parse(str(rij))
        except Exception as exc:  # noqa: BLE001 - UserError: not a quarter
            raise ValueError(f"{REEKS_KEY}: rij {rij!r} bij regio {code} is geen kwartaal") from exc
        series = found.setdefault(str(code), BeschutWerkSeries(str(code), str(naam)))
        where = f"{REEKS_KEY} {code}/{rij}/{kolom}"
        series.values.setdefault(quarter, {})[str(kolom)] = clean_value(waarde, where, True)
    return found


def series_view(
    series: BeschutWerkSeries,
    nederland: BeschutWerkSeries | None,
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

    def pct(s: BeschutWerkSeries, q: Quarter) -> str:
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
        "tabel_kolommen": [label for _, label, _ in REEKS_KOLOMMEN],
        "tabel_rijen": [
            {
                "label": f"{q.label_nl} ({format_date(q.peildatum, short_month=True)})",
                "gemarkeerd": q in marked,
                "cells": [cell(q, kolom, is_pct) for kolom, _, is_pct in REEKS_KOLOMMEN],
            }
            for q in quarters
        ],
    }


def section_context(
    region: RegionReport, dates: texts.BeschutWerkDates, voorlopig: bool, grafiek: dict | None = None
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
