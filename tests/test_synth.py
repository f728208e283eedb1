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
    BA_SOURCES, BW_SOURCES, FAULTS, PARTITIONS, RULES, SOURCES, copies_for, faults_for, generate,
    generate_detailed,
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
person_code AS (
    SELECT p.persoon_id,
           CASE WHEN p.persoon_id IN (SELECT persoon_id FROM brp_verblijf) THEN b.gemeente_code
                ELSE a.gemeente_code END AS code
    FROM personen p
    LEFT JOIN brp_on_p b USING (persoon_id)
    LEFT JOIN advice_gemeente a USING (persoon_id)
),
person_region AS (
    SELECT c.persoon_id,
           coalesce(g.arbeidsmarktregio_code, 'ONB') AS regio   -- R-2, R-4
    FROM person_code c
    LEFT JOIN r7 ON r7.oude_code = c.code   -- R-7: a former code (last known address) → its 2019 code
    LEFT JOIN gemeenten g
      ON g.jaar = 2019
     AND g.gemeente_code = coalesce(r7.code_2019, c.code)
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


HERINDELINGEN = pathlib.Path(__file__).resolve().parents[1] / "src/regiorapportage/data/gemeente_herindelingen.csv"


def herindelingen(last: str = "2019-10-15") -> list[dict[str, str]]:
    """The package's herindelingen from 2012 up to ``last`` (the synthetic data ends at the extract)."""
    with HERINDELINGEN.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if "2012-01-01" <= r["datum"] <= last]


def r7_map(last: str = "2019-06-30") -> dict[str, str]:
    """SPEC R-7, written again: a former code → the code it had become by ``last``, step by
    step; a split takes the successor with the largest aandeel (empty = the only successor)."""
    successor: dict[str, tuple[float, str]] = {}
    for r in herindelingen(last):
        share = float(r["aandeel"] or 1)
        if share > successor.get(r["oude_code"], (-1.0, ""))[0]:
            successor[r["oude_code"]] = (share, r["nieuwe_code"])
    out = {}
    for old in successor:
        code = old
        while code in successor:
            code = successor[code][1]
        out[old] = code
    return out


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


def parquet_files(directory: pathlib.Path, source: str) -> list[pathlib.Path]:
    """The Parquet file of a source, or the files of its dataset folder in order of their path
    relative to the folder (the order in which the reader numbers the rows)."""
    folder = directory / source
    if folder.is_dir():
        return sorted(folder.rglob("*.parquet"), key=lambda f: f.relative_to(folder).as_posix())
    return [directory / f"{source}.parquet"]


def read_parquet(directory: pathlib.Path, source: str) -> pa.Table:
    """A source's rows in reader order (a dataset's partition folders add no column here)."""
    return pa.concat_tables([pq.ParquetFile(f).read() for f in parquet_files(directory, source)])


def parquet_schema(directory: pathlib.Path, source: str) -> pa.Schema:
    schemas = {pq.read_schema(f) for f in parquet_files(directory, source)}
    assert len(schemas) == 1, source
    return schemas.pop()


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
            table = read_parquet(directory, source)
        drop = np.array(sorted((exclude or {}).get(source, set())), dtype=np.int64) - 1
        keep = np.setdiff1d(np.arange(table.num_rows), drop)
        table = table.take(pa.array(keep))
        con.register(f"raw_{source}", table)
        select = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in cols.items())
        con.execute(f"CREATE TABLE {source} AS SELECT {select} FROM raw_{source}")
    add_r7(con)
    return con


def add_r7(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``r7`` (oude_code, code_2019) that BW_SQL joins for R-7."""
    mapping = r7_map()
    con.register("raw_r7", pa.table({"oude_code": list(mapping), "code_2019": list(mapping.values())}))
    con.execute("CREATE TABLE r7 AS SELECT * FROM raw_r7")


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scale1_csv_faults(tmp_path_factory):
    out = tmp_path_factory.mktemp("s1csv")
    result = generate_detailed(out, scale=1, fmt="csv", faults=True, banenafspraak=False)
    return out, result


@pytest.fixture(scope="module")
def scale1_parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("s1pq")
    result = generate_detailed(out, scale=1, fmt="parquet", faults=False, banenafspraak=False)
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
    generate(tmp_path, scale=1, seed=1, fmt="parquet", faults=False, banenafspraak=False)
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
    add_r7(con)
    fault_rows = {s: [f.row for f in result.faults if f.source == s] or [0] for s in BW_SOURCES}
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
    expected = [(f.code, f.source, f.rule) for f in faults_for("csv", banenafspraak=False)] * copies_for(1)
    assert sorted(injected) == sorted(expected)
    assert len({(f.source, f.row) for f in result.faults}) == len(result.faults)


def test_fault_rows_break_their_rule(scale1_csv_faults):
    out, result = scale1_csv_faults
    tables = {s: list(csv.DictReader((out / f"{s}.csv").open(encoding="utf-8"))) for s in BW_SOURCES}
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
    """Every file under ``directory`` by its relative path (dataset folders included)."""
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_deterministic(tmp_path, fmt):
    a = generate(tmp_path / "a", scale=0.05, seed=7, fmt=fmt)
    b = generate(tmp_path / "b", scale=0.05, seed=7, fmt=fmt)
    assert a == b
    da, db = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert da == db
    top = {name.split("/")[0] for name in da}
    split = set(PARTITIONS) if fmt == "parquet" else set()
    assert top == {f"{s}.{fmt}" for s in SOURCES if s not in split} | split | {"bronnen.json", "register"}
    assert {name for name in da if name.startswith("register/")} == {"register/besluiten.csv", "register/README.txt"}
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
    schema = parquet_schema(out, "polis_tijdvak")
    assert schema.field("tijdvak_begin").type == pa.date32()
    assert pa.types.is_decimal(schema.field("sv_loon").type)
    schema = pq.read_schema(out / "adviezen.parquet")
    assert schema.field("adviesdatum").type == pa.date32()
    assert schema.field("uitkomst").type == pa.string()
    for source, cols in COLUMNS.items():
        assert parquet_schema(out, source).names == list(cols)


def test_small_scale_is_valid_and_has_onb(tmp_path):
    result = generate_detailed(tmp_path, scale=0.01, fmt="parquet", faults=False, banenafspraak=False)
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
        WHEN 'halfjaar' THEN day(tijdvak_begin) = 1 AND month(tijdvak_begin) IN (1, 7)
             AND tijdvak_einde = last_day(tijdvak_begin + INTERVAL 5 MONTH)
        WHEN 'jaar' THEN day(tijdvak_begin) = 1 AND month(tijdvak_begin) = 1
             AND tijdvak_einde = last_day(tijdvak_begin + INTERVAL 11 MONTH)
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
    # the payroll runs through December 2019 (LM-2; it ended in September 2019 before the
    # Landelijke monitor): the last period is the four-week period holding 2019-12-31
    assert q("SELECT max(tijdvak_einde) FROM polis_tijdvak") == date(2020, 1, 5)
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


# --- banenafspraak sources (SPEC BA, TR, FS, KP) ------------------------------------------------
# Small scales keep these fast; the national figures are checked as ratios to the scale.

BA_COLUMNS = {
    "werkgever_tijdvak": {"werkgever_id": "VARCHAR", "tijdvak_begin": "DATE", "tijdvak_einde": "DATE",
                          "sector_wfsv": "INTEGER", "uren_totaal": "DECIMAL(12,2)", "uren_ufo": "DECIMAL(12,2)"},
    "doelgroepregister": {"registratie_id": "VARCHAR", "persoon_id": "VARCHAR", "grondslag": "VARCHAR",
                          "begindatum": "DATE", "einddatum": "DATE", "einde_reden": "VARCHAR"},
    "klantprofielen": {"persoon_id": "VARCHAR", "begindatum": "DATE", "einddatum": "DATE", "zichtbaar": "BOOLEAN",
                       "heeft_cv": "BOOLEAN", "heeft_beroep": "BOOLEAN", "heeft_werkervaring": "BOOLEAN"},
    "werkkamer_indicatie": {"arbeidsmarktregio_code": "VARCHAR", "jaar": "INTEGER", "extra_banen": "DECIMAL(12,1)"},
}
BA_SCALE = 0.05
GRONDSLAGEN = ("wajong", "wsw_begeleid_werk", "wsw_detachering", "wiw_id", "indicatie_banenafspraak",
               "verminderde_loonwaarde", "quotumgroep")
REDENEN = ("aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "uitschrijving_verzoek",
           "bezwaar", "overig")


def connect_ba(directory: pathlib.Path, fmt: str = "parquet") -> duckdb.DuckDBPyConnection:
    con = connect(directory, fmt)
    for source, cols in BA_COLUMNS.items():
        path = directory / f"{source}.{fmt}"
        if fmt == "csv":
            table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in cols}, strings_can_be_null=True))
        else:
            table = read_parquet(directory, source)
        con.register(f"raw_{source}", table)
        select = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in cols.items())
        con.execute(f"CREATE TABLE {source} AS SELECT {select} FROM raw_{source}")
    # monthly hours per payroll period (T-4)
    con.execute("""CREATE TABLE tv AS SELECT t.ikv_id, i.persoon_id, i.werkgever_id, t.tijdvak_begin, t.tijdvak_einde,
        CAST(t.verloonde_uren AS DOUBLE) / CASE t.tijdvak_type WHEN 'maand' THEN 1 WHEN 'vierweken' THEN 12.0 / 13
            WHEN 'kwartaal' THEN 3 WHEN 'halfjaar' THEN 6 ELSE 12 END AS mh
        FROM polis_tijdvak t JOIN polis_ikv i USING (ikv_id)""")
    return con


def ba_figures(con, p: str) -> dict[str, float]:
    """An independent, rough implementation of BA-2…BA-6 for one peildatum (national)."""
    doelgroep = f"""SELECT DISTINCT persoon_id FROM doelgroepregister WHERE
        CASE WHEN grondslag IN ('wsw_begeleid_werk', 'wsw_detachering', 'wiw_id')
             THEN begindatum <= make_date(year(DATE '{p}'), 1, 1)
              AND coalesce(einddatum, DATE '2100-01-01') >= make_date(year(DATE '{p}'), 1, 1)
             ELSE begindatum <= DATE '{p}' AND coalesce(einddatum, DATE '2100-01-01') >= DATE '{p}' END
        AND (grondslag <> 'quotumgroep' OR DATE '{p}' >= DATE '2018-12-01')"""
    row = con.execute(f"""
        WITH dg AS ({doelgroep}),
        rows AS (SELECT tv.*, CASE WHEN w.werkgever_id IS NULL THEN 'onbekend'
                     WHEN w.sector_wfsv BETWEEN 61 AND 66 AND w.uren_ufo > 0.5 * w.uren_totaal THEN 'overheid'
                     ELSE 'markt' END AS sector
                 FROM tv JOIN dg USING (persoon_id)
                 LEFT JOIN werkgever_tijdvak w ON w.werkgever_id = tv.werkgever_id
                      AND w.tijdvak_begin <= DATE '{p}' AND w.tijdvak_einde >= DATE '{p}'
                 WHERE tv.tijdvak_begin <= DATE '{p}' AND tv.tijdvak_einde >= DATE '{p}'),
        wp AS (SELECT persoon_id FROM rows GROUP BY 1 HAVING sum(mh) > 0)
        SELECT (SELECT count(*) FROM dg), (SELECT count(*) FROM wp), coalesce(sum(mh), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE sector = 'markt'), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE sector = 'overheid'), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE sector = 'onbekend'), 0) / 110.92
        FROM rows""").fetchone()
    return dict(zip(("doelgroep", "werkzaam", "banen", "markt", "overheid", "onbekend"), map(float, row)))


@pytest.fixture(scope="module")
def ba_small(tmp_path_factory):
    out = tmp_path_factory.mktemp("ba")
    result = generate_detailed(out, scale=BA_SCALE, fmt="parquet", faults=False, nulmeting=True)
    return out, result, connect_ba(out)


@pytest.fixture(scope="module")
def ba_small_csv_faults(tmp_path_factory):
    out = tmp_path_factory.mktemp("bacsv")
    return out, generate_detailed(out, scale=BA_SCALE, fmt="csv", faults=True)


def test_ba_sources_have_the_contract_columns(ba_small):
    out, result, _ = ba_small
    assert set(result.rows) == set(SOURCES) | {"nulmeting"}
    for source, cols in BA_COLUMNS.items():
        assert parquet_schema(out, source).names == list(cols)
    assert pq.read_schema(out / "nulmeting.parquet").names == ["arbeidsmarktregio_code", "sector", "banen"]
    schema = pq.read_schema(out / "klantprofielen.parquet")
    assert schema.field("zichtbaar").type == pa.bool_() and schema.field("begindatum").type == pa.date32()
    schema = parquet_schema(out, "werkgever_tijdvak")
    assert pa.types.is_integer(schema.field("sector_wfsv").type) and pa.types.is_decimal(schema.field("uren_ufo").type)
    bronnen = json.loads((out / "bronnen.json").read_text())["extractiedatum"]
    # payroll, register and personen are taken in July 2020 (LM-2), the others in October 2019
    assert set(bronnen) == set(SOURCES) | {"nulmeting"} and set(bronnen.values()) == {"2019-10-15", "2020-07-15"}


def test_banenafspraak_only_adds_rows_to_the_beschut_werk_sources(tmp_path):
    """banenafspraak=True keeps every beschut werk row (and so every BW number); the register
    persons have no advices."""
    generate(tmp_path / "bw", scale=0.02, seed=5, faults=False, banenafspraak=False)
    generate(tmp_path / "ba", scale=0.02, seed=5, faults=False)
    assert {p.name for p in (tmp_path / "bw").iterdir()} == {f"{s}.csv" for s in BW_SOURCES} | {"bronnen.json"}
    for source in ("gemeenten", "adviezen"):
        assert (tmp_path / "bw" / f"{source}.csv").read_bytes() == (tmp_path / "ba" / f"{source}.csv").read_bytes()
    for source in ("personen", "brp_verblijf", "polis_ikv", "polis_tijdvak"):
        bw = (tmp_path / "bw" / f"{source}.csv").read_text().splitlines()
        ba = set((tmp_path / "ba" / f"{source}.csv").read_text().splitlines())
        assert all(line in ba for line in bw), source
        assert len(ba) > len(bw), source
    assert compute_bw(connect(tmp_path / "bw", "csv")) == compute_bw(connect(tmp_path / "ba", "csv"))


def test_ba_contract_row_rules_hold_in_clean_data(ba_small):
    _, _, con = ba_small
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    _assert_structurally_valid(con)
    assert q("SELECT count(*) - count(DISTINCT registratie_id) FROM doelgroepregister") == 0
    assert q(f"SELECT count(*) FROM doelgroepregister WHERE grondslag NOT IN {GRONDSLAGEN}") == 0
    assert q(f"SELECT count(*) FROM doelgroepregister WHERE einde_reden NOT IN {REDENEN}") == 0
    for source in ("doelgroepregister", "klantprofielen"):
        assert q(f"SELECT count(*) FROM {source} WHERE einddatum < begindatum") == 0
        assert q(f"SELECT count(*) FROM {source} ANTI JOIN personen USING (persoon_id)") == 0
    assert q("SELECT count(*) FROM klantprofielen WHERE zichtbaar IS NULL") == 0
    # werkgever_tijdvak: calendar months, unique, no overlaps, sector 1–69, 0 ≤ ufo ≤ totaal
    assert q("""SELECT count(*) FROM werkgever_tijdvak WHERE day(tijdvak_begin) <> 1
        OR tijdvak_einde <> last_day(tijdvak_begin) OR sector_wfsv NOT BETWEEN 1 AND 69
        OR uren_ufo < 0 OR uren_ufo > uren_totaal OR uren_totaal < 0""") == 0
    assert q("SELECT count(*) - count(DISTINCT (werkgever_id, tijdvak_begin)) FROM werkgever_tijdvak") == 0
    assert q("""SELECT count(*) FROM (SELECT tijdvak_begin, lag(tijdvak_einde) OVER (PARTITION BY werkgever_id
        ORDER BY tijdvak_begin) AS prev FROM werkgever_tijdvak) WHERE tijdvak_begin <= prev""") == 0
    assert q("SELECT count(*) FROM polis_ikv WHERE werkgever_id NOT IN (SELECT werkgever_id FROM werkgever_tijdvak)") == 0
    # all five payroll period types (T-3), halfjaar/jaar on calendar boundaries
    types = dict(con.execute("SELECT tijdvak_type, count(*) FROM polis_tijdvak GROUP BY 1").fetchall())
    assert types["maand"] > types["vierweken"] > types["kwartaal"] > 0
    assert types.get("halfjaar", 0) > 0 and types.get("jaar", 0) > 0
    assert q("""SELECT count(*) FROM polis_tijdvak WHERE tijdvak_type = 'halfjaar' AND NOT (day(tijdvak_begin) = 1
        AND month(tijdvak_begin) IN (1, 7) AND tijdvak_einde = last_day(tijdvak_begin + INTERVAL 5 MONTH))""") == 0
    assert q("""SELECT count(*) FROM polis_tijdvak WHERE tijdvak_type = 'jaar' AND NOT (day(tijdvak_begin) = 1
        AND month(tijdvak_begin) = 1 AND tijdvak_einde = make_date(year(tijdvak_begin), 12, 31))""") == 0
    assert q("SELECT min(tijdvak_begin) FROM polis_tijdvak") >= date(2011, 12, 1)
    # wage roughly at least the minimum wage per hour
    assert q("""SELECT avg(CASE WHEN sv_loon / verloonde_uren >= 6.5 THEN 1 ELSE 0 END) FROM polis_tijdvak
        WHERE verloonde_uren > 0""") > 0.99


def _aow(birth: date) -> date:
    """GLOSSARY: the AOW age by the year in which it is reached."""
    table = {2013: 781, 2014: 782, 2015: 783, 2016: 786, 2017: 789, 2018: 792, 2019: 796, 2020: 796,
             2021: 796, 2022: 799, 2023: 802, 2024: 804, 2025: 804, 2026: 804, 2027: 804}

    def plus(months: int) -> date:
        import calendar
        y, m = divmod(birth.year * 12 + birth.month - 1 + months, 12)
        return date(y, m + 1, min(birth.day, calendar.monthrange(y, m + 1)[1]))

    if plus(780).year <= 2012:
        return plus(780)
    return next(plus(m) for y, m in table.items() if plus(m).year == y)


def test_ba_register_ends_match_their_reason(ba_small):
    _, _, con = ba_small
    rows = con.execute("""SELECT p.geboortedatum, r.einddatum FROM doelgroepregister r JOIN personen p USING (persoon_id)
        WHERE r.einde_reden = 'aow'""").fetchall()
    assert len(rows) > 100
    assert all(_aow(b) == e for b, e in rows)
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert q("SELECT count(*) FROM doelgroepregister WHERE einde_reden = 'overlijden'") > 20
    assert q("""SELECT count(*) FROM doelgroepregister r JOIN personen p USING (persoon_id)
        WHERE r.einde_reden = 'overlijden' AND p.overlijdensdatum IS DISTINCT FROM r.einddatum""") == 0
    # beschut werk: the registration ends on the person's first positive advice
    assert q("""SELECT count(*) FROM doelgroepregister r JOIN (SELECT persoon_id, min(adviesdatum) d FROM adviezen
        WHERE uitkomst = 'positief' GROUP BY 1) a USING (persoon_id) WHERE r.einde_reden = 'beschut_werk'
        AND r.einddatum = a.d""") > 20
    assert q("""SELECT count(*) FROM doelgroepregister r WHERE einde_reden = 'beschut_werk' AND einddatum NOT IN
        (SELECT min(adviesdatum) FROM adviezen a WHERE uitkomst = 'positief' AND a.persoon_id = r.persoon_id)""") == 0
    for reason in ("duurzaam_geen_arbeidsvermogen", "uitschrijving_verzoek", "overig"):
        assert q(f"SELECT count(*) FROM doelgroepregister WHERE einde_reden = '{reason}'") > 5, reason
    # endings the register's rules record (DR-2 … DR-4): a bezwaar voids (it is in no extract),
    # an uitschrijving on request exists from 2020, every ending has a reason
    assert q("SELECT count(*) FROM doelgroepregister WHERE einde_reden = 'bezwaar'") == 0
    assert q("""SELECT count(*) FROM doelgroepregister WHERE einde_reden = 'uitschrijving_verzoek'
        AND einddatum < DATE '2020-01-01'""") == 0
    assert q("SELECT count(*) FROM doelgroepregister WHERE (einddatum IS NULL) <> (einde_reden IS NULL)") == 0
    # BA-3 data-quality cases: still open after death, after the AOW age, after a positive advice
    assert q("""SELECT count(*) FROM doelgroepregister r JOIN personen p USING (persoon_id)
        WHERE r.einddatum IS NULL AND p.overlijdensdatum < DATE '2019-06-30'""") >= 1
    assert q("""SELECT count(*) FROM doelgroepregister r JOIN personen p USING (persoon_id)
        WHERE r.einddatum IS NULL AND p.geboortedatum < DATE '1952-06-30'""") >= 1
    assert q("""SELECT count(*) FROM doelgroepregister r JOIN adviezen a USING (persoon_id)
        WHERE r.einddatum IS NULL AND a.uitkomst = 'positief' AND a.adviesdatum > r.begindatum""") >= 1
    # grondslagen over time: no Wsw after 2014, quotumgroep from late 2018, Praktijkroute from 2017
    first = dict(con.execute("SELECT grondslag, min(begindatum) FROM doelgroepregister GROUP BY 1").fetchall())
    last = dict(con.execute("SELECT grondslag, max(begindatum) FROM doelgroepregister GROUP BY 1").fetchall())
    assert set(first) == set(GRONDSLAGEN)
    assert first["wajong"] < date(2005, 1, 1) and last["wsw_detachering"] < date(2015, 1, 1)
    assert first["indicatie_banenafspraak"] >= date(2015, 1, 1)
    assert first["verminderde_loonwaarde"] >= date(2017, 1, 1) and first["quotumgroep"] >= date(2018, 9, 1)
    assert q("""SELECT count(*) FROM (SELECT persoon_id FROM doelgroepregister GROUP BY 1
        HAVING count(DISTINCT grondslag) > 1)""") > 50


PERSON_WIDE = "('aow', 'overlijden', 'duurzaam_geen_arbeidsvermogen', 'beschut_werk')"


def test_DR_3_a_person_wide_ending_ends_every_open_registration(ba_small):
    """The register's rule (DR-3): an ending at AOW, death, duurzaam geen arbeidsvermogen or a
    beschut werk decision ends every registration of the person open that day, with that
    reason; a stale person's (BA-3) other registrations stay open too."""
    _, _, con = ba_small
    assert con.execute(f"""SELECT count(*) FROM doelgroepregister a JOIN doelgroepregister b USING (persoon_id)
        WHERE a.einde_reden IN {PERSON_WIDE} AND b.registratie_id <> a.registratie_id
          AND b.begindatum <= a.einddatum
          AND (b.einddatum IS NULL OR b.einddatum > a.einddatum
               OR (b.einddatum = a.einddatum AND b.einde_reden IN {PERSON_WIDE} AND b.einde_reden <> a.einde_reden))
        """).fetchone()[0] == 0


def test_DR_1_every_person_has_a_synthetic_bsn_and_persoon_id_is_its_pseudonym(ba_small):
    from regiorapportage.register.bsn import is_valid
    from regiorapportage.synth import _bsn

    out, _, con = ba_small
    personen = [r[0] for r in con.execute("SELECT persoon_id FROM personen").fetchall()]
    bsns = _bsn.texts(_bsn.person_numbers(2019, len(personen)))  # ba_small's seed
    assert all(is_valid(b) for b in bsns) and len(set(bsns)) == len(bsns)
    assert all(b.startswith("00") for b in bsns)  # below 10,000,000: never issued
    assert set(_bsn.pseudonyms(bsns)) == set(personen)
    for source in ("brp_verblijf", "adviezen", "polis_ikv", "doelgroepregister", "klantprofielen"):
        assert con.execute(f"SELECT count(*) FROM {source} ANTI JOIN personen USING (persoon_id)").fetchone()[0] == 0
    # the decisions name the register's persons by BSN
    with open(out / "register" / "besluiten.csv", encoding="utf-8") as f:
        persons = {r["bsn"] for r in csv.DictReader(f) if r["soort"] == "persoon"}
    in_register = {r[0] for r in con.execute("SELECT DISTINCT persoon_id FROM doelgroepregister").fetchall()}
    assert set(_bsn.pseudonyms(sorted(persons))) == in_register


def test_DR_1_synthetic_bsn_ranges():
    from regiorapportage.synth import _bsn

    def elfproef(numbers):
        digits = np.array([[int(c) for c in f"{x:09d}"] for x in numbers.tolist()])
        total = digits @ np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
        return (total % 11 == 0) & (total != 0)

    small = _bsn.person_numbers(5, 1000)
    large = _bsn.person_numbers(5, 2_000_000)  # beyond the never-issued block (~909,000)
    assert (large[:1000] == small).all() and len(np.unique(large)) == len(large)
    assert (large[:900_000] < 10_000_000).all()
    assert (large[-100_000:] >= 900_000_000).all() and (large < 999_900_000).all()
    assert elfproef(small).all() and elfproef(large[-2000:]).all()
    assert (_bsn.person_numbers(6, 1000) != small).any()  # by seed
    unknown = _bsn.unknown_numbers(5, 500)  # RvIG's test block: never a synthetic person's
    assert (unknown >= 999_900_000).all() and elfproef(unknown).all() and len(set(unknown.tolist())) == 500


def test_synth_aow_day_is_the_registers():
    """The generator's AOW day (numpy) is the register's ``aow_dag`` (DR-3, the GLOSSARY
    table with the short-month rule) for every birth date whose AOW day the table gives."""
    from regiorapportage.register.rules import aow_dag
    from regiorapportage.synth import _days as D

    days = np.arange(D.day("1935-01-01"), D.day("1975-01-01"))
    compared = 0
    for d, a in zip(days.tolist(), D.aow_date(days).tolist()):
        expected = aow_dag(D.to_date(d))
        if expected is not None:
            assert D.to_date(a) == expected, D.to_date(d)
            compared += 1
    assert compared > 10_000


@pytest.mark.parametrize("p, doelgroep, tolerance", [
    ("2012-12-31", 247_739, 0.002), ("2016-12-31", 212_875, 0.04), ("2017-06-30", 204_490, 0.04),
    ("2019-03-31", 221_002, 0.02), ("2019-06-30", 224_770, 0.02), ("2019-09-30", 227_072, 0.02),
])
def test_ba_doelgroep_follows_the_public_figures(ba_small, p, doelgroep, tolerance):
    """BA-2/BA-3: persons in the doelgroep (reference/README.md), as a ratio to the scale."""
    f = ba_figures(ba_small[2], p)
    assert f["doelgroep"] / BA_SCALE == pytest.approx(doelgroep, rel=tolerance)


def test_ba_work_and_banen_follow_the_public_figures(ba_small):
    """BA-4…BA-6 at the nulmeting, 2016Q4 and 2019Q2 (orders of magnitude and trends)."""
    con = ba_small[2]
    nul, q4_2016, q2_2019 = (ba_figures(con, p) for p in ("2012-12-31", "2016-12-31", "2019-06-30"))
    s = BA_SCALE
    assert 65_000 < nul["banen"] / s < 85_000
    assert 55_000 < nul["markt"] / s < 70_000 and 7_000 < nul["overheid"] / s < 12_000
    assert 0 < nul["onbekend"] / nul["banen"] < 0.05
    assert 75_000 < q4_2016["werkzaam"] / s < 97_000
    assert 100_000 < q2_2019["werkzaam"] / s < 125_000
    assert 45_000 < (q2_2019["banen"] - nul["banen"]) / s < 70_000  # extra banen (TR-4)
    assert q2_2019["overheid"] / q2_2019["banen"] > nul["overheid"] / nul["banen"] - 0.01
    assert q2_2019["onbekend"] / q2_2019["banen"] < 0.01
    # the share working rises; hours per working person about 25–34 a week
    assert nul["werkzaam"] / nul["doelgroep"] < q4_2016["werkzaam"] / q4_2016["doelgroep"] < q2_2019["werkzaam"] / q2_2019["doelgroep"]
    for f in (nul, q4_2016, q2_2019):
        assert 105 < f["banen"] * 110.92 / f["werkzaam"] < 145
    # December is higher than the months around it (FAQ 6: year-end hours)
    dec, sep = ba_figures(con, "2018-12-31"), ba_figures(con, "2018-09-30")
    assert dec["banen"] / dec["werkzaam"] > sep["banen"] / sep["werkzaam"]


def test_ba_employers_sectors_and_ufo(ba_small):
    """BA-6 cases: government sectors with Ufo shares on both sides of 50 %, exactly 50 %,
    agencies (52) with uitzend relations, SW companies (67) with wsw_detachering relations,
    and employers without a record for a quarter end (sector onbekend)."""
    con = ba_small[2]
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    june = "tijdvak_begin = DATE '2019-06-01'"
    assert q(f"SELECT count(*) FROM werkgever_tijdvak WHERE {june} AND sector_wfsv BETWEEN 61 AND 66 AND uren_ufo > 0.5 * uren_totaal") > 20
    assert q(f"SELECT count(*) FROM werkgever_tijdvak WHERE {june} AND sector_wfsv BETWEEN 61 AND 66 AND uren_ufo < 0.5 * uren_totaal") > 0
    assert q(f"SELECT count(*) FROM werkgever_tijdvak WHERE {june} AND sector_wfsv BETWEEN 61 AND 66 AND uren_ufo = 0.5 * uren_totaal") > 0
    assert q(f"SELECT count(*) FROM werkgever_tijdvak WHERE {june} AND sector_wfsv BETWEEN 61 AND 66 AND uren_ufo - 0.5 * uren_totaal = 0.01") > 0
    assert q("""SELECT count(*) FROM polis_ikv i JOIN werkgever_tijdvak w USING (werkgever_id)
        WHERE i.inleenverband = 'uitzend' AND w.sector_wfsv = 52""") > 0
    assert q("""SELECT count(*) FROM polis_ikv i JOIN werkgever_tijdvak w USING (werkgever_id)
        WHERE i.inleenverband = 'wsw_detachering' AND w.sector_wfsv = 67""") > 0
    # an employer paying someone in June 2019 without a record for that month
    assert q("""SELECT count(DISTINCT tv.werkgever_id) FROM tv ANTI JOIN werkgever_tijdvak w
        ON w.werkgever_id = tv.werkgever_id AND w.tijdvak_begin <= DATE '2019-06-30' AND w.tijdvak_einde >= DATE '2019-06-30'
        WHERE tv.tijdvak_begin <= DATE '2019-06-30' AND tv.tijdvak_einde >= DATE '2019-06-30'""") >= 1


# --- Landelijke monitor banenafspraak (SPEC LM) ------------------------------------------------

VERDEELSLEUTEL = {2012: 0.24, 2016: 0.278, 2020: 0.337}  # shared/reference/verdeelsleutel.csv
LM_OFFICIAL = {  # official extra banen (markt, overheid), shared/reference/README.md
    2015: (15_604, 5_453), 2016: (18_957, 3_597), 2017: (30_432, 6_471), 2018: (44_017, 7_940),
    2019: (51_829, 9_786),
}


def lm_figures(con, year: int) -> dict[str, float]:
    """An independent, rough implementation of LM-1…LM-4 for 31 December of ``year``: the
    doelgroep without the 1-January exception, inleenverband hours divided with the key of the
    year (or the latest earlier one), other hours by the employer's sector (BA-6)."""
    p = f"{year}-12-31"
    key = VERDEELSLEUTEL[max(y for y in VERDEELSLEUTEL if y <= year)]
    row = con.execute(f"""
        WITH dg AS (SELECT DISTINCT persoon_id FROM doelgroepregister
            WHERE begindatum <= DATE '{p}' AND coalesce(einddatum, DATE '2100-01-01') >= DATE '{p}'
              AND (grondslag <> 'quotumgroep' OR DATE '{p}' >= DATE '2018-12-01')),
        rows AS (SELECT tv.mh, coalesce(i.inleenverband, 'geen') <> 'geen' AS inleen,
                     CASE WHEN w.werkgever_id IS NULL THEN 'onbekend'
                     WHEN w.sector_wfsv BETWEEN 61 AND 66 AND w.uren_ufo > 0.5 * w.uren_totaal THEN 'overheid'
                     ELSE 'markt' END AS sector
                 FROM tv JOIN dg USING (persoon_id) JOIN polis_ikv i USING (ikv_id)
                 LEFT JOIN werkgever_tijdvak w ON w.werkgever_id = tv.werkgever_id
                      AND w.tijdvak_begin <= DATE '{p}' AND w.tijdvak_einde >= DATE '{p}'
                 WHERE tv.tijdvak_begin <= DATE '{p}' AND tv.tijdvak_einde >= DATE '{p}')
        SELECT coalesce(sum(mh) FILTER (WHERE NOT inleen AND sector = 'markt'), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE NOT inleen AND sector = 'overheid'), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE NOT inleen AND sector = 'onbekend'), 0) / 110.92,
               coalesce(sum(mh) FILTER (WHERE inleen), 0) / 110.92
        FROM rows""").fetchone()
    markt, overheid, onbekend, inleen = map(float, row)
    return {"markt": markt + (1 - key) * inleen, "overheid": overheid + key * inleen,
            "onbekend": onbekend, "inleen": inleen}


def test_ba_inleenverband_relations(ba_small):
    """LM-3 cases: uitzend relations at agencies (52), at market and at government employers
    and at an employer without a sector period on 2019-12-31; wsw_detachering at SW companies
    (67); in realistic shares."""
    con = ba_small[2]
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    dec = "w.tijdvak_begin = DATE '2019-12-01'"
    kinds = dict(con.execute(f"""SELECT CASE WHEN w.sector_wfsv = 52 THEN 'agency' WHEN w.sector_wfsv = 67 THEN 'sw'
            WHEN w.sector_wfsv BETWEEN 61 AND 66 THEN 'government' ELSE 'market' END, count(*)
        FROM polis_ikv i JOIN werkgever_tijdvak w ON w.werkgever_id = i.werkgever_id AND {dec}
        WHERE i.inleenverband = 'uitzend' GROUP BY 1""").fetchall())
    assert kinds.get("agency", 0) > kinds.get("market", 0) > 0 and kinds.get("government", 0) > 0
    assert q(f"""SELECT count(*) FROM polis_ikv i JOIN werkgever_tijdvak w ON w.werkgever_id = i.werkgever_id AND {dec}
        WHERE i.inleenverband = 'wsw_detachering' AND w.sector_wfsv = 67""") > 0
    assert q("""SELECT count(*) FROM polis_ikv i JOIN werkgever_tijdvak w USING (werkgever_id)
        WHERE i.inleenverband = 'wsw_detachering' AND w.sector_wfsv <> 67""") == 0
    # an uitzend relation paid in December 2019 at an employer without a period holding P
    assert q("""SELECT count(*) FROM tv JOIN polis_ikv i USING (ikv_id) ANTI JOIN werkgever_tijdvak w
        ON w.werkgever_id = tv.werkgever_id AND w.tijdvak_begin <= DATE '2019-12-31' AND w.tijdvak_einde >= DATE '2019-12-31'
        WHERE i.inleenverband = 'uitzend' AND tv.tijdvak_begin <= DATE '2019-12-31'
          AND tv.tijdvak_einde >= DATE '2019-12-31' AND tv.mh > 0""") >= 1
    # shares of the doelgroep's monthly hours on 2012-12-31 and 2019-12-31
    for year, lo, hi in ((2012, 0.2, 0.4), (2019, 0.12, 0.3)):
        f = lm_figures(con, year)
        assert lo < f["inleen"] / (f["markt"] + f["overheid"] + f["onbekend"]) < hi, year


def test_ba_payroll_and_register_through_december_2019(ba_small):
    """LM-2: payroll and register run through 2019-12-31 and are taken six months later; the
    adviezen (beschut werk) keep their extract of October 2019."""
    out, _, con = ba_small
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    for kind in ("maand", "vierweken", "kwartaal", "halfjaar", "jaar"):
        assert q(f"""SELECT count(*) FROM polis_tijdvak WHERE tijdvak_type = '{kind}'
            AND tijdvak_begin <= DATE '2019-12-31' AND tijdvak_einde >= DATE '2019-12-31'""") > 0, kind
    assert q("SELECT max(tijdvak_einde) FROM polis_tijdvak") <= date(2020, 1, 31)  # vierweken holding P
    assert q("SELECT count(*) FROM werkgever_tijdvak WHERE tijdvak_begin = DATE '2019-12-01'") > 100
    assert q("SELECT max(tijdvak_begin) FROM werkgever_tijdvak") == date(2019, 12, 1)
    # the beschut werk persons' payroll too
    assert q("""SELECT count(*) FROM polis_tijdvak t JOIN polis_ikv i USING (ikv_id) JOIN adviezen a USING (persoon_id)
        WHERE t.tijdvak_begin >= DATE '2019-10-01'""") > 0
    assert q("SELECT count(*) FROM doelgroepregister WHERE begindatum BETWEEN DATE '2019-10-01' AND DATE '2019-12-31'") > 50
    assert q("SELECT count(*) FROM doelgroepregister WHERE einddatum BETWEEN DATE '2019-10-16' AND DATE '2020-07-15'") > 50
    assert q("SELECT max(einddatum) FROM doelgroepregister") <= date(2020, 7, 15)
    bronnen = json.loads((out / "bronnen.json").read_text())["extractiedatum"]
    for source in ("polis_ikv", "polis_tijdvak", "werkgever_tijdvak", "doelgroepregister", "personen"):
        assert bronnen[source] >= "2020-06-30", source  # P + 6 months (LM-2)
    assert bronnen["adviezen"] == "2019-10-15"


def test_ba_landelijke_monitor_follows_the_official_figures(ba_small):
    """LM-3…LM-6 at a small scale, as a ratio to the scale: the nulmeting (75,179) and the extra
    banen per year near the official annual measurements (at scale 1 within 1 %, see
    docs/synthetic-data.md; a small scale is noisier)."""
    con = ba_small[2]
    s = BA_SCALE
    nul = lm_figures(con, 2012)
    total = lambda f: f["markt"] + f["overheid"] + f["onbekend"]  # noqa: E731
    assert total(nul) / s == pytest.approx(75_179, rel=0.05)
    for year, (markt, overheid) in LM_OFFICIAL.items():
        f = lm_figures(con, year)
        assert (total(f) - total(nul)) / s == pytest.approx(markt + overheid, rel=0.15), year
        assert (f["markt"] - nul["markt"]) / s == pytest.approx(markt, rel=0.2), year
        assert (f["overheid"] - nul["overheid"]) / s == pytest.approx(overheid, abs=2_500), year


def test_ba_flows_in_2019Q2(ba_small):
    """FS-2: in- and outflow, and movers between regions among the doelgroep in 2019Q2."""
    con = ba_small[2]
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert q("""SELECT count(*) FROM doelgroepregister WHERE begindatum BETWEEN DATE '2019-04-01' AND DATE '2019-06-30'""") > 50
    reasons = dict(con.execute("""SELECT einde_reden, count(*) FROM doelgroepregister
        WHERE einddatum BETWEEN DATE '2019-04-01' AND DATE '2019-06-30' GROUP BY 1""").fetchall())
    assert reasons.get("aow", 0) > 0 and reasons.get("beschut_werk", 0) > 0
    movers = q("""SELECT count(DISTINCT a.persoon_id) FROM brp_verblijf a JOIN brp_verblijf b USING (persoon_id)
        JOIN gemeenten ga ON ga.gemeente_code = a.gemeente_code JOIN gemeenten gb ON gb.gemeente_code = b.gemeente_code
        JOIN doelgroepregister r ON r.persoon_id = a.persoon_id AND r.einddatum IS NULL
        WHERE a.einddatum + 1 = b.begindatum AND b.begindatum BETWEEN DATE '2019-04-01' AND DATE '2019-06-30'
          AND ga.arbeidsmarktregio_code <> gb.arbeidsmarktregio_code""")
    assert movers > 5


def test_ba_klantprofielen(ba_small):
    """KP-1/KP-2: about 40–50 % of the doelgroep without work has a visible profile on P."""
    con = ba_small[2]
    visible, without_work = con.execute("""
        WITH dg AS (SELECT DISTINCT persoon_id FROM doelgroepregister WHERE begindatum <= DATE '2019-06-30'
                    AND coalesce(einddatum, DATE '2100-01-01') >= DATE '2019-06-30' AND grondslag NOT LIKE 'wsw%'
                    AND grondslag <> 'wiw_id'),
        wp AS (SELECT persoon_id FROM tv WHERE tijdvak_begin <= DATE '2019-06-30' AND tijdvak_einde >= DATE '2019-06-30'
               GROUP BY 1 HAVING sum(mh) > 0),
        nw AS (SELECT persoon_id FROM dg ANTI JOIN wp USING (persoon_id))
        SELECT count(DISTINCT k.persoon_id) FILTER (WHERE k.zichtbaar), (SELECT count(*) FROM nw)
        FROM nw LEFT JOIN klantprofielen k ON k.persoon_id = nw.persoon_id AND k.begindatum <= DATE '2019-06-30'
            AND coalesce(k.einddatum, DATE '2100-01-01') >= DATE '2019-06-30'""").fetchone()
    assert 0.35 < visible / without_work < 0.55
    shares = con.execute("""SELECT avg(heeft_cv::INT), avg(heeft_beroep::INT), avg(heeft_werkervaring::INT),
        avg((heeft_cv IS NULL)::INT) FROM klantprofielen WHERE zichtbaar""").fetchone()
    assert all(0.6 < s < 0.9 for s in shares[:3]) and 0 < shares[3] < 0.2
    assert con.execute("SELECT count(*) FROM klantprofielen WHERE NOT zichtbaar").fetchone()[0] > 20


def test_ba_werkkamer_indicatie_and_nulmeting(ba_small):
    out, _, con = ba_small
    rows = con.execute("SELECT jaar, count(*), sum(extra_banen) FROM werkkamer_indicatie GROUP BY 1 ORDER BY 1").fetchall()
    doelen = {2015: 9000, 2016: 20500, 2019: 55000, 2024: 115000, 2026: 125000}
    assert [r[0] for r in rows] == list(range(2015, 2027)) and {r[1] for r in rows} == {35}
    # the region code of the year: Food Valley AM31 until 2017, AM38 from 2018
    food_valley = dict(con.execute("""SELECT jaar, arbeidsmarktregio_code FROM werkkamer_indicatie
        WHERE arbeidsmarktregio_code IN ('AM31', 'AM38')""").fetchall())
    assert food_valley == {j: "AM31" if j < 2018 else "AM38" for j in range(2015, 2027)}
    for jaar, _, total in rows:
        if jaar in doelen:
            assert float(total) == pytest.approx(doelen[jaar], abs=5)
    # the optional nulmeting equals the banen computed from the 2012 data (TR-3), per sector
    nul = dict(con.execute(f"SELECT sector, sum(banen) FROM read_parquet('{out}/nulmeting.parquet') GROUP BY 1").fetchall())
    f = ba_figures(con, "2012-12-31")
    assert float(nul["markt"]) == pytest.approx(f["markt"], rel=0.02)
    assert float(nul["overheid"]) == pytest.approx(f["overheid"], rel=0.02)


def test_ba_faults_break_their_rule(ba_small_csv_faults):
    out, result = ba_small_csv_faults
    codes = {f.code for f in result.faults}
    expected = {f.code for f in faults_for("csv")}
    assert codes == expected
    tables = {s: list(csv.DictReader((out / f"{s}.csv").open(encoding="utf-8"))) for s in BA_SOURCES}
    persons = {r["persoon_id"] for r in csv.DictReader((out / "personen.csv").open(encoding="utf-8"))}
    by_code = {f.code: (tables[f.source][f.row - 1], f.row) for f in result.faults if f.source in BA_SOURCES}

    def parses(text):
        try:
            date.fromisoformat(text)
            return True
        except ValueError:
            return False

    r, _ = by_code["F-WGT-01"]; assert float(r["uren_ufo"]) > float(r["uren_totaal"])
    assert by_code["F-WGT-02"][0]["sector_wfsv"] == "70"
    r, row = by_code["F-WGT-03"]
    assert any(x["werkgever_id"] == r["werkgever_id"] and x["tijdvak_begin"] < r["tijdvak_begin"] <= x["tijdvak_einde"]
               for x in tables["werkgever_tijdvak"][: row - 1])
    r, row = by_code["F-WGT-04"]
    assert any(x["werkgever_id"] == r["werkgever_id"] and x["tijdvak_begin"] == r["tijdvak_begin"]
               for x in tables["werkgever_tijdvak"][: row - 1])
    assert by_code["F-WGT-05"][0]["sector_wfsv"] == ""
    assert float(by_code["F-WGT-06"][0]["uren_totaal"]) < 0
    assert not parses(by_code["F-WGT-07"][0]["tijdvak_einde"])
    assert by_code["F-DGR-01"][0]["grondslag"] not in GRONDSLAGEN
    r, _ = by_code["F-DGR-02"]; assert r["einddatum"] < r["begindatum"]
    r, row = by_code["F-DGR-03"]
    assert any(x["registratie_id"] == r["registratie_id"] for x in tables["doelgroepregister"][: row - 1])
    assert by_code["F-DGR-04"][0]["persoon_id"] not in persons
    assert by_code["F-DGR-05"][0]["begindatum"] == ""
    assert not parses(by_code["F-DGR-06"][0]["begindatum"])
    assert by_code["F-DGR-07"][0]["einde_reden"] not in REDENEN
    assert by_code["F-KP-01"][0]["zichtbaar"] not in ("true", "false")
    assert by_code["F-KP-02"][0]["zichtbaar"] == ""
    assert by_code["F-KP-03"][0]["persoon_id"] not in persons
    r, _ = by_code["F-KP-04"]; assert r["einddatum"] < r["begindatum"]
    assert not parses(by_code["F-KP-05"][0]["begindatum"])
    r, row = by_code["F-WKI-01"]
    assert any(x["arbeidsmarktregio_code"] == r["arbeidsmarktregio_code"] and x["jaar"] == r["jaar"]
               for x in tables["werkkamer_indicatie"][: row - 1])
    assert by_code["F-WKI-02"][0]["arbeidsmarktregio_code"] == "AM1"
    assert by_code["F-WKI-03"][0]["extra_banen"] == ""
    assert by_code["F-WKI-04"][0]["extra_banen"] == "veel"
    # apart from the fault rows, every row is valid (the clean data plus the injected rows)
    for f in FAULTS:
        if f.source in BA_SOURCES:
            assert f.rule in RULES and not f.changes_numbers


def test_faults_only_add_rows_in_every_source(tmp_path):
    """The data with faults=True is the data with faults=False plus the injected rows, in all
    ten sources (the fault stream does not disturb the clean data)."""
    a = generate_detailed(tmp_path / "clean", scale=0.02, seed=9, faults=False)
    b = generate_detailed(tmp_path / "faults", scale=0.02, seed=9, faults=True)
    assert {f.source for f in b.faults} == set(SOURCES) - {"gemeenten"}
    for source in SOURCES:
        clean = (tmp_path / "clean" / f"{source}.csv").read_text(encoding="utf-8").splitlines()
        faulty = (tmp_path / "faults" / f"{source}.csv").read_text(encoding="utf-8").splitlines()
        rows = {f.row for f in b.faults if f.source == source}
        kept = [line for i, line in enumerate(faulty) if i not in rows]  # line i = data row i
        assert kept == clean, source
        assert b.rows[source] == a.rows[source] + len(rows)


# --- Parquet datasets partitioned by year -------------------------------------------------------

def _year_key(table: pa.Table) -> np.ndarray:
    import pyarrow.compute as pc
    return np.asarray(pc.fill_null(pc.year(table.column("tijdvak_begin")), 99999).to_pylist())


def test_parquet_partitions_the_period_sources_by_year(tmp_path):
    """polis_tijdvak/ and werkgever_tijdvak/ are Hive datasets (jaar=YYYY/part-0.parquet) holding
    the rows of the single-file layout, each in the partition of its tijdvak_begin year, in the
    same order within a partition; the other sources are unchanged single files."""
    split = generate_detailed(tmp_path / "split", scale=0.02, seed=4, fmt="parquet")
    single = generate_detailed(tmp_path / "single", scale=0.02, seed=4, fmt="parquet", partition=False)
    assert split.rows == single.rows
    assert set(PARTITIONS) == {"polis_tijdvak", "werkgever_tijdvak"}
    for source in SOURCES:
        if source not in PARTITIONS:
            assert (tmp_path / "split" / f"{source}.parquet").read_bytes() == \
                (tmp_path / "single" / f"{source}.parquet").read_bytes()
            assert not (tmp_path / "split" / source).exists()
            continue
        assert not (tmp_path / "split" / f"{source}.parquet").exists()
        assert not (tmp_path / "single" / source).exists()
        folder = tmp_path / "split" / source
        files = parquet_files(tmp_path / "split", source)
        names = [f.relative_to(folder).as_posix() for f in files]
        assert len(names) >= 8 and all(n.startswith("jaar=") and n.endswith("/part-0.parquet") for n in names)
        years = [int(n[len("jaar="):len("jaar=") + 4]) for n in names]
        assert years == sorted(years) and 2011 <= years[0] and years[-1] == 2019
        for f, year in zip(files, years):
            assert set(_year_key(pq.ParquetFile(f).read()).tolist()) == {year}
            assert f.parent.name == f"jaar={year}"
        whole = pq.read_table(tmp_path / "single" / f"{source}.parquet")
        order = np.argsort(_year_key(whole), kind="stable")
        assert read_parquet(tmp_path / "split", source).equals(whole.take(pa.array(order)))
        # where a fault row went: the same row as in the single file
        a = {f.code: f.row for f in split.faults if f.source == source}
        b = {f.code: f.row for f in single.faults if f.source == source}
        assert a.keys() == b.keys() and a
        split_table, rank = read_parquet(tmp_path / "split", source), np.argsort(order)
        for code in a:
            assert a[code] == rank[b[code] - 1] + 1
            assert split_table.slice(a[code] - 1, 1).equals(whole.slice(b[code] - 1, 1))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_injected_faults_are_rejected_at_the_reported_row(tmp_path, fmt):
    """Every injected fault is in rejects/<source>.csv with the rij the generator reported (for
    a dataset: counted through its files in path order), and nothing else is rejected."""
    from regiorapportage.pipeline import validate_inputs

    result = generate_detailed(tmp_path / "in", scale=0.01, seed=3, fmt=fmt)
    validate_inputs(tmp_path / "in", tmp_path / "rejects")
    if fmt == "parquet":
        assert all((tmp_path / "in" / s).is_dir() for s in PARTITIONS)
    for source in SOURCES:
        with (tmp_path / "rejects" / f"{source}.csv").open(encoding="utf-8", newline="") as fh:
            rejected = sorted(int(r["rij"]) for r in csv.DictReader(fh))
        assert rejected == sorted(f.row for f in result.faults if f.source == source), source
    assert {f.source for f in result.faults} >= set(PARTITIONS)


def test_null_partition_sorts_last_and_is_numbered_by_the_reader(tmp_path):
    """A row without tijdvak_begin goes to jaar=__HIVE_DEFAULT_PARTITION__ (Hive's null
    partition, which sorts after every year); its row number is the reader's rij."""
    from regiorapportage.pipeline import validate_inputs
    from regiorapportage.synth._generate import NULL_PARTITION, write_source

    out = tmp_path / "in"
    generate(out, scale=0.01, seed=3, fmt="parquet", faults=False)
    clean = read_parquet(out, "polis_tijdvak")
    row = clean.slice(10, 1).to_pylist()[0]
    days = {k: (v - date(1970, 1, 1)).days if isinstance(v, date) else v for k, v in row.items()}
    money = {k: int(round(float(v) * 100)) for k, v in row.items() if k in ("sv_loon", "verloonde_uren")}
    faulty = days | money | {"tijdvak_begin": None}
    early = days | money | {"tijdvak_begin": days["tijdvak_begin"] - 1, "ikv_id": "IKV099999999"}
    import shutil
    shutil.rmtree(out / "polis_tijdvak")
    n, placed = write_source(out, "polis_tijdvak", clean, [(5, "NULL", faulty), (20, "UNKNOWN", early)],
                             "parquet", more=iter([clean.slice(0, 0)]), partition=True)
    assert n == clean.num_rows + 2
    names = [f.relative_to(out / "polis_tijdvak").as_posix() for f in parquet_files(out, "polis_tijdvak")]
    assert names[-1] == f"jaar={NULL_PARTITION}/part-0.parquet"
    rows = dict(placed)
    assert rows["NULL"] == n  # the only row of the last partition
    validate_inputs(out, tmp_path / "rejects")
    with (tmp_path / "rejects" / "polis_tijdvak.csv").open(encoding="utf-8", newline="") as fh:
        rejected = {int(r["rij"]): r["ikv_id"] for r in csv.DictReader(fh)}
    assert rejected == {rows["NULL"]: row["ikv_id"], rows["UNKNOWN"]: "IKV099999999"}


def test_regenerating_replaces_files_and_folders_of_another_layout(tmp_path):
    from regiorapportage.errors import UserError

    def listing():
        return sorted(p.name for p in tmp_path.iterdir())

    generate(tmp_path, scale=0.01, fmt="parquet")
    assert "polis_tijdvak" in listing() and "polis_tijdvak.parquet" not in listing()
    generate(tmp_path, scale=0.01, fmt="csv")
    assert listing() == sorted([f"{s}.csv" for s in SOURCES] + ["bronnen.json", "register"])
    generate(tmp_path, scale=0.01, fmt="parquet", partition=False)
    assert listing() == sorted([f"{s}.parquet" for s in SOURCES] + ["bronnen.json", "register"])
    # without the banenafspraak there is no register: its decisions of before are removed
    generate(tmp_path, scale=0.01, fmt="parquet", banenafspraak=False)
    assert listing() == sorted([f"{s}.parquet" for s in BW_SOURCES if s != "polis_tijdvak"]
                               + ["polis_tijdvak", "bronnen.json"])
    # ... but not a register folder holding something else
    generate(tmp_path, scale=0.01, fmt="parquet", banenafspraak=True)
    (tmp_path / "register" / "notities.txt").write_text("van mij")
    generate(tmp_path, scale=0.01, fmt="parquet", banenafspraak=False)
    assert sorted(p.name for p in (tmp_path / "register").iterdir()) == ["notities.txt"]
    (tmp_path / "register" / "notities.txt").unlink()
    (tmp_path / "register").rmdir()
    # a folder with something else than Parquet in it is never removed: stop before writing
    (tmp_path / "polis_tijdvak" / "notities.txt").write_text("van mij")
    before = _digests(tmp_path)
    with pytest.raises(UserError, match="notities.txt"):
        generate(tmp_path, scale=0.01, fmt="csv")
    assert _digests(tmp_path) == before


# --- gemeentelijke herindelingen in the BRP histories (issue 13 item 5) --------------------------

# Gemeenten formed in 2012–2019 (no residence before the date) and gemeenten that went on under
# their code while absorbing others, written out from the table and the CBS lists.
FORMED = {
    "GM1911": "2012-01-01", "GM1924": "2013-01-01", "GM1927": "2013-01-01", "GM1921": "2014-01-01",
    "GM1930": "2015-01-01", "GM1931": "2015-01-01", "GM1940": "2015-06-01", "GM1942": "2016-01-01",
    "GM1945": "2016-01-01", "GM1948": "2017-01-01", "GM1949": "2018-01-01", "GM1950": "2018-01-01",
    "GM1952": "2018-01-01", "GM1954": "2019-01-01", "GM1959": "2019-01-01", "GM1960": "2019-01-01",
    "GM1961": "2019-01-01", "GM1963": "2019-01-01", "GM1966": "2019-01-01", "GM1969": "2019-01-01",
    "GM1970": "2019-01-01", "GM1978": "2019-01-01",
}
DAYS = ("2012-12-31", "2016-12-31", "2018-12-31")


def _records(person, code, begin, end):
    from regiorapportage.synth import _days as D
    out: dict[int, list[tuple[str, int, int]]] = {}
    for p, c, b, e in zip(person.tolist(), code.tolist(), begin.tolist(), end.tolist()):
        out.setdefault(p, []).append((c, b, D.FAR if e == D.NULL else e))
    return {p: sorted(r, key=lambda x: x[1]) for p, r in out.items()}


def test_a_record_spanning_a_herindeling_is_split_as_the_BRP_does():
    """Old code up to the day before the herindeling, new code from its date; a record that
    ended before it has the old code only; chains; a gemeente that went on keeps its code for
    part of its residents; the same seed gives the same history."""
    from regiorapportage.synth import _days as D
    from regiorapportage.synth._history import load_herindelingen, split_records

    h = load_herindelingen()
    sizes = {"GM1960": 50.0, "GM1978": 45.0, "GM0014": 230.0, "GM1945": 35.0}
    codes = ["GM1960", "GM1978", "GM0014", "GM1945"]
    n = 800
    person = np.arange(n)
    code = np.array([codes[i % 4] for i in range(n)], dtype=object)
    begin = np.full(n, D.day("2010-05-01"), dtype=np.int64)
    end = np.full(n, D.NULL, dtype=np.int64)
    end[(person // 4) % 4 == 1] = D.day("2018-06-30")  # ended (moved, emigrated) before 2019
    begin[(person // 4) % 4 == 2] = D.day("2019-02-01")  # began after the herindeling
    out = split_records(np.random.default_rng(1), h, sizes, person, code, begin, end)
    again = split_records(np.random.default_rng(1), h, sizes, person, code, begin, end)
    assert all(np.array_equal(a, b) for a, b in zip(out, again))
    records = _records(*out)
    assert sorted(records) == list(range(n))
    on = lambda recs, d: next((c for c, b, e in recs if b <= D.day(d) <= e), None)  # noqa: E731
    old_2019 = {r["oude_code"] for r in herindelingen() if r["datum"] == "2019-01-01"}
    for p, recs in records.items():
        first, *_ = recs
        assert first[1] == begin[p]  # the history starts where the record started
        assert all(a[2] + 1 == b[1] for a, b in zip(recs, recs[1:]))  # contiguous, no overlap
        assert recs[-1][2] == (D.FAR if end[p] == D.NULL else end[p])
        c = code[p]
        if begin[p] >= D.day("2019-01-01"):
            assert recs == [(c, begin[p], D.FAR)]
            continue
        if end[p] == D.NULL:
            assert on(recs, "2019-01-01") == c and on(recs, "2019-06-30") == c
        if c == "GM1960":  # West Betuwe, formed 2019-01-01 from Geldermalsen, Neerijnen, Lingewaal
            assert on(recs, "2018-06-30") in {"GM0236", "GM0304", "GM0733"}
            if end[p] == D.NULL:
                assert len(recs) == 2 and recs[0][2] == D.day("2018-12-31") and recs[1][1] == D.day("2019-01-01")
            else:
                assert len(recs) == 1 and recs[0][0] in old_2019  # ended before: the old code only
        if c == "GM1978":  # Molenlanden 2019 ← Molenwaard 2013 ← Graafstroom, Liesveld, Nieuw-Lekkerland
            assert on(recs, "2012-12-31") in {"GM0689", "GM0571", "GM0693", "GM0694"}
            assert on(recs, "2018-06-30") in {"GM0689", "GM1927"}
            if on(recs, "2018-06-30") == "GM1927":
                assert on(recs, "2013-01-01") == "GM1927" and on(recs, "2012-12-31") != "GM1927"
        if c == "GM0014":  # Groningen went on; Ten Boer and Haren were added
            assert on(recs, "2018-06-30") in {"GM0014", "GM0009", "GM0017"}
        if c == "GM1945":  # Berg en Dal 2016 ← Groesbeek (went on in 2015 with Millingen, Ubbergen)
            assert on(recs, "2015-06-30") == "GM0241"
            assert on(recs, "2014-12-31") in {"GM0241", "GM0265", "GM0282"}
    groningen = [records[p] for p in range(n) if code[p] == "GM0014" and begin[p] < D.day("2019-01-01")]
    share_kept = np.mean([on(r, "2018-06-30") == "GM0014" for r in groningen])
    assert 0.55 < share_kept < 0.95  # most of Groningen was Groningen before
    assert {on(r, "2018-06-30") for r in groningen} == {"GM0014", "GM0009", "GM0017"}
    other = split_records(np.random.default_rng(2), h, sizes, person, code, begin, end)
    assert not all(np.array_equal(a, b) for a, b in zip(out, other))


def _brp_checks(con) -> None:
    q = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    rows = herindelingen()
    # no record holds a code on or after the date it ceased (old code up to the day before)
    for r in rows:
        assert q(f"""SELECT count(*) FROM brp_verblijf WHERE gemeente_code = '{r["oude_code"]}'
            AND coalesce(einddatum, DATE '2100-01-01') >= DATE '{r["datum"]}'""") == 0, r
    # no record holds a new gemeente's code before it was formed
    for code, datum in FORMED.items():
        assert q(f"""SELECT count(*) FROM brp_verblijf
            WHERE gemeente_code = '{code}' AND begindatum < DATE '{datum}'""") == 0
    # the BRP splits a record at the herindeling: old code to the day before, new code from the date
    con.register("raw_herindeling", pa.table({k: [r[k] for r in rows] for k in ("datum", "oude_code", "nieuwe_code")}))
    split = con.execute("""SELECT h.oude_code, h.nieuwe_code, count(*) FROM brp_verblijf a
        JOIN brp_verblijf b ON a.persoon_id = b.persoon_id AND b.begindatum = a.einddatum + 1
        JOIN raw_herindeling h ON h.oude_code = a.gemeente_code AND h.nieuwe_code = b.gemeente_code
         AND CAST(h.datum AS DATE) = b.begindatum
        GROUP BY ALL""").fetchall()
    pairs = {(o, n) for o, n, _ in split}
    assert ("GM0009", "GM0014") in pairs  # Ten Boer → Groningen, 2019-01-01
    assert sum(c for _, _, c in split) > 200
    # split gemeenten: Littenseradiel (2018) and Winsum (2019) in the history of several successors
    assert len({n for o, n in pairs if o == "GM0140"}) >= 2
    assert {n for o, n in pairs if o == "GM0053"} == {"GM1966", "GM1969"}
    # persons carry old codes on the dates before a herindeling
    olds = "', '".join(sorted({r["oude_code"] for r in rows}))
    for d in DAYS:
        n_old = q(f"""SELECT count(DISTINCT persoon_id) FROM brp_verblijf WHERE gemeente_code IN ('{olds}')
            AND begindatum <= DATE '{d}' AND coalesce(einddatum, DATE '2100-01-01') >= DATE '{d}'""")
        assert n_old > 50, d
    assert q("""SELECT count(*) FROM brp_verblijf WHERE gemeente_code = 'GM0009'
        AND begindatum <= DATE '2012-12-31' AND coalesce(einddatum, DATE '2100-01-01') >= DATE '2012-12-31'""") > 0


def test_persons_carry_old_codes_before_a_herindeling(ba_small):
    _, _, con = ba_small
    _brp_checks(con)


def _gemeente_on(con, d: str) -> dict[str, str | None]:
    """R-1 for every person on ``d``: the record covering it, else the last one begun before it."""
    rows = con.execute(f"""SELECT p.persoon_id, b.gemeente_code FROM personen p LEFT JOIN (
            SELECT persoon_id, gemeente_code, row_number() OVER (PARTITION BY persoon_id
                ORDER BY (coalesce(einddatum, DATE '2100-01-01') >= DATE '{d}') DESC, begindatum DESC) AS rn
            FROM brp_verblijf WHERE begindatum <= DATE '{d}') b
        ON b.persoon_id = p.persoon_id AND b.rn = 1""").fetchall()
    return dict(rows)


def test_history_changes_only_the_codes_before_2019(tmp_path):
    """Same seed with and without herindelingen: every other row is the same, the gemeente of
    every person on every 2019 date is the same (so the 2019Q2 numbers are), and on the earlier
    dates R-7 brings every person to the same 2019 region (nobody is lost to ONB)."""
    generate(tmp_path / "met", scale=0.05, seed=11, faults=False)
    generate(tmp_path / "zonder", scale=0.05, seed=11, faults=False, herindelingen=False)
    for source in SOURCES:
        if source not in ("brp_verblijf", "adviezen"):
            a, b = (tmp_path / "met" / f"{source}.csv"), (tmp_path / "zonder" / f"{source}.csv")
            assert a.read_bytes() == b.read_bytes(), source
    met, zonder = connect(tmp_path / "met", "csv"), connect(tmp_path / "zonder", "csv")
    cols = "advies_id, persoon_id, aanvraagdatum, adviesdatum, aanvrager, verantwoordelijke, uitkomst"
    advices = f"SELECT {cols} FROM adviezen"
    assert met.execute(advices).fetchall() == zonder.execute(advices).fetchall()
    mapping = r7_map()
    region = dict(zonder.execute("SELECT gemeente_code, arbeidsmarktregio_code FROM gemeenten").fetchall())
    # 2019 dates: the same gemeente; only the last known address of someone who left before a
    # herindeling is the former code, which R-7 turns into exactly the same 2019 gemeente
    for d in ("2019-01-01", "2019-03-31", "2019-06-30", "2019-09-30", "2019-10-14"):
        a, b = _gemeente_on(met, d), _gemeente_on(zonder, d)
        assert {p: mapping.get(c, c) for p, c in a.items()} == b, d
        assert sum(a[p] != b[p] for p in a) < 0.01 * len(a)
    codes_2019 = set(_gemeente_on(zonder, "2019-06-30").values())
    assert {mapping.get(c, c) for c in _gemeente_on(met, "2019-06-30").values()} == codes_2019
    for d in DAYS:
        a, b = _gemeente_on(met, d), _gemeente_on(zonder, d)
        assert a != b  # old codes on this date
        assert set(b.values()) - {None, "GM9999"} <= set(region)  # without: 2019 codes only (and the unknown one)
        ra = {p: region.get(mapping.get(c, c), "ONB") for p, c in a.items()}
        rb = {p: region.get(c, "ONB") for p, c in b.items()}
        assert ra == rb, d
        # ONB on this date: only persons without any residence then (and the unknown code)
        onb = {p for p, r in ra.items() if r == "ONB"}
        assert onb == {p for p, c in a.items() if c is None or c == "GM9999"}
    assert compute_bw(met) == compute_bw(zonder)
    # advices carry the code of their date: some name a former gemeente
    olds = {r["oude_code"] for r in herindelingen()}
    advice_codes = {c for (c,) in met.execute("SELECT DISTINCT gemeente_code FROM adviezen").fetchall()}
    assert advice_codes & olds or len(advice_codes) < 50
