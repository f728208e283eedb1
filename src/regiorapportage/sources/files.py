"""Finding the inputs of a run: the input folder, ``bronnen.json``, each source's file or
dataset folder, and the hashes the manifest records (T-6).

The input folder is a local (or mounted) path, or — with the Spark engine — a URL of any file
system Hadoop knows (``hdfs://``, ``s3a://``, ``abfs://``, ``gs://``, ``viewfs://``). A remote
folder is listed and read through the Spark session's own Hadoop configuration
(``core-site.xml``, ``spark.hadoop.*``), so credentials and name nodes are configured the way
the cluster already does it (docs/scale-out.md). Both kinds of folder give the same file
names, row numbers and SHA-256 hashes for the same files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from abc import ABC, abstractmethod
from datetime import date
from importlib import resources
from pathlib import Path, PurePosixPath

from regiorapportage import engine
from regiorapportage.errors import StructuralError, UserError
from regiorapportage.sources.schema import EARLIEST_DATE, Source

FORMATS = ("parquet", "csv")
BRONNEN = "bronnen.json"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Spark's binaryFile source holds a file in one Java byte array; larger files are hashed by
# streaming them through the driver instead.
MAX_BINARY_FILE = (1 << 31) - 1 - (1 << 20)


def is_url(location: str | Path) -> bool:
    return "://" in str(location)


def visible(relative: str) -> bool:
    """Files under a name starting with ``.`` or ``_`` (``_SUCCESS``, ``.crc``,
    ``_temporary/``) are bookkeeping of the tool that wrote them, not data; Spark and Hive
    skip them too."""
    return not any(part.startswith((".", "_")) for part in PurePosixPath(relative).parts)


def input_folder(location: str | Path | InputFolder, con=None) -> InputFolder:
    """The input folder ``location``: a local path (also ``file://…``) or, with a Spark
    session ``con``, a URL of a Hadoop file system."""
    if isinstance(location, InputFolder):
        return location
    text = str(location)
    if text.startswith("file://"):
        return LocalFolder(Path(text.removeprefix("file://")))
    if not is_url(text):
        return LocalFolder(Path(text))
    if con is None or con.name != "pyspark":
        raise UserError(
            f"de invoermap {text} is een URL; zo'n map leest alleen de engine pyspark (--engine pyspark, "
            "via Hadoop: hdfs://, s3a://, abfs://, viewfs://). Met DuckDB: geef een lokale of gekoppelde map."
        )
    return HadoopFolder(text, con)


class InputFolder(ABC):
    """What a run needs of its input folder. ``location`` is shown in messages and recorded
    in the manifest; names are relative to the folder, with ``/`` between parts."""

    location: str

    # -- what a kind of folder provides
    @abstractmethod
    def kind(self, name: str) -> str | None:
        """``"file"``, ``"dir"``, ``"broken"`` (a symbolic link to nothing, or in a loop) or
        ``None`` (does not exist)."""

    @abstractmethod
    def listing(self, name: str) -> list[tuple[str, int]]:
        """The visible files below folder ``name``: (path relative to it, size), in path order."""

    @abstractmethod
    def size(self, name: str) -> int:
        """The size in bytes of file ``name``."""

    @abstractmethod
    def read_bytes(self, name: str) -> bytes:
        """The content of a small file (``bronnen.json``)."""

    @abstractmethod
    def engine_path(self, name: str) -> str:
        """The path the engine reads ``name`` from."""

    @abstractmethod
    def file_hashes(self, names: list[str]) -> dict[str, str]:
        """SHA-256 (hex) of each file ``names``."""

    # -- the same for every kind
    def check(self) -> None:
        kind = self.kind("")
        if kind == "file":
            raise StructuralError("invoer", f"{self.location} is een bestand; geef de map met de invoerbestanden")
        if kind is None:
            raise StructuralError("invoer", f"de invoermap {self.location} bestaat niet")

    def find(self, source: Source) -> engine.Located | None:
        """``<source>.csv``, ``<source>.parquet`` or a folder ``<source>/`` of Parquet files (a
        dataset, possibly partitioned, e.g. ``polis_tijdvak/jaar=2019/…parquet``). A folder or
        a dangling or looping symbolic link under a file's name is structural (DQ-2)."""
        for fmt in FORMATS:
            self.expect_file(f"{source.name}.{fmt}", source.name)
        if self.kind(source.name) == "broken":
            raise StructuralError(source.name, BROKEN_LINK, file=f"{source.name}/")
        found = [
            engine.Located(self.engine_path(f"{source.name}.{fmt}"), fmt, size=self.size(f"{source.name}.{fmt}"), folder=self)
            for fmt in FORMATS
            if self.kind(f"{source.name}.{fmt}") == "file"
        ]
        if self.kind(source.name) == "dir":
            files = tuple(self.listing(source.name))
            if not any(f.endswith(".parquet") for f, _ in files):
                raise StructuralError(
                    source.name, f"de map {source.name}/ bevat geen Parquet-bestanden", file=f"{source.name}/"
                )
            found.append(engine.Located(self.engine_path(source.name), "parquet", dataset=True, files=files, folder=self))
        if len(found) > 1:
            names = [display_name(f) for f in found]
            raise StructuralError(
                source.name,
                f"zowel {names[0]} als {names[1]} staan in de invoermap; laat er één staan",
                file=names[0],
            )
        return found[0] if found else None

    def sha256(self, found: engine.Located) -> str:
        """The hash of a file; of a dataset folder, the hash over its files' relative paths
        and hashes (in path order), so any change to any part shows."""
        name = PurePosixPath(display_name(found).rstrip("/")).name
        if not found.dataset:
            return self.file_hashes([name])[name]
        relative = [f for f, _ in found.files]
        hashes = self.file_hashes([f"{name}/{f}" for f in relative])
        h = hashlib.sha256()
        for f in relative:
            h.update(f"{f}\0{hashes[f'{name}/{f}']}\n".encode())
        return h.hexdigest()

    def expect_file(self, name: str, source: str) -> None:
        """DQ-2: where a file ``name`` is expected there is none, a file, or a problem that is
        named: a folder, or a symbolic link that leads nowhere or in a loop."""
        kind = self.kind(name)
        if kind == "dir":
            raise StructuralError(source, "is een map, geen bestand; verwacht een bestand", file=name)
        if kind == "broken":
            raise StructuralError(source, BROKEN_LINK, file=name)

    def bronnen(self, required: list[str]) -> tuple[dict[str, date], str]:
        """bronnen.json: ``{"extractiedatum": {"<source>": "YYYY-MM-DD"}}`` (T-5); also its hash.
        A UTF-8 byte order mark is allowed; dates are exactly ``JJJJ-MM-DD``."""
        self.expect_file(BRONNEN, "bronnen")
        if self.kind(BRONNEN) != "file":
            raise StructuralError("bronnen", "ontbreekt; verwacht de extractiedatum per bron (T-5)", file=BRONNEN)
        content = self.read_bytes(BRONNEN)
        try:
            text = content.decode("utf-8-sig")  # a byte order mark (Windows editors) is allowed
        except UnicodeDecodeError as exc:
            raise StructuralError(
                "bronnen", f"is geen UTF-8 (ongeldige byte op positie {exc.start + 1}); sla het op als UTF-8", file=BRONNEN
            ) from None
        try:
            data = json.loads(text)
            raw = data["extractiedatum"]
            if not isinstance(raw, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise StructuralError(
                "bronnen",
                'is geen geldig JSON-object {"extractiedatum": {"<bron>": "JJJJ-MM-DD"}}',
                file=BRONNEN,
            ) from None
        dates: dict[str, date] = {}
        for name, value in raw.items():
            # exactly JJJJ-MM-DD: Python also reads 20191015 and 2019-W42-2 as ISO dates
            try:
                if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
                    raise ValueError
                dates[name] = date.fromisoformat(value)
                if dates[name] < EARLIEST_DATE:
                    raise ValueError
            except ValueError:
                raise StructuralError(
                    "bronnen", f"extractiedatum {json.dumps(value)} is geen datum JJJJ-MM-DD", file=BRONNEN, column=name
                ) from None
        for name in required:
            if name not in dates:
                raise StructuralError("bronnen", "extractiedatum ontbreekt", file=BRONNEN, column=name)
        return dates, hashlib.sha256(content).hexdigest()


class LocalFolder(InputFolder):
    """A folder on this machine (or mounted on it: on a cluster, every executor must see it
    at the same path)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.location = str(self.path.resolve()) if self.path.exists() else str(self.path)

    def _p(self, name: str) -> Path:
        return self.path / name if name else self.path

    def kind(self, name: str) -> str | None:
        p = self._p(name)
        if p.is_symlink() and not p.exists():  # exists() follows the link: nothing there, or a loop
            return "broken"
        return "file" if p.is_file() else "dir" if p.is_dir() else None

    def listing(self, name: str) -> list[tuple[str, int]]:
        """The visible files below a folder, through symbolic links; a link that leads nowhere,
        or back into a folder above it (a loop), is structural (DQ-2)."""
        root = self._p(name)
        files = []
        for folder, dirs, names in os.walk(root, followlinks=True):
            above = Path(folder).resolve()
            for d in dirs:
                target = (Path(folder) / d).resolve()
                if target == above or target in above.parents:
                    rel = (Path(folder) / d).relative_to(root).as_posix()
                    raise StructuralError(name, "is een symbolische koppeling in een kring (naar een map erboven)", file=f"{name}/{rel}")
            for n in names:
                p = Path(folder) / n
                rel = p.relative_to(root).as_posix()
                if not visible(rel):
                    continue
                if p.is_symlink() and not p.exists():
                    raise StructuralError(name, BROKEN_LINK, file=f"{name}/{rel}")
                files.append((rel, p.stat().st_size))
        return sorted(files)

    def size(self, name: str) -> int:
        return self._p(name).stat().st_size

    def read_bytes(self, name: str) -> bytes:
        return self._p(name).read_bytes()

    def engine_path(self, name: str) -> str:
        return str(self._p(name))

    def file_hashes(self, names: list[str]) -> dict[str, str]:
        return {name: sha256_file(self._p(name)) for name in names}


class HadoopFolder(InputFolder):
    """A folder on a Hadoop file system (HDFS, S3 via s3a, ADLS, GCS, viewfs), reached through
    the Spark session's JVM: the same file system client and configuration Spark reads the
    data with. Hashes are computed by Spark itself (``sha2`` over the ``binaryFile`` source),
    next to the data, and are the same SHA-256 a local copy of the files has."""

    def __init__(self, url: str, con):
        self.con = con
        session = engine.spark_session(con)
        self._jvm, self._conf = session._jvm, session._jsc.hadoopConfiguration()
        root = self._jvm.org.apache.hadoop.fs.Path(url.rstrip("/") or url)
        try:
            self._fs = root.getFileSystem(self._conf)
            self.location = self._fs.makeQualified(root).toString().rstrip("/")
        except Exception as exc:  # noqa: BLE001 - py4j wraps the file system's own errors
            raise StructuralError("invoer", f"de invoermap {url} is niet bereikbaar ({engine.short_error(exc)})") from None

    def _path(self, name: str):
        return self._jvm.org.apache.hadoop.fs.Path(self.engine_path(name))

    def engine_path(self, name: str) -> str:
        return f"{self.location}/{name}" if name else self.location

    def kind(self, name: str) -> str | None:
        try:
            status = self._fs.getFileStatus(self._path(name))
        except Exception as exc:  # noqa: BLE001
            if "FileNotFoundException" in str(exc):
                return None
            raise StructuralError("invoer", f"{self.engine_path(name)} is niet leesbaar ({engine.short_error(exc)})") from None
        return "dir" if status.isDirectory() else "file"

    def listing(self, name: str) -> list[tuple[str, int]]:
        root = self.engine_path(name) + "/"
        files = []
        found = self._fs.listFiles(self._path(name), True)
        while found.hasNext():
            status = found.next()
            path = self._fs.makeQualified(status.getPath()).toString()
            rel = path[len(root):] if path.startswith(root) else PurePosixPath(path).name
            if visible(rel):
                files.append((rel, int(status.getLen())))
        return sorted(files)

    def size(self, name: str) -> int:
        return int(self._fs.getFileStatus(self._path(name)).getLen())

    def read_bytes(self, name: str) -> bytes:
        stream = self._fs.open(self._path(name))
        try:
            return bytes(stream.readAllBytes())
        finally:
            stream.close()

    def file_hashes(self, names: list[str]) -> dict[str, str]:
        from pyspark.sql import functions as F

        sizes = {name: self.size(name) for name in names}
        small = [n for n in names if sizes[n] <= MAX_BINARY_FILE]
        hashes: dict[str, str] = {}
        if small:
            by_path = {self.engine_path(n): n for n in small}
            rows = (
                engine.spark_session(self.con).read.format("binaryFile").load(list(by_path))
                .select("path", F.sha2("content", 256).alias("sha256"))
                .collect()
            )
            for row in rows:
                path = self._fs.makeQualified(self._jvm.org.apache.hadoop.fs.Path(row["path"])).toString()
                hashes[by_path[path]] = row["sha256"]
        for name in names:
            if name not in hashes:  # too large for one byte array: stream it through the driver
                hashes[name] = self._stream_sha256(name)
        return hashes

    def _stream_sha256(self, name: str) -> str:
        h = hashlib.sha256()
        stream = self._fs.open(self._path(name))
        try:
            while block := bytes(stream.readNBytes(1 << 23)):
                h.update(block)
        finally:
            stream.close()
        return h.hexdigest()


# --------------------------------------------------------------------------- helpers


BROKEN_LINK = "is een symbolische koppeling die nergens heen leidt (of in een kring naar zichzelf); verwacht een bestand"


def display_name(found: engine.Located) -> str:
    return PurePosixPath(found.path.rstrip("/")).name + ("/" if found.dataset else "")


def packaged_file(name: str) -> Path:
    """A data file shipped in the package (``Source.packaged``)."""
    return Path(str(resources.files("regiorapportage") / "data" / name))


def default_gemeenten() -> Path:
    """The 2019 CBS classification shipped in the package (R-2)."""
    return packaged_file("gemeenten_2019.csv")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_input(found: engine.Located) -> str:
    """The SHA-256 of an input as found (see ``InputFolder.sha256``); a file shipped with the
    software (the default gemeenten) is hashed where it is."""
    if found.folder is None:
        return sha256_file(Path(found.path))
    return found.folder.sha256(found)


def check_input_dir(input_dir: str | Path | InputFolder, con=None) -> InputFolder:
    """The input folder, checked to exist and to be a folder (DQ-2)."""
    folder = input_folder(input_dir, con)
    folder.check()
    return folder
