"""Hostile inputs (issue 15): each case breaks a small valid input in one way and says what
must happen — a structural stop (DQ-2, exit code 3) with a message naming the file, line or
column, or row rejects with a rule and a reason while the counts reconcile (DQ-1: read =
accepted + rejected). One table of cases; a new case is one line.

Only the broken source and the sources it refers to are validated, so the module stays fast.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import AMS, advice, employer, job, june, lives, period, person, profile, registration, run_cells, write_inputs
from regiorapportage.engine import connect
from regiorapportage.errors import StructuralError
from regiorapportage.sources.schema import SOURCES
from regiorapportage.sources.validate import load_inputs

PEOPLE = [f"P{i}" for i in range(1, 7)]


def base() -> dict[str, list[dict]]:
    """A small valid input: six persons in Amsterdam, five advices, one job, one employer."""
    return {
        "personen": [person(p) for p in PEOPLE],
        "brp_verblijf": [lives(p, AMS) for p in PEOPLE],
        "adviezen": [advice(f"A{i}", p, "2018-01-01") for i, p in enumerate(PEOPLE[:5], start=1)],
        "polis_ikv": [job("I1", "P1")],
        "polis_tijdvak": [june("I1", "1500")],
        "werkgever_tijdvak": [employer("W1", "2019-06-01", "2019-06-30", 63, "100", "50")],
        "doelgroepregister": [registration("R1", "P1")],
        "klantprofielen": [profile("P1")],
    }


# ----------------------------------------------------------------- ways to break an input


def header(source: str) -> str:
    return ",".join(SOURCES[source].column_names)


def text(source: str, body: str | bytes) -> Callable[[Path], None]:
    """Replace ``<source>.csv`` by these bytes."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda folder: (folder / f"{source}.csv").write_bytes(data)


def append(source: str, *lines: str | bytes) -> Callable[[Path], None]:
    """Append raw lines to ``<source>.csv``."""
    def go(folder: Path) -> None:
        with open(folder / f"{source}.csv", "ab") as f:
            for line in lines:
                f.write((line.encode("utf-8") if isinstance(line, str) else line) + b"\n")

    return go


def rows(source: str, *extra: dict) -> Callable[[Path], None]:
    """Add rows (as the builders of conftest make them) to the base input of ``source``."""
    def go(folder: Path) -> None:
        write_inputs(folder, **{**base(), source: base().get(source, []) + list(extra)})

    return go


def replace(source: str, *new: dict) -> Callable[[Path], None]:
    def go(folder: Path) -> None:
        write_inputs(folder, **{**base(), source: list(new)})

    return go


def parquet(source: str, table: pa.Table, **options) -> Callable[[Path], None]:
    """Deliver ``source`` as this Parquet table instead of CSV."""
    def go(folder: Path) -> None:
        (folder / f"{source}.csv").unlink()
        pq.write_table(table, folder / f"{source}.parquet", **options)

    return go


def bronnen(content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / "bronnen.json").write_bytes(content)


def folder_instead_of(name: str) -> Callable[[Path], None]:
    def go(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return go


def symlink_loop(name: str) -> Callable[[Path], None]:
    def go(folder: Path) -> None:
        (folder / name).unlink()
        os.symlink(name, folder / name)  # a link to itself

    return go


def dataset_with_loop(source: str) -> Callable[[Path], None]:
    def go(folder: Path) -> None:
        (folder / f"{source}.csv").unlink()
        (folder / source).mkdir()
        pq.write_table(pa.table({c: ["x"] for c in SOURCES[source].column_names}), folder / source / "part-0.parquet")
        os.symlink("..", folder / source / "terug")

    return go


def persons_parquet(born: pa.Array, **options) -> Callable[[Path], None]:
    return parquet(
        "personen",
        pa.table({"persoon_id": PEOPLE[: len(born)], "geboortedatum": born, "overlijdensdatum": pa.nulls(len(born), pa.date32())}),
        **options,
    )


AMSTERDAM_MIDNIGHT = [datetime(1990, 1, 1) - timedelta(hours=1), datetime(1985, 6, 30) - timedelta(hours=2)]  # in UTC
TZ_DATES = pa.array([d.replace(tzinfo=timezone.utc) for d in AMSTERDAM_MIDNIGHT], pa.timestamp("us", tz="Europe/Amsterdam"))
TZ_UTC = pa.array([d.replace(tzinfo=timezone.utc) for d in AMSTERDAM_MIDNIGHT], pa.timestamp("us", tz="UTC"))
LONG = 2_100_000  # beyond the reader's limit of 2,000,000 bytes per line


# ----------------------------------------------------------------- the cases

STOP = 3  # StructuralError.exit_code (DQ-2)


@dataclass(frozen=True)
class Case:
    """``breaks`` the base input; then either the run stops (``exit`` 3, ``words`` in the
    message) or ``source`` has ``counts`` = (read, accepted, rejected) and every reject has
    rule ``rule`` with ``words`` in its reason."""

    id: str
    source: str
    breaks: Callable[[Path], None]
    exit: int
    words: str
    counts: tuple[int, int, int] | None = None
    rule: str | None = None


P = header("personen")
CASES = [
    # DQ-1, explicit CSV dialect: '#' is data, not a comment; nothing is skipped
    Case("DQ_1_hash_row_is_read", "personen", append("personen", "#P7,1990-01-01,"), 0, "", (7, 7, 0)),
    Case("DQ_1_hash_row_with_bad_date_is_rejected", "personen", append("personen", "# P8,1990-02-30,"), 0, "'1990-02-30'", (7, 6, 1), "DQ-2.datum"),
    Case("DQ_2_comment_line_is_a_row_with_too_few_fields", "personen", append("personen", "# uitgevoerd op 15-10-2019"), STOP, "regel 8 heeft 1 velden, minder dan de 3 kolommen van de kopregel: '# uitgevoerd op 15-10-2019'"),
    Case("DQ_2_preamble_before_header", "personen", text("personen", f"Extract personen\n{P}\nP1,1990-01-01,\n"), STOP, "kolom ontbreekt"),
    Case("DQ_1_blank_lines_hold_no_record", "personen", text("personen", f"{P}\nP1,1990-01-01,\n\nP2,1990-01-01,\n"), 0, "", (2, 2, 0)),
    # DQ-2 / issue item 9: malformed lines early in the file, named with their line
    Case("DQ_2_too_many_fields_on_line_2", "personen", text("personen", f"{P}\nP1,1990-01-01,,extra\nP2,1990-01-01,\n"), STOP, "personen.csv: het bestand kan niet worden gelezen (regel 2 heeft 4 velden, meer dan de 3 kolommen van de kopregel: 'P1,1990-01-01,,extra')"),
    Case("DQ_2_too_few_fields_on_line_3", "personen", text("personen", f"{P}\nP1,1990-01-01,\nP2,1990-01-01\n"), STOP, "regel 3 heeft 2 velden, minder dan de 3"),
    Case("DQ_2_unterminated_quote_on_line_2", "personen", text("personen", f'{P}\n"P1,1990-01-01,\nP2,1990-01-01,\n'), STOP, "regel 2 heeft een waarde met een aanhalingsteken (\") dat niet wordt gesloten"),
    Case("DQ_2_invalid_utf8_quotes_its_line", "personen", text("personen", f"{P}\nP1,1990-01-01,\n".encode() + b"P\xe9,1990-01-01,\n"), STOP, "regel 3 is geen geldige UTF-8"),
    Case("DQ_2_invalid_utf8_line_is_shown", "personen", text("personen", f"{P}\n".encode() + b"P\xffX,1990-01-01,\n"), STOP, "'P?X,1990-01-01,'"),
    Case("DQ_2_utf16_file_is_named", "personen", text("personen", f"{P}\nP1,1990-01-01,\n".encode("utf-16")), STOP, "UTF-16"),
    Case("DQ_2_line_longer_than_the_reader_limit", "personen", text("personen", f"{P}\nP{'1' * LONG},1990-01-01,\n"), STOP, "regel 2 is 2.100.013 bytes lang, langer dan de leesgrens van 2.000.000 bytes"),
    Case("DQ_2_utf8_bom_is_accepted", "personen", text("personen", f"\ufeff{P}\nP1,1990-01-01,\n"), 0, "", (1, 1, 0)),
    # DQ-2 / item 4: duplicate or empty header names
    Case("DQ_2_duplicate_header_column", "personen", text("personen", "persoon_id,geboortedatum,overlijdensdatum,geboortedatum\nP1,1990-01-01,,1991-01-01\n"), STOP, "personen.csv, kolom 'geboortedatum': de kolomnaam komt twee keer voor (kolom 2 en 4)"),
    Case("DQ_2_duplicate_header_differs_in_case", "personen", text("personen", f"{P},Persoon_ID\nP1,1990-01-01,,P2\n"), STOP, "komt twee keer voor"),
    Case("DQ_2_empty_header_name", "personen", text("personen", f"{P},\nP1,1990-01-01,,x\n"), STOP, "kolom 4 van de kopregel heeft geen naam"),
    Case("DQ_2_duplicate_parquet_column", "personen", parquet("personen", pa.Table.from_arrays([pa.array(["P1"]), pa.array(["1990-01-01"]), pa.array([None], pa.string()), pa.array(["P2"])], names=["persoon_id", "geboortedatum", "overlijdensdatum", "persoon_id"])), STOP, "kolom 'persoon_id': de kolomnaam komt twee keer voor"),
    # DQ-2 / item 3: a whole column that fails, against row faults
    Case("DQ_2_parquet_list_where_text_expected", "personen", parquet("personen", pa.table({"persoon_id": [["P1"], ["P2"]], "geboortedatum": ["1990-01-01"] * 2, "overlijdensdatum": [None, None]})), STOP, "personen.parquet, kolom 'persoon_id': heeft type VARCHAR[]; verwacht tekst"),
    Case("DQ_2_capitalised_codes_in_the_whole_column", "adviezen", replace("adviezen", *[advice(f"A{i}", p, "2018-01-01", uitkomst="Positief") for i, p in enumerate(PEOPLE[:5])]), STOP, "kolom 'uitkomst': alle 5 waarden breken dezelfde regel DQ-2.code (bijvoorbeeld: uitkomst 'Positief' is geen van: positief, negatief)"),
    Case("DQ_1_capitalised_codes_in_some_rows_are_rejected", "adviezen", replace("adviezen", *[advice(f"A{i}", p, "2018-01-01", uitkomst="Positief" if i < 4 else "positief") for i, p in enumerate(PEOPLE[:5])]), 0, "is geen van: positief, negatief", (5, 1, 4), "DQ-2.code"),
    Case("DQ_1_few_values_below_the_threshold_are_rejected", "adviezen", replace("adviezen", *[advice(f"A{i}", p, "2018-01-01", uitkomst="Positief") for i, p in enumerate(PEOPLE[:4])]), 0, "uitkomst 'Positief'", (4, 0, 4), "DQ-2.code"),
    Case("DQ_2_required_column_empty_in_every_row", "adviezen", replace("adviezen", *[{**advice(f"A{i}", p, "2018-01-01"), "uitkomst": None} for i, p in enumerate(PEOPLE[:5])]), STOP, "kolom 'uitkomst': de kolom is leeg in alle 5 rijen, maar is verplicht"),
    Case("DQ_2_dates_as_day_numbers_in_the_whole_column", "personen", replace("personen", *[person(p, born="32874") for p in PEOPLE]), STOP, "geen enkele waarde is een datum"),
    Case("DQ_2_hours_in_hundredths_in_the_whole_column", "werkgever_tijdvak", replace("werkgever_tijdvak", *[employer(f"W{i}", "2019-06-01", "2019-06-30", 63, "5000000000000", "0") for i in range(5)]), STOP, "alle 5 waarden breken dezelfde regel DQ-2.bereik"),
    # DQ-2 / item 1: Parquet timestamps with a time zone
    Case("DQ_2_timestamps_with_named_zone_keep_their_local_date", "personen", persons_parquet(TZ_DATES), 0, "", (2, 2, 0)),
    Case("DQ_2_timestamps_with_unnamed_zone_are_structural", "personen", persons_parquet(TZ_UTC, store_schema=False), STOP, "kolom 'geboortedatum': bevat tijdstempels met een tijdzone, maar het bestand noemt de tijdzone niet"),
    # DQ-2.bereik / item 5: implausible dates
    Case("DQ_2_birth_year_0000_is_rejected", "personen", rows("personen", person("P9", born="0000-01-01")), 0, "geboortedatum '0000-01-01' ligt voor 1900-01-01", (7, 6, 1), "DQ-2.bereik"),
    Case("DQ_2_birth_before_1900_is_rejected", "personen", rows("personen", person("P9", born="1899-12-31")), 0, "geboortedatum '1899-12-31' ligt voor 1900-01-01 (geen aannemelijke datum)", (7, 6, 1), "DQ-2.bereik"),
    Case("DQ_2_birth_after_extraction_is_rejected", "personen", rows("personen", person("P9", born="2030-01-01")), 0, "geboortedatum '2030-01-01' ligt na de extractiedatum 2019-10-15", (7, 6, 1), "DQ-2.bereik"),
    Case("DQ_2_advice_in_year_0001_is_rejected", "adviezen", rows("adviezen", advice("A9", "P1", "0001-01-01")), 0, "ligt voor 1900-01-01", (6, 5, 1), "DQ-2.bereik"),
    # DQ-2.bereik / item 7: huge numbers, beyond the documented maxima
    Case("DQ_2_hours_1e11_are_rejected", "polis_tijdvak", rows("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "100", uren="100000000000")), 0, "verloonde_uren '100000000000' ligt boven het maximum 8.784", (2, 1, 1), "DQ-2.bereik"),
    Case("DQ_2_employer_hours_1e12_are_rejected", "werkgever_tijdvak", rows("werkgever_tijdvak", employer("W2", "2019-06-01", "2019-06-30", 63, "1000000000000", "0")), 0, "uren_totaal '1000000000000' ligt boven het maximum 1.000.000.000", (2, 1, 1), "DQ-2.bereik"),
    Case("DQ_2_wage_beyond_minus_maximum_is_rejected", "polis_tijdvak", rows("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "-100000000.01")), 0, "ligt onder het minimum -100.000.000", (2, 1, 1), "DQ-2.bereik"),
    Case("DQ_2_forty_digit_hours_are_no_number", "polis_tijdvak", rows("polis_tijdvak", period("I1", "2019-05-01", "2019-05-31", "100", uren="1" * 40)), 0, "is geen getal", (2, 1, 1), "DQ-2.getal"),
    # DQ-2 / item 6: bronnen.json
    Case("DQ_2_bronnen_date_without_dashes", "personen", bronnen(b'{"extractiedatum": {"polis_ikv": "20191015"}}'), STOP, 'bronnen.json, kolom \'polis_ikv\': extractiedatum "20191015" is geen datum JJJJ-MM-DD'),
    Case("DQ_2_bronnen_week_date", "personen", bronnen(b'{"extractiedatum": {"polis_ikv": "2019-W42-2"}}'), STOP, "is geen datum JJJJ-MM-DD"),
    Case("DQ_2_bronnen_date_as_number", "personen", bronnen(b'{"extractiedatum": {"polis_ikv": 20191015}}'), STOP, "extractiedatum 20191015 is geen datum"),
    Case("DQ_2_bronnen_with_utf8_bom_is_accepted", "personen", bronnen(b'\xef\xbb\xbf{"extractiedatum": {"polis_ikv": "2019-10-15"}}'), 0, "", (6, 6, 0)),
    Case("DQ_2_bronnen_not_utf8", "personen", bronnen(b'{"extractiedatum": {"polis_ikv": "2019\xff10-15"}}'), STOP, "bronnen.json: is geen UTF-8"),
    # DQ-2 / item 9: a folder or a symbolic link where a file is expected
    Case("DQ_2_folder_where_a_file_is_expected", "personen", folder_instead_of("personen.csv"), STOP, "personen.csv: is een map, geen bestand"),
    Case("DQ_2_symlink_loop_where_a_file_is_expected", "personen", symlink_loop("personen.csv"), STOP, "personen.csv: is een symbolische koppeling die nergens heen leidt"),
    Case("DQ_2_bronnen_is_a_folder", "personen", folder_instead_of("bronnen.json"), STOP, "bronnen.json: is een map"),
    Case("DQ_2_symlink_loop_in_a_dataset", "personen", dataset_with_loop("personen"), STOP, "personen/terug: is een symbolische koppeling in een kring"),
]


def needed(source: str) -> list[str]:
    """``source`` and the sources it refers to (validated first)."""
    names = [source]
    for ref in SOURCES[source].references:
        names = needed(ref.parent) + names
    return list(dict.fromkeys(names))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(tmp_path, case: Case):
    folder = write_inputs(tmp_path / "in", **base())
    case.breaks(folder)
    if case.exit == STOP:
        with pytest.raises(StructuralError) as info:
            load_inputs(connect(), folder, needed(case.source), [])
        assert info.value.exit_code == STOP
        assert case.words in str(info.value)
        return
    inputs = load_inputs(connect(), folder, needed(case.source), [])
    for s in inputs.sources.values():  # DQ-1
        assert s.read == s.accepted + s.rejected == s.accepted + sum(s.reasons.values()), s.name
    result = inputs.sources[case.source]
    assert (result.read, result.accepted, result.rejected) == case.counts
    rejects = result.rejects.to_pyarrow().to_pylist()
    assert all(r["regel"] == case.rule and case.words in r["reden"] for r in rejects), rejects


def test_DQ_2_timestamps_with_a_zone_give_the_date_in_that_zone(tmp_path):
    """Item 1: local midnight in Amsterdam is 23:00 or 22:00 UTC the day before; the date
    read is the Amsterdam date, never the UTC one."""
    folder = write_inputs(tmp_path / "in", **base())
    persons_parquet(TZ_DATES)(folder)
    inputs = load_inputs(connect(), folder, ["personen"], [])
    born = inputs["personen"].order_by("persoon_id").geboortedatum.to_pyarrow().to_pylist()
    assert born == [date(1990, 1, 1), date(1985, 6, 30)]


def test_DQ_1_published_numbers_unchanged_when_faults_are_rejected(tmp_path):
    """The faults of the table that are rejected row by row leave the publication of the
    base population as it was: only the rejects and the counts change."""
    folder = write_inputs(tmp_path / "in", **base())
    clean = run_cells(folder, tmp_path / "uit0")
    faults = {
        "personen": base()["personen"] + [person("P9", born="0000-01-01"), person("P10", born="2030-01-01")],
        "adviezen": base()["adviezen"] + [advice("A9", "P9", "2018-01-01"), advice("A10", "P1", "0001-01-01")],
        "polis_tijdvak": base()["polis_tijdvak"] + [period("I1", "2019-05-01", "2019-05-31", "100", uren="100000000000")],
        "werkgever_tijdvak": base()["werkgever_tijdvak"] + [employer("W2", "2019-06-01", "2019-06-30", 63, "1000000000000", "0")],
    }
    faulty = write_inputs(tmp_path / "in2", **{**base(), **faults})
    append("personen", "#P11,1990-01-01,")(faulty)  # read as a person without advices: no change
    broken = run_cells(faulty, tmp_path / "uit1")
    result = broken.pop("_result")
    clean.pop("_result")
    assert broken == clean
    manifest = json.loads((result.output_dir / "manifest.json").read_text(encoding="utf-8"))
    counts = {n: (e["gelezen"], e["geaccepteerd"], e["afgewezen"]) for n, e in manifest["bronnen"].items()}
    assert counts["personen"] == (9, 7, 2)
    assert counts["adviezen"] == (7, 5, 2)  # A10 in year 0001, A9 refers to the rejected P9
    assert counts["polis_tijdvak"] == (2, 1, 1)
