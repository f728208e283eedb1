"""The Dutch texts of the Landelijke monitor banenafspraak (FAQ 15, 24; SPEC LM). Texts may
hold ``{placeholders}`` filled with the year's dates (``MonitorDates``)."""

from __future__ import annotations

from dataclasses import dataclass

from regiorapportage.render.formatting import format_date, format_number
from regiorapportage.render.views import Dates

ONDERDEEL = (
    "De jaarlijkse landelijke meting van de banenafspraak: banen per sector (markt en overheid) "
    "tegenover de nulmeting en de doelstelling, met de verdeelsleutel voor uitzendwerk en "
    "Wsw-detachering."
)

INLEIDING = (
    "De Landelijke monitor banenafspraak is de jaarlijkse meting waarmee de minister van SZW de "
    "Tweede Kamer informeert over het aantal extra banen voor mensen uit de doelgroep van de "
    "banenafspraak. Alleen op deze meting kan de quotumheffing worden geactiveerd. De kwartaalrapportages "
    "per arbeidsmarktregio zijn een indicatie; deze monitor is de meting.",
    "Peildatum is {peildatum}. Alle gegevens gaan over die datum en moeten compleet zijn over het jaar: "
    "de cijfers zijn definitief als de polisgegevens minstens zes maanden na de peildatum zijn getrokken "
    "(op of na {betrouwbaar_vanaf}); met eerder getrokken gegevens is de monitor voorlopig.",
)

LANDELIJK = (
    "De monitor bestaat alleen voor Nederland als geheel: de verdeelsleutel voor uitzendwerk en "
    "Wsw-detachering is een landelijke afspraak die niet op regio's of gemeenten kan worden toegepast, "
    "en het quotum is landelijk."
)

SLEUTEL_KOP = "Verdeelsleutel"
SLEUTEL_UITLEG = (
    "Banen via een uitzendbureau of een Wsw-detachering (inleenverbanden) tellen niet mee bij de "
    "werkgever die de uren verloont, maar worden met een verdeelsleutel over markt en overheid "
    "verdeeld: het aandeel overheid gaat naar de overheid, de rest naar de markt, ongeacht de sector "
    "van het uitzendbureau of het SW-bedrijf. De verdeelsleutel komt uit periodiek onderzoek bij "
    "uitzendbureaus en SW-bedrijven."
)
SLEUTEL_EIGEN = "Toegepast is de verdeelsleutel van {jaar}: het aandeel overheid is {aandeel} van de uren van inleenverbanden."
SLEUTEL_EERDER = (
    "Voor {voor} is geen verdeelsleutel vastgesteld. Toegepast is die van het laatste eerdere jaar "
    "waarvoor er een is, {jaar}: het aandeel overheid is {aandeel} van de uren van inleenverbanden."
)
SLEUTEL_BRON = "Bron van de verdeelsleutels: {bron}."

NULMETING_INVOER = (
    "De nulmeting (de banen op {nulmeting_datum}) is geleverd als invoer (nulmeting_landelijk)."
)
NULMETING_BEREKEND = (
    "De nulmeting (de banen op {nulmeting_datum}) is berekend op peildatum 31 december 2012, op dezelfde "
    "manier als de banen van dit jaar, met de verdeelsleutel van {nulmeting_sleutel_jaar} (aandeel overheid "
    "{nulmeting_sleutel})."
)

DOEL_KOP = "Doelstelling en quotum"
DOEL_GEHAALD = "{sector}: {extra} extra {banen}, de doelstelling van {doel} voor {jaar} is gehaald."
DOEL_NIET_GEHAALD = "{sector}: {extra} extra {banen}, {tekort} minder dan de doelstelling van {doel} voor {jaar}."
DOEL_NET_NIET = (
    "{sector}: {extra} extra {banen}, net minder dan de doelstelling van {doel} voor {jaar} (het verschil is kleiner "
    "dan 0,01 baan)."
)
QUOTUM = (
    "Omdat de {sector_klein} de doelstelling voor {jaar} niet heeft gehaald, kan het kabinet na overleg "
    "met sociale partners en gemeenten besluiten de quotumheffing voor de {sector_klein} te activeren. "
    "Dat is een mogelijkheid, geen besluit: deze monitor stelt alleen vast of de doelstelling is gehaald."
)
GEEN_DOEL = "Voor {jaar} is er geen doelstelling (de doelstellingen van de banenafspraak beginnen in 2015)."
GEEN_DOEL_SECTOR = "{sector}: voor {jaar} is er geen doelstelling."

GRAFIEK_TITEL = "{sector}: extra banen en de doelstelling, 2013 t/m {jaar}"
GRAFIEK_EXTRA = "Extra banen"
GRAFIEK_DOEL = "Doelstelling"
REEKS_KOP = "Per jaar sinds de start van de banenafspraak"
REEKS_NOOT = (
    "Elk jaar met zijn eigen peildatum (31 december), verdeelsleutel en doelstelling; de nulmeting is "
    "voor alle jaren dezelfde. Totaal is inclusief sector onbekend."
)

TOELICHTING = (
    "Banen: de verloonde uren per maand van alle mensen uit de doelgroep in het loonaangiftetijdvak "
    "waarin de peildatum valt, gedeeld door 110,92 (25,5 uur per week). Een baan is dus geen persoon: "
    "iemand met een kleine baan telt voor een deel, iemand met twee banen kan meer dan één baan tellen.",
    "Doelgroep: iedereen met een registratie in het doelgroepregister die op de peildatum geldig is. "
    "Anders dan in de kwartaalrapportages tellen ook Wsw- en Wiw/ID-registraties die in de loop van "
    "het jaar zijn begonnen (de gegevens zijn compleet over het jaar). De quotumgroep telt mee vanaf "
    "1 december 2018.",
    "Sector: een werkgever hoort bij de overheid als hij in een overheidssector (Wfsv-sector 61 tot en "
    "met 66) valt en over meer dan de helft van zijn uren Ufo-premie betaalt; anders bij de markt. Uren "
    "bij een werkgever zonder werkgeversgegevens op de peildatum staan onder ‘sector onbekend’; ze "
    "tellen mee in het totaal.",
    "Extra banen: banen min de nulmeting. Doelstelling: het aantal extra banen dat volgens de "
    "banenafspraak in dat jaar bereikt moet zijn (cumulatief, Regeling Wfsv). Of een doelstelling is "
    "gehaald, is bepaald op de exacte aantallen, niet op de afgeronde.",
    "Banen worden in tabellen afgerond op hele banen; in het CSV-bestand staan ze met twee decimalen. "
    "Daardoor kan een totaal in een tabel een baan afwijken van de som van de afgeronde delen.",
)

DEFINITIES = (
    ("Baan", "110,92 verloonde uren per maand (25,5 uur per week)."),
    ("Inleenverband", "Werk via een uitzendbureau (uitzend) of een Wsw-detachering vanuit een SW-bedrijf."),
    ("Verdeelsleutel", "Het aandeel van de uren van inleenverbanden dat aan de overheid wordt toegerekend."),
    ("Nulmeting", "Het aantal banen op 1 januari 2013 (peildatum 31 december 2012), het startpunt van de banenafspraak."),
    ("Quotumheffing", "Een heffing voor werkgevers in een sector die de doelstelling niet haalt; het kabinet "
                      "kan haar activeren na de jaarlijkse meting, na overleg met sociale partners en gemeenten."),
)

LEEG_DOEL = "Geen doelstelling: voor sector onbekend is er geen, en vóór 2015 waren er geen."
LEEG_SLEUTEL = ("Geen verdeelsleutel voor dit jaar of een eerder jaar: de banen van inleenverbanden kunnen niet over "
                "markt en overheid worden verdeeld (het totaal staat er wel).")


@dataclass(frozen=True)
class MonitorDates(Dates):
    """The year's dates as the texts use them."""

    def placeholders(self) -> dict[str, str]:
        base = super().placeholders()
        year = self.quarter.year
        return {
            **base,
            "jaar": str(year),
            "nulmeting_datum": "1 januari 2013",
            "kwartaal": f"jaar {year}",
        }


def ja_nee(value) -> str:
    return {1: "ja", 0: "nee"}.get(value, "–")


def banen_text(value) -> str:
    return format_number(value, decimals=0)


def datum(d) -> str:
    return format_date(d)
