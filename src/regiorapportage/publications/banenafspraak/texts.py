"""Explanatory texts of the three banenafspraak publications — Trendrapportage
banenafspraak (TR), Factsheet banenafspraak (FS) and Transparantie klantprofielen (KP) — in
one place for every rendering (their tables and labels are in ``vocabulary.py``).

The texts follow the UWV FAQ on the regional reports (FAQ numbers in the comments); every
date in them is computed from the reporting quarter (:class:`BanenafspraakDates`).
Placeholders use ``str.format`` names; the templates escape the filled-in text, so the
texts are plain text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from regiorapportage.publications.banenafspraak.measures import (
    NULMETING_DATUM,
    NULMETING_PEILDATUM,
    QUOTUMGROEP_FROM,
)
from regiorapportage.publications.banenafspraak import vocabulary
from regiorapportage.publications.banenafspraak.vocabulary import (  # noqa: F401 (titles used by views)
    FACTSHEET_TITEL,
    KLANTPROFIELEN_TITEL,
    TREND_TITEL,
)
from regiorapportage.publications.base import STREEPJE
from regiorapportage.quarter import Quarter
from regiorapportage.render.common_texts import DATA_SLEUTELKOLOMMEN
from regiorapportage.render.formatting import format_date


@dataclass(frozen=True)
class BanenafspraakDates:
    """The dates of one quarter's reports (T-1, FS-2, TR-3, TR-6), as text."""

    quarter: Quarter
    werkkamer_jaar: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def jaar_eerder(self) -> Quarter:
        """TR-6: the same quarter one year earlier."""
        return self.quarter.shift(-4)

    def placeholders(self) -> dict[str, str]:
        return dict(self._placeholders)

    @cached_property
    def _placeholders(self) -> dict[str, str]:
        q = self.quarter
        values = {
            "kwartaal": q.label_nl,
            "kwartaal_klein": q.label_nl[:1].lower() + q.label_nl[1:],
            "peildatum": format_date(q.peildatum),
            "vorige_peildatum": format_date(q.previous.peildatum),
            "jaar_eerder_peildatum": format_date(self.jaar_eerder.peildatum),
            "jaar_eerder_kwartaal": self.jaar_eerder.label_nl[:1].lower()
            + self.jaar_eerder.label_nl[1:],
            "jaar_begin": format_date(date(q.year, 1, 1)),
            "jaar_indeling": str(q.peildatum.year),
            "betrouwbaar_vanaf": format_date(q.reliable_from),
            "nulmeting_datum": format_date(NULMETING_DATUM),
            "nulmeting_peildatum": format_date(NULMETING_PEILDATUM),
            "quotumgroep_vanaf": format_date(QUOTUMGROEP_FROM),
            "werkkamer_jaar": str(self.werkkamer_jaar) if self.werkkamer_jaar else "",
            "werkkamer_jaar_haakjes": f" ({self.werkkamer_jaar})" if self.werkkamer_jaar else "",
        }
        values.update(self.extra)
        return values

    def fill(self, template: str) -> str:
        return template.format_map(self._placeholders)


# --- Trendrapportage banenafspraak (TR; CONTRACT banenafspraak_trend.csv) ------------------


# Why a cell is empty ("–"): by the column that could not be computed.
LEEG_NULMETING = "Niet te berekenen: voor deze regio is geen nulmeting beschikbaar."
LEEG_WERKKAMER = "Niet te berekenen: voor deze regio is geen indicatie van de Werkkamer beschikbaar."
LEEG_ALGEMEEN = "Niet te berekenen."
LEEG_REDEN = {
    "nulmeting": LEEG_NULMETING,
    "extra_banen": LEEG_NULMETING,
    "indicatie": LEEG_WERKKAMER,
}

# Notes always shown under a table.
TABEL_NOTEN = {
    "banen": (
        "Banen zijn afgerond op hele banen. Door afronding kan de som van de sectoren afwijken "
        "van het totaal."
    ),
}

GRAFIEK_TITEL = "Banen en werkzame personen per kwartaal, {nulmeting_kwartaal} t/m {kwartaal_klein}"
GRAFIEK_REEKS_BANEN = "Banen"
GRAFIEK_REEKS_WERKZAAM = "Werkzame personen"
GRAFIEK_TABEL_TITEL = "Cijfers bij de grafiek: alle kwartalen"
GRAFIEK_GEEN_JAAR_EERDER = (
    "Over hetzelfde kwartaal een jaar eerder ({jaar_eerder_kwartaal}) zijn geen cijfers."
)
GRAFIEK_VERGELIJKING_NOOT = (
    "Vergelijk een kwartaal met hetzelfde kwartaal een jaar eerder: kwartalen binnen een jaar "
    "zijn door seizoenseffecten slecht met elkaar te vergelijken."
)

NULMETING_BRON = {
    "invoer": "De nulmeting per regio en sector komt uit de aangeleverde nulmeting.",
    "berekend": (
        "De nulmeting is met dezelfde regels berekend als de banen op de peildatum, met als "
        "peildatum {nulmeting_peildatum}."
    ),
    "ontbreekt": (
        "Voor deze rapportage is geen nulmeting beschikbaar. De nulmeting en de extra banen "
        "zijn daarom niet ingevuld ({streepje})."
    ),
}

TREND_TOELICHTING = (
    # FAQ 15 (what the trend report is), FAQ 3 (peildatum), FAQ 5 (net result)
    "De trendrapportage banenafspraak geeft per arbeidsmarktregio inzicht in de omvang van de "
    "doelgroep banenafspraak en in het aantal banen van mensen uit de doelgroep, vergeleken met "
    "de nulmeting. Alle cijfers gaan over de stand op de peildatum {peildatum}, de laatste dag "
    "van het kwartaal. De cijfers zijn het netto resultaat van groei en afname van banen; de "
    "factsheet banenafspraak laat de bruto instroom en uitstroom van werkzame personen zien.",
)

# (term, text) pairs, shown under the introduction.
TREND_DEFINITIES = (
    # FAQ 4, BA-5
    (
        "Baan",
        "Een baan is 25,5 verloonde uren per week; per maand is dat 110,92 uur. Voor iedere "
        "persoon in de doelgroep worden per inkomstenverhouding de verloonde uren genomen van "
        "het loonaangiftetijdvak waarin de peildatum valt. Uren van een ander tijdvak dan een "
        "maand worden omgerekend naar een maand (vier weken × 13/12, kwartaal ÷ 3, halfjaar ÷ 6, "
        "jaar ÷ 12). Het aantal banen is het totaal van die uren gedeeld door 110,92. Eén "
        "persoon kan dus minder of meer dan één baan hebben; het aantal banen is iets anders "
        "dan het aantal werkzame personen.",
    ),
    (
        "Werkzame personen",
        "Personen uit de doelgroep met verloonde uren in het loonaangiftetijdvak waarin de "
        "peildatum valt.",
    ),
    # FAQ 22, BA-6
    (
        "Markt en overheid",
        "Een baan telt voor de overheid als de werkgever volgens de sectorindeling van de Wfsv "
        "in sector 61 tot en met 66 valt én over meer dan 50 procent van alle uren die hij "
        "verloont premie afdraagt aan het Uitvoeringsfonds voor de overheid (Ufo-premie). Alle "
        "andere banen tellen voor de markt; precies 50 procent is markt. Banen bij een werkgever "
        "van wie op de peildatum geen sectorgegevens bekend zijn, staan bij ‘Sector onbekend’ "
        "en tellen mee in het totaal.",
    ),
    # TR-3, TR-4
    (
        "Nulmeting en extra banen",
        "De nulmeting is het aantal banen bij de start van de banenafspraak, op "
        "{nulmeting_datum}. Extra banen zijn de banen op de peildatum min de banen in de "
        "nulmeting. {nulmeting_bron}",
    ),
    # FAQ 23, 24, TR-5
    (
        "Indicatie Werkkamer",
        "De Werkkamer heeft een indicatieve verdeling gemaakt van de te realiseren banen over "
        "de arbeidsmarktregio's. Die indicatie is alleen een indicatie en nooit een "
        "doelstelling: de banenafspraak is een landelijke afspraak en heeft per regio geen "
        "bindende werking. Of de quotumregeling wordt geactiveerd, wordt alleen bepaald met de "
        "landelijke monitor banenafspraak, nooit met regionale cijfers. {werkkamer_bron}",
    ),
    # FAQ 15, TR-7
    (
        "Geen verdeelsleutel",
        "In de landelijke monitor banenafspraak worden banen via een uitzendcontract of een "
        "Wsw-detachering (inleenverbanden) met een jaarlijkse verdeelsleutel over markt en "
        "overheid verdeeld. Die verdeelsleutel is een landelijke afspraak en kan niet op de "
        "arbeidsmarktregio's worden toegepast; in deze regionale cijfers telt een baan daarom "
        "voor de sector van de werkgever die de uren verloont. Ook daardoor wijken de regionale "
        "cijfers af van de landelijke monitor.",
    ),
    # FAQ 25, FAQ 6, TR-6
    (
        "Vergelijken",
        "Kwartalen binnen een jaar zijn door seizoenseffecten slecht met elkaar te vergelijken. "
        "In het vierde kwartaal stijgt het aantal banen bijvoorbeeld vaak extra, doordat een "
        "dertiende maand of eindejaarsuitkering in december als verloonde uren wordt opgegeven. "
        "Vergelijk daarom met hetzelfde kwartaal van een jaar eerder; de grafiek zet het "
        "{kwartaal_klein} naast het {jaar_eerder_kwartaal}.",
    ),
    # FAQ 19, FAQ 15 (actualiteit)
    (
        "Wsw en Wiw/ID",
        "Gegevens over de Wsw en de Wiw/ID worden twee keer per jaar aangeleverd. Gedurende een "
        "jaar tellen daarom de grondslagen Wsw en Wiw/ID die aan het begin van dat jaar "
        "({jaar_begin}) geregistreerd waren; de verloonde uren zijn wel actueel.",
    ),
)

# --- Factsheet banenafspraak (FS; CONTRACT factsheet.csv) -----------------------------------


# FS-3: the stromen in the order of the balance, with their sign; then the flows of persons
# who do not work, which do not change the number of working persons.
PLUS, MIN, IS = "+", "\u2212", "="
STROMEN_BALANS = (
    *((rij, "" if i == 0 else PLUS if sign > 0 else MIN) for i, (rij, sign) in enumerate(vocabulary.STROMEN_BALANS)),
    (vocabulary.STROMEN_UITKOMST, IS),
)
STROMEN_BUITEN_BALANS = ("niet_werkzame_instromers", "niet_werkzame_uitstromers")
STROMEN_BUITEN_BALANS_KOP = "Buiten de balans: in- en uitstromers die niet werkzaam zijn"

# The flow diagram: (rij, label lines).
STROOM_IN = (
    ("werkzame_instromers", ("werkzame", "instromers")),
    ("begonnen_met_werk", ("begonnen", "met werk")),
    ("verhuisd_in_werkzaam", ("verhuisd naar", "de regio")),
)
STROOM_UIT = (
    ("werkzame_uitstromers", ("werkzame", "uitstromers")),
    ("gestopt_met_werk", ("gestopt", "met werk")),
    ("verhuisd_uit_werkzaam", ("verhuisd uit", "de regio")),
)
STROOM_TITEL = "Werkzame personen: van {vorige_peildatum} naar {peildatum}"
STROOM_BALANS_UITLEG = (
    "Werkzaam op {vorige_peildatum}, plus wie erbij kwam en min wie wegging, is werkzaam op "
    "{peildatum}:"
)

FACTSHEET_TOELICHTING = (
    # FAQ factsheet intro, FAQ 5
    "De factsheet banenafspraak is een verdieping op de trendrapportage banenafspraak. De "
    "trendrapportage telt banen (verloonde uren); de factsheet telt personen: hoeveel mensen uit "
    "de doelgroep werkzaam zijn en hoe dat aantal in het kwartaal veranderde. Beide hebben "
    "dezelfde peildatum, {peildatum}; de factsheet vergelijkt met de vorige peildatum, "
    "{vorige_peildatum}.",
    "Een persoon uit de doelgroep is werkzaam als er over hem of haar verloonde uren zijn "
    "opgegeven in het loonaangiftetijdvak waarin de peildatum valt.",
    # FAQ 26, 27, BA-7
    "Iedere persoon staat in één categorie, ook wie meer grondslagen heeft. Een grondslag "
    "Wsw-detachering gaat voor, dan Wsw begeleid werk (beide in ‘Wsw en Wiw/ID’), dan Wajong, "
    "dan de Doelgroep Participatiewet (indicatie banenafspraak, verminderde loonwaarde via de "
    "Praktijkroute en, sinds {quotumgroep_vanaf}, de quotumgroep). Wie alleen een Wiw/ID-baan "
    "heeft, staat bij ‘Wsw en Wiw/ID’: die groep is te klein om apart te tonen.",
    # FAQ 32, 36
    "Beschut werk telt niet mee voor de banenafspraak. Wie een beschikking beschut werk krijgt, "
    "stroomt uit het doelgroepregister; zie de Rapportage beschut werk voor de beschutte "
    "werkplekken.",
)

# FS-2: the definitions of the flows (term, text).
STROMEN_DEFINITIES = (
    (
        "Werkzame en niet-werkzame instromers",
        "Personen die op {peildatum} in de doelgroep zijn en op {vorige_peildatum} niet; "
        "werkzaam of niet werkzaam op {peildatum}. Ze tellen in de regio waar ze op {peildatum} "
        "wonen.",
    ),
    (
        "Werkzame en niet-werkzame uitstromers",
        "Personen die op {vorige_peildatum} in de doelgroep waren en op {peildatum} niet meer; "
        "werkzaam of niet werkzaam op {vorige_peildatum}. Ze tellen in de regio waar ze op "
        "{vorige_peildatum} woonden.",
    ),
    (
        "Begonnen met werk, gestopt met werk",
        "Personen die op beide peildata in de doelgroep zijn en in dezelfde regio wonen: "
        "begonnen met werk als ze op {vorige_peildatum} niet en op {peildatum} wel werkzaam "
        "zijn, gestopt met werk als het omgekeerde geldt.",
    ),
    (
        "Verhuisd naar of uit de regio",
        "Personen die op beide peildata in de doelgroep zijn en in het kwartaal naar een andere "
        "arbeidsmarktregio verhuisden. In de nieuwe regio tellen ze als ‘verhuisd naar de "
        "regio’ als ze op {peildatum} werkzaam zijn, in de oude regio als ‘verhuisd uit de "
        "regio’ als ze op {vorige_peildatum} werkzaam waren.",
    ),
    (
        "Balans",
        "Werkzaam op {peildatum} = werkzaam op {vorige_peildatum} + werkzame instromers − "
        "werkzame uitstromers + begonnen met werk − gestopt met werk + verhuisd naar de regio − "
        "verhuisd uit de regio. Niet-werkzame in- en uitstromers veranderen het aantal "
        "werkzame personen niet.",
    ),
    (
        "Instromers naar categorie",
        "Instromers naar hun categorie op {peildatum}. Wie via de Praktijkroute in het register "
        "kwam (grondslag verminderde loonwaarde, vastgesteld op de werkplek), staat als aparte "
        "groep ‘Praktijkroute’; andere indicaties banenafspraak vallen onder de Doelgroep "
        "Participatiewet.",
    ),
    (
        "Uitstromers naar reden",
        "De reden waarom de registratie eindigde die het laatst afliep: de AOW-leeftijd bereikt, "
        "overleden, duurzaam geen arbeidsvermogen (UWV heeft vastgesteld dat iemand duurzaam "
        "geen arbeidsvermogen heeft), beschut werk (een beschikking beschut werk van de "
        "gemeente), of een andere of onbekende reden. Het register kan achterlopen op de "
        "beschikking.",
    ),
)

# --- Transparantie klantprofielen (KP; CONTRACT klantprofielen.csv) -------------------------


KLANTPROFIELEN_TOELICHTING = (
    # FAQ intro, FAQ 35
    "In de Kandidatenverkenner banenafspraak zien werkgevers geanonimiseerde profielen van "
    "mensen uit de doelgroep banenafspraak. Een goed gevulde Kandidatenverkenner maakt het voor "
    "werkgevers makkelijker om kandidaten uit de doelgroep te vinden, en kan zo leiden tot meer "
    "mensen uit de doelgroep die werk vinden. Deze publicatie laat zien welk deel van de "
    "doelgroep zonder werk een klantprofiel heeft dat werkgevers kunnen zien.",
    # FAQ 8
    "De cijfers zijn niet bedoeld en niet geschikt om personen uit de doelgroep te matchen op "
    "vacatures en banen.",
)

KLANTPROFIELEN_DEFINITIES = (
    (
        "Doelgroep zonder werk",
        "Personen die op {peildatum} tot de doelgroep banenafspraak behoren en op die datum niet "
        "werkzaam zijn (geen verloonde uren in het loonaangiftetijdvak waarin de peildatum valt).",
    ),
    (
        "Zichtbaar klantprofiel",
        "Van de doelgroep zonder werk: wie op {peildatum} een klantprofiel heeft dat werkgevers "
        "in de Kandidatenverkenner kunnen zien.",
    ),
    (
        "Percentage",
        "Het aantal met een zichtbaar klantprofiel als percentage van de doelgroep zonder werk, "
        "afgerond op hele procenten.",
    ),
    (
        "Volledigheid",
        "Van de zichtbare klantprofielen: het percentage met een cv, met ten minste één beroep en "
        "met werkervaring, afgerond op hele procenten.",
    ),
)

# --- Shared by the three banenafspraak publications -----------------------------------------

BRON_EN_DEFINITIES_TITEL = "Bron en definities"

BANENAFSPRAAK_DEFINITIES = (
    (
        "Bron",
        "UWV: het doelgroepregister (wie tot de doelgroep behoort, met grondslag en begin- en "
        "einddatum van de registratie), de polisadministratie (inkomstenverhoudingen en "
        "verloonde uren uit de loonaangiften van werkgevers) en de Basisregistratie Personen "
        "(BRP) voor de woongemeente; voor de klantprofielen het klantvolgsysteem van UWV. De "
        "leveranciers van de gegevens zijn verantwoordelijk voor de kwaliteit ervan.",
    ),
    (
        "Doelgroep banenafspraak",
        "Personen die op de peildatum met ten minste één geldige grondslag in het "
        "doelgroepregister staan: Wajong, Wsw (begeleid werk of detachering), een Wiw/ID-baan, "
        "een indicatie banenafspraak, een verminderde loonwaarde vastgesteld via de "
        "Praktijkroute, of (sinds {quotumgroep_vanaf}) de quotumgroep.",
    ),
    ("Peildatum", "{peildatum}, de laatste dag van het kwartaal."),
    (
        "Regio",
        "De arbeidsmarktregio van de woongemeente op de peildatum, volgens de regio-indeling van "
        "{jaar_indeling}. De regio zegt waar iemand woont, niet waar hij of zij werkt. Cijfers "
        "per gemeente worden niet gepubliceerd: die zijn door woon-werkverkeer minder "
        "betrouwbaar en kleine aantallen zijn tot personen te herleiden.",
    ),
    (
        "Nederland",
        "Nederland telt iedereen, ook wie niet aan een arbeidsmarktregio is toe te delen "
        "(‘Niet in te delen’ en ‘Onbekend’). Daarom is het totaal voor Nederland niet gelijk "
        "aan de som van de 35 arbeidsmarktregio's.",
    ),
    (
        "Afronding",
        "Banen zijn afgerond op hele banen, percentages op hele procenten. Door afronding tellen "
        "afgeronde getallen niet altijd precies op tot het afgeronde totaal.",
    ),
    (
        STREEPJE,
        "Niet te berekenen, bijvoorbeeld omdat er geen nulmeting of geen indicatie van de "
        "Werkkamer is.",
    ),
)

WERKKAMER_BRON = {
    True: "De vergelijking gebruikt de indicatie van de Werkkamer voor {werkkamer_jaar}.",
    False: (
        "Voor deze rapportage is geen indicatie van de Werkkamer beschikbaar; de indicatie en "
        "het percentage zijn daarom niet ingevuld ({streepje})."
    ),
}

# Labels of the Data sheet's columns.
DATA_KOLOMMEN = (
    *DATA_SLEUTELKOLOMMEN,
    (
        "waarde",
        "Aantal personen; banen met twee decimalen; percentages als hele getallen; leeg = niet "
        "te berekenen",
    ),
)



def dates_for(quarter: Quarter, meta: dict | None) -> BanenafspraakDates:
    """The quarter's dates with the run's facts from ``meta`` filled in: where the nulmeting
    came from (``nulmeting_bron``, TR-3) and the year of the Werkkamer indication
    (``werkkamer_jaar``, TR-5)."""
    meta = meta or {}
    werkkamer_jaar = meta.get("werkkamer_jaar")
    werkkamer_jaar = int(werkkamer_jaar) if werkkamer_jaar not in (None, "") else None
    bron = meta.get("nulmeting_bron")
    base = BanenafspraakDates(quarter, werkkamer_jaar, {"streepje": STREEPJE})
    extra = {
        "streepje": STREEPJE,
        "nulmeting_bron": base.fill(NULMETING_BRON[bron]) if bron in NULMETING_BRON else "",
        "werkkamer_bron": base.fill(WERKKAMER_BRON[werkkamer_jaar is not None]),
    }
    return BanenafspraakDates(quarter, werkkamer_jaar, extra)
