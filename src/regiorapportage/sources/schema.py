"""The input contract (CONTRACT.md) as data: one ``Source`` per input file.

Every column has a type, nullability and optionally a code list or a format; every source
lists its key (duplicate rule), its references to other sources and its own row rules. The
validator (``validate.py``) turns these declarations into Ibis expressions, so the rules are
read here, in one place, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class Reference:
    """``column`` must be a value of ``parent.parent_column`` among the accepted rows."""

    column: str
    parent: str
    parent_column: str


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

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name, type_, nullable=False, codes=None, pattern=None, pattern_text=None, null_means=None):
    return Column(name, type_, nullable, tuple(codes) if codes else None, pattern, pattern_text, null_means)


GEMEENTE_CODE = dict(pattern=r"^GM[0-9]{4}$", pattern_text="GM gevolgd door 4 cijfers")
REGIO_CODE = dict(pattern=r"^AM[0-9]{2}$", pattern_text="AM gevolgd door 2 cijfers")

# What a source is needed for (CONTRACT.md "required for"): the publications' rule families.
BW = "beschut_werk"
BA = "banenafspraak"  # every banenafspraak publication (trend, factsheet, klantprofielen)
TR = "trend"  # optional inputs of the trendrapportage only
KP = "klantprofielen"

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

SOURCES: dict[str, Source] = {
    s.name: s
    for s in [
        Source(
            "gemeenten",
            (
                _c("jaar", "int"),
                _c("gemeente_code", "str", **GEMEENTE_CODE),
                _c("gemeente_naam", "str"),
                _c("arbeidsmarktregio_code", "str", **REGIO_CODE),
                _c("arbeidsmarktregio_naam", "str"),
            ),
            required_for=frozenset({BW, BA}),
            key=("jaar", "gemeente_code"),
        ),
        Source(
            "personen",
            (
                _c("persoon_id", "str"),
                _c("geboortedatum", "date"),
                _c("overlijdensdatum", "date", nullable=True),
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
                _c("sv_loon", "decimal"),
                _c("verloonde_uren", "decimal"),
            ),
            required_for=frozenset({BW, BA}),
            key=("ikv_id", "tijdvak_begin"),
            references=(Reference("ikv_id", "polis_ikv", "ikv_id"),),
            period=("tijdvak_begin", "tijdvak_einde"),
            overlap_group="ikv_id",
        ),
        Source(
            "werkgever_tijdvak",
            (
                _c("werkgever_id", "str"),
                _c("tijdvak_begin", "date"),
                _c("tijdvak_einde", "date"),
                _c("sector_wfsv", "int"),
                _c("uren_totaal", "decimal"),
                _c("uren_ufo", "decimal"),
            ),
            required_for=frozenset({BA}),
            key=("werkgever_id", "tijdvak_begin"),
            period=("tijdvak_begin", "tijdvak_einde"),
            overlap_group="werkgever_id",
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
                _c("banen", "decimal"),
            ),
            required_for=frozenset({TR}),
            key=("arbeidsmarktregio_code", "sector"),
            optional=True,
        ),
        Source(
            "werkkamer_indicatie",
            (
                _c("arbeidsmarktregio_code", "str", **REGIO_CODE),
                _c("jaar", "int"),
                _c("extra_banen", "decimal"),
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
]

# Sources whose extraction date decides whether a quarter's payroll data is reliable (T-5).
PAYROLL_SOURCES = ("polis_ikv", "polis_tijdvak")

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


def sources_for(publications: set[str]) -> list[Source]:
    return [SOURCES[n] for n in VALIDATION_ORDER if SOURCES[n].required_for & publications]
