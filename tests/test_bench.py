"""The benchmark command's machinery (regiorapportage.bench) on a tiny scale.

Only the shape of the result is checked (rows, columns, phases, the CSV comparison, the
limits); no timed assertions: performance is measured by ``regiorapportage benchmark``.
Beside the quarter every engine also runs ``run --jaar 2019`` (the Landelijke monitor).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys

import pytest

import regiorapportage.quarter
from regiorapportage import bench
from regiorapportage.bench import MIB, Measurement, _measure, run_benchmark, to_markdown, write_report

SCALE = 0.002
# the pipeline's annual run (``run --jaar``) exists once the year type does
PIPELINE_HAS_YEAR = hasattr(regiorapportage.quarter, "Jaar")


def _check_run(m: Measurement) -> None:
    assert m.ok, m.status
    assert m.rows and m.rows > 10_000
    assert set(m.phases) == set(bench.PHASES), m.phases
    assert all(secs >= 0 and mib > 0 for secs, mib in m.phases.values())
    assert m.seconds >= sum(secs for secs, _ in m.phases.values()) - 0.01
    assert m.peak_mib >= max(mib for _, mib in m.phases.values()) - 1


def test_benchmark_duckdb_and_pandas(tmp_path):
    results, markdown = run_benchmark([SCALE], tmp_path / "werk", engines=["pandas", "duckdb"])
    # DuckDB first (the reference), each engine's quarter then its annual run
    assert [(r.engine, r.periode) for r in results] == [
        ("generate", ""), ("duckdb", "2019Q2"), ("duckdb", "2019"), ("pandas", "2019Q2"), ("pandas", "2019")]
    gen, duck, duck_year, ref, ref_year = results
    assert gen.ok and gen.rows == duck.rows == ref.rows == duck_year.rows == ref_year.rows
    _check_run(duck)
    _check_run(ref)
    _check_run(ref_year)
    assert not duck.annual and ref_year.annual
    steps = [n for n, _ in ref_year.steps]
    assert "landelijke monitor berekenen (pandas)" in steps
    out = tmp_path / "werk" / f"schaal-{SCALE:g}-parquet"
    assert (out / "uitvoer-pandas" / "2019" / "landelijke_monitor.csv").exists()
    if PIPELINE_HAS_YEAR:
        _check_run(duck_year)
        assert duck_year.identical == "referentie"
        assert ref_year.identical == "ja (1 bestanden)", ref_year.identical  # the monitor, byte for byte
    else:  # until the pipeline has `run --jaar`: reported as failed, nothing compared
        assert not duck_year.ok and ref_year.identical == "n.v.t. (DuckDB niet klaar)"
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
    assert len(rows) == 5 and "DuckDB" in rows[1] and "pandas-referentie" in rows[2]
    assert "DuckDB" in rows[3] and "pandas-referentie" in rows[4]  # the annual table comes after the quarter's
    assert markdown.index("Jaarrun `run --jaar 2019`") < markdown.index(rows[3])
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


# --------------------------------------------------------------------------- the annual run's helpers


def test_phases_of_the_annual_steps():
    """A step after the input checks that PHASE_START does not name starts the computation
    (the annual run has no ``regio-indeling``); named steps keep their phase."""
    phase = "opstart"
    seen = []
    for name in ["duckdb-sessie starten", "invoer inlezen en controleren", "controle polis_tijdvak",
                 "controle verdeelsleutel", "landelijke monitor berekenen (pandas)", "iets anders",
                 "uitvoer schrijven", "PDF-rapportages"]:
        phase = bench.next_phase(name, phase)
        seen.append(phase)
    assert seen == ["opstart", "inlezen", "inlezen", "inlezen", "berekenen", "berekenen", "uitvoer", "uitvoer"]
    assert bench.next_phase("regio-indeling", "inlezen") == "berekenen"


def test_compare_leaves_out_the_status_column_of_a_voorlopig_run(tmp_path):
    duck, ref = tmp_path / "duck", tmp_path / "ref"
    duck.mkdir(), ref.mkdir()
    (duck / "landelijke_monitor.csv").write_text("regio_code,waarde,status\nNL01,1.00,voorlopig\n", encoding="utf-8")
    (ref / "landelijke_monitor.csv").write_text("regio_code,waarde\nNL01,1.00\n", encoding="utf-8")
    assert bench.compare_csv(duck, ref, bench.PANDAS_FILES) == "ja (1 bestanden)"
    (ref / "landelijke_monitor.csv").write_text("regio_code,waarde\nNL01,1.01\n", encoding="utf-8")
    assert bench.compare_csv(duck, ref, bench.PANDAS_FILES) == "nee: landelijke_monitor.csv"
    assert "landelijke_monitor.csv" in bench.PANDAS_FILES


def test_voorlopig_when_the_payroll_extract_is_younger_than_six_months(tmp_path):
    def bronnen(**dates):
        (tmp_path / "bronnen.json").write_text(json.dumps({"extractiedatum": dates}), encoding="utf-8")

    bronnen(polis_ikv="2020-07-15", polis_tijdvak="2020-06-30", adviezen="2019-10-15")
    assert not bench.needs_voorlopig(tmp_path, "2019")  # 2019-12-31 + 6 months = 2020-06-30 (LM-2)
    bronnen(polis_ikv="2020-07-15", polis_tijdvak="2020-06-29")
    assert bench.needs_voorlopig(tmp_path, "2019")
    assert not bench.needs_voorlopig(tmp_path / "nergens", "2019")


def test_markdown_of_annual_runs_without_processes():
    def run(engine, periode, seconds, voorlopig=False, identical=""):
        m = Measurement(1, engine, "parquet", rows=1000, periode=periode, voorlopig=voorlopig, identical=identical)
        m.seconds = seconds
        m.phases = {"opstart": [1.0, 100.0], "inlezen": [2.0, 200.0], "berekenen": [3.0, 300.0], "uitvoer": [0.5, 50.0]}
        m.steps = [["opstart (Python, imports)", 1.0], ["klaar", 0.1]]
        return m

    results = [Measurement(1, "generate", "parquet", rows=1000), run("duckdb", "2019Q2", 10.0, identical="referentie"),
               run("duckdb", "2019", 7.0, voorlopig=True, identical="referentie"),
               run("pandas", "2019Q2", 20.0, identical="ja (6 bestanden)"),
               run("pandas", "2019", 14.0, voorlopig=True, identical="ja (1 bestanden)")]
    markdown = to_markdown(results)
    quarter, annual = markdown.split("Jaarrun `run --jaar 2019`")
    assert "| DuckDB |" in quarter and "(voorlopig)" not in quarter and "ja (6 bestanden)" in quarter
    assert "| DuckDB (voorlopig) |" in annual and "| pandas-referentie (voorlopig) |" in annual
    assert "ja (1 bestanden)" in annual and "kolom `status`" in annual
    assert "Verhouding pandas-referentie ÷ DuckDB, jaarrun" in annual and "14.0 s ÷ 7.0 s = **2.0×**" in annual
    # the quarter's tables hold only the quarter's runs
    assert "14.0 s" not in quarter and "20.0 s ÷ 10.0 s = **2.0×**" in quarter
    # measurements saved before the annual run existed still load (periode "" = the quarter)
    old = {k: v for k, v in Measurement(1, "duckdb", "parquet").__dict__.items() if k not in ("periode", "voorlopig")}
    assert not Measurement(**old).annual


def test_a_phase_shorter_than_one_sample_interval_still_has_a_peak(tmp_path):
    """The annual run's computation can take less than the 100 ms between samples (scale 0.002);
    such a phase gets the sample taken right after it, never a peak of 0."""
    child = ("import os, sys, time\n"
             "fh = os.fdopen(int(sys.argv[-1]), 'w', buffering=1)\n"
             "time.sleep(0.3)\n"
             "for name in ('invoer inlezen en controleren', 'landelijke monitor berekenen (pandas)', 'uitvoer schrijven'):\n"
             "    fh.write(f'{time.monotonic():.6f}\\t{name}\\n')\n"
             "time.sleep(0.3)\n")
    m = _measure([sys.executable, "-c", child], Measurement(1, "test", "parquet"), tmp_path / "d.log", 60, 2**40)
    assert m.ok, m.status
    assert set(m.phases) == set(bench.PHASES)
    assert all(mib > 0 for _, mib in m.phases.values()), m.phases
