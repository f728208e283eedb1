"""Adding a publication is one package and one line in the registry: a toy publication
declared here, in the test — one table with two rows, a build from the run context and no
view code of its own — appears in the CSV, the manifest, the site, a workbook and a PDF of a
run without any change outside this file (docs/architecture.md, "Adding a publication")."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from conftest import AMS, UTR, lives, person, write_inputs
from regiorapportage.pipeline import run
from regiorapportage.publications import registry
from regiorapportage.publications.base import PERCENTAGE, Column, Family, Publication, TableSpec, Vocabulary
from regiorapportage.publications.long_format import fill, grid
from regiorapportage.sources.schema import BW

TOY = Vocabulary(
    "toy_telling",
    "Toy-telling van personen",
    (
        TableSpec(
            "personen",
            "Personen in de personenbron op {peildatum}",
            (("geboren_voor_1970", "Geboren vóór 1970"), ("totaal", "Totaal")),
            (Column("aantal", "Aantal personen"),),
        ),
    ),
)


class Toy(Publication):
    """Counts the persons of the ``personen`` input (Nederland only, the rest in ONB)."""

    key = TOY.key
    titel = TOY.titel
    kort = "Toy"
    sectie = "toy"
    inputs = frozenset({BW})
    outputs = (TOY,)
    volgorde = 99

    def build(self, ctx, prepared):
        personen = ctx.inputs["personen"]
        old = personen.filter(personen.geboortedatum < pd.Timestamp("1970-01-01").date())
        n_all, n_old = int(personen.count().to_pyarrow().as_py()), int(old.count().to_pyarrow().as_py())
        values = pd.DataFrame(
            [(code, "personen", rij, "aantal", n)
             for code in ("NL01", "ONB")
             for rij, n in (("geboren_voor_1970", n_old), ("totaal", n_all))],
            columns=["regio_code", "tabel", "rij", "kolom", "waarde"],
        )
        return {TOY.key: fill(grid(ctx.regions, TOY.grids()), values)}


def test_a_toy_publication_appears_in_every_output(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "PUBLICATIONS", (*registry.PUBLICATIONS, Toy()))
    folder = write_inputs(
        tmp_path / "in",
        personen=[person("P1", born="1960-05-01"), person("P2", born="1990-01-01"), person("P3", born="1950-01-01")],
        brp_verblijf=[lives("P1", AMS), lives("P2", UTR)],
    )
    result = run(folder, tmp_path / "uit", "2019Q2", publications=["beschut_werk", "toy_telling"])
    out = result.output_dir

    # the CSV, in the long format, with the grid of every region
    csv = pd.read_csv(out / "toy_telling.csv", dtype={"waarde": "int64"})
    cells = {(r.regio_code, r.rij): r.waarde for r in csv.itertuples()}
    assert cells[("NL01", "geboren_voor_1970")] == 2 and cells[("NL01", "totaal")] == 3
    assert cells[("AM18", "totaal")] == 0 and len(csv) == 2 * csv["regio_code"].nunique()

    # the manifest lists it and hashes its file
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["publicaties"] == ["beschut_werk", "toy_telling"]
    assert "toy_telling.csv" in manifest["uitvoer"] and "toy_telling.xlsx" in manifest["uitvoer"]

    # the site: a section on the region page, an entry on the index
    page = (out / "html" / "NL01.html").read_text(encoding="utf-8")
    assert 'id="toy"' in page and "Toy-telling van personen" in page
    assert "Personen in de personenbron op 30 juni 2019" in page and "Geboren vóór 1970" in page
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "NL01.html#toy" in index and "../toy_telling.csv" in index

    # a workbook with the Nederland sheet and the Data sheet
    book = openpyxl.load_workbook(out / "toy_telling.xlsx")
    assert {"Toelichting", "Data", "NL01 Nederland"} <= set(book.sheetnames)
    rows = [[c.value for c in row] for row in book["NL01 Nederland"].iter_rows()]
    assert ["Geboren vóór 1970", 2, None, None, None] in rows and ["Totaal", 3, None, None, None] in rows

    # a PDF per published region and a part of the combined PDF
    pdf = out / "pdf" / "toy_telling_NL01.pdf"
    assert pdf.is_file() and (out / "pdf" / "toy_telling_AM18.pdf").is_file()
    # poppler-utils is installed by scripts/system-deps (.ci/run); without it this fails
    assert shutil.which("pdftotext"), "pdftotext ontbreekt: installeer het Debian-pakket poppler-utils"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Toy-telling van personen" in text and "Geboren vóór 1970" in text


# --- a family of two that share one prepared result, one with a time series -------------------

TELLING = Vocabulary(
    "toy_familie_telling",
    "Toy-familie: telling",
    (TableSpec("personen", "Personen", (("totaal", "Totaal"),), (Column("aantal", "Aantal personen"),), turned=True),),
)
REEKS = Vocabulary(
    "toy_familie_reeks",
    "Toy-familie: per kwartaal",
    (TableSpec("reeks", "Per kwartaal", (), (Column("aantal", "Aantal personen"),)),),
    series=True,
)
AANDEEL = Vocabulary(
    "toy_familie_aandeel",
    "Toy-familie: aandeel",
    (TableSpec("aandeel", "Aandeel", (("totaal", "Totaal"),), (Column("procent", "Procent", PERCENTAGE),), turned=True),),
)


class ToyFamily(Family):
    key = "toy_familie"
    steps = 1

    def __init__(self):
        self.prepared = 0

    def prepare(self, ctx, members):
        self.prepared += 1
        ctx.step("toy-familie voorbereiden")
        return int(ctx.inputs["personen"].count().to_pyarrow().as_py())


FAMILY = ToyFamily()


def _nl_only(ctx, vocabulary, value, rows=None):
    values = pd.DataFrame(
        [(code, t.name, r, c, value) for code in ("NL01", "ONB") for t in vocabulary.grids(rows)
         for r in t.rows for c in t.columns],
        columns=["regio_code", "tabel", "rij", "kolom", "waarde"],
    )
    return fill(grid(ctx.regions, vocabulary.grids(rows)), values)


class Telling(Publication):
    key, titel, kort, sectie, volgorde = TELLING.key, TELLING.titel, "Telling", "toy-telling", 97
    inputs = frozenset({BW})
    outputs = (TELLING, REEKS)
    family = FAMILY

    def build(self, ctx, n):
        quarters = ("2019Q1", "2019Q2")
        return {TELLING.key: _nl_only(ctx, TELLING, n), REEKS.key: _nl_only(ctx, REEKS, n, quarters)}


class Aandeel(Publication):
    key, titel, kort, sectie, volgorde = AANDEEL.key, AANDEEL.titel, "Aandeel", "toy-aandeel", 98
    inputs = frozenset({BW})
    outputs = (AANDEEL,)
    family = FAMILY

    def build(self, ctx, n):
        return {AANDEEL.key: _nl_only(ctx, AANDEEL, 100 if n else 0)}


def test_a_family_prepares_once_for_its_members_and_a_series_gets_its_csv_and_data_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "PUBLICATIONS", (*registry.PUBLICATIONS, Telling(), Aandeel()))
    FAMILY.prepared = 0
    folder = write_inputs(tmp_path / "in", personen=[person("P1"), person("P2")], brp_verblijf=[lives("P1", AMS)])
    result = run(folder, tmp_path / "uit", "2019Q2", publications=[AANDEEL.key, TELLING.key])
    out = result.output_dir
    assert FAMILY.prepared == 1
    reeks = pd.read_csv(out / "toy_familie_reeks.csv")
    assert set(reeks["rij"]) == {"2019Q1", "2019Q2"} and reeks.loc[reeks.regio_code == "NL01", "waarde"].tolist() == [2, 2]
    book = openpyxl.load_workbook(out / "toy_familie_telling.xlsx")
    assert "Data toy_familie_reeks" in book.sheetnames
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "../toy_familie_reeks.csv" in index and "../toy_familie_telling.xlsx" in index
    page = (out / "html" / "NL01.html").read_text(encoding="utf-8")
    assert page.index('id="toy-telling"') < page.index('id="toy-aandeel"')  # by volgorde
    assert "100%" in page
    # the manifest lists them as asked, builds them in registry order
    assert json.loads((out / "manifest.json").read_text())["run"]["publicaties"] == [AANDEEL.key, TELLING.key]


def test_a_publication_must_deliver_every_output_it_declares(tmp_path, monkeypatch):
    class Incomplete(Telling):
        def build(self, ctx, n):
            return {TELLING.key: _nl_only(ctx, TELLING, n)}  # no series

    monkeypatch.setattr(registry, "PUBLICATIONS", (*registry.PUBLICATIONS, Incomplete()))
    folder = write_inputs(tmp_path / "in", personen=[person("P1")])
    with pytest.raises(AssertionError, match="toy_familie_telling: geen uitvoer toy_familie_reeks"):
        run(folder, tmp_path / "uit", "2019Q2", publications=[TELLING.key], render=False)
    assert not (tmp_path / "uit" / "2019Q2").exists()


def test_a_publication_whose_main_output_has_another_key_is_refused():
    class Wrong(Publication):
        key, titel, kort, sectie = "anders", "Anders", "Anders", "anders"
        outputs = (TOY,)

        def build(self, ctx, prepared):
            return {}

    with pytest.raises(TypeError, match="main output"):
        Wrong()
