"""BW-6 and R-5: the consistency checks of the Rapportage beschut werk, on a computed
publication and on every run before anything is written."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import small
from regiorapportage.errors import ConsistencyError
from regiorapportage.pipeline import run
from regiorapportage.publications.beschut_werk import checks


def _frame(tmp_path):
    result = run(small(tmp_path), tmp_path / "uit", "2019Q2", render=False)
    return pd.read_csv(result.output_dir / "beschut_werk.csv")


def _set(frame, region, table, row, col, value):
    mask = (frame.regio_code == region) & (frame.tabel == table) & (frame.rij == row) & (frame.kolom == col)
    assert mask.sum() == 1
    frame.loc[mask, "waarde"] = value


def test_BW_6_consistent_publication_passes(tmp_path):
    checks.beschut_werk(_frame(tmp_path))


@pytest.mark.parametrize(
    "cell, value, words",
    [
        (("AM18", "adviezen_naar_aanvrager", "totaal", "positief"), 2, "≠ totaal"),
        (("AM18", "werk_naar_aanvrager", "aanvraag_gemeente", "werkend_uit_cohort"), 2, "werkend_uit_cohort 2 > cohort"),
        (("NL01", "adviezen_naar_verantwoordelijke", "gemeente", "negatief"), 5, "R-5"),
        (("AM13", "werk_naar_verantwoordelijke", "uwv", "totaal_werkend"), 1, "BW-6 AM13"),
    ],
)
def test_BW_6_violation_stops_the_run(tmp_path, cell, value, words):
    frame = _frame(tmp_path)
    _set(frame, *cell, value)
    with pytest.raises(ConsistencyError, match=words):
        checks.beschut_werk(frame)


def test_BW_6_violation_inside_a_run_writes_nothing(tmp_path, monkeypatch):
    from regiorapportage.publications.beschut_werk import build

    real_build = build.build

    def broken_build(*args, **kwargs):
        frame, *rest = real_build(*args, **kwargs)
        frame.loc[(frame.regio_code == "AM18") & (frame.tabel == "adviezen_naar_aanvrager") & (frame.rij == "totaal") & (frame.kolom == "positief"), "waarde"] = 99
        return (frame, *rest)

    monkeypatch.setattr(build, "build", broken_build)
    with pytest.raises(ConsistencyError, match="BW-6 AM18"):
        run(small(tmp_path), tmp_path / "uit", "2019Q2", render=False)
    assert not (tmp_path / "uit").exists() or list((tmp_path / "uit").iterdir()) == []
