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
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from . import banenafspraak as ba
from . import beschut_werk as bw
from .common import Indeling, MissingClassification, Quarter, classification, region_list
from .output import write_csv
from .validate import Validated, with_packaged_years, write_rejects
from .validate import load_validate as _load_validate

__all__ = ["load_validate", "compute", "write", "run", "Quarter", "MissingClassification"]

FILES = {
    "beschut_werk": "beschut_werk.csv",
    "beschut_werk_reeks": "beschut_werk_reeks.csv",
    "banenafspraak_trend": "banenafspraak_trend.csv",
    "banenafspraak_reeks": "banenafspraak_reeks.csv",
    "factsheet": "factsheet.csv",
    "klantprofielen": "klantprofielen.csv",
}


def load_validate(input_dir) -> dict[str, Validated]:
    """DQ-1/DQ-2 on every input of the four publications; ``inputs[name].accepted`` holds the
    accepted rows, ``inputs[name].rejects`` the rejected ones with rule and reason."""
    return _load_validate(Path(input_dir))


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
    classification raises ``MissingClassification`` before anything is written (R-8)."""
    quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
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
