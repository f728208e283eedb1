"""The series and comparison charts of the PDF reports, from the views the HTML uses: the
time series with its year-earlier comparison and the series as a table (trend:
``banenafspraak_html``; beschut werk: ``beschut_werk_html.series_view``), and the
comparison of a region with Nederland (``charts.comparison_svg`` with the site's
indicators). This module only turns those views into blocks of the PDF template.
"""

from __future__ import annotations

from regiorapportage.quarter import Quarter
from regiorapportage.render import beschut_werk_html as bw_html
from regiorapportage.render import beschut_werk_texts as bw_texts
from regiorapportage.render.formatting import format_percentage

STREEPJE = "\u2013"


def read_bw_series(frame) -> dict:
    return bw_html.read_beschut_werk_series(frame)


def series_blocks(g: dict, tabel_hoek: str = "Kwartaal (peildatum)") -> list[dict]:
    """A series view (chart, year-earlier comparison, the series as a table) as blocks."""
    from regiorapportage.render.pdf import _chart, _table

    if not g:
        return []
    notes = [g["geen_jaar_eerder"]] if g.get("geen_jaar_eerder") else []
    blocks = [_chart(g["titel"], g["svg"], notes)]
    vergelijking = g.get("vergelijking") or {}
    if vergelijking.get("kolommen"):
        blocks.append(_table({
            "titel": "Hetzelfde kwartaal een jaar eerder en nu",
            "kolommen": vergelijking["kolommen"],
            "rijen": vergelijking["rijen"],
            "noten": [g["noot"]] if g.get("noot") else [],
        }))
    elif g.get("noot"):
        blocks.append({"soort": "noot", "tekst": g["noot"]})
    if g.get("tabel_rijen"):
        reeks = _table({
            "titel": g["tabel_titel"],
            "hoek": tabel_hoek,
            "kolommen": g["tabel_kolommen"],
            "rijen": [{**r, "totaal": False} for r in g["tabel_rijen"]],
            "noten": [g["tabel_noot"]] if g.get("tabel_noot") else [],
        }, compact=True, kolombreedte=26)
        for row, source in zip(reeks["rijen"], g["tabel_rijen"], strict=True):
            row["nadruk"] = bool(source.get("gemarkeerd"))
        blocks.append(reeks)
    return blocks


def bw_series_blocks(series_by_code: dict, code: str, quarter: Quarter) -> list[dict]:
    """The percentage at work of the beschut werk cohort per quarter, with Nederland."""
    series = series_by_code.get(code)
    if series is None:
        return []
    nederland = series_by_code.get(bw_texts.NEDERLAND_CODE)
    return series_blocks(bw_html.series_view(series, nederland, quarter, "beschut-werk-grafiek"))


def comparison_blocks(model, publication: str, code: str) -> list[dict]:
    """The region's reported percentages of this publication next to those of Nederland:
    the bars of the site's comparison chart (``site.INDICATORS``, ``site.VOLLEDIGHEID``,
    ``charts.comparison_svg``) that belong to the publication (none for the factsheet).
    Looks values up only."""
    from regiorapportage.render import charts, regions, site
    from regiorapportage.render.pdf import _chart

    nl = regions.NEDERLAND_CODE
    source = {
        site.TREND: model.trend, site.KLANTPROFIELEN: model.klantprofielen, site.BESCHUT_WERK: model.beschut_werk,
    }.get(publication, {})
    if code not in source or nl not in source:
        return []
    items = [
        charts.Comparison(i.regels, source[code].value(i.tabel, i.rij, i.kolom), source[nl].value(i.tabel, i.rij, i.kolom))
        for i in site.INDICATORS
        if i.publication == publication
    ]
    if publication == site.KLANTPROFIELEN:
        items += [
            charts.Comparison(regels, source[code].value("volledigheid", rij, "percentage"),
                              source[nl].value("volledigheid", rij, "percentage"))
            for rij, regels in site.VOLLEDIGHEID
        ]
    if not items:
        return []
    naam = model.names[code]
    title = f"{naam} vergeleken met Nederland, {model.quarter.label_nl.lower()}"

    def text(v) -> str:
        return STREEPJE if v is None else format_percentage(v)

    desc = "Staafdiagram. " + " ".join(
        f"{' '.join(i.lines)}: {naam} {text(i.region)}, Nederland {text(i.nederland)}." for i in items
    )
    return [_chart(title, charts.comparison_svg(items, naam, "vergelijking-nederland", title, desc))]
