"""The golden test: the synthetic Netherlands at scale 1 → run 2019Q2 → the published
UWV report, row for row (NL01, the 35 regions and AM99), and determinism (DQ-5).

tests/data/publicatie_beschut_werk_2019Q2.csv is a copy of the published reference
(shared/reference), kept apart from the generator's own calibration target.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiorapportage.pipeline import run
from regiorapportage.synth import generate

REFERENCE = Path(__file__).parent / "data" / "publicatie_beschut_werk_2019Q2.csv"


@pytest.fixture(scope="module")
def scale1(tmp_path_factory):
    base = tmp_path_factory.mktemp("schaal1")
    # The beschut werk part of the synthetic data is byte-identical with or without the
    # banenafspraak inputs; leaving them out keeps this test fast.
    generate(base / "invoer", scale=1, seed=2019, banenafspraak=False)
    return run(base / "invoer", base / "uitvoer", "2019Q2", publications=["beschut_werk"])


@pytest.mark.slow
def test_BW_golden_2019Q2_equals_published_report(scale1):
    ours = pd.read_csv(scale1.output_dir / "beschut_werk.csv", dtype={"waarde": "int64"})
    ref = pd.read_csv(REFERENCE, dtype={"waarde": "int64"})
    key = ["regio_code", "tabel", "rij", "kolom"]
    merged = ref.merge(ours, on=key, how="left", suffixes=("_gepubliceerd", "_berekend"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key].head()
    diff = merged[merged["waarde_gepubliceerd"] != merged["waarde_berekend"]]
    assert diff.empty, f"{len(diff)} numbers differ:\n{diff[key + ['waarde_gepubliceerd', 'waarde_berekend']].head(20)}"
    # names as published for NL01 and the 35 regions (AM99's reference name is derived), except
    # AM36: UWV's report says "Zwolle", the CBS classification that names regions "Regio Zwolle"
    named = merged[~merged["regio_code"].isin(["AM99", "AM36"])]
    assert (named["regio_naam_gepubliceerd"] == named["regio_naam_berekend"]).all()
    assert set(merged[merged["regio_code"] == "AM36"]["regio_naam_berekend"]) == {"Regio Zwolle"}
    # row for row: the published rows appear in our file in the same order
    ours_keys = list(ours[key].itertuples(index=False, name=None))
    ref_keys = set(ref[key].itertuples(index=False, name=None))
    assert [k for k in ours_keys if k in ref_keys] == list(ref[key].itertuples(index=False, name=None))
    # what we add: AM99's percentages and the ONB region, which is empty at scale 1
    extra = ours[~ours[key].apply(tuple, axis=1).isin(ref_keys)]
    assert set(extra["regio_code"]) == {"AM99", "ONB"}
    assert (extra[extra["regio_code"] == "ONB"]["waarde"] == 0).all()
    assert set(extra[extra["regio_code"] == "AM99"]["kolom"]) == {"percentage_werkend"}
    assert len(ours) == 38 * 42


@pytest.mark.slow
def test_BW_golden_run_reports_rejects_and_reconciles(scale1):
    # the generator injects a handful of bad rows; they are rejected and counted, never lost
    sources = scale1.inputs.sources
    assert sum(s.rejected for s in sources.values()) > 0
    for s in sources.values():
        assert s.read == s.accepted + s.rejected
    assert not scale1.voorlopig


@pytest.mark.slow
def test_DQ_5_two_runs_give_byte_identical_outputs(tmp_path):
    generate(tmp_path / "invoer", scale=0.1, seed=7)
    a = run(tmp_path / "invoer", tmp_path / "a", "2019Q2")
    b = run(tmp_path / "invoer", tmp_path / "b", "2019Q2")
    names = [*CSV_FILES, "beschut_werk.xlsx", "banenafspraak_trend.xlsx", "factsheet.xlsx", "klantprofielen.xlsx",
             "html/AM18.html", "html/NL01.html", "html/index.html"]
    for name in names:
        assert (a.output_dir / name).read_bytes() == (b.output_dir / name).read_bytes(), name
    for f in (a.output_dir / "rejects").iterdir():
        assert f.read_bytes() == (b.output_dir / "rejects" / f.name).read_bytes(), f.name


@pytest.mark.slow
def test_generate_parquet_gives_the_same_publication(tmp_path):
    generate(tmp_path / "csv", scale=0.1, seed=11, faults=False)
    generate(tmp_path / "pq", scale=0.1, seed=11, fmt="parquet", faults=False)
    a = run(tmp_path / "csv", tmp_path / "a", "2019Q2", render=False)
    b = run(tmp_path / "pq", tmp_path / "b", "2019Q2", render=False)
    for name in CSV_FILES:
        assert (a.output_dir / name).read_bytes() == (b.output_dir / name).read_bytes(), name


CSV_FILES = ["beschut_werk.csv", "banenafspraak_trend.csv", "banenafspraak_reeks.csv", "factsheet.csv", "klantprofielen.csv"]


@pytest.mark.slow
def test_all_four_publications_on_the_synthetic_netherlands(tmp_path):
    """A tenth of the Netherlands: every publication is written, the run's own checks
    (FS-3, R-5, banen identity) passed, and the national figures are of the size the
    generator is calibrated to (scale 1: ~225,000 in the doelgroep, ~116,000 working)."""
    generate(tmp_path / "invoer", scale=0.1, seed=2019)
    result = run(tmp_path / "invoer", tmp_path / "uit", "2019Q2", render=False)
    cells = {}
    for name in CSV_FILES[1:]:
        frame = pd.read_csv(result.output_dir / name, dtype={"waarde": "string"})
        cells.update({(r.regio_code, r.tabel, r.rij, r.kolom): r.waarde for r in frame.itertuples()})
    assert 18_000 < int(cells[("NL01", "doelgroep", "totaal", "personen")]) < 27_000
    assert 9_000 < int(cells[("NL01", "doelgroep", "totaal", "werkzame_personen")]) < 14_000
    assert float(cells[("NL01", "banen", "totaal", "extra_banen")]) > 0
    assert len({k[2] for k in cells if k[1] == "reeks"}) == 27  # 2012Q4 … 2019Q2
    regels = {w.regel for w in result.warnings}
    assert {"BA-3", "R-4"} <= regels
