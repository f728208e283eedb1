"""Texts shared by every publication: the provisional marking (T-5)."""

from __future__ import annotations

from regiorapportage.render.formatting import telwoord

VOORLOPIG_KOP = "VOORLOPIG"
VOORLOPIG_TEKST = (
    "Deze rapportage is voorlopig; de cijfers kunnen nog veranderen. Polisgegevens zijn pas "
    "ongeveer {betrouwbaar_maanden} maanden na de peildatum {peildatum} voldoende betrouwbaar (vanaf "
    "{betrouwbaar_vanaf}). De rapportage is gemaakt met de optie voorlopig, die nodig is "
    "wanneer de polisgegevens eerder zijn getrokken."
)

def voorlopig_tekst(dates, period) -> str:
    """The provisional marking of a run of ``period`` (a quarter: three months, a year: six,
    LM-2), filled with the publication's dates."""
    return dates.fill(VOORLOPIG_TEKST.replace("{betrouwbaar_maanden}", telwoord(period.reliable_months)))


# Labels of the Data sheet's key columns (the long format of CONTRACT.md); each publication
# adds its own description of ``waarde``.
DATA_SLEUTELKOLOMMEN = (
    (
        "regio_code",
        "Code van de regio: NL01 Nederland, AMxx arbeidsmarktregio, AM99 niet in te delen, "
        "ONB onbekend",
    ),
    ("regio_naam", "Naam van de regio"),
    ("tabel", "Tabel van de rapportage"),
    ("rij", "Rij van de tabel"),
    ("kolom", "Kolom van de tabel"),
)
