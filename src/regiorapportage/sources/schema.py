"""The input contract (CONTRACT.md) as data: one ``Source`` per input file.

Every column has a type, nullability and optionally a code list or a format; every source
lists its key (duplicate rule), its references to other sources and its own row rules
(``RowRule``: a rule id, the condition that breaks it and the reason, as data). The validator
(``validate.py``) applies whatever a source declares, without knowing any source by name, so
the rules are read here, in one place, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir

# Column types of the contract and the Ibis types they are loaded as. Money and hours are
# exact decimals so that sums of corrections (+100,10 and -100,10) are exactly zero (BW-4).
TYPES = {
    "str": "string",
    "date": "date",
    "int": "int64",
    "decimal": "decimal(18, 6)",
    "bool": "boolean",
}

# What a value of each type should look like, for reject reasons ("… is geen <x>").
TYPE_NOUNS = {
    "date": "geldige datum (JJJJ-MM-DD)",
    "int": "geheel getal",
    "decimal": "getal (met '.' als decimaalteken, hoogstens 6 decimalen)",
    "bool": "true of false",
}

# How a value of each type must be written in a CSV file (CONTRACT.md: ISO dates, '.' as
# decimal point). Anything else is rejected rather than guessed at.
TEXT_PATTERNS = {
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "int": r"^-?[0-9]+$",
    "decimal": r"^-?[0-9]+(\.[0-9]{1,6})?$",
    "bool": r"^(?i:true|false)$",
}

TYPE_DESCRIPTIONS = {
    "str": "tekst",
    "date": "een datum JJJJ-MM-DD",
    "int": "een geheel getal",
    "decimal": "een getal met '.' als decimaalteken",
    "bool": "true of false",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = False
    codes: tuple[str, ...] | None = None
    pattern: str | None = None  # a regular expression the whole value must match
    pattern_text: str | None = None  # the format in words, for the reject reason
    null_means: str | None = None  # value to read a null as (inleenverband: null = geen)
    # The plausible range of a number or date (DQ-2.bereik); see docs/contract.md "Bereik".
    minimum: Decimal | date | None = None
    maximum: Decimal | date | None = None
    until_extraction: bool = False  # a date that cannot lie after the extract was taken


@dataclass(frozen=True)
class Reference:
    """``column`` must be a value of ``parent.parent_column`` among the accepted rows."""

    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Shown:
    """A value in a reject reason: the column's typed value, or with ``raw`` the value as
    delivered (``-8`` rather than ``-8.000000``); with ``labels`` the words for the value
    (an empty text for a value without words)."""

    column: str
    raw: bool = False
    labels: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class RowRule:
    """A row rule of a source beyond those its columns imply (stage a, DQ-1): rows for which
    ``broken`` (an Ibis predicate on the typed row) holds are rejected with rule ``rule`` and
    the reason ``reason``: its texts and ``Shown`` values joined. Column values are typed; a
    rule sees only rows that passed the column rules (present, parsed, in their code list)."""

    rule: str
    broken: Callable[[ir.Table], ir.BooleanValue]
    reason: tuple[str | Shown, ...]


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    required_for: frozenset[str]
    key: tuple[str, ...] | None = None
    references: tuple[Reference, ...] = ()
    period: tuple[str, str] | None = None  # (begin, end) columns: end >= begin (T-2)
    overlap_group: str | None = None  # periods of the same value may not overlap
    optional: bool = False
    row_rules: tuple[RowRule, ...] = ()  # checked in this order, after the column rules
    packaged: str | None = None  # file in the package's data/ read when the input has none
    packaged_note: str = ""  # how that file is named in messages and the manifest

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name, type_, nullable=False, codes=None, pattern=None, pattern_text=None, null_means=None, minimum=None,
       maximum=None, until_extraction=False):
    if type_ == "date" and minimum is None:
        minimum = EARLIEST_DATE
    return Column(name, type_, nullable, tuple(codes) if codes else None, pattern, pattern_text, null_means,
                  minimum, maximum, until_extraction)


# DQ-2.bereik: plausible ranges (docs/contract.md "Bereik"). No date in any extract lies
# before 1900 (year 0000 and 0001 are typing errors or "unknown" written as a date); a birth
# or death date cannot lie after the extraction date. Numbers have a maximum a real value
# never reaches, far below what the exact type DECIMAL(18,6) holds (< 10^12), so that the
# arithmetic on them (12 × hours, sums over millions of rows) cannot overflow.
EARLIEST_DATE = date(1900, 1, 1)
YEARS = dict(minimum=Decimal(1900), maximum=Decimal(2100))
MAX_UREN_TIJDVAK = Decimal(8784)  # hours in a leap year: the longest tijdvak is a year
MAX_SV_LOON = Decimal(100_000_000)  # euro per income relation and tijdvak, either sign
MAX_UREN_WERKGEVER = Decimal(1_000_000_000)  # an employer's hours in one tijdvak
MAX_BANEN = Decimal(10_000_000)  # more than the Dutch labour force


GEMEENTE_CODE = dict(pattern=r"^GM[0-9]{4}$", pattern_text="GM gevolgd door 4 cijfers")
REGIO_CODE = dict(pattern=r"^AM[0-9]{2}$", pattern_text="AM gevolgd door 2 cijfers")

# What a source is needed for (CONTRACT.md "required for"): the publications' rule families.
# The rule families of CONTRACT.md's "required for" column: a publication declares the
# families whose inputs it reads (``Publication.inputs``).
BW = "BW"
BA = "BA"  # every banenafspraak publication
TR = "TR"  # optional inputs of the trendrapportage only
KP = "KP"
LM = "LM"  # the optional inputs of the Landelijke monitor (the package ships defaults)

GRONDSLAGEN = (
    "wajong",
    "wsw_begeleid_werk",
    "wsw_detachering",
    "wiw_id",
    "indicatie_banenafspraak",
    "verminderde_loonwaarde",
    "quotumgroep",
)
EINDE_REDENEN = (
    "aow",
    "overlijden",
    "duurzaam_geen_arbeidsvermogen",
    "beschut_werk",
    "uitschrijving_verzoek",
    "bezwaar",
    "overig",
)
SECTOR_WFSV_RANGE = (1, 69)

ADVICE_START = date(2015, 1, 1)  # BW-1: gemeenten may request advices since 1 January 2015
BURGER_START = date(2017, 1, 1)  # BW-2: citizens may request since 1 January 2017

# T-3: the calendar shape of each payroll period type: (months spanned, months on which it
# may start). ``vierweken`` is 28 days from any day instead.
TIJDVAK_SHAPES = {
    "maand": (1, tuple(range(1, 13))),
    "kwartaal": (3, (1, 4, 7, 10)),
    "halfjaar": (6, (1, 7)),
    "jaar": (12, (1,)),
}
VIERWEKEN_DAYS = 28
TIJDVAK_TEXT = {
    "maand": "één kalendermaand",
    "vierweken": "28 dagen",
    "kwartaal": "één kalenderkwartaal",
    "halfjaar": "een kalenderhalfjaar",
    "jaar": "één kalenderjaar",
}


def tijdvak_shape_ok(t: ir.Table) -> ir.BooleanValue:
    """T-3: maand = one calendar month, kwartaal = a calendar quarter, halfjaar = Jan–Jun or
    Jul–Dec, jaar = a calendar year, vierweken = 28 days. In integer arithmetic on year,
    month and day (date + interval arithmetic is several times slower on millions of rows),
    and as one choice on the type, so that the month arithmetic is evaluated once per row
    rather than once per type (an OR over the types took three times as long). Decisive only
    for rows with every value present and valid: the rules before it catch the others."""
    b, e, typ = t.tijdvak_begin, t.tijdvak_einde, t.tijdvak_type
    months_spanned = (e.year() * 12 + e.month()) - (b.year() * 12 + b.month()) + 1
    leap = ((e.year() % 4 == 0) & (e.year() % 100 != 0)) | (e.year() % 400 == 0)
    month_length = ibis.cases(
        (e.month() == 2, ibis.ifelse(leap, 29, 28)),
        (e.month().isin([4, 6, 9, 11]), 30),
        else_=31,
    )
    whole_months = (b.day() == 1) & (e.day() == month_length)

    def fits(months: int, start_months: tuple[int, ...]) -> ir.BooleanValue:
        if set(start_months) >= set(range(1, 13)):  # may begin in any month (maand)
            return months_spanned == months
        return (months_spanned == months) & b.month().isin(list(start_months))

    per_type = ibis.cases(
        *[(typ == kind, fits(months, start_months)) for kind, (months, start_months) in TIJDVAK_SHAPES.items()],
        else_=False,
    )
    return ibis.ifelse(typ == "vierweken", e.delta(b, unit="day") == VIERWEKEN_DAYS - 1, whole_months & per_type)


_LO_SECTOR, _HI_SECTOR = SECTOR_WFSV_RANGE

ADVIEZEN_RULES = (
    RowRule(
        "DQ-2.advies_voor_aanvraag",
        lambda t: t.adviesdatum < t.aanvraagdatum,
        ("adviesdatum ", Shown("adviesdatum"), " ligt voor aanvraagdatum ", Shown("aanvraagdatum")),
    ),
    RowRule(
        "DQ-2.advies_voor_2015",  # BW-1
        lambda t: t.adviesdatum < ADVICE_START,
        ("adviesdatum ", Shown("adviesdatum"), " ligt voor 1 januari 2015 (start advies beschut werk)"),
    ),
    RowRule(
        "DQ-2.burger_voor_2017",  # BW-2
        lambda t: (t.aanvrager == "burger") & (t.adviesdatum < BURGER_START),
        ("aanvraag door burger met adviesdatum ", Shown("adviesdatum"),
         "; burgers kunnen pas sinds 1 januari 2017 zelf aanvragen"),
    ),
)
POLIS_TIJDVAK_RULES = (
    RowRule(
        "DQ-2.tijdvak",  # T-3
        lambda t: ~tijdvak_shape_ok(t),
        ("tijdvak ", Shown("tijdvak_begin"), " t/m ", Shown("tijdvak_einde"), " past niet bij type ",
         Shown("tijdvak_type"), " (", Shown("tijdvak_type", labels=tuple(TIJDVAK_TEXT.items())), ")"),
    ),
    RowRule(
        "DQ-2.negatieve_uren",
        lambda t: t.verloonde_uren < 0,
        ("verloonde_uren ", Shown("verloonde_uren", raw=True), " is negatief"),
    ),
)
WERKGEVER_TIJDVAK_RULES = (
    RowRule(
        "DQ-2.sector",
        lambda t: (t.sector_wfsv < _LO_SECTOR) | (t.sector_wfsv > _HI_SECTOR),
        ("sector_wfsv ", Shown("sector_wfsv"), f" ligt niet tussen {_LO_SECTOR} en {_HI_SECTOR}"),
    ),
    RowRule(
        "DQ-2.negatieve_uren",
        lambda t: t.uren_totaal < 0,
        ("uren_totaal ", Shown("uren_totaal", raw=True), " is negatief"),
    ),
    RowRule(
        "DQ-2.uren_ufo",
        lambda t: (t.uren_ufo < 0) | (t.uren_ufo > t.uren_totaal),
        ("uren_ufo ", Shown("uren_ufo", raw=True), " ligt niet tussen 0 en uren_totaal ", Shown("uren_totaal", raw=True)),
    ),
)
NULMETING_RULES = (
    RowRule("DQ-2.negatieve_banen", lambda t: t.banen < 0, ("banen ", Shown("banen", raw=True), " is negatief")),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in [
        Source(
            "gemeenten",
            (
                _c("jaar", "int", **YEARS),
                _c("gemeente_code", "str", **GEMEENTE_CODE),
                _c("gemeente_naam", "str"),
                _c("arbeidsmarktregio_code", "str", **REGIO_CODE),
                _c("arbeidsmarktregio_naam", "str"),
            ),
            required_for=frozenset({BW, BA}),
            key=("jaar", "gemeente_code"),
            packaged="gemeenten_2019.csv",
            packaged_note="meegeleverd, CBS-indeling 2019",
        ),
        Source(
            "herindelingen",
            (
                _c("datum", "date"),
                _c("oude_code", "str", **GEMEENTE_CODE),
                _c("oude_naam", "str"),
                _c("nieuwe_code", "str", **GEMEENTE_CODE),
                _c("nieuwe_naam", "str"),
                _c("aandeel", "decimal", nullable=True, minimum=Decimal(0), maximum=Decimal(1)),
            ),
            required_for=frozenset({BW, BA}),
            key=("datum", "oude_code", "nieuwe_code"),
            optional=True,
            packaged="gemeente_herindelingen.csv",
            packaged_note="meegeleverd, herindelingen 2012–2025 (R-7)",
        ),
        Source(
            "personen",
            (
                _c("persoon_id", "str"),
                _c("geboortedatum", "date", until_extraction=True),
                _c("overlijdensdatum", "date", nullable=True, until_extraction=True),
            ),
            required_for=frozenset({BW, BA}),
            key=("persoon_id",),
        ),
        Source(
            "brp_verblijf",
            (
                _c("persoon_id", "str"),
                _c("gemeente_code", "str", **GEMEENTE_CODE),
                _c("begindatum", "date"),
                _c("einddatum", "date", nullable=True),
            ),
            required_for=frozenset({BW, BA}),
            references=(Reference("persoon_id", "personen", "persoon_id"),),
            period=("begindatum", "einddatum"),
        ),
        Source(
            "adviezen",
            (
                _c("advies_id", "str"),
                _c("persoon_id", "str"),
                _c("aanvraagdatum", "date"),
                _c("adviesdatum", "date"),
                _c("aanvrager", "str", codes=("gemeente", "burger")),
                _c("verantwoordelijke", "str", codes=("gemeente", "uwv")),
                _c("uitkomst", "str", codes=("positief", "negatief")),
                _c("gemeente_code", "str", nullable=True, **GEMEENTE_CODE),
            ),
            required_for=frozenset({BW}),
            key=("advies_id",),
            references=(Reference("persoon_id", "personen", "persoon_id"),),
            row_rules=ADVIEZEN_RULES,
        ),
        Source(
            "polis_ikv",
            (
                _c("ikv_id", "str"),
                _c("persoon_id", "str"),
                _c("werkgever_id", "str"),
                _c("begindatum", "date"),
                _c("einddatum", "date", nullable=True),
                _c("inleenverband", "str", nullable=True,
                   codes=("geen", "uitzend", "wsw_detachering"), null_means="geen"),
            ),
            required_for=frozenset({BW, BA}),
            key=("ikv_id",),
            references=(Reference("persoon_id", "personen", "persoon_id"),),
            period=("begindatum", "einddatum"),
        ),
        Source(
            "polis_tijdvak",
            (
                _c("ikv_id", "str"),
                _c("tijdvak_type", "str", codes=("maand", "vierweken", "kwartaal", "halfjaar", "jaar")),
                _c("tijdvak_begin", "date"),
                _c("tijdvak_einde", "date"),
                _c("sv_loon", "decimal", minimum=-MAX_SV_LOON, maximum=MAX_SV_LOON),
                _c("verloonde_uren", "decimal", maximum=MAX_UREN_TIJDVAK),
            ),
            required_for=frozenset({BW, BA}),
            key=("ikv_id", "tijdvak_begin"),
            references=(Reference("ikv_id", "polis_ikv", "ikv_id"),),
            period=("tijdvak_begin", "tijdvak_einde"),
            overlap_group="ikv_id",
            row_rules=POLIS_TIJDVAK_RULES,
        ),
        Source(
            "werkgever_tijdvak",
            (
                _c("werkgever_id", "str"),
                _c("tijdvak_begin", "date"),
                _c("tijdvak_einde", "date"),
                _c("sector_wfsv", "int"),
                _c("uren_totaal", "decimal", maximum=MAX_UREN_WERKGEVER),
                _c("uren_ufo", "decimal", maximum=MAX_UREN_WERKGEVER),
            ),
            required_for=frozenset({BA}),
            key=("werkgever_id", "tijdvak_begin"),
            period=("tijdvak_begin", "tijdvak_einde"),
            overlap_group="werkgever_id",
            row_rules=WERKGEVER_TIJDVAK_RULES,
        ),
        Source(
            "doelgroepregister",
            (
                _c("registratie_id", "str"),
                _c("persoon_id", "str"),
                _c("grondslag", "str", codes=GRONDSLAGEN),
                _c("begindatum", "date"),
                _c("einddatum", "date", nullable=True),
                _c("einde_reden", "str", nullable=True, codes=EINDE_REDENEN),
            ),
            required_for=frozenset({BA}),
            key=("registratie_id",),
            references=(Reference("persoon_id", "personen", "persoon_id"),),
            period=("begindatum", "einddatum"),
        ),
        Source(
            "klantprofielen",
            (
                _c("persoon_id", "str"),
                _c("begindatum", "date"),
                _c("einddatum", "date", nullable=True),
                _c("zichtbaar", "bool"),
                _c("heeft_cv", "bool", nullable=True),
                _c("heeft_beroep", "bool", nullable=True),
                _c("heeft_werkervaring", "bool", nullable=True),
            ),
            required_for=frozenset({KP}),
            references=(Reference("persoon_id", "personen", "persoon_id"),),
            period=("begindatum", "einddatum"),
        ),
        Source(
            "nulmeting",
            (
                _c("arbeidsmarktregio_code", "str", **REGIO_CODE),
                _c("sector", "str", codes=("markt", "overheid")),
                _c("banen", "decimal", maximum=MAX_BANEN),
            ),
            required_for=frozenset({TR}),
            key=("arbeidsmarktregio_code", "sector"),
            optional=True,
            row_rules=NULMETING_RULES,
        ),
        Source(
            "verdeelsleutel",
            (
                _c("jaar", "int", **YEARS),
                _c("aandeel_overheid", "decimal", minimum=Decimal(0), maximum=Decimal(1)),
            ),
            required_for=frozenset({LM}),
            key=("jaar",),
            optional=True,
            packaged="verdeelsleutel.csv",
            packaged_note="meegeleverd, verdeelsleutels SEO 2012, 2016 en 2020 (LM-4)",
        ),
        Source(
            "banenafspraak_doelen",
            (
                _c("jaar", "int", **YEARS),
                _c("sector", "str", codes=("markt", "overheid")),
                _c("extra_banen", "int", minimum=Decimal(0), maximum=MAX_BANEN),
            ),
            required_for=frozenset({LM}),
            key=("jaar", "sector"),
            optional=True,
            packaged="banenafspraak_doelen.csv",
            packaged_note="meegeleverd, doelstellingen 2015–2026 (Regeling Wfsv art. 3.29)",
        ),
        Source(
            "nulmeting_landelijk",
            (
                _c("sector", "str", codes=("markt", "overheid", "onbekend")),
                _c("banen", "decimal", maximum=MAX_BANEN),
            ),
            required_for=frozenset({LM}),
            key=("sector",),
            optional=True,
            row_rules=NULMETING_RULES,
        ),
        Source(
            "werkkamer_indicatie",
            (
                _c("arbeidsmarktregio_code", "str", **REGIO_CODE),
                _c("jaar", "int", **YEARS),
                _c("extra_banen", "decimal", minimum=-MAX_BANEN, maximum=MAX_BANEN),
            ),
            required_for=frozenset({TR}),
            key=("arbeidsmarktregio_code", "jaar"),
            optional=True,
        ),
    ]
}

# The order in which sources are validated: parents before the sources that refer to them.
VALIDATION_ORDER = [
    "gemeenten",
    "herindelingen",
    "personen",
    "brp_verblijf",
    "adviezen",
    "polis_ikv",
    "polis_tijdvak",
    "werkgever_tijdvak",
    "doelgroepregister",
    "klantprofielen",
    "nulmeting",
    "werkkamer_indicatie",
    "verdeelsleutel",
    "banenafspraak_doelen",
    "nulmeting_landelijk",
]

# Sources whose extraction date decides whether a quarter's payroll data is reliable (T-5).
PAYROLL_SOURCES = ("polis_ikv", "polis_tijdvak")

