"""Texts shared by every publication: the provisional marking (T-5)."""

from __future__ import annotations

VOORLOPIG_KOP = "VOORLOPIG"
VOORLOPIG_TEKST = (
    "Deze rapportage is voorlopig; de cijfers kunnen nog veranderen. Polisgegevens zijn pas "
    "ongeveer drie maanden na de peildatum {peildatum} voldoende betrouwbaar (vanaf "
    "{betrouwbaar_vanaf}). De rapportage is gemaakt met de optie voorlopig, die nodig is "
    "wanneer de polisgegevens eerder zijn getrokken."
)
