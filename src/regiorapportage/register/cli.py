"""``regiorapportage register …``: the doelgroepregister service's commands. Thin: each calls
one library function. The commands act as the administrator: whoever can read the
configuration file (its keys, its database) is one; every change is written to the audit log
with ``door = cli:<user>``."""

from __future__ import annotations

import getpass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", "-c", help="Configuratiebestand (standaard $REGIORAPPORTAGE_REGISTER_CONFIG of ./register.toml).",
)]

app = typer.Typer(
    name="register",
    help=(
        "Het doelgroepregister als dienst: registraties bijhouden (DR-1 … DR-4), ja/nee-opvragingen "
        "voor werkgevers en gemeenten (DR-5), toegang en auditlog (DR-6) en het extract voor de "
        "rapportages (DR-7).\n\nBegin met: regiorapportage register init"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
credential_app = typer.Typer(help="Toegangssleutels van bellers beheren (DR-6).", no_args_is_help=True,
                             rich_markup_mode=None)
app.add_typer(credential_app, name="credential")


class Rol(str, Enum):
    opvrager = "opvrager"
    beheerder = "beheerder"


class Soort(str, Enum):
    werkgever = "werkgever"
    gemeente = "gemeente"
    beheer = "beheer"


def _door() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli"


def _fail(exc: BaseException) -> None:
    from regiorapportage.cli import _fail as fail

    fail(exc)


def _out():
    from regiorapportage.cli import out

    return out


def _open(config: Path | None):
    """Settings and a migrated engine."""
    from regiorapportage.errors import UserError
    from regiorapportage.register import config as cfg
    from regiorapportage.register import db

    settings = cfg.load(config)
    eng = db.engine(settings.database)
    if not db.is_migrated(eng):
        raise UserError("de database heeft het schema nog niet: voer 'regiorapportage register init' uit")
    db.migrate(eng)  # a newer version's migrations, idempotent
    return settings, eng


def _audited(settings, eng, actie: str, detail: str, work):
    """Run ``work(conn)`` and write its audit entry in the same transaction."""
    from regiorapportage.register import audit, db

    with db.transaction(eng) as conn:
        result = work(conn)
        audit.append(conn, settings, beller=_door(), actie=actie, status=0, detail=detail(result)[:256])
    return result


@app.command()
def init(
    config: ConfigOption = None,
    database: Annotated[Optional[str], typer.Option(
        help="SQLAlchemy-URL van de database (standaard een SQLite-bestand register.db naast de configuratie; "
             "PostgreSQL: postgresql+psycopg://gebruiker@host/naam).")] = None,
    demo_sleutel: Annotated[bool, typer.Option(
        "--demo-sleutel", help="Gebruik de pseudoniemsleutel van de synthetische demo (alleen voor de demo: "
                               "die sleutel is openbaar).")] = False,
    beheerder: Annotated[str, typer.Option(help="Naam van de eerste beheerder.")] = "beheerder",
) -> None:
    """Maak de configuratie (nieuwe geheime sleutels, alleen leesbaar voor de eigenaar), het
    databaseschema en een eerste beheerderssleutel, die één keer wordt getoond.

    De pseudoniemsleutel komt uit $REGIORAPPORTAGE_PSEUDONIEMSLEUTEL (hex) als die gezet is:
    alle producenten van extracten moeten dezelfde sleutel gebruiken (DR-1).

    Voorbeeld: regiorapportage register init --config register/register.toml
    """
    import os

    from regiorapportage.errors import UserError
    from regiorapportage.register import auth, config as cfg, db

    try:
        path = cfg.config_path(config)
        key = cfg.new_key()
        if demo_sleutel:
            from regiorapportage.synth import DEMO_PSEUDONIEMSLEUTEL

            key = DEMO_PSEUDONIEMSLEUTEL
        elif os.environ.get("REGIORAPPORTAGE_PSEUDONIEMSLEUTEL"):
            key = cfg.parse_key(os.environ["REGIORAPPORTAGE_PSEUDONIEMSLEUTEL"], "REGIORAPPORTAGE_PSEUDONIEMSLEUTEL")
        if path.exists():
            raise UserError(f"{path} bestaat al: dit register is al ingericht")
        path.parent.mkdir(parents=True, exist_ok=True)
        settings = cfg.Settings(database or cfg.default_database(path), key, cfg.new_key(), cfg.new_key())
        eng = db.engine(settings.database)
        db.migrate(eng)
        cfg.write(path, settings)
        token = _audited(settings, eng, "init", lambda _: "configuratie en schema; eerste beheerder",
                         lambda conn: auth.create_credential(conn, beheerder, "beheerder", "beheer", None))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    out = _out()
    out.print(f"Configuratie: {path} (geheim; alleen leesbaar voor u)", soft_wrap=True)
    out.print("Database: " + ("SQLite " + settings.database.removeprefix("sqlite:///")
                              if settings.database.startswith("sqlite") else "PostgreSQL"))
    if demo_sleutel:
        out.print("Let op: de pseudoniemsleutel is de openbare demosleutel; alleen voor synthetische gegevens.",
                  soft_wrap=True)
    out.print("Sleutel van de beheerder (wordt niet nog eens getoond; bewaar hem veilig):")
    out.print(token, markup=False, highlight=False, soft_wrap=True)


@app.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str, typer.Option(help="Adres om op te luisteren.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Poort.")] = 8000,
    workers: Annotated[int, typer.Option(help="Aantal werkprocessen (de limieten en het auditlog gelden over alle).")] = 1,
) -> None:
    """Start de webdienst (uvicorn): de opvraagpagina op /, de API op /api/v1/.

    Voorbeeld: regiorapportage register serve --port 8000 --workers 2
    """
    from regiorapportage.register import config as cfg
    from regiorapportage.register import web

    try:
        _open(config)
        web.serve(cfg.config_path(config), host=host, port=port, workers=workers)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)


@app.command("import")
def import_(
    bestand: Annotated[Path, typer.Argument(help="CSV met besluiten (kolommen: zie docs/register.md).")],
    config: ConfigOption = None,
) -> None:
    """Leg een bestand met besluiten vast, in volgorde, in één transactie: alles of niets.

    Voorbeeld: regiorapportage register import demo/invoer/register/besluiten.csv
    """
    from regiorapportage.register import decisions, store

    try:
        settings, eng = _open(config)
        batch = decisions.read_csv(bestand)
        summary = _audited(settings, eng, "import",
                           lambda s: f"{bestand.name}: {len(batch)} besluiten; " + _counts(s),
                           lambda conn: store.record(conn, batch, _door()))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _out().print(f"{len(batch):,}".replace(",", ".") + f" besluiten vastgelegd: {_counts(summary)}", soft_wrap=True)


def _counts(summary) -> str:
    return (f"{summary.personen} personen, {summary.registraties} registraties, "
            f"{summary.gebeurtenissen} gebeurtenissen, {summary.persoonsgebeurtenissen} persoonsgebeurtenissen")


@app.command()
def bijwerken(
    tot: Annotated[Optional[str], typer.Option(help="Pas AOW-beëindigingen toe tot en met deze datum (standaard vandaag).")] = None,
    config: ConfigOption = None,
) -> None:
    """DR-3: beëindig de registraties van iedereen die de AOW-leeftijd bereikt heeft, op die dag.

    Voorbeeld: regiorapportage register bijwerken --tot 2020-07-15
    """
    from regiorapportage.register import store

    try:
        day = _day(tot, "--tot")
        settings, eng = _open(config)
        summary = _audited(settings, eng, "bijwerken", lambda s: f"AOW tot {day}: " + _counts(s),
                           lambda conn: store.apply_aow(conn, day, _door()))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _out().print(f"AOW toegepast tot en met {day:%d-%m-%Y}: {summary.gebeurtenissen} registraties beëindigd "
                 f"bij {summary.persoonsgebeurtenissen} personen.")


def _day(value: str | None, option: str) -> date:
    from regiorapportage.errors import UserError

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option}: geen datum (JJJJ-MM-DD)") from None


@app.command()
def extract(
    output: Annotated[Path, typer.Option("--output", "-o", help="Map voor doelgroepregister.csv, personen.csv en bronnen.json.")],
    datum: Annotated[Optional[str], typer.Option(help="Datum van het extract (standaard vandaag).")] = None,
    config: ConfigOption = None,
) -> None:
    """DR-7: schrijf het extract voor de rapportages (persoon_id = pseudoniem, geen BSN).

    Voorbeeld: regiorapportage register extract --datum 2020-07-15 --output invoer
    """
    from regiorapportage.register import extract as ex

    try:
        day = _day(datum, "--datum")
        settings, eng = _open(config)
        from regiorapportage.register import audit

        def entry(conn, result):
            audit.append(conn, settings, beller=_door(), actie="extract", status=0,
                         detail=f"extract {day}: {result.registraties} registraties, {result.personen} personen")

        result = ex.write(eng, day, output, settings.pseudoniemsleutel, audit_entry=entry)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _out().print(f"Extract per {day:%d-%m-%Y} in {output}: {result.registraties} registraties, "
                 f"{result.personen} personen.")


@app.command("verify-audit")
def verify_audit(
    anker: Annotated[Optional[str], typer.Option(
        help="Een eerder getoond anker 'volgnummer:hash': dat moet nog ongewijzigd in het log staan "
             "(zo valt ook een weggehaald einde of een herschreven keten op).")] = None,
    config: ConfigOption = None,
) -> None:
    """Controleer de hashketen van het auditlog (DR-6); eindigt met code 5 als die gebroken is.
    Toont het anker van nu: bewaar dat buiten de database en geef het de volgende keer mee.

    Voorbeeld: regiorapportage register verify-audit --anker 1234:9f2c…
    """
    from regiorapportage.errors import UserError
    from regiorapportage.register import audit, db

    try:
        anchor = None
        if anker is not None:
            number, _, digest = anker.partition(":")
            if not number.isascii() or not number.isdigit() or len(digest) != 64:
                raise UserError("--anker: verwacht 'volgnummer:hash' (64 hextekens), zoals verify-audit het toont")
            anchor = (int(number), digest.lower())
        _settings, eng = _open(config)
        with db.read(eng) as conn:
            result = audit.verify(conn, anchor=anchor)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    if result.ok:
        _out().print(f"Auditlog in orde: {result.entries} regels, de keten klopt"
                     + (f" en bevat het anker van regel {anchor[0]}." if anchor else "."), soft_wrap=True)
        _out().print(f"Anker: {result.last_volgnummer}:{result.last_hash}", markup=False, highlight=False, soft_wrap=True)
        return
    _out().print(f"Auditlog GEBROKEN bij regel {result.first_bad}: {result.reason}", soft_wrap=True)
    raise typer.Exit(5)


@credential_app.command("new")
def credential_new(
    naam: Annotated[str, typer.Option(help="Naam van de beller (organisatie).")],
    rol: Annotated[Rol, typer.Option(help="opvrager: alleen ja/nee opvragen; beheerder: beheer.")] = Rol.opvrager,
    soort: Annotated[Soort, typer.Option(help="werkgever (loonheffingennummer), gemeente (gemeentecode) of beheer.")] = Soort.werkgever,
    kenmerk: Annotated[Optional[str], typer.Option(help="Loonheffingennummer (123456789L01) of gemeentecode (GM0363).")] = None,
    config: ConfigOption = None,
) -> None:
    """Maak een sleutel voor een beller; die wordt één keer getoond en alleen als hash bewaard.

    Voorbeeld: regiorapportage register credential new --naam "Bakkerij Jansen" --kenmerk 123456789L01
    """
    from regiorapportage.register import auth

    try:
        settings, eng = _open(config)
        token = _audited(settings, eng, "sleutel_nieuw", lambda t: f"{rol.value} {soort.value} {t.split('.')[0]}",
                         lambda conn: auth.create_credential(conn, naam, rol.value, soort.value, kenmerk))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _out().print("Sleutel (wordt niet nog eens getoond):")
    _out().print(token, markup=False, highlight=False, soft_wrap=True)


@credential_app.command("revoke")
def credential_revoke(
    sleutel_id: Annotated[str, typer.Argument(help="Het deel van de sleutel vóór de punt.")],
    config: ConfigOption = None,
) -> None:
    """Trek een sleutel in; hij werkt direct niet meer, in alle werkprocessen.

    Voorbeeld: regiorapportage register credential revoke 3f9a0c1d2e4b5a69
    """
    from regiorapportage.errors import UserError
    from regiorapportage.register import auth

    try:
        settings, eng = _open(config)
        done = _audited(settings, eng, "sleutel_intrekken", lambda ok: f"{sleutel_id[:32]} {'ingetrokken' if ok else 'onbekend'}",
                        lambda conn: auth.revoke(conn, sleutel_id))
        if not done:
            raise UserError("geen actieve sleutel met dit id")
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    _out().print(f"Sleutel {sleutel_id} ingetrokken.")


@credential_app.command("list")
def credential_list(config: ConfigOption = None) -> None:
    """Toon de bellers (zonder geheimen).

    Voorbeeld: regiorapportage register credential list
    """
    from regiorapportage.register import auth

    try:
        _settings, eng = _open(config)
        with eng.connect() as conn:
            rows = auth.list_credentials(conn)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    for r in rows:
        status = "ingetrokken" if r.get("ingetrokken_op") else "actief"
        _out().print(f"{r['sleutel_id']}  {r['rol']:<9}  {r['soort']:<9}  {r.get('kenmerk') or '-':<13}  {status:<11}  {r['naam']}",
                     markup=False, highlight=False, soft_wrap=True)


@app.command()
def benchmark(
    databases: Annotated[str, typer.Option(help="Databases, komma-gescheiden: sqlite en/of postgresql.")] = "sqlite,postgresql",
    verzoeken: Annotated[int, typer.Option(help="Aantal gemeten opvragingen per database.")] = 5000,
    gelijktijdig: Annotated[int, typer.Option(help="Aantal gelijktijdige verbindingen.")] = 16,
    workers: Annotated[int, typer.Option(help="Werkprocessen van de dienst.")] = 2,
    personen: Annotated[int, typer.Option(help="Personen in het register van de meting.")] = 3000,
    min_antwoord_ms: Annotated[int, typer.Option(help="Tijdsvloer van een opvraging (DR-5; productie: 25).")] = 25,
    report: Annotated[Optional[Path], typer.Option(help="Schrijf de tabel ook in dit Markdown-bestand (tussen markeringen).")] = None,
) -> None:
    """Meet de dienst onder belasting op 127.0.0.1: doorvoer, p50/p99, fouten (moeten 0 zijn) en
    of het auditlog precies de beantwoorde opvragingen bevat. PostgreSQL draait in een tijdelijk
    cluster (pakket postgresql nodig).

    Voorbeeld: regiorapportage register benchmark --verzoeken 5000 --report docs/benchmarks.md
    """
    from regiorapportage.errors import UserError
    from regiorapportage.register import loadbench

    try:
        chosen = [d.strip() for d in databases.split(",") if d.strip()]
        if not chosen or any(d not in ("sqlite", "postgresql") for d in chosen):
            raise UserError("--databases: kies sqlite en/of postgresql")
        if min(verzoeken, gelijktijdig, workers, personen) < 1 or min_antwoord_ms < 0:
            raise UserError("--verzoeken, --gelijktijdig, --workers en --personen moeten minstens 1 zijn")
        results = []
        for d in chosen:
            _out().print(f"{d}: {verzoeken} opvragingen, {gelijktijdig} gelijktijdig, {workers} werkprocessen …")
            results.append(loadbench.run_one(d, verzoeken, gelijktijdig, workers, personen, min_antwoord_ms))
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        _fail(exc)
    table = loadbench.markdown(results)
    _out().print(table, markup=False, highlight=False, soft_wrap=True)
    if report:
        from regiorapportage.bench import write_report

        write_report(report, table, marker="register-load")
        _out().print(f"Geschreven naar {report}")
    if any(r.errors or r.audit_entries != r.answered or not r.chain_ok for r in results):
        raise typer.Exit(1)
