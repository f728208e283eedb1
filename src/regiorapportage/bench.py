"""Benchmark: wall time and peak memory per step, per scale × engine (``regiorapportage benchmark``).

For every scale the synthetic input is generated once (shared by all engines, one input
format for all of them). Then every engine runs one quarter's four publications in its own
child process (``python -m regiorapportage.bench``), so that nothing is cached between runs
and the memory of a run is its own — and, beside it, the annual run ``run --jaar 2019`` (the
Landelijke monitor, LM) on the same input, also in a child process of its own:

- ``duckdb`` and ``pyspark`` run ``pipeline.run`` (all four publications, CSV + XLSX + PDF +
  HTML; for the year the annual publications); the child reports every step of the
  pipeline's progress callback over a pipe;
- ``pandas`` runs the plain pandas reference (``bench/regiorapportage_pandas``), which
  writes the publication CSVs (and rejects) only (for the year ``landelijke_monitor.csv``).

An annual run whose payroll extract is younger than P + 6 months (LM-2) is run with the
override ``voorlopig`` (the pipeline then adds the column ``status``; the comparison leaves it
out) and marked so in the report.

The parent maps the steps to four phases — start-up (Python, imports, engine session),
load/validate, measures (incl. the consistency checks), output — and samples the resident
memory of the child's whole process tree (for Spark the JVM is a grandchild) every 100 ms
from ``/proc``, keeping the peak per phase. It also enforces a time limit per phase and a
memory cap (and stops a run when the machine's available memory runs low), so that a run
that cannot finish is reported as aborted instead of taking the machine down.

Performance is measured here, never by timed assertions in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ENGINES = ("duckdb", "pyspark", "pandas")
# parquet: every input one Parquet file; parquet-dataset: as ``generate --format parquet``
# writes it, the period sources as year-partitioned folders; csv: every input one CSV file.
# All three engines read all three.
FORMATS = ("parquet", "csv", "parquet-dataset")
PHASES = ("opstart", "inlezen", "berekenen", "uitvoer")
PHASE_LABELS = {
    "opstart": "opstart",
    "inlezen": "inlezen + controle",
    "berekenen": "berekening",
    "uitvoer": "uitvoer",
}
# The pipeline step (progress callback) with which a phase starts; later steps belong to the
# same phase until the next of these. The pandas child emits the same names.
PHASE_START = {
    "invoer inlezen en controleren": "inlezen",
    "regio-indeling": "berekenen",
    "uitvoer schrijven": "uitvoer",
}


def next_phase(name: str, phase: str) -> str:
    """The phase a progress step belongs to: the one it starts (``PHASE_START``), else the
    current one — except that the first step after the input checks (``controle …``) that no
    entry names starts the computation (the annual run has no ``regio-indeling``: LM is
    national only)."""
    if name in PHASE_START:
        return PHASE_START[name]
    if phase == "inlezen" and not name.startswith("controle ") and name != "invoer inlezen en controleren":
        return "berekenen"
    return phase


DEFAULT_TIMEOUT = 1800  # seconds per phase
DEFAULT_MEMORY_CAP_GIB = 16.0
MIN_AVAILABLE_GIB = 1.0  # stop a run when the machine has less than this available
SAMPLE_SECONDS = 0.1
GIB = 1024**3
MIB = 1024**2


@dataclass
class Measurement:
    """One child process: ``generate`` for a scale, or one engine's run on that scale."""

    scale: float
    engine: str  # "generate" or an engine name
    fmt: str
    rows: int | None = None
    seconds: float = 0.0  # wall time of the whole process (spawn → exit)
    peak_mib: float = 0.0  # peak resident memory of the process tree
    phases: dict[str, list[float]] = field(default_factory=dict)  # phase → [seconds, peak MiB]
    steps: list[list] = field(default_factory=list)  # [step name, seconds] in order
    status: str = "ok"  # ok | afgebroken … | mislukt …
    failed_phase: str | None = None
    cpu_seconds: float = 0.0
    other_load: float | None = None  # share of the machine's CPU used by other processes
    identical: str = ""  # CSVs compared with DuckDB's
    periode: str = ""  # what was run: the quarter (2019Q2) or the year of the annual run (2019); "" = generate
    voorlopig: bool = False  # an annual run with the T-5/LM-2 override (extract too early)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def annual(self) -> bool:
        """The annual run (``run --jaar``), not the quarter's."""
        return len(self.periode) == 4 and self.periode.isdigit()


# --------------------------------------------------------------------------- /proc sampling


def _proc_stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, utime + stime in ticks, rss in bytes) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
        fields = stat.rsplit(")", 1)[1].split()
        ppid, ticks, rss_pages = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21])
    except (OSError, IndexError, ValueError):
        return None
    return ppid, ticks, rss_pages * _PAGE


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree(root: int) -> dict[int, tuple[int, int]]:
    """pid → (cpu ticks, rss bytes) for ``root`` and all its descendants."""
    info: dict[int, tuple[int, int, int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            s = _proc_stat(int(name))
            if s is not None:
                info[int(name)] = s
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in info.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in info and pid not in out:
            out[pid] = info[pid][1:]
            todo.extend(children.get(pid, ()))
    return out


def _machine_busy() -> tuple[int, int]:
    """(busy ticks, total ticks) of all CPUs since boot."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


# --------------------------------------------------------------------------- one child process


def _child_command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "regiorapportage.bench", *args]


def _measure(
    cmd: list[str],
    m: Measurement,
    log: Path,
    timeout: float,
    cap_bytes: float,
    env: dict[str, str] | None = None,
    first_phase: str = "opstart",
) -> Measurement:
    """Run ``cmd`` (which gets ``--events-fd N``) and fill ``m`` with its phases and peaks."""
    r, w = os.pipe()
    events: list[tuple[float, str]] = []
    lock = threading.Lock()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as logfh:
        start = time.monotonic()
        busy0, _ = _machine_busy()
        proc = subprocess.Popen(
            [*cmd, "--events-fd", str(w)], stdin=subprocess.DEVNULL, stdout=logfh, stderr=logfh,
            pass_fds=(w,), start_new_session=True, env=env,
        )
        os.close(w)

        def read() -> None:
            with os.fdopen(r, "r", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    t, _, name = line.rstrip("\n").partition("\t")
                    try:
                        with lock:
                            events.append((float(t), name))
                    except ValueError:
                        continue

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        peaks: dict[str, int] = {}
        cpu: dict[int, int] = {}
        abort: tuple[str, str] | None = None  # (status, phase)
        phase, phase_start, seen = first_phase, start, 0
        status = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            with lock:
                new = events[seen:]
                seen = len(events)
            passed = []  # phases begun and ended since the last sample (shorter than one interval)
            for t, name in new:
                following = next_phase(name, phase)
                if following != phase:
                    passed.append(phase)
                    phase, phase_start = following, t
            tree = _tree(proc.pid)
            rss = sum(v[1] for v in tree.values())
            for p, (ticks, _) in tree.items():
                cpu[p] = max(cpu.get(p, 0), ticks)
            for ph in [*passed, phase]:  # a phase shorter than one interval gets the sample after it
                peaks[ph] = max(peaks.get(ph, 0), rss)
            if abort is None:
                available = _available_bytes()
                if rss > cap_bytes:
                    abort = (f"afgebroken: geheugen > {cap_bytes / GIB:g} GiB", phase)
                elif available is not None and available < MIN_AVAILABLE_GIB * GIB:
                    abort = (f"afgebroken: machine bijna zonder geheugen ({rss / GIB:.1f} GiB in gebruik)", phase)
                elif now - phase_start > timeout:
                    abort = (f"afgebroken na {timeout:g} s", phase)
                if abort is not None:
                    _kill(proc.pid, tree)
            time.sleep(SAMPLE_SECONDS)
        end = time.monotonic()
        busy1, _ = _machine_busy()
    reader.join(timeout=5)
    code = os.waitstatus_to_exitcode(status)

    # phases and steps from the events (the child's clock is the same monotonic clock)
    marks: list[tuple[float, str, str]] = []  # (start, phase, step)
    phase = first_phase
    marks.append((start, phase, "opstart (Python, imports)" if first_phase == "opstart" else first_phase))
    for t, name in events:
        phase = next_phase(name, phase)
        marks.append((t, phase, name))
    steps, phases = [], {}
    for i, (t, ph, name) in enumerate(marks):
        t_next = marks[i + 1][0] if i + 1 < len(marks) else end
        steps.append([name, round(t_next - t, 3)])
        phases.setdefault(ph, [0.0, 0.0])[0] += t_next - t
    for ph, (secs, _) in phases.items():
        phases[ph] = [round(secs, 3), round(peaks.get(ph, 0) / MIB, 1)]
    m.phases, m.steps = phases, steps
    m.seconds = round(end - start, 3)
    m.peak_mib = round(max([usage.ru_maxrss * 1024, *peaks.values()]) / MIB, 1)
    ours = max(sum(cpu.values()) / _TICK, usage.ru_utime + usage.ru_stime)
    m.cpu_seconds = round(ours, 1)
    cores = os.cpu_count() or 1
    if end > start and busy1 >= busy0:
        others = (busy1 - busy0) / _TICK - ours
        m.other_load = round(max(0.0, min(1.0, others / ((end - start) * cores))), 3)
    if abort is not None:
        m.status, m.failed_phase = abort
    elif code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] if log.exists() else []
        m.status = f"mislukt (code {code}): {tail[0][:200] if tail else ''}"
        m.failed_phase = phase
    return m


def _kill(root: int, tree: dict[int, tuple[int, int]]) -> None:
    """Stop the child and everything it started (its own session, plus any stray descendant)."""
    try:
        os.killpg(root, signal.SIGKILL)
    except OSError:
        pass
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --------------------------------------------------------------------------- the child side


def _child_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regiorapportage.bench")
    parser.add_argument("mode", choices=["generate", "run"])
    parser.add_argument("--events-fd", type=int, required=True)
    parser.add_argument("--engine", choices=ENGINES)
    parser.add_argument("--input")
    parser.add_argument("--output", required=True)
    parser.add_argument("--quarter", default="2019Q2")
    parser.add_argument("--jaar", default=None, help="the annual run (LM) of this year instead of the quarter")
    parser.add_argument("--voorlopig", action="store_true", help="T-5/LM-2 override (extract too early)")
    parser.add_argument("--scale", type=float)
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    args = parser.parse_args(argv)
    events = os.fdopen(args.events_fd, "w", buffering=1, encoding="utf-8")

    def emit(name: str) -> None:
        events.write(f"{time.monotonic():.6f}\t{name.replace(chr(10), ' ')}\n")

    if args.mode == "generate":
        _child_generate(args, emit)
    else:
        _child_run(args, emit)
    events.close()
    return 0


def _child_generate(args, emit) -> None:
    """``regiorapportage generate`` with its defaults (seed 2019, injected faults, banenafspraak)."""
    from regiorapportage.synth import generate

    import inspect

    emit("generate")
    options = {}
    if "partition" in inspect.signature(generate).parameters:
        options["partition"] = args.format == "parquet-dataset"
    fmt = "csv" if args.format == "csv" else "parquet"
    generate(Path(args.output), scale=args.scale, fmt=fmt, progress=lambda s: emit(f"generate: {s}"), **options)


def _child_run(args, emit) -> None:
    if args.jaar:
        _child_run_annual(args, emit)
        return
    if args.engine == "pandas":
        import regiorapportage_pandas as ref

        emit("invoer inlezen en controleren")
        inputs = ref.load_validate(args.input)
        emit("regio-indeling")  # the reference computes the classification inside compute
        emit("publicaties berekenen (pandas)")
        frames = ref.compute(inputs, args.quarter)
        emit("uitvoer schrijven")
        emit("CSV en rejects schrijven (pandas)")
        ref.write(frames, Path(args.output) / str(ref.Quarter.parse(args.quarter)), inputs)
        emit("klaar")
        return
    from regiorapportage import engine, pipeline

    emit(f"{args.engine}-sessie starten")
    con = engine.connect(args.engine)  # a Spark session stays up and is reused by run()
    engine.close(con)
    pipeline.run(args.input, args.output, args.quarter, engine_name=args.engine, progress=emit)
    emit("klaar")


def _child_run_annual(args, emit) -> None:
    """``run --jaar Y``: the pipeline's annual publications, or the reference's monitor."""
    if args.engine == "pandas":
        import regiorapportage_pandas as ref

        emit("invoer inlezen en controleren")
        inputs = ref.load_validate(args.input, ref.ANNUAL)
        emit("landelijke monitor berekenen (pandas)")
        frame = ref.compute_monitor(inputs, int(args.jaar))
        emit("uitvoer schrijven")
        emit("CSV en rejects schrijven (pandas)")
        ref.write({"landelijke_monitor": frame}, Path(args.output) / str(int(args.jaar)), inputs)
        emit("klaar")
        return
    from regiorapportage import engine, pipeline

    emit(f"{args.engine}-sessie starten")
    con = engine.connect(args.engine)
    engine.close(con)
    pipeline.run(args.input, args.output, args.jaar, engine_name=args.engine, progress=emit, voorlopig=args.voorlopig)
    emit("klaar")


# --------------------------------------------------------------------------- inputs and outputs


def input_rows(folder: Path) -> int:
    """Data rows of all inputs (Parquet from the file metadata, CSV by counting lines)."""
    total = 0
    for f in sorted(folder.rglob("*")):
        if f.suffix == ".parquet" and f.is_file():
            import pyarrow.parquet as pq

            total += pq.ParquetFile(f).metadata.num_rows
        elif f.suffix == ".csv" and f.is_file():
            with open(f, "rb") as fh:
                total += max(sum(1 for _ in fh) - 1, 0)
    return total


def _definitive_bytes(path: Path) -> bytes:
    """A publication CSV's bytes without the column ``status`` that a voorlopig run of the
    pipeline adds as the last column (its value ``voorlopig`` on every row), so that a
    provisional run compares with the reference's file."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    if not lines or not lines[0].endswith(b",status"):
        return data
    return b"\n".join(line.rsplit(b",", 1)[0] if line else line for line in lines)


def compare_csv(reference: Path, other: Path, only: list[str] | None = None) -> str:
    """Byte comparison of the publication CSVs (top level of ``<output>/<quarter>/`` or
    ``<output>/<jaar>/``; a voorlopig run's ``status`` column left out)."""
    ref_files = {f.name: f for f in reference.glob("*.csv")}
    other_files = {f.name: f for f in other.glob("*.csv")}
    names = sorted(other_files) if only is None else sorted(set(only) & set(other_files))
    if not names:
        return "geen CSV"
    different = [n for n in names
                 if n not in ref_files or _definitive_bytes(ref_files[n]) != _definitive_bytes(other_files[n])]
    if only is None:
        different += sorted(set(ref_files) - set(other_files))
    if different:
        return f"nee: {', '.join(different)}"
    return f"ja ({len(names)} bestanden)"


def _pandas_files() -> list[str]:
    """The CSVs compared with DuckDB's: every output of every registered publication (the
    pandas reference writes them all)."""
    from regiorapportage.publications.registry import outputs

    return list(dict.fromkeys([*outputs().values(), ANNUAL_FILE]))


ANNUAL_FILE = "landelijke_monitor.csv"  # what the reference writes for ``run --jaar``
PAYROLL_EXTRACTS = ("polis_ikv", "polis_tijdvak")  # T-5/LM-2: the payroll extract's date counts
ANNUAL_MONTHS = 6  # LM-2: the extract at least six months after P = 31 December


def needs_voorlopig(invoer: Path, jaar: str) -> bool:
    """Whether ``bronnen.json`` dates a payroll extract before 30 June of the next year (LM-2:
    six months after 31 December): the annual run then needs the override."""
    try:
        dates = json.loads((invoer / "bronnen.json").read_text(encoding="utf-8"))["extractiedatum"]
    except (OSError, ValueError, KeyError):
        return False
    reliable = f"{int(jaar) + 1}-{ANNUAL_MONTHS:02d}-30"
    return any(str(dates[s]) < reliable for s in PAYROLL_EXTRACTS if s in dates)


PANDAS_FILES = _pandas_files()


# --------------------------------------------------------------------------- the benchmark


def run_benchmark(
    scales: list[float],
    workdir: Path,
    engines: list[str] | tuple[str, ...] = ENGINES,
    formats: list[str] | tuple[str, ...] = ("parquet",),
    quarter: str = "2019Q2",
    timeout: float = DEFAULT_TIMEOUT,
    memory_cap_gib: float = DEFAULT_MEMORY_CAP_GIB,
    keep: bool = False,
    progress: Callable[[str], None] | None = None,
    jaar: str | None = "2019",
) -> tuple[list[Measurement], str]:
    """Measure every scale × format × engine; returns the measurements and the Markdown report.
    Every engine runs the quarter and then (unless ``jaar`` is None) the annual run
    ``run --jaar <jaar>`` (Landelijke monitor) on the same input, each in its own process.
    The raw measurements are also kept in ``workdir/resultaten.json`` (after every run)."""
    say = progress or (lambda _: None)
    engines = sorted(dict.fromkeys(engines), key=ENGINES.index)  # DuckDB first: the reference
    results: list[Measurement] = []
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cap = memory_cap_gib * GIB
    started = time.strftime("%Y-%m-%d %H:%M")
    code = code_version()
    scratch = workdir / "tmp"
    env = {**os.environ, "REGIORAPPORTAGE_TEMP": str(scratch)}

    def save() -> None:
        (workdir / "resultaten.json").write_text(
            json.dumps({"machine": machine(), "code": code, "gestart": started, "resultaten": [asdict(r) for r in results]},
                       indent=1),
            encoding="utf-8",
        )

    for scale in scales:
        for fmt in formats:
            base = workdir / f"schaal-{scale:g}-{fmt}"
            shutil.rmtree(base, ignore_errors=True)
            invoer = base / "invoer"
            say(f"schaal {scale:g} ({fmt}): generate")
            g = _measure(
                _child_command(["generate", "--output", str(invoer), "--scale", str(scale), "--format", fmt]),
                Measurement(scale, "generate", fmt), base / "generate.log", float("inf"), cap, env, first_phase="generate",
            )
            results.append(g)
            if not g.ok:
                say(f"  generate: {g.status}")
                save()
                continue
            g.rows = input_rows(invoer)
            say(f"  {g.seconds:.1f} s, {g.peak_mib:.0f} MiB, {g.rows:,} invoerrijen")
            outputs: dict[tuple[str, str], Path] = {}
            voorlopig = bool(jaar) and needs_voorlopig(invoer, jaar)
            runs = [(quarter, ["--quarter", quarter])]
            if jaar:
                runs.append((str(jaar), ["--jaar", str(jaar)] + (["--voorlopig"] if voorlopig else [])))
            for name in engines:
                for periode, period_args in runs:
                    annual = periode != quarter
                    say(f"schaal {scale:g} ({fmt}): {name}" + (f", jaarrun {periode}" if annual else ""))
                    shutil.rmtree(scratch, ignore_errors=True)
                    scratch.mkdir(parents=True)  # DuckDB creates its spill folder inside, not the parents
                    uitvoer = base / f"uitvoer-{name}"
                    m = _measure(
                        _child_command(["run", "--engine", name, "--input", str(invoer), "--output", str(uitvoer), *period_args]),
                        Measurement(scale, name, fmt, rows=g.rows, periode=periode, voorlopig=annual and voorlopig),
                        base / (f"{name}-{periode}.log" if annual else f"{name}.log"), timeout, cap, env,
                    )
                    shutil.rmtree(scratch, ignore_errors=True)
                    if m.ok:
                        outputs[(name, periode)] = uitvoer / periode
                        if name == "duckdb":
                            m.identical = "referentie"
                        elif ("duckdb", periode) in outputs:
                            m.identical = compare_csv(outputs[("duckdb", periode)], outputs[(name, periode)],
                                                      PANDAS_FILES if name == "pandas" else None)
                        else:
                            m.identical = "n.v.t. (DuckDB niet klaar)"
                    else:
                        m.identical = "n.v.t."
                    say(f"  {m.status}: {m.seconds:.1f} s, {m.peak_mib:.0f} MiB" + (f", CSV gelijk: {m.identical}" if m.ok else ""))
                    results.append(m)
                    save()
            if not keep:
                shutil.rmtree(invoer, ignore_errors=True)
    return results, to_markdown(results, timeout=timeout, memory_cap_gib=memory_cap_gib, started=started, code=code)


# --------------------------------------------------------------------------- the report


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for label, dist in (("DuckDB", "duckdb"), ("Ibis", "ibis-framework"), ("pandas", "pandas"), ("PyArrow", "pyarrow"), ("PySpark", "pyspark")):
        try:
            parts.append(f"{label} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{label} niet geïnstalleerd")
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30).stderr.splitlines()[0]
        parts.append(java.replace('"', ""))
    except (OSError, IndexError, subprocess.SubprocessError):
        parts.append("geen Java")
    return ", ".join(parts)


def code_version() -> str:
    """The package version and, in a git checkout, the commit (and whether files differ from it)."""
    from regiorapportage import __version__

    text = f"regiorapportage {__version__}"
    try:
        root = Path(__file__).resolve().parents[2]
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                               text=True, timeout=10)
        if head.returncode == 0:
            text += f", git {head.stdout.strip()}" + (" met niet-gecommitte wijzigingen" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return text


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
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}; {versions()}"


def _n(n: int | None) -> str:
    return "-" if n is None else f"{n:,}".replace(",", ".")


def _s(x: float) -> str:
    return f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def _phase_cell(m: Measurement, phase: str) -> str:
    if phase not in m.phases:
        return "–"
    secs, mib = m.phases[phase]
    cell = f"{_s(secs)} s / {mib:.0f}"
    if not m.ok and m.failed_phase == phase:
        cell = f"**{m.status}** ({cell})"
    return cell


ENGINE_LABELS = {
    "generate": "generate (gedeeld)",
    "duckdb": "DuckDB",
    "pyspark": "Spark local",
    "pandas": "pandas-referentie",
}


def _by(results: list[Measurement], scale: float, engine: str, fmt: str) -> Measurement | None:
    return next((r for r in results if r.scale == scale and r.engine == engine and r.fmt == fmt), None)


def _step(m: Measurement, name: str) -> float:
    return sum(secs for n, secs in m.steps if n == name)


def ratio_lines(results: list[Measurement]) -> list[str]:
    lines = []
    for d in results:
        if d.engine != "duckdb" or not d.ok:
            continue
        p = _by(results, d.scale, "pandas", d.fmt)
        if p is None:
            continue
        if not p.ok:
            lines.append(f"- schaal {d.scale:g} ({d.fmt}): pandas-referentie niet klaar ({p.status}); geen verhouding.")
            continue

        def ph(m: Measurement, *names: str) -> float:
            return sum(m.phases.get(n, [0.0])[0] for n in names)

        parts = [
            ("eind tot eind (hele proces incl. opstart, inlezen + controle, berekening, uitvoer; DuckDB maakt daarbij "
             "ook XLSX/PDF/HTML, pandas alleen CSV)", p.seconds, d.seconds),
            ("zonder opstart, met alleen CSV-uitvoer (DuckDB: stap `uitvoer schrijven` = CSV + rejects; pandas: CSV + rejects)",
             ph(p, "inlezen", "berekenen", "uitvoer"), ph(d, "inlezen", "berekenen") + _step(d, "uitvoer schrijven")),
            ("inlezen + controle + berekening (zonder opstart en uitvoer)", ph(p, "inlezen", "berekenen"), ph(d, "inlezen", "berekenen")),
            ("alleen inlezen + controle", ph(p, "inlezen"), ph(d, "inlezen")),
            ("alleen berekening", ph(p, "berekenen"), ph(d, "berekenen")),
        ]
        lines.append(f"- schaal {d.scale:g} ({d.fmt}), pandas-referentie ÷ DuckDB, zelfde run:")
        for label, a, b in parts:
            lines.append(f"  - {label}: {_s(a)} s ÷ {_s(b)} s = **{a / b:.1f}×**" if b > 0 else f"  - {label}: -")
    return lines


TABLE_HEAD = [
    "| schaal | invoer | engine | invoerrijen | opstart | inlezen + controle | berekening | uitvoer | totaal (s) "
    "| piek (MiB) | µs per invoerrij | CPU (s) | andere belasting | CSV gelijk aan DuckDB |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
]


def _table_row(r: Measurement) -> str:
    per_row = f"{r.seconds / r.rows * 1e6:.2f}" if r.rows and r.ok else "-"
    load = f"{r.other_load * 100:.0f} %" if r.other_load is not None else "-"
    if r.engine == "generate":
        cells = ["–", "–", "–", "–"] if r.ok else [f"**{r.status}**", "", "", ""]
    else:
        cells = [_phase_cell(r, ph) for ph in PHASES]
    total = _s(r.seconds) if r.ok else f"({_s(r.seconds)})"
    engine = ENGINE_LABELS.get(r.engine, r.engine) + (" (voorlopig)" if r.voorlopig else "")
    return (f"| {r.scale:g} | {r.fmt} | {engine} | {_n(r.rows)} | {' | '.join(cells)} "
            f"| {total} | {r.peak_mib:.0f} | {per_row} | {r.cpu_seconds:.0f} | {load} | {r.identical or '-'} |")


def annual_lines(results: list[Measurement]) -> list[str]:
    """The annual runs (``run --jaar``, Landelijke monitor): their table, the pandas ÷ DuckDB
    ratios and the pipeline's steps."""
    annual = [r for r in results if r.annual]
    if not annual:
        return []
    years = ", ".join(sorted({r.periode for r in annual}))
    lines = [
        f"Jaarrun `run --jaar {years}` (Landelijke monitor banenafspraak, LM; zelfde invoer, elk een eigen proces; "
        "vergeleken wordt `landelijke_monitor.csv`" + ("; *voorlopig*: met de override van T-5/LM-2 omdat de "
        "polisextractie jonger is dan peildatum + 6 maanden, de kolom `status` blijft buiten de vergelijking"
        if any(r.voorlopig for r in annual) else "") + "):",
        "",
        *TABLE_HEAD,
        *[_table_row(r) for r in annual],
    ]
    ratios = ratio_lines(annual)
    if ratios:
        lines += ["", "Verhouding pandas-referentie ÷ DuckDB, jaarrun:", "", *ratios]
    detail = step_table(annual)
    if detail:
        lines += ["", *detail]
    return lines


def to_markdown(results: list[Measurement], timeout: float = DEFAULT_TIMEOUT,
                memory_cap_gib: float = DEFAULT_MEMORY_CAP_GIB, started: str = "", code: str = "") -> str:
    """The tables of a benchmark run (the interpretation in docs/benchmarks.md is written by hand):
    the quarter's runs first, then the annual runs (``annual_lines``)."""
    everything, results = results, [r for r in results if not r.annual]
    lines = [
        f"Machine: {machine()}.",
        "",
        f"Gemeten met `regiorapportage benchmark`{' op ' + started if started else ''}{' (' + code + ')' if code else ''}. Elke cel *tijd / piek*: wandkloktijd in "
        "seconden / piekgeheugen in MiB (RSS van de hele procesboom, elke 100 ms bemonsterd; voor Spark inclusief de "
        "JVM). Elke run is een eigen proces; *totaal* is het hele proces van starten tot afsluiten. "
        f"Grenzen: {timeout:g} s per stap, {memory_cap_gib:g} GiB geheugen per run.",
        "",
        *TABLE_HEAD,
        *[_table_row(r) for r in results],
    ]
    ratios = ratio_lines(results)
    if ratios:
        lines += ["", "Verhouding pandas-referentie ÷ DuckDB (doel: ≥ 20× op schaal 1):", "", *ratios]
    lines += ["", *growth_table(results)]
    detail = step_table(results)
    if detail:
        lines += ["", *detail]
    annual = annual_lines(everything)
    if annual:
        lines += ["", *annual]
    return "\n".join(lines)


def growth_table(results: list[Measurement]) -> list[str]:
    """µs per input row per engine and scale (total and per phase): how the cost grows."""
    runs = [r for r in results if r.engine != "generate"]
    cols = sorted({(r.scale, r.fmt) for r in results}, key=lambda c: (c[1], c[0]))
    if not runs or not cols:
        return []
    lines = [
        "µs per invoerrij (totaal / inlezen + controle / berekening):",
        "",
        "| engine | " + " | ".join(f"schaal {s:g} ({f})" for s, f in cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]
    for name in ["generate", *ENGINES]:
        cells = []
        for s, f in cols:
            r = _by(results, s, name, f)
            if r is None:
                cells.append("")
            elif not r.ok or not r.rows:
                cells.append("afgebroken" if r.status.startswith("afgebroken") else ("mislukt" if not r.ok else "-"))
            elif name == "generate":
                cells.append(f"{r.seconds / r.rows * 1e6:.2f}")
            else:
                per = [r.seconds] + [r.phases.get(ph, [0.0])[0] for ph in ("inlezen", "berekenen")]
                cells.append(" / ".join(f"{x / r.rows * 1e6:.2f}" for x in per))
        if any(cells):
            lines.append(f"| {ENGINE_LABELS[name]} | " + " | ".join(cells) + " |")
    return lines


def step_table(results: list[Measurement]) -> list[str]:
    """Seconds per pipeline step (the progress callback's steps) for every pipeline run."""
    runs = [r for r in results if r.engine in ("duckdb", "pyspark") and r.steps]
    if not runs:
        return []
    order: list[str] = []
    for r in runs:  # a step only one engine has goes right after the step before it in that run
        previous = None
        for name, _ in r.steps:
            if name not in order and name != "klaar":
                order.insert(order.index(previous) + 1 if previous in order else len(order), name)
            previous = name
    head = [f"{ENGINE_LABELS[r.engine]} {r.scale:g}" + (f" ({r.fmt})" if r.fmt != "parquet" else "") for r in runs]
    lines = [
        "Seconden per stap van de pipeline (de stappen van de voortgangsmelding; `klaar` → einde is het afsluiten):",
        "",
        "| stap | " + " | ".join(head) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    for name in order + ["klaar"]:
        cells = []
        for r in runs:
            secs = sum(s for n, s in r.steps if n == name)
            cells.append(_s(secs) if any(n == name for n, _ in r.steps) else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"


def write_report(path: Path, markdown: str, marker: str = "benchmark") -> None:
    """Write the tables into ``path``: between the markers ``<!-- <marker>:begin -->`` and
    ``<!-- <marker>:end -->`` when the file has them (the text around them is kept); otherwise
    appended to the file (a new file gets a title)."""
    path = Path(path)
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    block = f"{begin}\n{markdown}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text and text.index(begin) < text.index(end):
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    elif text:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    else:
        text = f"# Benchmarks\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def from_json(path: Path) -> tuple[list[Measurement], dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Measurement(**r) for r in data["resultaten"]], data


if __name__ == "__main__":
    sys.exit(_child_main())
