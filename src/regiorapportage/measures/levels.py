"""Aggregation at every level of a publication's cross-table, each level from the micro rows.

A publication table has dimensions (region, row, …) and totals over each of them: Nederland
over the regions, ``totaal`` over the rows. Every combination of "this dimension's value" and
"its total" is aggregated *independently* from the micro rows — never by adding up finer
cells — so that the consistency checks (rows add up to totaal; R-5 Nederland = Σ regions;
BW-6; FS-3; the banen identity) compare independently computed numbers and can actually fail.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import ibis
import ibis.expr.types as ir

Metric = Callable[[ir.Table], ir.Value]


def by_levels(
    table: ir.Table,
    dimensions: dict[str, tuple[ir.Value, str]],
    metrics: dict[str, Metric],
    fixed: tuple[str, ...] = (),
) -> ir.Table:
    """Union of the aggregates over every subset of ``dimensions``.

    ``dimensions`` maps an output column to (its value per micro row, the label of its
    total), e.g. ``{"regio_code": (t.regio_code, "NL01"), "rij": (t.categorie, "totaal")}``.
    ``fixed`` columns (e.g. ``peildatum``) are grouped on at every level and never totalled.
    Returns ``*fixed, *dimensions, *metrics``.
    """
    parts = []
    for detailed in product((True, False), repeat=len(dimensions)):
        keys = {name: table[name] for name in fixed}
        for (name, (value, total)), keep in zip(dimensions.items(), detailed):
            keys[name] = value if keep else ibis.literal(total)
        parts.append(table.group_by(**keys).aggregate(**{k: f(table) for k, f in metrics.items()}))
    return ibis.union(*parts)
