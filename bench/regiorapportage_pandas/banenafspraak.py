"""Banenafspraak: the doelgroep, working persons and banen on a peildatum (BA-2 … BA-7), and the
three publications built on them: Trendrapportage (TR), Factsheet (FS), Transparantie
klantprofielen (KP). SPEC.md sections 4–7 and docs/decisions.md ("Banenafspraak").

Hours are kept exact as integer micro-units of ``uren12`` = 12 × monthly hours (T-4: maand ×12,
vierweken ×13, kwartaal ×4, halfjaar ×2, jaar ×1), so banen = Σ uren12 / (12 × 110.92) is an
exact fraction until it is written (BA-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from .common import NL, ONB, Indeling, Quarter, covers, region_on, sort_brp
from .io import package_data
from .output import Banen, add_totals, as_cells, count_table, long_table, percentage, round_half_up, vocabulary
from .validate import MICRO

F12 = {"maand": 12, "vierweken": 13, "kwartaal": 4, "halfjaar": 2, "jaar": 1}  # T-4, × 12
UREN12_PER_BAAN = Fraction(12 * 11092, 100) * MICRO  # BA-5: 110.92 monthly hours per baan, in micro-uren12
JAN1_GRONDSLAGEN = ("wsw_begeleid_werk", "wsw_detachering", "wiw_id")  # BA-2
QUOTUMGROEP_FROM = pd.Timestamp("2018-12-01")  # BA-2, FAQ 14
NULMETING_DAY = pd.Timestamp("2012-12-31")  # TR-3
NULMETING_QUARTER = Quarter(2012, 4)  # TR-6: the series starts here at the earliest
SECTORS = ["markt", "overheid", "onbekend"]
CATEGORIES = ["wsw_wiw", "wajong", "doelgroep_pw"]
NAMED_REASONS = ["aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk"]  # FS-5

TREND_VOCAB = vocabulary(
    ("doelgroep", ["totaal"], ["personen", "werkzame_personen"]),
    ("banen", [*SECTORS, "totaal"], ["banen", "nulmeting", "extra_banen"]),
    ("indicatie_werkkamer", ["totaal"], ["extra_banen", "indicatie", "percentage_indicatie"]),
)
STROMEN = ["werkzaam_vorige_peildatum", "werkzame_instromers", "niet_werkzame_instromers", "werkzame_uitstromers",
           "niet_werkzame_uitstromers", "begonnen_met_werk", "gestopt_met_werk", "verhuisd_in_werkzaam",
           "verhuisd_uit_werkzaam", "werkzaam"]
FACTSHEET_VOCAB = vocabulary(
    ("categorie", [*CATEGORIES, "totaal"], ["personen", "werkzaam"]),
    ("stromen", STROMEN, ["personen"]),
    ("instroom_naar_grondslag", [*CATEGORIES, "praktijkroute", "totaal"], ["werkzaam", "niet_werkzaam"]),
    ("uitstroom_naar_reden", [*NAMED_REASONS, "overig", "totaal"], ["werkzaam", "niet_werkzaam"]),
)
FLAGS = ["heeft_cv", "heeft_beroep", "heeft_werkervaring"]
KP_VOCAB = vocabulary(
    ("klantprofielen", ["totaal"], ["doelgroep_zonder_werk", "met_zichtbaar_profiel", "percentage"]),
    ("volledigheid", FLAGS, ["percentage"]),
)
REEKS_KOLOMMEN = ["doelgroep_personen", "werkzame_personen", "banen", "extra_banen"]


def sector_on(werkgever_tijdvak: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """BA-6: werkgever_id → markt/overheid from the employer's period holding ``day``: overheid
    when Wfsv sector 61–66 and Ufo premium on more than half of the hours (exactly 50 % is
    markt). Employers without such a period are absent (sector ``onbekend``)."""
    wt = werkgever_tijdvak
    wt = wt[(wt["tijdvak_begin"] <= day) & (wt["tijdvak_einde"] >= day)]
    overheid = wt["sector_wfsv"].between(61, 66) & (2 * wt["uren_ufo"] > wt["uren_totaal"])
    return pd.Series(overheid.map({True: "overheid", False: "markt"}).to_numpy(), index=wt["werkgever_id"])


def banen(uren12_micro) -> Banen:
    return Banen(Fraction(int(uren12_micro)) / UREN12_PER_BAAN)


def load_precedence(path: Path | None = None) -> pd.DataFrame:
    """BA-7 as data: ``rang,grondslag,categorie`` (lower rank wins)."""
    table = pd.read_csv(path or package_data("categorie_voorrang.csv"), dtype={"grondslag": str, "categorie": str})
    return table[["rang", "grondslag", "categorie"]]


# =========================================================================== one peildatum


@dataclass
class Measured:
    """The BA rules on one day: the valid registrations, the doelgroep persons (with region,
    hours and whether they work) and the jobs (hours per income relation with its sector)."""

    day: pd.Timestamp
    registrations: pd.DataFrame  # valid on the day (BA-2), with rang/categorie (BA-7)
    persons: pd.DataFrame  # index persoon_id: regio_code, uren12, werkt
    jobs: pd.DataFrame  # persoon_id, regio_code, sector, uren12


class Banenafspraak:
    """The inputs prepared once; ``on(day)`` evaluates BA-2 … BA-7 for a peildatum (cached)."""

    def __init__(self, inputs: dict, indeling: Indeling, precedence: pd.DataFrame):
        self.inputs = inputs
        self.indeling = indeling  # P's classification, on every day measured
        self.brp = sort_brp(inputs["brp_verblijf"])
        self.register = inputs["doelgroepregister"].merge(precedence[["grondslag", "rang", "categorie"]], on="grondslag")
        self.werkgever_tijdvak = inputs["werkgever_tijdvak"]
        # payroll of register persons only, with the person and employer of each income relation
        ikv = inputs["polis_ikv"][["ikv_id", "persoon_id", "werkgever_id"]]
        ikv = ikv[ikv["persoon_id"].isin(self.register["persoon_id"])]
        tijdvak = inputs["polis_tijdvak"]
        payroll = tijdvak[["ikv_id", "tijdvak_type", "tijdvak_begin", "tijdvak_einde", "verloonde_uren"]].merge(ikv, on="ikv_id")
        # T-4: uren12 = 12 × monthly hours (exact, micro-units)
        payroll["uren12"] = payroll["verloonde_uren"].astype("int64") * payroll["tijdvak_type"].map(F12).astype("int64")
        self.payroll = payroll[["persoon_id", "werkgever_id", "tijdvak_begin", "tijdvak_einde", "uren12"]]
        self.all_tijdvak = tijdvak[["tijdvak_begin", "tijdvak_einde"]]
        self._cache: dict[pd.Timestamp, Measured] = {}

    # BA-2
    def valid_on(self, day: pd.Timestamp) -> pd.DataFrame:
        """Registrations valid on ``day``: covering it; Wsw/Wiw-ID covering 1 January of its year;
        quotumgroep only from 2018-12-01."""
        reg = self.register
        jan1 = pd.Timestamp(day.year, 1, 1)
        valid = covers(reg["begindatum"], reg["einddatum"], day).where(
            ~reg["grondslag"].isin(JAN1_GRONDSLAGEN), covers(reg["begindatum"], reg["einddatum"], jan1))
        if day < QUOTUMGROEP_FROM:
            valid &= reg["grondslag"] != "quotumgroep"
        return reg[valid]

    # BA-6
    def sector_on(self, day: pd.Timestamp) -> pd.Series:
        return sector_on(self.werkgever_tijdvak, day)

    def on(self, day: pd.Timestamp) -> Measured:
        if day not in self._cache:
            self._cache[day] = self._measure(day)
        return self._cache[day]

    def _measure(self, day: pd.Timestamp) -> Measured:
        registrations = self.valid_on(day)
        doelgroep = pd.Index(registrations["persoon_id"].unique(), name="persoon_id")  # BA-3
        regio = region_on(self.brp, self.indeling, doelgroep, day)
        # BA-4/BA-5: every payroll period holding the day (the income relation's own dates do
        # not matter; decisions.md), converted to monthly hours
        p = self.payroll
        jobs = p[(p["tijdvak_begin"] <= day) & (p["tijdvak_einde"] >= day)]
        jobs = jobs.merge(regio.rename("regio_code").reset_index(), on="persoon_id")  # doelgroep persons only
        jobs = jobs.assign(sector=jobs["werkgever_id"].map(self.sector_on(day)).astype("str").fillna("onbekend"))
        uren12 = jobs.groupby("persoon_id")["uren12"].sum().reindex(doelgroep, fill_value=0)
        persons = pd.DataFrame({"regio_code": regio, "uren12": uren12, "werkt": uren12 > 0})
        return Measured(day, registrations, persons, jobs[["persoon_id", "regio_code", "sector", "uren12"]])

    # TR-6
    def series_for(self, quarter: Quarter) -> list[Quarter]:
        """From 2012Q4, or from the first quarter the payroll covers (the quarter of its earliest
        period) when that is later, up to Q. Without any payroll: Q alone."""
        if len(self.all_tijdvak) == 0:
            return [quarter]
        start = max(NULMETING_QUARTER, Quarter.of(self.all_tijdvak["tijdvak_begin"].min()))
        start = min(start, quarter)
        out, q = [], start
        while q <= quarter:
            out.append(q)
            q = q.next
        return out

    def payroll_holds(self, day: pd.Timestamp) -> bool:
        t = self.all_tijdvak
        return bool(((t["tijdvak_begin"] <= day) & (t["tijdvak_einde"] >= day)).any())


# =========================================================================== trend (TR)


def banen_per_sector(m: Measured) -> dict[tuple[str, str], int]:
    """{(regio_code, sector): Σ uren12} incl. ``totaal`` and Nederland (BA-5, BA-6, R-5)."""
    agg = m.jobs.groupby(["regio_code", "sector"], as_index=False)["uren12"].sum()
    agg = agg.rename(columns={"sector": "kolom", "uren12": "waarde"}).assign(rij="banen")
    table = add_totals(agg, row_total=False, col_total=True)
    return {(r, k): int(v) for r, k, v in table[["regio_code", "kolom", "waarde"]].itertuples(index=False)}


def doelgroep_counts(m: Measured) -> dict[tuple[str, str], int]:
    """{(regio_code, personen|werkzame_personen): count} incl. Nederland (TR-1)."""
    per = m.persons.groupby("regio_code").agg(personen=("werkt", "size"), werkzame_personen=("werkt", "sum"))
    out = {}
    for code, row in per.iterrows():
        for k in ("personen", "werkzame_personen"):
            out[(code, k)] = int(row[k])
            out[(NL, k)] = out.get((NL, k), 0) + int(row[k])
    return out


def nulmeting(ba: Banenafspraak, inputs: dict, regions: pd.DataFrame) -> dict[tuple[str, str], Banen] | None:
    """TR-3: {(regio_code, sector|totaal): banen} from the ``nulmeting`` input when given (codes
    outside the classification count in ONB; no ``onbekend`` sector; Nederland and totals are
    sums); otherwise computed by BA-5/BA-6 at 2012-12-31 when a payroll period holds that day;
    otherwise None (empty cells)."""
    if "nulmeting" in inputs:
        rows = inputs["nulmeting"]
        code = rows["arbeidsmarktregio_code"].where(rows["arbeidsmarktregio_code"].isin(regions["regio_code"]), ONB)
        agg = rows.assign(regio_code=code, rij="banen", kolom=rows["sector"], waarde=rows["banen"].astype("int64"))
        table = add_totals(agg[["regio_code", "rij", "kolom", "waarde"]], row_total=False, col_total=True)
        return {(r, k): Banen(Fraction(int(v), MICRO)) for r, k, v in table[["regio_code", "kolom", "waarde"]].itertuples(index=False)}
    if ba.payroll_holds(NULMETING_DAY):
        return {key: banen(v) for key, v in banen_per_sector(ba.on(NULMETING_DAY)).items()}
    return None


def werkkamer(inputs: dict, regions: pd.DataFrame, year: int) -> dict[str, Fraction]:
    """TR-5: {regio_code: indication} for the year of P; Nederland is the sum of the delivered
    rows; codes outside the classification count in ONB."""
    if "werkkamer_indicatie" not in inputs:
        return {}
    rows = inputs["werkkamer_indicatie"]
    rows = rows[rows["jaar"] == year]
    code = rows["arbeidsmarktregio_code"].where(rows["arbeidsmarktregio_code"].isin(regions["regio_code"]), ONB)
    per = rows.groupby(code)["extra_banen"].sum()
    out = {c: Fraction(int(v), MICRO) for c, v in per.items()}
    if len(rows):
        out[NL] = Fraction(int(rows["extra_banen"].sum()), MICRO)
    return out


def build_trend(ba: Banenafspraak, inputs: dict, quarter: Quarter, regions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``banenafspraak_trend.csv`` (TR-1 … TR-5) and ``banenafspraak_reeks.csv`` (TR-6)."""
    base = nulmeting(ba, inputs, regions)
    indicatie = werkkamer(inputs, regions, quarter.year)
    m = ba.on(quarter.peildatum)
    counts, uren = doelgroep_counts(m), banen_per_sector(m)
    cells = {}
    for code in regions["regio_code"]:
        cells[(code, "doelgroep", "totaal", "personen")] = counts.get((code, "personen"), 0)
        cells[(code, "doelgroep", "totaal", "werkzame_personen")] = counts.get((code, "werkzame_personen"), 0)
        for sector in [*SECTORS, "totaal"]:
            b = banen(uren.get((code, sector), 0))
            n = None if base is None else base.get((code, sector), Banen(0))
            cells[(code, "banen", sector, "banen")] = b
            cells[(code, "banen", sector, "nulmeting")] = n
            cells[(code, "banen", sector, "extra_banen")] = None if n is None else Banen(b - n)  # TR-4
        extra = cells[(code, "banen", "totaal", "extra_banen")]
        ind = indicatie.get(code)
        cells[(code, "indicatie_werkkamer", "totaal", "extra_banen")] = extra
        cells[(code, "indicatie_werkkamer", "totaal", "indicatie")] = None if ind is None else Banen(ind)
        pct = None
        if extra is not None and ind:  # TR-5: empty without an indication or when it is 0
            pct = int(round_half_up(100 * Fraction(extra) / ind))
        cells[(code, "indicatie_werkkamer", "totaal", "percentage_indicatie")] = pct
    trend = long_table(regions, TREND_VOCAB, cells)

    # TR-6: every quarter of the series by the same rules on its own peildatum
    series = ba.series_for(quarter)
    reeks_cells = {}
    for q in series:
        mq = ba.on(q.peildatum)
        counts_q, uren_q = doelgroep_counts(mq), banen_per_sector(mq)
        for code in regions["regio_code"]:
            b = banen(uren_q.get((code, "totaal"), 0))
            n = None if base is None else base.get((code, "totaal"), Banen(0))
            reeks_cells[(code, "reeks", str(q), "doelgroep_personen")] = counts_q.get((code, "personen"), 0)
            reeks_cells[(code, "reeks", str(q), "werkzame_personen")] = counts_q.get((code, "werkzame_personen"), 0)
            reeks_cells[(code, "reeks", str(q), "banen")] = b
            reeks_cells[(code, "reeks", str(q), "extra_banen")] = None if n is None else Banen(b - n)
    reeks = long_table(regions, vocabulary(("reeks", [str(q) for q in series], REEKS_KOLOMMEN)), reeks_cells)
    return trend, reeks


# =========================================================================== factsheet (FS)


def build_factsheet(ba: Banenafspraak, quarter: Quarter, regions: pd.DataFrame) -> pd.DataFrame:
    """``factsheet.csv``: FS-1 categories on P, FS-2 flows between P-1q and P, FS-4 inflow by
    grondslag, FS-5 outflow by reason."""
    P, Q = quarter.peildatum, quarter.previous.peildatum
    now, before = ba.on(P), ba.on(Q)

    # BA-7: the category of the valid registration with the best (lowest) rank
    reg = now.registrations
    category = reg.sort_values("rang").drop_duplicates("persoon_id").set_index("persoon_id")["categorie"]
    # FS-4: praktijkroute when the earliest-starting valid registration (ties: rank, then
    # registratie_id) is verminderde_loonwaarde
    earliest = reg.sort_values(["begindatum", "rang", "registratie_id"]).drop_duplicates("persoon_id").set_index("persoon_id")
    instroom_group = category.where(earliest["grondslag"].reindex(category.index) != "verminderde_loonwaarde", "praktijkroute")

    both = now.persons.add_suffix("_p").join(before.persons.add_suffix("_q"), how="outer")
    in_p, in_q = both["regio_code_p"].notna(), both["regio_code_q"].notna()
    werkt_p = both["werkt_p"].fillna(False).astype(bool)
    werkt_q = both["werkt_q"].fillna(False).astype(bool)
    region_p, region_q = both["regio_code_p"], both["regio_code_q"]

    cells = {}
    # FS-1
    current = now.persons.assign(categorie=category.reindex(now.persons.index))
    current = current.assign(kolom="personen")
    categorie = pd.concat([current, current[current["werkt"]].assign(kolom="werkzaam")])
    cells.update(as_cells(count_table(categorie, "categorie", "kolom", row_total=True, col_total=False), "categorie"))

    # FS-2: each flow counted in the region named by the rule
    stay = in_p & in_q
    same = stay & (region_p == region_q)
    flows = [
        ("werkzaam_vorige_peildatum", in_q & werkt_q, region_q),
        ("werkzame_instromers", in_p & ~in_q & werkt_p, region_p),
        ("niet_werkzame_instromers", in_p & ~in_q & ~werkt_p, region_p),
        ("werkzame_uitstromers", in_q & ~in_p & werkt_q, region_q),
        ("niet_werkzame_uitstromers", in_q & ~in_p & ~werkt_q, region_q),
        ("begonnen_met_werk", same & ~werkt_q & werkt_p, region_p),
        ("gestopt_met_werk", same & werkt_q & ~werkt_p, region_p),
        ("verhuisd_in_werkzaam", stay & ~same & werkt_p, region_p),
        ("verhuisd_uit_werkzaam", stay & ~same & werkt_q, region_q),
        ("werkzaam", in_p & werkt_p, region_p),
    ]
    stromen = pd.concat([pd.DataFrame({"regio_code": region[mask], "rij": rij, "kolom": "personen"}) for rij, mask, region in flows])
    cells.update(as_cells(count_table(stromen, "rij", "kolom", row_total=False, col_total=False), "stromen"))

    # FS-4: instromers (region on P) by group, working on P or not
    instromers = both[in_p & ~in_q]
    instroom = pd.DataFrame({
        "regio_code": instromers["regio_code_p"],
        "groep": instroom_group.reindex(instromers.index),
        "kolom": werkt_p[instromers.index].map({True: "werkzaam", False: "niet_werkzaam"}),
    })
    cells.update(as_cells(count_table(instroom, "groep", "kolom", row_total=True, col_total=False), "instroom_naar_grondslag"))

    # FS-5: uitstromers (region on P-1q) by the einde_reden of the registration that ended last
    # (latest einddatum on or before P; ties: the highest registratie_id), working on P-1q or not
    uitstromers = both[in_q & ~in_p]
    register = ba.register
    ended = register[register["einddatum"].notna() & (register["einddatum"] <= P) & register["persoon_id"].isin(uitstromers.index)]
    last = ended.sort_values(["persoon_id", "einddatum", "registratie_id"]).drop_duplicates("persoon_id", keep="last")
    reason = last.set_index("persoon_id")["einde_reden"].reindex(uitstromers.index)
    reason = reason.where(reason.isin(NAMED_REASONS), "overig")
    uitstroom = pd.DataFrame({
        "regio_code": uitstromers["regio_code_q"],
        "reden": reason,
        "kolom": werkt_q[uitstromers.index].map({True: "werkzaam", False: "niet_werkzaam"}),
    })
    cells.update(as_cells(count_table(uitstroom, "reden", "kolom", row_total=True, col_total=False), "uitstroom_naar_reden"))
    return long_table(regions, FACTSHEET_VOCAB, cells, default=0)


# =========================================================================== klantprofielen (KP)


def build_klantprofielen(ba: Banenafspraak, inputs: dict, quarter: Quarter, regions: pd.DataFrame) -> pd.DataFrame:
    """``klantprofielen.csv``: KP-1 doelgroep persons without work on P and those with a visible
    profile covering P; KP-2 the share of those with each completeness flag (present when any
    visible profile has it true; empty = absent)."""
    P = quarter.peildatum
    m = ba.on(P)
    zonder_werk = m.persons[~m.persons["werkt"]]
    profiles = inputs["klantprofielen"]
    visible = profiles[covers(profiles["begindatum"], profiles["einddatum"], P) & profiles["zichtbaar"].fillna(False)]
    visible = visible[visible["persoon_id"].isin(zonder_werk.index)]
    flags = visible[FLAGS].fillna(False).astype(bool).groupby(visible["persoon_id"]).any()
    per_person = zonder_werk[["regio_code"]].join(flags, how="left")
    per_person["zichtbaar"] = per_person.index.isin(flags.index)
    per_person[FLAGS] = per_person[FLAGS].fillna(False).astype(bool)

    counts = per_person.groupby("regio_code").agg(
        doelgroep_zonder_werk=("zichtbaar", "size"), met_zichtbaar_profiel=("zichtbaar", "sum"),
        **{f: (f, "sum") for f in FLAGS})
    counts.loc[NL] = counts.sum()
    cells = {}
    for code, row in counts.iterrows():
        z, v = int(row["doelgroep_zonder_werk"]), int(row["met_zichtbaar_profiel"])
        cells[(code, "klantprofielen", "totaal", "doelgroep_zonder_werk")] = z
        cells[(code, "klantprofielen", "totaal", "met_zichtbaar_profiel")] = v
        cells[(code, "klantprofielen", "totaal", "percentage")] = percentage(v, z)
        for f in FLAGS:
            cells[(code, "volledigheid", f, "percentage")] = percentage(int(row[f]), v)
    return long_table(regions, KP_VOCAB, cells, default=0)
