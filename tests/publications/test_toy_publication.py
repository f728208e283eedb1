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
from regiorapportage.publications.base import Column, Publication, TableSpec, Vocabulary
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
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Toy-telling van personen" in text and "Geboren vóór 1970" in text
