"""Landelijke monitor banenafspraak (SPEC.md §8, LM-1 … LM-8): ``landelijke_monitor.csv``.

Written from SPEC.md and CONTRACT.md, independent of the pipeline's Ibis code. National only
(``NL01``, LM-1); one measurement per peildatum 31 December:

- **LM-2** the doelgroep on P: registrations whose period covers P (T-2), for every grondslag
  (no 1-January exception for Wsw/Wiw-ID as in BA-2); ``quotumgroep`` only when P ≥ 2018-12-01;
- **BA-4/BA-5** per doelgroep person and income relation the verloonde uren of the
  ``polis_tijdvak`` period holding P, converted to monthly hours (T-4); banen = Σ / 110.92;
- **LM-3** an income relation marked ``uitzend`` or ``wsw_detachering`` in
  ``polis_ikv.inleenverband``: its hours × ``aandeel_overheid`` to overheid, the rest to markt,
  whatever the employer's sector (also without a ``werkgever_tijdvak`` period); every other
  relation follows its employer's sector on P (BA-6), ``onbekend`` without a period;
- **LM-4** the key of year Y, else of the latest earlier year (the year used is published);
  none at or before Y refuses the monitor. The inputs ``verdeelsleutel`` and
  ``banenafspraak_doelen`` replace the shipped tables whole (``validate.PACKAGED_LM``);
- **LM-5** the nulmeting per sector from ``nulmeting_landelijk`` (a sector without a row is 0,
  totaal = the sum), else LM-3 on 2012-12-31 with the key of 2012 (LM-4 applied to 2012);
  refused when no ``polis_tijdvak`` period holds 2012-12-31;
- **LM-6** extra_banen = banen − nulmeting; doel = the target of Y (markt, overheid; none for
  onbekend; totaal = markt + overheid, none when either is missing); verschil = extra − doel;
  doel_gehaald = extra ≥ doel on exact values;
- **LM-7** the series 2013 … Y, every year with its own P, key and target, the same nulmeting;
- **LM-8** checked on every run (exact): markt + overheid + onbekend = totaal for banen and the
  nulmeting; the key moves hours without creating or losing them; the inleenverband part of
  overheid = key × all inleenverband hours.

Hours stay exact: integer micro-units of ``uren12`` (12 × monthly hours, as in
``banenafspraak``); the key is an exact fraction (micro-units / 10⁶); banen are ``Fraction``s
until they are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from .banenafspraak import F12, QUOTUMGROEP_FROM, UREN12_PER_BAAN, sector_on
from .common import NL, NL_NAAM, covers
from .output import Aandeel, Banen, long_table, vocabulary
from .validate import MICRO

NULMETING_YEAR = 2012  # LM-5: the nulmeting is measured on 2012-12-31
FIRST_SERIES_YEAR = 2013  # LM-7
INLEEN = ("uitzend", "wsw_detachering")  # LM-3
SECTORS = ("markt", "overheid", "onbekend")
TARGET_SECTORS = ("markt", "overheid")  # LM-6: no target for onbekend
BANEN_KOLOMMEN = ["banen", "nulmeting", "extra_banen", "doel", "verschil_met_doel", "doel_gehaald"]
REEKS_KOLOMMEN = [f"{s}_{k}" for s in TARGET_SECTORS for k in ("banen", "extra_banen", "doel", "doel_gehaald")] + [
    "totaal_banen", "totaal_extra_banen"]
REGIONS = pd.DataFrame({"regio_code": [NL], "regio_naam": [NL_NAAM]})  # LM-1: national only


class MonitorRefused(ValueError):
    """LM-4/LM-5: the monitor cannot be made from these inputs; nothing is written."""


class MonitorInconsistent(AssertionError):
    """LM-8: a computed monitor breaks an invariant (a bug, not an input problem)."""


def peildatum(year: int) -> pd.Timestamp:
    """LM-1: P = 31 December of the year."""
    return pd.Timestamp(year, 12, 31)


def vocab(year: int) -> list[tuple[str, str, str]]:
    """CONTRACT, ``landelijke_monitor.csv``: tables banen, inleenverbanden, verdeelsleutel, reeks
    in this order, rows and columns in the contract's order, reeks rows 2013 … Y ascending."""
    return vocabulary(
        ("banen", [*SECTORS, "totaal"], BANEN_KOLOMMEN),
        ("inleenverbanden", ["markt", "overheid", "totaal"], ["banen"]),
        ("verdeelsleutel", ["toegepast"], ["jaar", "aandeel_overheid"]),
        ("reeks", [str(t) for t in range(FIRST_SERIES_YEAR, year + 1)], REEKS_KOLOMMEN),
    )


# =========================================================================== keys and targets


@dataclass(frozen=True)
class Key:
    """The verdeelsleutel applied to a year (LM-4): the year of the row used and its share."""

    jaar: int
    aandeel_overheid: Fraction  # exact, 0–1


def key_for(verdeelsleutel: pd.DataFrame, year: int, purpose: str = "") -> Key:
    """LM-4: the row of ``year``, else of the latest earlier year; none at or before it refuses."""
    rows = verdeelsleutel[verdeelsleutel["jaar"] <= year]
    if rows.empty:
        known = ", ".join(str(int(j)) for j in sorted(verdeelsleutel["jaar"].unique())) or "geen"
        raise MonitorRefused(
            f"geen verdeelsleutel voor {year} of een eerder jaar{purpose} (LM-4): bekende jaren zijn {known}; "
            f"lever de invoer verdeelsleutel (jaar, aandeel_overheid) met een jaar tot en met {year}")
    row = rows.loc[rows["jaar"].idxmax()]  # jaar is a key (DQ-2.dubbel): one row per year
    return Key(int(row["jaar"]), Fraction(int(row["aandeel_overheid"]), MICRO))


def targets_for(doelen: pd.DataFrame, year: int) -> dict[str, int]:
    """LM-6: {sector: cumulative target of extra banen} for ``year`` (only the sectors given)."""
    rows = doelen[doelen["jaar"] == year]
    return {str(s): int(v) for s, v in zip(rows["sector"], rows["extra_banen"])}


# =========================================================================== one peildatum


@dataclass(frozen=True)
class Measured:
    """LM-3 on one peildatum: exact uren12 micro-units per sector after the key, and the
    inleenverband hours (all, and their parts after the key)."""

    day: pd.Timestamp
    key: Key
    sectors: dict[str, Fraction]  # markt, overheid, onbekend, totaal (totaal counted on its own)
    inleen: dict[str, Fraction]  # markt, overheid, totaal

    def banen(self, sector: str) -> Banen:
        return Banen(self.sectors[sector] / UREN12_PER_BAAN)

    def inleen_banen(self, sector: str) -> Banen:
        return Banen(self.inleen[sector] / UREN12_PER_BAAN)


class Monitor:
    """The LM inputs prepared once (payroll of register persons with employer and inleenverband);
    ``on(year, key)`` measures one 31 December."""

    def __init__(self, data: dict[str, pd.DataFrame]):
        self.register = data["doelgroepregister"][["persoon_id", "grondslag", "begindatum", "einddatum"]]
        ikv = data["polis_ikv"][["ikv_id", "persoon_id", "werkgever_id", "inleenverband"]]
        ikv = ikv[ikv["persoon_id"].isin(self.register["persoon_id"])]
        tijdvak = data["polis_tijdvak"]
        payroll = tijdvak[["ikv_id", "tijdvak_type", "tijdvak_begin", "tijdvak_einde", "verloonde_uren"]].merge(ikv, on="ikv_id")
        # T-4: uren12 = 12 × monthly hours (exact, micro-units)
        payroll["uren12"] = payroll["verloonde_uren"].astype("int64") * payroll["tijdvak_type"].map(F12).astype("int64")
        payroll["inleen"] = payroll["inleenverband"].isin(INLEEN)  # null was read as geen (CONTRACT)
        self.payroll = payroll[["persoon_id", "werkgever_id", "tijdvak_begin", "tijdvak_einde", "uren12", "inleen"]]
        self.werkgever_tijdvak = data["werkgever_tijdvak"]
        self.all_tijdvak = tijdvak[["tijdvak_begin", "tijdvak_einde"]]

    def doelgroep(self, day: pd.Timestamp) -> pd.Index:
        """LM-2: persons with a registration covering ``day``; quotumgroep only from 2018-12-01."""
        reg = self.register
        valid = covers(reg["begindatum"], reg["einddatum"], day)
        if day < QUOTUMGROEP_FROM:
            valid &= reg["grondslag"] != "quotumgroep"
        return pd.Index(reg.loc[valid, "persoon_id"].unique())

    def payroll_holds(self, day: pd.Timestamp) -> bool:
        """LM-5: whether any accepted payroll period holds ``day``."""
        t = self.all_tijdvak
        return bool(((t["tijdvak_begin"] <= day) & (t["tijdvak_einde"] >= day)).any())

    def on(self, day: pd.Timestamp, key: Key) -> Measured:
        p = self.payroll
        jobs = p[(p["tijdvak_begin"] <= day) & (p["tijdvak_einde"] >= day)]
        jobs = jobs[jobs["persoon_id"].isin(self.doelgroep(day))]  # BA-5: doelgroep persons only
        totaal = int(jobs["uren12"].sum())
        inleen = jobs[jobs["inleen"]]
        eigen = jobs[~jobs["inleen"]]
        sector = eigen["werkgever_id"].map(sector_on(self.werkgever_tijdvak, day)).fillna("onbekend")  # BA-6
        own = {s: int(v) for s, v in eigen["uren12"].groupby(sector.to_numpy()).sum().items()}
        hours_inleen = int(inleen["uren12"].sum())
        to_overheid = hours_inleen * key.aandeel_overheid  # LM-3, exact
        to_markt = hours_inleen - to_overheid
        sectors = {
            "markt": Fraction(own.get("markt", 0)) + to_markt,
            "overheid": Fraction(own.get("overheid", 0)) + to_overheid,
            "onbekend": Fraction(own.get("onbekend", 0)),
            "totaal": Fraction(totaal),
        }
        m = Measured(day, key, sectors,
                     {"markt": to_markt, "overheid": to_overheid, "totaal": Fraction(hours_inleen)})
        check(m, hours_inleen)
        return m


def check(m: Measured, hours_inleen: int) -> None:
    """LM-8 on one peildatum, exact."""
    s, i = m.sectors, m.inleen
    if s["markt"] + s["overheid"] + s["onbekend"] != s["totaal"]:
        raise MonitorInconsistent(f"LM-8: markt + overheid + onbekend ≠ totaal op {m.day.date()}")
    if i["markt"] + i["overheid"] != hours_inleen:
        raise MonitorInconsistent(f"LM-8: de verdeelsleutel maakt of verliest uren op {m.day.date()}")
    if i["overheid"] != m.key.aandeel_overheid * hours_inleen:
        raise MonitorInconsistent(f"LM-8: inleenverbanden overheid ≠ sleutel × alle inleenuren op {m.day.date()}")


# =========================================================================== nulmeting (LM-5)


def nulmeting(monitor: Monitor, data: dict[str, pd.DataFrame]) -> dict[str, Fraction]:
    """LM-5: {sector|totaal: banen (exact)}."""
    if "nulmeting_landelijk" in data:
        rows = data["nulmeting_landelijk"]
        given = {str(s): Fraction(int(v), MICRO) for s, v in zip(rows["sector"], rows["banen"])}
        out = {s: given.get(s, Fraction(0)) for s in SECTORS}
        out["totaal"] = sum(out.values(), Fraction(0))
        return out
    day = peildatum(NULMETING_YEAR)
    if not monitor.payroll_holds(day):
        raise MonitorRefused(
            "de polisgegevens dekken 31 december 2012 niet, dus de nulmeting kan niet worden berekend (LM-5); "
            "lever de invoer nulmeting_landelijk (sector, banen) of polisgegevens over december 2012")
    key = key_for(data["verdeelsleutel"], NULMETING_YEAR, " voor de nulmeting van 2012")
    m = monitor.on(day, key)
    out = {s: Fraction(m.banen(s)) for s in [*SECTORS, "totaal"]}
    if out["markt"] + out["overheid"] + out["onbekend"] != out["totaal"]:
        raise MonitorInconsistent("LM-8: nulmeting markt + overheid + onbekend ≠ totaal")
    return out


# =========================================================================== the publication


def _sector_cells(banen: dict[str, Fraction], base: dict[str, Fraction], targets: dict[str, int]):
    """LM-6 per sector: {sector: (banen, nulmeting, extra, doel, verschil, gehaald)}."""
    doel: dict[str, int | None] = {s: targets.get(s) for s in TARGET_SECTORS}
    doel["onbekend"] = None
    doel["totaal"] = None if None in (doel["markt"], doel["overheid"]) else doel["markt"] + doel["overheid"]
    out = {}
    for s in [*SECTORS, "totaal"]:
        extra = banen[s] - base[s]
        d = doel[s]
        out[s] = (Banen(banen[s]), Banen(base[s]), Banen(extra), d,
                  None if d is None else Banen(extra - d), None if d is None else int(extra >= d))
    return out


def compute_monitor(inputs: dict, year: int, warnings: list | None = None) -> pd.DataFrame:
    """``landelijke_monitor.csv`` of ``year`` as a long table (regio_code NL01 only).

    ``inputs``: the result of ``load_validate(input_dir, ("landelijke_monitor",))`` (``Validated``
    per source) or plain frames of accepted rows. Raises ``MonitorRefused`` (LM-4, LM-5) before
    anything is written; ``warnings`` (if given) receives one text per year whose key came
    from an earlier year (LM-4)."""
    year = int(year)
    data = {name: getattr(v, "accepted", v) for name, v in inputs.items()}
    keys, doelen = data["verdeelsleutel"], data["banenafspraak_doelen"]
    key = key_for(keys, year)  # refused first: nothing else is worth computing without it
    monitor = Monitor(data)
    base = nulmeting(monitor, data)  # LM-5 (may refuse: no payroll on 2012-12-31, no key for 2012)
    # a series year without a key at or before it (the key exists for Y): its totals are
    # measured (the share does not change them), its markt and overheid cells stay empty
    series_keys: dict[int, Key | None] = {}
    for t in range(FIRST_SERIES_YEAR, year + 1):
        try:
            series_keys[t] = key_for(keys, t, f" voor de reeks ({t})")
        except MonitorRefused:
            series_keys[t] = None
    measured = {t: monitor.on(peildatum(t), k or Key(0, Fraction(0))) for t, k in series_keys.items()}
    m = measured.get(year) or monitor.on(peildatum(year), key)
    if warnings is not None:
        for t, k in sorted({**series_keys, year: key}.items()):
            if k is None:
                warnings.append(f"verdeelsleutel {t}: geen, markt en overheid leeg (LM-4)")
            elif k.jaar != t:
                warnings.append(f"verdeelsleutel {t}: die van {k.jaar} gebruikt (LM-4)")

    cells = {}
    rows = _sector_cells({s: Fraction(m.banen(s)) for s in [*SECTORS, "totaal"]}, base, targets_for(doelen, year))
    for s, values in rows.items():
        for kolom, v in zip(BANEN_KOLOMMEN, values):
            cells[(NL, "banen", s, kolom)] = v
    for s in ("markt", "overheid", "totaal"):
        cells[(NL, "inleenverbanden", s, "banen")] = m.inleen_banen(s)
    cells[(NL, "verdeelsleutel", "toegepast", "jaar")] = key.jaar
    cells[(NL, "verdeelsleutel", "toegepast", "aandeel_overheid")] = Aandeel(key.aandeel_overheid)
    for t, mt in measured.items():  # LM-7
        rt = _sector_cells({s: Fraction(mt.banen(s)) for s in [*SECTORS, "totaal"]}, base, targets_for(doelen, t))
        for s in TARGET_SECTORS:
            b, _, extra, d, _, gehaald = rt[s]
            if series_keys[t] is None:
                b = extra = gehaald = None
            cells.update({(NL, "reeks", str(t), f"{s}_banen"): b, (NL, "reeks", str(t), f"{s}_extra_banen"): extra,
                          (NL, "reeks", str(t), f"{s}_doel"): d, (NL, "reeks", str(t), f"{s}_doel_gehaald"): gehaald})
        cells[(NL, "reeks", str(t), "totaal_banen")] = rt["totaal"][0]
        cells[(NL, "reeks", str(t), "totaal_extra_banen")] = rt["totaal"][2]
    return long_table(REGIONS, vocab(year), cells, default=None)
