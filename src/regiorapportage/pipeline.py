"""The run: load → validate → measure → check → write atomically → manifest.

Every CLI command is a thin wrapper around one function here (``validate_inputs``,
``run``), which can be used from Python just as well.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import ibis
import pandas as pd

from regiorapportage import __version__, engine
from regiorapportage.context import Notice, RunContext
from regiorapportage.errors import RefusedError, StructuralError, UserError
from regiorapportage.geography import geography, herindelingen
from regiorapportage.publications import registry
from regiorapportage.measures.region import NEDERLAND, NEDERLAND_NAAM
from regiorapportage.publications.base import AANDEEL, NIVEAUS, Family, Publication
from regiorapportage.publications.long_format import COLUMNS, format_waarde, region_list
from regiorapportage.quarter import Jaar, Period, Quarter, parse_period
from regiorapportage.render.formatting import telwoord
from regiorapportage.sources.files import check_input_dir, is_url, sha256_file
from regiorapportage.sources.schema import PAYROLL_SOURCES, SOURCES, VALIDATION_ORDER
from regiorapportage.sources.validate import Inputs, load_inputs

LEVELS = NIVEAUS

Progress = Callable[[str], None]


@dataclass
class ValidationResult:
    inputs: Inputs
    rejects_dir: Path | None

    @property
    def sources(self):
        return self.inputs.sources


@dataclass
class RunResult:
    quarter: Period  # the quarter, or the year of an annual run
    output_dir: Path
    files: list[Path]
    warnings: list[Notice]
    inputs: Inputs
    voorlopig: bool
    seconds: float

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.inputs.sources.values())


def _publication_sources(publications: list[Publication]) -> list[str]:
    """The inputs the publications read (CONTRACT "required for"), in validation order."""
    families = set().union(*(p.inputs for p in publications))
    return [n for n in VALIDATION_ORDER if SOURCES[n].required_for & families]


def _families(publications: list[Publication]) -> list[tuple[Family, list[Publication]]]:
    """The chosen publications grouped by family (a publication without one is its own), in
    registry order: each family prepares its shared results once."""
    groups: dict[str, tuple[Family, list[Publication]]] = {}
    for pub in publications:
        groups.setdefault(pub.family.key or f"publicatie:{pub.key}", (pub.family, []))[1].append(pub)
    return list(groups.values())


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
        names = _publication_sources(list(registry.PUBLICATIONS))  # every cadence: quarterly and annual inputs
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


def check_reliability(extractiedatum: dict, quarter: Period, voorlopig: bool) -> Notice | None:
    """T-5: payroll data is reliable three months after P (six for the annual publications,
    LM-2). Refuse unless overridden."""
    reliable = quarter.reliable_from
    months = quarter.reliable_months
    rule = "T-5" if isinstance(quarter, Quarter) else "LM-2, T-5"
    early = {s: d for s, d in extractiedatum.items() if s in PAYROLL_SOURCES and d < reliable}
    if early and not voorlopig:
        named = ", ".join(f"{s} ({d.isoformat()})" for s, d in sorted(early.items()))
        raise RefusedError(
            f"de polisgegevens zijn nog niet betrouwbaar voor {quarter}: extractiedatum {named} ligt voor "
            f"{reliable.isoformat()} (peildatum + {months} maanden, {rule}). Wacht op een latere levering, of maak een "
            f"voorlopige rapportage met --voorlopig."
        )
    if voorlopig:
        detail = {s: d.isoformat() for s, d in sorted(early.items())}
        return Notice(
            "T-5",
            f"voorlopige rapportage: polisgegevens van minder dan {telwoord(months)} maanden na de peildatum"
            if early
            else "voorlopige rapportage op verzoek (--voorlopig)",
            len(early),
            detail,
        )
    return None


def run(
    input_dir: str | Path,
    output_dir: Path,
    quarter: Period | str,
    voorlopig: bool = False,
    level: str | None = None,
    engine_name: str | None = None,
    render: bool = True,
    progress: Progress | None = None,
    publications: list[str] | None = None,
    precedence: Path | None = None,
) -> RunResult:
    """Produce the publications of a quarter (``"2019Q2"``) or, for a year (``"2019"``, a
    ``Jaar``), the annual publications (default: every one of that cadence in the registry)
    in ``output_dir/<quarter>/`` or ``output_dir/<year>/``. ``level`` (default: each
    publication's own) is refused for a publication that is not made at that level (R-6,
    LM-1).

    ``precedence`` is an alternative BA-7 category table (CSV ``rang,grondslag,categorie``)."""
    started = time.time()
    started_at = datetime.now(timezone.utc)
    if level is not None and level not in LEVELS:
        raise UserError(f"onbekend niveau '{level}'; kies uit: {', '.join(LEVELS)}")
    quarter = parse_period(quarter)
    chosen = registry.publications(publications, cadence=quarter.cadence)
    if not chosen:
        raise UserError(f"er zijn geen publicaties per {quarter.cadence}")
    for pub in chosen:
        if level is not None and level not in pub.niveaus:
            raise RefusedError(pub.refusal(level))
    regional = any(p.regional for p in chosen)
    order = {p.key: i for i, p in enumerate(registry.PUBLICATIONS)}
    building = sorted(chosen, key=lambda p: order.get(p.key, len(order)))
    families = _families(building)
    step = progress or (lambda _: None)
    options = {"precedence": precedence}
    manifest_run: dict = {}
    for pub in registry.PUBLICATIONS:
        manifest_run.update(pub.family.manifest_options)
    parsed: dict = {}
    probe = RunContext(None, None, quarter, [], options=options, parsed=parsed, manifest=manifest_run)
    for family, _ in families:
        family.check_options(probe)  # a usage error before anything is read

    # T-5 first: it needs only bronnen.json, so an early extract is refused at once (before
    # an engine starts, unless the folder is remote: Hadoop's file systems are reached
    # through the Spark session)
    con = engine.connect(engine_name) if is_url(input_dir) else None
    try:
        folder = check_input_dir(input_dir, con)
        extractiedatum, _ = folder.bronnen(list(PAYROLL_SOURCES))
        warnings: list[Notice] = []
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
                warnings.append(Notice("DQ-3", f"{result.file}: {notice}", 1))
        expect = getattr(progress, "expect", None)
        if expect is not None:  # now that the inputs read are known: every step of this run
            expect(expected_steps(len(inputs.sources), families, render))

        step("regio-indeling")
        if regional:
            geo = geography(inputs["gemeenten"], herindelingen(inputs["herindelingen"]), quarter.year)
            _check_region_names(geo.classes, inputs.sources["gemeenten"].file, quarter.year)
            regions = region_list(geo.classes)
        else:  # national publications only (LM-1): no classification is read
            geo, regions = None, [(NEDERLAND, NEDERLAND_NAAM)]
        ctx = RunContext(
            con, inputs, quarter, regions, options=options, parsed=parsed, notices=warnings,
            meta={"software_version": __version__}, manifest=manifest_run, chosen=[p.key for p in chosen], step=step,
            geography=geo,
        )
        frames = _build(ctx, families)

        step("uitvoer schrijven")
        final = Path(output_dir) / str(quarter)
        _remove_stale_temporaries(Path(output_dir))
        tmp = Path(output_dir) / f".{quarter}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir(parents=True)
        try:
            files = _write_outputs(tmp, frames, ctx, voorlopig, render, building)
            manifest = _manifest(ctx, voorlopig, tmp, files, started_at, time.time() - started, level, chosen)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            _move_into_place(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        engine.close(con)
    written = [final / f.relative_to(tmp) for f in files] + [final / "manifest.json"]
    return RunResult(quarter, final, written, warnings, inputs, voorlopig, time.time() - started)


def expected_steps(sources: int, families, render: bool) -> int:
    """The progress steps of a run: reading (one per input read), the classification, each
    family's and publication's own, writing, and the three renderings."""
    own = sum(f.steps + sum(p.steps for p in members) for f, members in families)
    return 1 + sources + 1 + own + 1 + (3 if render else 0)


def _build(ctx: RunContext, families) -> dict[str, pd.DataFrame]:
    """Every chosen publication, family by family: the family prepares its shared results,
    each member builds its long tables and checks them on the exact values (a violation
    stops the run before anything is written), then the family adds its notices."""
    frames: dict[str, pd.DataFrame] = {}
    for family, members in families:
        prepared = family.prepare(ctx, members)
        for pub in members:
            built = pub.build(ctx, prepared)
            missing = [o.key for o in pub.outputs if o.key not in built]
            if missing:
                raise AssertionError(f"{pub.key}: geen uitvoer {', '.join(missing)}")
            pub.check(ctx, built)
            frames.update(pub.finish(built))
        family.close(ctx, prepared)
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


def _write_csv(frame: pd.DataFrame, path: Path, voorlopig: bool, shares: frozenset = frozenset()) -> None:
    """Long format (CONTRACT.md): integers without decimals, banen with two decimals, a
    share (``shares``: (tabel, kolom) of kind ``aandeel``) with four, an empty field for a
    value that could not be computed. A voorlopig run adds the column ``status`` =
    voorlopig on every row (an extra column is allowed by the contract; definitive files
    have exactly the six)."""
    out = frame[COLUMNS].copy()
    out["waarde"] = [
        format_waarde(v, 4 if (t, k) in shares else 2) for t, k, v in zip(out["tabel"], out["kolom"], out["waarde"])
    ]
    if voorlopig:
        out["status"] = "voorlopig"
    out.to_csv(path, index=False, lineterminator="\n")


def _write_outputs(tmp: Path, frames, ctx: RunContext, voorlopig: bool, render: bool, publications) -> list[Path]:
    files = []
    vocabularies = {o.key: o for p in publications for o in p.outputs}
    for name, frame in frames.items():
        path = tmp / vocabularies[name].csv
        _write_csv(frame, path, voorlopig, frozenset(vocabularies[name].cells_of_kind(AANDEEL)))
        files.append(path)
    files += _write_rejects(ctx.inputs, tmp / "rejects")
    if render:
        from regiorapportage import render as r

        cadence = ctx.quarter.cadence
        job = r.RenderJob(
            frames, ctx.quarter, voorlopig, ctx.meta, publications,
            registry.site_title(cadence), registry.site_intro(cadence), registry.KEYWORDS,
        )
        ctx.step("werkmappen (XLSX)")
        files += list(r.write_xlsx(job, tmp))
        # PDFs before HTML: the pages link to the PDFs that exist in <run>/pdf/.
        ctx.step("PDF-rapportages")
        files += list(r.write_pdf(job, tmp))
        ctx.step("HTML-pagina's")
        files += list(r.write_html(job, tmp))
    return files


_TEMPORARY = re.compile(r"^\.[^/]+\.(tmp|old)-(?:(\d+)-)?[0-9a-f]{8}$")


def _remove_stale_temporaries(output_dir: Path) -> None:
    """DQ-4: the hidden folders of a run that was killed (SIGKILL, power loss) before it
    could clean up — ``.<kwartaal>.tmp-<pid>-<x>`` while writing, ``.<kwartaal>.old-…``
    while replacing — are removed by the next run; those of a run still going (its process
    alive) are left alone."""
    if not output_dir.is_dir():
        return
    for child in output_dir.iterdir():
        match = _TEMPORARY.match(child.name)
        if not match or not child.is_dir():
            continue
        pid = match.group(2)
        if pid is not None and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(child, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _move_into_place(tmp: Path, final: Path) -> None:
    """DQ-4: the finished folder replaces the old one in one rename."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    tmp.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _manifest(ctx: RunContext, voorlopig, tmp, files, started_at, seconds, level, chosen) -> dict:
    import duckdb

    inputs, con = ctx.inputs, ctx.con
    period = ctx.quarter
    niveau = level or chosen[0].niveaus[0]  # a run's publications share their level (one cadence)
    return {
        "regiorapportage": __version__,
        "run": {
            ("jaar" if isinstance(period, Jaar) else "kwartaal"): str(period),
            "peildatum": period.peildatum.isoformat(),
            "voorlopig": voorlopig,
            "niveau": niveau,
            "publicaties": ctx.chosen,
            **ctx.manifest,
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
        "waarschuwingen": [w.as_dict() for w in ctx.notices],
        "uitvoer": {str(f.relative_to(tmp)): sha256_file(f) for f in sorted(files)},
    }


def _iso(d) -> str | None:
    return d.isoformat() if d else None
