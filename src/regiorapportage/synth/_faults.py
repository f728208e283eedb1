"""Injected faulty rows (``faults=True``): rows that the CONTRACT's row rules (DQ-1) reject.

Every fault is designed so that rejecting it leaves the calibrated numbers unchanged, and —
where possible — so that wrongly *accepting* it would change a published number (a positive
advice for a person without one, a wage in the period of P for a person who does not work, a
later residence in another region, …). The rows are placed in the files after the rows they
duplicate or overlap (first occurrence wins), elsewhere at a seeded random position.

At scale s every fault is injected ``max(1, round(s))`` times (on different persons), except
that faults needing a host person of a particular kind are skipped when the population has no
such person left (only at very small scales). Faults marked ``csv_only`` (unparseable dates)
are not possible in typed Parquet and are only injected in CSV output.
"""

from __future__ import annotations

from dataclasses import dataclass

# Rule ids used below, with the CONTRACT wording (CONTRACT.md, "Row-level rules", DQ-1).
RULES = {
    "missing_value": "a required value missing",
    "code_list": "a value outside its code list",
    "date_parse": "a date that does not parse",
    "einddatum_before_begindatum": "einddatum before begindatum",
    "adviesdatum_before_aanvraagdatum": "adviesdatum before aanvraagdatum",
    "adviesdatum_before_2015": "adviesdatum before 2015-01-01",
    "burger_before_2017": "aanvrager = burger with adviesdatum before 2017-01-01",
    "tijdvak_length": "a tijdvak whose length does not fit its tijdvak_type",
    "negative_hours": "negative verloonde_uren",
    "overlap": "a payroll period that overlaps an earlier period of the same ikv_id (or of the "
               "same werkgever_id in werkgever_tijdvak)",
    "duplicate_key": "a duplicate key — the first occurrence is kept, later ones are rejected",
    "unknown_persoon": "a row that refers to an unknown persoon_id",
    "unknown_ikv": "a row that refers to an unknown ikv_id",
    "value_range": "a value outside its allowed range (sector_wfsv 1–69, uren_totaal ≥ 0, "
                   "0 ≤ uren_ufo ≤ uren_totaal)",
    "bool_parse": "a boolean that is not true or false",
    "number_parse": "a number that does not parse",
    "format": "a code that does not have its required format (AM + 2 digits)",
}


@dataclass(frozen=True)
class FaultSpec:
    code: str
    source: str
    rule: str  # key of RULES
    description: str  # what the row is, and what accepting it would do
    csv_only: bool = False
    # True when accepting this row alone (as far as it can be read) changes a number of the
    # Rapportage beschut werk 2019Q2 at scale 1 (so a validator that wrongly accepts it fails
    # the calibration); False for rows that are harmless by construction (see description).
    changes_numbers: bool = True


FAULTS: tuple[FaultSpec, ...] = (
    FaultSpec("F-PER-01", "personen", "missing_value",
              "an extra person (no other rows; rejecting a person with rows would cascade) "
              "without geboortedatum", changes_numbers=False),
    FaultSpec("F-PER-02", "personen", "date_parse",
              "an extra person (no other rows) with geboortedatum 1990-02-30", csv_only=True,
              changes_numbers=False),
    FaultSpec("F-BRP-01", "brp_verblijf", "einddatum_before_begindatum",
              "for an emigrated person: a record in another region that begins after the "
              "emigration (before P) and ends 30 days before it begins; accepted, it would be "
              "the last known address and move the person to another region (R-1)"),
    FaultSpec("F-BRP-02", "brp_verblijf", "unknown_persoon",
              "an open residence record of a persoon_id that is not in personen",
              changes_numbers=False),
    FaultSpec("F-BRP-03", "brp_verblijf", "date_parse",
              "an open record in another region with begindatum 2019-02-29 (a lenient parser "
              "that rolls it over to 2019-03-01 would move the person)", csv_only=True,
              changes_numbers=False),
    FaultSpec("F-BRP-04", "brp_verblijf", "missing_value",
              "an open record from 2019-05-01 without gemeente_code; accepted, it would cover P"),
    FaultSpec("F-ADV-01", "adviezen", "duplicate_key",
              "a later row with the advies_id of a positive advice in the window and uitkomst "
              "negatief; accepted, it would add a negative advice"),
    FaultSpec("F-ADV-02", "adviezen", "adviesdatum_before_aanvraagdatum",
              "a positive advice (2019-02) dated three weeks before its aanvraagdatum, for a "
              "person who otherwise has only negative advices; accepted, it would add a cohort "
              "person and a positive advice"),
    FaultSpec("F-ADV-03", "adviezen", "burger_before_2017",
              "a positive citizen application decided in 2016, for a person with only negative "
              "advices"),
    FaultSpec("F-ADV-04", "adviezen", "adviesdatum_before_2015",
              "a positive advice dated 2014-12, for a person with only negative advices (outside "
              "the BW-1 window, so harmless if accepted)", changes_numbers=False),
    FaultSpec("F-ADV-05", "adviezen", "unknown_persoon",
              "a positive advice in the window for a persoon_id that is not in personen (a "
              "pipeline counting advices without joining personen would count it)",
              changes_numbers=False),
    FaultSpec("F-ADV-06", "adviezen", "code_list",
              "an advice in the window with uitkomst 'onbekend'"),
    FaultSpec("F-ADV-07", "adviezen", "date_parse",
              "a positive advice with adviesdatum 2019-02-30", csv_only=True,
              changes_numbers=False),
    FaultSpec("F-ADV-08", "adviezen", "missing_value",
              "a positive advice in the window without aanvrager"),
    FaultSpec("F-IKV-01", "polis_ikv", "duplicate_key",
              "a later row with the ikv_id of a working person's relation but the persoon_id "
              "of a cohort person without any relation; accepted, that person would work on P"),
    FaultSpec("F-IKV-02", "polis_ikv", "unknown_persoon",
              "an open relation of a persoon_id that is not in personen (no periods)",
              changes_numbers=False),
    FaultSpec("F-IKV-03", "polis_ikv", "einddatum_before_begindatum",
              "a relation from 2019-06-10 to 2019-05-10 (no periods) of a cohort person without "
              "relations", changes_numbers=False),
    FaultSpec("F-IKV-04", "polis_ikv", "code_list",
              "an open relation (no periods) with inleenverband 'detachering', for a cohort "
              "person whose only relation ended in June 2019 with wage in June; accepted, it "
              "would cover P and the person would work on P"),
    FaultSpec("F-IKV-05", "polis_ikv", "date_parse",
              "an open relation (no periods) with begindatum 2019-04-31 for such a person",
              csv_only=True, changes_numbers=False),
    FaultSpec("F-IKV-06", "polis_ikv", "missing_value",
              "an open relation (no periods) from June 2019 without werkgever_id for such a "
              "person; accepted, the person would work on P"),
    FaultSpec("F-TV-01", "polis_tijdvak", "duplicate_key",
              "a later row with the (ikv_id, tijdvak_begin) of the June 2019 period of a "
              "non-working person (zero wage in June) and sv_loon 2500; accepted, the person "
              "would work on P"),
    FaultSpec("F-TV-02", "polis_tijdvak", "overlap",
              "a vierweken period 2019-06-03…2019-06-30 (sv_loon 1500) of a monthly relation "
              "that already has June 2019 with zero wage; accepted, the person would work on P"),
    FaultSpec("F-TV-03", "polis_tijdvak", "tijdvak_length",
              "a vierweken period of 31 days (2019-06-03…2019-07-03) with wage, for a "
              "relation covering P without periods since May; accepted: working on P"),
    FaultSpec("F-TV-04", "polis_tijdvak", "negative_hours",
              "a June 2019 period with wage and verloonde_uren -12 for such a relation"),
    FaultSpec("F-TV-05", "polis_tijdvak", "code_list",
              "a period with tijdvak_type 'week' (2019-06-24…2019-06-30) with wage for such a "
              "relation"),
    FaultSpec("F-TV-06", "polis_tijdvak", "date_parse",
              "a June 2019 period with tijdvak_einde 2019-06-31 for such a relation",
              csv_only=True, changes_numbers=False),
    FaultSpec("F-TV-07", "polis_tijdvak", "missing_value",
              "a June 2019 period with wage but without tijdvak_type for such a relation"),
    FaultSpec("F-TV-08", "polis_tijdvak", "unknown_ikv",
              "a June 2019 period with wage for an ikv_id that is not in polis_ikv",
              changes_numbers=False),
    # --- banenafspraak sources (banenafspraak=True). None of them touches a beschut werk
    # number (changes_numbers=False); the description says what accepting would do to the
    # banenafspraak publications.
    FaultSpec("F-WGT-01", "werkgever_tijdvak", "value_range",
              "June 2019 of an employer that has no record for that month (sector onbekend, "
              "BA-6) with uren_ufo greater than uren_totaal in a government sector; accepted, "
              "its employees' hours would count as overheid", changes_numbers=False),
    FaultSpec("F-WGT-02", "werkgever_tijdvak", "value_range",
              "a record with sector_wfsv 70 in a month the employer has no other record for",
              changes_numbers=False),
    FaultSpec("F-WGT-03", "werkgever_tijdvak", "overlap",
              "a government record 2019-06-10…2019-06-23 (all hours Ufo) of a market employer "
              "that already has June 2019 (placed after it); accepted, the employer's June "
              "could become overheid",
              changes_numbers=False),
    FaultSpec("F-WGT-04", "werkgever_tijdvak", "duplicate_key",
              "a later row with the (werkgever_id, tijdvak_begin) of a market employer's June "
              "2019 record, but sector 62 with all hours Ufo (overheid if accepted)",
              changes_numbers=False),
    FaultSpec("F-WGT-05", "werkgever_tijdvak", "missing_value",
              "a record without sector_wfsv in a month the employer has no other record for",
              changes_numbers=False),
    FaultSpec("F-WGT-06", "werkgever_tijdvak", "value_range",
              "a record with negative uren_totaal (and uren_ufo 0) in a free month",
              changes_numbers=False),
    FaultSpec("F-WGT-07", "werkgever_tijdvak", "date_parse",
              "a record with tijdvak_einde 2019-06-31 in a free month", csv_only=True,
              changes_numbers=False),
    FaultSpec("F-DGR-01", "doelgroepregister", "code_list",
              "an open registration from 2019-01-15 with grondslag 'wsw_intern', for a person "
              "who is not in the doelgroep on 2019-06-30 (accepted: one more doelgroep person)",
              changes_numbers=False),
    FaultSpec("F-DGR-02", "doelgroepregister", "einddatum_before_begindatum",
              "a registration 2019-05-01…2019-04-01 (indicatie banenafspraak) for such a person",
              changes_numbers=False),
    FaultSpec("F-DGR-03", "doelgroepregister", "duplicate_key",
              "a later row with the registratie_id of an open registration but the persoon_id "
              "of a person outside the doelgroep", changes_numbers=False),
    FaultSpec("F-DGR-04", "doelgroepregister", "unknown_persoon",
              "an open Wajong registration of a persoon_id that is not in personen",
              changes_numbers=False),
    FaultSpec("F-DGR-05", "doelgroepregister", "missing_value",
              "an open registration without begindatum for a person outside the doelgroep",
              changes_numbers=False),
    FaultSpec("F-DGR-06", "doelgroepregister", "date_parse",
              "an open registration with begindatum 2018-13-01", csv_only=True,
              changes_numbers=False),
    FaultSpec("F-DGR-07", "doelgroepregister", "code_list",
              "an ended registration with einde_reden 'verhuisd'", changes_numbers=False),
    FaultSpec("F-KP-01", "klantprofielen", "bool_parse",
              "an open profile with zichtbaar 'ja'", csv_only=True, changes_numbers=False),
    FaultSpec("F-KP-02", "klantprofielen", "missing_value",
              "an open profile without zichtbaar", changes_numbers=False),
    FaultSpec("F-KP-03", "klantprofielen", "unknown_persoon",
              "a visible profile of a persoon_id that is not in personen", changes_numbers=False),
    FaultSpec("F-KP-04", "klantprofielen", "einddatum_before_begindatum",
              "a visible profile 2019-03-01…2019-01-31", changes_numbers=False),
    FaultSpec("F-KP-05", "klantprofielen", "date_parse",
              "a visible profile with begindatum 2019-02-30", csv_only=True, changes_numbers=False),
    FaultSpec("F-WKI-01", "werkkamer_indicatie", "duplicate_key",
              "a later row with the (arbeidsmarktregio_code, jaar) of 2019 of a region and "
              "twice its extra_banen", changes_numbers=False),
    FaultSpec("F-WKI-02", "werkkamer_indicatie", "format",
              "a row for region code 'AM1' (not AM + 2 digits)", changes_numbers=False),
    FaultSpec("F-WKI-03", "werkkamer_indicatie", "missing_value",
              "a row for 2030 without extra_banen", changes_numbers=False),
    FaultSpec("F-WKI-04", "werkkamer_indicatie", "number_parse",
              "a row for 2060 with extra_banen 'veel'", csv_only=True, changes_numbers=False),
)

FAULTS_BY_CODE = {f.code: f for f in FAULTS}


def copies_for(scale: float) -> int:
    """How many times each fault is injected at a scale."""
    return max(1, int(round(scale)))


BA_FAULT_SOURCES = ("werkgever_tijdvak", "doelgroepregister", "klantprofielen", "werkkamer_indicatie")


def faults_for(fmt: str, banenafspraak: bool = True) -> tuple[FaultSpec, ...]:
    """The faults injected for a format (and with or without the banenafspraak sources)."""
    return tuple(f for f in FAULTS if (fmt == "csv" or not f.csv_only)
                 and (banenafspraak or f.source not in BA_FAULT_SOURCES))


@dataclass(frozen=True)
class InjectedFault:
    """One injected row: ``row`` is its 1-based data row number in the file (header not
    counted), as in the ``rij`` column of the pipeline's rejects files."""

    code: str
    source: str
    rule: str
    row: int
