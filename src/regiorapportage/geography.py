"""The regions of a run (R-2, R-7, R-8): the classification of P's year — delivered in
``gemeenten``, or shipped with the package (2016, 2019, 2026) — and the small map from every
gemeente code that leads to it, old codes followed through the gemeentelijke herindelingen.

These tables have a few hundred rows (a classification, the 110 herindelingen), so they are
made here in Python once per run and handed to the engine as one small table
(``Geography.codes``); the attribution of persons to regions is Ibis
(``measures/region.py``), on both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from regiorapportage.measures.region import HERINDELING, SPLITSING, classification

# the CBS classifications the package ships (package data, docs/contract.md)
PACKAGED_YEARS = (2016, 2019, 2026)


def _data_file(name: str):
    return resources.files("regiorapportage").joinpath("data", name)


def packaged_classifications() -> pd.DataFrame:
    """R-8: the shipped classifications (``jaar, gemeente_code, gemeente_naam,
    arbeidsmarktregio_code, arbeidsmarktregio_naam``), every year."""
    frames = [
        pd.read_csv(_data_file(f"gemeenten_{year}.csv").open(encoding="utf-8"), dtype=str, keep_default_na=False)
        for year in PACKAGED_YEARS
    ]
    out = pd.concat(frames, ignore_index=True)
    out["jaar"] = out["jaar"].astype("int64")
    return out


def herindelingen(table: ir.Table) -> pd.DataFrame:
    """R-7: the validated herindelingen (delivered, or the packaged table) — a hundred-odd
    rows, so they leave the engine to build the region map."""
    out = table.select("datum", "oude_code", "nieuwe_code", "aandeel").to_pandas()
    out["datum"] = [pd.Timestamp(d).date() for d in out["datum"]]
    out["aandeel"] = [None if v is None or v != v else v for v in out["aandeel"]]
    return out


def available_years(gemeenten: ir.Table) -> list[int]:
    return sorted(gemeenten.select("jaar").distinct().to_pyarrow().column("jaar").to_pylist())


def successors(herindelingen: pd.DataFrame) -> dict[str, tuple[str, bool]]:
    """R-7: each dissolved gemeente code → (the code it became, whether it was split). A
    split takes the successor with the largest ``aandeel``; an empty share ranks below any
    given one, ties take the lowest code (*decision*: addresses are not delivered)."""
    out: dict[str, tuple[str, bool]] = {}
    for old, rows in herindelingen.groupby("oude_code", sort=True):
        # the latest change of a code, should a code ever be changed twice
        last = rows[rows["datum"] == rows["datum"].max()]
        ranked = sorted(
            {(r.nieuwe_code, r.aandeel) for r in last.itertuples()},
            key=lambda x: (x[1] is None, -(x[1] or 0), x[0]),
        )
        out[str(old)] = (ranked[0][0], len({code for code, _ in ranked}) > 1)
    return out


@dataclass
class Geography:
    """The regions of a run (R-2, R-7, R-8): the classification of P's year as a table and
    the small map every gemeente code of a report's dates is joined to."""

    year: int
    classes: pd.DataFrame  # regio_code, regio_naam, gemeente_code of P's year
    codes: ir.Table  # gemeente_code, regio_code, herkomst (null, herindeling, splitsing)


def region_map(classes: pd.DataFrame, herindelingen: pd.DataFrame) -> pd.DataFrame:
    """R-7 as a table: every code of the classification (``herkomst`` empty), and every
    older code followed through the herindelingen, step by step, to a code of the
    classification (``herkomst`` herindeling, or splitsing when a split was on the way).
    Codes that lead nowhere in the classification are left out: they go to ONB (R-4)."""
    regio = dict(zip(classes["gemeente_code"], classes["regio_code"]))
    rows = [(code, r, None) for code, r in sorted(regio.items())]
    follow = successors(herindelingen)
    for old in sorted(follow):
        if old in regio:
            continue
        code, split, seen = old, False, {old}
        while code not in regio and code in follow:
            code, was_split = follow[code]
            split = split or was_split
            if code in seen:  # a cycle in a delivered table: no successor
                break
            seen.add(code)
        if code in regio:
            rows.append((old, regio[code], SPLITSING if split else HERINDELING))
    return pd.DataFrame(rows, columns=["gemeente_code", "regio_code", "herkomst"])


def geography(gemeenten: ir.Table, herindelingen: pd.DataFrame, year: int) -> Geography:
    """R-8, R-2, R-7: the classification of ``year`` — delivered in ``gemeenten``, or else
    shipped with the package — and the map of every code that leads to it. A year with
    neither is refused before anything is written, naming the years there are."""
    delivered = available_years(gemeenten)
    if year in delivered:
        classes = classification(gemeenten, year).to_pandas()
    else:
        packaged = packaged_classifications()
        rows = packaged[packaged["jaar"] == year]
        classes = pd.DataFrame({
            "gemeente_code": rows["gemeente_code"].tolist(),
            "regio_code": rows["arbeidsmarktregio_code"].tolist(),
            "regio_naam": rows["arbeidsmarktregio_naam"].tolist(),
        })
    if classes.empty:
        from regiorapportage.errors import UserError

        shipped = ", ".join(str(y) for y in PACKAGED_YEARS)
        given = ", ".join(str(y) for y in delivered) or "geen"
        raise UserError(
            f"er is geen gemeente-indeling voor {year} (R-8): meegeleverd zijn {shipped}, in de invoer 'gemeenten' "
            f"staan {given}. Lever de CBS-indeling van {year} in gemeenten (rijen met jaar = {year}, kolommen jaar, "
            "gemeente_code, gemeente_naam, arbeidsmarktregio_code, arbeidsmarktregio_naam)."
        )
    mapped = region_map(classes, herindelingen)
    codes = ibis.memtable(
        pa.table({
            "gemeente_code": pa.array(mapped["gemeente_code"], pa.string()),
            "regio_code": pa.array(mapped["regio_code"], pa.string()),
            "herkomst": pa.array(mapped["herkomst"], pa.string()),
        })
    )
    return Geography(year, classes, codes)
