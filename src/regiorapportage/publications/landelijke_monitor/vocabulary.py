"""The vocabulary of the Landelijke monitor banenafspraak (CONTRACT.md
``landelijke_monitor.csv``, regio_code ``NL01`` only): tables, rows and columns with their
Dutch labels and kinds, declared once for the long format, the checks and every rendering.
Labels may hold ``{placeholders}`` filled with the year's dates (``texts.MonitorDates``)."""

from __future__ import annotations

from regiorapportage.publications.base import AANDEEL, BANEN, JAARTAL, Column, TableSpec, Vocabulary

MONITOR_KEY = "landelijke_monitor"
MONITOR_TITEL = "Landelijke monitor banenafspraak"

SECTOREN = ("markt", "overheid")  # the sectors with a target (LM-6)
SECTOR_LABELS = {"markt": "Markt", "overheid": "Overheid", "onbekend": "Sector onbekend", "totaal": "Totaal"}
REEKS_TABEL = "reeks"

MONITOR = Vocabulary(
    key=MONITOR_KEY,
    titel=MONITOR_TITEL,
    tables=(
        TableSpec(
            "banen",
            "Banen, extra banen en doelstelling per sector",
            tuple((s, SECTOR_LABELS[s]) for s in ("markt", "overheid", "onbekend", "totaal")),
            (
                Column("banen", "Banen op {peildatum}", BANEN),
                Column("nulmeting", "Nulmeting ({nulmeting_datum})", BANEN),
                Column("extra_banen", "Extra banen", BANEN),
                Column("doel", "Doelstelling {jaar}", nullable=True),
                Column("verschil_met_doel", "Verschil met doelstelling", BANEN, nullable=True),
                Column("doel_gehaald", "Doelstelling gehaald", nullable=True),
            ),
        ),
        TableSpec(
            "inleenverbanden",
            "Banen via uitzendwerk en Wsw-detachering, verdeeld met de verdeelsleutel",
            tuple((s, SECTOR_LABELS[s]) for s in ("markt", "overheid", "totaal")),
            (Column("banen", "Banen op {peildatum}", BANEN),),
        ),
        TableSpec(
            "verdeelsleutel",
            "Toegepaste verdeelsleutel",
            (("toegepast", "Toegepast"),),
            (
                Column("jaar", "Jaar van de verdeelsleutel", JAARTAL),
                Column("aandeel_overheid", "Aandeel overheid", AANDEEL),
            ),
            turned=True,
        ),
        TableSpec(
            REEKS_TABEL,
            "Per jaar sinds de start van de banenafspraak",
            (),  # the years 2013 … Y, known when built (LM-7)
            (
                Column("markt_banen", "Markt: banen", BANEN, nullable=True),
                Column("markt_extra_banen", "Markt: extra banen", BANEN, nullable=True),
                Column("markt_doel", "Markt: doel", nullable=True),
                Column("markt_doel_gehaald", "Markt: doel gehaald", nullable=True),
                Column("overheid_banen", "Overheid: banen", BANEN, nullable=True),
                Column("overheid_extra_banen", "Overheid: extra banen", BANEN, nullable=True),
                Column("overheid_doel", "Overheid: doel", nullable=True),
                Column("overheid_doel_gehaald", "Overheid: doel gehaald", nullable=True),
                Column("totaal_banen", "Totaal: banen", BANEN),
                Column("totaal_extra_banen", "Totaal: extra banen", BANEN),
            ),
        ),
    ),
)
