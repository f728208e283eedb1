"""The PDF reports (render/pdf.py): one PDF per publication and published region, one
combined national PDF; numbers from the long tables formatted the Dutch way (BA-5 banen in
whole jobs), AM99/ONB only inside the Nederland report (R-2, R-4), the voorlopig marking on
every page (T-5), byte-identical output (DQ-5).

The PDFs are read back with poppler (``pdftotext``, ``pdftoppm``; Debian poppler-utils).
The beschut werk numbers are the published ones of 2019Q2 (tests/data); the banenafspraak
frames are built below for every region of 2019, every cell of the vocabularies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from render_fixtures import render_job

from regiorapportage.publications.banenafspraak.vocabulary import FACTSHEET, KLANTPROFIELEN, REEKS, TREND
from regiorapportage.publications.base import BANEN, PERCENTAGE
from regiorapportage.quarter import Quarter
from regiorapportage.render import write_pdf

if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
    if os.environ.get("CI"):  # .ci/run installs poppler-utils: missing there is a failure
        raise RuntimeError("pdftotext/pdftoppm ontbreken: installeer het Debian-pakket poppler-utils")
    pytest.skip("poppler-utils (pdftotext, pdftoppm) not installed", allow_module_level=True)

Q2_2019 = Quarter(2019, 2)
META = {"software_version": "0.1.0", "nulmeting_bron": "invoer", "werkkamer_jaar": 2019}
DATA = Path(__file__).parents[1] / "data"
COLUMNS = ["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"]
PUBLICATIONS = ("banenafspraak_trend", "factsheet", "klantprofielen", "beschut_werk")


def _beschut_werk() -> pd.DataFrame:
    """The published numbers of NL01 and the 35 regions; AM99 and ONB (not published) from
    the synthetic run in tests/data."""
    published = pd.read_csv(DATA / "publicatie_beschut_werk_2019Q2.csv")
    published = published[~published.regio_code.isin(["AM99", "ONB"])]
    synthetic = pd.read_csv(DATA / "beschut_werk_2019Q2.csv")
    frame = pd.concat([published, synthetic[synthetic.regio_code.isin(["AM99", "ONB"])]], ignore_index=True)
    frame["waarde"] = frame["waarde"].astype(object)
    return frame


def _regions(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(frame[["regio_code", "regio_naam"]].drop_duplicates().itertuples(index=False, name=None))


def _value(kind: str, k: int, i: int):
    if kind == BANEN:
        return Decimal(f"{1000 * k + 7 * i}.5")  # shown rounded half up: 1000k + 7i + 1
    if kind == PERCENTAGE:
        return (k + 3 * i) % 100
    return 1000 * k + 11 * i


def _publication(vocabulary, regions) -> pd.DataFrame:
    records = []
    for k, (code, naam) in enumerate(regions, start=1):
        i = 0
        for table in vocabulary.tables:
            for rij, _ in table.rows:
                for column in table.columns:
                    i += 1
                    records.append((code, naam, table.tabel, rij, column.code, _value(column.kind, k, i)))
    return _frame(records)


def _frame(records) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["waarde"] = pd.Series([r[5] for r in records], dtype=object, index=frame.index)
    return frame


def _reeks(regions) -> pd.DataFrame:
    quarters = [Quarter(2012, 4).shift(n) for n in range(27)]  # 2012Q4 … 2019Q2
    records = []
    for k, (code, naam) in enumerate(regions, start=1):
        for n, q in enumerate(quarters):
            for i, column in enumerate(REEKS.tables[0].columns):
                records.append((code, naam, "reeks", str(q), column.code, _value(column.kind, k, n + i)))
    return _frame(records)


def _bw_reeks(regions) -> pd.DataFrame:
    quarters = [Quarter(2016, 1).shift(n) for n in range(14)]  # 2016Q1 … 2019Q2
    records = []
    for k, (code, naam) in enumerate(regions, start=1):
        for n, q in enumerate(quarters):
            records += [
                (code, naam, "reeks", str(q), "positief_advies_tm_cohortdatum", 20 * k + n),
                (code, naam, "reeks", str(q), "werkend_uit_cohort", 10 * k + n),
                (code, naam, "reeks", str(q), "percentage_werkend", 50 + n),
            ]
    return _frame(records)


def build_frames() -> dict[str, pd.DataFrame]:
    bw = _beschut_werk()
    regions = _regions(bw)
    return {
        "banenafspraak_trend": _publication(TREND, regions),
        "banenafspraak_reeks": _reeks(regions),
        "factsheet": _publication(FACTSHEET, regions),
        "klantprofielen": _publication(KLANTPROFIELEN, regions),
        "beschut_werk": bw,
        "beschut_werk_reeks": _bw_reeks(regions),
    }


def _subset(frames: dict[str, pd.DataFrame], codes: set[str], *keys: str) -> dict[str, pd.DataFrame]:
    return {k: f[f.regio_code.isin(codes)].reset_index(drop=True) for k, f in frames.items() if k in keys}


def _pdf(frames, out: Path, voorlopig: bool = False) -> list[Path]:
    return write_pdf(render_job(frames, Q2_2019, voorlopig, META), out)


def pdftotext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def page_count(path: Path) -> int:
    return pdftotext(path).count("\f")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return build_frames()


@pytest.fixture(scope="module")
def written(frames, tmp_path_factory) -> list[Path]:
    """All publications of all regions, written once for the module (about 5 s)."""
    return _pdf(frames, tmp_path_factory.mktemp("pdf"))


def _published(frames) -> list[tuple[str, str]]:
    return [(c, n) for c, n in _regions(frames["beschut_werk"]) if c not in ("AM99", "ONB")]


def test_one_pdf_per_publication_and_published_region(frames, written):
    published = _published(frames)
    assert len(published) == 36
    names = {p.name for p in written}
    expected = {f"{pub}_{code}.pdf" for pub in PUBLICATIONS for code, _ in published}
    assert names == expected | {"regiorapportage_2019Q2_alle_regios.pdf"}
    assert written[0].name == "regiorapportage_2019Q2_alle_regios.pdf"
    assert all(p.parent.name == "pdf" and p.read_bytes().startswith(b"%PDF-") for p in written)


def test_R_2_R_4_no_pdf_for_AM99_and_ONB_but_their_tables_in_the_nederland_report(written):
    assert not [p for p in written if "AM99" in p.name or "ONB" in p.name]
    folder = written[0].parent
    text = pdftotext(folder / "beschut_werk_NL01.pdf")
    assert "Niet in te delen (AM99)" in text and "Onbekend (ONB)" in text
    assert "geen gepubliceerde regio" in text
    assert "Niet in te delen" not in pdftotext(folder / "beschut_werk_AM09.pdf")


def test_BW_key_numbers_of_the_published_report(written):
    """Nederland and Achterhoek, 2019Q2, as in the UWV publication."""
    folder = written[0].parent
    nl = pdftotext(folder / "beschut_werk_NL01.pdf")
    for shown in ("5.801", "2.264", "8.065", "4.616", "3.087 (67%)", "3.277", "1.404 (74%)"):
        assert shown in nl
    achterhoek = pdftotext(folder / "beschut_werk_AM09.pdf")
    assert "Achterhoek" in achterhoek
    for line in (r"Aanvraag burger\s+37\s+41\s+78", r"Totaal\s+28\s+19 \(68%\)\s+20", r"UWV\s+7\s+3 \(43%\)\s+3"):
        assert pd.Series([achterhoek]).str.contains(line).iloc[0], line
    assert "Jan. 2015 t/m sept. 2019" in achterhoek and "30 juni 2019" in achterhoek


def test_BA_5_banen_in_whole_jobs_with_dutch_separators(frames, written):
    folder = written[0].parent
    trend = frames["banenafspraak_trend"]
    nl = trend[(trend.regio_code == "NL01") & (trend.tabel == "banen") & (trend.rij == "totaal")
               & (trend.kolom == "banen")].waarde.iloc[0]
    assert nl == Decimal("1084.5")  # CSV: 1084.50
    text = pdftotext(folder / "banenafspraak_trend_NL01.pdf")
    assert "1.085" in text and "1.084" not in text and "1084,5" not in text
    personen = trend[(trend.regio_code == "AM22") & (trend.kolom == "personen")].waarde.iloc[0]
    rijnmond = pdftotext(folder / "banenafspraak_trend_AM22.pdf")
    assert "Rijnmond" in rijnmond and f"{personen:,}".replace(",", ".") in rijnmond


def test_texts_titles_and_charts(written):
    folder = written[0].parent
    trend = pdftotext(folder / "banenafspraak_trend_AM09.pdf")
    assert "Trendrapportage banenafspraak" in trend and "Tweede kwartaal 2019" in trend
    assert "peildatum 30 juni 2019" in trend
    assert "vergeleken kwartalen" in trend  # the SVG chart, embedded as text and lines
    assert "Bron en definities banenafspraak" in trend and "Bron: UWV" in trend
    factsheet = pdftotext(folder / "factsheet_AM09.pdf")
    assert "Werkzaam op 31 maart 2019" in factsheet and "Definities van de stromen" in factsheet
    bw = pdftotext(folder / "beschut_werk_AM09.pdf")
    assert "Naast de banenafspraak biedt ook beschut werk" in bw and "Bron en definities" in bw
    assert f"Pagina 1 van {page_count(folder / 'beschut_werk_AM09.pdf')}" in bw
    assert "VOORLOPIG" not in bw


def test_charts_of_the_html_in_the_pdf(written):
    """The SVG charts (charts.py) are embedded: their texts are text in the PDF."""
    folder = written[0].parent
    kp = pdftotext(folder / "klantprofielen_AM22.pdf")
    assert "Rijnmond vergeleken met Nederland, tweede kwartaal 2019" in kp
    assert "Zichtbare profielen met cv" in kp
    assert "vergeleken met Nederland" not in pdftotext(folder / "klantprofielen_NL01.pdf")
    bw = pdftotext(folder / "beschut_werk_AM09.pdf")
    assert "Percentage werkend van de mensen met een positief advies beschut werk" in bw
    assert "Tweede kwartaal 2019 (30 jun. 2019)" in bw  # the series as a table
    factsheet = pdftotext(folder / "factsheet_AM22.pdf")
    assert "verhuisd naar" in factsheet and "werkzame" in factsheet  # the flow diagram


def test_combined_pdf_has_all_36_reports_in_order(frames, written):
    combined = written[0]
    text = pdftotext(combined)
    positions = []
    for code, naam in _published(frames):
        for pub_title in ("Trendrapportage banenafspraak", "Factsheet banenafspraak",
                          "Transparantie klantprofielen banenafspraak", "Rapportage beschut werk"):
            assert f"{pub_title} · {naam}" in text, (code, pub_title)
        positions.append(text.index(f"Trendrapportage banenafspraak · {naam}"))
    assert positions == sorted(positions)  # Nederland first, then AM01…
    contents = pdftotext(combined, 1) + pdftotext(combined, 2)
    assert "Inhoud" in contents and all(naam in contents for _, naam in _published(frames))
    singles = sum(page_count(p) for p in written[1:] if p.name.endswith("_AM09.pdf"))
    assert page_count(combined) > 36 * 4 and singles >= 4


def test_T_5_voorlopig_marked_on_every_page(frames, tmp_path):
    small = _subset(frames, {"NL01", "AM09", "AM99", "ONB"}, "beschut_werk", "banenafspraak_trend",
                    "banenafspraak_reeks")
    files = _pdf(small, tmp_path, voorlopig=True)
    assert len(files) == 1 + 2 * 2
    for path in files:
        pages = page_count(path)
        assert pages >= 1
        for page in range(1, pages + 1):
            assert "VOORLOPIGE CIJFERS" in pdftotext(path, page), (path.name, page)
    text = pdftotext(tmp_path / "pdf" / "beschut_werk_AM09.pdf")
    assert "Deze rapportage is voorlopig" in text and "betrouwbare informatie" not in text


def test_missing_publications_produce_no_pdf(frames, tmp_path):
    only_bw = _pdf(_subset(frames, {"NL01", "AM09"}, "beschut_werk"), tmp_path / "a")
    assert sorted(p.name for p in only_bw) == [
        "beschut_werk_AM09.pdf", "beschut_werk_NL01.pdf", "regiorapportage_2019Q2_alle_regios.pdf"]
    # without the series, the bar chart sets the region beside Nederland
    assert "Achterhoek vergeleken met Nederland" in pdftotext(tmp_path / "a" / "pdf" / "beschut_werk_AM09.pdf")
    kp = _pdf(_subset(frames, {"NL01", "AM09"}, "klantprofielen"), tmp_path / "b")
    assert {p.name for p in kp} == {"klantprofielen_AM09.pdf", "klantprofielen_NL01.pdf",
                                   "regiorapportage_2019Q2_alle_regios.pdf"}
    assert "Rapportage beschut werk" not in pdftotext(kp[0])
    assert _pdf({}, tmp_path / "c") == []


def test_DQ_5_same_input_same_bytes(frames, tmp_path):
    small = _subset(frames, {"NL01", "AM22", "AM99", "ONB"}, *frames)
    a = _pdf(small, tmp_path / "a")
    b = _pdf(small, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_a_page_renders_to_a_non_trivial_image(written, tmp_path):
    path = written[0].parent / "banenafspraak_trend_AM22.pdf"
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
                   check=True, capture_output=True)
    (image,) = tmp_path.glob("p*.pgm")
    raw = image.read_bytes()
    # binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel
    header = raw.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3]
    assert (width, height) == (331, 468)  # A4 at 40 dpi
    dark = sum(1 for p in pixels if p < 128)
    grey = sum(1 for p in pixels if p < 250)
    assert 0.01 < dark / len(pixels) < 0.5 and grey > dark
