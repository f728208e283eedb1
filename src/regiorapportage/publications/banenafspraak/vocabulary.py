"""The vocabulary of the three banenafspraak publications (CONTRACT.md
``banenafspraak_trend.csv``, ``banenafspraak_reeks.csv``, ``factsheet.csv``,
``klantprofielen.csv``): tables, rows and columns with their Dutch labels and kinds, declared
once for the long format, the checks and every rendering. Labels may hold ``{placeholders}``
filled with the quarter's dates (``texts.BanenafspraakDates``)."""

from __future__ import annotations

from regiorapportage.publications.base import BANEN, PERCENTAGE, Column, TableSpec, Vocabulary

TREND_KEY = "banenafspraak_trend"
REEKS_KEY = "banenafspraak_reeks"
FACTSHEET_KEY = "factsheet"
KLANTPROFIELEN_KEY = "klantprofielen"
REEKS_TABEL = "reeks"

TREND_TITEL = "Trendrapportage banenafspraak"
FACTSHEET_TITEL = "Factsheet banenafspraak"
KLANTPROFIELEN_TITEL = "Transparantie klantprofielen banenafspraak"

# --- Trendrapportage banenafspraak (TR) ------------------------------------------------------

TREND = Vocabulary(
    key=TREND_KEY,
    titel=TREND_TITEL,
    tables=(
        TableSpec(
            "doelgroep",
            "Doelgroep banenafspraak op {peildatum}",
            (("totaal", "Totaal"),),
            (
                Column("personen", "Personen in de doelgroep"),
                Column("werkzame_personen", "Waarvan werkzaam"),
            ),
            turned=True,
        ),
        TableSpec(
            "banen",
            "Banen naar sector",
            (
                ("markt", "Markt"),
                ("overheid", "Overheid"),
                ("onbekend", "Sector onbekend"),
                ("totaal", "Totaal"),
            ),
            (
                Column("banen", "Banen op {peildatum}", BANEN),
                Column("nulmeting", "Nulmeting ({nulmeting_datum})", BANEN, nullable=True),
                Column("extra_banen", "Extra banen t.o.v. de nulmeting", BANEN, nullable=True),
            ),
        ),
        TableSpec(
            "indicatie_werkkamer",
            "Extra banen en de indicatie van de Werkkamer",
            (("totaal", "Totaal"),),
            (
                Column("extra_banen", "Extra banen t.o.v. de nulmeting", BANEN, nullable=True),
                Column("indicatie", "Indicatie Werkkamer{werkkamer_jaar_haakjes}", BANEN, nullable=True),
                Column(
                    "percentage_indicatie",
                    "Extra banen als percentage van de indicatie",
                    PERCENTAGE,
                    nullable=True,
                ),
            ),
            turned=True,
        ),
    ),
)

# TR-6: the time series since the nulmeting (rows: the quarters YYYYQn).
REEKS = Vocabulary(
    key=REEKS_KEY,
    titel=f"{TREND_TITEL}: per kwartaal sinds de nulmeting",
    tables=(
        TableSpec(
            REEKS_TABEL,
            "Per kwartaal sinds de nulmeting",
            (),
            (
                Column("doelgroep_personen", "Doelgroep (personen)"),
                Column("werkzame_personen", "Werkzame personen"),
                Column("banen", "Banen", BANEN),
                Column("extra_banen", "Extra banen t.o.v. de nulmeting", BANEN, nullable=True),
            ),
        ),
    ),
    series=True,
)

# --- Factsheet banenafspraak (FS) ------------------------------------------------------------

_CATEGORIE_RIJEN = (
    ("wsw_wiw", "Wsw en Wiw/ID"),
    ("wajong", "Wajong"),
    ("doelgroep_pw", "Doelgroep Participatiewet"),
)

FACTSHEET = Vocabulary(
    key=FACTSHEET_KEY,
    titel=FACTSHEET_TITEL,
    tables=(
        TableSpec(
            "categorie",
            "Doelgroep en werkzame personen naar categorie",
            (*_CATEGORIE_RIJEN, ("totaal", "Totaal")),
            (
                Column("personen", "Personen in de doelgroep op {peildatum}"),
                Column("werkzaam", "Waarvan werkzaam op {peildatum}"),
            ),
        ),
        TableSpec(
            "stromen",
            "Verloop van het aantal werkzame personen, {vorige_peildatum} – {peildatum}",
            (
                ("werkzaam_vorige_peildatum", "Werkzaam op {vorige_peildatum}"),
                ("werkzame_instromers", "Werkzame instromers"),
                ("niet_werkzame_instromers", "Niet-werkzame instromers"),
                ("werkzame_uitstromers", "Werkzame uitstromers"),
                ("niet_werkzame_uitstromers", "Niet-werkzame uitstromers"),
                ("begonnen_met_werk", "Begonnen met werk"),
                ("gestopt_met_werk", "Gestopt met werk"),
                ("verhuisd_in_werkzaam", "Verhuisd naar de regio, werkzaam"),
                ("verhuisd_uit_werkzaam", "Verhuisd uit de regio, werkzaam"),
                ("werkzaam", "Werkzaam op {peildatum}"),
            ),
            (Column("personen", "Personen"),),
        ),
        TableSpec(
            "instroom_naar_grondslag",
            "Instromers naar categorie, werkzaam of niet op {peildatum}",
            (*_CATEGORIE_RIJEN, ("praktijkroute", "Praktijkroute"), ("totaal", "Totaal")),
            (
                Column("werkzaam", "Werkzaam"),
                Column("niet_werkzaam", "Niet werkzaam"),
            ),
        ),
        TableSpec(
            "uitstroom_naar_reden",
            "Uitstromers naar reden, werkzaam of niet op {vorige_peildatum}",
            (
                ("aow", "AOW-leeftijd bereikt"),
                ("overlijden", "Overleden"),
                ("duurzaam_geen_arbeidsvermogen", "Duurzaam geen arbeidsvermogen"),
                ("beschut_werk", "Beschut werk"),
                ("overig", "Andere reden"),
                ("totaal", "Totaal"),
            ),
            (
                Column("werkzaam", "Werkzaam"),
                Column("niet_werkzaam", "Niet werkzaam"),
            ),
        ),
    ),
)

# FS-3: the balance of the stromen table — werkzaam on P-1q, plus and minus the flows of
# working persons (sign +1/-1, in the order shown) — equals ``werkzaam`` on P.
STROMEN_BALANS = (
    ("werkzaam_vorige_peildatum", 1),
    ("werkzame_instromers", 1),
    ("werkzame_uitstromers", -1),
    ("begonnen_met_werk", 1),
    ("gestopt_met_werk", -1),
    ("verhuisd_in_werkzaam", 1),
    ("verhuisd_uit_werkzaam", -1),
)
STROMEN_UITKOMST = "werkzaam"

# --- Transparantie klantprofielen (KP) ---------------------------------------------------------

KLANTPROFIELEN = Vocabulary(
    key=KLANTPROFIELEN_KEY,
    titel=KLANTPROFIELEN_TITEL,
    tables=(
        TableSpec(
            "klantprofielen",
            "Zichtbare klantprofielen in de Kandidatenverkenner banenafspraak",
            (("totaal", "Totaal"),),
            (
                Column("doelgroep_zonder_werk", "Doelgroep zonder werk op {peildatum}"),
                Column("met_zichtbaar_profiel", "Waarvan met een zichtbaar klantprofiel"),
                Column("percentage", "Percentage met een zichtbaar klantprofiel", PERCENTAGE),
            ),
            turned=True,
        ),
        TableSpec(
            "volledigheid",
            "Volledigheid van de zichtbare klantprofielen",
            (
                ("heeft_cv", "Met cv"),
                ("heeft_beroep", "Met beroep"),
                ("heeft_werkervaring", "Met werkervaring"),
            ),
            (Column("percentage", "Percentage van de zichtbare profielen", PERCENTAGE),),
        ),
    ),
)
