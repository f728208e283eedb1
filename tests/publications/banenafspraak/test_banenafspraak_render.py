"""Rendering of the banenafspraak publications (TR, FS, KP) and of the whole HTML site and
workbooks of a run (write_html, write_xlsx): numbers formatted the Dutch way, banen in whole
jobs rounded half up (BA-5), "–" for values that could not be computed (TR-3, TR-5), the
time-series chart with the year-earlier quarter (TR-6), the flow diagram (FS-2, FS-3), the
voorlopig marking (T-5), byte-identical output (DQ-5).

The frames are built by hand (``build_frames`` in tests/render_fixtures.py): every cell of
the CONTRACT.md vocabularies for NL01, three regions, AM99 and ONB, with Decimal banen, None
cells and a time series from 2012Q4.
"""

from __future__ import annotations

import time
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from render_fixtures import CODES, META, Q2_2019, build_frames, render_job, svg_texts, svgs

from regiorapportage.quarter import Quarter
from regiorapportage.render import write_html, write_xlsx
from regiorapportage.render.charts import nice_ticks, num
from regiorapportage.render.views import cell_text


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    return build_frames()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _write(frames, tmp_path, name="uit", voorlopig=False, meta=META, quarter=Q2_2019):
    out = tmp_path / name
    return out, write_html(render_job(frames, quarter, voorlopig, meta), out)


class _Structure(HTMLParser):
    """Checks that elements nest properly and collects ids and links."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _structure(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser


# --- formatting and the chart builder -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12345.495"), "12.345"),  # BA-5: whole jobs, half up, exact decimals
        (Decimal("2272.5"), "2.273"),
        (Decimal("0.4999"), "0"),
        (Decimal("-0.4"), "0"),
        (Decimal("1234567.5"), "1.234.568"),
        (None, "–"),
    ],
)
def test_BA_5_banen_shown_as_whole_jobs_rounded_half_up(value, shown):
    assert cell_text(value, "banen") == shown


def test_cell_text_counts_and_percentages():
    assert cell_text(52220, "aantal") == "52.220"
    assert cell_text(63, "percentage") == "63%"
    assert cell_text(None, "percentage") == "–"


def test_chart_numbers_and_ticks():
    assert num(12.5) == "12.5" and num(3.0) == "3" and num(-0.001) == "0" and num(1 / 3) == "0.33"
    assert nice_ticks(0) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(19440) == [0, 5000, 10000, 15000, 20000]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(14618.39)[-1] >= 14618.39
    for maximum in (1, 7, 99, 101, 2500, 52220, 1_234_567):
        ticks = nice_ticks(maximum)
        assert ticks[0] == 0 and ticks[-1] >= maximum and 2 <= len(ticks) <= 11


def test_time_series_svg_is_well_formed_and_deterministic():
    from regiorapportage.render.charts import Series, time_series_svg

    quarters = [Quarter(2012, 4).shift(i) for i in range(5)]
    args = (
        quarters,
        [Series("Banen", (Decimal("1.5"), None, Decimal(3), Decimal(4), Decimal("5.5")), "#123f6d"),
         Series("Werk & <meer>", (1, 2, 3, 4, 5), "#c2570c", dash="7 4")],
        [Quarter(2013, 3)],
        "grafiek-x",
        "Titel & <zo>",
        "Beschrijving",
    )
    svg = time_series_svg(*args)
    assert svg == time_series_svg(*args)
    texts = svg_texts(svg)  # parses: escaping is right
    assert "Werk & <meer>" in texts
    assert "3e kw. 2013" in texts
    assert "4" in texts  # both values of the marked quarter written beside their points
    with pytest.raises(ValueError):
        time_series_svg(quarters, [Series("x", (1,), "#000")], [], "grafiek-x", "t", "d")


# --- HTML ------------------------------------------------------------------------------------


def test_html_index_and_one_page_per_region(frames, tmp_path):
    out, paths = _write(frames, tmp_path)
    assert [p.relative_to(out).as_posix() for p in paths] == ["html/index.html"] + [
        f"html/{code}.html" for code in CODES
    ]
    assert all(p.exists() for p in paths)


def test_html_index_links_to_every_page_and_publication(frames, tmp_path):
    out, paths = _write(frames, tmp_path)
    index = _read(out / "html" / "index.html")
    links = _structure(index).links
    for code in CODES:
        page = f"{code}.html"
        assert page in links
        target = _structure(_read(out / "html" / page))
        for section in ("trendrapportage", "factsheet", "klantprofielen", "beschut-werk"):
            assert f"{page}#{section}" in links
            assert section in target.ids, (page, section)
    for data in ("banenafspraak_trend", "factsheet", "klantprofielen", "beschut_werk"):
        assert f"../{data}.csv" in links and f"../{data}.xlsx" in links
    assert "../banenafspraak_reeks.csv" in links
    # Every relative link of every page points to a page that exists (data files aside).
    for path in paths:
        for link in _structure(_read(path)).links:
            target = link.split("#")[0]
            if target and not target.startswith("../"):
                assert (path.parent / target).exists(), (path.name, link)


def test_html_pages_are_well_formed(frames, tmp_path):
    _, paths = _write(frames, tmp_path, voorlopig=True)
    for path in paths:
        page = _read(path)
        parsed = _structure(page)
        assert not parsed.errors, (path.name, parsed.errors[:3])
        assert not parsed.stack, (path.name, parsed.stack)
        assert len(parsed.ids) == len(set(parsed.ids)), path.name
        for svg in svgs(page):
            ElementTree.fromstring(svg)
        assert '<html lang="nl">' in page
        for external in ("http://", "https://", "<link", "<script src", "@import"):
            assert external not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), path.name
        assert page.count("<script") == page.count("<script>"), path.name  # inline scripts only


def test_TR_numbers_on_the_trend_section(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    nl = _read(out / "html" / "NL01.html")
    for shown in ("52.220", "19.440", ">12.345<", ">2.273<", ">0<", ">14.618<", ">14.000<",
                  ">618<", ">3.000<", ">82%<"):
        assert shown in nl, shown
    assert "12.346" not in nl  # 12345.495 is not rounded up
    assert "Indicatie Werkkamer (2019)" in nl
    assert "Banen op 30 juni 2019" in nl and "Nulmeting (1 januari 2013)" in nl
    groningen = _read(out / "html" / "AM01.html")
    assert ">1.583<" in groningen and "14.618" not in groningen


def test_TR_3_TR_5_empty_cells_shown_as_dash_with_the_reason(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    achterhoek = _read(out / "html" / "AM09.html")
    tables = achterhoek.split('id="trend-grafiek-figuur"')[0]
    assert tables.count('<td class="getal">–</td>') == 2 * 4 + 2  # banen table + indicatie
    series = achterhoek.split('id="trend-grafiek-figuur"')[1].split("</figure>")[0]
    assert series.count('<td class="getal">–</td>') == 27  # extra banen 2012Q4 … 2019Q2
    assert "– Niet te berekenen: voor deze regio is geen nulmeting beschikbaar." in achterhoek
    zaanstreek = _read(out / "html" / "AM17.html")
    assert zaanstreek.count('<td class="getal">–</td>') == 2
    assert "geen indicatie van de Werkkamer beschikbaar" in zaanstreek
    assert "geen nulmeting beschikbaar." not in zaanstreek.split('id="trend-grafiek-figuur"')[0]
    groningen = _read(out / "html" / "AM01.html")
    assert '<td class="getal">–</td>' not in groningen


def test_TR_6_time_series_chart_marks_the_same_quarter_a_year_earlier(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    nl = _read(out / "html" / "NL01.html")
    chart = next(s for s in svgs(nl) if 'id="trend-grafiek"' in s)
    texts = svg_texts(chart)
    assert "2e kw. 2018" in texts and "2e kw. 2019" in texts
    assert "14.500" in texts and "18.500" in texts  # year earlier: Decimal 14500.495, 18500
    assert "14.618" in texts and "19.440" in texts  # now
    for axis in ("2012", "2013", "2018", "2019", "20.000", "Aantal",
                 "Kwartaal (peildatum: de laatste dag van het kwartaal)", "Banen", "Werkzame personen"):
        assert axis in texts, axis
    root = ElementTree.fromstring(chart)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    title = root.find(f"{ns}title").text
    assert title.startswith("Banen en werkzame personen per kwartaal, vierde kwartaal 2012")
    assert "Banen op 30 juni 2018: 14.500." in root.find(f"{ns}desc").text
    # Text alternative: both values side by side, and the whole series in a table.
    figure = nl.split('id="trend-grafiek-figuur"')[1].split("</figure>")[0]
    assert "30 juni 2018" in figure and "30 juni 2019" in figure
    assert "Tweede kwartaal 2018 (30 jun. 2018)" in figure
    assert figure.count('<tr class="gemarkeerd">') == 2
    assert "Vierde kwartaal 2012 (31 dec. 2012)" in figure
    assert "Derde kwartaal 2019" not in figure
    # No computed difference is shown, only the two values.
    without_chart = figure.replace(chart, "")
    assert "14.618" in without_chart and ">118<" not in without_chart
    assert not any("118" in t for t in texts)


def test_TR_6_without_the_year_earlier_quarter(tmp_path):
    quarter = Quarter(2013, 2)
    frames = build_frames(quarter, with_beschut_werk=False)
    out, _ = _write(frames, tmp_path, quarter=quarter)
    page = _read(out / "html" / "AM01.html")
    assert "Over hetzelfde kwartaal een jaar eerder (tweede kwartaal 2012) zijn geen cijfers." in page
    chart = next(s for s in svgs(page) if 'id="trend-grafiek"' in s)
    assert "2e kw. 2013" in svg_texts(chart) and "2e kw. 2012" not in svg_texts(chart)


def test_FS_flow_diagram_shows_every_number_of_the_balance(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    nl = _read(out / "html" / "NL01.html")
    chart = next(s for s in svgs(nl) if 'id="factsheet-stromen-grafiek"' in s)
    texts = svg_texts(chart)
    for shown in ("4.920", "+ 620", "+ 820", "+ 140", "− 260", "− 740", "− 100", "5.400",
                  "31 maart 2019", "30 juni 2019", "instromers", "uitstromers"):
        assert shown in texts, shown
    # FS-3 in the reader's words, in the order of the balance.
    assert "4.920 + 620 − 260 + 820 − 740 + 140 − 100 = 5.400" in nl
    # The flows table, with the flows of non-working persons outside the balance.
    stromen = nl.split('id="factsheet-stromen"')[1].split("</table>")[0]
    assert "Buiten de balans" in stromen and ">340<" in stromen and ">220<" in stromen
    assert "Verhuisd uit de regio, werkzaam" in stromen


def test_FS_and_KP_tables(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    page = _read(out / "html" / "AM09.html")
    for shown in ("Wsw en Wiw/ID", "Doelgroep Participatiewet", ">1.800<", ">810<",
                  "Praktijkroute", ">66<", "AOW-leeftijd bereikt", "Duurzaam geen arbeidsvermogen",
                  "Instromers naar categorie, werkzaam of niet op 30 juni 2019",
                  "Uitstromers naar reden, werkzaam of niet op 31 maart 2019",
                  "Doelgroep zonder werk op 30 juni 2019", ">8.300<", ">2.030<", ">28%<",
                  "Met cv", ">43%<", ">73%<", ">58%<"):
        assert shown in page, shown


def test_texts_with_the_quarters_dates_and_the_facts_from_meta(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    page = _read(out / "html" / "AM01.html")
    for text in (
        "25,5 verloonde uren per week; per maand is dat 110,92 uur",
        "sector 61 tot en met 66",
        "Ufo-premie",
        "op 1 januari 2013",
        "De nulmeting per regio en sector komt uit de aangeleverde nulmeting.",
        "nooit een doelstelling",
        "De vergelijking gebruikt de indicatie van de Werkkamer voor 2019.",
        "verdeelsleutel",
        "seizoenseffecten",
        "het tweede kwartaal 2019 naast het tweede kwartaal 2018",
        "afgeronde getallen niet altijd precies op tot het afgeronde totaal",
        "polisadministratie",
        "doelgroepregister",
        "op 30 juni 2019 in de doelgroep zijn en op 31 maart 2019 niet",
        "Kandidatenverkenner",
        "Sinds 1 januari 2017 hebben burgers",  # beschut werk texts stay
    ):
        assert text in page, text
    other = {**META, "nulmeting_bron": "berekend", "werkkamer_jaar": None}
    out, _ = _write(frames, tmp_path, "q4", meta=other, quarter=Quarter(2019, 4))
    page = _read(out / "html" / "AM01.html")
    for text in (
        "Vierde kwartaal 2019",
        "peildatum 31 december 2019",
        "berekend als de banen op de peildatum, met als peildatum 31 december 2012",
        "geen indicatie van de Werkkamer beschikbaar",
        "op 31 december 2019 in de doelgroep zijn en op 30 september 2019 niet",
        "het vierde kwartaal 2019 naast het vierde kwartaal 2018",
        "Indicatie Werkkamer<",
    ):
        assert text in page, text
    assert "30 juni 2019" not in page.split('id="beschut-werk"')[0]
    out, _ = _write(frames, tmp_path, "zonder", meta={**META, "nulmeting_bron": "ontbreekt"})
    assert "Voor deze rapportage is geen nulmeting beschikbaar." in _read(out / "html" / "NL01.html")


def test_T_5_voorlopig_banner_on_every_page(frames, tmp_path):
    _, paths = _write(frames, tmp_path, "v", voorlopig=True)
    for path in paths:
        page = _read(path)
        assert "VOORLOPIG" in page, path.name
        assert "voldoende betrouwbaar (vanaf 30 september 2019)" in page, path.name
    _, paths = _write(frames, tmp_path, "d")
    for path in paths:
        assert "VOORLOPIG" not in _read(path), path.name


def test_not_published_regions_are_labelled(frames, tmp_path):
    out, _ = _write(frames, tmp_path)
    am99 = _read(out / "html" / "AM99.html")
    assert "Geen gepubliceerde regio (AM99)" in am99 and "West Betuwe en Vijfheerenlanden" in am99
    onb = _read(out / "html" / "ONB.html")
    assert "Geen gepubliceerde regio (ONB)" in onb
    assert "Geen gepubliceerde regio (" not in _read(out / "html" / "AM01.html")
    index = _read(out / "html" / "index.html")
    published, others = index.split("Geen gepubliceerde regio</th>")
    assert "AM99.html" in others and "ONB.html" in others and "AM99.html" not in published


def test_html_footer_meta_and_escaping(frames, tmp_path):
    frames["factsheet"].loc[frames["factsheet"].regio_code == "AM01", "regio_naam"] = "Gro <b>&"
    out, _ = _write(frames, tmp_path, meta={**META, "run_id": "<i>x</i>"})
    page = _read(out / "html" / "AM01.html")
    assert "Software: 0.1.0" in page and "&lt;i&gt;x&lt;/i&gt;" in page
    assert "nulmeting_bron" not in page and "werkkamer_jaar" not in page
    assert "<b>&" not in page


def test_html_subsets_of_publications(frames, tmp_path):
    only_trend = {"banenafspraak_trend": frames["banenafspraak_trend"]}
    out, paths = _write(only_trend, tmp_path, "trend")
    page = _read(out / "html" / "AM01.html")
    assert 'id="trendrapportage"' in page and 'id="factsheet"' not in page
    assert 'id="trend-grafiek"' not in page  # no series, no chart (the locator map is there)
    assert "Op deze pagina" not in page
    assert len(paths) == 1 + len(CODES)
    only_bw = {"beschut_werk": frames["beschut_werk"]}
    out, _ = _write(only_bw, tmp_path, "bw")
    page = _read(out / "html" / "AM09.html")
    assert "16 (76%)" in page and "Trendrapportage" not in page
    assert 'href="../beschut_werk.csv"' in _read(out / "html" / "index.html")
    assert write_html(render_job({}, Q2_2019, False, META), tmp_path / "leeg") == []


def test_html_is_byte_identical_for_the_same_input(frames, tmp_path):
    _, first = _write(frames, tmp_path, "a")
    _, second = _write(build_frames(), tmp_path, "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_missing_or_invalid_cells_are_errors(frames, tmp_path):
    trend = frames["banenafspraak_trend"]
    missing = trend[~((trend.regio_code == "AM09") & (trend.kolom == "indicatie"))]
    with pytest.raises(ValueError, match="AM09"):
        write_html(render_job({"banenafspraak_trend": missing}, Q2_2019, False, META), tmp_path / "a")
    empty = trend.copy()
    empty.loc[(empty.regio_code == "AM01") & (empty.kolom == "personen"), "waarde"] = None
    with pytest.raises(ValueError, match="AM01/doelgroep/totaal/personen"):
        write_html(render_job({"banenafspraak_trend": empty}, Q2_2019, False, META), tmp_path / "b")
    text = frames["klantprofielen"].copy()
    text.loc[text.index[0], "waarde"] = "12"
    with pytest.raises(ValueError, match="geen getal"):
        write_xlsx(render_job({"klantprofielen": text}, Q2_2019, False, META), tmp_path / "c")


# --- XLSX ------------------------------------------------------------------------------------

WORKBOOKS = ("beschut_werk.xlsx", "banenafspraak_trend.xlsx", "factsheet.xlsx", "klantprofielen.xlsx")
REGION_SHEETS = [
    "NL01 Nederland",
    "AM01 Groningen",
    "AM09 Achterhoek",
    "AM17 Zaanstreek-Waterland",
    "AM99 Niet in te delen",
    "ONB Onbekend",
]


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


def _row(ws, label: str) -> tuple:
    return next(row for row in _rows(ws) if row[0] == label)


def test_xlsx_one_workbook_per_publication_with_the_expected_sheets(frames, tmp_path):
    paths = write_xlsx(render_job(frames, Q2_2019, False, META), tmp_path)
    assert [p.name for p in paths] == list(WORKBOOKS)
    for path in paths:
        wb = openpyxl.load_workbook(path)
        extra = ["Data reeks"] if path.name == "banenafspraak_trend.xlsx" else []
        assert wb.sheetnames == ["Toelichting", *REGION_SHEETS, "Data", *extra], path.name
    only = write_xlsx(render_job({"factsheet": frames["factsheet"]}, Q2_2019, False, META), tmp_path / "f")
    assert [p.name for p in only] == ["factsheet.xlsx"]


def test_xlsx_trend_values_whole_jobs_on_region_sheets_two_decimals_in_data(frames, tmp_path):
    write_xlsx(render_job(frames, Q2_2019, False, META), tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "banenafspraak_trend.xlsx")
    nl = wb["NL01 Nederland"]
    assert nl["A1"].value == "Trendrapportage banenafspraak Nederland"
    assert _row(nl, "Markt")[:4] == ("Markt", 12345, 12000, 345)
    assert _row(nl, "Overheid")[:4] == ("Overheid", 2273, 2000, 273)
    assert _row(nl, "Totaal")[:4] == ("Totaal", 14618, 14000, 618)
    assert _row(nl, "Extra banen als percentage van de indicatie")[1] == 82
    assert _row(nl, "Indicatie Werkkamer (2019)")[1] == 3000
    assert _row(nl, "2e kw. 2018 (30 jun. 2018)")[1:4] == (48203, 18500, 14500)
    assert nl._charts, "the time series as an Excel chart"
    achterhoek = wb["AM09 Achterhoek"]
    assert _row(achterhoek, "Markt")[:4] == ("Markt", 2100, "–", "–")
    assert any(r[0] == "– Niet te berekenen: voor deze regio is geen nulmeting beschikbaar."
               for r in _rows(achterhoek))
    data = list(wb["Data"].iter_rows(values_only=True))
    assert data[0][:6] == ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde")
    assert len(data) == len(frames["banenafspraak_trend"]) + 1
    cells = {(r[0], r[2], r[3], r[4]): r[5] for r in data[1:]}
    assert cells[("NL01", "banen", "markt", "banen")] == 12345.50  # 12345.495, half up
    assert cells[("NL01", "banen", "totaal", "banen")] == 14618.39
    assert cells[("NL01", "doelgroep", "totaal", "personen")] == 52220
    assert cells[("AM09", "banen", "markt", "nulmeting")] is None
    assert cells[("AM17", "indicatie_werkkamer", "totaal", "percentage_indicatie")] is None
    formats = {c.number_format for c in wb["Data"]["F"][1:] if isinstance(c.value, float)}
    assert formats == {"#,##0.00"}
    reeks = list(wb["Data reeks"].iter_rows(values_only=True))
    assert len(reeks) == len(frames["banenafspraak_reeks"]) + 1
    assert ("NL01", "Nederland", "reeks", "2018Q2", "banen", 14500.50) in [r[:6] for r in reeks]
    toelichting = "\n".join(str(v) for r in _rows(wb["Toelichting"]) for v in r if v is not None)
    for text in ("110,92", "nooit een doelstelling", "verdeelsleutel", "test-run", "Data reeks"):
        assert text in toelichting, text
    assert META["generated"] not in toelichting


def test_xlsx_factsheet_and_klantprofielen_values(frames, tmp_path):
    write_xlsx(render_job(frames, Q2_2019, False, META), tmp_path)
    fs = openpyxl.load_workbook(tmp_path / "factsheet.xlsx")["NL01 Nederland"]
    assert _row(fs, "Werkzaam op 31 maart 2019")[1] == 4920
    assert _row(fs, "+ Werkzame instromers")[1] == 620
    assert _row(fs, "− Verhuisd uit de regio, werkzaam")[1] == 100
    assert _row(fs, "= Werkzaam op 30 juni 2019")[1] == 5400
    assert _row(fs, "Niet-werkzame instromers")[1] == 340
    assert _row(fs, "Praktijkroute")[1:3] == (440, 100)
    kp = openpyxl.load_workbook(tmp_path / "klantprofielen.xlsx")["AM01 Groningen"]
    assert _row(kp, "Doelgroep zonder werk op 30 juni 2019")[1] == 8200
    assert _row(kp, "Percentage met een zichtbaar klantprofiel")[1] == 27
    assert _row(kp, "Met werkervaring")[1] == 57


def test_xlsx_voorlopig_marks_every_sheet(frames, tmp_path):
    for voorlopig in (True, False):
        for path in write_xlsx(render_job(frames, Q2_2019, voorlopig, META), tmp_path / str(voorlopig)):
            for ws in openpyxl.load_workbook(path).worksheets:
                text = " ".join(str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value)
                assert ("VOORLOPIG" in text) is voorlopig, (path.name, ws.title)


def test_xlsx_is_byte_identical_for_the_same_inputs(frames, tmp_path):
    a = write_xlsx(render_job(frames, Q2_2019, False, META), tmp_path / "a")
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    b = write_xlsx(render_job(build_frames(), Q2_2019, False, META | {"generated": "2030-01-01"}), tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


# --- speed -------------------------------------------------------------------------------------


def test_all_publications_for_38_regions_render(frames, tmp_path):
    """NL01, 35 regions, AM99 and ONB; four publications; HTML and XLSX."""

    def scale(frame: pd.DataFrame) -> pd.DataFrame:
        template = frame[frame.regio_code == "AM01"]
        parts = [frame[frame.regio_code == "NL01"]]
        for n in range(1, 36):
            part = template.copy()
            part["regio_code"], part["regio_naam"] = f"AM{n:02d}", f"Regio {n}"
            parts.append(part)
        parts += [frame[frame.regio_code == "AM99"], frame[frame.regio_code == "ONB"]]
        return pd.concat(parts, ignore_index=True)

    big = {key: scale(frame) for key, frame in frames.items()}
    # (render time is measured by `regiorapportage benchmark`, not asserted here)
    pages = write_html(render_job(big, Q2_2019, False, META), tmp_path)
    books = write_xlsx(render_job(big, Q2_2019, False, META), tmp_path)
    assert len(pages) == 39 and len(books) == 4
