"""Doelgroep banenafspraak: BA-1 … BA-7, for many peildata in one pass.

The trendrapportage needs every quarter since the nulmeting (TR-6), the factsheet needs P
and P-1q (FS-2), the nulmeting may be computed at 2012-12-31 (TR-3). Rather than running the
rules once per date, every measure here takes a small table of peildata and is evaluated
for all of them at once: one scan of the register, the payroll and the BRP, however many
quarters are shown.

Hours are kept exact: ``uren12`` is twelve times the monthly hours (T-4: maand ×12,
vierweken ×13, kwartaal ×4, halfjaar ×2, jaar ×1 — integers, so decimal hours stay exact
decimals). Banen = Σ monthly hours / 110.92 = Σ uren12 / 1331.04 (BA-5) is computed only on
the aggregated sums, outside the engine, with Python's ``Decimal``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from regiorapportage.errors import UserError
from regiorapportage.measures.doelgroep import (  # noqa: F401 (the BA rules, shared with the monitor)
    JAN1_GRONDSLAGEN,
    OVERHEID_SECTORS,
    QUOTUMGROEP_FROM,
    UREN12_FACTOR,
    UREN12_PER_BAAN,
    UREN_PER_BAAN_PER_MAAND,
    aow_table,
    employer_sector,
    peildata_table,
    period_hours,
    stale_registrations,
    to_banen,
    valid_registrations,
)
from regiorapportage.measures.region import regions_on
from regiorapportage.quarter import Quarter
from regiorapportage.sources.schema import GRONDSLAGEN

# TR-3: the nulmeting is the number of banen on 1 January 2013 (``NULMETING_DATUM``, as
# published), measured on the peildatum 31 December 2012; the time series starts in that
# quarter (TR-6).
NULMETING_DATUM = date(2013, 1, 1)
NULMETING_PEILDATUM = date(2012, 12, 31)
NULMETING_KWARTAAL = Quarter(2012, 4)

CATEGORIES = ("wsw_wiw", "wajong", "doelgroep_pw")
PRAKTIJKROUTE = "praktijkroute"  # FS-4
PRAKTIJKROUTE_GRONDSLAG = "verminderde_loonwaarde"
SECTORS = ("markt", "overheid", "onbekend")


# --------------------------------------------------------------------------- rule tables


@dataclass(frozen=True)
class Precedence:
    """BA-7: grondslag → (rank, category). First match (lowest rank) wins. Data, not code."""

    rows: tuple[tuple[int, str, str], ...]
    source: str

    def rank_table(self) -> ir.Table:
        ranks = sorted({(r, c) for r, _, c in self.rows})
        return ibis.memtable(
            pa.table({"rang": pa.array([r for r, _ in ranks], pa.int64()), "categorie": [c for _, c in ranks]})
        )

    def table(self) -> ir.Table:
        return ibis.memtable(
            pa.table(
                {
                    "grondslag": [g for _, g, _ in self.rows],
                    "rang": pa.array([r for r, _, _ in self.rows], pa.int64()),
                    "categorie": [c for _, _, c in self.rows],
                }
            )
        )


def _package_csv(name: str) -> Path:
    return Path(str(resources.files("regiorapportage") / "data" / name))


def load_precedence(path: Path | None = None) -> Precedence:
    """Read the BA-7 precedence table (columns ``rang, grondslag, categorie``); by default
    the one shipped with the package. Every grondslag must appear exactly once and every
    category must be one of the factsheet's (FS-1)."""
    path = Path(path) if path else _package_csv("categorie_voorrang.csv")
    shown = path.name
    try:
        with open(path, encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
    except OSError as e:
        raise UserError(f"voorrangstabel categorieën {path} kan niet gelezen worden: {e.strerror}") from None
    rows = []
    for i, rec in enumerate(records, start=2):
        try:
            rank, grondslag, categorie = int(rec["rang"]), rec["grondslag"].strip(), rec["categorie"].strip()
        except (KeyError, TypeError, ValueError, AttributeError):
            raise UserError(
                f"{shown} regel {i}: verwacht kolommen rang (geheel getal), grondslag, categorie (BA-7)"
            ) from None
        if grondslag not in GRONDSLAGEN:
            raise UserError(f"{shown} regel {i}: onbekende grondslag '{grondslag}'; kies uit {', '.join(GRONDSLAGEN)}")
        if categorie not in CATEGORIES:
            raise UserError(f"{shown} regel {i}: onbekende categorie '{categorie}'; kies uit {', '.join(CATEGORIES)}")
        rows.append((rank, grondslag, categorie))
    by_rank: dict[int, set[str]] = {}
    for rank, _, categorie in rows:
        by_rank.setdefault(rank, set()).add(categorie)
    mixed = sorted(r for r, cats in by_rank.items() if len(cats) > 1)
    if mixed:
        raise UserError(
            f"{shown}: grondslagen met dezelfde rang moeten dezelfde categorie hebben (BA-7); rang {mixed[0]} "
            f"heeft {', '.join(sorted(by_rank[mixed[0]]))}"
        )
    named = [g for _, g, _ in rows]
    missing = [g for g in GRONDSLAGEN if g not in named]
    double = sorted({g for g in named if named.count(g) > 1})
    if missing or double:
        raise UserError(
            f"{shown}: elke grondslag moet precies één keer voorkomen (BA-7); "
            + (f"ontbreekt: {', '.join(missing)}" if missing else f"dubbel: {', '.join(double)}")
        )
    return Precedence(tuple(sorted(rows, key=lambda r: (r[0], r[1]))), str(path))


def categorize(valid: ir.Table, precedence: Precedence) -> ir.Table:
    """BA-3 and BA-7: the doelgroep on each peildatum — one row per person with at least
    one valid registration — with their category: that of the first match (lowest rank) in
    the precedence table. Returns ``peildatum, persoon_id, categorie``."""
    ranked = valid.join(precedence.table(), "grondslag")
    best = ranked.group_by(["peildatum", "persoon_id"]).aggregate(rang=ranked.rang.min())
    ranks = precedence.rank_table()
    return best.join(ranks, "rang").select("peildatum", "persoon_id", "categorie")


def inflow_groups(valid: ir.Table, precedence: Precedence) -> ir.Table:
    """FS-4: the inflow group of each person on one peildatum: their BA-7 category, or
    ``praktijkroute`` when their earliest-starting valid registration is
    ``verminderde_loonwaarde`` (ties on the start date: precedence, then registratie_id).
    ``valid`` holds the valid registrations on that one day. Returns ``persoon_id,
    instroom_groep``."""
    ranked = valid.join(precedence.table(), "grondslag")
    by_start = ibis.row_number().over(
        group_by="persoon_id", order_by=[ranked.begindatum, ranked.rang, ranked.registratie_id]
    )
    first = ranked.mutate(_by_start=by_start)
    first = first.filter(first._by_start == 0).select(
        "persoon_id", praktijkroute=first.grondslag == PRAKTIJKROUTE_GRONDSLAG
    )
    category = categorize(valid, precedence)
    both = category.join(first, "persoon_id")
    return both.select(
        "persoon_id",
        instroom_groep=ibis.ifelse(both.praktijkroute, ibis.literal(PRAKTIJKROUTE), both.categorie),
    )


@dataclass
class Measured:
    """The banenafspraak measures of a report, as (materialised) Ibis tables.

    - ``personen``: one row per (peildatum, doelgroep person): ``regio_code``,
      ``gemeente_code``, ``categorie``, ``uren12`` (Σ over all their
      periods holding the peildatum, 0 when none), ``werkt`` (BA-4);
    - ``banen``: one row per (peildatum, doelgroep person, income relation) with hours:
      ``regio_code``, ``sector`` (BA-6), ``uren12``;
    - ``peildata``: the peildata evaluated.
    """

    personen: ir.Table
    banen: ir.Table
    peildata: list[date]


def measure(inputs, days: list[date], codes: ir.Table, precedence: Precedence, materialize=None) -> Measured:
    """BA-2 … BA-7 on every day of ``days``, regions in the classification of the year of
    the report's P (``codes``, R-7). ``materialize(name, expr)`` may store an intermediate
    result in the engine (DuckDB temp table, Spark cache) so that the publications of the
    quarter reuse it instead of recomputing it."""
    keep = materialize or (lambda _name, expr: expr)
    peil = peildata_table(days)
    valid = valid_registrations(inputs["doelgroepregister"], peil)
    doelgroep = keep("ba_doelgroep", categorize(valid, precedence))
    # one row per (peildatum, person) of the doelgroep, with their gemeente and region
    located = regions_on(doelgroep, inputs["brp_verblijf"], codes)

    hours = period_hours(inputs["polis_ikv"], inputs["polis_tijdvak"], peil)
    in_group = hours.join(doelgroep.select("peildatum", "persoon_id"), ["peildatum", "persoon_id"])
    jobs = keep("ba_jobs", in_group.select("peildatum", "persoon_id", "ikv_id", "werkgever_id", "uren12"))

    per_person = jobs.group_by(["peildatum", "persoon_id"]).aggregate(uren12=jobs.uren12.sum())
    personen = located.left_join(per_person, ["peildatum", "persoon_id"]).select(
        located.peildatum,
        located.persoon_id,
        located.regio_code,
        located.gemeente_code,
        located.herkomst,
        located.categorie,
        uren12=per_person.uren12.fill_null(0),
    )
    personen = keep("ba_personen", personen.mutate(werkt=personen.uren12 > 0))  # BA-4

    sectors = employer_sector(inputs["werkgever_tijdvak"], peil)
    with_sector = jobs.left_join(sectors, ["peildatum", "werkgever_id"]).select(
        jobs.peildatum, jobs.persoon_id, jobs.ikv_id, jobs.uren12, sector=sectors.sector.fill_null("onbekend")
    )
    banen = with_sector.join(personen.select("peildatum", "persoon_id", "regio_code"), ["peildatum", "persoon_id"])
    banen = keep("ba_banen", banen.select("peildatum", "persoon_id", "ikv_id", "regio_code", "sector", "uren12"))
    return Measured(personen=personen, banen=banen, peildata=sorted(set(days)))


# --------------------------------------------------------------------------- warnings (BA-3, BA-6)


def unknown_sector(banen: ir.Table, day: date) -> dict[str, int]:
    """BA-6 warning: income relations of doelgroep persons with hours on ``day`` whose
    employer has no period holding ``day`` (sector ``onbekend``)."""
    onb = banen.filter((banen.peildatum == day) & (banen.sector == "onbekend"))
    return {"inkomstenverhoudingen": int(onb.ikv_id.nunique().to_pyarrow().as_py())}
