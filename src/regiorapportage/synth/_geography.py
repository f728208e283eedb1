"""The 2019 gemeenten and arbeidsmarktregio's, with a plausible size weighting.

The classification is the package's own ``data/gemeenten_2019.csv`` (CBS 2019). There are no
population figures in the package, so gemeenten are weighted by an approximate population
(thousands, 1 January 2019, rounded) for the larger ones and by a deterministic pseudo-random
size between 12 and 40 thousand for the others. The weighting only decides where synthetic
persons live within their region; it never affects a published number.
"""

from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass
from importlib import resources

import numpy as np

# Approximate population in thousands (CBS, 1-1-2019), by gemeente name.
_POPULATION_K = {
    "Amsterdam": 863, "Rotterdam": 644, "'s-Gravenhage": 538, "Utrecht": 352,
    "Eindhoven": 232, "Groningen": 230, "Tilburg": 218, "Almere": 207, "Breda": 184,
    "Nijmegen": 176, "Apeldoorn": 163, "Haarlem": 161, "Arnhem": 159, "Enschede": 158,
    "Amersfoort": 156, "Zaanstad": 156, "Haarlemmermeer": 155, "'s-Hertogenbosch": 154,
    "Zwolle": 127, "Zoetermeer": 125, "Leiden": 124, "Leeuwarden": 123, "Maastricht": 122,
    "Dordrecht": 119, "Ede": 115, "Alphen aan den Rijn": 111, "Alkmaar": 109,
    "Westland": 108, "Emmen": 107, "Delft": 103, "Venlo": 101, "Deventer": 100,
    "Sittard-Geleen": 93, "Helmond": 91, "Oss": 91, "Amstelveen": 90, "Hilversum": 90,
    "Súdwest-Fryslân": 90, "Hoeksche Waard": 87, "Heerlen": 87, "Nissewaard": 85,
    "Meierijstad": 81, "Hengelo": 81, "Purmerend": 80, "Schiedam": 78, "Lelystad": 78,
    "Roosendaal": 77, "Leidschendam-Voorburg": 75, "Gouda": 73, "Hoorn": 73, "Almelo": 73,
    "Vlaardingen": 72, "Assen": 68, "Capelle aan den IJssel": 67, "Bergen op Zoom": 67,
    "Veenendaal": 65, "Katwijk": 65, "Zeist": 64, "Stichtse Vecht": 64, "Nieuwegein": 63,
    "Westerkwartier": 63, "Midden-Groningen": 61, "Lansingerland": 61, "Hardenberg": 60,
    "Roermond": 58, "Barneveld": 58, "Gooise Meren": 58, "Doetinchem": 57, "Den Helder": 56,
    "Oosterhout": 56, "Smallingerland": 56, "Heerhugowaard": 56, "Hoogeveen": 55,
    "Vijfheerenlanden": 55, "Terneuzen": 54, "Kampen": 54, "Pijnacker-Nootdorp": 54,
    "Woerden": 52, "West Betuwe": 50, "Weert": 50, "Heerenveen": 50, "Goeree-Overflakkee": 49,
    "Houten": 49, "Utrechtse Heuvelrug": 49, "Het Hogeland": 48, "Zutphen": 48,
    "Waalwijk": 47, "Harderwijk": 47, "Soest": 46, "Veldhoven": 45, "Noardeast-Fryslân": 45,
    "Steenwijkerland": 44, "Rheden": 43, "De Bilt": 43, "Nijkerk": 42, "Wijchen": 41,
    "Oldambt": 38, "Berg en Dal": 35, "Meppel": 34, "Tynaarlo": 33, "Noordenveld": 32,
    "Stadskanaal": 32, "Veendam": 27, "Aa en Hunze": 25, "Westerwolde": 25, "Delfzijl": 25,
    "Appingedam": 12, "Pekela": 12, "Loppersum": 10,
}

# Former gemeenten merged on 2019-01-01 into the two AM99 gemeenten.
FORMER_GEMEENTEN = {
    "GM1960": ("GM0236", "GM0304", "GM0733"),  # West Betuwe: Geldermalsen, Neerijnen, Lingewaal
    "GM1961": ("GM0545", "GM0707", "GM0620"),  # Vijfheerenlanden: Leerdam, Zederik, Vianen
}
AM99 = "AM99"


@dataclass(frozen=True)
class Geography:
    jaar: np.ndarray  # int
    code: list[str]  # gemeente codes, in file order
    naam: list[str]
    regio_code: list[str]
    regio_naam: list[str]
    weight: np.ndarray  # relative size
    regions: list[str]  # sorted distinct arbeidsmarktregio codes (35 + AM99)
    gemeente_region: np.ndarray  # index into ``regions`` per gemeente

    def members(self, region: int) -> np.ndarray:
        return np.flatnonzero(self.gemeente_region == region)

    def index_of(self, code: str) -> int:
        return self.code.index(code)


def _fallback_size(code: str) -> float:
    # Deterministic pseudo-random size between 12 and 40 thousand.
    return 12.0 + 28.0 * (zlib.crc32(code.encode()) % 10_000) / 10_000.0


def load_geography() -> Geography:
    text = (resources.files("regiorapportage") / "data" / "gemeenten_2019.csv").read_text(
        encoding="utf-8"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    code = [r["gemeente_code"] for r in rows]
    naam = [r["gemeente_naam"] for r in rows]
    regio_code = [r["arbeidsmarktregio_code"] for r in rows]
    regio_naam = [r["arbeidsmarktregio_naam"] for r in rows]
    regions = sorted(set(regio_code))
    weight = np.array(
        [float(_POPULATION_K.get(n, _fallback_size(c))) for c, n in zip(code, naam)]
    )
    return Geography(
        jaar=np.array([int(r["jaar"]) for r in rows]),
        code=code,
        naam=naam,
        regio_code=regio_code,
        regio_naam=regio_naam,
        weight=weight,
        regions=regions,
        gemeente_region=np.array([regions.index(r) for r in regio_code]),
    )
