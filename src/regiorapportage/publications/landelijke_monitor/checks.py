"""LM-8: the checks of every monitor run, on the exact values (uren12) before anything is
written. A violation is a bug, not bad input: the run stops with every violation listed.

- markt + overheid + onbekend = totaal, for banen (where ``totaal`` is the sum of the hours
  *before* the key, so this is also "the key moves hours and never creates or loses them")
  and for the nulmeting and extra banen;
- the inleenverband part of overheid = key × all inleenverband hours, and markt + overheid =
  all inleenverband hours;
- the series' year Y is the banen table; doel_gehaald agrees with extra banen and doel.
"""

from __future__ import annotations

import pandas as pd

from regiorapportage.measures.doelgroep import UREN12_PER_BAAN
from regiorapportage.measures.region import NEDERLAND
from regiorapportage.publications.checks import cell_map, detail_rows, raise_if, rows_add_up
from regiorapportage.publications.landelijke_monitor.vocabulary import MONITOR, SECTOREN


def monitor(frame: pd.DataFrame, year: int) -> None:
    # doel, its difference and doel_gehaald have no value for onbekend: checked below
    not_summed = {("banen", "doel"), ("banen", "verschil_met_doel"), ("banen", "doel_gehaald")}
    problems = rows_add_up(frame, detail_rows(MONITOR, ("banen", "inleenverbanden")), not_summed)
    cells = cell_map(frame)

    def v(tabel: str, rij: str, kolom: str):
        return cells[(NEDERLAND, tabel, rij, kolom)]

    targets = [v("banen", s, "doel") for s in SECTOREN]
    if v("banen", "totaal", "doel") != (None if None in targets else sum(targets)):
        problems.append(f"LM-6 doel totaal {v('banen', 'totaal', 'doel')} ≠ markt + overheid {targets}")

    aandeel = v("verdeelsleutel", "toegepast", "aandeel_overheid")
    inleen = v("inleenverbanden", "totaal", "banen")
    if v("inleenverbanden", "overheid", "banen") != aandeel * inleen:
        problems.append(
            f"LM-8 inleenverbanden overheid {v('inleenverbanden', 'overheid', 'banen')} ≠ verdeelsleutel {aandeel} × "
            f"alle inleenuren {inleen}"
        )
    for sector in (*SECTOREN, "onbekend", "totaal"):
        extra = v("banen", sector, "extra_banen")
        if extra != v("banen", sector, "banen") - v("banen", sector, "nulmeting"):
            problems.append(f"LM-6 {sector}: extra banen ≠ banen − nulmeting")
        target, met = v("banen", sector, "doel"), v("banen", sector, "doel_gehaald")
        verschil = v("banen", sector, "verschil_met_doel")
        if (target is None) != (verschil is None) or (target is not None and verschil != extra - target * UREN12_PER_BAAN):
            problems.append(f"LM-6 {sector}: verschil met doel {verschil} ≠ extra banen − doel")
        if (target is None) != (met is None) or (target is not None and met != int(extra >= target * UREN12_PER_BAAN)):
            problems.append(f"LM-6 {sector}: doel_gehaald {met} past niet bij extra banen en doel {target}")
    Y = str(year)
    if (NEDERLAND, "reeks", Y, "totaal_banen") not in cells:  # a year before 2013: no series (LM-7)
        raise_if(problems, "de Landelijke monitor banenafspraak", "LM-8")
        return
    for sector in SECTOREN:
        for kolom in ("banen", "extra_banen", "doel", "doel_gehaald"):
            if cells.get((NEDERLAND, "reeks", Y, f"{sector}_{kolom}")) != v("banen", sector, kolom):
                problems.append(f"LM-7 reeks {Y} {sector}_{kolom} ≠ tabel banen")
    for kolom in ("banen", "extra_banen"):
        if cells.get((NEDERLAND, "reeks", Y, f"totaal_{kolom}")) != v("banen", "totaal", kolom):
            problems.append(f"LM-7 reeks {Y} totaal_{kolom} ≠ tabel banen")
    raise_if(problems, "de Landelijke monitor banenafspraak", "LM-8")
