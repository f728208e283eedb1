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
- R-7/R-8: hand-made inputs with historical gemeente codes (Ten Boer in the 2012-12-31
  nulmeting, the Littenseradiel split, Geldermalsen across the 2019 merger and in a 2026
  report, two mergers in a row), hand-worked on the reference and agreeing with the
  pipeline; random populations whose residences carry pre-merger codes on early dates
  (``with_history``, wrapping ``with_beschut_werk``); refusal of a year without a
  classification, and a ``gemeenten`` input that adds or replaces years;
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
from conftest import AMS, RDAM, UTR, WBET, advice, employer, job, lives, period, person, registration, write_inputs
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


# =========================================================================== R-7 / R-8: regions over time
#
# Every date a report uses attributes persons in the classification of P's year; a code of an
# earlier date follows the gemeentelijke herindelingen to its code in P's year. The
# reference and the pipeline must agree on small hand-made inputs with historical codes and on
# the random populations with pre-merger codes on early dates; the reference alone is checked
# on hand-worked numbers.

TEN_BOER, GRONINGEN = "GM0009", "GM0014"  # merged 2019-01-01 (AM01 Groningen)
LITTENSERADIEL, SUDWEST, WAADHOEKE, LEEUWARDEN = "GM0140", "GM1900", "GM1949", "GM0080"  # split 2018-01-01
GELDERMALSEN = "GM0236"  # → West Betuwe GM1960 2019-01-01: AM99 in 2019, AM10 Rivierenland in 2026
NIEUW_LEKKERLAND, MOLENWAARD, MOLENLANDEN = "GM0571", "GM1927", "GM1978"  # 2013, then 2019 (AM35)
HERINDELINGEN_COLUMNS = ["datum", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "aandeel"]


def write_source(folder: Path, name: str, columns: list[str], rows: list[dict]) -> None:
    """An input the test writes itself (``herindelingen`` need not be known to the pipeline's
    schema helpers of ``write_inputs``)."""
    from conftest import write_csv

    write_csv(folder / f"{name}.csv", columns, rows)


def herindeling(datum, oud, nieuw, aandeel="1.0000", oude_naam="oud", nieuwe_naam="nieuw") -> dict:
    return {"datum": datum, "oude_code": oud, "oude_naam": oude_naam, "nieuwe_code": nieuw,
            "nieuwe_naam": nieuwe_naam, "aandeel": aandeel}


def cells_of(folder: Path, name: str) -> dict:
    frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    return {(r.regio_code, r.tabel, r.rij, r.kolom): r.waarde for r in frame.itertuples()}


def nulmeting_inputs(folder: Path) -> Path:
    """Four doelgroep persons working one baan each (110.92 hours in December 2012 and in June
    2019, employer W1 markt): on 2012-12-31 T1 lives in Ten Boer (GM0009, Groningen from
    2019-01-01), T2 in Nieuw-Lekkerland (GM0571 → Molenwaard 2013 → Molenlanden 2019: two
    mergers in a row), T3 in an unknown code, T4 in Geldermalsen (its BRP never updated)."""
    persons = ["T1", "T2", "T3", "T4"]
    return write_inputs(
        folder,
        personen=[person(p) for p in persons],
        brp_verblijf=[lives("T1", TEN_BOER, "2000-01-01", "2018-12-31"), lives("T1", GRONINGEN, "2019-01-01"),
                      lives("T2", NIEUW_LEKKERLAND, "2000-01-01", "2012-12-31"),
                      lives("T2", MOLENWAARD, "2013-01-01", "2018-12-31"), lives("T2", MOLENLANDEN, "2019-01-01"),
                      lives("T3", UNKNOWN), lives("T4", GELDERMALSEN)],
        doelgroepregister=[registration(f"R{p}", p, "wajong", "2012-01-01") for p in persons],
        polis_ikv=[job(f"I{p}", p, "2012-01-01", werkgever="W1") for p in persons],
        polis_tijdvak=[period(f"I{p}", b, e, "100", uren="110.92") for p in persons
                       for b, e in (("2012-12-01", "2012-12-31"), ("2019-06-01", "2019-06-30"))],
        werkgever_tijdvak=[employer("W1", "2012-01-01", "2012-12-31", 1), employer("W1", "2019-01-01", "2019-12-31", 1)],
    )


def test_r7_reference_nulmeting_ten_boer_in_groningen(tmp_path):
    """R-7, TR-3, hand-worked: the computed nulmeting of 2019Q2 at 2012-12-31 counts the Ten
    Boer resident in AM01 Groningen (1.00 baan), the Nieuw-Lekkerland resident after two
    mergers in AM35 Gorinchem, the never-updated Geldermalsen address in AM99 (West Betuwe);
    only the unknown code is in ONB. Warnings per date: 3 persons via herindeling on
    2012-12-31 (and 1 on 2019-06-30: Geldermalsen), 1 unknown code on each date."""
    folder = nulmeting_inputs(tmp_path / "in")
    warnings: list = []
    out = reference.run(folder, tmp_path / "ref", "2019Q2", warnings=warnings)
    trend = cells_of(out, "banenafspraak_trend.csv")
    for code in ("AM01", "AM35", "AM99", "ONB"):
        assert trend[(code, "banen", "markt", "nulmeting")] == "1.00", code
        assert trend[(code, "banen", "totaal", "banen")] == "1.00", code
        assert trend[(code, "banen", "totaal", "extra_banen")] == "0.00", code
    assert trend[("NL01", "banen", "totaal", "nulmeting")] == "4.00"
    reeks = cells_of(out, "banenafspraak_reeks.csv")
    assert reeks[("AM01", "reeks", "2012Q4", "doelgroep_personen")] == "1"
    assert reeks[("AM35", "reeks", "2012Q4", "doelgroep_personen")] == "1"
    w = warnings[0]
    per_day = w.groupby(["datum", "uitkomst"])["personen"].sum().to_dict()
    day0, P = pd.Timestamp("2012-12-31"), pd.Timestamp("2019-06-30")
    assert per_day[(day0, "herindeling")] == 3 and per_day[(day0, "onbekende_code")] == 1
    assert per_day[(P, "herindeling")] == 1 and per_day[(P, "onbekende_code")] == 1
    assert (P, "splitsing") not in per_day


def test_r7_agreement_nulmeting_ten_boer(tmp_path):
    """The same inputs: pipeline and reference write identical CSV files."""
    folder = nulmeting_inputs(tmp_path / "in")
    assert_identical(*run_both(folder, tmp_path, "2019Q2"))


def littenseradiel_inputs(folder: Path) -> Path:
    """L1 lives in Littenseradiel (GM0140) until 2017-12-31 and, from the split on 2018-01-01,
    in Waadhoeke (GM1949); L2's register address stays GM0140. Both in the doelgroep and
    working each quarter of 2017–2019Q2 (quarterly payroll), L1 with a positive advice
    beschut werk in 2016."""
    quarters = [Quarter(y, q) for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)][:10]
    return write_inputs(
        folder,
        personen=[person("L1"), person("L2")],
        brp_verblijf=[lives("L1", LITTENSERADIEL, "2000-01-01", "2017-12-31"), lives("L1", WAADHOEKE, "2018-01-01"),
                      lives("L2", LITTENSERADIEL)],
        adviezen=[advice("A1", "L1", "2016-05-01", gemeente=LITTENSERADIEL)],
        doelgroepregister=[registration("R1", "L1", "wajong", "2016-01-01"), registration("R2", "L2", "wajong", "2016-01-01")],
        polis_ikv=[job("I1", "L1", "2016-01-01"), job("I2", "L2", "2016-01-01", werkgever="W2")],
        polis_tijdvak=[period(i, str(q.first_day), str(q.peildatum), "300", kind="kwartaal", uren="332.76")
                       for i in ("I1", "I2") for q in quarters],
        werkgever_tijdvak=[employer("W1", "2016-01-01", "2019-12-31", 1)],
    )


def test_r7_reference_littenseradiel_split(tmp_path):
    """R-7, hand-worked: Littenseradiel was split (Súdwest-Fryslân 0.5120, Leeuwarden 0.3094,
    Waadhoeke 0.1786); a 2017 code follows the largest share to Súdwest-Fryslân, whose region
    (AM02 Friesland) counts L1 and L2 in every quarter of the series, and both are counted in
    the split warning on the dates where they carry GM0140."""
    from regiorapportage_pandas.common import Indeling, classification
    from regiorapportage_pandas.validate import packaged

    indeling = Indeling(classification(packaged("gemeenten"), 2019), packaged("herindelingen"))
    assert indeling.followed.loc[LITTENSERADIEL, "gemeente_code"] == SUDWEST
    assert bool(indeling.followed.loc[LITTENSERADIEL, "splitsing"])
    region = indeling.mapping[SUDWEST]
    assert indeling.mapping[LITTENSERADIEL] == region == indeling.mapping[WAADHOEKE] == "AM02"

    folder = littenseradiel_inputs(tmp_path / "in")
    warnings: list = []
    out = reference.run(folder, tmp_path / "ref", "2019Q2", warnings=warnings)
    reeks = cells_of(out, "banenafspraak_reeks.csv")
    for q in ("2017Q1", "2017Q4", "2018Q1", "2019Q2"):
        assert reeks[("AM02", "reeks", q, "doelgroep_personen")] == "2", q
        assert reeks[("AM02", "reeks", q, "banen")] == "2.00", q
        assert reeks[("ONB", "reeks", q, "doelgroep_personen")] == "0", q
    bw = cells_of(out, "beschut_werk_reeks.csv")
    assert bw[("AM02", "reeks", "2017Q1", "positief_advies_tm_cohortdatum")] == "1"
    w = warnings[0]
    split = w[w["uitkomst"] == "splitsing"].set_index("datum")["personen"]
    assert split[pd.Timestamp("2017-12-31")] == 2  # L1 and L2 (BA); L1 is the same person in BW
    assert split[pd.Timestamp("2018-03-31")] == 1  # L2 only: L1 lives in Waadhoeke
    assert split[pd.Timestamp("2019-06-30")] == 1


def test_r7_agreement_littenseradiel(tmp_path):
    folder = littenseradiel_inputs(tmp_path / "in")
    assert_identical(*run_both(folder, tmp_path, "2019Q2"))


def geldermalsen_inputs(folder: Path, year: int = 2019) -> Path:
    """G1 lives in Geldermalsen until 2018-12-31, in West Betuwe from the merger on 2019-01-01;
    G2 only ever in Geldermalsen (old address); G3 in Amsterdam. All in the doelgroep and
    working in December 2018 and March 2019 (and in ``year``'s first quarter)."""
    persons = ["G1", "G2", "G3"]
    spans = [("2018-12-01", "2018-12-31"), ("2019-03-01", "2019-03-31"), (f"{year}-03-01", f"{year}-03-31")]
    return write_inputs(
        folder,
        extractiedatum={"polis_ikv": f"{year}-10-15", "polis_tijdvak": f"{year}-10-15", "adviezen": f"{year}-10-15"},
        personen=[person(p) for p in persons],
        brp_verblijf=[lives("G1", GELDERMALSEN, "2000-01-01", "2018-12-31"), lives("G1", WBET, "2019-01-01"),
                      lives("G2", GELDERMALSEN), lives("G3", AMS)],
        adviezen=[advice("A1", "G1", "2018-05-01", gemeente=GELDERMALSEN), advice("A2", "G2", "2018-05-01")],
        doelgroepregister=[registration(f"R{p}", p, "wajong", "2016-01-01") for p in persons],
        polis_ikv=[job(f"I{p}", p, "2016-01-01") for p in persons],
        polis_tijdvak=[period(f"I{p}", b, e, "100", uren="110.92") for p in persons for b, e in sorted(set(spans))],
        werkgever_tijdvak=[employer("W1", "2018-01-01", f"{year}-12-31", 1)],
    )


def test_r7_reference_factsheet_across_the_geldermalsen_merger(tmp_path):
    """R-7, FS-2, 2019Q1 (P-1q = 2018-12-31, the day before the merger): G1 and G2 are in AM99
    on both dates, so nobody 'moves' because of the merger; AM99 has 2 working persons on P-1q
    and on P; beschut werk counts both advice persons in AM99."""
    folder = geldermalsen_inputs(tmp_path / "in")
    out = reference.run(folder, tmp_path / "ref", "2019Q1")
    fs = cells_of(out, "factsheet.csv")
    assert fs[("AM99", "stromen", "werkzaam_vorige_peildatum", "personen")] == "2"
    assert fs[("AM99", "stromen", "werkzaam", "personen")] == "2"
    for code in ("AM99", "NL01", "ONB"):
        assert fs[(code, "stromen", "verhuisd_in_werkzaam", "personen")] == "0"
        assert fs[(code, "stromen", "verhuisd_uit_werkzaam", "personen")] == "0"
    assert fs[("ONB", "categorie", "totaal", "personen")] == "0"
    bw = cells_of(out, "beschut_werk.csv")
    assert bw[("AM99", "werk_naar_aanvrager", "totaal", "positief_advies_tm_cohortdatum")] == "2"


def test_r7_agreement_factsheet_across_a_merger(tmp_path):
    folder = geldermalsen_inputs(tmp_path / "in")
    assert_identical(*run_both(folder, tmp_path, "2019Q1"))


def test_r7_r8_reference_geldermalsen_in_2026(tmp_path):
    """R-8: the 2026 classification is shipped (no AM99): a 2018 Geldermalsen address and a
    West Betuwe one are in AM10 Rivierenland for a 2026 report."""
    folder = geldermalsen_inputs(tmp_path / "in", year=2026)
    out = reference.run(folder, tmp_path / "ref", "2026Q1")
    trend = cells_of(out, "banenafspraak_trend.csv")
    assert trend[("AM10", "doelgroep", "totaal", "personen")] == "2"
    assert not any(code == "AM99" for code, *_ in trend)
    fs = cells_of(out, "factsheet.csv")
    assert fs[("AM10", "stromen", "werkzaam", "personen")] == "2"


def test_r7_r8_agreement_in_2026(tmp_path):
    folder = geldermalsen_inputs(tmp_path / "in", year=2026)
    assert_identical(*run_both(folder, tmp_path, "2026Q1"))


def test_r8_reference_refuses_a_year_without_classification(tmp_path):
    """R-8: 2017 has no packaged classification: refused before anything is written, naming
    the years available and how to add one; the CLI exits 4 (as the pipeline's RefusedError)."""
    from regiorapportage_pandas.__main__ import main

    folder = geldermalsen_inputs(tmp_path / "in", year=2017)
    with pytest.raises(reference.MissingClassification, match=r"2017.*2016, 2019, 2026.*gemeenten"):
        reference.run(folder, tmp_path / "ref", "2017Q2")
    assert not (tmp_path / "ref").exists()
    assert main(["--input", str(folder), "--output", str(tmp_path / "ref"), "--quarter", "2017Q2"]) == 4
    assert not (tmp_path / "ref").exists()


def gemeenten_rows_of(year: int) -> list[dict]:
    """The packaged classification of ``year`` (the reference's copy) as input rows."""
    import csv

    from regiorapportage_pandas.io import own_data

    with open(own_data(f"gemeenten_{year}.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_r8_reference_gemeenten_input_adds_and_replaces_years(tmp_path):
    """R-8: a delivered 2017 classification (here the 2016 one relabelled) makes 2017
    runnable; a delivered 2019 classification replaces the packaged 2019 whole (here: only
    Amsterdam, in AM13); the packaged 2016 and 2026 stay."""
    from regiorapportage_pandas.common import classification
    from regiorapportage_pandas.validate import with_packaged_years

    folder = geldermalsen_inputs(tmp_path / "in", year=2017)
    rows = gemeenten_rows_of(2016)
    ams = [r for r in gemeenten_rows_of(2019) if r["gemeente_code"] == AMS]
    write_source(folder, "gemeenten", list(rows[0]), [{**r, "jaar": 2017} for r in rows]
                 + [{**r, "arbeidsmarktregio_code": "AM13", "arbeidsmarktregio_naam": "Midden-Utrecht"} for r in ams])
    inputs = reference.load_validate(folder)
    years = with_packaged_years(inputs["gemeenten"].accepted)
    assert sorted(years["jaar"].unique()) == [2016, 2017, 2019, 2026]
    assert classification(years, 2019).set_index("gemeente_code")["regio_code"].to_dict() == {AMS: "AM13"}
    assert len(classification(years, 2016)) == 390 and len(classification(years, 2026)) == 342
    out = reference.run(folder, tmp_path / "ref", "2017Q1")
    trend = cells_of(out, "banenafspraak_trend.csv")
    assert trend[("AM10", "doelgroep", "totaal", "personen")] == "2"  # Geldermalsen in Rivierenland in 2017
    assert trend[("AM18", "doelgroep", "totaal", "personen")] == "1"
    assert not any(code == "AM99" for code, *_ in trend)


# --------------------------------------------------------------- random populations with history

# How a residence's gemeente got its current (2019) code, as the BRP records it: the old code up
# to the day before the herindeling, the new code from its date (real rows of the packaged table).
HISTORIES = {
    GRONINGEN: [(TEN_BOER, "2018-12-31")],  # Ten Boer → Groningen 2019-01-01
    WBET: [(GELDERMALSEN, "2018-12-31")],  # Geldermalsen → West Betuwe 2019-01-01 (AM99)
    WAADHOEKE: [(LITTENSERADIEL, "2017-12-31")],  # split 2018: R-7 takes Súdwest-Fryslân (AM02 too)
    "GM1969": [("GM0053", "2018-12-31")],  # Winsum split 2019: R-7 takes Het Hogeland (AM01 too)
    MOLENLANDEN: [(NIEUW_LEKKERLAND, "2012-12-31"), (MOLENWAARD, "2018-12-31")],  # two in a row
    LEEUWARDEN: [("GM0081", "2017-12-31")],  # Leeuwarderadeel → Leeuwarden 2018
    AMS: [],  # no history
}
GEMEENTEN_WITH_HISTORY = (AMS, UTR, RDAM, WBET)  # records of these codes may be rewritten (not GM9999, not faults)
OLD_CODES = (TEN_BOER, GELDERMALSEN, LITTENSERADIEL, "GM0053", NIEUW_LEKKERLAND, MOLENWAARD, "GM0081")


def with_history_of(record: dict, new_code: str, stale: bool) -> list[dict]:
    """One residence record → the records the BRP holds when its gemeente is ``new_code`` with
    the history of ``HISTORIES``: split at each herindeling within the record's span; ``stale``:
    the register never updated, the oldest code stays on the whole record (R-7 follows a code
    whatever date it was found on)."""
    steps = HISTORIES[new_code]
    if stale and steps:
        return [{**record, "gemeente_code": steps[0][0]}]
    out, begin, end = [], date.fromisoformat(record["begindatum"]), record["einddatum"]
    for code, until in steps:
        until = date.fromisoformat(until)
        if begin > until:
            continue
        stop = until if end is None or date.fromisoformat(end) > until else date.fromisoformat(end)
        out.append({**record, "gemeente_code": code, "begindatum": str(begin), "einddatum": str(stop)})
        begin = until + timedelta(days=1)
        if end is not None and date.fromisoformat(end) < begin:
            return out
    return out + [{**record, "gemeente_code": new_code, "begindatum": str(begin)}]


@st.composite
def with_history(draw, quarter: Quarter = QUARTER, max_persons: int = 16):
    """``with_beschut_werk`` populations in which some residences carry pre-merger codes on
    early dates (R-7): some records are given a herindeling history (split at the merger dates
    or never updated), some advices name an old code (R-3 fallback), and some persons are in
    the doelgroep and working on 2012-12-31 in an old gemeente (the computed nulmeting, TR-3;
    the TR-6 series then starts in 2012Q4)."""
    pop = draw(with_beschut_werk(quarter=quarter, max_persons=max_persons))
    s = pop.src
    brp = []
    for record in s["brp_verblijf"]:
        if record["gemeente_code"] not in GEMEENTEN_WITH_HISTORY or not draw(st.booleans()):
            brp.append(record)
            continue
        brp += with_history_of(record, draw(st.sampled_from(sorted(HISTORIES))), stale=draw(st.booleans()))
    s["brp_verblijf"] = brp
    for a in s["adviezen"]:
        if a["gemeente_code"] is not None and draw(st.integers(0, 3)) == 0:
            a["gemeente_code"] = draw(st.sampled_from(OLD_CODES))
    if draw(st.booleans()):
        for i in range(draw(st.integers(1, 3))):
            pid = f"N{i}"
            s["personen"].append(person(pid))
            new = draw(st.sampled_from(sorted(HISTORIES)))
            begin = draw(st.sampled_from(["2000-01-01", "2012-12-31", "2013-01-01"]))  # none on 2012-12-31 when later
            s["brp_verblijf"] += with_history_of(lives(pid, new, begin), new, stale=draw(st.booleans()))
            s["doelgroepregister"].append(registration(f"RN{i}", pid, "wajong", "2012-01-01"))
            s["polis_ikv"].append(job(f"IN{i}", pid, "2012-01-01", werkgever=draw(st.sampled_from(["W1", "WX"]))))
            s["polis_tijdvak"].append(period(f"IN{i}", "2012-12-01", "2012-12-31", "100",
                                             uren=draw(st.sampled_from(["55.46", "110.92", "0"]))))
        s["werkgever_tijdvak"].append(employer("W1", "2012-01-01", "2012-12-31", draw(st.sampled_from([1, 63]))))
    return pop


@settings(max_examples=round(3 * SCALE), **PROPERTY_SETTINGS)
@given(data=st.data())
def test_reference_equals_pipeline_on_populations_with_historical_codes(data):
    """R-7 on every date a report uses (P, P-1q, the series, 2012-12-31, the cohort series):
    identical CSVs for 2019Q2, 2019Q1 (P-1q the day before the 2019 mergers) and 2018Q4."""
    quarter = data.draw(st.sampled_from((QUARTER, *OTHER_QUARTERS)), label="quarter")
    check(data.draw(with_history(quarter=quarter), label="population"), quarter)


def test_the_histories_lead_into_the_2019_classification():
    """The codes the random histories use all lead into the 2019 classification (so they test
    R-7, not R-4): none of them maps to ONB in the reference."""
    from regiorapportage_pandas.common import Indeling, classification
    from regiorapportage_pandas.validate import packaged

    indeling = Indeling(classification(packaged("gemeenten"), 2019), packaged("herindelingen"))
    for code in [*OLD_CODES, *HISTORIES]:
        assert indeling.mapping.get(code) not in (None, "ONB"), code


def herindelingen_input(folder: Path) -> Path:
    """A delivered ``herindelingen`` table (it replaces the packaged one, R-7): GM8001 split
    half/half over Utrecht (GM0344, AM13) and Amsterdam (GM0363, AM18); GM8002 over Rotterdam
    with an empty share and Amsterdam with share 0; GM8003 merged into Rotterdam (empty share);
    plus faulty rows (DQ-2). Persons X1–X3 live in GM8001–GM8003, X4 in Ten Boer (GM0009),
    which the delivered table does not name."""
    persons = {"X1": "GM8001", "X2": "GM8002", "X3": "GM8003", "X4": TEN_BOER}
    folder = write_inputs(
        folder,
        personen=[person(p) for p in persons],
        brp_verblijf=[lives(p, g) for p, g in persons.items()],
        adviezen=[advice(f"A{p}", p, "2018-01-01") for p in persons],
        doelgroepregister=[registration(f"R{p}", p, "wajong", "2016-01-01") for p in persons],
    )
    write_source(folder, "herindelingen", HERINDELINGEN_COLUMNS, [
        herindeling("2018-01-01", "GM8001", UTR, "0.5"), herindeling("2018-01-01", "GM8001", AMS, "0.500000"),
        herindeling("2018-01-01", "GM8002", RDAM, None), herindeling("2018-01-01", "GM8002", AMS, "0"),
        herindeling("2018-01-01", "GM8003", RDAM, None),
        herindeling("2018-01-01", "GM8003", RDAM, None),  # DQ-2: the key (datum, oude, nieuwe) twice
        herindeling("2018-01-01", "GM8004", RDAM, "1.5"),  # DQ-2: aandeel outside 0–1
        herindeling("2018-02-30", "GM8005", RDAM),  # DQ-2: no such date
        herindeling("2018-01-01", "8006", RDAM),  # DQ-2: not a gemeente code
        herindeling("2018-01-01", "GM8007", RDAM, nieuwe_naam=None),  # DQ-2: required value missing
    ])
    return folder


def test_r7_reference_delivered_herindelingen_tie_and_empty_share(tmp_path):
    """R-7 decisions, hand-worked: equal shares → the lowest nieuwe_code (GM0344 Utrecht, AM13);
    an empty share ranks below a given one, even 0 (GM8002 → Amsterdam, AM18); a merger with an
    empty share is followed (GM8003 → Rotterdam, AM22); the delivered table replaces the
    packaged one, so Ten Boer is unknown (ONB); the faulty rows are rejected (the repeated
    GM8003 row as a duplicate key: the first is kept)."""
    folder = herindelingen_input(tmp_path / "in")
    out = reference.run(folder, tmp_path / "ref", "2019Q2")
    trend = cells_of(out, "banenafspraak_trend.csv")
    assert {c: trend[(c, "doelgroep", "totaal", "personen")] for c in ("AM13", "AM18", "AM22", "ONB")} == \
        {"AM13": "1", "AM18": "1", "AM22": "1", "ONB": "1"}
    bw = cells_of(out, "beschut_werk.csv")
    assert bw[("AM13", "adviezen_naar_aanvrager", "totaal", "totaal")] == "1"
    rejects = pd.read_csv(out / "rejects" / "herindelingen.csv", dtype=str, keep_default_na=False)
    assert rejects[["rij", "regel"]].values.tolist() == [
        ["6", "DQ-2.dubbel"], ["7", "DQ-2.bereik"], ["8", "DQ-2.datum"], ["9", "DQ-2.formaat"],
        ["10", "DQ-2.verplicht"]]


def test_r7_agreement_delivered_herindelingen(tmp_path):
    folder = herindelingen_input(tmp_path / "in")
    assert_identical(*run_both(folder, tmp_path, "2019Q2"))
