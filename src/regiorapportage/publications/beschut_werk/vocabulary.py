"""The vocabulary of the Rapportage beschut werk (CONTRACT.md ``beschut_werk.csv`` and
``beschut_werk_reeks.csv``; BW-2, BW-5), with the Dutch labels of every rendering.

The werk column labels carry the quarter's dates (filled by ``texts.BeschutWerkDates``)."""

from __future__ import annotations

from regiorapportage.publications.base import PERCENTAGE, Column, TableSpec, Vocabulary

KEY = "beschut_werk"
TITEL = "Rapportage beschut werk"
REEKS = "beschut_werk_reeks"
REEKS_TABEL = "reeks"

_AANVRAGER = (
    ("aanvraag_gemeente", "Aanvraag gemeente"),
    ("aanvraag_burger", "Aanvraag burger"),
    ("totaal", "Totaal"),
)
_VERANTWOORDELIJKE = (
    ("gemeente", "Gemeente"),
    ("uwv", "UWV"),
    ("totaal", "Totaal"),
)
ADVIES_KOLOMMEN = (
    Column("positief", "Positief advies"),
    Column("negatief", "Negatief advies"),
    Column("totaal", "Totaal"),
)
WERK_KOLOMMEN = (
    Column("positief_advies_tm_cohortdatum", "Positief advies t/m {cohort_maand_kort}"),
    Column("werkend_uit_cohort", "Waarvan werk op {peildatum}"),
    Column("percentage_werkend", "Waarvan werk (%)", PERCENTAGE),
    Column("totaal_werkend", "Totaal werk op {peildatum}"),
)

# The tables on work (BW-3, BW-4) carry the footnote on the reliability of the polis data.
WERK_TABELLEN = ("werk_naar_aanvrager", "werk_naar_verantwoordelijke")

BESCHUT_WERK = Vocabulary(
    KEY,
    TITEL,
    (
        TableSpec("adviezen_naar_aanvrager", "Aantal adviezen beschut werk (naar aanvrager)", _AANVRAGER, ADVIES_KOLOMMEN),
        TableSpec(
            "adviezen_naar_verantwoordelijke", "Aantal adviezen beschut werk (naar verantwoordelijke)",
            _VERANTWOORDELIJKE, ADVIES_KOLOMMEN,
        ),
        TableSpec("werk_naar_aanvrager", "Aan het werk na positief advies (naar aanvrager)", _AANVRAGER, WERK_KOLOMMEN),
        TableSpec(
            "werk_naar_verantwoordelijke", "Aan het werk na positief advies (naar verantwoordelijke)",
            _VERANTWOORDELIJKE, WERK_KOLOMMEN,
        ),
    ),
)

# The cohort percentage per quarter (rows: the quarters YYYYQn of the series).
REEKS_VOCABULARY = Vocabulary(
    REEKS,
    f"{TITEL}: per kwartaal",
    (
        TableSpec(
            REEKS_TABEL,
            "Percentage werkend per kwartaal",
            (),
            (
                Column("positief_advies_tm_cohortdatum", "Positief advies t/m de cohortdatum"),
                Column("werkend_uit_cohort", "Waarvan werkend"),
                Column("percentage_werkend", "Percentage werkend", PERCENTAGE, nullable=True),
            ),
        ),
    ),
    series=True,
)
