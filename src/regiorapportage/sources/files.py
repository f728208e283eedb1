"""Finding the inputs of a run: the input folder, ``bronnen.json``, each source's file or
dataset folder, and the hashes the manifest records (T-6)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from importlib import resources
from pathlib import Path

from regiorapportage import engine
from regiorapportage.errors import StructuralError
from regiorapportage.sources.schema import Source

FORMATS = ("parquet", "csv")



def find_file(input_dir: Path, source: Source) -> engine.Located | None:
    """``<source>.csv``, ``<source>.parquet`` or a folder ``<source>/`` of Parquet files (a
    dataset, possibly partitioned, e.g. ``polis_tijdvak/jaar=2019/…parquet``)."""
    found = [
        engine.Located(str(input_dir / f"{source.name}.{fmt}"), fmt)
        for fmt in FORMATS
        if (input_dir / f"{source.name}.{fmt}").is_file()
    ]
    folder = input_dir / source.name
    if folder.is_dir():
        if not any(folder.rglob("*.parquet")):
            raise StructuralError(
                source.name, f"de map {folder.name}/ bevat geen Parquet-bestanden", file=f"{source.name}/"
            )
        found.append(engine.Located(str(folder), "parquet", dataset=True))
    if len(found) > 1:
        names = [display_name(f) for f in found]
        raise StructuralError(
            source.name,
            f"zowel {names[0]} als {names[1]} staan in de invoermap; laat er één staan",
            file=names[0],
        )
    return found[0] if found else None


def display_name(found: engine.Located) -> str:
    return Path(found.path).name + ("/" if found.dataset else "")


def default_gemeenten() -> Path:
    """The 2019 CBS classification shipped in the package (R-2)."""
    return Path(str(resources.files("regiorapportage") / "data" / "gemeenten_2019.csv"))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_input(found: engine.Located) -> str:
    """The hash of a file; of a dataset folder, the hash over its files' relative paths and
    hashes (in path order), so any change to any part shows."""
    if not found.dataset:
        return sha256_file(Path(found.path))
    root = Path(found.path)
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))):
        h.update(f"{f.relative_to(root).as_posix()}\0{sha256_file(f)}\n".encode())
    return h.hexdigest()


def check_input_dir(input_dir: Path) -> None:
    if input_dir.is_file():
        raise StructuralError("invoer", f"{input_dir} is een bestand; geef de map met de invoerbestanden")
    if not input_dir.is_dir():
        raise StructuralError("invoer", f"de invoermap {input_dir} bestaat niet")


def read_bronnen(input_dir: Path, required: list[str]) -> tuple[dict[str, date], str]:
    """bronnen.json: ``{"extractiedatum": {"<source>": "YYYY-MM-DD"}}`` (T-5)."""
    path = input_dir / "bronnen.json"
    if not path.exists():
        raise StructuralError("bronnen", "ontbreekt; verwacht de extractiedatum per bron (T-5)", file="bronnen.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        raw = data["extractiedatum"]
        if not isinstance(raw, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise StructuralError(
            "bronnen",
            'is geen geldig JSON-object {"extractiedatum": {"<bron>": "JJJJ-MM-DD"}}',
            file="bronnen.json",
        ) from None
    dates: dict[str, date] = {}
    for name, value in raw.items():
        try:
            dates[name] = date.fromisoformat(str(value))
        except ValueError:
            raise StructuralError(
                "bronnen", f"extractiedatum '{value}' is geen datum JJJJ-MM-DD", file="bronnen.json", column=name
            ) from None
    for name in required:
        if name not in dates:
            raise StructuralError("bronnen", "extractiedatum ontbreekt", file="bronnen.json", column=name)
    return dates, sha256_file(path)


