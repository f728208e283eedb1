"""The benchmark command's machinery (regiorapportage.bench) on a tiny scale.

Only the shape of the result is checked (rows, columns, phases, the CSV comparison, the
limits); no timed assertions: performance is measured by ``regiorapportage benchmark``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

import pytest

from regiorapportage import bench
from regiorapportage.bench import MIB, Measurement, _measure, run_benchmark, to_markdown, write_report

SCALE = 0.002


def _check_run(m: Measurement) -> None:
    assert m.ok, m.status
    assert m.rows and m.rows > 10_000
    assert set(m.phases) == set(bench.PHASES), m.phases
    assert all(secs >= 0 and mib > 0 for secs, mib in m.phases.values())
    assert m.seconds >= sum(secs for secs, _ in m.phases.values()) - 0.01
    assert m.peak_mib >= max(mib for _, mib in m.phases.values()) - 1


def test_benchmark_duckdb_and_pandas(tmp_path):
    results, markdown = run_benchmark([SCALE], tmp_path / "werk", engines=["pandas", "duckdb"])
    assert [r.engine for r in results] == ["generate", "duckdb", "pandas"]  # DuckDB first: the reference
    gen, duck, ref = results
    assert gen.ok and gen.rows == duck.rows == ref.rows
    _check_run(duck)
    _check_run(ref)
    # the pipeline reports its own steps; the output phase includes the rendering
    names = [n for n, _ in duck.steps]
    assert "controle polis_tijdvak" in names and "uitvoer schrijven" in names and "PDF-rapportages" in names
    assert duck.identical == "referentie"
    assert ref.identical == "ja (6 bestanden)", ref.identical  # the reference writes the same six CSVs, byte for byte
    assert not (tmp_path / "werk" / f"schaal-{SCALE:g}-parquet" / "invoer").exists()  # inputs cleaned up
    assert (tmp_path / "werk" / "resultaten.json").exists()

    header = next(line for line in markdown.splitlines() if line.startswith("| schaal |"))
    for column in ("opstart", "inlezen + controle", "berekening", "uitvoer", "totaal (s)", "piek (MiB)",
                   "µs per invoerrij", "CSV gelijk aan DuckDB"):
        assert column in header
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {SCALE:g} | parquet |")]
    assert len(rows) == 3 and "DuckDB" in rows[1] and "pandas-referentie" in rows[2]
    assert all(line.count("|") == header.count("|") for line in rows)
    assert "Machine:" in markdown and "DuckDB " in markdown and "pandas " in markdown
    assert "pandas-referentie ÷ DuckDB" in markdown and "alleen berekening" in markdown

    # the report is rewritten between its markers; the text around them stays
    report = tmp_path / "benchmarks.md"
    report.write_text(f"# Titel\n\nvoor\n\n{bench.BEGIN}\nOUDE-TABEL\n{bench.END}\n\nna\n", encoding="utf-8")
    write_report(report, markdown)
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Titel\n\nvoor\n") and text.endswith("\nna\n") and "OUDE-TABEL" not in text and header in text

    # from the saved measurements the same tables come back
    again, _ = bench.from_json(tmp_path / "werk" / "resultaten.json")
    assert to_markdown(again).count("\n") == to_markdown(results).count("\n")


def test_memory_cap_and_timeout_abort_the_run(tmp_path):
    grow = "import time\nx = bytearray(400 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\ntime.sleep(30)"
    m = _measure([sys.executable, "-c", grow], Measurement(1, "test", "parquet"), tmp_path / "a.log", 60, 150 * MIB)
    assert m.status == f"afgebroken: geheugen > {150 / 1024:g} GiB" and m.failed_phase == "opstart"
    assert m.seconds < 25
    m = _measure([sys.executable, "-c", "import time; time.sleep(30)"], Measurement(1, "test", "parquet"),
                 tmp_path / "b.log", 1, 2**40)
    assert m.status == "afgebroken na 1 s" and m.seconds < 25
    markdown = to_markdown([m])
    assert "**afgebroken na 1 s**" in markdown


def test_failing_child_is_reported(tmp_path):
    m = _measure([sys.executable, "-c", "raise SystemExit('kapot')"], Measurement(1, "test", "parquet"),
                 tmp_path / "c.log", 60, 2**40)
    assert m.status.startswith("mislukt (code 1)") and "kapot" in m.status


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("REGIORAPPORTAGE_BENCH_SPARK")
    or importlib.util.find_spec("pyspark") is None
    or shutil.which("java") is None,
    reason="Spark local needs minutes even on a tiny population; set REGIORAPPORTAGE_BENCH_SPARK=1 (needs pyspark and java)",
)
def test_benchmark_spark(tmp_path):
    results, _ = run_benchmark([SCALE], tmp_path / "werk", engines=["pyspark", "duckdb"])
    spark = results[-1]
    assert spark.engine == "pyspark"
    _check_run(spark)
    assert spark.identical.startswith("ja ("), spark.identical
