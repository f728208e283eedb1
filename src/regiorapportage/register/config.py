"""The service's configuration: a small TOML file that ``register init`` writes (mode 0600,
never in the repository), with environment variables that override it.

| key | environment | meaning |
|---|---|---|
| ``database`` | ``REGIORAPPORTAGE_REGISTER_DATABASE`` | SQLAlchemy URL: ``sqlite:///pad/register.db`` (default, embedded) or ``postgresql+psycopg://…`` |
| ``pseudoniemsleutel`` | ``REGIORAPPORTAGE_PSEUDONIEMSLEUTEL`` | DR-1/DR-7: hex, ≥ 32 bytes; shared with every extract producer |
| ``auditsleutel`` | ``REGIORAPPORTAGE_AUDITSLEUTEL`` | DR-6: hex, ≥ 32 bytes; keys the BSN hash in the audit log |
| ``csrfsleutel`` | ``REGIORAPPORTAGE_CSRFSLEUTEL`` | signs the browser form's CSRF token |
| ``limiet`` | | DR-6: requests per caller per window (default 60) |
| ``venster_seconden`` | | the window (default 60) |
| ``max_verzoek_bytes`` | | largest look-up request body (default 2048) |
| ``max_beheer_bytes`` | | largest administrative request body (default 10 MiB) |
| ``min_antwoord_ms`` | | DR-5: every look-up is answered no sooner than this after it arrived (default 25), so that its timing does not tell an unknown BSN from a registered one |

The keys are secrets: they are never logged or printed (``Settings.__repr__`` hides them)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomllib

from regiorapportage.errors import UserError
from regiorapportage.register.pseudonym import MIN_KEY_BYTES

ENV_CONFIG = "REGIORAPPORTAGE_REGISTER_CONFIG"
DEFAULT_CONFIG = Path("register.toml")
_ENV = {
    "database": "REGIORAPPORTAGE_REGISTER_DATABASE",
    "pseudoniemsleutel": "REGIORAPPORTAGE_PSEUDONIEMSLEUTEL",
    "auditsleutel": "REGIORAPPORTAGE_AUDITSLEUTEL",
    "csrfsleutel": "REGIORAPPORTAGE_CSRFSLEUTEL",
}
_KEYS = ("pseudoniemsleutel", "auditsleutel", "csrfsleutel")


@dataclass(frozen=True)
class Settings:
    database: str
    pseudoniemsleutel: bytes = field(repr=False)
    auditsleutel: bytes = field(repr=False)
    csrfsleutel: bytes = field(repr=False)
    limiet: int = 60
    venster_seconden: int = 60
    max_verzoek_bytes: int = 2048
    max_beheer_bytes: int = 10 * 1024 * 1024
    min_antwoord_ms: int = 25

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def new_key() -> bytes:
    return secrets.token_bytes(MIN_KEY_BYTES)


def parse_key(value: str, name: str) -> bytes:
    """A key given as hexadecimal text (≥ 32 bytes)."""
    try:
        key = bytes.fromhex(value)
    except ValueError:
        raise UserError(f"{name} is geen hexadecimale sleutel") from None
    if len(key) < MIN_KEY_BYTES:
        raise UserError(f"{name} moet minstens {MIN_KEY_BYTES} bytes ({2 * MIN_KEY_BYTES} hextekens) zijn")
    return key


def config_path(path: Path | str | None = None) -> Path:
    return Path(path or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG)


def load(path: Path | str | None = None) -> Settings:
    """Settings from the file (``--config``, ``$REGIORAPPORTAGE_REGISTER_CONFIG`` or
    ``./register.toml``) with the environment's overrides."""
    p = config_path(path)
    if not p.exists():
        raise UserError(f"geen configuratie {p}: maak die met 'regiorapportage register init'")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{p}: geen geldige TOML ({e})") from None
    for key, env in _ENV.items():
        if os.environ.get(env):
            raw[key] = os.environ[env]
    missing = [k for k in ("database", *_KEYS) if not raw.get(k)]
    if missing:
        raise UserError(f"{p}: {', '.join(missing)} ontbreekt")
    ints = {}
    for k in ("limiet", "venster_seconden", "max_verzoek_bytes", "max_beheer_bytes", "min_antwoord_ms"):
        if k in raw:
            least = 0 if k == "min_antwoord_ms" else 1
            if not isinstance(raw[k], int) or isinstance(raw[k], bool) or raw[k] < least:
                raise UserError(f"{p}: {k} moet een geheel getal van minstens {least} zijn")
            ints[k] = raw[k]
    return Settings(raw["database"], *(parse_key(raw[k], k) for k in _KEYS), **ints)


def write(path: Path, settings: Settings) -> None:
    """Write a new configuration file readable by its owner only; refuses to overwrite."""
    if path.exists():
        raise UserError(f"{path} bestaat al; kies een ander pad of verwijder het bewust")
    text = "\n".join([
        "# regiorapportage register: configuratie (geheim: niet in versiebeheer, niet delen)",
        f'database = "{settings.database}"',
        *(f'{k} = "{getattr(settings, k).hex()}"' for k in _KEYS),
        f"limiet = {settings.limiet}",
        f"venster_seconden = {settings.venster_seconden}",
        f"max_verzoek_bytes = {settings.max_verzoek_bytes}",
        f"max_beheer_bytes = {settings.max_beheer_bytes}",
        f"min_antwoord_ms = {settings.min_antwoord_ms}",
        "",
    ])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def default_database(config_file: Path) -> str:
    return f"sqlite:///{(config_file.parent / 'register.db').resolve()}"
