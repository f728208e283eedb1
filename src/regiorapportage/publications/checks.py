"""What the consistency checks of every publication share: rows add up to their totaal,
Nederland is the sum of the regions, AM99 and ONB (R-5), and the error that lists every
violation. Each publication's own checks (BW-6, FS-3, the banen identity, …) are in its
package; they run on every run before anything is written.

A violation means the system computed something impossible — a bug, not bad input — and
stops the run with every violation listed."""

from __future__ import annotations

import pandas as pd

from regiorapportage.errors import ConsistencyError
from regiorapportage.measures.region import NEDERLAND


def cell_map(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], object]:
    return {
        (r, t, rij, k): v
        for r, t, rij, k, v in frame[["regio_code", "tabel", "rij", "kolom", "waarde"]].itertuples(index=False, name=None)
    }


def n(value):
    """An empty cell (not computable, e.g. no nulmeting) adds nothing."""
    return 0 if value is None else value


def detail_rows(vocabulary, tables: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    """The rows of each table (of ``tables``, default every one with a ``totaal`` row) that
    add up to its ``totaal``, from the vocabulary: a row added there is checked too."""
    return {
        t.tabel: [r for r in t.row_codes if r != "totaal"]
        for t in vocabulary.tables
        if "totaal" in t.row_codes and (tables is None or t.tabel in tables)
    }


def rows_add_up(frame: pd.DataFrame, tables: dict[str, list[str]], percentages: set[tuple[str, str]]) -> list[str]:
    """Every column that is not a percentage (``percentages``: (tabel, kolom)): the detail
    rows add up to ``totaal``."""
    cells = cell_map(frame)
    problems = []
    for (region, table, row, col), value in cells.items():
        if row != "totaal" or table not in tables or (table, col) in percentages:
            continue
        parts = [cells[(region, table, r, col)] for r in tables[table]]
        if value is None and all(p is None for p in parts):
            continue
        if sum(n(p) for p in parts) != n(value):
            problems.append(f"{region} {table}.{col}: {' + '.join(map(str, parts))} ≠ totaal {value}")
    return problems


def nederland_is_sum(frame: pd.DataFrame, percentages: set[tuple[str, str]]) -> list[str]:
    """R-5: for every count (not the ``percentages``), NL01 = Σ 35 regions + AM99 + ONB."""
    nl: dict[tuple[str, str, str], object] = {}
    rest: dict[tuple[str, str, str], object] = {}
    for (region, table, row, col), value in cell_map(frame).items():
        if (table, col) in percentages:
            continue
        key = (table, row, col)
        if region == NEDERLAND:
            nl[key] = n(value)
        else:
            rest[key] = rest.get(key, 0) + n(value)
    return [
        f"R-5 {t}.{r}.{k}: Nederland {nl.get((t, r, k), 0)} ≠ som regio's {rest.get((t, r, k), 0)}"
        for (t, r, k) in sorted(set(nl) | set(rest))
        if nl.get((t, r, k), 0) != rest.get((t, r, k), 0)
    ]


def raise_if(problems: list[str], what: str, rules: str) -> None:
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … en nog {len(problems) - 20}" if len(problems) > 20 else ""
        raise ConsistencyError(f"{what} is niet consistent ({rules}):\n  {shown}{more}")


