"""The ``regiorapportage`` command. Thin: every command calls one library function."""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from regiorapportage import __version__
from regiorapportage.errors import ConsistencyError, UserError
from regiorapportage.publications.registry import PUBLICATIONS, SITE_TITEL, titles

# options shared by validate, run and site
EngineOption = Annotated[
    Optional[str], typer.Option(help="Rekenmachine achter Ibis (standaard duckdb, of $REGIORAPPORTAGE_ENGINE).")
]
InputOption = Annotated[str, typer.Option("--input", "-i", help=(
    "Map met de invoerbestanden: een lokale map, of met --engine pyspark een URL van een "
    "Hadoop-bestandssysteem (hdfs://, s3a://, abfs://, viewfs://; docs/scale-out.md)."
))]

app = typer.Typer(
    name="regiorapportage",
    help=(
        "Kwartaalrapportages banenafspraak en beschut werk per arbeidsmarktregio, "
        "reproduceerbaar uit de bronbestanden.\n\n"
        "Begin met: regiorapportage demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def run_steps() -> int:
    """A first estimate of the steps of a run of every publication (for the progress bar);
    ``pipeline.run`` corrects it (``Steps.expect``) once it knows the inputs it reads."""
    from regiorapportage.sources.schema import SOURCES

    families = {p.family.key or p.key: p.family.steps for p in PUBLICATIONS}
    return 1 + len(SOURCES) + 1 + sum(p.steps for p in PUBLICATIONS) + sum(families.values()) + 1 + 3


class Format(str, Enum):
    csv = "csv"
    parquet = "parquet"


# the --publicatie choices: the registry's keys
Publicatie = Enum("Publicatie", {p.key: p.key for p in PUBLICATIONS}, type=str)


class Level(str, Enum):
    nederland = "nederland"
    arbeidsmarktregio = "arbeidsmarktregio"
    gemeente = "gemeente"


def _period(quarter: str | None, jaar: str | None) -> str:
    """The run's period: ``--quarter JJJJQn`` or ``--jaar JJJJ``, exactly one of them."""
    if (quarter is None) == (jaar is None):
        raise UserError("geef precies één van --quarter (kwartaalrapportages) en --jaar (jaarpublicaties)")
    if jaar is not None:
        from regiorapportage.quarter import Jaar

        return str(Jaar.parse(jaar))
    return quarter


class Steps:
    """Progress of a long job: on a terminal a live bar over the expected steps with the
    running step's name and the elapsed time; everywhere one line per finished step with
    its duration (so logs show where the time went)."""

    def __init__(self, expected: int = 0, quiet: bool = False, extra: int = 0):
        self.quiet = quiet
        self.expected = expected + extra
        self.extra = extra  # steps of the command around the job that reports ``expect``
        self.current: str | None = None
        self.t = time.perf_counter()
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, message: str) -> None:
        self._finish()
        self.current = message
        self.t = time.perf_counter()
        if self.quiet or not console.is_terminal:
            return
        if self.bar is None:
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(message, total=self.expected or None)
        else:
            self.bar.update(self.task, description=message, advance=1)
            if self.expected and self.bar.tasks[0].completed >= self.expected:
                self.bar.update(self.task, total=None)

    def expect(self, total: int) -> None:
        """The number of steps, once the job knows it (see ``pipeline.expected_steps``)."""
        self.expected = total + self.extra
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, total=self.expected)

    def _finish(self) -> None:
        if self.current and not self.quiet:
            console.print(f"  [green]✓[/green] {self.current} [dim]({time.perf_counter() - self.t:.1f} s)[/dim]")
        self.current = None

    def close(self) -> None:
        self._finish()
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.close()
        elif self.bar is not None:
            self.bar.stop()
        return False


# Interruptions: Ctrl-C (SIGINT) and SIGTERM end a command the same way — the run's temporary
# folder is removed on the way out (pipeline.run), one line says so, exit code 130.
INTERRUPTED_EXIT = 130
_interrupted: list[str] = []  # the signal received, once one is


def _on_signal(signum, frame) -> None:
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    first = not _interrupted
    _interrupted.append(name)
    if first:  # a second signal during the clean-up does not cut the clean-up short
        raise KeyboardInterrupt(name)


def _interrupted_message() -> str:
    what = _interrupted[0] if _interrupted else "Ctrl-C"
    return f"Afgebroken ({what}): er is niets half geschreven; eerdere uitvoer is ongewijzigd."


def _is_interrupt(exc: BaseException) -> bool:
    """An interruption, also when an engine reports it as its own error (DuckDB's
    InterruptException, or a read error caused by it)."""
    return bool(_interrupted) or isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "InterruptException"


def _fail(exc: BaseException) -> None:
    if _is_interrupt(exc):
        console.print(_interrupted_message(), markup=False, highlight=False)
        main._reported = True  # type: ignore[attr-defined]
        raise typer.Exit(INTERRUPTED_EXIT)
    if isinstance(exc, UserError):
        console.print(f"[bold red]Fout:[/bold red] {exc}")
        raise typer.Exit(exc.exit_code)
    if isinstance(exc, OSError):
        what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        console.print(f"[bold red]Fout:[/bold red] kan niet lezen of schrijven ({what}); er is niets half geschreven.")
        raise typer.Exit(2)
    if isinstance(exc, ConsistencyError):
        console.print(f"[bold red]Interne controle mislukt — er is niets geschreven:[/bold red] {exc}")
        raise typer.Exit(exc.exit_code)
    if os.environ.get("REGIORAPPORTAGE_DEBUG"):
        traceback.print_exc()
    console.print(
        f"[bold red]Onverwachte fout ({type(exc).__name__}):[/bold red] {exc}\n"
        "Dit is een fout in regiorapportage; zet REGIORAPPORTAGE_DEBUG=1 voor de volledige traceback."
    )
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        out.print(f"regiorapportage {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", help="Toon het versienummer en stop.", callback=_version, is_eager=True),
    ] = None,
) -> None:
    """Kwartaalrapportages banenafspraak en beschut werk per arbeidsmarktregio."""


@app.command()
def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Map waarin de synthetische invoer komt.")],
    scale: Annotated[float, typer.Option(help="Omvang: 1 = Nederland (kalibratie), 0.01 voor tests, 10 als stresstest.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Startgetal van het toeval; dezelfde seed geeft dezelfde bestanden.")] = 2019,
    format: Annotated[Format, typer.Option("--format", help="Bestandsformaat van de invoer.")] = Format.csv,
    faults: Annotated[
        bool,
        typer.Option("--fouten/--zonder-fouten", help="Voeg een handvol foute rijen toe die de controle moet afwijzen."),
    ] = True,
    banenafspraak: Annotated[
        bool,
        typer.Option(
            "--banenafspraak/--zonder-banenafspraak",
            help="Schrijf ook de invoer van de banenafspraak (doelgroepregister, werkgevers, loongegevens vanaf 2012, "
            "klantprofielen, werkkamer-indicatie); zonder alleen wat de rapportage beschut werk nodig heeft.",
        ),
    ] = True,
    nulmeting: Annotated[
        bool,
        typer.Option("--nulmeting", help="Schrijf ook een nulmeting-bestand (anders berekent run de nulmeting, TR-3)."),
    ] = False,
    partitioneren: Annotated[
        bool,
        typer.Option(
            "--partitioneren/--niet-partitioneren",
            help="Bij --format parquet: schrijf polis_tijdvak en werkgever_tijdvak als map gepartitioneerd naar jaar "
            "van tijdvak_begin (polis_tijdvak/jaar=2019/part-0.parquet); met --niet-partitioneren als één bestand "
            "(polis_tijdvak.parquet). Geen effect bij csv.",
        ),
    ] = True,
) -> None:
    """Schrijf een synthetisch Nederland als invoerbestanden volgens CONTRACT.md.

    Met --format parquet worden de twee grote loonbronnen (polis_tijdvak, werkgever_tijdvak)
    Parquet-datasets, gepartitioneerd naar jaar; de overige bronnen zijn losse bestanden.

    Voorbeeld: regiorapportage generate --output invoer --scale 1 --format parquet
    """
    from regiorapportage.synth import generate as gen

    try:
        _check_scale(scale)
        with Steps() as steps:
            counts = gen(
                output, scale=scale, seed=seed, fmt=format.value, faults=faults, progress=steps,
                banenafspraak=banenafspraak, nulmeting=nulmeting, partition=partitioneren,
            )
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every error becomes a readable message
        _fail(exc)
    total = sum(counts.values())
    out.print(f"Synthetische invoer geschreven naar {output}: " + ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in counts.items()) + f" (totaal {total:,} rijen)".replace(",", "."))


@app.command()
def validate(
    input: InputOption,
    rejects: Annotated[Path, typer.Option(help="Map waarin de afgewezen rijen komen (<bron>.csv).")] = Path("rejects"),
    engine: EngineOption = None,
) -> None:
    """Controleer alleen de invoer: per bron gelezen / geaccepteerd / afgewezen en de
    belangrijkste redenen; schrijf de afgewezen rijen.

    Voorbeeld: regiorapportage validate --input invoer --rejects afgewezen
    """
    from regiorapportage.pipeline import validate_inputs

    try:
        with Steps(expected=6) as steps:
            result = validate_inputs(input, rejects, engine_name=engine, progress=lambda s: steps(f"controle {s}"))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    out.print(f"Invoercontrole {input}")
    out.print(f"  {'bron':<15}{'gelezen':>12}{'geaccepteerd':>14}{'afgewezen':>11}  belangrijkste redenen")
    total_rejected = 0
    for name, s in result.sources.items():
        total_rejected += s.rejected
        top = ", ".join(f"{r} ({_nl(n)})" for r, n in sorted(s.reasons.items(), key=lambda x: (-x[1], x[0]))[:3])
        out.print(f"  {name:<15}{_nl(s.read):>12}{_nl(s.accepted):>14}{_nl(s.rejected):>11}  {top or '-'}", soft_wrap=True)
    for name, s in result.sources.items():
        if s.file != f"{name}.csv" and s.file != f"{name}.parquet":
            out.print(f"  {name}: {s.file}")
        for notice in s.notices:
            out.print(f"  melding {name}: {notice}")
    out.print(f"Klaar: {len(result.sources)} bronnen gecontroleerd, {_nl(total_rejected)} rijen afgewezen (zie {rejects}/).")


@app.command()
def run(
    input: InputOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="Uitvoermap; de rapportages komen in <uitvoer>/<kwartaal>/ of <uitvoer>/<jaar>/.")],
    quarter: Annotated[Optional[str], typer.Option("--quarter", "-q", help="Verslagkwartaal als JJJJQn, bijvoorbeeld 2019Q2: de kwartaalrapportages.")] = None,
    jaar: Annotated[Optional[str], typer.Option("--jaar", help="Verslagjaar als JJJJ, bijvoorbeeld 2019: de jaarpublicaties (Landelijke monitor banenafspraak, peildatum 31 december).")] = None,
    voorlopig: Annotated[
        bool,
        typer.Option("--voorlopig", help="Sta polisgegevens van minder dan drie (kwartaal) of zes (jaar) maanden na de peildatum toe; alle uitvoer wordt als voorlopig gemarkeerd (T-5, LM-2)."),
    ] = False,
    niveau: Annotated[
        Optional[Level], typer.Option("--niveau", help="Niveau: kwartaalrapportages per arbeidsmarktregio (niet per gemeente, R-6); de Landelijke monitor alleen voor Nederland (LM-1). Standaard dat van de publicatie.")
    ] = None,
    engine: EngineOption = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Maak ook XLSX, PDF en HTML (standaard aan).")] = True,
    publicatie: Annotated[
        Optional[list[Publicatie]],
        typer.Option(
            "--publicatie",
            help="Maak alleen deze publicatie(s); herhaal de optie voor meer. Standaard alle. Alleen de invoer "
            "die de gekozen publicaties nodig hebben wordt gelezen.",
        ),
    ] = None,
    categorie_voorrang: Annotated[
        Optional[Path],
        typer.Option(
            "--categorie-voorrang",
            help="CSV (rang,grondslag,categorie) met de voorrang van grondslagen voor de categorieën van de doelgroep "
            "(BA-7); standaard de meegeleverde tabel.",
        ),
    ] = None,
) -> None:
    """Maak de kwartaalrapportages (--quarter) of de jaarpublicaties (--jaar; elke publicatie van
    het register, zie --publicatie): inlezen → controleren → berekenen → consistentiecontroles →
    atomair wegschrijven → manifest.

    Voorbeeld: regiorapportage run --input invoer --output uitvoer --quarter 2019Q2

    Voorbeeld (jaar): regiorapportage run --input invoer --output uitvoer --jaar 2019
    """
    from regiorapportage.pipeline import run as run_pipeline

    try:
        period = _period(quarter, jaar)
        with Steps(expected=run_steps()) as steps:
            result = run_pipeline(
                input, output, period, voorlopig=voorlopig, level=niveau.value if niveau else None, engine_name=engine,
                render=render, progress=steps, publications=[p.value for p in publicatie] if publicatie else None,
                precedence=categorie_voorrang,
            )
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _summary(result)


@app.command()
def site(
    input: InputOption,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o",
            help="Map van de website; het kwartaal komt in <map>/<kwartaal>/ (een jaar in <map>/<jaar>/) en "
            "<map>/index.html toont alle kwartalen en jaren in de map.",
        ),
    ],
    quarter: Annotated[Optional[str], typer.Option("--quarter", "-q", help="Verslagkwartaal als JJJJQn, bijvoorbeeld 2019Q2.")] = None,
    jaar: Annotated[Optional[str], typer.Option("--jaar", help="Verslagjaar als JJJJ: de jaarpublicaties (Landelijke monitor banenafspraak).")] = None,
    voorlopig: Annotated[
        bool,
        typer.Option("--voorlopig", help="Sta polisgegevens van minder dan drie (kwartaal) of zes (jaar) maanden na de peildatum toe; alles wordt als voorlopig gemarkeerd (T-5, LM-2)."),
    ] = False,
    engine: EngineOption = None,
) -> None:
    """Maak de statische website van een kwartaal (of met --jaar de jaarpublicaties): alle rapportages (zoals run) met
    per regio een pagina, een kaart en een sorteerbare tabel van de regio's, en de downloads
    (CSV, Excel, PDF). Werkt zonder server vanaf schijf: open <map>/index.html.

    Voorbeeld: regiorapportage site --input invoer --output website --quarter 2019Q2
    """
    from regiorapportage.pipeline import run as run_pipeline
    from regiorapportage.render.site import write_site_index

    try:
        period = _period(quarter, jaar)
        with Steps(expected=run_steps(), extra=1) as steps:
            result = run_pipeline(input, output, period, voorlopig=voorlopig, engine_name=engine, progress=steps)
            steps("startpagina van de website")
            index = write_site_index(output, SITE_TITEL, titles())
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _summary(result)
    out.print(f"Open de website: {index.resolve().as_uri()}")


class _Sub:
    """The progress of a second run inside a job: its steps, without resetting the bar's total."""

    def __init__(self, steps) -> None:
        self.steps = steps

    def __call__(self, message: str) -> None:
        self.steps(message)

    def expect(self, total: int) -> None:
        self.steps.expect(self.steps.expected - self.steps.extra + total)


def _summary(result) -> None:
    for w in result.warnings:
        out.print(f"  [yellow]waarschuwing {w.regel}[/yellow]: {w.melding} ({_nl(w.aantal)})")
    html = sum(1 for f in result.files if f.suffix == ".html")
    names = sorted({f.name for f in result.files if f.parent == result.output_dir})
    rejected = result.rejected
    status = " VOORLOPIG ·" if result.voorlopig else ""
    out.print(
        f"[bold]Klaar:[/bold]{status} {result.quarter} → {result.output_dir}: {', '.join(names)}"
        + (f", {html} HTML-pagina's" if html else "")
        + f" · {len(result.warnings)} waarschuwing(en) · {_nl(rejected)} rij(en) afgewezen"
        + (f" (zie {result.output_dir / 'rejects'})" if rejected else "")
        + f" · {result.seconds:.1f} s".replace(".", ",")
    )


@app.command()
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Map voor de demo (invoer/ en uitvoer/ komen erin).")] = Path("demo"),
    scale: Annotated[float, typer.Option(help="Omvang van het synthetische Nederland.")] = 1.0,
) -> None:
    """Genereer een synthetisch Nederland (schaal 1) en maak alle rapportages voor 2019Q2 en de
    Landelijke monitor banenafspraak 2019, met een startpagina die naar beide leidt.

    Voorbeeld: regiorapportage demo --output demo
    """
    from regiorapportage.pipeline import run as run_pipeline
    from regiorapportage.synth import generate as gen

    invoer, uitvoer = output / "invoer", output / "uitvoer"
    try:
        _check_scale(scale)
        with Steps(expected=run_steps(), extra=3) as steps:
            steps("synthetische invoer genereren")
            gen(invoer, scale=scale, fmt="csv")
            result = run_pipeline(invoer, uitvoer, "2019Q2", progress=steps)
            annual = run_pipeline(invoer, uitvoer, "2019", progress=_Sub(steps))
            steps("startpagina van de website")
            from regiorapportage.render.site import write_site_index

            site_index = write_site_index(uitvoer, SITE_TITEL, titles())
            steps("doelgroepregister: besluiten vastleggen, dienst starten, één opvraging")
            from regiorapportage.register import demo as register_demo
            from regiorapportage.synth import DECISIONS_FILE, DECISIONS_FOLDER

            register = register_demo.run(invoer / DECISIONS_FOLDER / DECISIONS_FILE, output / "register")
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _summary(result)
    _summary(annual)
    index = result.output_dir / "html" / "index.html"
    out.print(f"Open de rapportages: {index.resolve().as_uri()}")
    monitor = annual.output_dir / "html" / "index.html"
    out.print(f"Landelijke monitor banenafspraak 2019: {monitor.resolve().as_uri()}")
    out.print(f"Website (alle kwartalen en jaren): {site_index.resolve().as_uri()}")
    books = sorted(f.name for f in result.files if f.suffix == ".xlsx" and f.parent == result.output_dir)
    data = sorted(f.name for f in result.files if f.suffix == ".csv" and f.parent == result.output_dir)
    out.print(f"Werkmappen en data in {result.output_dir}: {', '.join(books + data)}")
    bsn = f"{register.bsn[:3]}…{register.bsn[-2:]}"
    out.print(
        f"Doelgroepregister: {register.besluiten:,} besluiten vastgelegd in {register.folder}/ (SQLite); ".replace(",", ".")
        + f"de dienst antwoordde op 127.0.0.1 voor synthetisch BSN {bsn} op 30-06-2019: "
        + ("ja" if register.antwoord else "nee") + "; voor een onbekend BSN: "
        + ("ja" if register.onbekend_antwoord else "nee") + ". Zie de README, 'Het doelgroepregister als dienst'.",
        soft_wrap=True,
    )


@app.command()
def benchmark(
    scales: Annotated[str, typer.Option(help="Schalen om te meten, komma-gescheiden.")] = "0.1,1,10",
    engines: Annotated[
        str, typer.Option(help="Engines, komma-gescheiden: duckdb, pyspark en/of pandas (de pandas-referentie).")
    ] = "duckdb,pyspark,pandas",
    formaat: Annotated[
        str,
        typer.Option(
            "--formaat",
            help="Invoerformaat, komma-gescheiden: parquet (elke bron één bestand, voor alle engines), csv, "
            "parquet-dataset (polisbronnen per jaar gepartitioneerd).",
        ),
    ] = "parquet",
    quarter: Annotated[str, typer.Option("--quarter", "-q", help="Verslagkwartaal.")] = "2019Q2",
    jaar: Annotated[
        str,
        typer.Option("--jaar", help="Verslagjaar van de jaarrun (Landelijke monitor) naast het kwartaal; 'geen' slaat die over."),
    ] = "2019",
    timeout: Annotated[
        float, typer.Option(help="Tijdgrens per stap (inlezen, berekening, uitvoer) in seconden; daarna afgebroken.")
    ] = 1800,
    max_geheugen: Annotated[
        float, typer.Option("--max-geheugen", help="Geheugengrens per run in GiB (RSS van de procesboom); daarboven afgebroken.")
    ] = 16,
    workdir: Annotated[Path, typer.Option(help="Werkmap voor de gegenereerde invoer en uitvoer.")] = Path("bench-werk"),
    bewaar: Annotated[bool, typer.Option("--bewaar", help="Laat de gegenereerde invoer in de werkmap staan.")] = False,
    report: Annotated[Optional[Path], typer.Option(help="Schrijf de tabellen ook als Markdown naar dit bestand.")] = None,
) -> None:
    """Meet per schaal en engine wandkloktijd en piekgeheugen per stap (opstart, inlezen + controle,
    berekening, uitvoer), elke run in een eigen proces, en vergelijk de CSV's met die van DuckDB.

    Voorbeeld: regiorapportage benchmark --scales 0.1,1,10 --engines duckdb,pyspark,pandas --report docs/benchmarks.md
    """
    from regiorapportage.bench import ENGINES, FORMATS, run_benchmark

    try:
        try:
            values = [float(s) for s in scales.split(",")]
        except ValueError:
            raise UserError(f"--scales '{scales}': geef getallen, komma-gescheiden, bijvoorbeeld 1,10") from None
        for value in values:
            _check_scale(value)
        chosen = [e.strip() for e in engines.split(",") if e.strip()]
        unknown = [e for e in chosen if e not in ENGINES]
        if unknown or not chosen:
            raise UserError(f"--engines: onbekende engine '{(unknown or [''])[0]}'; kies uit {', '.join(ENGINES)}")
        formats = [f.strip() for f in formaat.split(",") if f.strip()]
        if not formats or any(f not in FORMATS for f in formats):
            raise UserError(f"--formaat '{formaat}': kies uit {', '.join(FORMATS)} (komma-gescheiden)")
        if timeout <= 0 or max_geheugen <= 0:
            raise UserError("--timeout en --max-geheugen moeten groter dan 0 zijn")
        from regiorapportage.quarter import Jaar

        annual = None if jaar.strip().lower() == "geen" else str(Jaar.parse(jaar))
        _, markdown = run_benchmark(
            values, workdir, engines=chosen, formats=formats, quarter=quarter, timeout=timeout,
            memory_cap_gib=max_geheugen, keep=bewaar, progress=lambda m: console.print(m), jaar=annual,
        )
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    out.print(markdown, soft_wrap=True)
    if report:
        from regiorapportage.bench import write_report

        write_report(report, markdown)
        out.print(f"Geschreven naar {report}")


def _check_scale(scale: float) -> None:
    if not 0 < scale < float("inf"):
        raise UserError(f"--scale moet groter dan 0 zijn (kreeg {scale:g}); 1 = Nederland, 0.01 voor tests")


def _nl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# the doelgroepregister service (issue 14): its own command group beside the pipeline
from regiorapportage.register.cli import app as register_app  # noqa: E402

app.add_typer(register_app, name="register")


def _tolerant_streams() -> None:
    """A terminal or pipe whose encoding cannot show a character (``→``, ``✓``) gets a
    replacement character, never a traceback after a finished run."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):  # not a text stream we can reconfigure
            pass


def main() -> None:
    _tolerant_streams()
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        app()
    except SystemExit as exc:
        # an interruption outside a command's own handling (start-up, option parsing):
        # Typer ends with 130 and says nothing
        if exc.code == INTERRUPTED_EXIT and not getattr(main, "_reported", False):
            console.print(_interrupted_message(), markup=False, highlight=False)
        raise


if __name__ == "__main__":
    main()
