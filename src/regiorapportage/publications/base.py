"""What a publication is — the interface every package under ``publications/`` implements.

A publication declares, once:

- its key (the ``--publicatie`` choice), Dutch title, short title and cadence;
- the inputs it needs (the rule families of CONTRACT.md's "required for");
- its **vocabulary**: the tables, rows and columns of each output, with their Dutch labels and
  the kind of every column (count, banen, percentage) — the long format is built from it,
  the consistency checks read the kinds from it and every rendering labels and formats
  with it;
- how it is **built** from the run context (Ibis measures → long tables + notices), and its
  consistency **checks** (run before anything is written);
- its **views** for HTML, PDF and XLSX (texts, sections, charts), which the shared page
  generator, PDF builder and workbook writer in ``render/`` call.

Publications that share intermediate results (the three banenafspraak publications evaluate
the BA rules once) belong to one :class:`Family`, which prepares those results once per run.

Nothing here names a publication; the registry (``publications/registry.py``) lists them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from regiorapportage.publications.long_format import Table
from regiorapportage.quarter import JAAR, KWARTAAL  # noqa: F401 (the cadences, re-exported)
from regiorapportage.render.formatting import STREEPJE  # noqa: F401 (the vocabulary's empty cell)

if TYPE_CHECKING:  # pragma: no cover
    from regiorapportage.context import RunContext

# Column kinds: how a value is computed, checked and shown.
AANTAL = "aantal"  # a count: whole number, Dutch thousands separator
BANEN = "banen"  # jobs: exact Decimal (uren12 until ``finish``), shown rounded half up (BA-5)
PERCENTAGE = "percentage"  # a whole percentage, shown with "%"; never summed
AANDEEL = "aandeel"  # a share 0–1 (exact Decimal), written with four decimals (LM-4)
JAARTAL = "jaartal"  # a year: a whole number shown without a thousands separator

# Cadence (``quarter.KWARTAAL``, ``quarter.JAAR``): a quarterly publication is made by ``run
# --quarter``, an annual one by ``run --jaar``; the registry offers a run only the
# publications of its cadence.

# Levels a run may be asked for (``run(level=…)``): a publication lists those it makes.
NEDERLAND = "nederland"
ARBEIDSMARKTREGIO = "arbeidsmarktregio"
GEMEENTE = "gemeente"
NIVEAUS = (NEDERLAND, ARBEIDSMARKTREGIO, GEMEENTE)

R6_REFUSAL = (
    "Er wordt niets gepubliceerd onder het niveau van een arbeidsmarktregio (R-6). Cijfers per "
    "gemeente zijn onbetrouwbaar, omdat mensen vaak buiten hun woongemeente werken (woon-werkverkeer), "
    "en kleine aantallen kunnen personen herkenbaar maken. Vraag de rapportage aan per arbeidsmarktregio."
)

TOTAAL = "totaal"


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # may hold {placeholders} filled with the quarter's dates
    kind: str = AANTAL
    nullable: bool = False  # None allowed (a value that could not be computed)


@dataclass(frozen=True)
class TableSpec:
    """One table of an output: ``tabel`` code, Dutch title, rows ``(rij code, label)`` and
    columns. ``turned``: a table of one row, shown as one line per column."""

    tabel: str
    titel: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]
    turned: bool = False

    def column(self, code: str) -> Column:
        for column in self.columns:
            if column.code == code:
                return column
        raise KeyError(code)

    @property
    def row_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.rows)

    @property
    def column_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns)

    @property
    def grid(self) -> Table:
        """The cells of this table in the long format (``long_format.grid``)."""
        return Table(self.tabel, self.row_codes, self.column_codes)


@dataclass(frozen=True)
class Vocabulary:
    """The vocabulary of one output file (CONTRACT.md): tabel × rij × kolom, labelled.

    A time series (``series``) has one table whose rows are quarters (``YYYYQn``), known
    only when it is built; its columns are declared here."""

    key: str  # key in a run's frames, stem of the CSV (and XLSX) file
    titel: str
    tables: tuple[TableSpec, ...]
    series: bool = False

    @property
    def csv(self) -> str:
        return f"{self.key}.csv"

    def table(self, tabel: str) -> TableSpec:
        for spec in self.tables:
            if spec.tabel == tabel:
                return spec
        raise KeyError(tabel)

    def column(self, tabel: str, kolom: str) -> Column:
        return self.table(tabel).column(kolom)

    def kinds(self) -> dict[tuple[str, str], str]:
        """(tabel, kolom) → kind."""
        return {(t.tabel, c.code): c.kind for t in self.tables for c in t.columns}

    def cells_of_kind(self, kind: str) -> set[tuple[str, str]]:
        return {cell for cell, k in self.kinds().items() if k == kind}

    def grids(self, rows: tuple[str, ...] | None = None) -> list[Table]:
        """The long-format grid; a table that declares no rows (a series: quarters, years)
        takes its rows from ``rows``, known only when it is built."""
        return [t.grid if t.rows else Table(t.tabel, tuple(rows or ()), t.column_codes) for t in self.tables]


class Family:
    """Publications that share intermediate results: ``prepare`` evaluates them once per
    run for the chosen members; ``close`` adds the family's notices after the members are
    built. A publication without partners is a family of one (this default)."""

    key: str = ""
    steps: int = 0  # progress steps ``prepare`` and ``close`` report
    # run options the family reads from ``RunContext.options`` and records in the manifest's
    # ``run`` section, with their value when the family is not run.
    manifest_options: ClassVar[dict[str, Any]] = {}

    def check_options(self, ctx: RunContext) -> None:
        """Validate the family's run options before any input is read (a usage error)."""

    def prepare(self, ctx: RunContext, members: list[Publication]) -> Any:
        return None

    def close(self, ctx: RunContext, prepared: Any) -> None:
        """Notices of the family as a whole, after every member is built and checked."""


class Publication(ABC):
    """One publication. Subclasses set the class attributes and implement ``build``."""

    key: str  # --publicatie choice; the key of its main output
    titel: str  # Dutch title, as published
    kort: str  # short title (links on the site's index)
    sectie: str  # id of its section on a region page
    cadence: str = KWARTAAL
    inputs: frozenset[str] = frozenset()  # rule families of CONTRACT "required for"
    outputs: tuple[Vocabulary, ...] = ()  # the main output first
    volgorde: int = 0  # place in the pages and documents (UWV publication order)
    # the levels a run of it may be asked for; the regions of the year's classification
    # are read only when a chosen publication is made per arbeidsmarktregio
    niveaus: tuple[str, ...] = (ARBEIDSMARKTREGIO,)
    steps: int = 1  # progress steps ``build`` and ``check`` report
    family: Family = Family()
    # what the site, the PDFs and the workbook show: a ``render.views.View`` subclass (the
    # default renders every table of the vocabulary)
    view_class: type | None = None

    def __init__(self) -> None:
        from regiorapportage.render.views import View

        if not self.outputs or self.outputs[0].key != self.key:
            raise TypeError(f"{type(self).__name__}: the main output (outputs[0]) must have the publication's key {self.key!r}")
        if self.family.key == "" and type(self.family) is not Family:
            raise TypeError(f"{type(self).__name__}: a family that shares results needs a key")
        self.view = (self.view_class or View)(self)

    @property
    def main(self) -> Vocabulary:
        return self.outputs[0]

    @abstractmethod
    def build(self, ctx: RunContext, prepared: Any) -> dict[str, pd.DataFrame]:
        """The long tables of every output, keyed by output key, with exact values."""

    def check(self, ctx: RunContext, frames: dict[str, pd.DataFrame]) -> None:
        """The consistency checks on the exact values; raise ``ConsistencyError``."""

    @property
    def regional(self) -> bool:
        return ARBEIDSMARKTREGIO in self.niveaus

    def refusal(self, level: str) -> str:
        """Why the publication is not made at ``level`` (a level not in ``niveaus``)."""
        if level == GEMEENTE:
            return R6_REFUSAL
        return f"{self.titel} wordt niet gemaakt op niveau '{level}'; kies uit: {', '.join(self.niveaus)}"

    def finish(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The values as published, after the checks (default: as built)."""
        return frames

    def __repr__(self) -> str:
        return f"<publicatie {self.key}>"
