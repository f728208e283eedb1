"""DQ-4 when a run is interrupted: Ctrl-C (SIGINT) and SIGTERM end the command with exit
code 130 and one line, leave no temporary folder and the previous output untouched; a killed
run's hidden folder is removed by the next run; an output encoding that cannot show ``→``
never turns a finished run into a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import small
from regiorapportage.pipeline import run
from regiorapportage.synth import generate


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("invoer")
    generate(folder, scale=0.02, seed=5)
    return folder


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "regiorapportage", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
        env={**os.environ, **(env or {})},
    )


def _interrupt_after_first_step(proc: subprocess.Popen, signum: int) -> tuple[str, str]:
    """Send ``signum`` as soon as the run reports its first finished step (it is then in
    the middle of reading and checking the inputs)."""
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if "✓" in line:
            proc.send_signal(signum)
            break
    out, err = proc.communicate(timeout=120)
    return out, "".join(seen) + err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_DQ_4_an_interrupted_run_exits_130_with_one_line_and_leaves_nothing(inputs, tmp_path, signum):
    uit = tmp_path / "uit"
    proc = _cli("run", "-i", str(inputs), "-o", str(uit), "--quarter", "2019Q2")
    _, err = _interrupt_after_first_step(proc, signum)
    assert proc.returncode == 130, err
    message = [line for line in err.splitlines() if "Afgebroken" in line]
    assert len(message) == 1 and ("Ctrl-C" if signum == signal.SIGINT else "SIGTERM") in message[0]
    assert "Traceback" not in err and "Onverwachte fout" not in err and "kan niet" not in err
    assert not uit.exists() or list(uit.iterdir()) == []


def test_DQ_4_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path):
    uit = tmp_path / "uit"
    uit.mkdir()
    dead = uit / ".2019Q2.tmp-999999999-0123abcd"  # no such process
    old_style = uit / ".2019Q2.tmp-89abcdef"  # written by an earlier version: no pid
    replaced = uit / ".2019Q2.old-999999999-0123abcd"
    for folder in (dead, old_style, replaced):
        folder.mkdir()
        (folder / "beschut_werk.csv").write_text("half\n")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = uit / f".2019Q2.tmp-{sleeper.pid}-0123abcd"  # a run still writing
        busy.mkdir()
        run(small(tmp_path), uit, "2019Q2", render=False)
        left = sorted(p.name for p in uit.iterdir())
        assert left == sorted(["2019Q2", busy.name])
    finally:
        sleeper.kill()
        sleeper.wait()


def test_DQ_4_an_output_that_cannot_show_the_arrow_does_not_break_a_finished_run(tmp_path):
    proc = _cli("run", "-i", str(small(tmp_path)), "-o", str(tmp_path / "uit"), "--quarter", "2019Q2",
                "--no-render", env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"})
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Klaar" in out
    assert (tmp_path / "uit" / "2019Q2" / "manifest.json").is_file()
