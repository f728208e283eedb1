"""The website in a real browser: Debian's Chromium driven by Playwright (Python), the site
opened from the file system (file://, no server), as a reader would use it.

The site is made the way a user makes it: ``regiorapportage site`` on a small synthetic
Netherlands. The test checks that key numbers of the CSV files appear on the Nederland page
and on a region's page, follows links (start page → quarter → region via the table and via
the map; the downloads of a region exist on disk), sorts the table by clicking a column
header, switches the map's indicator, reaches the map with the keyboard, and saves
screenshots (to a temporary folder, or to $REGIORAPPORTAGE_SCREENSHOTS when set, e.g. an
artifacts folder in CI).

Needs ``/usr/bin/chromium`` (Debian package ``chromium``; CI installs it). Locally the tests
are skipped without it; in CI ($CI set) they fail instead.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from typer.testing import CliRunner

from regiorapportage.cli import app
from regiorapportage.render.formatting import format_number, format_percentage
from regiorapportage.synth import generate

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
REGION = "AM09"  # Achterhoek

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket chromium")
    pytest.skip(f"{CHROMIUM} ontbreekt (Debian-pakket chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """``regiorapportage site`` on a small synthetic Netherlands; returns the site folder."""
    base = tmp_path_factory.mktemp("browser")
    generate(base / "invoer", scale=0.02, seed=5, faults=False)
    result = CliRunner().invoke(
        app, ["site", "--input", str(base / "invoer"), "--output", str(base / "site"), "--quarter", "2019Q2"]
    )
    assert result.exit_code == 0, result.output
    assert (base / "site" / "index.html").exists()
    return base / "site"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("REGIORAPPORTAGE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    page.close()
    assert not errors, errors  # no script errors, no failed loads


def _value(run: Path, csv_name: str, code: str, tabel: str, rij: str, kolom: str) -> str:
    with open(run / csv_name, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if (row["regio_code"], row["tabel"], row["rij"], row["kolom"]) == (code, tabel, rij, kolom):
                return row["waarde"]
    raise AssertionError(f"{csv_name}: geen waarde voor {code}/{tabel}/{rij}/{kolom}")


def _key_numbers(run: Path, code: str) -> dict[str, str]:
    """Numbers from the CSV files, formatted as the pages show them."""
    def count(*key: str) -> str:
        return format_number(int(_value(run, *key)))

    return {
        "doelgroep": count("banenafspraak_trend.csv", code, "doelgroep", "totaal", "personen"),
        "werkzaam (factsheet)": count("factsheet.csv", code, "stromen", "werkzaam", "personen"),
        "doelgroep zonder werk": count("klantprofielen.csv", code, "klantprofielen", "totaal", "doelgroep_zonder_werk"),
        "zichtbaar profiel %": format_percentage(int(_value(run, "klantprofielen.csv", code, "klantprofielen", "totaal", "percentage"))),
        "adviezen beschut werk": count("beschut_werk.csv", code, "adviezen_naar_aanvrager", "totaal", "totaal"),
        "beschut werk werkend": count("beschut_werk.csv", code, "werk_naar_aanvrager", "totaal", "totaal_werkend"),
    }


def _path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _text(page) -> str:
    return " ".join(page.inner_text("main").split())


def test_start_page_leads_to_the_quarter_and_nederland(site, page, shots):
    page.goto((site / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Tweede kwartaal 2019").click()
    assert page.url.endswith("/2019Q2/html/index.html")
    assert page.locator("h1").inner_text() == "Regionale rapportages banenafspraak en beschut werk"
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    page.get_by_role("link", name="Nederland", exact=True).first.click()
    assert page.url.endswith("/NL01.html")
    text = _text(page)
    for what, shown in _key_numbers(site / "2019Q2", "NL01").items():
        assert shown in text, (what, shown)
    page.screenshot(path=str(shots / "NL01.png"), full_page=True)


def test_region_page_numbers_and_downloads(site, page, shots):
    page.goto((site / "2019Q2" / "html" / "index.html").as_uri())
    page.locator("#regio-tabel").get_by_role("link", name="Achterhoek", exact=True).click()
    assert page.url.endswith(f"/{REGION}.html")
    assert "Achterhoek" in page.locator("h1").inner_text()
    text = _text(page)
    for what, shown in _key_numbers(site / "2019Q2", REGION).items():
        assert shown in text, (what, shown)
    # charts have a text alternative
    for chart in page.locator("main svg[role=img]").all():
        labelled = chart.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{i}").count() == 1 for i in labelled)
    # every download of the region exists on disk: its PDFs, and the CSV and XLSX files
    links = page.locator("#downloads a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    kinds = {Path(h).suffix for h in hrefs}
    assert {".csv", ".xlsx"} <= kinds, hrefs
    for href in hrefs:
        assert href.startswith("file://") and _path(href).is_file(), href
    if (site / "2019Q2" / "pdf").is_dir():
        assert ".pdf" in kinds and any(f"_{REGION}.pdf" in h for h in hrefs)
    page.screenshot(path=str(shots / f"{REGION}.png"), full_page=True)
    # and on to the next region
    page.locator("nav.nav a[rel=next]").click()
    assert page.url.endswith("/AM10.html")
    page.screenshot(path=str(shots / "AM10.png"), full_page=False)


def test_map_links_regions_switches_indicator_and_takes_the_keyboard(site, page, shots):
    page.goto((site / "2019Q2" / "html" / "index.html").as_uri())
    maps = page.locator("figure.kaart")
    assert maps.count() == 3
    visible = [maps.nth(i).is_visible() for i in range(3)]
    assert visible == [True, False, False]  # the script shows one map at a time
    page.get_by_label("Zichtbaar klantprofiel, % zonder werk").check()
    assert page.locator("figure.kaart[data-indicator=klantprofielen]").is_visible()
    assert not page.locator("figure.kaart[data-indicator=beschut-werk]").is_visible()
    shown = page.locator("figure.kaart[data-indicator=klantprofielen]")
    shown.screenshot(path=str(shots / "kaart-klantprofielen.png"))
    region = shown.locator(f'a[href="{REGION}.html"]')
    assert "Achterhoek: " in region.locator("title").text_content()  # the name on hover
    region.focus()  # keyboard-focusable
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"{REGION}.html"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{REGION}.html")
    assert "Achterhoek" in page.locator("h1").inner_text()


def test_table_sorts_by_a_column_header(site, page, shots):
    page.goto((site / "2019Q2" / "html" / "index.html").as_uri())
    table = page.locator("#regio-tabel")
    header = table.locator("thead th").nth(1)  # Doelgroep
    rows = table.locator("tbody.sorteer-groep tr:not(.groep)")
    assert rows.count() == 35

    def column() -> list[float]:
        keys = rows.evaluate_all("rs => rs.map(r => r.cells[1].getAttribute('data-sorteer'))")
        return [float(k) for k in keys]

    def names() -> list[str]:
        return rows.evaluate_all("rs => rs.map(r => r.cells[0].getAttribute('data-sorteer'))")

    before = names()
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column() == sorted(column())
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column() == sorted(column(), reverse=True)
    assert sorted(names()) == sorted(before)  # the same rows, reordered
    assert table.locator("thead th[aria-sort=none]").count() == 7
    assert "aflopend" in page.locator("#sorteer-status").inner_text()
    # sorting on the region name, as a reader reads it
    first = table.locator("thead th").nth(0)
    first.get_by_role("button").click()
    assert names()[0] == "Achterhoek"
    table.screenshot(path=str(shots / "tabel-gesorteerd.png"))
    # Nederland stays on top, the unpublished regions below
    assert table.locator("tbody").first.locator("tr").count() == 1
