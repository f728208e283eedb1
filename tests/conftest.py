"""Shared fixtures: small hand-made input folders.

``write_inputs(folder, personen=[...], adviezen=[...], ...)`` writes CONTRACT-format CSV
files from lists of dicts (missing columns are left empty), plus bronnen.json. Sources not
given are written empty (header only), except gemeenten, which defaults to the packaged
2019 classification.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from regiorapportage.sources.schema import SOURCES

EXTRACT = {"polis_ikv": "2019-10-15", "polis_tijdvak": "2019-10-15", "adviezen": "2019-10-15"}


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def write_inputs(folder: Path, extractiedatum: dict | None = None, **sources: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("personen", "brp_verblijf", "adviezen", "polis_ikv", "polis_tijdvak"):
        write_csv(folder / f"{name}.csv", SOURCES[name].column_names, sources.get(name, []))
    if "gemeenten" in sources:
        write_csv(folder / "gemeenten.csv", SOURCES["gemeenten"].column_names, sources["gemeenten"])
    (folder / "bronnen.json").write_text(json.dumps({"extractiedatum": extractiedatum or EXTRACT}))
    return folder


@pytest.fixture
def inputs_dir(tmp_path):
    def make(**sources):
        return write_inputs(tmp_path / "invoer", **sources)

    return make
