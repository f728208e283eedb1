"""The command line: thin wrapper, readable errors and exit codes, help for everything."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from conftest import AMS, advice, job, june, lives, person, write_inputs
from regiorapportage.cli import app

runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    return write_inputs(
        tmp_path / "in",
        personen=[person("P1"), person("P1")],
        brp_verblijf=[lives("P1", AMS)],
        adviezen=[advice("A1", "P1", "2018-01-01")],
        polis_ikv=[job("I1", "P1")],
        polis_tijdvak=[june("I1", "100")],
    )


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_run_succeeds_with_summary(folder, tmp_path):
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019Q2", "--no-render")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())  # the console wraps long lines
    assert "Klaar:" in text and "2019Q2" in text
    assert "1 rij(en) afgewezen" in text
    assert (tmp_path / "uit" / "2019Q2" / "beschut_werk.csv").exists()


def test_run_bad_quarter_is_readable_error(folder, tmp_path):
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019-2")
    assert r.exit_code == 2
    assert "Fout:" in r.output and "JJJJQn" in r.output
    assert "Traceback" not in r.output


def test_run_gemeente_level_refused_R_6(folder, tmp_path):
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019Q2", "--niveau", "gemeente")
    assert r.exit_code == 4
    assert "R-6" in r.output and "Traceback" not in r.output


def test_run_jaar_monitor_per_region_refused_LM_1_and_period_choice(folder, tmp_path):
    for niveau in ("arbeidsmarktregio", "gemeente"):
        r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--jaar", "2019", "--niveau", niveau)
        assert r.exit_code == 4, r.output
        assert "LM-1" in r.output and "verdeelsleutel" in r.output and "Traceback" not in r.output
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--jaar", "2019", "--quarter", "2019Q4")
    assert r.exit_code == 2 and "precies één van --quarter" in r.output
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit")
    assert r.exit_code == 2 and "--jaar" in r.output
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--jaar", "19")
    assert r.exit_code == 2 and "geen jaar" in r.output
    assert not (tmp_path / "uit").exists()


def test_run_jaar_refused_before_six_months_LM_2(folder, tmp_path):
    # the folder's payroll extract (2019-10-15) is not six months after 2019-12-31
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--jaar", "2019")
    assert r.exit_code == 4 and "LM-2" in r.output and "--voorlopig" in r.output


def test_run_structural_error_exit_code_DQ_2(folder, tmp_path):
    (folder / "adviezen.csv").unlink()
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019Q2")
    assert r.exit_code == 3
    assert "adviezen" in r.output and "ontbreekt" in r.output
    assert not (tmp_path / "uit").exists()


def test_run_refused_before_reliable_T_5(tmp_path):
    folder = write_inputs(tmp_path / "in", extractiedatum={"polis_ikv": "2019-07-01", "polis_tijdvak": "2019-07-01"})
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019Q2", "--no-render")
    assert r.exit_code == 4 and "--voorlopig" in r.output
    r = invoke("run", "--input", folder, "--output", tmp_path / "uit", "--quarter", "2019Q2", "--no-render", "--voorlopig")
    assert r.exit_code == 0 and "VOORLOPIG" in r.output


def test_validate_prints_summary_and_writes_rejects(folder, tmp_path):
    r = invoke("validate", "--input", folder, "--rejects", tmp_path / "afgewezen")
    assert r.exit_code == 0, r.output
    assert "personen" in r.output and "DQ-2.dubbel (1)" in r.output
    assert (tmp_path / "afgewezen" / "personen.csv").exists()


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.output.startswith("regiorapportage ")


def _commands():
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return group, group.commands


def _leaves(commands, prefix=()):
    """Every command, also those of a command group (``register``, ``register credential``)."""
    for name, command in commands.items():
        if isinstance(command, TyperGroup):
            yield from _leaves(command.commands, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_command_and_option_has_help_text():
    group, commands = _commands()
    assert set(commands) >= {"generate", "validate", "run", "demo", "benchmark", "register"}
    leaves = dict(_leaves(commands))
    assert {("register", "serve"), ("register", "credential", "new")} <= set(leaves)
    for path, command in leaves.items():
        name = " ".join(path)
        assert command.help and command.help.strip(), f"command {name} has no help"
        assert "Voorbeeld:" in command.help, f"command {name} has no example"
        for param in command.params:
            if isinstance(param, TyperOption):
                assert param.help and param.help.strip(), f"{name} {param.opts} has no help"
        r = invoke(*path, "--help")
        assert r.exit_code == 0 and "Usage" in r.output


def test_python_dash_m_runs():
    r = subprocess.run([sys.executable, "-m", "regiorapportage", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "generate" in r.stdout and "run" in r.stdout


def test_unwritable_output_is_readable_error(folder, tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    r = invoke("run", "--input", folder, "--output", blocker / "uit", "--quarter", "2019Q2", "--no-render")
    assert r.exit_code == 2
    assert "kan niet lezen of schrijven" in r.output and "Traceback" not in r.output


def test_generate_then_validate_through_cli(tmp_path):
    r = invoke("generate", "--output", tmp_path / "in", "--scale", "0.02", "--seed", "3", "--format", "parquet")
    assert r.exit_code == 0, r.output
    assert "Synthetische invoer geschreven" in r.output
    # the payroll periods as a dataset partitioned by year (polis_tijdvak/jaar=YYYY/…)
    assert (tmp_path / "in" / "polis_tijdvak").is_dir() and (tmp_path / "in" / "bronnen.json").exists()
    r = invoke("validate", "--input", tmp_path / "in", "--rejects", tmp_path / "rej")
    assert r.exit_code == 0 and "polis_tijdvak" in r.output


def test_generate_rejects_bad_scale(tmp_path):
    r = invoke("generate", "--output", tmp_path / "in", "--scale", "0")
    assert r.exit_code == 2 and "--scale moet groter dan 0 zijn" in r.output
    assert not (tmp_path / "in").exists()


def test_demo_prints_where_the_reports_are(tmp_path):
    r = invoke("demo", "--output", tmp_path / "demo", "--scale", "0.02")
    assert r.exit_code == 0, r.output
    assert "index.html" in r.output and "beschut_werk.xlsx" in r.output
    assert (tmp_path / "demo" / "uitvoer" / "2019Q2" / "html" / "index.html").exists()
    # the 2019 monitor, linked from the site's start page (issue 12)
    assert "Landelijke monitor banenafspraak 2019" in r.output
    assert (tmp_path / "demo" / "uitvoer" / "2019" / "landelijke_monitor.csv").exists()
    start = (tmp_path / "demo" / "uitvoer" / "index.html").read_text(encoding="utf-8")
    assert 'href="2019/html/index.html"' in start
    # the register: the synthetic decisions imported, the service answered one look-up (issue 14)
    text = " ".join(r.output.split())
    assert "besluiten vastgelegd" in text and "op 30-06-2019: ja; voor een onbekend BSN: nee" in text
    assert (tmp_path / "demo" / "register" / "register.db").exists()
