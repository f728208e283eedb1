"""The run as a whole: T-1/T-5 (quarters, reliability), R-6 (no gemeente level), DQ-4
(atomic output), manifest. The publications' own consistency checks are tested with them
(tests/publications/)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from conftest import small
from regiorapportage.errors import RefusedError, UserError
from regiorapportage.pipeline import run
from regiorapportage.quarter import Quarter, add_months


# ----------------------------------------------------------------- T-1 quarters


@pytest.mark.parametrize(
    "text, peildatum, previous, nxt",
    [
        ("2019Q2", date(2019, 6, 30), date(2019, 3, 31), date(2019, 9, 30)),
        ("2019Q1", date(2019, 3, 31), date(2018, 12, 31), date(2019, 6, 30)),
        ("2019Q4", date(2019, 12, 31), date(2019, 9, 30), date(2020, 3, 31)),
        ("2020q3", date(2020, 9, 30), date(2020, 6, 30), date(2020, 12, 31)),
    ],
)
def test_T_1_peildatum_and_neighbours(text, peildatum, previous, nxt):
    q = Quarter.parse(text)
    assert (q.peildatum, q.previous.peildatum, q.next.peildatum) == (peildatum, previous, nxt)


@pytest.mark.parametrize("text", ["2019-Q2", "2019Q5", "Q2 2019", "", "2019"])
def test_T_1_bad_quarter_is_a_user_error(text):
    with pytest.raises(UserError, match="JJJJQn|YYYYQn|1 t/m 4"):
        Quarter.parse(text)


def test_T_5_reliable_three_months_after_P():
    assert Quarter.parse("2019Q2").reliable_from == date(2019, 9, 30)
    assert Quarter.parse("2019Q1").reliable_from == date(2019, 6, 30)  # 31 March + 3 months
    assert Quarter.parse("2019Q3").reliable_from == date(2019, 12, 30)
    assert add_months(date(2019, 11, 30), 3) == date(2020, 2, 29)


# ----------------------------------------------------------------- T-5 refusal / voorlopig


def test_T_5_refuses_payroll_extracted_too_early(tmp_path):
    folder = small(tmp_path, extractiedatum={"polis_ikv": "2019-09-29", "polis_tijdvak": "2019-10-15"})
    with pytest.raises(RefusedError) as info:
        run(folder, tmp_path / "uit", "2019Q2", render=False)
    msg = str(info.value)
    assert "polis_ikv (2019-09-29)" in msg and "2019-09-30" in msg and "--voorlopig" in msg
    assert not (tmp_path / "uit" / "2019Q2").exists()


def test_T_5_extraction_exactly_three_months_after_P_is_reliable(tmp_path):
    folder = small(tmp_path, extractiedatum={"polis_ikv": "2019-09-30", "polis_tijdvak": "2019-09-30"})
    result = run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert not result.voorlopig
    assert list(pd.read_csv(result.output_dir / "beschut_werk.csv").columns) == [
        "regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"
    ]


def test_T_5_voorlopig_marks_every_output(tmp_path):
    folder = small(tmp_path, extractiedatum={"polis_ikv": "2019-08-01", "polis_tijdvak": "2019-08-01"})
    result = run(folder, tmp_path / "uit", "2019Q2", voorlopig=True, render=True)
    frame = pd.read_csv(result.output_dir / "beschut_werk.csv")
    assert (frame["status"] == "voorlopig").all()
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    assert manifest["run"]["voorlopig"] is True
    t5 = [w for w in manifest["waarschuwingen"] if w["regel"] == "T-5"]
    assert t5 and t5[0]["details"] == {"polis_ikv": "2019-08-01", "polis_tijdvak": "2019-08-01"}
    for page in (result.output_dir / "html").glob("*.html"):
        assert "VOORLOPIG" in page.read_text(encoding="utf-8").upper(), page.name
    from openpyxl import load_workbook

    wb = load_workbook(result.output_dir / "beschut_werk.xlsx")
    for ws in wb.worksheets:
        text = " ".join(str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value)
        assert "VOORLOPIG" in text.upper(), ws.title


# -----------------------------------------------------------------


def test_R_6_gemeente_level_is_refused_with_reason(tmp_path):
    with pytest.raises(RefusedError) as info:
        run(small(tmp_path), tmp_path / "uit", "2019Q2", level="gemeente", render=False)
    msg = str(info.value)
    assert "R-6" in msg and "woon-werkverkeer" in msg and "herkenbaar" in msg


def test_R_2_classification_of_year_of_P_required(tmp_path):
    late = {"polis_ikv": "2020-07-15", "polis_tijdvak": "2020-07-15"}
    with pytest.raises(UserError, match=r"geen gemeente-indeling voor 2020 \(R-8\): meegeleverd zijn 2016, 2019, 2026"):
        run(small(tmp_path, extractiedatum=late), tmp_path / "uit", "2020Q1", render=False)


# ----------------------------------------------------------------- BW-6 checks


# ----------------------------------------------------------------- DQ-4 atomic output


def test_DQ_4_rerun_replaces_output_and_leaves_no_temporary_folders(tmp_path):
    folder = small(tmp_path)
    first = run(folder, tmp_path / "uit", "2019Q2", render=False)
    (first.output_dir / "stale.txt").write_text("from an earlier run")
    second = run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert not (second.output_dir / "stale.txt").exists()
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["2019Q2"]


def test_DQ_4_failure_while_writing_keeps_previous_output(tmp_path, monkeypatch):
    folder = small(tmp_path)
    first = run(folder, tmp_path / "uit", "2019Q2", render=False)
    before = (first.output_dir / "beschut_werk.csv").read_bytes()

    import regiorapportage.pipeline as pipeline

    def broken(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(pipeline, "_manifest", broken)
    with pytest.raises(OSError):
        run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert (first.output_dir / "beschut_werk.csv").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["2019Q2"]


def test_manifest_has_hashes_counts_and_parameters(tmp_path):
    result = run(small(tmp_path), tmp_path / "uit", "2019Q2", render=False)
    m = json.loads((result.output_dir / "manifest.json").read_text())
    assert m["run"]["kwartaal"] == "2019Q2" and m["run"]["peildatum"] == "2019-06-30"
    assert m["run"]["engine"] == "duckdb"
    assert len(m["bronnen"]["adviezen"]["sha256"]) == 64
    assert m["bronnen"]["polis_ikv"]["extractiedatum"] == "2019-10-15"
    import hashlib

    digest = hashlib.sha256((result.output_dir / "beschut_werk.csv").read_bytes()).hexdigest()
    assert m["uitvoer"]["beschut_werk.csv"] == digest


def test_T_5_is_checked_before_the_inputs_are_read(tmp_path):
    folder = small(tmp_path, extractiedatum={"polis_ikv": "2019-07-01", "polis_tijdvak": "2019-07-01"})
    (folder / "polis_tijdvak.csv").write_text("kapot\n")  # would be a structural error later
    with pytest.raises(RefusedError, match="T-5"):
        run(folder, tmp_path / "uit", "2019Q2", render=False)


# ----------------------------------------------------------------- the registry in a run


class _Progress:
    """Records the steps a run reports and the number it says it will report."""

    def __init__(self):
        self.steps: list[str] = []
        self.expected: list[int] = []

    def __call__(self, message: str) -> None:
        self.steps.append(message)

    def expect(self, total: int) -> None:
        self.expected.append(total)


@pytest.mark.parametrize(
    "publications, render",
    [(None, False), (["beschut_werk"], True), (["factsheet"], False)],
    ids=["all", "beschut_werk_rendered", "factsheet"],
)
def test_the_progress_bar_expects_exactly_the_steps_of_the_run(tmp_path, publications, render):
    progress = _Progress()
    run(small(tmp_path), tmp_path / "uit", "2019Q2", render=render, publications=publications, progress=progress)
    assert progress.expected and progress.expected[-1] == len(progress.steps), progress.steps


def test_an_unknown_publication_is_a_usage_error_naming_the_choices(tmp_path):
    with pytest.raises(UserError, match="onbekende publicatie 'trend'; kies uit: beschut_werk, banenafspraak_trend, factsheet, klantprofielen"):
        run(small(tmp_path), tmp_path / "uit", "2019Q2", publications=["trend"])


def test_BA_7_the_precedence_table_is_in_the_manifest_and_null_without_banenafspraak(tmp_path):
    both = run(small(tmp_path), tmp_path / "a", "2019Q2", render=False)
    manifest = json.loads((both.output_dir / "manifest.json").read_text())
    assert manifest["run"]["categorie_voorrang"][0] == [1, "wsw_detachering", "wsw_wiw"]
    assert list(manifest["run"])[:6] == ["kwartaal", "peildatum", "voorlopig", "niveau", "publicaties", "categorie_voorrang"]
    bw = run(small(tmp_path), tmp_path / "b", "2019Q2", render=False, publications=["beschut_werk"])
    assert json.loads((bw.output_dir / "manifest.json").read_text())["run"]["categorie_voorrang"] is None


def test_BA_7_a_bad_precedence_table_is_refused_before_any_input_is_read(tmp_path):
    folder = small(tmp_path)
    (folder / "personen.csv").write_text("kapot\n")  # would be a structural error later
    bad = tmp_path / "voorrang.csv"
    bad.write_text("rang,grondslag,categorie\n1,wajong,onbekende_categorie\n")
    with pytest.raises(UserError) as caught:
        run(folder, tmp_path / "uit", "2019Q2", precedence=bad)
    assert "personen" not in str(caught.value)
