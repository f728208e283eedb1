"""The pandas reference implementation (``bench/regiorapportage_pandas``, written from SPEC.md
independently of the Ibis code) as a second oracle: on the same inputs the pipeline
(DuckDB) and the reference must write byte-identical CSV files for every publication
(BW and its cohort series ``beschut_werk_reeks.csv``, BA/TR incl. the TR-6 series, BA/FS,
BA/KP), and reject the same rows (DQ-1).

- property-based: random small populations — the banenafspraak strategy of
  ``test_properties_banenafspraak`` extended with advices beschut werk (BW-1 … BW-5, R-3
  fallback), wages around P (BW-4, negative corrections) and a few faulty rows (DQ-2: bad
  dates, duplicate keys, overlapping periods, references to rejected or unknown rows) — for
  2019Q2, 2019Q1 and 2018Q4;
- the scale-0.1 synthetic Netherlands (with its injected faults) for 2019Q2;
- a Parquet input whose two period sources are year-partitioned dataset folders
  (docs/scale-out.md, "Inputs": ``rij`` counts through the files in the order of their
  relative paths; files under a name starting with ``.`` or ``_`` are not data).

``REGIO_EXAMPLES`` / ``REGIO_RANDOM`` / ``REGIO_SHRINK`` work as in
``test_properties_banenafspraak``.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import regiorapportage_pandas as reference
from conftest import AMS, RDAM, UTR, WBET, advice, employer, job, lives, period, person, write_inputs
from regiorapportage.pipeline import run as pipeline_run
from regiorapportage.quarter import Quarter
from populations import (
    OTHER_QUARTERS,
    PROPERTY_SETTINGS,
    QUARTER,
    SCALE,
    Population,
    _hand_made,
    day_between,
    populations,
)

CSV_FILES = ["beschut_werk.csv", "beschut_werk_reeks.csv", "banenafspraak_trend.csv", "banenafspraak_reeks.csv",
             "factsheet.csv", "klantprofielen.csv"]
UNKNOWN = "GM9999"
GEMEENTE_ON_ADVICE = (AMS, UTR, RDAM, WBET, UNKNOWN, None)


# =========================================================================== running both


def run_both(folder: Path, tmp: Path, quarter: str) -> tuple[Path, Path]:
    """The pipeline (DuckDB, no rendering) and the reference on one input folder."""
    pipe = pipeline_run(folder, tmp / "pipeline", quarter, render=False).output_dir
    ref = reference.run(folder, tmp / "reference", quarter)
    return pipe, ref


def assert_identical(pipe: Path, ref: Path) -> None:
    """Every publication byte for byte; the rejects by row number and rule."""
    for name in CSV_FILES:
        a, b = (pipe / name).read_bytes(), (ref / name).read_bytes()
        if a != b:
            left = pd.read_csv(pipe / name, dtype=str, keep_default_na=False)
            right = pd.read_csv(ref / name, dtype=str, keep_default_na=False)
            if len(left) == len(right) and (left.columns == right.columns).all():
                diff = left[(left != right).any(axis=1)].join(right, rsuffix="_reference")
                raise AssertionError(f"{name}: pipeline and reference differ in {len(diff)} rows:\n{diff.head(20)}")
            raise AssertionError(f"{name}: pipeline {len(left)} rows, reference {len(right)} rows")
    for path in sorted((pipe / "rejects").glob("*.csv")):
        want = pd.read_csv(path, dtype=str, keep_default_na=False)[["rij", "regel"]]
        got = pd.read_csv(ref / "rejects" / path.name, dtype=str, keep_default_na=False)[["rij", "regel"]]
        assert want.values.tolist() == got.values.tolist(), f"rejects/{path.name}: {want} ≠ {got}"


def check(pop: Population, quarter: Quarter) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_inputs(Path(tmp) / "in", **{k: v for k, v in pop.src.items()})
        assert_identical(*run_both(folder, Path(tmp), str(quarter)))


# =========================================================================== generation


def advice_days(quarter: Quarter) -> st.SearchStrategy[date]:
    """BW-1/BW-3/BW-5 boundaries: 2015-01-01, 2017-01-01 (burger), the cohort date, P, the
    window end (last day of the next quarter), each ±1 day, or any day around them."""
    P, cohort, end = quarter.peildatum, quarter.previous.peildatum, quarter.next.peildatum
    one = timedelta(days=1)
    boundaries = sorted({date(2015, 1, 1), date(2015, 1, 2), date(2016, 12, 31), date(2017, 1, 1), cohort - one, cohort,
                         cohort + one, P - one, P, P + one, end - one, end, end + one})
    return st.one_of(st.sampled_from(boundaries), day_between(date(2015, 1, 1), end + timedelta(days=40)))


@st.composite
def with_beschut_werk(draw, quarter: Quarter = QUARTER, max_persons: int = 20, base: Population | None = None):
    """A banenafspraak population plus advices beschut werk, wages on P and faulty rows."""
    pop = base if base is not None else draw(populations(max_persons=max_persons, quarter=quarter))
    s = pop.src
    P = quarter.peildatum
    days = advice_days(quarter)
    # some advice persons have no BRP record at all (fallback to the advice's gemeente)
    for i in range(draw(st.integers(0, 4))):
        s["personen"].append(person(f"B{i}"))
    persons = [p["persoon_id"] for p in s["personen"]]
    ids = iter(draw(st.permutations(range(100, 100 + 4 * len(persons)))))  # so that ties are not in row order
    n_advices = 0
    for pid in persons:
        if not draw(st.booleans()):
            continue
        first = draw(days)
        for _ in range(draw(st.integers(1, 3))):
            day = draw(st.one_of(st.just(first), days))  # the same date again: BW-3 tie on advies_id
            aanvrager = draw(st.sampled_from(["gemeente", "burger"])) if day >= date(2017, 1, 1) else "gemeente"
            s["adviezen"].append(advice(
                f"A{next(ids)}", pid, str(day),
                uitkomst=draw(st.sampled_from(["positief", "positief", "negatief"])),
                aanvrager=aanvrager,
                verantwoordelijke=draw(st.sampled_from(["gemeente", "uwv"])),
                gemeente=draw(st.sampled_from(GEMEENTE_ON_ADVICE)),
                requested=str(day - timedelta(days=draw(st.integers(0, 60)))),
            ))
            n_advices += 1
        # BW-4: an income relation around P with a wage (or a correction) in the tijdvak of P
        if draw(st.booleans()):
            ikv = f"J{pid}"
            end = draw(st.sampled_from([None, P - timedelta(days=1), P, P + timedelta(days=1)]))
            s["polis_ikv"].append(job(ikv, pid, "2018-01-01", str(end) if end else None, werkgever="W1"))
            kind = draw(st.sampled_from(["maand", "vierweken", "kwartaal"]))
            b, e = {
                "maand": (P.replace(day=1), P),
                "vierweken": (P - timedelta(days=10), P + timedelta(days=17)),
                "kwartaal": (quarter.first_day, P),
            }[kind]
            loon = draw(st.sampled_from(["0", "100.10", "-100.10", "1500.00", "-20"]))
            s["polis_tijdvak"].append(period(ikv, str(b), str(e), loon, kind=kind, uren=draw(st.sampled_from(["0", "12.5"]))))
    # DQ-1/DQ-2: a few faulty rows; both must reject the same ones and count the rest alike
    faults = draw(st.sets(st.sampled_from(["dubbel_advies", "datum", "overlap", "verwijzing", "afgewezen_persoon",
                                           "dubbel_persoon", "burger_2016", "formaat"]), max_size=3))
    if "dubbel_advies" in faults and s["adviezen"]:
        s["adviezen"].append({**s["adviezen"][0], "uitkomst": "negatief"})
    if "datum" in faults and s["doelgroepregister"]:
        s["doelgroepregister"].append({**s["doelgroepregister"][0], "registratie_id": "RX1", "begindatum": "2019-02-30"})
    if "overlap" in faults and s["polis_tijdvak"]:
        first = s["polis_tijdvak"][0]
        begin = date.fromisoformat(first["tijdvak_begin"]) + timedelta(days=3)
        s["polis_tijdvak"].append(period(first["ikv_id"], str(begin), str(begin + timedelta(days=27)), "50",
                                         kind="vierweken", uren="40"))
    if "verwijzing" in faults:
        s["doelgroepregister"].append({"registratie_id": "RX2", "persoon_id": "NIEMAND", "grondslag": "wajong",
                                       "begindatum": "2015-01-01"})
        s["adviezen"].append(advice("AX2", "NIEMAND", "2018-01-01"))
    if "afgewezen_persoon" in faults:  # the person row is rejected, so are all rows referring to it
        s["personen"].append(person("Z", born="1990-13-01"))
        s["doelgroepregister"].append({"registratie_id": "RX3", "persoon_id": "Z", "grondslag": "wajong",
                                       "begindatum": "2015-01-01"})
        s["adviezen"].append(advice("AX3", "Z", "2018-01-01"))
        s["polis_ikv"].append(job("JZ", "Z"))
        s["polis_tijdvak"].append(period("JZ", "2019-06-01", "2019-06-30", "100"))
    if "dubbel_persoon" in faults and persons:
        s["personen"].append(person(persons[0], born="1960-01-01"))
    if "burger_2016" in faults:
        s["adviezen"].append(advice("AX4", persons[0], "2016-06-01", aanvrager="burger"))
    if "formaat" in faults:
        s["brp_verblijf"].append(lives(persons[-1], "363"))
    return pop


def hand_made_with_advices() -> Population:
    """The explicit banenafspraak example of test_properties_banenafspraak plus advices that hit
    BW-3 ties, BW-5's boundary on P and the R-3 fallback."""
    pop = _hand_made()
    s = pop.src
    s["personen"] += [person("G"), person("H")]  # G, H: no BRP
    s["adviezen"] += [
        advice("A2", "A", "2018-05-01", aanvrager="burger"), advice("A1", "A", "2018-05-01"),  # tie: A1 gives the row
        advice("A3", "A", "2019-06-30", uitkomst="negatief"),
        advice("A4", "B", "2019-06-30"),  # first positive on P: totaal_werkend, not the cohort
        advice("A5", "G", "2017-02-01", gemeente=UTR), advice("A6", "G", "2018-02-01", gemeente=RDAM),  # R-3 → AM22
        advice("A7", "H", "2019-03-31", verantwoordelijke="uwv", gemeente=None),  # R-3, no gemeente → ONB
        advice("A8", "E", "2019-09-30", uitkomst="negatief"), advice("A9", "F", "2019-10-01"),  # BW-1 window end
    ]
    s["polis_ikv"] += [job("JA", "A", "2019-01-01", "2019-06-15", werkgever="W1"), job("JG", "G", "2019-01-01")]
    s["polis_tijdvak"] += [period("JA", "2019-06-01", "2019-06-30", "700"),  # ended job's wage counts (BW-4)
                           period("JG", "2019-06-01", "2019-06-30", "100.10"),
                           period("JG", "2019-05-01", "2019-05-31", "-100.10")]
    # DQ-2.overlap: the second period overlaps the first; the third overlaps only the
    # (rejected) second one — rejected too: "starts on or before the end of an
    # earlier-starting period" (decisions.md), accepted or not
    s["polis_ikv"].append(job("JO", "C", "2019-01-01", werkgever="W3"))
    spans = [("2019-05-01", "2019-05-31", "maand"), ("2019-05-20", "2019-06-16", "vierweken"), ("2019-06-01", "2019-06-30", "maand")]
    s["polis_tijdvak"] += [period("JO", b, e, "10", kind=k, uren="8") for b, e, k in spans]
    s["werkgever_tijdvak"] += [employer("W3", b, e, 63, "100", "60") for b, e, _ in spans]
    return pop


# =========================================================================== properties

HAND_MADE = hand_made_with_advices()


# each example runs the pipeline (~1–3 s; the reference takes ~0.2 s): few examples in CI
@settings(max_examples=round(3 * SCALE), **PROPERTY_SETTINGS)
@given(pop=with_beschut_werk())
@example(pop=HAND_MADE)
def test_reference_equals_pipeline_on_random_populations(pop):
    """BW (incl. the cohort series), BA/TR (incl. TR-6), FS, KP and DQ-1: identical CSVs for
    2019Q2."""
    check(pop, QUARTER)


@settings(max_examples=round(2 * SCALE), **PROPERTY_SETTINGS)
@given(data=st.data())
def test_reference_equals_pipeline_in_other_quarters(data):
    """The same for 2019Q1 (P-1q in another year: BA-2's 1 January) and 2018Q4 (quotumgroep
    counts on P, not on P-1q; classification of 2018)."""
    quarter = data.draw(st.sampled_from(OTHER_QUARTERS), label="quarter")
    check(data.draw(with_beschut_werk(quarter=quarter, max_persons=12), label="population"), quarter)


# =========================================================================== synthetic Netherlands


@pytest.fixture(scope="module")
def synthetic_s01(tmp_path_factory):
    from regiorapportage.synth import generate

    folder = tmp_path_factory.mktemp("synth") / "invoer"
    generate(folder, scale=0.1, seed=2019)
    return folder


def test_reference_equals_pipeline_on_the_synthetic_netherlands_s01(synthetic_s01, tmp_path):
    """Scale 0.1 (≈ 1.4 M input rows with injected faults), 2019Q2: all six CSV files
    byte-identical, the same rejected rows."""
    assert_identical(*run_both(synthetic_s01, tmp_path, "2019Q2"))


# =========================================================================== Parquet datasets


def _split_file(path: Path, first: str, second: str) -> None:
    """One Parquet file → two, the first half under the name ``first``, the rest ``second``."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    half = table.num_rows // 2
    path.unlink()
    pq.write_table(table.slice(0, half), path.parent / first)
    pq.write_table(table.slice(half), path.parent / second)


@pytest.fixture(scope="module")
def synthetic_datasets(tmp_path_factory):
    """Scale 0.02 as Parquet, ``polis_tijdvak/`` and ``werkgever_tijdvak/`` partitioned by year
    (``jaar=2019/part-0.parquet``), with the injected faults, plus what a Spark job leaves
    beside the data (``_SUCCESS``, ``.crc`` checksums: not data)."""
    from regiorapportage.synth import generate

    folder = tmp_path_factory.mktemp("datasets") / "invoer"
    generate(folder, scale=0.02, seed=2021, fmt="parquet", partition=True)
    for name in ("polis_tijdvak", "werkgever_tijdvak"):
        dataset = folder / name
        assert dataset.is_dir() and not (folder / f"{name}.parquet").exists()
        assert len(list(dataset.glob("jaar=*/*.parquet"))) > 1
        # several files in one partition, named so that path order is not natural order
        # (part-10 before part-9): rij counts the first half first
        _split_file(dataset / "jaar=2019" / "part-0.parquet", "part-10.parquet", "part-9.parquet")
        (dataset / "_SUCCESS").write_bytes(b"")
        (dataset / "jaar=2019" / ".part-10.parquet.crc").write_bytes(b"not parquet")
    return folder


def test_reference_equals_pipeline_on_partitioned_parquet_datasets(synthetic_datasets, tmp_path):
    """Both period sources as year-partitioned dataset folders (docs/scale-out.md, "Inputs"),
    2019Q2: all six CSV files byte-identical, the same rejected rows (with ``rij`` counted
    through the files of a dataset in the order of their relative paths)."""
    pipe, ref = run_both(synthetic_datasets, tmp_path, "2019Q2")
    assert_identical(pipe, ref)
    rejected = pd.read_csv(ref / "rejects" / "polis_tijdvak.csv", dtype=str, keep_default_na=False)
    assert len(rejected) > 0 and rejected["rij"].astype(int).max() > 1000  # faults beyond the first file


def test_reference_reads_datasets_in_relative_path_order(tmp_path):
    """The reference alone: ``rij`` counts file by file in the order of the relative paths
    (string order: ``a-b.parquet`` before ``a/…``, ``part-10`` before ``part-9``); Hive
    partition columns are not read; hidden paths and non-Parquet files are not data."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from regiorapportage_pandas.io import read_source

    dataset = tmp_path / "polis_ikv"
    files = ["jaar=2019/part-9.parquet", "jaar=2019/part-10.parquet", "jaar=2019/a-b.parquet",
             "jaar=2019/a/x.parquet", "jaar=2018/part-0.parquet", "jaar=2019/_tmp/x.parquet",
             "_temporary/0/x.parquet", "jaar=2019/.x.parquet"]
    for name in files:
        (dataset / name).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"ikv_id": [f"{name}#1", f"{name}#2"], "extra": [1, 2]}), dataset / name)
    (dataset / "jaar=2019" / "notes.txt").write_text("no data")
    frame = read_source(dataset, ["ikv_id"])
    order = ["jaar=2018/part-0.parquet", "jaar=2019/a-b.parquet", "jaar=2019/a/x.parquet",
             "jaar=2019/part-10.parquet", "jaar=2019/part-9.parquet"]
    assert frame.columns.tolist() == ["rij", "ikv_id"]
    assert frame["ikv_id"].tolist() == [f"{n}#{i}" for n in order for i in (1, 2)]
    assert frame["rij"].tolist() == list(range(1, 11))


def test_reference_dataset_structural_errors(tmp_path):
    """DQ-2 (decisions.md): a file and a folder for one source, or a folder without any
    (visible) Parquet file, stop the run."""
    from regiorapportage_pandas.io import StructuralError, find_source, read_source

    (tmp_path / "polis_tijdvak").mkdir()
    (tmp_path / "polis_tijdvak.csv").write_text("ikv_id\n")
    with pytest.raises(StructuralError, match="polis_tijdvak"):
        find_source(tmp_path, "polis_tijdvak")
    empty = tmp_path / "werkgever_tijdvak"
    (empty / "_temporary").mkdir(parents=True)
    (empty / "_SUCCESS").write_bytes(b"")
    (empty / "_temporary" / "part-0.parquet").write_bytes(b"")
    assert find_source(tmp_path, "werkgever_tijdvak") == empty
    with pytest.raises(StructuralError, match="werkgever_tijdvak/.*Parquet"):
        read_source(empty, ["werkgever_id"])


def test_hidden_parquet_files_in_a_dataset_are_not_data(synthetic_datasets, tmp_path):
    """A Parquet file under a name starting with ``.`` or ``_`` (a Spark job's ``_temporary/``,
    an editor's ``.x.parquet``) is no dataset file: neither its rows nor their row numbers
    count (decisions.md, "Engines and inputs")."""
    import shutil

    folder = tmp_path / "invoer"
    shutil.copytree(synthetic_datasets, folder)
    partition = folder / "polis_tijdvak" / "jaar=2019"
    (partition / "_temporary").mkdir()
    shutil.copy(partition / "part-10.parquet", partition / "_temporary" / "part-0.parquet")
    shutil.copy(partition / "part-10.parquet", partition / ".part-0.parquet")
    pipe, ref = run_both(folder, tmp_path, "2019Q2")
    assert_identical(pipe, ref)
