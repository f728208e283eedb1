"""The same pipeline on both engines (issue 4): DuckDB and Spark ``local[2]`` must produce
byte-identical publications and rejects, and both read CSV files, Parquet files and
(partitioned) Parquet datasets with the same row numbers (``rij``, DQ-1).

The rules themselves are tested engine-independently elsewhere; ``pytest --engine pyspark``
runs the whole suite on Spark.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from regiorapportage import engine, pipeline, synth
from regiorapportage.publications import registry
from conftest import AMS, write_inputs

# every output of every registered publication
PUBLICATION_CSVS = tuple(registry.outputs().values())


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_spark = pytest.mark.skipif(
    not _spark_available() and not os.environ.get("CI"),  # in CI a missing Spark is a failure
    reason="pyspark (extra 'spark') or java not installed",
)


@pytest.fixture(scope="module")
def spark_master():
    """Spark in local mode with two threads, as on a small cluster node."""
    old = os.environ.get("REGIORAPPORTAGE_SPARK_MASTER")
    os.environ["REGIORAPPORTAGE_SPARK_MASTER"] = "local[2]"
    yield "local[2]"
    if old is None:
        os.environ.pop("REGIORAPPORTAGE_SPARK_MASTER", None)
    else:
        os.environ["REGIORAPPORTAGE_SPARK_MASTER"] = old


def _to_dataset(csv_file: Path, folder: Path, by_year_of: str) -> None:
    """A CSV input as a Hive-partitioned Parquet dataset (``jaar=YYYY/part-0.parquet``),
    rows kept in file order within each partition."""
    table = pacsv.read_csv(csv_file, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    years = pa.compute.year(table[by_year_of]).to_pylist()
    folder.mkdir(parents=True)
    for year in sorted({y for y in years}, key=lambda y: (y is None, y)):
        mask = pa.array([y == year for y in years])
        part = folder / f"jaar={year if year is not None else 'onbekend'}"
        part.mkdir()
        pq.write_table(table.filter(mask), part / "part-0.parquet")


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    """A small synthetic Netherlands with faulty rows: as CSV, and as Parquet with the
    payroll periods as a dataset partitioned by year."""
    root = tmp_path_factory.mktemp("engines")
    csv_dir = root / "csv"
    synth.generate(csv_dir, scale=0.003, seed=7)
    pq_dir = root / "parquet"
    synth.generate(pq_dir, scale=0.003, seed=7, fmt="parquet")
    for source, column in (("polis_tijdvak", "tijdvak_begin"), ("werkgever_tijdvak", "tijdvak_begin")):
        single = pq_dir / f"{source}.parquet"
        if single.exists():  # the generator may already write a dataset folder
            table = pq.read_table(single)
            single.unlink()
            tmp_csv = root / f"{source}.csv"
            pacsv.write_csv(table, tmp_csv)
            _to_dataset(tmp_csv, pq_dir / source, column)
    return {"csv": csv_dir, "parquet": pq_dir}


def _outputs(folder: Path) -> dict[str, bytes]:
    files = {name: (folder / name).read_bytes() for name in PUBLICATION_CSVS if (folder / name).exists()}
    files.update({f"rejects/{f.name}": f.read_bytes() for f in sorted((folder / "rejects").glob("*.csv"))})
    return files


def _counts(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: (entry["gelezen"], entry["geaccepteerd"], entry["afgewezen"])
        for name, entry in manifest["bronnen"].items()
    }


def _remote(folder: Path) -> str:
    """``folder`` as a folder on a Hadoop file system that is not the local one: a viewfs://
    mount (Hadoop's client-side mount table, configured in the Spark session as a cluster's
    core-site.xml would) whose target is the local folder. Everything — listing, bronnen.json,
    hashes, the data — then goes through Hadoop's FileSystem API, as for hdfs:// or s3a://."""
    con = engine.connect("pyspark")
    mount = f"regio{uuid.uuid4().hex[:8]}"  # Hadoop caches a file system per authority
    engine.spark_session(con)._jsc.hadoopConfiguration().set(
        f"fs.viewfs.mounttable.{mount}.link./invoer", folder.resolve().as_uri()
    )
    return f"viewfs://{mount}/invoer"


@needs_spark
@pytest.mark.parametrize("fmt, quarter, remote", [("csv", "2019Q2", False), ("parquet", "2019Q1", True),
                                                  ("parquet", "2019", False)])
def test_parity_duckdb_and_spark_give_identical_publications(population, spark_master, tmp_path, fmt, quarter, remote):
    """Every publication, the time series and every rejects file byte for byte, and the
    manifest's read/accepted/rejected counts, for two quarters, the annual monitor (2019,
    LM) and both input formats. The Parquet input (with two partitioned datasets) is read by
    Spark from a remote (viewfs://) folder: the same bytes and the same input hashes as
    DuckDB's local read."""
    results = {}
    annual = len(quarter) == 4
    for name in ("duckdb", "pyspark"):
        folder = _remote(population[fmt]) if remote and name == "pyspark" else population[fmt]
        # the annual run marked voorlopig: the comparison is of the engines, not of the extract date
        run = pipeline.run(folder, tmp_path / name, quarter, engine_name=name, render=False, voorlopig=annual)
        assert run.warnings is not None
        results[name] = run.output_dir
    duck, spark = (_outputs(results[n]) for n in ("duckdb", "pyspark"))
    assert sorted(duck) == sorted(spark)
    assert ("landelijke_monitor.csv" in duck) == annual
    different = [name for name in duck if duck[name] != spark[name]]
    assert not different, f"verschillen tussen DuckDB en Spark: {different}"
    assert _counts(results["duckdb"]) == _counts(results["pyspark"])
    # the population has faults, so the rejects comparison compares real row numbers
    assert any(name.startswith("rejects/") and data.count(b"\n") > 1 for name, data in duck.items())
    manifests = {n: json.loads((results[n] / "manifest.json").read_text(encoding="utf-8")) for n in results}
    assert manifests["pyspark"]["run"]["engine"] == "pyspark" and "pyspark" in manifests["pyspark"]["software"]
    # T-6: the manifest names the folder as read and the same SHA-256 per input
    hashes = {n: {s: e["sha256"] for s, e in m["bronnen"].items()} for n, m in manifests.items()}
    assert hashes["duckdb"] == hashes["pyspark"]
    assert manifests["duckdb"]["bronnen_json_sha256"] == manifests["pyspark"]["bronnen_json_sha256"]
    if remote:
        assert manifests["pyspark"]["run"]["invoermap"].startswith("viewfs://")
        assert manifests["pyspark"]["bronnen"]["polis_tijdvak"]["bestand"] == "polis_tijdvak/"
        assert manifests["pyspark"]["bronnen"]["polis_tijdvak"]["meldingen"] == []  # jaar= is layout


# --------------------------------------------------------------- remote input folders


def test_DQ_2_a_url_input_folder_needs_spark(tmp_path):
    """DuckDB reads local (or mounted) folders only; a Hadoop URL is a usage error that says
    what to do, before anything is read or written."""
    with pytest.raises(pipeline.UserError, match="--engine pyspark"):
        pipeline.run("hdfs://namenode/invoer", tmp_path / "uit", "2019Q2", engine_name="duckdb", render=False)
    assert not (tmp_path / "uit").exists()


def test_file_url_is_a_local_folder(population, tmp_path):
    run = pipeline.run(population["csv"].resolve().as_uri(), tmp_path / "uit", "2019Q2", engine_name="duckdb", render=False)
    manifest = json.loads((run.output_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["invoermap"] == str(population["csv"].resolve())


@needs_spark
def test_DQ_2_remote_folder_structure_errors(tmp_path, spark_master):
    """The structural checks hold on a remote folder too: a missing folder, a missing file
    (named, with its folder), an empty dataset folder."""
    folder = _dataset_folder(tmp_path)
    con = engine.connect("pyspark")
    try:
        with pytest.raises(pipeline.StructuralError, match="bestaat niet"):
            pipeline.load_inputs(con, _remote(tmp_path / "bestaat-niet"), ["personen"], [])
        (folder / "polis_ikv.csv").rename(tmp_path / "polis_ikv.csv")
        with pytest.raises(pipeline.StructuralError, match=r"polis_ikv.csv: ontbreekt in viewfs://") as info:
            pipeline.load_inputs(con, _remote(folder), ["gemeenten", "personen", "polis_ikv", "polis_tijdvak"], [])
        assert info.value.file == "polis_ikv.csv"
        (tmp_path / "polis_ikv.csv").rename(folder / "polis_ikv.csv")
        shutil.rmtree(folder / "polis_tijdvak")
        (folder / "polis_tijdvak" / "jaar=2019").mkdir(parents=True)
        (folder / "polis_tijdvak" / "_SUCCESS").write_text("")
        with pytest.raises(pipeline.StructuralError, match="geen Parquet-bestanden"):
            pipeline.load_inputs(con, _remote(folder), ["gemeenten", "personen", "polis_ikv", "polis_tijdvak"], [])
    finally:
        engine.close(con)


# --------------------------------------------------------------- reading (DQ-1 row numbers)


END = {1: 31, 2: 28, 3: 31}  # 2017–2019 are no leap years


def _bad_period_rows():
    """Payroll periods over three years; the 2018 period has a negative number of hours."""
    people = [{"persoon_id": "P1", "geboortedatum": "1990-01-01"}]
    ikv = [{"ikv_id": "I1", "persoon_id": "P1", "werkgever_id": "W1", "begindatum": "2017-01-01"}]
    periods = [
        {"ikv_id": "I1", "tijdvak_begin": f"{y}-0{m}-01", "tijdvak_einde": f"{y}-0{m}-{END[m]}", "tijdvak_type": "maand",
         "sv_loon": "100.00", "verloonde_uren": "-5" if (y, m) == (2018, 3) else "10"}
        for y in (2019, 2017, 2018) for m in (1, 2, 3)
    ]
    return people, ikv, periods


def _read_with(engine_name: str, folder: Path):
    con = engine.connect(engine_name)
    try:
        inputs = pipeline.load_inputs(con, folder, ["gemeenten", "personen", "polis_ikv", "polis_tijdvak"], [])
        result = inputs.sources["polis_tijdvak"]
        return result.read, result.file, result.notices, result.rejects.to_pandas()[["rij", "regel"]].to_dict("records")
    finally:
        engine.close(con)


def _dataset_folder(tmp_path: Path) -> Path:
    people, ikv, periods = _bad_period_rows()
    folder = write_inputs(
        tmp_path / "in",
        personen=people,
        brp_verblijf=[{"persoon_id": "P1", "gemeente_code": AMS, "begindatum": "1990-01-01"}],
        polis_ikv=ikv,
        polis_tijdvak=periods,
    )
    _to_dataset(folder / "polis_tijdvak.csv", folder / "polis_tijdvak", "tijdvak_begin")
    (folder / "polis_tijdvak.csv").unlink()
    # what writers leave beside the data is not data: a half-written part in _temporary/,
    # a checksum file, a success marker, a note
    dataset = folder / "polis_tijdvak"
    (dataset / "_temporary").mkdir()
    shutil.copy(dataset / "jaar=2018" / "part-0.parquet", dataset / "_temporary" / "part-9.parquet")
    shutil.copy(dataset / "jaar=2018" / "part-0.parquet", dataset / "jaar=2018" / ".part-0.parquet.crc")
    (dataset / "_SUCCESS").write_text("")
    (dataset / "LEESMIJ.txt").write_text("polis per jaar\n")
    return folder


def test_DQ_1_dataset_rows_are_numbered_through_the_files_in_path_order(tmp_path):
    """jaar=2017 (rows 1–3), jaar=2018 (rows 4–6), jaar=2019 (rows 7–9): the bad 2018-03
    period is row 6 of the dataset (in the CSV, where 2019 came first, it was line 9). The
    partition column ``jaar`` is layout, not an extra column (no DQ-3 notice)."""
    folder = _dataset_folder(tmp_path)
    read, shown, notices, rejects = _read_with("duckdb", folder)
    assert read == 9 and shown == "polis_tijdvak/"
    assert rejects == [{"rij": 6, "regel": "DQ-2.negatieve_uren"}]
    assert notices == []


def test_DQ_2_csv_and_dataset_side_by_side_is_structural(tmp_path):
    folder = _dataset_folder(tmp_path)
    people, ikv, periods = _bad_period_rows()
    write_inputs(tmp_path / "extra", polis_tijdvak=periods)
    shutil.copy(tmp_path / "extra" / "polis_tijdvak.csv", folder / "polis_tijdvak.csv")
    with pytest.raises(pipeline.StructuralError) as info:
        _read_with("duckdb", folder)
    assert "polis_tijdvak.csv" in str(info.value) and "polis_tijdvak/" in str(info.value)


def test_DQ_2_empty_dataset_folder_is_structural(tmp_path):
    folder = _dataset_folder(tmp_path)
    shutil.rmtree(folder / "polis_tijdvak")
    (folder / "polis_tijdvak").mkdir()
    with pytest.raises(pipeline.StructuralError, match="geen Parquet-bestanden"):
        _read_with("duckdb", folder)


@needs_spark
def test_DQ_1_spark_numbers_rows_like_duckdb(tmp_path, spark_master):
    """CSV (line order through Spark's partitions) and a partitioned dataset (row index
    per file plus the rows of earlier files): the same rij as DuckDB."""
    folder = _dataset_folder(tmp_path)
    assert _read_with("pyspark", folder) == _read_with("duckdb", folder)
    people, ikv, periods = _bad_period_rows()
    csv_folder = write_inputs(tmp_path / "csv", personen=people, polis_ikv=ikv, polis_tijdvak=periods)
    duck, spark = _read_with("duckdb", csv_folder), _read_with("pyspark", csv_folder)
    assert duck == spark
    assert duck[3] == [{"rij": 9, "regel": "DQ-2.negatieve_uren"}]  # 2019 first in the file: 2018-03 is line 9


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(pipeline.UserError, match="onbekende engine"):
        engine.connect("sqlite")
