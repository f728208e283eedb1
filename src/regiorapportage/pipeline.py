"""The run: load → validate → measure → check → write atomically → manifest.

Every CLI command is a thin wrapper around one function here (``validate_inputs``,
``run``), which can be used from Python just as well.
"""

from __future__ import annotations

import json
import platform
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import ibis
import pandas as pd

from regiorapportage import __version__, checks, engine
from regiorapportage.errors import RefusedError, StructuralError, UserError
from regiorapportage.measures import banenafspraak as ba_rules
from regiorapportage.measures.region import classification
from regiorapportage.publications import banenafspraak as ba
from regiorapportage.publications import beschut_werk
from regiorapportage.publications.long_format import COLUMNS, format_waarde, region_list
from regiorapportage.quarter import Quarter
from regiorapportage.sources.schema import BA, BW, KP, PAYROLL_SOURCES, SOURCES, TR, VALIDATION_ORDER
from regiorapportage.sources.files import check_input_dir, is_url, sha256_file
from regiorapportage.sources.validate import Inputs, load_inputs

LEVELS = ("arbeidsmarktregio", "gemeente")
# The quarterly publications and the rule families (CONTRACT "required for") whose inputs
# each one reads.
PUBLICATIONS = {
    "beschut_werk": {BW},
    "banenafspraak_trend": {BA, TR},
    "factsheet": {BA},
    "klantprofielen": {BA, KP},
}

R6_REFUSAL = (
    "Er wordt niets gepubliceerd onder het niveau van een arbeidsmarktregio (R-6). Cijfers per "
    "gemeente zijn onbetrouwbaar, omdat mensen vaak buiten hun woongemeente werken (woon-werkverkeer), "
    "en kleine aantallen kunnen personen herkenbaar maken. Vraag de rapportage aan per arbeidsmarktregio."
)

Progress = Callable[[str], None]


@dataclass
class Warning_:
    regel: str
    melding: str
    aantal: int
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = {"regel": self.regel, "melding": self.melding, "aantal": self.aantal}
        if self.details:
            d["details"] = self.details
        return d


@dataclass
class ValidationResult:
    inputs: Inputs
    rejects_dir: Path | None

    @property
    def sources(self):
        return self.inputs.sources


@dataclass
class RunResult:
    quarter: Quarter
    output_dir: Path
    files: list[Path]
    warnings: list[Warning_]
    inputs: Inputs
    voorlopig: bool
    seconds: float

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.inputs.sources.values())


def _publication_sources(publications) -> list[str]:
    families = set().union(*(PUBLICATIONS[p] for p in publications))
    return [n for n in VALIDATION_ORDER if SOURCES[n].required_for & families]


def _check_publications(publications) -> list[str]:
    chosen = list(PUBLICATIONS) if not publications else list(dict.fromkeys(publications))
    unknown = [p for p in chosen if p not in PUBLICATIONS]
    if unknown:
        raise UserError(f"onbekende publicatie '{unknown[0]}'; kies uit: {', '.join(PUBLICATIONS)}")
    return chosen


# --------------------------------------------------------------------------- validate


def validate_inputs(
    input_dir: str | Path,
    rejects_dir: Path | None = None,
    engine_name: str | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Check the inputs only (DQ-1, DQ-2); write ``rejects/<source>.csv`` when asked."""
    con = engine.connect(engine_name)
    try:
        names = _publication_sources(list(PUBLICATIONS))
        inputs = load_inputs(con, input_dir, names, [], progress=progress)
        if rejects_dir is not None:
            _write_rejects(inputs, Path(rejects_dir))
    finally:
        engine.close(con)  # the counts stay; the engine tables (and Spark's scratch) go
    return ValidationResult(inputs, rejects_dir)


def _write_rejects(inputs: Inputs, rejects_dir: Path) -> list[Path]:
    rejects_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, result in inputs.sources.items():
        path = rejects_dir / f"{name}.csv"
        engine.write_csv(result.rejects, path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- run


def check_reliability(extractiedatum: dict, quarter: Quarter, voorlopig: bool) -> Warning_ | None:
    """T-5: payroll data is reliable three months after P. Refuse unless overridden."""
    reliable = quarter.reliable_from
    early = {s: d for s, d in extractiedatum.items() if s in PAYROLL_SOURCES and d < reliable}
    if early and not voorlopig:
        named = ", ".join(f"{s} ({d.isoformat()})" for s, d in sorted(early.items()))
        raise RefusedError(
            f"de polisgegevens zijn nog niet betrouwbaar voor {quarter}: extractiedatum {named} ligt voor "
            f"{reliable.isoformat()} (peildatum + 3 maanden, T-5). Wacht op een latere levering, of maak een "
            f"voorlopige rapportage met --voorlopig."
        )
    if voorlopig:
        detail = {s: d.isoformat() for s, d in sorted(early.items())}
        return Warning_(
            "T-5",
            "voorlopige rapportage: polisgegevens van minder dan drie maanden na de peildatum"
            if early
            else "voorlopige rapportage op verzoek (--voorlopig)",
            len(early),
            detail,
        )
    return None


def run(
    input_dir: str | Path,
    output_dir: Path,
    quarter: Quarter | str,
    voorlopig: bool = False,
    level: str = "arbeidsmarktregio",
    engine_name: str | None = None,
    render: bool = True,
    progress: Progress | None = None,
    publications: list[str] | None = None,
    precedence: Path | None = None,
) -> RunResult:
    """Produce the quarter's publications (default: all four) in ``output_dir/<quarter>/``.

    ``precedence`` is an alternative BA-7 category table (CSV ``rang,grondslag,categorie``)."""
    started = time.time()
    started_at = datetime.now(timezone.utc)
    if level not in LEVELS:
        raise UserError(f"onbekend niveau '{level}'; kies uit: {', '.join(LEVELS)}")
    if level == "gemeente":
        raise RefusedError(R6_REFUSAL)
    quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    chosen = _check_publications(publications)
    banenafspraak = [p for p in chosen if p != "beschut_werk"]
    rules = ba_rules.load_precedence(precedence) if banenafspraak else None
    step = progress or (lambda _: None)

    # T-5 first: it needs only bronnen.json, so an early extract is refused at once (before
    # an engine starts, unless the folder is remote: Hadoop's file systems are reached
    # through the Spark session)
    con = engine.connect(engine_name) if is_url(input_dir) else None
    try:
        folder = check_input_dir(input_dir, con)
        extractiedatum, _ = folder.bronnen(list(PAYROLL_SOURCES))
        warnings: list[Warning_] = []
        t5 = check_reliability(extractiedatum, quarter, voorlopig)
        if t5:
            warnings.append(t5)
        con = con or engine.connect(engine_name)
    except BaseException:
        if con is not None:
            engine.close(con)
        raise
    try:
        names = _publication_sources(chosen)
        step("invoer inlezen en controleren")
        inputs = load_inputs(con, folder, names, list(PAYROLL_SOURCES), progress=lambda s: step(f"controle {s}"))
        for name, result in inputs.sources.items():
            for notice in result.notices:
                warnings.append(Warning_("DQ-3", f"{result.file}: {notice}", 1))

        step("regio-indeling")
        classes = classification(inputs["gemeenten"], quarter.year).to_pandas()
        if classes.empty:
            raise UserError(
                f"de gemeenten-invoer bevat geen indeling voor {quarter.year} (R-2); lever gemeenten met jaar = {quarter.year}"
            )
        _check_region_names(classes, inputs.sources["gemeenten"].file, quarter.year)
        regions = region_list(classes)

        frames: dict[str, pd.DataFrame] = {}
        meta = {"software_version": __version__}
        if "beschut_werk" in chosen:
            step("rapportage beschut werk berekenen")
            frame, unknown = beschut_werk.build(inputs, quarter, regions)
            step("consistentiecontroles beschut werk (BW-6, R-5)")
            checks.beschut_werk(frame)
            frames["beschut_werk"] = frame
            step("reeks beschut werk berekenen (cohort per kwartaal)")
            frames[beschut_werk.REEKS] = beschut_werk.build_series(inputs, quarter, regions)
            checks.beschut_werk_series(frame, frames[beschut_werk.REEKS], str(quarter))
            _unknown_warning(warnings, unknown, quarter, "rapportage beschut werk")
        if banenafspraak:
            frames.update(_banenafspraak(con, inputs, quarter, regions, rules, banenafspraak, warnings, meta, step))

        step("uitvoer schrijven")
        final = Path(output_dir) / str(quarter)
        tmp = Path(output_dir) / f".{quarter}.tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir(parents=True)
        try:
            files = _write_outputs(tmp, frames, quarter, voorlopig, inputs, render, meta, step)
            manifest = _manifest(
                quarter, voorlopig, inputs, warnings, tmp, files, started_at, time.time() - started,
                con, chosen, rules,
            )
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            _move_into_place(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        engine.close(con)
    written = [final / f.relative_to(tmp) for f in files] + [final / "manifest.json"]
    return RunResult(quarter, final, written, warnings, inputs, voorlopig, time.time() - started)


def _unknown_warning(warnings: list[Warning_], unknown: dict, quarter: Quarter, what: str) -> None:
    if unknown:
        warnings.append(
            Warning_(
                "R-4",
                f"{what}: personen zonder bekende gemeente of met een gemeentecode die niet in de indeling "
                f"{quarter.year} staat; geteld in ONB (Onbekend)",
                sum(unknown.values()),
                unknown,
            )
        )


def _banenafspraak(con, inputs, quarter, regions, rules, chosen, warnings, meta, step) -> dict[str, pd.DataFrame]:
    """Trendrapportage, factsheet and klantprofielen from one evaluation of the BA rules;
    each checked (BA-5/BA-6 identity, TR-4, FS-3, KP-1, R-5) before anything is written."""
    step("doelgroep banenafspraak bepalen (alle peildata)")
    prep = ba.prepare(
        inputs, quarter, regions, rules, materialize=lambda name, expr: engine.materialize(con, name, expr),
        trend="banenafspraak_trend" in chosen,
    )
    meta["nulmeting_bron"] = prep.nulmeting_bron
    meta["werkkamer_jaar"] = prep.werkkamer_jaar
    for note in prep.notes:
        warnings.append(Warning_(note.regel, note.melding, note.aantal, note.details))
    frames = {}
    if "banenafspraak_trend" in chosen:
        step("trendrapportage banenafspraak berekenen")
        trend, reeks = ba.build_trend(prep)
        checks.trend(trend, reeks)
        frames[ba.TREND], frames[ba.REEKS] = ba.banen_cells(trend), ba.banen_cells(reeks)
    if "factsheet" in chosen:
        step("factsheet banenafspraak berekenen")
        frame = ba.build_factsheet(prep, inputs["doelgroepregister"])
        checks.factsheet(frame)
        frames[ba.FACTSHEET] = frame
    if "klantprofielen" in chosen:
        step("transparantie klantprofielen berekenen")
        frame = ba.build_klantprofielen(prep, inputs["klantprofielen"])
        checks.klantprofielen(frame)
        frames[ba.KLANTPROFIELEN] = frame

    step("signaleringen doelgroep (BA-3, BA-6, R-4)")
    P = quarter.peildatum
    _unknown_warning(warnings, ba.onb_at(prep, P), quarter, "banenafspraak (doelgroep op de peildatum)")
    stale = ba_rules.stale_registrations(inputs, P)
    texts = {
        "na_overlijden": "registraties in het doelgroepregister die op de peildatum nog geldig zijn na het overlijden van de persoon",
        "na_aow_leeftijd": "registraties die op de peildatum nog geldig zijn terwijl de persoon de AOW-leeftijd al had bereikt",
        "na_positief_advies_beschut_werk": "registraties die op de peildatum nog geldig zijn na een positief advies beschut werk",
    }
    for key, n in stale.items():
        if n:
            warnings.append(Warning_("BA-3", texts[key] + " (ze tellen mee zoals geleverd)", n))
    onbekend = ba_rules.unknown_sector(prep.measured.banen, P)["inkomstenverhoudingen"]
    if onbekend:
        warnings.append(
            Warning_(
                "BA-6",
                "inkomstenverhoudingen van doelgroeppersonen bij een werkgever zonder werkgeverstijdvak op de peildatum; "
                "hun banen tellen als sector 'onbekend'",
                onbekend,
            )
        )
    return frames


def _check_region_names(classes: pd.DataFrame, file: str, year: int) -> None:
    """DQ-2: a region code must have one name in a year's classification (the name is
    printed on every report of that region)."""
    names = classes.groupby("regio_code")["regio_naam"].unique()
    double = {code: sorted(v) for code, v in names.items() if len(v) > 1}
    if double:
        code, variants = next(iter(sorted(double.items())))
        raise StructuralError(
            "gemeenten",
            f"arbeidsmarktregio {code} heeft in {year} meer dan één naam ({' / '.join(variants)}); "
            "één naam per regio verwacht",
            file=file,
            column="arbeidsmarktregio_naam",
        )


def _write_csv(frame: pd.DataFrame, path: Path, voorlopig: bool) -> None:
    """Long format (CONTRACT.md): integers without decimals, banen with two decimals, an
    empty field for a value that could not be computed. A voorlopig run adds the column
    ``status`` = voorlopig on every row (an extra column is allowed by the contract;
    definitive files have exactly the six)."""
    out = frame[COLUMNS].copy()
    out["waarde"] = [format_waarde(v) for v in out["waarde"]]
    if voorlopig:
        out["status"] = "voorlopig"
    out.to_csv(path, index=False, lineterminator="\n")


CSV_FILES = {"beschut_werk": beschut_werk.CSV, beschut_werk.REEKS: beschut_werk.REEKS_CSV, **ba.CSV}


def _write_outputs(tmp: Path, frames, quarter, voorlopig, inputs, render, meta, step) -> list[Path]:
    files = []
    for name, frame in frames.items():
        path = tmp / CSV_FILES[name]
        _write_csv(frame, path, voorlopig)
        files.append(path)
    files += _write_rejects(inputs, tmp / "rejects")
    if render:
        from regiorapportage import render as r

        step("werkmappen (XLSX)")
        files += list(r.write_xlsx(frames, tmp, quarter, voorlopig, meta))
        # PDFs before HTML: the pages link to the PDFs that exist in <run>/pdf/.
        step("PDF-rapportages")
        files += list(r.write_pdf(frames, tmp, quarter, voorlopig, meta))
        step("HTML-pagina's")
        files += list(r.write_html(frames, tmp, quarter, voorlopig, meta))
    return files


def _move_into_place(tmp: Path, final: Path) -> None:
    """DQ-4: the finished folder replaces the old one in one rename."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    tmp.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _manifest(quarter, voorlopig, inputs, warnings, tmp, files, started_at, seconds, con, chosen, rules) -> dict:
    import duckdb

    return {
        "regiorapportage": __version__,
        "run": {
            "kwartaal": str(quarter),
            "peildatum": quarter.peildatum.isoformat(),
            "voorlopig": voorlopig,
            "niveau": "arbeidsmarktregio",
            "publicaties": chosen,
            "categorie_voorrang": None if rules is None else [list(r) for r in rules.rows],
            "invoermap": inputs.location,
            "engine": con.name,
            "gestart": started_at.isoformat(timespec="seconds"),
            "duur_seconden": round(seconds, 2),
        },
        "software": {
            "python": platform.python_version(),
            "ibis": ibis.__version__,
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            **({"pyspark": con.version} if con.name == "pyspark" else {}),
        },
        "bronnen": {
            name: {**result.manifest_entry(), "extractiedatum": _iso(inputs.extractiedatum.get(name))}
            for name, result in inputs.sources.items()
        },
        "bronnen_json_sha256": inputs.bronnen_sha256,
        "waarschuwingen": [w.as_dict() for w in warnings],
        "uitvoer": {str(f.relative_to(tmp)): sha256_file(f) for f in sorted(files)},
    }


def _iso(d) -> str | None:
    return d.isoformat() if d else None
