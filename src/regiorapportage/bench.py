"""Benchmark: wall time and peak memory of ``generate`` and ``run`` per scale.

Each step runs as its own process (``python -m regiorapportage …``) so that its peak
resident memory is its own (``wait4`` rusage), and nothing is cached between steps.
Performance is measured here, never by timed assertions in tests.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measurement:
    scale: float
    step: str
    seconds: float
    peak_mib: float
    rows: int | None = None


def _measure(args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "regiorapportage", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"regiorapportage {' '.join(args)} mislukte ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # KiB → MiB on Linux


def _rows(folder: Path) -> int:
    total = 0
    for f in folder.glob("*.csv"):
        with open(f, "rb") as fh:
            total += max(sum(1 for _ in fh) - 1, 0)
    return total


def machine() -> str:
    cpu = "onbekend"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB geheugen"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def run_benchmark(scales: list[float], workdir: Path, progress: Callable[[str], None] | None = None) -> tuple[list[Measurement], str]:
    say = progress or (lambda _: None)
    results: list[Measurement] = []
    workdir.mkdir(parents=True, exist_ok=True)
    for scale in scales:
        invoer = workdir / f"schaal-{scale:g}" / "invoer"
        uitvoer = workdir / f"schaal-{scale:g}" / "uitvoer"
        shutil.rmtree(invoer.parent, ignore_errors=True)
        say(f"schaal {scale:g}: generate")
        s, m = _measure(["generate", "--output", str(invoer), "--scale", str(scale)])
        rows = _rows(invoer)
        results.append(Measurement(scale, "generate (csv)", s, m, rows))
        say(f"schaal {scale:g}: run 2019Q2 (alles: controle, berekening, CSV, XLSX, HTML)")
        s, m = _measure(["run", "--input", str(invoer), "--output", str(uitvoer), "--quarter", "2019Q2"])
        results.append(Measurement(scale, "run 2019Q2 (incl. XLSX + HTML)", s, m, rows))
        say(f"schaal {scale:g}: run 2019Q2 zonder rendering")
        s, m = _measure(["run", "--input", str(invoer), "--output", str(uitvoer), "--quarter", "2019Q2", "--no-render"])
        results.append(Measurement(scale, "run 2019Q2 (--no-render)", s, m, rows))
    return results, to_markdown(results)


def to_markdown(results: list[Measurement]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}.",
        "",
        "Gemeten met `regiorapportage benchmark`; elke stap is een eigen proces (wandkloktijd "
        "inclusief het opstarten van Python, piekgeheugen = maximale RSS van dat proces).",
        "",
        "| schaal | stap | invoerrijen | tijd (s) | piekgeheugen (MiB) | µs per invoerrij |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        per_row = f"{r.seconds / r.rows * 1e6:.1f}" if r.rows else "-"
        rows = f"{r.rows:,}".replace(",", ".") if r.rows is not None else "-"
        lines.append(f"| {r.scale:g} | {r.step} | {rows} | {r.seconds:.1f} | {r.peak_mib:.0f} | {per_row} |")
    return "\n".join(lines)
