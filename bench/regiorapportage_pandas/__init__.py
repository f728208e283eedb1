"""A plain pandas reference implementation of the regiorapportage rules (second oracle and
performance baseline; written from SPEC.md, independent of the Ibis pipeline).

Three steps, timed separately by ``run``:

- ``load_validate(input_dir)`` — read every input, apply DQ-1/DQ-2 (row rules, duplicate
  keys, overlapping periods, references), keep the accepted rows;
- ``compute(inputs, quarter)`` — the four publications (BW; BA/TR; BA/FS; BA/KP) and the two
  series (``beschut_werk_reeks``, ``banenafspraak_reeks``) as long tables; every date they use
  attributes persons in the classification of P's year (R-2, R-8: 2016, 2019 and 2026 shipped in
  ``data/``, the ``gemeenten`` input adds or replaces years), older gemeente codes followed
  through the gemeentelijke herindelingen (R-7: ``data/gemeente_herindelingen.csv`` or the
  ``herindelingen`` input);
- ``write(frames, output_dir)`` — the CSV files of CONTRACT.md ("Outputs").

The annual Landelijke monitor (LM, ``monitor.py``): ``run_monitor(input_dir, output_dir, year)``
(or ``run(input_dir, output_dir, "2019")``) writes ``output_dir/<year>/landelijke_monitor.csv``
and ``rejects/``; ``compute_monitor(load_validate(input_dir, ANNUAL), year)`` is the long table.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd

from . import banenafspraak as ba
from . import beschut_werk as bw
from .common import Indeling, MissingClassification, Quarter, classification, region_list
from .monitor import MonitorInconsistent, MonitorRefused, compute_monitor
from .output import write_csv
from .validate import QUARTERLY, Validated, with_packaged_years, write_rejects
from .validate import load_validate as _load_validate

__all__ = ["load_validate", "compute", "write", "run", "Quarter", "MissingClassification", "ANNUAL",
           "compute_monitor", "run_monitor", "parse_period", "MonitorRefused", "MonitorInconsistent"]

ANNUAL = ("landelijke_monitor",)  # the publications of an annual run (``load_validate``)

FILES = {
    "beschut_werk": "beschut_werk.csv",
    "beschut_werk_reeks": "beschut_werk_reeks.csv",
    "banenafspraak_trend": "banenafspraak_trend.csv",
    "banenafspraak_reeks": "banenafspraak_reeks.csv",
    "factsheet": "factsheet.csv",
    "klantprofielen": "klantprofielen.csv",
    "landelijke_monitor": "landelijke_monitor.csv",
}


def load_validate(input_dir, publications=QUARTERLY) -> dict[str, Validated]:
    """DQ-1/DQ-2 on every input of the four quarterly publications (default) or of the annual
    monitor (``publications=ANNUAL``); ``inputs[name].accepted`` holds the accepted rows,
    ``inputs[name].rejects`` the rejected ones with rule and reason."""
    return _load_validate(Path(input_dir), tuple(publications))


def parse_period(period) -> Quarter | int:
    """A quarter (``"2019Q2"``, a ``Quarter``) or a year: an ``int``, a 4-digit string, or an
    object with a ``year`` that is not a quarter (the pipeline's ``Jaar``) → ``int``."""
    if isinstance(period, Quarter):
        return period
    if isinstance(period, int):
        return period
    if isinstance(period, str):
        text = period.strip()
        return int(text) if re.fullmatch(r"\d{4}", text) else Quarter.parse(text)
    if hasattr(period, "year") and not hasattr(period, "number") and not hasattr(period, "q"):
        return int(period.year)
    return parse_period(str(period))


def indeling_for(inputs: dict[str, Validated], quarter) -> Indeling:
    """R-8 and R-7: the classification of P's year (delivered, else packaged; a year without
    one raises ``MissingClassification``) with the herindelingen (delivered, else packaged)
    that lead older codes into it."""
    quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    classes = classification(with_packaged_years(inputs["gemeenten"].accepted), quarter.year)
    return Indeling(classes, inputs["herindelingen"].accepted)


def compute(inputs: dict[str, Validated], quarter, precedence: Path | None = None,
            warnings: list | None = None) -> dict[str, pd.DataFrame]:
    """The publications of ``quarter`` as long tables (one per output file). ``warnings`` (if
    given) receives the R-4/R-7 counts per date used (``Indeling.warnings``) as one frame."""
    quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    indeling = indeling_for(inputs, quarter)
    data = {name: v.accepted for name, v in inputs.items()}
    regions = region_list(indeling.classes)
    frames = {"beschut_werk": bw.build(data, quarter, regions, indeling),
              "beschut_werk_reeks": bw.build_reeks(data, quarter, regions, indeling)}
    bw.check_reeks(frames["beschut_werk"], frames["beschut_werk_reeks"], quarter)
    model = ba.Banenafspraak(data, indeling, ba.load_precedence(precedence))
    frames["banenafspraak_trend"], frames["banenafspraak_reeks"] = ba.build_trend(model, data, quarter, regions)
    frames["factsheet"] = ba.build_factsheet(model, quarter, regions)
    frames["klantprofielen"] = ba.build_klantprofielen(model, data, quarter, regions)
    if warnings is not None:
        warnings.append(indeling.warnings())
    return frames


def write(frames: dict[str, pd.DataFrame], output_dir, inputs: dict[str, Validated] | None = None) -> list[Path]:
    """The CSV files into ``output_dir`` (and ``rejects/`` when the validated inputs are given)."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = output_dir / FILES[name]
        write_csv(frame, path)
        written.append(path)
    if inputs is not None:
        write_rejects(inputs, output_dir / "rejects")
    return written


def run(input_dir, output_dir, quarter, timings: dict | None = None, precedence: Path | None = None,
        warnings: list | None = None) -> Path:
    """All three steps; the outputs go to ``output_dir/<quarter>/`` as in the pipeline.
    ``timings`` (if given) receives seconds per step: load_validate, compute, write;
    ``warnings`` the R-4/R-7 counts per date (see ``compute``). A year without a
    classification raises ``MissingClassification`` before anything is written (R-8).
    A year instead of a quarter (``2019``, ``"2019"``) is the annual run: ``run_monitor``."""
    period = parse_period(quarter)
    if isinstance(period, int):
        return run_monitor(input_dir, output_dir, period, timings=timings, warnings=warnings)
    quarter = period
    timings = {} if timings is None else timings
    t = time.perf_counter()
    inputs = load_validate(input_dir)
    timings["load_validate"] = time.perf_counter() - t
    t = time.perf_counter()
    frames = compute(inputs, quarter, precedence, warnings)
    timings["compute"] = time.perf_counter() - t
    t = time.perf_counter()
    out = Path(output_dir) / str(quarter)
    write(frames, out, inputs)
    timings["write"] = time.perf_counter() - t
    return out


def run_monitor(input_dir, output_dir, year, timings: dict | None = None, warnings: list | None = None) -> Path:
    """The annual run (LM): ``output_dir/<year>/landelijke_monitor.csv`` and ``rejects/`` (one
    file per input the monitor reads). ``year``: an ``int`` or a 4-digit string. ``timings`` as
    in ``run``; ``warnings`` receives the LM-4 texts (a key of an earlier year used). Raises
    ``MonitorRefused`` (LM-4: no key at or before a year needed; LM-5: no payroll on
    2012-12-31 without a delivered nulmeting) before anything is written."""
    year = parse_period(year)
    if not isinstance(year, int):
        raise ValueError(f"run_monitor needs a year (e.g. 2019), not the quarter {year}")
    timings = {} if timings is None else timings
    t = time.perf_counter()
    inputs = load_validate(input_dir, ANNUAL)
    timings["load_validate"] = time.perf_counter() - t
    t = time.perf_counter()
    frame = compute_monitor(inputs, year, warnings)
    timings["compute"] = time.perf_counter() - t
    t = time.perf_counter()
    out = Path(output_dir) / str(year)
    write({"landelijke_monitor": frame}, out, inputs)
    timings["write"] = time.perf_counter() - t
    return out
