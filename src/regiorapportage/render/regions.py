"""The reported regions (R-2, R-4, R-5): their kinds, order and the notes on the regions
that are not published (AM99 "Niet in te delen", ONB "Onbekend"). Shared by every
publication's rendering."""

from __future__ import annotations

NEDERLAND_CODE = "NL01"
NIET_IN_TE_DELEN_CODE = "AM99"
ONBEKEND_CODE = "ONB"

# gemeenten without an arbeidsmarktregio, per classification year.
NIET_IN_TE_DELEN_GEMEENTEN = {2019: "West Betuwe en Vijfheerenlanden"}

NIET_GEPUBLICEERD_KOP = "Geen gepubliceerde regio"


def niet_in_te_delen_noot(jaar: int) -> str:
    gemeenten = NIET_IN_TE_DELEN_GEMEENTEN.get(jaar)
    which = (
        f"de inwoners van de gemeenten {gemeenten}, die in de regio-indeling van {jaar} "
        "niet aan een arbeidsmarktregio zijn toegedeeld"
        if gemeenten
        else f"de inwoners van gemeenten die in de regio-indeling van {jaar} niet aan een "
        "arbeidsmarktregio zijn toegedeeld"
    )
    return (
        f"‘Niet in te delen’ is geen arbeidsmarktregio en wordt niet als regio gepubliceerd. "
        f"Het gaat om {which}. Deze aantallen tellen mee in Nederland."
    )


ONBEKEND_NOOT = (
    "‘Onbekend’ is geen arbeidsmarktregio en wordt niet als regio gepubliceerd. Het gaat om "
    "personen van wie geen woongemeente bekend is, of van wie de gemeentecode niet in de "
    "regio-indeling voorkomt. Deze aantallen tellen mee in Nederland."
)

# For publications whose numbers do not all add up over regions (banen, percentages).
NEDERLAND_NOOT_ALGEMEEN = (
    "Nederland omvat ook personen die niet aan een arbeidsmarktregio zijn toe te delen "
    "(‘Niet in te delen’ en ‘Onbekend’). Daarom is het totaal voor Nederland niet gelijk aan "
    "de som van de 35 arbeidsmarktregio's."
)


def region_kind(code: str) -> str:
    """``nederland``, ``regio``, ``niet_in_te_delen`` or ``onbekend``."""
    if code == NEDERLAND_CODE:
        return "nederland"
    if code == NIET_IN_TE_DELEN_CODE:
        return "niet_in_te_delen"
    if code == ONBEKEND_CODE:
        return "onbekend"
    return "regio"


def is_published(code: str) -> bool:
    """AM99 and ONB are shown for completeness but are not published regions (R-2, R-4)."""
    return region_kind(code) in ("nederland", "regio")


def region_note(code: str, jaar: int) -> str | None:
    """The note on a region page: Nederland, or why AM99/ONB are not published regions."""
    kind = region_kind(code)
    if kind == "nederland":
        return NEDERLAND_NOOT_ALGEMEEN
    if kind == "niet_in_te_delen":
        return niet_in_te_delen_noot(jaar)
    if kind == "onbekend":
        return ONBEKEND_NOOT
    return None


def region_sort_key(code: str) -> tuple[int, str]:
    """NL01, then the regions AMxx, then AM99, then ONB, then anything else."""
    kind = region_kind(code)
    order = {"nederland": 0, "regio": 1, "niet_in_te_delen": 2, "onbekend": 3}[kind]
    if kind == "regio" and not code.startswith("AM"):
        order = 4
    return (order, code)
