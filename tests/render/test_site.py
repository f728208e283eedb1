"""The static site: the map of the regions (map.py), the new charts (charts.py), the index
with map and sortable table, the region pages with locator map, comparison with Nederland,
the beschut werk series and the downloads (CSV, XLSX, PDF), and the start page of ``site``.

Static checks only (fast); tests/render/test_browser.py drives the same pages in Chromium.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from render_fixtures import CODES, META, Q2_2019, build_frames, render_job, svg_texts, svgs

from regiorapportage.quarter import Quarter
from regiorapportage.render import map as kaart
from regiorapportage.render.charts import Comparison, Series, comparison_svg, percentage_series_svg, time_series_svg
from regiorapportage.publications.registry import SITE_TITEL
from regiorapportage.render.site import write_html, write_site_index

SVG = "{http://www.w3.org/2000/svg}"
ALL_REGIONS = [f"AM{n:02d}" for n in range(1, 39) if n not in (4, 16, 31)]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def bw_series_frame(codes=CODES, names=None, last: Quarter = Q2_2019) -> pd.DataFrame:
    """A beschut_werk_reeks table: 2016Q1 … ``last``; AM01 has no cohort in 2016Q1 (an empty
    percentage)."""
    names = names or {}
    rows = []
    quarters, q = [], Quarter(2016, 1)
    while q <= last:
        quarters.append(q)
        q = q.next
    for k, code in enumerate(codes, start=1):
        for i, q in enumerate(quarters):
            cohort = 0 if (code == "AM01" and i == 0) else 10 * k + 5 * i
            werkend = cohort // 2
            pct = None if cohort == 0 else round(100 * werkend / cohort)
            if code == "NL01" and q == last:
                cohort, werkend, pct = 5801, 4287, 74
            naam = names.get(code, code)
            rows += [
                (code, naam, "reeks", str(q), "positief_advies_tm_cohortdatum", cohort),
                (code, naam, "reeks", str(q), "werkend_uit_cohort", werkend),
                (code, naam, "reeks", str(q), "percentage_werkend", pct),
            ]
    frame = pd.DataFrame(rows, columns=["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"])
    frame["waarde"] = pd.Series([r[5] for r in rows], dtype=object)
    return frame


@pytest.fixture
def frames():
    frames = build_frames()
    names = dict(zip(frames["beschut_werk"].regio_code, frames["beschut_werk"].regio_naam, strict=True))
    frames["beschut_werk_reeks"] = bw_series_frame(names=names)
    return frames


# --- the map ------------------------------------------------------------------------------


def test_map_geometry_has_every_region_and_is_deterministic():
    geo = kaart.geometry()
    codes = [code for code, _, _ in geo.regions]
    assert sorted(codes) == sorted(ALL_REGIONS + ["AM99"])
    assert len(set(codes)) == 36
    assert 400 < geo.height < 640  # the Netherlands is taller than wide
    for code, name, d in geo.regions:
        assert d.startswith("M") and d.endswith("Z"), code
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= geo.width and 0 <= min(ys) and max(ys) <= geo.height, code
        assert all(len(n.split(".")[-1]) <= 1 for n in re.findall(r"\d+\.\d+", d)), code  # one decimal
    assert kaart.geometry.cache_info().currsize >= 1
    kaart.geometry.cache_clear()
    assert kaart.geometry() == geo


def test_map_class_breaks_are_round_and_cover_the_values():
    classes = kaart.class_breaks([36, 41, 47, 52, 58])
    assert [c.label for c in classes] == ["35–39%", "40–44%", "45–49%", "50–54%", "55–60%"]
    assert len(kaart.class_breaks([12, 71])) <= 6
    assert [c.label for c in kaart.class_breaks([20, 80])] == ["20–29%", "30–39%", "40–49%", "50–59%", "60–69%", "70–80%"]
    assert kaart.class_breaks([None, None]) == []
    labels = [c.label for c in kaart.class_breaks([Decimal("10.5"), Decimal("33.2")])]
    assert labels[0].startswith("10 tot") and " t/m " in labels[-1]


def test_choropleth_links_titles_legend_and_missing_values():
    values = {code: 40 + i for i, code in enumerate(ALL_REGIONS)}
    values["AM09"] = None
    names = {"AM09": "Achterhoek"}
    svg = kaart.choropleth_svg(values, "kaart-x", "Titel", "Beschrijving", "Percentage werkend",
                               links={c: f"{c}.html" for c in ALL_REGIONS}, names=names)
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Titel" and root.find(f"{SVG}desc").text == "Beschrijving"
    links = root.findall(f"{SVG}a")
    assert sorted(a.get("href") for a in links) == sorted(f"{c}.html" for c in ALL_REGIONS)
    titles = {a.find(f"{SVG}path/{SVG}title").text for a in links}
    assert "Achterhoek: –" in titles and "Groningen: 40%" in titles
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "geen gegevens" in texts and "niet in te delen" in texts and "Percentage werkend" in texts
    assert 'url(#kaart-x-geen-gegevens)' in svg  # the missing region is hatched
    assert svg == kaart.choropleth_svg(values, "kaart-x", "Titel", "Beschrijving", "Percentage werkend",
                                       links={c: f"{c}.html" for c in ALL_REGIONS}, names=names)
    assert len(svg) < 40_000
    assert "class=" not in svg.replace('class="grafiek"', "")  # no page styles needed


def test_locator_highlights_one_region():
    svg = kaart.locator_svg("AM09", "ligging", "Ligging", "Achterhoek gemarkeerd")
    root = ElementTree.fromstring(svg)
    fills = [p.get("fill") for p in root.iter(f"{SVG}path")]
    assert fills.count(kaart.HIGHLIGHT) == 1 and len(fills) == 36


# --- the new charts -----------------------------------------------------------------------


def test_percentage_series_chart_marks_the_quarters_and_writes_percentages():
    quarters = [Quarter(2018, 1).shift(i) for i in range(6)]
    series = [Series("Achterhoek", (10, 20, None, 40, 50, 60), "#123f6d"),
              Series("Nederland", (30, 35, 40, 45, 50, 74), "#c2570c", dash="7 4")]
    args = (quarters, series, [Quarter(2018, 2), Quarter(2019, 2)], "bw-grafiek", "Titel", "Omschrijving")
    svg = percentage_series_svg(*args)
    assert svg == percentage_series_svg(*args)
    texts = svg_texts(svg)
    for shown in ("20%", "35%", "60%", "74%", "80%", "0%", "2e kw. 2019", "Percentage"):
        assert shown in texts, shown
    # the count chart is unchanged: no percent signs
    assert not any("%" in t for t in svg_texts(time_series_svg(quarters, series[:1], [], "x", "t", "d")))


def test_comparison_chart_shows_region_and_nederland():
    items = [Comparison(("Beschut werk: werkend,", "% van de positieve adviezen"), 50, 74),
             Comparison(("Zichtbaar klantprofiel",), None, Decimal("44"))]
    svg = comparison_svg(items, "Achterhoek", "vergelijking", "Achterhoek vergeleken met Nederland", "d")
    texts = svg_texts(svg)
    for shown in ("Achterhoek", "Nederland", "50%", "74%", "44%", "–", "100%", "Zichtbaar klantprofiel"):
        assert shown in texts, shown
    assert ElementTree.fromstring(svg).get("role") == "img"
    with pytest.raises(ValueError):
        comparison_svg([], "x", "y", "t", "d")


# --- the pages ----------------------------------------------------------------------------


def test_index_has_a_map_per_indicator_and_a_sortable_table(frames, tmp_path):
    write_html(render_job(frames, Q2_2019, False, META), tmp_path)
    index = _read(tmp_path / "html" / "index.html")
    for key in ("beschut-werk", "werkkamer", "klantprofielen"):
        assert f'data-indicator="{key}"' in index and f'id="kaart-{key}"' in index
    assert 'id="kaart-keuze" hidden' in index  # shown by the script; without it every map shows
    assert index.count('type="radio" name="indicator"') == 3
    # the table: a header button per column, aria-sort, sort keys with the reported values
    head = index[index.index('<table class="cijfers overzicht met-secties sorteerbaar"'):index.index("</thead>")]
    assert head.count('aria-sort="none"') == head.count("<button") == 8
    assert head.count('scope="col"') == 8
    assert 'data-sorteer="Achterhoek"' in index
    assert 'class="sorteer-groep"' in index and 'role="status"' in index
    # the map links published regions only (AM99 is not a region)
    maps = "".join(s for s in svgs(index) if 'id="kaart-' in s)
    assert 'href="AM01.html"' in maps and 'href="AM99.html"' not in maps
    assert "Groningen: " in maps


def test_region_page_has_locator_comparison_series_and_downloads(frames, tmp_path):
    pdf = tmp_path / "pdf"
    pdf.mkdir()
    for name in ("beschut_werk_AM01.pdf", "factsheet_AM01.pdf", "regiorapportage_2019Q2_alle_regios.pdf"):
        (pdf / name).write_bytes(b"%PDF-1.7\n")
    write_html(render_job(frames, Q2_2019, False, META), tmp_path)
    page = _read(tmp_path / "html" / "AM01.html")
    charts = {re.search(r'id="([^"]+)"', s).group(1): s for s in svgs(page)}
    assert {"ligging", "vergelijking-nederland", "beschut-werk-grafiek", "trend-grafiek",
            "factsheet-stromen-grafiek"} <= set(charts)
    comparison = svg_texts(charts["vergelijking-nederland"])
    assert "Nederland" in comparison and "Groningen" in comparison
    bw = svg_texts(charts["beschut-werk-grafiek"])
    assert "74%" in bw  # Nederland's percentage in the report quarter, beside its point
    assert "Hetzelfde kwartaal een jaar eerder en nu" in page
    # PDFs linked only when written; the data files of all regions always
    assert 'href="../pdf/beschut_werk_AM01.pdf"' in page and 'href="../pdf/factsheet_AM01.pdf"' in page
    assert "banenafspraak_trend_AM01.pdf" not in page
    assert 'href="../pdf/regiorapportage_2019Q2_alle_regios.pdf"' in page
    for data in ("beschut_werk.csv", "beschut_werk.xlsx", "factsheet.csv", "klantprofielen.xlsx"):
        assert f'href="../{data}"' in page
    nl = _read(tmp_path / "html" / "NL01.html")
    assert 'id="vergelijking-nederland"' not in nl and 'id="ligging"' in nl
    am99 = _read(tmp_path / "html" / "AM99.html")
    assert 'id="ligging"' not in am99 and 'id="vergelijking-nederland"' not in am99
    index = _read(tmp_path / "html" / "index.html")
    assert 'href="../pdf/regiorapportage_2019Q2_alle_regios.pdf"' in index


def test_pages_without_pdfs_have_no_pdf_column(frames, tmp_path):
    write_html(render_job(frames, Q2_2019, False, META), tmp_path)
    page = _read(tmp_path / "html" / "AM01.html")
    assert ".pdf" not in page and "(PDF)" not in page


def test_every_relative_link_resolves(frames, tmp_path):
    """Every href in every page points to a file of the site or an id on the page."""
    pdf = tmp_path / "pdf"
    pdf.mkdir()
    (pdf / "beschut_werk_AM01.pdf").write_bytes(b"%PDF-1.7\n")
    for key in frames:
        (tmp_path / f"{key}.csv").write_text("x\n")
        (tmp_path / f"{key}.xlsx").write_text("x\n")
    paths = write_html(render_job(frames, Q2_2019, False, META), tmp_path)
    for path in paths:
        page = _read(path)
        ids = set(re.findall(r'\sid="([^"]+)"', page))
        for link in re.findall(r'href="([^"]+)"', page):
            target, _, fragment = link.partition("#")
            assert not re.match(r"^[a-z]+:", link), (path.name, link)  # relative only
            if target:
                assert (path.parent / target).exists(), (path.name, link)
                if fragment:
                    assert f'id="{fragment}"' in _read(path.parent / target), (path.name, link)
            elif fragment:
                assert fragment in ids, (path.name, link)


def test_series_without_beschut_werk_reeks_is_left_out(tmp_path):
    frames = build_frames()
    write_html(render_job(frames, Q2_2019, False, META), tmp_path)
    assert 'id="beschut-werk-grafiek"' not in _read(tmp_path / "html" / "AM01.html")


def test_site_index_lists_the_quarters_newest_first(frames, tmp_path):
    write_html(render_job(frames, Q2_2019, False, META), tmp_path / "2019Q2")
    write_html(render_job(frames, Quarter(2019, 1), True, META), tmp_path / "2019Q1")
    (tmp_path / "2019Q1" / "manifest.json").write_text('{"run": {"voorlopig": true}}')
    (tmp_path / "rommel").mkdir()
    index = _read(write_site_index(tmp_path, SITE_TITEL))
    assert index.index("2019Q2/html/index.html") < index.index("2019Q1/html/index.html")
    assert "Tweede kwartaal 2019" in index and "voorlopig" in index
    assert "rommel" not in index and '<html lang="nl">' in index
