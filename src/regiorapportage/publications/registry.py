"""The one registry of publications. The pipeline, the CLI's ``--publicatie`` choices and
step count, the manifest, the site, the PDFs, the workbooks and the engine tests all loop
over ``PUBLICATIONS``; adding a publication is one package under ``publications/`` and one
line here (docs/architecture.md, "Adding a publication").

The order is the order in which a run builds them (and lists them in the manifest); pages
and documents show them in the order of their ``volgorde``."""

from __future__ import annotations

from regiorapportage.publications import banenafspraak, beschut_werk, landelijke_monitor
from regiorapportage.publications.base import JAAR, KWARTAAL, Publication
from regiorapportage.render.formatting import telwoord

PUBLICATIONS: tuple[Publication, ...] = (
    beschut_werk.PUBLICATION,
    banenafspraak.TRENDRAPPORTAGE,
    banenafspraak.FACTSHEET_PUBLICATION,
    banenafspraak.KLANTPROFIELEN_PUBLICATION,
    landelijke_monitor.PUBLICATION,
)

# What the site and the combined PDF call the whole (product texts, not a publication's).
SITE_TITEL = "Regionale rapportages banenafspraak en beschut werk"
JAAR_TITEL = "Jaarpublicaties banenafspraak"


def site_title(cadence: str = KWARTAAL) -> str:
    """The title of a run's pages and combined PDF: the regional reports of a quarter, the
    annual publications of a year."""
    return JAAR_TITEL if cadence == JAAR else SITE_TITEL


def titles() -> dict[str, str]:
    """Every publication key → its title (the site's start page names a run's parts)."""
    return {p.key: p.titel for p in PUBLICATIONS}


def publications(keys=None, registry: tuple[Publication, ...] | None = None, cadence: str = KWARTAAL) -> list[Publication]:
    """The registered publications of ``cadence`` with these keys, in the order asked (all,
    in registry order, when ``keys`` is empty); an unknown key is a usage error naming the
    choices."""
    from regiorapportage.errors import UserError

    registry = tuple(p for p in (PUBLICATIONS if registry is None else registry) if p.cadence == cadence)
    by_key = {p.key: p for p in registry}
    if not keys:
        return list(registry)
    chosen = list(dict.fromkeys(keys))
    unknown = [k for k in chosen if k not in by_key]
    if unknown:
        raise UserError(f"onbekende publicatie '{unknown[0]}'; kies uit: {', '.join(by_key)}")
    return [by_key[k] for k in chosen]


def outputs(registry: tuple[Publication, ...] | None = None) -> dict[str, str]:
    """Every output key → its CSV file name."""
    return {o.key: o.csv for p in (PUBLICATIONS if registry is None else registry) for o in p.outputs}
KEYWORDS = ("banenafspraak", "beschut werk", "arbeidsmarktregio")


def site_intro(cadence: str = KWARTAAL) -> tuple[str, ...]:
    """The introduction of the site and the combined PDF: how many parts the regional
    reports of this cadence have (the registry's publications)."""
    n = sum(1 for p in PUBLICATIONS if p.cadence == cadence)
    parts = f"{telwoord(n)} onderde{'el' if n == 1 else 'len'}"
    if cadence == JAAR:
        return (
            "Eens per jaar, met peildatum 31 december, verschijnt de landelijke meting van de banenafspraak. "
            f"De jaarpublicaties bestaan uit {parts}:",
        )
    return (
        "Elk kwartaal verschijnen per arbeidsmarktregio en voor Nederland de regionale rapportages "
        f"banenafspraak en beschut werk. Ze bestaan uit {parts}:",
    )
