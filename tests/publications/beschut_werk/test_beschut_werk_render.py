"""Rendering of the Rapportage beschut werk (BW-2, BW-5, BW-7, T-5, R-5): the report's dates,
its section (id ``beschut-werk``) of the common region pages and the common index written by
``render.write_html`` for a run with only the beschut werk tables, and its XLSX workbook
(``render.workbooks.write_workbook``).

Fixture ``tests/data/beschut_werk_2019Q2.csv``: the published 2019Q2 numbers of NL01 and
six regions (from the reference parse of the UWV publication), AM99 "Niet in te delen" with
percentage rows, and an all-zero ONB region.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from render_fixtures import render_job

from regiorapportage.publications import beschut_werk
from regiorapportage.publications.beschut_werk.texts import BeschutWerkDates
from regiorapportage.quarter import Quarter
from regiorapportage.render import write_html, write_xlsx
from regiorapportage.render.workbooks import write_workbook

FIXTURE = Path(__file__).parents[2] / "data" / "beschut_werk_2019Q2.csv"
Q2_2019 = Quarter(2019, 2)
META = {"software_version": "0.1.0", "run_id": "test-run", "generated": "2026-11-22T10:00:00"}
CODES = ["NL01", "AM01", "AM06", "AM09", "AM17", "AM37", "AM99", "ONB"]
SECTION = 'id="beschut-werk"'


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.read_csv(FIXTURE)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _html(table: pd.DataFrame, out: Path, quarter: Quarter = Q2_2019, voorlopig: bool = False,
          meta: dict = META) -> list[Path]:
    """The site of a run with only the beschut werk table: ``out/html/index.html`` and one
    page per region."""
    return write_html(render_job({"beschut_werk": table}, quarter, voorlopig, meta), out)


def _section(page: str) -> str:
    """The beschut werk section of a region page."""
    assert page.count(SECTION) == 1
    section = page.split(SECTION)[1]
    end = section.rindex("</main>")  # the section is the last on a page with only beschut werk
    return section[:end]


def _xlsx(table: pd.DataFrame, path: Path, quarter: Quarter = Q2_2019, voorlopig: bool = False,
          meta: dict = META) -> Path:
    job = render_job({"beschut_werk": table}, quarter, voorlopig, meta)
    return write_workbook(job, beschut_werk.PUBLICATION, path)


# --- the report's dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "venster", "cohort_kort", "cohort_maand", "peildatum", "begin", "peilmaand"),
    [
        # BW-1: window ends with the quarter after Q; BW-3: cohort ends with the quarter before.
        ("2019Q2", "Jan. 2015 t/m sept. 2019", "mrt. 2019", "maart 2019", "30 juni 2019",
         "1 april 2019", "juni 2019"),
        ("2019Q3", "Jan. 2015 t/m dec. 2019", "jun. 2019", "juni 2019", "30 september 2019",
         "1 juli 2019", "september 2019"),
        # Q4: the advice window ends in March of the next year.
        ("2019Q4", "Jan. 2015 t/m mrt. 2020", "sept. 2019", "september 2019",
         "31 december 2019", "1 oktober 2019", "december 2019"),
        # Q1: the cohort ends in December of the previous year.
        ("2020Q1", "Jan. 2015 t/m jun. 2020", "dec. 2019", "december 2019", "31 maart 2020",
         "1 januari 2020", "maart 2020"),
    ],
)
def test_report_dates_per_quarter(quarter, venster, cohort_kort, cohort_maand, peildatum, begin, peilmaand):
    values = BeschutWerkDates(Quarter.parse(quarter)).placeholders()
    assert values["adviesperiode_kort"] == venster
    assert values["cohort_maand_kort"] == cohort_kort
    assert values["cohort_maand"] == cohort_maand
    assert values["peildatum"] == peildatum
    assert values["kwartaal_begin"] == begin
    assert values["peilmaand"] == peilmaand


# --- HTML ----------------------------------------------------------------------------------


def test_html_writes_index_and_one_page_per_region(table, tmp_path):
    paths = _html(table, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["html/index.html"] + [
        f"html/{c}.html" for c in CODES
    ]
    assert all(p.exists() for p in paths)


def test_html_numbers_on_the_right_region_page(table, tmp_path):
    _html(table, tmp_path)
    nl = _read(tmp_path / "html" / "NL01.html")
    assert '<h1><span class="regio">Nederland</span></h1>' in nl
    assert '<h2 id="beschut-werk-kop">Rapportage beschut werk</h2>' in nl
    assert "Tweede kwartaal 2019" in nl
    section = _section(nl)
    for shown in ["2.272", "8.065", "5.801", "1.404 (74%)", "1.683 (62%)", "3.087 (67%)",
                  "2.557 (69%)", "530 (58%)", "3.277"]:
        assert shown in section
    achterhoek = _read(tmp_path / "html" / "AM09.html")
    assert "Achterhoek" in achterhoek
    for shown in ["16 (76%)", "3 (43%)", "19 (68%)", "1 (100%)"]:
        assert shown in _section(achterhoek)
    assert "1.404" not in achterhoek and "1.404" not in _read(tmp_path / "html" / "AM01.html")
    # Headings with the quarter's dates (BW-1, BW-3).
    for heading in ["Jan. 2015 t/m sept. 2019", "Positief advies t/m mrt. 2019",
                    "Waarvan werk op 30 juni 2019", "Totaal werk op 30 juni 2019",
                    "Aantal adviezen beschut werk (naar aanvrager)",
                    "Aan het werk na positief advies (naar verantwoordelijke)"]:
        assert heading in _section(achterhoek)


def test_html_shows_the_percentage_from_the_table_not_a_computed_one(table, tmp_path):
    mask = (
        (table.regio_code == "NL01") & (table.tabel == "werk_naar_aanvrager")
        & (table.rij == "aanvraag_gemeente") & (table.kolom == "percentage_werkend")
    )
    table.loc[mask, "waarde"] = 99
    _html(table, tmp_path)
    assert "1.404 (99%)" in _read(tmp_path / "html" / "NL01.html")


def test_html_texts_with_dates_for_2019q2(table, tmp_path):
    _html(table, tmp_path)
    page = _read(tmp_path / "html" / "AM01.html")
    section = _section(page)
    for text in [
        "UWV beschikt over betrouwbare informatie uit de polisadministratie tot en met 30 juni 2019",
        "het aantal positieve adviezen tot en met maart 2019",
        "van 1 april 2019 t/m 30 juni 2019",
        "het sociale verzekeringsloon in juni 2019 is groter dan €0,-",
        "Sinds 1 januari 2015 kunnen gemeenten",
        "Sinds 1 januari 2017 hebben burgers",
        "Kennisdocument beschut werken",
        "Bron en definities",
        "Basisregistratie Personen",
        "de som van de regio&#39;s kleiner dan het totaal voor Nederland",
    ]:
        assert text in section, text


def test_html_texts_with_dates_for_another_quarter(table, tmp_path):
    _html(table, tmp_path, quarter=Quarter(2019, 4))
    page = _read(tmp_path / "html" / "AM09.html")
    assert "Vierde kwartaal 2019" in page
    section = _section(page)
    for text in [
        "Jan. 2015 t/m mrt. 2020",
        "Positief advies t/m sept. 2019",
        "Waarvan werk op 31 december 2019",
        "tot en met 31 december 2019",
        "positieve adviezen tot en met september 2019",
        "van 1 oktober 2019 t/m 31 december 2019",
        "het sociale verzekeringsloon in december 2019",
        "Sinds 1 januari 2015",
    ]:
        assert text in section, text
    assert "30 juni 2019" not in page and "maart 2019" not in page


def test_html_voorlopig_marking_on_every_page(table, tmp_path):
    paths = _html(table, tmp_path / "v", voorlopig=True)
    for path in paths:
        page = _read(path)
        assert "VOORLOPIG" in page, path.name
        assert "drie maanden na de peildatum 30 juni 2019 voldoende betrouwbaar (vanaf 30 september 2019)" in page
    assert "betrouwbare informatie uit de polisadministratie" not in _read(tmp_path / "v" / "html" / "NL01.html")
    paths = _html(table, tmp_path / "d")
    for path in paths:
        assert "VOORLOPIG" not in _read(path), path.name


def test_html_not_published_regions_are_labelled(table, tmp_path):
    _html(table, tmp_path)
    am99 = _read(tmp_path / "html" / "AM99.html")
    assert "Geen gepubliceerde regio" in am99
    assert "West Betuwe en Vijfheerenlanden" in am99
    onb = _read(tmp_path / "html" / "ONB.html")
    assert "Geen gepubliceerde regio" in onb and "geen woongemeente bekend" in onb
    assert "Geen gepubliceerde regio" not in _read(tmp_path / "html" / "AM09.html")


def test_html_index_links_regions_and_data_files(table, tmp_path):
    _html(table, tmp_path)
    index = _read(tmp_path / "html" / "index.html")
    for code in CODES:
        assert f'href="{code}.html"' in index
    assert 'href="../beschut_werk.csv"' in index
    assert 'href="../beschut_werk.xlsx"' in index
    assert "Tweede kwartaal 2019" in index
    assert "Zaanstreek/Waterland" in index
    # The index's beschut werk columns of Nederland: % werkend and werkend (3.087 (67%), 3.277).
    assert 'data-sorteer="67">67%<' in index and 'data-sorteer="3277">3.277<' in index


def test_html_is_accessible_self_contained_and_escaped(table, tmp_path):
    table.loc[table.regio_code == "AM01", "regio_naam"] = "Groningen <script>alert(1)</script> & co"
    _html(table, tmp_path, meta=META | {"run_id": "<b>x</b>"})
    page = _read(tmp_path / "html" / "AM01.html")
    assert "<script>" not in page
    assert "Groningen &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert _section(page).count("<caption>") == 4
    assert 'scope="col"' in page and 'scope="row"' in page
    assert '<html lang="nl">' in page
    # (the inline SVG of the locator map declares its namespace; nothing is loaded from it)
    for external in ("http://", "https://", "<link", "<script", "@import"):
        assert external not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Software: 0.1.0" in page


def test_html_is_deterministic_except_meta(table, tmp_path):
    first = _html(table, tmp_path / "a")
    second = _html(table, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    other = _html(table, tmp_path / "c", meta=META | {"generated": "2027-01-01T00:00:00"})
    for a, c in zip(first, other, strict=True):
        assert _read(a).replace(META["generated"], "X") == _read(c).replace("2027-01-01T00:00:00", "X")


def test_html_missing_cell_is_an_error(table, tmp_path):
    table = table[~((table.regio_code == "AM09") & (table.kolom == "percentage_werkend"))]
    with pytest.raises(ValueError, match="AM09"):
        _html(table, tmp_path)


# --- XLSX ----------------------------------------------------------------------------------


def _tables_of_sheet(ws) -> dict[tuple[str, str, str], object]:
    """{(table caption, row label, column heading): value} of a region sheet."""
    found = {}
    caption = headings = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and first.startswith(("Aantal adviezen", "* Aan het werk")):
            caption, headings = first, None
        elif caption and headings is None:
            headings = row
        elif caption and first is not None and any(isinstance(v, (int, float)) for v in row[1:]):
            for heading, value in zip(headings[1:], row[1:], strict=False):
                if heading is not None:
                    found[(caption, first, heading)] = value
        else:
            caption = None
    return found


def test_xlsx_sheets_and_values(table, tmp_path):
    path = _xlsx(table, tmp_path / "beschut_werk.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Toelichting",
        "NL01 Nederland",
        "AM01 Groningen",
        "AM06 Stedendriehoek en Noordwe…",
        "AM09 Achterhoek",
        "AM17 Zaanstreek-Waterland",
        "AM37 Zuid-Kennemerland en IJmo…",
        "AM99 Niet in te delen",
        "ONB Onbekend",
        "Data",
    ]
    nl = wb["NL01 Nederland"]
    assert nl["A1"].value == "Rapportage beschut werk Nederland"
    assert nl["A2"].value == "Tweede kwartaal 2019"
    cells = _tables_of_sheet(nl)
    aanvrager = "Aantal adviezen beschut werk (naar aanvrager)"
    werk = "* Aan het werk na positief advies (naar aanvrager)"
    assert cells[(aanvrager, "Aanvraag gemeente", "Positief advies")] == 2272
    assert cells[(aanvrager, "Totaal", "Totaal")] == 8065
    assert cells[(werk, "Aanvraag gemeente", "Positief advies t/m mrt. 2019")] == 1898
    assert cells[(werk, "Aanvraag gemeente", "Waarvan werk op 30 juni 2019")] == 1404
    assert cells[(werk, "Aanvraag gemeente", "Waarvan werk (%)")] == 74
    assert cells[(werk, "Totaal", "Totaal werk op 30 juni 2019")] == 3277
    assert len(cells) == 2 * 9 + 2 * 12
    # Numbers are numbers, shown with Excel number formats.
    formats = {c.value: c.number_format for row in nl.iter_rows() for c in row if c.value in (2272, 74)}
    assert formats == {2272: "#,##0", 74: '0"%"'}

    achterhoek = _tables_of_sheet(wb["AM09 Achterhoek"])
    verantw = "* Aan het werk na positief advies (naar verantwoordelijke)"
    assert achterhoek[(verantw, "Gemeente", "Positief advies t/m mrt. 2019")] == 21
    assert achterhoek[(verantw, "Gemeente", "Waarvan werk op 30 juni 2019")] == 16
    assert achterhoek[(verantw, "Gemeente", "Waarvan werk (%)")] == 76
    assert achterhoek[(verantw, "UWV", "Totaal werk op 30 juni 2019")] == 3
    assert achterhoek[("Aantal adviezen beschut werk (naar verantwoordelijke)", "Totaal", "Totaal")] == 85

    am99 = wb["AM99 Niet in te delen"]
    assert any("West Betuwe" in str(c.value) for row in am99.iter_rows() for c in row if c.value)

    data = wb["Data"]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][:6] == ("regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde")
    assert len(rows) == len(table) + 1
    assert rows[1][:6] == (
        "NL01", "Nederland", "adviezen_naar_aanvrager", "aanvraag_gemeente", "positief", 2272
    )

    toelichting = "\n".join(
        str(c.value) for row in wb["Toelichting"].iter_rows() for c in row if c.value is not None
    )
    assert "Sinds 1 januari 2017 hebben burgers dit recht zelf ook." in toelichting
    assert "tot en met maart 2019" in toelichting
    assert "Bron en definities" in toelichting
    assert "test-run" in toelichting and META["generated"] not in toelichting
    assert wb.properties.created == datetime(2019, 6, 30)


def test_xlsx_voorlopig_marks_every_sheet(table, tmp_path):
    wb = openpyxl.load_workbook(_xlsx(table, tmp_path / "v.xlsx", voorlopig=True))
    for ws in wb.worksheets:
        texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any("VOORLOPIG" in t for t in texts), ws.title
    wb = openpyxl.load_workbook(_xlsx(table, tmp_path / "d.xlsx"))
    for ws in wb.worksheets:
        texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not any("VOORLOPIG" in t for t in texts), ws.title


def test_xlsx_is_byte_identical_for_the_same_inputs(table, tmp_path):
    a = _xlsx(table, tmp_path / "a.xlsx")
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    b = _xlsx(table, tmp_path / "b.xlsx")
    c = _xlsx(table, tmp_path / "c.xlsx", meta=META | {"generated": "2030-01-01T00:00:00"})
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()


# --- Performance ---------------------------------------------------------------------------


def test_all_pages_and_workbook_render_for_38_regions(table, tmp_path):
    """38 regions (NL01, 35 regions, AM99, ONB) in well under 2 seconds."""
    template = table[table.regio_code == "AM01"]
    parts = [table[table.regio_code == "NL01"]]
    for n in range(1, 36):
        part = template.copy()
        part["regio_code"] = f"AM{n:02d}"
        part["regio_naam"] = f"Regio {n}"
        parts.append(part)
    parts += [table[table.regio_code == "AM99"], table[table.regio_code == "ONB"]]
    big = pd.concat(parts, ignore_index=True)
    # (render time is measured by `regiorapportage benchmark`, not asserted here)
    paths = _html(big, tmp_path)
    _xlsx(big, tmp_path / "beschut_werk.xlsx")
    assert len(paths) == 39


def test_site_with_only_beschut_werk_has_the_index_and_every_region(table, tmp_path):
    """write_html (the whole site of a run) with only the beschut werk table: html/index.html
    as the entry point, one page per region with the same four tables."""
    job = render_job({"beschut_werk": table}, Q2_2019, False, META)
    paths = write_html(job, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["html/index.html"] + [
        f"html/{c}.html" for c in CODES
    ]
    index = _read(tmp_path / "html" / "index.html")
    for code in CODES:
        assert f'href="{code}.html"' in index
    assert 'href="../beschut_werk.xlsx"' in index
    nl = _read(tmp_path / "html" / "NL01.html")
    assert nl.count("<caption>") == 4
    for shown in ["2.272", "8.065", "1.404 (74%)", "3.277", "Jan. 2015 t/m sept. 2019"]:
        assert shown in nl
    books = write_xlsx(job, tmp_path)
    assert [b.name for b in books] == ["beschut_werk.xlsx"]
