"""The run context handed to the publications, and the one notice type of a run.

A :class:`RunContext` holds what every publication of a run reads — the engine, the
validated inputs, the quarter, the regions of its classification and the run's options — and
collects what they report: notices (the manifest's ``waarschuwingen``) and facts for the
renderings (``meta``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from regiorapportage import engine
from regiorapportage.quarter import Quarter
from regiorapportage.render.formatting import format_number


@dataclass
class Notice:
    """A data-quality warning or remark of a run (DQ-3, R-4, T-5, TR-3, …), with a count and
    optional details; listed in the manifest and the run's summary."""

    regel: str
    melding: str
    aantal: int
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = {"regel": self.regel, "melding": self.melding, "aantal": self.aantal}
        if self.details:
            d["details"] = self.details
        return d


@dataclass
class RunContext:
    con: Any  # the Ibis backend (engine.connect)
    inputs: Any  # sources.validate.Inputs
    quarter: Quarter
    regions: list[tuple[str, str]]  # (code, naam): NL01, the year's AMxx, ONB
    options: dict[str, Any] = field(default_factory=dict)
    parsed: dict[str, Any] = field(default_factory=dict)  # options as families parsed them
    notices: list[Notice] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # facts shown in the renderings
    manifest: dict[str, Any] = field(default_factory=dict)  # entries of the manifest's "run"
    chosen: list[str] = field(default_factory=list)  # keys of the publications being made
    geography: Any = None  # geography.Geography: the classification of P's year and the R-7 map
    step: Callable[[str], None] = lambda _: None

    def notice(self, regel: str, melding: str, aantal: int, details: dict | None = None) -> None:
        self.notices.append(Notice(regel, melding, aantal, dict(details or {})))

    def unknown_regions(self, what: str, details: dict[str, int]) -> None:
        """R-4: persons without a known gemeente, or with a code the year's classification
        does not know, counted in ONB — by gemeente code in ``details``."""
        if details:
            self.notice(
                "R-4",
                f"{what}: personen zonder bekende gemeente of met een gemeentecode die niet in de indeling "
                f"{self.quarter.year} staat; geteld in ONB (Onbekend)",
                sum(details.values()),
                details,
            )

    def attribution_notices(self, what: str, *counts: pd.DataFrame) -> None:
        """R-7 and R-4 per date used (``region.attribution_counts`` frames; where frames share
        a date, the one that attributed the most persons there counts): how many persons
        reached their region through a herindeling (and of those through a split gemeente),
        and how many are in ONB on a date other than P (P has its own R-4 notice)."""
        given = [c for c in counts if c is not None and len(c)]
        if not given:
            return
        frame = pd.concat(given, ignore_index=True).fillna(0)
        frame["dag"] = [pd.Timestamp(d).date().isoformat() for d in frame["peildatum"]]
        frame = frame.sort_values(["dag", "personen"]).drop_duplicates("dag", keep="last")
        year, P = self.quarter.year, self.quarter.peildatum.isoformat()
        mapped = frame[frame["herindeling"] > 0]
        if len(mapped):
            parts = []
            for i, r in enumerate(mapped.itertuples()):
                n, split, onb = format_number(int(r.herindeling)), int(r.splitsing), format_number(int(r.onb))
                if i == 0:  # the first date in words, the others in the same order, shorter
                    who = "persoon" if int(r.herindeling) == 1 else "personen"
                    gesplitst = f" (waarvan {format_number(split)} uit een gesplitste gemeente)" if split else ""
                    parts.append(f"{r.dag}: {n} {who} via herindeling naar hun gemeente van {year}{gesplitst}, "
                                 f"{onb} in ONB")
                else:
                    parts.append(f"{r.dag}: {n}" + (f" ({format_number(split)})" if split else "") + f", {onb} in ONB")
            self.notice(
                "R-7",
                f"{what}: personen met de gemeentecode van vóór een herindeling, geteld in de regio van hun "
                f"gemeente van {year}; per datum: " + "; ".join(parts),
                int(mapped["herindeling"].sum()),
                {r.dag: {"via_herindeling": int(r.herindeling), "gesplitst": int(r.splitsing), "in_onb": int(r.onb)}
                 for r in frame.itertuples()},
            )
        other = frame[(frame["dag"] != P) & (frame["onb"] > 0)]
        if len(other):
            self.notice(
                "R-4",
                f"{what}: personen zonder bekende gemeente of met een gemeentecode die ook via de herindelingen niet "
                f"in de indeling {year} staat, op de andere gebruikte datums; geteld in ONB (Onbekend)",
                int(other["onb"].sum()),
                {r.dag: int(r.onb) for r in other.itertuples()},
            )

    def materialize(self, name: str, expr):
        """Keep an intermediate result in the engine (a temporary table, or Parquet on Spark)."""
        return engine.materialize(self.con, name, expr)
