"""DQ-1 / DQ-2: the input contract as data, and the row rules that accept or reject each row.

Written from CONTRACT.md ("Inputs" and the row-level rules under the table) and the project's
decisions (docs/decisions.md, "Validation"):

- four stages, each seeing only the rows that passed the earlier ones: row rules, duplicate
  keys (the first occurrence is kept), overlapping payroll periods, references to *accepted*
  rows of the parent file (so a rejection cascades: ikv → its payroll periods);
- one rule per rejected row, the first it breaks, in the order of ``RULE_ORDER``;
- values must be written exactly (``JJJJ-MM-DD``, ``-?digits[.≤6 decimals]``, ``true``/``false``);
  a text of only spaces is missing.

Accepted rows come out typed: dates as ``datetime64[us]`` (NaT = open end), money and hours as
``int64`` micro-units (value × 10⁶, exact: +100.10 and −100.10 sum to exactly 0, BW-4),
whole numbers as ``int64``, flags as nullable ``boolean``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .io import StructuralError, find_source, own_data, read_extractiedatum, read_source

STR, DATE, INT, DEC, BOOL = "str", "date", "int", "dec", "bool"
MICRO = 1_000_000  # decimals are kept as integer micro-units (DECIMAL(18,6))


@dataclass
class Col:
    name: str
    kind: str = STR
    nullable: bool = False
    codes: tuple[str, ...] | None = None
    pattern: tuple[str, str] | None = None  # (regex, readable form) for DQ-2.formaat


GM = (r"GM\d{4}", "GM gevolgd door 4 cijfers")
AM = (r"AM\d{2}", "AM gevolgd door 2 cijfers")


@dataclass
class Source:
    name: str
    columns: list[Col]
    key: list[str] = field(default_factory=list)  # DQ-2.dubbel
    period: tuple[str, str] | None = None  # DQ-2.periode: (begin, end)
    overlap_by: str | None = None  # DQ-2.overlap: periods (tijdvak_begin, tijdvak_einde) per this id
    refs: dict[str, tuple[str, str]] = field(default_factory=dict)  # column → (parent source, parent key)
    optional: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


GRONDSLAGEN = ("wajong", "wsw_begeleid_werk", "wsw_detachering", "wiw_id", "indicatie_banenafspraak",
               "verminderde_loonwaarde", "quotumgroep")
EINDE_REDENEN = ("aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "uitschrijving_verzoek",
                 "bezwaar", "overig")
TIJDVAK_TYPES = ("maand", "vierweken", "kwartaal", "halfjaar", "jaar")
PERSON = {"persoon_id": ("personen", "persoon_id")}

# CONTRACT.md, the table of inputs (in an order where every parent comes before its children)
SOURCES: dict[str, Source] = {
    s.name: s
    for s in [
        Source("gemeenten", [Col("jaar", INT), Col("gemeente_code", pattern=GM), Col("gemeente_naam"),
                             Col("arbeidsmarktregio_code", pattern=AM), Col("arbeidsmarktregio_naam")],
               key=["jaar", "gemeente_code"]),
        # R-7 (CONTRACT: optional; the packaged table when not delivered). Codes are gemeente
        # codes (GM + 4 digits, as in gemeenten and brp_verblijf); aandeel 0–1 or empty. Key
        # (docs/contract.md): one row per change of a code to a successor on a date.
        Source("herindelingen", [Col("datum", DATE), Col("oude_code", pattern=GM), Col("oude_naam"),
                                 Col("nieuwe_code", pattern=GM), Col("nieuwe_naam"), Col("aandeel", DEC, True)],
               key=["datum", "oude_code", "nieuwe_code"], optional=True),
        Source("personen", [Col("persoon_id"), Col("geboortedatum", DATE), Col("overlijdensdatum", DATE, True)],
               key=["persoon_id"]),
        Source("brp_verblijf", [Col("persoon_id"), Col("gemeente_code", pattern=GM), Col("begindatum", DATE),
                                Col("einddatum", DATE, True)],
               period=("begindatum", "einddatum"), refs=PERSON),
        Source("adviezen", [Col("advies_id"), Col("persoon_id"), Col("aanvraagdatum", DATE), Col("adviesdatum", DATE),
                            Col("aanvrager", codes=("gemeente", "burger")),
                            Col("verantwoordelijke", codes=("gemeente", "uwv")),
                            Col("uitkomst", codes=("positief", "negatief")),
                            Col("gemeente_code", nullable=True, pattern=GM)],
               key=["advies_id"], refs=PERSON),
        Source("polis_ikv", [Col("ikv_id"), Col("persoon_id"), Col("werkgever_id"), Col("begindatum", DATE),
                             Col("einddatum", DATE, True),
                             Col("inleenverband", nullable=True, codes=("geen", "uitzend", "wsw_detachering"))],
               key=["ikv_id"], period=("begindatum", "einddatum"), refs=PERSON),
        Source("polis_tijdvak", [Col("ikv_id"), Col("tijdvak_type", codes=TIJDVAK_TYPES), Col("tijdvak_begin", DATE),
                                 Col("tijdvak_einde", DATE), Col("sv_loon", DEC), Col("verloonde_uren", DEC)],
               key=["ikv_id", "tijdvak_begin"], overlap_by="ikv_id", refs={"ikv_id": ("polis_ikv", "ikv_id")}),
        Source("werkgever_tijdvak", [Col("werkgever_id"), Col("tijdvak_begin", DATE), Col("tijdvak_einde", DATE),
                                     Col("sector_wfsv", INT), Col("uren_totaal", DEC), Col("uren_ufo", DEC)],
               key=["werkgever_id", "tijdvak_begin"], period=("tijdvak_begin", "tijdvak_einde"),
               overlap_by="werkgever_id"),
        Source("doelgroepregister", [Col("registratie_id"), Col("persoon_id"), Col("grondslag", codes=GRONDSLAGEN),
                                     Col("begindatum", DATE), Col("einddatum", DATE, True),
                                     Col("einde_reden", nullable=True, codes=EINDE_REDENEN)],
               key=["registratie_id"], period=("begindatum", "einddatum"), refs=PERSON),
        Source("klantprofielen", [Col("persoon_id"), Col("begindatum", DATE), Col("einddatum", DATE, True),
                                  Col("zichtbaar", BOOL), Col("heeft_cv", BOOL, True), Col("heeft_beroep", BOOL, True),
                                  Col("heeft_werkervaring", BOOL, True)],
               period=("begindatum", "einddatum"), refs=PERSON),
        Source("nulmeting", [Col("arbeidsmarktregio_code", pattern=AM), Col("sector", codes=("markt", "overheid")),
                             Col("banen", DEC)],
               key=["arbeidsmarktregio_code", "sector"], optional=True),
        Source("werkkamer_indicatie", [Col("arbeidsmarktregio_code", pattern=AM), Col("jaar", INT),
                                       Col("extra_banen", DEC)],
               key=["arbeidsmarktregio_code", "jaar"], optional=True),
        # LM (CONTRACT: optional; the package ships the known keys and the targets, LM-4). Keys:
        # one key per year, one target per year and sector, one nulmeting per sector.
        Source("verdeelsleutel", [Col("jaar", INT), Col("aandeel_overheid", DEC)], key=["jaar"], optional=True),
        Source("banenafspraak_doelen", [Col("jaar", INT), Col("sector", codes=("markt", "overheid")),
                                        Col("extra_banen", INT)],
               key=["jaar", "sector"], optional=True),
        Source("nulmeting_landelijk", [Col("sector", codes=("markt", "overheid", "onbekend")), Col("banen", DEC)],
               key=["sector"], optional=True),
    ]
}

# Which inputs each publication needs (CONTRACT.md, "required for")
NEEDED = {
    "beschut_werk": ["gemeenten", "herindelingen", "personen", "brp_verblijf", "adviezen", "polis_ikv", "polis_tijdvak"],
    "banenafspraak": ["gemeenten", "herindelingen", "personen", "brp_verblijf", "adviezen", "polis_ikv", "polis_tijdvak",
                      "werkgever_tijdvak", "doelgroepregister", "klantprofielen", "nulmeting", "werkkamer_indicatie"],
    # the annual monitor (LM): the inputs CONTRACT names for "all" and BA, and the three LM inputs
    "landelijke_monitor": ["gemeenten", "herindelingen", "personen", "brp_verblijf", "polis_ikv", "polis_tijdvak",
                           "werkgever_tijdvak", "doelgroepregister", "verdeelsleutel", "banenafspraak_doelen",
                           "nulmeting_landelijk"],
}
QUARTERLY = ("beschut_werk", "banenafspraak")

# decisions.md: the first rule a row breaks, in this order
RULE_ORDER = ["verplicht", "datum", "getal", "waar_onwaar", "code", "formaat", "periode", "advies_voor_aanvraag",
              "advies_voor_2015", "burger_voor_2017", "tijdvak", "negatieve_uren", "negatieve_banen", "sector",
              "uren_ufo", "bereik", "dubbel", "overlap", "verwijzing"]


@dataclass
class Validated:
    """One input after DQ-1: the accepted rows (typed) and the rejected rows (as read)."""

    name: str
    file: str
    read: int
    accepted: pd.DataFrame
    rejects: pd.DataFrame

    @property
    def rejected(self) -> int:
        return len(self.rejects)


# ----------------------------------------------------------------------- parsing values


def _missing(values: pd.Series) -> pd.Series:
    """A required value is missing when null or (text) only spaces."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return values.isna() | (values.astype("str").str.strip() == "")
    return values.isna()


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype("str")


def parse_date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(parsed, bad): only ``JJJJ-MM-DD`` that is a real calendar day parses."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[us]"), pd.Series(False, index=values.index)
    text = _as_text(values)
    parsed = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce")
    return parsed.astype("datetime64[us]"), values.notna() & parsed.isna()


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_integer_dtype(values):
        return values.astype("Int64"), pd.Series(False, index=values.index)
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & np.isfinite(values) & (values == values.round())
        return values.where(whole).astype("Int64"), values.notna() & ~whole
    text = _as_text(values)
    ok = text.str.fullmatch(r"-?\d{1,18}")
    return pd.to_numeric(text.where(ok)).astype("Int64"), values.notna() & ~ok


def parse_decimal(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal → int64 micro-units, exact for at most 6 decimals and 12 integer digits
    (DECIMAL(18,6)). Text must look like ``-12.50``; in Parquet NaN/∞/out of range is bad."""
    limit = 10.0**12
    if pd.api.types.is_integer_dtype(values):
        ok = values.abs() < limit
        return (values.where(ok).astype("Int64") * MICRO), values.notna() & ~ok
    if pd.api.types.is_float_dtype(values):
        ok = values.notna() & np.isfinite(values) & (values.abs() < limit)
        return pd.Series(np.rint(values.where(ok) * MICRO), index=values.index).astype("Int64"), values.notna() & ~ok
    text = _as_text(values)
    ok = text.str.fullmatch(r"-?\d{1,12}(\.\d{1,6})?")
    number = pd.to_numeric(text.where(ok))
    # a double holds 6 decimals exactly enough below 10⁹; larger values are converted digit by digit
    micro = pd.Series(np.rint(number * MICRO), index=values.index).astype("Int64")
    big = ok & (number.abs() >= 1e9)
    if big.any():
        micro[big] = [_exact_micro(t) for t in text[big]]
    return micro, values.notna() & ~ok


def _exact_micro(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * MICRO + int(frac.ljust(6, "0")))


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    text = _as_text(values)
    ok = text.isin(["true", "false"])
    return (text == "true").where(ok).astype("boolean"), values.notna() & ~ok


PARSERS = {DATE: parse_date, INT: parse_int, DEC: parse_decimal, BOOL: parse_bool}


# ----------------------------------------------------------------------- the four stages


SHAPES = {"maand": "één kalendermaand", "vierweken": "28 dagen", "kwartaal": "één kalenderkwartaal",
          "halfjaar": "een kalenderhalfjaar", "jaar": "één kalenderjaar"}


def _tijdvak_shape_ok(kind: pd.Series, begin: pd.Series, end: pd.Series) -> pd.Series:
    """T-3 (decisions.md): maand = one calendar month, kwartaal = a calendar quarter, halfjaar =
    January–June or July–December, jaar = a calendar year, vierweken = exactly 28 days."""
    whole_months = (begin.dt.day == 1) & ((end + pd.Timedelta(days=1)).dt.day == 1)
    months = (end.dt.year - begin.dt.year) * 12 + end.dt.month - begin.dt.month + 1
    first = begin.dt.month
    ok = (
        ((kind == "maand") & whole_months & (months == 1))
        | ((kind == "kwartaal") & whole_months & (months == 3) & first.isin([1, 4, 7, 10]))
        | ((kind == "halfjaar") & whole_months & (months == 6) & first.isin([1, 7]))
        | ((kind == "jaar") & whole_months & (months == 12) & (first == 1))
        | ((kind == "vierweken") & ((end - begin) == pd.Timedelta(days=27)))
    )
    return ok.fillna(False).astype(bool)


def _day(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d")


def row_rules(source: Source, raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Stage 1. Returns (typed values, rule broken or NaN, reason or NaN) per row. Reasons are
    written only for the rows that break a rule (``reason`` is a function of those rows)."""
    broken = []  # (rule, mask, reason(rows) -> Series | str)

    def fail(rule: str, mask: pd.Series, reason) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            broken.append((rule, mask, reason))

    typed = pd.DataFrame({"rij": raw["rij"]}, index=raw.index)
    for col in source.columns:
        values = raw[col.name]
        missing = _missing(values)
        if not col.nullable:
            fail("verplicht", missing, f"{col.name} ontbreekt (verplicht)")
        present = values.where(~missing)
        shown = lambda r, c=col.name: f"{c} '" + _as_text(raw.loc[r.index, c]) + "'"  # noqa: E731
        if col.kind in PARSERS:
            parsed, bad = PARSERS[col.kind](present)
            rule = {DATE: "datum", INT: "getal", DEC: "getal", BOOL: "waar_onwaar"}[col.kind]
            what = {DATE: " is geen geldige datum (JJJJ-MM-DD)", INT: " is geen geheel getal",
                    DEC: " is geen getal (met '.' als decimaalteken, hoogstens 6 decimalen)",
                    BOOL: " is geen true of false"}[col.kind]
            fail(rule, bad, lambda r, s=shown, w=what: s(r) + w)
            typed[col.name] = parsed
        else:
            typed[col.name] = present.astype("str")
            if col.codes:
                fail("code", present.notna() & ~present.isin(col.codes),
                     lambda r, s=shown, c=col.codes: s(r) + " is geen van: " + ", ".join(c))
            if col.pattern:
                ok = _as_text(present).str.fullmatch(col.pattern[0])
                fail("formaat", present.notna() & ~ok, lambda r, s=shown, p=col.pattern[1]: s(r) + f" heeft niet de vorm {p}")
    t = typed
    if source.period:
        b, e = source.period
        fail("periode", t[e] < t[b], lambda r: f"{e} " + _day(r[e]) + f" ligt voor {b} " + _day(r[b]))
    if source.name == "adviezen":
        fail("advies_voor_aanvraag", t["adviesdatum"] < t["aanvraagdatum"],
             lambda r: "adviesdatum " + _day(r["adviesdatum"]) + " ligt voor aanvraagdatum " + _day(r["aanvraagdatum"]))
        fail("advies_voor_2015", t["adviesdatum"] < pd.Timestamp("2015-01-01"),
             lambda r: "adviesdatum " + _day(r["adviesdatum"]) + " ligt voor 1 januari 2015 (start advies beschut werk)")
        fail("burger_voor_2017", (t["aanvrager"] == "burger") & (t["adviesdatum"] < pd.Timestamp("2017-01-01")),
             lambda r: "aanvraag door burger met adviesdatum " + _day(r["adviesdatum"])
             + "; burgers kunnen pas sinds 1 januari 2017 zelf aanvragen")
    if source.name == "polis_tijdvak":
        complete = t["tijdvak_begin"].notna() & t["tijdvak_einde"].notna() & t["tijdvak_type"].isin(TIJDVAK_TYPES)
        fail("tijdvak", complete & ~_tijdvak_shape_ok(t["tijdvak_type"], t["tijdvak_begin"], t["tijdvak_einde"]),
             lambda r: "tijdvak " + _day(r["tijdvak_begin"]) + " t/m " + _day(r["tijdvak_einde"])
             + " past niet bij type " + r["tijdvak_type"] + " (" + r["tijdvak_type"].map(SHAPES) + ")")
        fail("negatieve_uren", t["verloonde_uren"] < 0, lambda r: "verloonde_uren " + raw.loc[r.index, "verloonde_uren"].astype("str") + " is negatief")
    if source.name == "werkgever_tijdvak":
        fail("negatieve_uren", t["uren_totaal"] < 0, lambda r: "uren_totaal " + raw.loc[r.index, "uren_totaal"].astype("str") + " is negatief")
        fail("sector", t["sector_wfsv"].notna() & ~t["sector_wfsv"].between(1, 69),
             lambda r: "sector_wfsv " + r["sector_wfsv"].astype("str") + " ligt niet tussen 1 en 69")
        fail("uren_ufo", (t["uren_ufo"] < 0) | (t["uren_ufo"] > t["uren_totaal"]),
             lambda r: "uren_ufo " + raw.loc[r.index, "uren_ufo"].astype("str") + " ligt niet tussen 0 en uren_totaal "
             + raw.loc[r.index, "uren_totaal"].astype("str"))
    if source.name == "nulmeting":
        fail("negatieve_banen", t["banen"] < 0, lambda r: "banen " + raw.loc[r.index, "banen"].astype("str") + " is negatief")
    if source.name == "nulmeting_landelijk":  # as the regional nulmeting (decision: banen are never negative)
        fail("negatieve_banen", t["banen"] < 0, lambda r: "banen " + raw.loc[r.index, "banen"].astype("str") + " is negatief")
    if source.name == "verdeelsleutel":  # CONTRACT: aandeel_overheid decimal 0–1
        fail("bereik", (t["aandeel_overheid"] < 0) | (t["aandeel_overheid"] > MICRO),
             lambda r: "aandeel_overheid " + raw.loc[r.index, "aandeel_overheid"].astype("str") + " ligt niet tussen 0 en 1")
    if source.name == "herindelingen":
        # docs/contract.md: a value outside its plausible range is DQ-2.bereik (aandeel: 0–1)
        fail("bereik", (t["aandeel"] < 0) | (t["aandeel"] > MICRO),
             lambda r: "aandeel " + raw.loc[r.index, "aandeel"].astype("str") + " ligt niet tussen 0 en 1")
    if source.name == "polis_ikv":
        typed["inleenverband"] = typed["inleenverband"].fillna("geen")  # CONTRACT: null = geen

    rule = pd.Series(np.nan, index=raw.index, dtype=object)
    reason = pd.Series(np.nan, index=raw.index, dtype=object)
    for r, mask, make_reason in sorted(broken, key=lambda x: RULE_ORDER.index(x[0])):
        new = mask & rule.isna()
        if not new.any():
            continue
        rule[new] = f"DQ-2.{r}"
        text = make_reason if isinstance(make_reason, str) else make_reason(typed[new])
        reason[new] = text
    return typed, rule, reason


def validate_source(source: Source, raw: pd.DataFrame, accepted: dict[str, pd.DataFrame],
                    rejected_keys: dict[str, pd.Series] | None = None) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """All four stages; returns (accepted typed rows, rule per row, reason per row)."""
    typed, rule, reason = row_rules(source, raw)
    rejected_keys = rejected_keys or {}

    # stage 2: duplicate keys, the first occurrence among the rows still in is kept
    if source.key:
        alive = typed[rule.isna()]
        dup = alive.duplicated(source.key, keep="first")
        if dup.any():
            first = alive[~dup].drop_duplicates(source.key)[[*source.key, "rij"]].rename(columns={"rij": "eerste"})
            later = alive[dup].reset_index().merge(first, on=source.key, how="left").set_index("index")
            text = pd.Series("", index=later.index)
            for i, k in enumerate(source.key):
                text += ("" if i == 0 else ", ") + f"{k} '" + raw.loc[later.index, k].astype("str") + "'"
            rule[later.index] = "DQ-2.dubbel"
            reason[later.index] = text + " kwam al voor in rij " + later["eerste"].astype("str")

    # stage 3: a period that starts on or before the end of an earlier-starting period of the
    # same id (decisions.md, "Overlap")
    if source.overlap_by:
        by = source.overlap_by
        alive = typed[rule.isna()].sort_values([by, "tijdvak_begin"])
        latest_end_before = alive.groupby(by)["tijdvak_einde"].cummax().groupby(alive[by]).shift(1)
        overlap = (alive["tijdvak_begin"] <= latest_end_before).to_numpy()
        rows, until = alive[overlap], latest_end_before[overlap]
        rule[rows.index] = "DQ-2.overlap"
        reason[rows.index] = ("tijdvak vanaf " + _day(rows["tijdvak_begin"]) + f" overlapt een eerder tijdvak van {by} '"
                              + rows[by] + "' (dat loopt t/m " + _day(until) + ")")

    # stage 4: references to accepted rows of the parent
    for col, (parent, parent_key) in source.refs.items():
        alive = rule.isna()
        unknown = alive & ~typed[col].isin(accepted[parent][parent_key])
        if unknown.any():
            ids = typed.loc[unknown, col]
            was_rejected = ids.isin(rejected_keys.get(parent, []))
            rule[unknown] = "DQ-2.verwijzing"
            reason[unknown] = (col + " '" + ids + "' " + was_rejected.map(
                {True: f"staat in {parent}, maar die rij is afgewezen (zie rejects/{parent}.csv)",
                 False: f"komt niet voor in {parent}"}))

    return typed[rule.isna()], rule, reason


PACKAGED_YEARS = (2016, 2019, 2026)  # the CBS classifications shipped with the package
PACKAGED_GEMEENTEN = [f"gemeenten_{year}.csv" for year in PACKAGED_YEARS]
PACKAGED_HERINDELINGEN = "gemeente_herindelingen.csv"


def default_gemeenten() -> pd.DataFrame:
    """The packaged classifications of 2016, 2019 and 2026 as one gemeenten table (R-8), read
    like an input (``rij`` counts on through the three files)."""
    columns = SOURCES["gemeenten"].column_names
    frame = pd.concat([read_source(own_data(f), columns)[columns] for f in PACKAGED_GEMEENTEN], ignore_index=True)
    frame.insert(0, "rij", range(1, len(frame) + 1))
    return frame


def default_herindelingen() -> pd.DataFrame:
    """The packaged gemeentelijke herindelingen 2012–2025 (R-7)."""
    return read_source(own_data(PACKAGED_HERINDELINGEN), SOURCES["herindelingen"].column_names)


# LM-4: the known verdeelsleutels (2012, 2016, 2020) and the targets per year and sector, shipped
# in data/ (copies of shared/reference); a delivered input replaces the shipped table whole.
PACKAGED_LM = {"verdeelsleutel": "verdeelsleutel.csv", "banenafspraak_doelen": "banenafspraak_doelen.csv"}


def default_lm(name: str) -> pd.DataFrame:
    """The packaged ``verdeelsleutel`` or ``banenafspraak_doelen`` (LM-4), read like an input
    (its extra column ``bron`` is ignored)."""
    return read_source(own_data(PACKAGED_LM[name]), SOURCES[name].column_names)


_PACKAGED: dict[str, pd.DataFrame] = {}


def packaged(name: str) -> pd.DataFrame:
    """The packaged ``gemeenten`` or ``herindelingen``, validated by the same rules as an input
    (typed; the package data breaks none of them)."""
    if name not in _PACKAGED:
        raw = {"gemeenten": default_gemeenten, "herindelingen": default_herindelingen}[name]()
        typed, rule, _ = validate_source(SOURCES[name], raw, {})
        if rule.notna().any():
            raise AssertionError(f"packaged {name} breaks its own contract: {rule.dropna().unique()}")
        _PACKAGED[name] = typed
    return _PACKAGED[name]


def with_packaged_years(gemeenten: pd.DataFrame) -> pd.DataFrame:
    """R-8: the accepted ``gemeenten`` rows plus every packaged year they do not deliver (a
    delivered year replaces the packaged one of that year, whole; other years are added)."""
    shipped = packaged("gemeenten")
    return pd.concat([gemeenten, shipped[~shipped["jaar"].isin(gemeenten["jaar"])]], ignore_index=True)


def load_validate(input_dir: Path, publications=QUARTERLY) -> dict[str, Validated]:
    """Read and validate every input the publications need (DQ-1, DQ-2): the quarterly ones
    by default, ``("landelijke_monitor",)`` for the annual monitor (LM)."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise StructuralError(f"{input_dir} is not a folder")
    read_extractiedatum(input_dir)  # T-5 needs it; a missing file is structural
    names = [n for n in SOURCES if any(n in NEEDED[p] for p in publications)]
    out: dict[str, Validated] = {}
    accepted: dict[str, pd.DataFrame] = {}
    rejected_keys: dict[str, pd.Series] = {}
    for name in names:
        source = SOURCES[name]
        path = find_source(input_dir, name)
        if path is None:
            if name == "gemeenten":
                raw, file = default_gemeenten(), ", ".join(PACKAGED_GEMEENTEN) + " (meegeleverd)"
            elif name == "herindelingen":
                raw, file = default_herindelingen(), PACKAGED_HERINDELINGEN + " (meegeleverd)"
            elif name in PACKAGED_LM:  # LM-4
                raw, file = default_lm(name), PACKAGED_LM[name] + " (meegeleverd)"
            elif source.optional:
                continue
            else:
                raise StructuralError(f"{name}: input file missing ({name}.csv, {name}.parquet or a folder {name}/)")
        else:
            raw, file = read_source(path, source.column_names), path.name
        typed, rule, reason = validate_source(source, raw, accepted, rejected_keys)
        accepted[name] = typed
        bad = rule.notna()
        rejects = raw[bad].copy()
        rejects.insert(1, "regel", rule[bad])
        rejects.insert(2, "reden", reason[bad])
        if len(source.key) == 1:
            rejected_keys[name] = raw.loc[bad, source.key[0]]
        out[name] = Validated(name, file, len(raw), accepted[name], rejects)
    return out


def write_rejects(validated: dict[str, Validated], folder: Path) -> None:
    """rejects/<source>.csv: ``rij, regel, reden`` and the original columns (DQ-1)."""
    folder.mkdir(parents=True, exist_ok=True)
    for v in validated.values():
        rejects = v.rejects.copy()
        for col in rejects.columns:
            if pd.api.types.is_bool_dtype(rejects[col]):  # Parquet flags, written as in CSV
                rejects[col] = rejects[col].map({True: "true", False: "false"})
        rejects.to_csv(folder / f"{v.name}.csv", index=False, lineterminator="\n")
