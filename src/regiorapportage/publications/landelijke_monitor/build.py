"""The Landelijke monitor of year Y (LM-1 … LM-7): the key and targets of each year, the
nulmeting, the measure on every peildatum at once, and the long table of
``landelijke_monitor.csv`` with exact values.

Banen cells hold exact ``uren12`` (twelve times the monthly hours) until the publication's
``finish`` divides them by 1331.04 (BA-5); so every comparison — the checks of LM-8 and
``doel_gehaald`` (LM-6) — is on exact values: a target of ``d`` banen is ``d`` × 1331.04
uren12.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from regiorapportage.context import Notice
from regiorapportage.errors import RefusedError
from regiorapportage.measures.doelgroep import UREN12_PER_BAAN
from regiorapportage.measures.region import NEDERLAND, NEDERLAND_NAAM
from regiorapportage.publications.base import TOTAAL
from regiorapportage.publications.landelijke_monitor import measures
from regiorapportage.publications.landelijke_monitor.vocabulary import MONITOR, SECTOREN
from regiorapportage.publications.long_format import fill, grid
from regiorapportage.render.formatting import format_number

EERSTE_JAAR = 2013  # the banenafspraak starts 1 January 2013; the series starts there (LM-7)
NULMETING_JAAR = 2012
NULMETING_PEILDATUM = date(2012, 12, 31)  # LM-5
NULMETING_DATUM = date(2013, 1, 1)  # as published: the nulmeting is the situation on 1-1-2013
SECTORS = ("markt", "overheid", "onbekend")


@dataclass(frozen=True)
class Key:
    """LM-4: the verdeelsleutel applied to year ``voor``: the row of year ``jaar``."""

    voor: int
    jaar: int
    aandeel: Decimal

    @property
    def own(self) -> bool:
        return self.jaar == self.voor


@dataclass
class Monitor:
    year: int
    key: Key
    keys: dict[int, Key | None]  # Y and every year of the series (None: no key at or before it)
    targets: dict[tuple[int, str], int]  # (jaar, sector) → cumulative target (banen)
    nulmeting: dict[str, Decimal]  # sector (incl. totaal) → uren12
    nulmeting_bron: str  # invoer | berekend
    nulmeting_key: Key | None  # the key of 2012 when computed
    sums: dict[int, dict[str, Decimal]]  # year → measures.SUMS (Y and the series)
    series: list[int]  # 2013 … Y (LM-7)
    notes: list[Notice] = field(default_factory=list)


def key_for(keys: dict[int, Decimal], year: int) -> Key | None:
    """LM-4: the row of ``year``, else that of the latest earlier year; None when there is
    no row at or before ``year``."""
    earlier = [j for j in keys if j <= year]
    if not earlier:
        return None
    used = max(earlier)
    return Key(year, used, keys[used])


def _keys(inputs) -> dict[int, Decimal]:
    df = inputs["verdeelsleutel"].select("jaar", "aandeel_overheid").to_pandas()
    return {int(j): Decimal(a) for j, a in zip(df["jaar"], df["aandeel_overheid"], strict=True)}


def _targets(inputs) -> dict[tuple[int, str], int]:
    df = inputs["banenafspraak_doelen"].select("jaar", "sector", "extra_banen").to_pandas()
    return {(int(j), s): int(d) for j, s, d in zip(df["jaar"], df["sector"], df["extra_banen"], strict=True)}


def source_name(inputs, name: str) -> str:
    result = inputs.sources.get(name)
    return result.file if result is not None else name


def _years_text(years: list[int]) -> str:
    """2013, 2014, 2015 → '2013 t/m 2015'; gaps listed."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]} t/m {r[-1]}" for r in runs)


def prepare(inputs, year: int) -> Monitor:
    """LM-4, LM-5 and the measure of every year 2013 … Y (and 2012 for a computed
    nulmeting) in one pass. Refuses (nothing written) when Y has no key at or before it, or
    when the nulmeting must be computed and there is no key at or before 2012 or the payroll
    does not hold 2012-12-31. A year of the series without a key at or before it keeps its
    totals; its markt and overheid cells are empty (they cannot be divided), with a
    warning."""
    notes: list[Notice] = []
    known = _keys(inputs)
    source = source_name(inputs, "verdeelsleutel")
    years = list(range(EERSTE_JAAR, year + 1))  # empty for a year before 2013 (LM-7)
    key = key_for(known, year)
    if key is None:
        first = min(known) if known else None
        raise RefusedError(
            f"geen verdeelsleutel voor {year} of een eerder jaar in {source} (LM-4)"
            + (f"; de eerste verdeelsleutel is van {first}" if first is not None
               else "; er is geen (geaccepteerde) rij, zie rejects/verdeelsleutel.csv")
            + ". Lever een verdeelsleutel (jaar, aandeel_overheid) voor dat jaar of een eerder jaar."
        )
    keys = {t: key_for(known, t) for t in years}
    if not key.own:
        notes.append(Notice(
            "LM-4",
            f"geen verdeelsleutel voor {year}; die van {key.jaar} (aandeel overheid "
            f"{format_number(key.aandeel.normalize())}) is toegepast",
            1,
            {"jaar": year, "toegepast": key.jaar},
        ))
    borrowed = {t: k.jaar for t, k in keys.items() if k is not None and not k.own and t != year}
    if borrowed:
        notes.append(Notice(
            "LM-4",
            "reeks: jaren zonder eigen verdeelsleutel, met die van het laatste eerdere jaar: "
            + "; ".join(f"{t}: {j}" for t, j in borrowed.items()),
            len(borrowed),
            {str(t): j for t, j in borrowed.items()},
        ))
    keyless = [t for t, k in keys.items() if k is None]
    if keyless:
        notes.append(Notice(
            "LM-4",
            f"reeks: geen verdeelsleutel voor {_years_text(keyless)} of een eerder jaar in {source}; markt en overheid "
            "van die jaren zijn leeg gelaten (het totaal staat er wel)",
            len(keyless),
            {"jaren": keyless},
        ))
    keys[year] = key

    delivered = "nulmeting_landelijk" in inputs.sources
    nulmeting_key = None
    # a keyless year of the series is measured with share 0: its totals hold, its sectors are not shown
    days = {date(t, 12, 31): (k.aandeel if k is not None else Decimal(0)) for t, k in keys.items()}
    if not delivered:
        nulmeting_key = key_for(known, NULMETING_JAAR)
        if nulmeting_key is None:
            raise RefusedError(
                f"de nulmeting wordt berekend op 31 december {NULMETING_JAAR} met de verdeelsleutel van "
                f"{NULMETING_JAAR}, maar {source} heeft geen verdeelsleutel voor {NULMETING_JAAR} of eerder (LM-4, LM-5). "
                "Lever die verdeelsleutel, of lever de nulmeting zelf als invoer nulmeting_landelijk."
            )
        if not measures.covers(inputs["polis_tijdvak"], NULMETING_PEILDATUM):
            raise RefusedError(
                "geen nulmeting: er is geen invoer nulmeting_landelijk en de polisgegevens (polis_tijdvak) hebben "
                "geen tijdvak dat 31 december 2012 bevat, zodat de nulmeting niet berekend kan worden (LM-5). "
                "Lever nulmeting_landelijk (sector, banen) of polisgegevens vanaf december 2012."
            )
        if not nulmeting_key.own:
            notes.append(Notice(
                "LM-4",
                f"nulmeting: geen verdeelsleutel voor {NULMETING_JAAR}; die van {nulmeting_key.jaar} is toegepast",
                1,
                {"jaar": NULMETING_JAAR, "toegepast": nulmeting_key.jaar},
            ))
        if year == NULMETING_JAAR:  # the same day with the same key
            assert nulmeting_key == keys[year]
        days[NULMETING_PEILDATUM] = nulmeting_key.aandeel

    measured = measures.sector_hours(inputs, days).to_pandas()
    by_day = {pd.Timestamp(d).date(): row for d, row in zip(measured["peildatum"], measured.to_dict("records"), strict=True)}
    sums = {}
    for day in days:
        row = by_day.get(day, {})
        sums[day.year] = {name: Decimal(row[name]) if row.get(name) is not None else Decimal(0) for name in measures.SUMS}
    no_payroll = [t for t in years if sums[t]["voor"] == 0]
    if no_payroll:
        notes.append(Notice(
            "LM-7",
            "jaren van de reeks zonder banen van de doelgroep op 31 december (geen polistijdvak op die datum?): "
            + ", ".join(map(str, no_payroll)),
            len(no_payroll),
        ))

    onbekend = int(sums[year]["onbekend_relaties"])
    if onbekend:
        notes.append(Notice(
            "BA-6",
            f"inkomstenverhoudingen van doelgroeppersonen (geen inleenverband) bij een werkgever zonder "
            f"werkgeverstijdvak op 31 december {year}; hun banen tellen als sector 'onbekend'",
            onbekend,
        ))
    if delivered:
        df = inputs["nulmeting_landelijk"].select("sector", "banen").to_pandas()
        given = {s: Decimal(b) * UREN12_PER_BAAN for s, b in zip(df["sector"], df["banen"], strict=True)}
        absent = [s for s in SECTORS if s not in given]
        if absent:
            notes.append(Notice(
                "LM-5",
                f"nulmeting_landelijk heeft geen rij voor {', '.join(absent)}; die nulmeting is 0",
                len(absent),
            ))
        nulmeting = {s: given.get(s, Decimal(0)) for s in SECTORS}
        nulmeting[TOTAAL] = sum(nulmeting.values(), Decimal(0))
        bron = "invoer"
    else:
        s = sums[NULMETING_JAAR] if year == NULMETING_JAAR else sums.pop(NULMETING_JAAR)
        nulmeting = {"markt": s["markt"], "overheid": s["overheid"], "onbekend": s["onbekend"], TOTAAL: s["voor"]}
        bron = "berekend"
    return Monitor(year, key, keys, _targets(inputs), nulmeting, bron, nulmeting_key, sums, years, notes)


def banen_per_sector(m: Monitor, year: int) -> dict[str, Decimal]:
    """Banen (uren12) per sector after the key; ``totaal`` = the hours before the key."""
    s = m.sums[year]
    return {"markt": s["markt"], "overheid": s["overheid"], "onbekend": s["onbekend"], TOTAAL: s["voor"]}


def doel(m: Monitor, year: int, sector: str) -> int | None:
    """LM-6: the cumulative target of ``year`` for markt and overheid; none for onbekend;
    totaal = markt + overheid (none when either has none)."""
    if sector == TOTAAL:
        parts = [m.targets.get((year, s)) for s in SECTOREN]
        return None if None in parts else sum(parts)
    return m.targets.get((year, sector))


def gehaald(extra: Decimal, target: int | None) -> int | None:
    """LM-6: 1 when extra banen ≥ the target, on exact values (uren12 against target × 1331.04)."""
    if target is None:
        return None
    return 1 if extra >= target * UREN12_PER_BAAN else 0


def build(m: Monitor) -> pd.DataFrame:
    """The long table of ``landelijke_monitor.csv`` (NL01 only), exact values."""
    Y = m.year
    values: list[tuple[str, str, str, object]] = []
    banen = banen_per_sector(m, Y)
    for sector in (*SECTORS, TOTAAL):
        extra = banen[sector] - m.nulmeting[sector]
        target = doel(m, Y, sector)
        values += [
            ("banen", sector, "banen", banen[sector]),
            ("banen", sector, "nulmeting", m.nulmeting[sector]),
            ("banen", sector, "extra_banen", extra),
            ("banen", sector, "doel", target),
            ("banen", sector, "verschil_met_doel", None if target is None else extra - target * UREN12_PER_BAAN),
            ("banen", sector, "doel_gehaald", gehaald(extra, target)),
        ]
    s = m.sums[Y]
    values += [
        ("inleenverbanden", "markt", "banen", s["inleen_markt"]),
        ("inleenverbanden", "overheid", "banen", s["inleen_overheid"]),
        ("inleenverbanden", TOTAAL, "banen", s["inleen_voor"]),
        ("verdeelsleutel", "toegepast", "jaar", m.key.jaar),
        ("verdeelsleutel", "toegepast", "aandeel_overheid", m.key.aandeel),
    ]
    for t in m.series:
        b = banen_per_sector(m, t)
        divided = m.keys[t] is not None
        for sector in SECTOREN:
            extra = b[sector] - m.nulmeting[sector] if divided else None
            target = doel(m, t, sector)
            values += [
                ("reeks", str(t), f"{sector}_banen", b[sector] if divided else None),
                ("reeks", str(t), f"{sector}_extra_banen", extra),
                ("reeks", str(t), f"{sector}_doel", target),
                ("reeks", str(t), f"{sector}_doel_gehaald", gehaald(extra, target) if divided else None),
            ]
        values += [
            ("reeks", str(t), "totaal_banen", b[TOTAAL]),
            ("reeks", str(t), "totaal_extra_banen", b[TOTAAL] - m.nulmeting[TOTAAL]),
        ]
    frame = grid([(NEDERLAND, NEDERLAND_NAAM)], MONITOR.grids(tuple(str(t) for t in m.series)))
    cells = pd.DataFrame(values, columns=["tabel", "rij", "kolom", "waarde"]).assign(regio_code=NEDERLAND)
    return fill(frame, cells, exact=True)
