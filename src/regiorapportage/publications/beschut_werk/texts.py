"""Texts of the Rapportage beschut werk (BW-7), in one place for every rendering.

The paragraphs are copied from the UWV publication (2nd quarter 2019); every date in them
is computed from the reporting quarter (:class:`BeschutWerkDates`). Placeholders use
``str.format`` names; the HTML templates escape the filled-in text, so the texts are plain
text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from regiorapportage.quarter import Quarter

from regiorapportage.publications.beschut_werk.vocabulary import TITEL  # noqa: F401 (the views' title)
from regiorapportage.render.common_texts import DATA_SLEUTELKOLOMMEN
from regiorapportage.render.formatting import capitalize_first, format_date, format_month
from regiorapportage.render import regions
from regiorapportage.render.regions import region_kind
from regiorapportage.sources.schema import ADVICE_START as ADVIES_START  # BW-1: from the Participatiewet


@dataclass(frozen=True)
class BeschutWerkDates:
    """The dates of one quarter's report (T-1, BW-1, BW-3, BW-5), as dates and as text."""

    quarter: Quarter

    @property
    def peildatum(self) -> date:
        """P, the last day of the quarter."""
        return self.quarter.peildatum

    @property
    def adviezen_tm(self) -> date:
        """BW-1: the advice window ends on the last day of the quarter after Q."""
        return self.quarter.next.peildatum

    @property
    def cohort_tm(self) -> date:
        """BW-3: the cohort ends on the last day of the quarter before Q."""
        return self.quarter.previous.peildatum

    @property
    def kwartaal_begin(self) -> date:
        return self.quarter.first_day

    @property
    def betrouwbaar_vanaf(self) -> date:
        """T-5: polis data is reliable three months after P."""
        return self.quarter.reliable_from

    def placeholders(self) -> dict[str, str]:
        """Values for the ``{name}`` placeholders in the texts below."""
        return {
            "kwartaal": self.quarter.label_nl,
            "peildatum": format_date(self.peildatum),
            "peilmaand": format_month(self.peildatum),
            "jaar_indeling": str(self.peildatum.year),
            "adviezen_vanaf": format_date(ADVIES_START),
            "adviezen_tm": format_date(self.adviezen_tm),
            "adviesperiode_kort": (
                f"{capitalize_first(format_month(ADVIES_START, short_month=True))} t/m "
                f"{format_month(self.adviezen_tm, short_month=True)}"
            ),
            "cohort_tm": format_date(self.cohort_tm),
            "cohort_maand": format_month(self.cohort_tm),
            "cohort_maand_kort": format_month(self.cohort_tm, short_month=True),
            "kwartaal_begin": format_date(self.kwartaal_begin),
            "betrouwbaar_vanaf": format_date(self.betrouwbaar_vanaf),
        }

    def fill(self, template: str) -> str:
        return template.format(**self.placeholders())


# --- Tables (BW-2, BW-5; their labels are in vocabulary.py) ------------------------------

ADVIES_HOEK = "{adviesperiode_kort}"  # top-left heading cell of the advice tables
# The tables on "werk" carry an asterisk that points to this footnote.
VOETNOOT_TEKEN = "*"

# --- Explanatory texts (BW-7) --------------------------------------------------------------

# Footnote to the work tables; in the publication it starts with "*".
VOETNOOT_WERK = (
    "UWV beschikt over betrouwbare informatie uit de polisadministratie tot en met "
    "{peildatum}. Bovendien leren ervaringen met beschut werk dat gemeenten na een positief "
    "advies van UWV gemiddeld drie maanden nodig hebben om hun inwoner te plaatsen op een "
    "beschutte werkplek. Daarom laat deze rapportage twee dingen zien. Ten eerste het aantal "
    "werkenden op peildatum {peildatum} ten opzichte van het aantal positieve adviezen tot en "
    "met {cohort_maand}. Ten tweede het totaal aantal werkenden op peildatum {peildatum}, "
    "ongeacht het moment van afgifte van het positieve advies, dus inclusief de mensen die "
    "een positief advies ontvingen van {kwartaal_begin} t/m {peildatum}. Als definitie voor "
    "werk geldt: het sociale verzekeringsloon in {peilmaand} is groter dan €0,-, voor mensen "
    "die een inkomstenverhouding hadden op {peildatum}."
)

# Variant of the footnote's first sentence for a provisional report (T-5): the polis data
# covers P but is not yet reliable, so the published sentence would not be true.
VOETNOOT_WERK_VOORLOPIG = VOETNOOT_WERK.replace(
    "UWV beschikt over betrouwbare informatie uit de polisadministratie tot en met "
    "{peildatum}.",
    "UWV beschikt over informatie uit de polisadministratie tot en met {peildatum}; die "
    "informatie is nog voorlopig (zie de markering VOORLOPIG).",
)

TOELICHTING = (
    "Naast de banenafspraak biedt ook beschut werk een mogelijkheid om mensen met een "
    "arbeidsbeperking aan het werk te helpen. Om die reden publiceert UWV ieder kwartaal de "
    "rapportage beschut werk. Het gaat hierbij om mensen die zijn aangewezen op beschut werk "
    "in het kader van de Participatiewet: mensen waarover UWV adviseert dat zij zoveel "
    "(structurele) begeleiding of aanpassing van de werkplek nodig hebben, dat dit niet van "
    "een reguliere werkgever mag worden verwacht. De banen van deze mensen tellen niet mee "
    "voor de banenafspraak. UWV is verantwoordelijk voor het afgeven van adviezen indicatie "
    "beschut werk; gemeenten zijn verantwoordelijk voor het realiseren van beschutte "
    "werkplekken. In combinatie met de regionale rapportages banenafspraak dient de "
    "rapportage beschut werk als handvat voor het gesprek in de arbeidsmarktregio. De "
    "rapportage heeft geen betrekking op de (financiële) afspraken tussen rijk en gemeenten "
    "op het gebied van beschut werk.",
    # Fixed history facts; not quarter-dependent.
    "Sinds 1 januari 2015 kunnen gemeenten bij UWV een advies indicatie beschut werk "
    "aanvragen voor hun inwoners. Sinds 1 januari 2017 hebben burgers dit recht zelf ook.",
    "Bij de splitsing in dit overzicht is uitgegaan van het onderscheid tussen burgers voor "
    "wie gemeenten re-integratieverantwoordelijk zijn en burgers met een UWV-uitkering, zoals "
    "gehanteerd in het Kennisdocument beschut werken op rijksoverheid.nl.",
)

BRON_EN_DEFINITIES_TITEL = "Bron en definities"

# (term, explanation) pairs.
BRON_EN_DEFINITIES = (
    (
        "Bron",
        "UWV: adviezen indicatie beschut werk, polisadministratie (inkomstenverhoudingen en "
        "sociaal verzekeringsloon) en de Basisregistratie Personen (BRP) voor de woongemeente.",
    ),
    (
        "Regio",
        "De arbeidsmarktregio van de woongemeente op de peildatum {peildatum}, volgens de "
        "regio-indeling van {jaar_indeling}. Iemand zonder bekend verblijf in de BRP wordt "
        "ingedeeld naar de gemeente van zijn of haar meest recente advies.",
    ),
    (
        "Adviezen",
        "Alle adviezen beschut werk met een adviesdatum van {adviezen_vanaf} tot en met "
        "{adviezen_tm}, positief en negatief. Er wordt geteld per advies, niet per persoon.",
    ),
    (
        "Positief advies t/m {cohort_maand_kort}",
        "Personen met ten minste één positief advies met een adviesdatum van "
        "{adviezen_vanaf} tot en met {cohort_tm}. Iedere persoon telt één keer, in de rij van "
        "zijn of haar eerste positieve advies.",
    ),
    (
        "Werk",
        "Iemand werkt op de peildatum als hij of zij op {peildatum} een inkomstenverhouding "
        "heeft en het sociale verzekeringsloon in het loonaangiftetijdvak waarin de peildatum "
        "valt ({peilmaand}) groter is dan €0,-.",
    ),
    (
        "Percentage",
        "Het aantal werkenden als percentage van het aantal personen met een positief advies "
        "t/m {cohort_maand_kort}, afgerond op hele procenten.",
    ),
    (
        "Totaal werk op {peildatum}",
        "Alle personen met een positief advies tot en met {peildatum} die op de peildatum "
        "werken, ongeacht de datum van het advies.",
    ),
    (
        "Nederland",
        "Nederland telt alle personen, ook wie niet aan een arbeidsmarktregio is toe te delen "
        "(gemeenten die geen arbeidsmarktregio hebben, of een onbekende woongemeente). Daarom "
        "is de som van de regio's kleiner dan het totaal voor Nederland.",
    ),
)

# --- Regions ------------------------------------------------------------------------------

NEDERLAND_NOOT = (
    "Nederland omvat ook personen die niet aan een arbeidsmarktregio zijn toe te delen. "
    "Daarom is de som van de regio's kleiner dan het totaal voor Nederland."
)


def region_note(code: str, jaar: int) -> str | None:
    """The note on a region page: Nederland (all counts of this report add up over the
    regions, hence its own wording), or why AM99/ONB are not published regions."""
    return NEDERLAND_NOOT if region_kind(code) == "nederland" else regions.region_note(code, jaar)


# Labels of the Data sheet's codes (the vocabulary of CONTRACT.md).
DATA_KOLOMMEN = (
    *DATA_SLEUTELKOLOMMEN,
    ("waarde", "Aantal; percentages als hele getallen"),
)
