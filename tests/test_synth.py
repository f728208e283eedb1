"""Tests of the synthetic data generator (regiorapportage.synth).

The calibration check is an independent implementation of SPEC R-1…R-5 and BW-1…BW-5 in plain
DuckDB SQL (it shares no code with the generator or the pipeline): at scale 1 the Rapportage
beschut werk 2019Q2 computed from the synthetic extracts must equal the published numbers.
"""

from __future__ import annotations

import csv
import hashlib
import json
import pathlib
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from regiorapportage.synth import (
    FAULTS, RULES, SOURCES, copies_for, faults_for, generate, generate_detailed,
)

TARGET = pathlib.Path(__file__).resolve().parents[1] / "src/regiorapportage/synth/data/doel_beschut_werk_2019Q2.csv"

COLUMNS = {
    "gemeenten": {"jaar": "INTEGER", "gemeente_code": "VARCHAR", "gemeente_naam": "VARCHAR",
                  "arbeidsmarktregio_code": "VARCHAR", "arbeidsmarktregio_naam": "VARCHAR"},
    "personen": {"persoon_id": "VARCHAR", "geboortedatum": "DATE", "overlijdensdatum": "DATE"},
    "brp_verblijf": {"persoon_id": "VARCHAR", "gemeente_code": "VARCHAR", "begindatum": "DATE",
                     "einddatum": "DATE"},
    "adviezen": {"advies_id": "VARCHAR", "persoon_id": "VARCHAR", "aanvraagdatum": "DATE",
                 "adviesdatum": "DATE", "aanvrager": "VARCHAR", "verantwoordelijke": "VARCHAR",
                 "uitkomst": "VARCHAR", "gemeente_code": "VARCHAR"},
    "polis_ikv": {"ikv_id": "VARCHAR", "persoon_id": "VARCHAR", "werkgever_id": "VARCHAR",
                  "begindatum": "DATE", "einddatum": "DATE", "inleenverband": "VARCHAR"},
    "polis_tijdvak": {"ikv_id": "VARCHAR", "tijdvak_type": "VARCHAR", "tijdvak_begin": "DATE",
                      "tijdvak_einde": "DATE", "sv_loon": "DECIMAL(12,2)",
                      "verloonde_uren": "DECIMAL(12,2)"},
}

# --- independent computation of the Rapportage beschut werk (SPEC R, BW) -------------------

BW_SQL = """
WITH
params AS (SELECT DATE '2019-06-30' AS p),
-- R-1: the BRP record covering P, else the most recent one that began before P
brp_on_p AS (
    SELECT persoon_id, gemeente_code FROM (
        SELECT b.persoon_id, b.gemeente_code,
               row_number() OVER (
                   PARTITION BY b.persoon_id
                   ORDER BY (b.einddatum IS NULL OR b.einddatum >= params.p) DESC, b.begindatum DESC
               ) AS rn
        FROM brp_verblijf b, params
        WHERE b.begindatum <= params.p
    ) WHERE rn = 1
),
-- R-3: without any BRP record, the gemeente on the most recent advice
advice_gemeente AS (
    SELECT persoon_id, gemeente_code FROM (
        SELECT persoon_id, gemeente_code,
               row_number() OVER (PARTITION BY persoon_id ORDER BY adviesdatum DESC, advies_id DESC) AS rn
        FROM adviezen
    ) WHERE rn = 1
),
person_region AS (
    SELECT p.persoon_id,
           coalesce(g.arbeidsmarktregio_code, 'ONB') AS regio   -- R-2, R-4
    FROM personen p
    LEFT JOIN brp_on_p b USING (persoon_id)
    LEFT JOIN advice_gemeente a USING (persoon_id)
    LEFT JOIN gemeenten g
      ON g.jaar = 2019
     AND g.gemeente_code = CASE
            WHEN p.persoon_id IN (SELECT persoon_id FROM brp_verblijf) THEN b.gemeente_code
            ELSE a.gemeente_code END
),
-- BW-1: advices from 2015-01-01 up to the last day of the next quarter
window_advices AS (
    SELECT a.*, r.regio FROM adviezen a JOIN person_region r USING (persoon_id)
    WHERE a.adviesdatum BETWEEN DATE '2015-01-01' AND DATE '2019-09-30'
),
-- BW-3: the earliest positive advice decides the row
first_positive AS (
    SELECT * FROM (
        SELECT a.*, row_number() OVER (PARTITION BY persoon_id ORDER BY adviesdatum, advies_id) AS rn
        FROM adviezen a
        WHERE uitkomst = 'positief' AND adviesdatum >= DATE '2015-01-01'
    ) WHERE rn = 1
),
-- BW-4: an ikv covering P and a positive sum of sv_loon in the periods holding P
covered AS (
    SELECT DISTINCT i.persoon_id FROM polis_ikv i, params
    WHERE i.begindatum <= params.p AND (i.einddatum IS NULL OR i.einddatum >= params.p)
),
paid AS (
    SELECT i.persoon_id FROM polis_tijdvak t JOIN polis_ikv i USING (ikv_id), params
    WHERE t.tijdvak_begin <= params.p AND params.p <= t.tijdvak_einde
    GROUP BY i.persoon_id HAVING sum(t.sv_loon) > 0
),
werkend AS (SELECT persoon_id FROM covered INTERSECT SELECT persoon_id FROM paid),
persons AS (
    SELECT f.persoon_id, r.regio, f.aanvrager, f.verantwoordelijke,
           f.adviesdatum <= DATE '2019-03-31' AS in_cohort,
           f.adviesdatum <= DATE '2019-06-30' AS tm_p,
           w.persoon_id IS NOT NULL AS works
    FROM first_positive f
    JOIN person_region r USING (persoon_id)
    LEFT JOIN werkend w USING (persoon_id)
),
adv_long AS (
    SELECT regio, 'adviezen_naar_aanvrager' AS tabel, 'aanvraag_' || aanvrager AS rij, uitkomst AS kolom,
           count(*) AS n FROM window_advices GROUP BY ALL
    UNION ALL
    SELECT regio, 'adviezen_naar_verantwoordelijke', verantwoordelijke, uitkomst, count(*)
    FROM window_advices GROUP BY ALL
),
work_base AS (
    SELECT regio, 'werk_naar_aanvrager' AS tabel, 'aanvraag_' || aanvrager AS rij, in_cohort, tm_p, works
    FROM persons
    UNION ALL
    SELECT regio, 'werk_naar_verantwoordelijke', verantwoordelijke, in_cohort, tm_p, works FROM persons
),
work_long AS (
    SELECT regio, tabel, rij, 'positief_advies_tm_cohortdatum' AS kolom, count(*) FILTER (WHERE in_cohort) AS n
    FROM work_base GROUP BY ALL
    UNION ALL
    SELECT regio, tabel, rij, 'werkend_uit_cohort', count(*) FILTER (WHERE in_cohort AND works)
    FROM work_base GROUP BY ALL
    UNION ALL
    SELECT regio, tabel, rij, 'totaal_werkend', count(*) FILTER (WHERE tm_p AND works)
    FROM work_base GROUP BY ALL
)
SELECT regio, tabel, rij, kolom, n FROM adv_long
UNION ALL
SELECT regio, tabel, rij, kolom, n FROM work_long
"""


def compute_bw(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str, str], int]:
    """All numbers of the report per region incl. NL01, totals and percentages."""
    cells: dict[tuple[str, str, str, str], int] = {}
    for regio, tabel, rij, kolom, n in con.execute(BW_SQL).fetchall():
        for r in (regio, "NL01"):
            for rr in (rij, "totaal"):
                for kk in ((kolom, "totaal") if tabel.startswith("adviezen") else (kolom,)):
                    key = (r, tabel, rr, kk)
                    cells[key] = cells.get(key, 0) + int(n)
    for (r, tabel, rij, kolom), c in list(cells.items()):
        if kolom == "positief_advies_tm_cohortdatum":
            w = cells.get((r, tabel, rij, "werkend_uit_cohort"), 0)
            cells[(r, tabel, rij, "percentage_werkend")] = (200 * w + c) // (2 * c) if c else 0
    return cells


def load_target() -> dict[tuple[str, str, str, str], int]:
    with TARGET.open(encoding="utf-8") as fh:
        return {(r["regio_code"], r["tabel"], r["rij"], r["kolom"]): int(r["waarde"]) for r in csv.DictReader(fh)}


def connect(directory: pathlib.Path, fmt: str, exclude: dict[str, set[int]] | None = None) -> duckdb.DuckDBPyConnection:
    """Load the extracts into DuckDB. CSV is read as text, the rows in ``exclude`` (1-based
    data row numbers) are dropped, and the columns are cast to the CONTRACT types."""
    con = duckdb.connect()
    for source, cols in COLUMNS.items():
        path = directory / f"{source}.{fmt}"
        if fmt == "csv":
            table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in cols}, strings_can_be_null=True))
        else:
            table = pq.read_table(path)
        drop = np.array(sorted((exclude or {}).get(source, set())), dtype=np.int64) - 1
        keep = np.setdiff1d(np.arange(table.num_rows), drop)
        table = table.take(pa.array(keep))
        con.register(f"raw_{source}", table)
        select = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in cols.items())
        con.execute(f"CREATE TABLE {source} AS SELECT {select} FROM raw_{source}")
    return con


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scale1_csv_faults(tmp_path_factory):
    out = tmp_path_factory.mktemp("s1csv")
    result = generate_detailed(out, scale=1, fmt="csv", faults=True)
    return out, result


@pytest.fixture(scope="module")
def scale1_parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("s1pq")
    result = generate_detailed(out, scale=1, fmt="parquet", faults=False)
    return out, result


@pytest.fixture(scope="module")
def clean_db(scale1_parquet):
    out, _ = scale1_parquet
    return connect(out, "parquet")


def _exclusions(result) -> dict[str, set[int]]:
    exclude: dict[str, set[int]] = {}
    for f in result.faults:
        exclude.setdefault(f.source, set()).add(f.row)
    return exclude


# --- calibration (BW) ---------------------------------------------------------------------------

def _assert_matches_publication(cells):
    target = load_target()
    assert len(target) == 1548
    mismatches = {k: (v, cells.get(k, 0)) for k, v in target.items() if cells.get(k, 0) != v}
    assert not mismatches, f"{len(mismatches)} numbers differ, e.g. {list(mismatches.items())[:5]}"
    onb = {k: v for k, v in cells.items() if k[0] == "ONB" and v}
    assert not onb, f"ONB must be empty at scale 1: {onb}"
    assert {k[0] for k in cells} <= {k[0] for k in target} | {"ONB"}


def test_bw_calibration_exact_without_faults(clean_db):
    """BW-1…BW-5, R-1…R-5: scale 1 reproduces every published number (NL01, 35 regions, AM99)."""
    _assert_matches_publication(compute_bw(clean_db))


def test_bw_calibration_exact_for_another_seed(tmp_path):
    """The calibration does not depend on the seed (only the synthetic individuals do)."""
    generate(tmp_path, scale=1, seed=1, fmt="parquet", faults=False)
    _assert_matches_publication(compute_bw(connect(tmp_path, "parquet")))


def test_bw_calibration_exact_after_rejecting_injected_faults(scale1_csv_faults):
    out, result = scale1_csv_faults
    con = connect(out, "csv", exclude=_exclusions(result))
    _assert_matches_publication(compute_bw(con))


def test_faulty_data_is_clean_data_plus_fault_rows(scale1_csv_faults, clean_db):
    out, result = scale1_csv_faults
    con = connect(out, "csv", exclude=_exclusions(result))
    for source, cols in COLUMNS.items():
        order = ", ".join(cols)
        a = con.execute(f"SELECT * FROM {source} ORDER BY ALL").fetchall()
        b = clean_db.execute(f"SELECT {order} FROM {source} ORDER BY ALL").fetchall()
        assert a == b, source


def test_each_fault_would_change_numbers_if_accepted(scale1_csv_faults):
    """A validator that wrongly accepted one of these rows would fail the calibration."""
    out, result = scale1_csv_faults
    con = duckdb.connect()
    for source, cols in COLUMNS.items():
        table = pacsv.read_csv(out / f"{source}.csv", convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in cols}, strings_can_be_null=True))
        table = table.append_column("rij", pa.array(np.arange(1, table.num_rows + 1)))
        con.register(f"raw_{source}", table)
        select = ", ".join(f"TRY_CAST({c} AS {t}) AS {c}" for c, t in cols.items())
        con.execute(f"CREATE TABLE all_{source} AS SELECT rij, {select} FROM raw_{source}")
    fault_rows = {s: [f.row for f in result.faults if f.source == s] or [0] for s in SOURCES}
    target = load_target()
    checked = 0
    for fault in result.faults:
        if not next(f for f in FAULTS if f.code == fault.code).changes_numbers:
            continue
        for source, cols in COLUMNS.items():
            excluded = [r for r in fault_rows[source] if not (source == fault.source and r == fault.row)] or [0]
            con.execute(f"CREATE OR REPLACE VIEW {source} AS SELECT {', '.join(cols)} FROM all_{source} "
                        f"WHERE rij NOT IN ({', '.join(map(str, excluded))})")
        cells = compute_bw(con)
        assert any(cells.get(k, 0) != v for k, v in target.items()), fault
        checked += 1
    assert checked >= 14


# --- faults -------------------------------------------------------------------------------------

def test_fault_table_documents_every_injected_fault(scale1_csv_faults):
    _, result = scale1_csv_faults
    codes = {f.code for f in FAULTS}
    assert len(codes) == len(FAULTS)
    assert all(f.rule in RULES for f in FAULTS)
    assert all(f.source in SOURCES for f in FAULTS)
    injected = [(f.code, f.source, f.rule) for f in result.faults]
    expected = [(f.code, f.source, f.rule) for f in faults_for("csv")] * copies_for(1)
    assert sorted(injected) == sorted(expected)
    assert len({(f.source, f.row) for f in result.faults}) == len(result.faults)


def test_fault_rows_break_their_rule(scale1_csv_faults):
    out, result = scale1_csv_faults
    tables = {s: list(csv.DictReader((out / f"{s}.csv").open(encoding="utf-8"))) for s in SOURCES}
    by_code = {f.code: tables[f.source][f.row - 1] for f in result.faults}

    def first_row(source, key, value, before):
        return any(r[key] == value for r in tables[source][: before - 1])

    def parses(text):
        try:
            date.fromisoformat(text)
            return True
        except ValueError:
            return False

    assert by_code["F-PER-01"]["geboortedatum"] == ""
    assert not parses(by_code["F-PER-02"]["geboortedatum"])
    r = by_code["F-BRP-01"]; assert r["einddatum"] < r["begindatum"]
    persons = {r["persoon_id"] for r in tables["personen"]}
    assert by_code["F-BRP-02"]["persoon_id"] not in persons
    assert not parses(by_code["F-BRP-03"]["begindatum"])
    assert by_code["F-BRP-04"]["gemeente_code"] == ""
    row = next(f.row for f in result.faults if f.code == "F-ADV-01")
    assert first_row("adviezen", "advies_id", by_code["F-ADV-01"]["advies_id"], row)
    r = by_code["F-ADV-02"]; assert r["adviesdatum"] < r["aanvraagdatum"]
    r = by_code["F-ADV-03"]; assert r["aanvrager"] == "burger" and r["adviesdatum"] < "2017-01-01"
    assert by_code["F-ADV-04"]["adviesdatum"] < "2015-01-01"
    assert by_code["F-ADV-05"]["persoon_id"] not in persons
    assert by_code["F-ADV-06"]["uitkomst"] not in ("positief", "negatief")
    assert not parses(by_code["F-ADV-07"]["adviesdatum"])
    assert by_code["F-ADV-08"]["aanvrager"] == ""
    row = next(f.row for f in result.faults if f.code == "F-IKV-01")
    assert first_row("polis_ikv", "ikv_id", by_code["F-IKV-01"]["ikv_id"], row)
    assert by_code["F-IKV-02"]["persoon_id"] not in persons
    r = by_code["F-IKV-03"]; assert r["einddatum"] < r["begindatum"]
    assert by_code["F-IKV-04"]["inleenverband"] not in ("", "geen", "uitzend", "wsw_detachering")
    assert not parses(by_code["F-IKV-05"]["begindatum"])
    assert by_code["F-IKV-06"]["werkgever_id"] == ""
    r = by_code["F-TV-01"]
    row = next(f.row for f in result.faults if f.code == "F-TV-01")
    assert any(x["ikv_id"] == r["ikv_id"] and x["tijdvak_begin"] == r["tijdvak_begin"]
               for x in tables["polis_tijdvak"][: row - 1])
    r = by_code["F-TV-02"]
    row = next(f.row for f in result.faults if f.code == "F-TV-02")
    assert any(x["ikv_id"] == r["ikv_id"] and x["tijdvak_begin"] < r["tijdvak_begin"] <= x["tijdvak_einde"]
               for x in tables["polis_tijdvak"][: row - 1])
    r = by_code["F-TV-03"]
    assert r["tijdvak_type"] == "vierweken"
    assert (date.fromisoformat(r["tijdvak_einde"]) - date.fromisoformat(r["tijdvak_begin"])).days + 1 != 28
    assert float(by_code["F-TV-04"]["verloonde_uren"]) < 0
    assert by_code["F-TV-05"]["tijdvak_type"] not in ("maand", "vierweken", "kwartaal", "halfjaar", "jaar")
    assert not parses(by_code["F-TV-06"]["tijdvak_einde"])
    assert by_code["F-TV-07"]["tijdvak_type"] == ""
    ikvs = {r["ikv_id"] for r in tables["polis_ikv"]}
    assert by_code["F-TV-08"]["ikv_id"] not in ikvs


def test_no_faults_when_disabled(scale1_parquet):
    _, result = scale1_parquet
    assert result.faults == []


def test_parquet_has_no_csv_only_faults(tmp_path):
    result = generate_detailed(tmp_path, scale=0.05, fmt="parquet", faults=True)
    codes = {f.code for f in result.faults}
    assert codes and not any(f.csv_only for f in FAULTS if f.code in codes)


# --- determinism, formats, API ------------------------------------------------------------------

def _digests(directory: pathlib.Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_deterministic(tmp_path, fmt):
    a = generate(tmp_path / "a", scale=0.05, seed=7, fmt=fmt)
    b = generate(tmp_path / "b", scale=0.05, seed=7, fmt=fmt)
    assert a == b
    da, db = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert da == db
    assert set(da) == {f"{s}.{fmt}" for s in SOURCES} | {"bronnen.json"}
    c = generate(tmp_path / "c", scale=0.05, seed=8, fmt=fmt)
    assert _digests(tmp_path / "c") != da or c != a


def test_rows_reported_and_bronnen(tmp_path):
    rows = generate(tmp_path, scale=0.02, fmt="csv")
    for source, n in rows.items():
        with (tmp_path / f"{source}.csv").open(encoding="utf-8") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == n
    bronnen = json.loads((tmp_path / "bronnen.json").read_text())
    assert set(bronnen["extractiedatum"]) == set(SOURCES)
    assert all(d >= "2019-09-30" for d in bronnen["extractiedatum"].values())  # T-5


def test_invalid_format_and_scale(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, fmt="xlsx")
    with pytest.raises(ValueError):
        generate(tmp_path, scale=0)


def test_parquet_types(scale1_parquet):
    out, _ = scale1_parquet
    schema = pq.read_schema(out / "polis_tijdvak.parquet")
    assert schema.field("tijdvak_begin").type == pa.date32()
    assert pa.types.is_decimal(schema.field("sv_loon").type)
    schema = pq.read_schema(out / "adviezen.parquet")
    assert schema.field("adviesdatum").type == pa.date32()
    assert schema.field("uitkomst").type == pa.string()
    for source, cols in COLUMNS.items():
        assert pq.read_schema(out / f"{source}.parquet").names == list(cols)


def test_small_scale_is_valid_and_has_onb(tmp_path):
    result = generate_detailed(tmp_path, scale=0.01, fmt="parquet", faults=False)
    assert 20 < result.rows["personen"] < 400
    con = connect(tmp_path, "parquet")
    cells = compute_bw(con)
    nl = cells[("NL01", "adviezen_naar_aanvrager", "totaal", "totaal")]
    assert 0 < nl < 300
    assert cells.get(("ONB", "werk_naar_aanvrager", "totaal", "positief_advies_tm_cohortdatum"), 0) > 0
    _assert_structurally_valid(con)


# --- realism ------------------------------------------------------------------------------------

def _assert_structurally_valid(con):
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    # burger applications only since 2017; adviesdatum 0–8 weeks after aanvraagdatum
    assert q("SELECT count(*) FROM adviezen WHERE aanvrager = 'burger' AND aanvraagdatum < DATE '2017-01-01'") == 0
    assert q("SELECT count(*) FROM adviezen WHERE adviesdatum - aanvraagdatum NOT BETWEEN 0 AND 56") == 0
    assert q("SELECT count(*) FROM adviezen WHERE adviesdatum < DATE '2015-01-01'") == 0
    assert q("SELECT count(*) - count(DISTINCT advies_id) FROM adviezen") == 0
    assert q("SELECT count(*) - count(DISTINCT ikv_id) FROM polis_ikv") == 0
    assert q("SELECT count(*) - count(DISTINCT (ikv_id, tijdvak_begin)) FROM polis_tijdvak") == 0
    # tijdvak lengths fit their type (T-3)
    assert q("""SELECT count(*) FROM polis_tijdvak WHERE NOT CASE tijdvak_type
        WHEN 'maand' THEN day(tijdvak_begin) = 1 AND tijdvak_einde = last_day(tijdvak_begin)
        WHEN 'vierweken' THEN tijdvak_einde - tijdvak_begin = 27
        WHEN 'kwartaal' THEN day(tijdvak_begin) = 1 AND month(tijdvak_begin) IN (1, 4, 7, 10)
             AND tijdvak_einde = last_day(tijdvak_begin + INTERVAL 2 MONTH)
        ELSE false END""") == 0
    # no overlapping periods within an ikv
    assert q("""SELECT count(*) FROM (
        SELECT tijdvak_begin, lag(tijdvak_einde) OVER (PARTITION BY ikv_id ORDER BY tijdvak_begin) AS prev
        FROM polis_tijdvak) WHERE tijdvak_begin <= prev""") == 0
    assert q("SELECT count(*) FROM polis_tijdvak WHERE verloonde_uren < 0") == 0
    assert q("SELECT count(*) FROM polis_tijdvak WHERE sv_loon > 0 AND verloonde_uren = 0") == 0
    assert q("SELECT count(*) FROM polis_tijdvak t ANTI JOIN polis_ikv USING (ikv_id)") == 0
    for source in ("brp_verblijf", "adviezen", "polis_ikv"):
        assert q(f"SELECT count(*) FROM {source} ANTI JOIN personen USING (persoon_id)") == 0
    assert q("SELECT count(*) FROM brp_verblijf WHERE einddatum < begindatum") == 0
    assert q("SELECT count(*) FROM polis_ikv WHERE einddatum < begindatum") == 0
    # residence records of a person do not overlap
    assert q("""SELECT count(*) FROM (
        SELECT begindatum, lag(einddatum) OVER (PARTITION BY persoon_id ORDER BY begindatum) AS prev
        FROM brp_verblijf) WHERE prev IS NULL AND begindatum IS NULL OR begindatum <= prev""") == 0
    # payroll periods start where the ikv runs
    assert q("""SELECT count(*) FROM polis_tijdvak t JOIN polis_ikv i USING (ikv_id)
        WHERE t.tijdvak_einde < i.begindatum OR t.tijdvak_begin > coalesce(i.einddatum, DATE '2100-01-01')""") == 0


def test_realism_structure(clean_db):
    _assert_structurally_valid(clean_db)


def test_realism_persons_and_residence(clean_db):
    q = lambda sql: clean_db.execute(sql).fetchone()[0]  # noqa: E731
    # ages: mostly 18–60 at the first advice
    share = q("""SELECT avg(CASE WHEN date_diff('year', p.geboortedatum, f.d) BETWEEN 17 AND 61 THEN 1 ELSE 0 END)
        FROM personen p JOIN (SELECT persoon_id, min(adviesdatum) d FROM adviezen GROUP BY 1) f USING (persoon_id)""")
    assert share > 0.97
    assert 0 < q("SELECT count(*) FROM personen WHERE overlijdensdatum IS NOT NULL") < 0.03 * q("SELECT count(*) FROM personen")
    # persons with several advices, a negative then a positive, and two positives
    assert q("SELECT count(*) FROM (SELECT persoon_id FROM adviezen GROUP BY 1 HAVING count(*) > 1)") > 500
    assert q("""SELECT count(*) FROM adviezen n JOIN adviezen p USING (persoon_id)
        WHERE n.uitkomst = 'negatief' AND p.uitkomst = 'positief' AND n.adviesdatum < p.adviesdatum""") > 100
    assert q("SELECT count(*) FROM (SELECT persoon_id FROM adviezen WHERE uitkomst = 'positief' GROUP BY 1 HAVING count(*) > 1)") > 100
    # persons without BRP, with two or more records, moves between regions before P
    assert q("SELECT count(*) FROM personen ANTI JOIN brp_verblijf USING (persoon_id)") > 20
    assert q("SELECT count(*) FROM (SELECT persoon_id FROM brp_verblijf GROUP BY 1 HAVING count(*) > 1)") > 500
    moves = q("""SELECT count(*) FROM brp_verblijf a JOIN brp_verblijf b USING (persoon_id)
        JOIN gemeenten ga ON ga.gemeente_code = a.gemeente_code
        JOIN gemeenten gb ON gb.gemeente_code = b.gemeente_code
        WHERE a.einddatum + 1 = b.begindatum AND b.begindatum <= DATE '2019-06-30'
          AND ga.arbeidsmarktregio_code <> gb.arbeidsmarktregio_code""")
    assert moves > 100
    # advices carry the gemeente of the time: movers' early advices name the old gemeente
    assert q("""SELECT count(*) FROM adviezen a JOIN brp_verblijf b USING (persoon_id)
        WHERE a.adviesdatum BETWEEN b.begindatum AND coalesce(b.einddatum, DATE '2100-01-01')
          AND a.gemeente_code <> b.gemeente_code""") == 0
    # emigrated / deceased: last record ends before P, no later record
    assert q("""SELECT count(*) FROM (SELECT persoon_id, max(coalesce(einddatum, DATE '2100-01-01')) e,
        max(begindatum) b FROM brp_verblijf GROUP BY 1) WHERE e < DATE '2019-06-30' AND b < e""") > 20
    # AM99: residents of West Betuwe / Vijfheerenlanden with a former gemeente until 2018
    assert q("""SELECT count(DISTINCT a.persoon_id) FROM brp_verblijf a JOIN brp_verblijf b USING (persoon_id)
        WHERE a.gemeente_code IN ('GM0236','GM0304','GM0733','GM0545','GM0707','GM0620')
          AND a.einddatum = DATE '2018-12-31'
          AND b.gemeente_code IN ('GM1960','GM1961') AND b.begindatum = DATE '2019-01-01'""") >= 5
    # persons are spread over many gemeenten
    assert q("SELECT count(DISTINCT gemeente_code) FROM brp_verblijf") > 300


def test_realism_advice_timing(clean_db):
    rows = dict(clean_db.execute("SELECT year(adviesdatum), count(*) FROM adviezen GROUP BY 1").fetchall())
    assert rows[2015] < rows[2016] < rows[2017] < rows[2018]
    assert clean_db.execute("SELECT min(adviesdatum) FROM adviezen WHERE aanvrager = 'burger'").fetchone()[0] >= date(2017, 1, 1)
    # boundary dates are present, so an off-by-one in a window changes a number
    days = {r[0] for r in clean_db.execute("SELECT DISTINCT adviesdatum FROM adviezen").fetchall()}
    for d in ("2015-01-01", "2019-03-31", "2019-04-01", "2019-06-30", "2019-07-01", "2019-09-30", "2019-10-01"):
        assert date.fromisoformat(d) in days, d


def test_realism_payroll(clean_db):
    q = lambda sql: clean_db.execute(sql).fetchone()[0]  # noqa: E731
    types = dict(clean_db.execute("SELECT tijdvak_type, count(*) FROM polis_tijdvak GROUP BY 1").fetchall())
    assert set(types) == {"maand", "vierweken", "kwartaal"} and types["maand"] > types["vierweken"] > types["kwartaal"]
    assert q("SELECT count(*) FROM polis_tijdvak WHERE sv_loon = 0") > 100
    assert q("SELECT count(*) FROM polis_tijdvak WHERE sv_loon < 0") > 50
    assert q("SELECT count(*) FROM polis_ikv WHERE einddatum IS NULL") > 1000
    assert q("""SELECT count(*) FROM (SELECT persoon_id FROM polis_ikv
        WHERE begindatum <= DATE '2019-06-30' AND coalesce(einddatum, DATE '2100-01-01') >= DATE '2019-06-30'
        GROUP BY 1 HAVING count(*) > 1)""") > 100
    assert q("SELECT max(tijdvak_einde) FROM polis_tijdvak") <= date(2019, 10, 31)
    # vierweken periods are aligned to 2019-01-07 + 28k
    assert q("SELECT count(*) FROM polis_tijdvak WHERE tijdvak_type = 'vierweken' AND (tijdvak_begin - DATE '2019-01-07') % 28 <> 0") == 0
    # the tricky working case: wage on P only from a job that ended in June, the job covering
    # P has zero wage in June
    assert q("""SELECT count(DISTINCT a.persoon_id) FROM polis_ikv a JOIN polis_ikv b USING (persoon_id)
        JOIN polis_tijdvak ta ON ta.ikv_id = a.ikv_id JOIN polis_tijdvak tb ON tb.ikv_id = b.ikv_id
        WHERE a.einddatum BETWEEN DATE '2019-06-01' AND DATE '2019-06-29' AND b.begindatum <= DATE '2019-06-30'
          AND b.einddatum IS NULL AND ta.tijdvak_begin = DATE '2019-06-01' AND ta.sv_loon > 0
          AND tb.tijdvak_begin = DATE '2019-06-01' AND tb.sv_loon = 0""") > 20
    # non-working with a relation covering P: zero wage, or a negative correction
    assert q("""SELECT count(*) FROM polis_tijdvak t JOIN polis_ikv i USING (ikv_id)
        WHERE t.tijdvak_begin <= DATE '2019-06-30' AND t.tijdvak_einde >= DATE '2019-06-30'
          AND i.begindatum <= DATE '2019-06-30' AND i.einddatum IS NULL AND t.sv_loon < 0""") > 20
