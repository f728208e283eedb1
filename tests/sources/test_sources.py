"""DQ-1 / DQ-2: every reject rule and every structural error, with the message and the
reconciled counts (read = accepted + rejected)."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from conftest import AMS, advice, employer, job, june, lives, period, person, profile, registration, write_csv, write_inputs
from regiorapportage.engine import connect
from regiorapportage.errors import StructuralError
from regiorapportage.pipeline import run, validate_inputs
from regiorapportage.sources.schema import SOURCES
from regiorapportage.sources.validate import load_inputs

ALL = list(SOURCES)


def validate(folder):
    return load_inputs(connect(), folder, ALL, [])


def rejects_of(inputs, source):
    return inputs.sources[source].rejects.to_pandas().to_dict("records")


def base(**extra):
    srcs = {
        "personen": [person("P1"), person("P2")],
        "brp_verblijf": [lives("P1", AMS)],
        "adviezen": [advice("A1", "P1", "2018-01-01")],
        "polis_ikv": [job("I1", "P1")],
        "polis_tijdvak": [june("I1", "100")],
        "werkgever_tijdvak": [employer("W1", "2019-06-01", "2019-06-30", 63, "100", "50")],
        "doelgroepregister": [registration("R1", "P1")],
        "klantprofielen": [profile("P1")],
    }
    for k, rows in extra.items():
        srcs[k] = srcs.get(k, []) + rows
    return srcs


def assert_reconciles(inputs):
    for s in inputs.sources.values():
        assert s.read == s.accepted + s.rejected, s.name
        assert s.rejected == sum(s.reasons.values())


# ----------------------------------------------------------------- row rules (DQ-1)

ROW_CASES = [
    # (source, bad row, rule, words in the reason)
    ("personen", {"persoon_id": None, "geboortedatum": "1990-01-01"}, "DQ-2.verplicht", "persoon_id ontbreekt"),
    ("personen", person("P9", born="1985-02-30"), "DQ-2.datum", "geboortedatum '1985-02-30' is geen geldige datum (JJJJ-MM-DD)"),
    ("personen", person("P9", born="30-06-1985"), "DQ-2.datum", "'30-06-1985'"),
    ("personen", person("P1", born="1970-01-01"), "DQ-2.dubbel", "persoon_id 'P1' kwam al voor in rij 1"),
    ("brp_verblijf", lives("P1", "363"), "DQ-2.formaat", "gemeente_code '363' heeft niet de vorm GM gevolgd door 4 cijfers"),
    ("brp_verblijf", lives("P1", AMS, "2019-01-01", "2018-01-01"), "DQ-2.periode", "einddatum 2018-01-01 ligt voor begindatum 2019-01-01"),
    ("brp_verblijf", lives("P7", AMS), "DQ-2.verwijzing", "persoon_id 'P7' komt niet voor in personen"),
    ("adviezen", advice("A9", "P1", "2018-01-01", uitkomst="onbekend"), "DQ-2.code", "uitkomst 'onbekend' is geen van: positief, negatief"),
    ("adviezen", advice("A9", "P1", "2018-01-01", aanvrager="werkgever"), "DQ-2.code", "aanvrager 'werkgever'"),
    ("adviezen", advice("A9", "P1", "2018-01-01", requested="2018-02-01"), "DQ-2.advies_voor_aanvraag", "adviesdatum 2018-01-01 ligt voor aanvraagdatum 2018-02-01"),
    ("adviezen", advice("A9", "P1", "2014-12-31"), "DQ-2.advies_voor_2015", "ligt voor 1 januari 2015"),
    ("adviezen", advice("A9", "P1", "2016-12-31", aanvrager="burger"), "DQ-2.burger_voor_2017", "burgers kunnen pas sinds 1 januari 2017"),
    ("adviezen", advice("A1", "P2", "2018-05-01", uitkomst="negatief"), "DQ-2.dubbel", "advies_id 'A1' kwam al voor in rij 1"),
    ("adviezen", advice("A9", "P8", "2018-01-01"), "DQ-2.verwijzing", "persoon_id 'P8' komt niet voor in personen"),
    ("polis_ikv", job("I9", "P1", begin="2019-01-01", end="2018-12-31"), "DQ-2.periode", "einddatum 2018-12-31 ligt voor begindatum 2019-01-01"),
    ("polis_ikv", {**job("I9", "P1"), "inleenverband": "payroll"}, "DQ-2.code", "inleenverband 'payroll'"),
    ("polis_ikv", job("I1", "P2"), "DQ-2.dubbel", "ikv_id 'I1' kwam al voor in rij 1"),
    ("polis_ikv", job("I9", "P8"), "DQ-2.verwijzing", "persoon_id 'P8' komt niet voor in personen"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "12,50"), "DQ-2.getal", "sv_loon '12,50' is geen getal (met '.' als decimaalteken, hoogstens 6 decimalen)"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "100", kind="week"), "DQ-2.code", "tijdvak_type 'week'"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-30", "100"), "DQ-2.tijdvak", "past niet bij type maand (één kalendermaand)"),
    ("polis_tijdvak", period("I1", "2019-05-02", "2019-06-01", "100"), "DQ-2.tijdvak", "past niet bij type maand"),
    ("polis_tijdvak", period("I1", "2019-04-01", "2019-04-30", "100", kind="vierweken"), "DQ-2.tijdvak", "vierweken (28 dagen)"),
    ("polis_tijdvak", period("I1", "2019-02-01", "2019-04-30", "100", kind="kwartaal"), "DQ-2.tijdvak", "kwartaal (één kalenderkwartaal)"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "100", uren="-8"), "DQ-2.negatieve_uren", "verloonde_uren -8 is negatief"),
    ("polis_tijdvak", period("I1", "2019-06-01", "2019-06-30", "999"), "DQ-2.dubbel", "ikv_id 'I1', tijdvak_begin '2019-06-01' kwam al voor in rij 1"),
    ("polis_tijdvak", period("I1", "2019-06-10", "2019-07-07", "50", kind="vierweken"), "DQ-2.overlap", "overlapt een eerder tijdvak van ikv_id 'I1' (dat loopt t/m 2019-06-30)"),
    ("polis_tijdvak", period("I8", "2019-05-01", "2019-05-31", "100"), "DQ-2.verwijzing", "ikv_id 'I8' komt niet voor in polis_ikv"),
]


@pytest.mark.parametrize("source, row, rule, words", ROW_CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(ROW_CASES)])
def test_DQ_1_row_rule_rejects_with_reason(tmp_path, source, row, rule, words):
    folder = write_inputs(tmp_path / "in", **base(**{source: [row]}))
    inputs = validate(folder)
    assert_reconciles(inputs)
    rejects = rejects_of(inputs, source)
    assert len(rejects) == 1, rejects
    r = rejects[0]
    assert r["regel"] == rule
    assert words in r["reden"]
    assert r["rij"] == inputs.sources[source].read  # the bad row is the last row of the file
    # the original columns follow, as read
    assert list(r)[:3] == ["rij", "regel", "reden"]
    assert list(r)[3:] == SOURCES[source].column_names


def test_DQ_1_reference_cascades_from_rejected_parent(tmp_path):
    # ikv I9 is rejected (unknown person), so its payroll period refers to an unknown ikv
    folder = write_inputs(
        tmp_path / "in",
        **base(polis_ikv=[job("I9", "P8")], polis_tijdvak=[period("I9", "2019-05-01", "2019-05-31", "100")]),
    )
    inputs = validate(folder)
    assert [r["regel"] for r in rejects_of(inputs, "polis_tijdvak")] == ["DQ-2.verwijzing"]
    assert_reconciles(inputs)


def test_DQ_1_inleenverband_null_means_geen(tmp_path):
    inputs = validate(write_inputs(tmp_path / "in", **base()))
    assert inputs["polis_ikv"].to_pandas()["inleenverband"].tolist() == ["geen"]


def test_DQ_1_counts_in_manifest_reconcile(tmp_path):
    bad = {
        "adviezen": [advice("A1", "P2", "2018-05-01"), advice("A9", "P8", "2018-01-01")],
        "polis_tijdvak": [period("I1", "2019-05-01", "2019-05-31", "100", uren="-1")],
    }
    folder = write_inputs(tmp_path / "in", **base(**bad))
    result = run(folder, tmp_path / "uit", "2019Q2", render=False)
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    adv = manifest["bronnen"]["adviezen"]
    assert (adv["gelezen"], adv["geaccepteerd"], adv["afgewezen"]) == (3, 1, 2)
    assert adv["afwijzingen_per_regel"] == {"DQ-2.dubbel": 1, "DQ-2.verwijzing": 1}
    for entry in manifest["bronnen"].values():
        assert entry["gelezen"] == entry["geaccepteerd"] + entry["afgewezen"]
    with open(result.output_dir / "rejects" / "adviezen.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["rij"], r["regel"]) for r in rows] == [("2", "DQ-2.dubbel"), ("3", "DQ-2.verwijzing")]
    assert rows[0]["advies_id"] == "A1" and rows[0]["persoon_id"] == "P2"
    assert set(manifest["uitvoer"]) >= {"beschut_werk.csv", "rejects/adviezen.csv"}


def test_DQ_1_validate_command_writes_rejects(tmp_path):
    folder = write_inputs(tmp_path / "in", **base(personen=[person("P1")]))
    result = validate_inputs(folder, tmp_path / "afgewezen")
    assert result.sources["personen"].rejected == 1
    text = (tmp_path / "afgewezen" / "personen.csv").read_text()
    assert text.splitlines()[0] == "rij,regel,reden,persoon_id,geboortedatum,overlijdensdatum"
    assert "DQ-2.dubbel" in text


# ----------------------------------------------------------------- structure (DQ-2)


def _expect_structural(folder, *words, tmp_path=None):
    with pytest.raises(StructuralError) as info:
        validate(folder)
    for w in words:
        assert w in str(info.value)
    return info.value


def test_DQ_2_missing_file(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "polis_tijdvak.csv").unlink()
    _expect_structural(folder, "polis_tijdvak", "ontbreekt", "polis_tijdvak.csv, polis_tijdvak.parquet of een map polis_tijdvak/")


def test_DQ_2_missing_column(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    cols = [c for c in SOURCES["adviezen"].column_names if c != "uitkomst"]
    write_csv(folder / "adviezen.csv", cols, [advice("A1", "P1", "2018-01-01")])
    e = _expect_structural(folder, "adviezen.csv", "kolom 'uitkomst'", "ontbreekt")
    assert e.column == "uitkomst" and e.file == "adviezen.csv"


def test_DQ_2_whole_column_of_wrong_type(tmp_path):
    rows = [{**person(f"P{i}"), "geboortedatum": f"{i}"} for i in range(6)]
    folder = write_inputs(tmp_path / "in", **{**base(), "personen": rows})
    _expect_structural(folder, "personen.csv", "kolom 'geboortedatum'", "geen enkele waarde is een datum")


def test_DQ_2_empty_file(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "polis_ikv.csv").write_bytes(b"")
    _expect_structural(folder, "polis_ikv.csv", "is leeg")


def test_DQ_2_unreadable_file(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    header = ",".join(SOURCES["polis_ikv"].column_names).encode()
    (folder / "polis_ikv.csv").write_bytes(header + b"\n\xff\xfe\x00\x81,\xc3\x28,W1,2018-01-01,,\n")
    _expect_structural(folder, "polis_ikv.csv", "kan niet worden gelezen", "regel 2 is geen geldige UTF-8")


def test_DQ_2_unreadable_parquet(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "polis_ikv.csv").unlink()
    (folder / "polis_ikv.parquet").write_bytes(b"not a parquet file")
    _expect_structural(folder, "polis_ikv.parquet", "kan niet worden gelezen")


def test_DQ_2_both_csv_and_parquet(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "personen.parquet").write_bytes(b"x")
    _expect_structural(folder, "zowel personen.parquet als personen.csv")


def test_DQ_2_bronnen_json_missing_or_malformed(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "bronnen.json").write_text("{not json")
    _expect_structural(folder, "bronnen.json", "geen geldig JSON")
    (folder / "bronnen.json").unlink()
    _expect_structural(folder, "bronnen.json", "ontbreekt")


def test_DQ_2_bronnen_json_without_payroll_date_stops_run(tmp_path):
    folder = write_inputs(tmp_path / "in", extractiedatum={"adviezen": "2019-10-15"}, **base())
    with pytest.raises(StructuralError, match="polis_ikv"):
        run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert not (tmp_path / "uit" / "2019Q2").exists()


def test_DQ_2_structural_error_writes_nothing(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    write_csv(folder / "polis_tijdvak.csv", ["ikv_id", "tijdvak_type"], [])
    with pytest.raises(StructuralError, match="polis_tijdvak.csv"):
        run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert not (tmp_path / "uit").exists() or not any((tmp_path / "uit").iterdir())


def test_DQ_2_extra_column_is_ignored_with_notice(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    cols = SOURCES["personen"].column_names + ["bsn"]
    write_csv(folder / "personen.csv", cols, [{**person("P1"), "bsn": "123"}, person("P2")])
    inputs = validate(folder)
    assert inputs.sources["personen"].notices == ["extra kolom 'bsn' genegeerd"]
    assert "bsn" not in inputs["personen"].columns


def test_DQ_2_missing_input_folder(tmp_path):
    _expect_structural(tmp_path / "bestaat-niet", "bestaat niet")


def test_default_gemeenten_is_packaged_2019_classification(tmp_path):
    inputs = validate(write_inputs(tmp_path / "in", **base()))
    g = inputs.sources["gemeenten"]
    assert g.read == 355 and g.rejected == 0
    assert "meegeleverd" in g.file
    regions = inputs["gemeenten"].to_pandas()["arbeidsmarktregio_code"].nunique()
    assert regions == 36  # 35 regions + AM99


GEMEENTE_ROW = {"jaar": "2019", "gemeente_code": AMS, "gemeente_naam": "Amsterdam", "arbeidsmarktregio_code": "AM18",
                "arbeidsmarktregio_naam": "Groot Amsterdam"}

MORE_CASES = [
    ("gemeenten", {**GEMEENTE_ROW, "jaar": "2019.5", "gemeente_code": "GM0344"}, "DQ-2.getal", "jaar '2019.5' is geen geheel getal"),
    ("gemeenten", {**GEMEENTE_ROW, "gemeente_code": "GM0344", "arbeidsmarktregio_code": "A13"}, "DQ-2.formaat", "arbeidsmarktregio_code 'A13' heeft niet de vorm AM gevolgd door 2 cijfers"),
    ("gemeenten", {**GEMEENTE_ROW, "gemeente_naam": "Amsterdam (dubbel)"}, "DQ-2.dubbel", "jaar '2019', gemeente_code 'GM0363' kwam al voor in rij 1"),
    ("adviezen", advice("A9", "P1", "2018-01-01", gemeente="Amsterdam"), "DQ-2.formaat", "gemeente_code 'Amsterdam'"),
    ("adviezen", {**advice("A9", "P1", "2018-01-01"), "verantwoordelijke": None}, "DQ-2.verplicht", "verantwoordelijke ontbreekt"),
    ("adviezen", {**advice("A9", "P1", "2018-01-01"), "adviesdatum": "2018/01/01"}, "DQ-2.datum", "adviesdatum '2018/01/01' is geen geldige datum"),
    ("adviezen", {**advice("A9", "P1", "2018-01-01"), "adviesdatum": "2018-1-1"}, "DQ-2.datum", "'2018-1-1'"),
    ("brp_verblijf", {**lives("P1", AMS), "begindatum": None}, "DQ-2.verplicht", "begindatum ontbreekt"),
    ("polis_ikv", {**job("I9", "P1"), "werkgever_id": "  "}, "DQ-2.verplicht", "werkgever_id ontbreekt"),
    ("polis_tijdvak", {**period("I1", "2019-05-01", "2019-05-31", "100"), "sv_loon": None}, "DQ-2.verplicht", "sv_loon ontbreekt"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "100.1234567"), "DQ-2.getal", "hoogstens 6 decimalen"),
    ("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "1e3"), "DQ-2.getal", "sv_loon '1e3'"),
    ("polis_tijdvak", period("I1", "2019-04-01", "2019-09-30", "100", kind="halfjaar"), "DQ-2.tijdvak", "halfjaar (een kalenderhalfjaar)"),
    ("polis_tijdvak", period("I1", "2018-07-01", "2019-06-30", "100", kind="jaar"), "DQ-2.tijdvak", "jaar (één kalenderjaar)"),
]


@pytest.mark.parametrize("source, row, rule, words", MORE_CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(MORE_CASES)])
def test_DQ_1_more_row_rules(tmp_path, source, row, rule, words):
    extra = {"gemeenten": [GEMEENTE_ROW, row]} if source == "gemeenten" else {source: [row]}
    folder = write_inputs(tmp_path / "in", **base(**extra))
    inputs = validate(folder)
    assert_reconciles(inputs)
    rejects = rejects_of(inputs, source)
    assert [(r["regel"], words in r["reden"]) for r in rejects] == [(rule, True)], rejects


@pytest.mark.parametrize(
    "kind, begin, end", [("halfjaar", "2019-07-01", "2019-12-31"), ("jaar", "2019-01-01", "2019-12-31"), ("kwartaal", "2019-10-01", "2019-12-31")]
)
def test_T_3_valid_period_shapes_are_accepted(tmp_path, kind, begin, end):
    folder = write_inputs(tmp_path / "in", **base(polis_ikv=[job("I2", "P2")], polis_tijdvak=[period("I2", begin, end, "10", kind=kind)]))
    assert validate(folder).sources["polis_tijdvak"].rejected == 0


def test_DQ_1_reference_to_a_rejected_parent_row_says_so(tmp_path):
    folder = write_inputs(tmp_path / "in", **base(personen=[person("P3", born="1990-13-01")], adviezen=[advice("A3", "P3", "2018-01-01")]))
    inputs = validate(folder)
    [r] = rejects_of(inputs, "adviezen")
    assert r["regel"] == "DQ-2.verwijzing"
    assert "persoon_id 'P3' staat in personen, maar die rij is afgewezen (zie rejects/personen.csv)" == r["reden"]


def test_DQ_1_parquet_values_the_type_cannot_hold_are_rejected(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = write_inputs(tmp_path / "in", **base())
    (folder / "polis_tijdvak.csv").unlink()
    table = pa.table(
        {
            "ikv_id": ["I1", "I1", "I1"],
            "tijdvak_type": ["maand"] * 3,
            "tijdvak_begin": pa.array([date(2019, 4, 1), date(2019, 5, 1), date(2019, 6, 1)]),
            "tijdvak_einde": pa.array([date(2019, 4, 30), date(2019, 5, 31), date(2019, 6, 30)]),
            "sv_loon": [float("nan"), 1e20, 1500.0],
            "verloonde_uren": [80.0, 80.0, float("inf")],
        }
    )
    pq.write_table(table, folder / "polis_tijdvak.parquet")
    inputs = validate(folder)
    rejects = rejects_of(inputs, "polis_tijdvak")
    # 1e20 is a number, just far beyond the maximum of sv_loon (DQ-2.bereik)
    assert [(r["rij"], r["regel"]) for r in rejects] == [(1, "DQ-2.getal"), (2, "DQ-2.bereik"), (3, "DQ-2.getal")]
    assert "ligt boven het maximum 100.000.000" in rejects[1]["reden"]
    assert_reconciles(inputs)


def test_DQ_2_semicolon_file_gets_a_hint(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "personen.csv").write_text("persoon_id;geboortedatum;overlijdensdatum\nP1;1990-01-01;\n")
    _expect_structural(folder, "gescheiden met ';'")


def test_DQ_2_header_case_gets_a_hint(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "personen.csv").write_text("Persoon_ID,geboortedatum,overlijdensdatum\nP1,1990-01-01,\n")
    _expect_structural(folder, "'Persoon_ID' → 'persoon_id'")


def test_DQ_2_input_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    _expect_structural(tmp_path / "f", "is een bestand")


def test_DQ_2_few_bad_values_are_rejected_not_structural(tmp_path):
    # one row with a bad date is a row problem, not a wrong type for the whole column
    folder = write_inputs(tmp_path / "in", **{**base(), "personen": [person("P1", born="1-1-1990")]})
    inputs = validate(folder)
    assert inputs.sources["personen"].reasons == {"DQ-2.datum": 1}


NULMETING_ROW = {"arbeidsmarktregio_code": "AM18", "sector": "markt", "banen": "10.5"}
WERKKAMER_ROW = {"arbeidsmarktregio_code": "AM18", "jaar": "2019", "extra_banen": "12"}

BA_CASES = [
    ("doelgroepregister", registration("R9", "P1", "wsw"), "DQ-2.code", "grondslag 'wsw' is geen van: wajong"),
    ("doelgroepregister", registration("R9", "P1", begin="2019-01-01", end="2018-01-01"), "DQ-2.periode", "einddatum 2018-01-01 ligt voor begindatum 2019-01-01"),
    ("doelgroepregister", registration("R9", "P1", end="2019-01-01", reden="verhuisd"), "DQ-2.code", "einde_reden 'verhuisd' is geen van: aow"),
    ("doelgroepregister", registration("R1", "P2"), "DQ-2.dubbel", "registratie_id 'R1' kwam al voor in rij 1"),
    ("doelgroepregister", registration("R9", "P8"), "DQ-2.verwijzing", "persoon_id 'P8' komt niet voor in personen"),
    ("doelgroepregister", {**registration("R9", "P1"), "grondslag": None}, "DQ-2.verplicht", "grondslag ontbreekt"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 70), "DQ-2.sector", "sector_wfsv 70 ligt niet tussen 1 en 69"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 0), "DQ-2.sector", "sector_wfsv 0 ligt niet tussen 1 en 69"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 63, "100", "100.01"), "DQ-2.uren_ufo", "uren_ufo 100.01 ligt niet tussen 0 en uren_totaal 100"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 63, "100", "-1"), "DQ-2.uren_ufo", "uren_ufo -1 ligt niet tussen 0"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 63, "-5", "0"), "DQ-2.negatieve_uren", "uren_totaal -5 is negatief"),
    ("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", "zestig"), "DQ-2.getal", "sector_wfsv 'zestig' is geen geheel getal"),
    ("werkgever_tijdvak", employer("W1", "2019-06-01", "2019-06-30", 1), "DQ-2.dubbel", "werkgever_id 'W1', tijdvak_begin '2019-06-01' kwam al voor in rij 1"),
    ("werkgever_tijdvak", employer("W1", "2019-06-15", "2019-07-14", 1), "DQ-2.overlap", "overlapt een eerder tijdvak van werkgever_id 'W1' (dat loopt t/m 2019-06-30)"),
    ("klantprofielen", profile("P1", zichtbaar="ja"), "DQ-2.waar_onwaar", "zichtbaar 'ja' is geen true of false"),
    ("klantprofielen", profile("P1", cv="misschien"), "DQ-2.waar_onwaar", "heeft_cv 'misschien'"),
    ("klantprofielen", profile("P1", zichtbaar=None), "DQ-2.verplicht", "zichtbaar ontbreekt"),
    ("klantprofielen", profile("P8"), "DQ-2.verwijzing", "persoon_id 'P8' komt niet voor in personen"),
    ("nulmeting", {**NULMETING_ROW, "sector": "beide"}, "DQ-2.code", "sector 'beide' is geen van: markt, overheid"),
    ("nulmeting", {**NULMETING_ROW, "banen": "-3"}, "DQ-2.negatieve_banen", "banen -3 is negatief"),
    ("nulmeting", {**NULMETING_ROW, "banen": "4"}, "DQ-2.dubbel", "arbeidsmarktregio_code 'AM18', sector 'markt' kwam al voor"),
    ("nulmeting", {**NULMETING_ROW, "arbeidsmarktregio_code": "NL01"}, "DQ-2.formaat", "heeft niet de vorm AM gevolgd door 2 cijfers"),
    ("werkkamer_indicatie", {**WERKKAMER_ROW, "jaar": "twintig"}, "DQ-2.getal", "jaar 'twintig' is geen geheel getal"),
    ("werkkamer_indicatie", {**WERKKAMER_ROW, "extra_banen": "3"}, "DQ-2.dubbel", "jaar '2019' kwam al voor"),
]


@pytest.mark.parametrize("source, row, rule, words", BA_CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(BA_CASES)])
def test_DQ_1_banenafspraak_row_rules(tmp_path, source, row, rule, words):
    first = {"nulmeting": [NULMETING_ROW], "werkkamer_indicatie": [WERKKAMER_ROW]}.get(source, [])
    folder = write_inputs(tmp_path / "in", **base(**{source: first + [row]}))
    inputs = validate(folder)
    assert_reconciles(inputs)
    rejects = rejects_of(inputs, source)
    assert [(r["regel"], words in r["reden"]) for r in rejects] == [(rule, True)], rejects


def test_DQ_1_optional_banenafspraak_inputs_may_be_absent(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    inputs = validate(folder)
    assert "nulmeting" not in inputs.sources and "werkkamer_indicatie" not in inputs.sources
    assert inputs.sources["doelgroepregister"].accepted == 1


def test_DQ_2_missing_register_stops_the_run(tmp_path):
    folder = write_inputs(tmp_path / "in", **base())
    (folder / "doelgroepregister.csv").unlink()
    with pytest.raises(StructuralError, match="doelgroepregister"):
        run(folder, tmp_path / "uit", "2019Q2", render=False)
    assert not (tmp_path / "uit" / "2019Q2").exists()
    # the Rapportage beschut werk alone does not need it
    run(folder, tmp_path / "uit", "2019Q2", render=False, publications=["beschut_werk"])
