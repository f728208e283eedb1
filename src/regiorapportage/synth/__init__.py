"""Synthetic Netherlands: input extracts for the regional reports (CONTRACT inputs).

``generate(output)`` writes ``gemeenten``, ``personen``, ``brp_verblijf``, ``adviezen``,
``polis_ikv`` and ``polis_tijdvak`` (CSV or Parquet; in Parquet the period sources are
year-partitioned folders, see :func:`generate`) plus ``bronnen.json``, and — unless
``banenafspraak=False`` — ``werkgever_tijdvak``, ``doelgroepregister``, ``klantprofielen`` and
``werkkamer_indicatie`` with the register persons added to the first four. At scale 1 the
Rapportage beschut werk 2019Q2 computed from these files (SPEC R-1…R-5, BW-1…BW-5) equals the
published report exactly, for Nederland, the 35 arbeidsmarktregio's and AM99 (``ONB`` empty).
The calibration target is package data (``synth/data/doel_beschut_werk_2019Q2.csv``); the
pipeline never reads it. The residence histories carry the gemeente codes of their dates: old
codes before each gemeentelijke herindeling (``synth/_history.py``, the package's
``data/gemeente_herindelingen.csv``), the 2019 codes from 2019-01-01.

Persons have synthetic BSNs (elfproef, from numbers never issued to real people) and
``persoon_id`` is the register's pseudonym of the BSN under the demo key
:data:`DEMO_PSEUDONIEMSLEUTEL` (DR-1; never for real data). With the banenafspraak sources the
register's decisions are written too, ``register/besluiten.csv`` (the format of
``register import``): imported and extracted on 2020-07-15 with the demo key they give the same
``doelgroepregister`` (``docs/synthetic-data.md``). The pipeline does not read that folder.

Other scales multiply every count (floor plus a seeded Bernoulli for the fraction) and add a
few persons in ``ONB`` (R-4). With ``faults=True`` a handful of rows per source break a
CONTRACT row rule (DQ-1); see :data:`FAULTS` and :func:`generate_detailed`.
"""

from __future__ import annotations

import pathlib
from typing import Callable

from regiorapportage.synth._bsn import DEMO_PSEUDONIEMSLEUTEL
from regiorapportage.synth._decisions import FILE as DECISIONS_FILE
from regiorapportage.synth._decisions import FOLDER as DECISIONS_FOLDER
from regiorapportage.synth._faults import FAULTS, RULES, FaultSpec, InjectedFault, copies_for, faults_for
from regiorapportage.synth._generate import (
    BA_SOURCES, BW_SOURCES, EXTRACTIEDATUM_LATE, FORMATS, PARTITIONS, SOURCES, SynthResult, generate_detailed,
)

__all__ = [
    "BA_SOURCES", "BW_SOURCES", "DECISIONS_FILE", "DECISIONS_FOLDER", "DEMO_PSEUDONIEMSLEUTEL",
    "EXTRACTIEDATUM_LATE", "FAULTS", "FORMATS", "RULES", "SOURCES", "FaultSpec", "InjectedFault", "PARTITIONS",
    "SynthResult", "copies_for", "faults_for", "generate", "generate_detailed",
]


def generate(
    output: pathlib.Path,
    scale: float = 1.0,
    seed: int = 2019,
    fmt: str = "csv",
    faults: bool = True,
    progress: Callable[[str], None] | None = None,
    banenafspraak: bool = True,
    nulmeting: bool = False,
    partition: bool = True,
    herindelingen: bool = True,
) -> dict[str, int]:
    """Write a synthetic Netherlands into ``output`` and return the rows written per source
    (including injected faulty rows).

    Deterministic: the same (scale, seed, fmt) give byte-identical files. ``fmt`` is ``"csv"``
    or ``"parquet"`` (ValueError otherwise). The data with ``faults=True`` is the data with
    ``faults=False`` plus the injected rows.

    ``banenafspraak=False`` writes only the six beschut werk sources (byte-identical to the
    generator before the banenafspraak sources were added); by default the banenafspraak
    sources are written too (see ``docs/synthetic-data.md``). ``nulmeting=True`` also writes
    the optional ``nulmeting`` input, computed from the generated 2012 data (TR-3).

    With ``fmt="parquet"`` the two large period sources (:data:`PARTITIONS`: ``polis_tijdvak``,
    ``werkgever_tijdvak``) are written as Hive-partitioned datasets by the year of
    ``tijdvak_begin`` (``polis_tijdvak/jaar=2019/part-0.parquet``; a null date would go to
    ``jaar=__HIVE_DEFAULT_PARTITION__``, which sorts last); ``partition=False`` writes them as
    single files like the other sources. CSV is never partitioned. A file or dataset folder of
    the same source from an earlier generation (either format) is removed first.

    The residence histories are recorded as the BRP does across the gemeentelijke
    herindelingen from 2012 to the extract date: a record that spans a herindeling is split
    (old code up to the day before, new code from the date), and persons carry their former
    gemeente's code before it (``docs/synthetic-data.md``). ``herindelingen=False`` uses the
    2019 codes on every date instead.
    """
    return generate_detailed(output, scale=scale, seed=seed, fmt=fmt, faults=faults, progress=progress,
                             banenafspraak=banenafspraak, nulmeting=nulmeting, partition=partition,
                             herindelingen=herindelingen).rows
