"""The map of the 35 arbeidsmarktregio's (and the area "Niet in te delen") as SVG.

The boundaries ship with the package (``render/data/arbeidsmarktregio_2019.topojson``:
CBS/PDOK generalised boundaries of 2019 as redistributed by the public ``cartomap/nl``
repository; WGS84, TopoJSON with ``statcode``/``statnaam``). The TopoJSON is decoded here
(quantised, delta-encoded arcs; a few dozen lines, no dependency), projected once per
process to SVG path data and cached: an equirectangular projection scaled by the cosine of
the middle latitude, which for a country the size of the Netherlands differs from the RD
projection by less than a pixel at this size. Coordinates are rounded to one decimal and
points that round onto their predecessor are dropped, so a map is about 20 kB and
byte-identical for the same input.

Two maps are drawn from the same paths:

- :func:`choropleth_svg`: every region coloured by an indicator (a reported percentage)
  in up to six classes with a legend; each region a link to its page (an SVG ``<a>``,
  keyboard-focusable) with its name and value as ``<title>`` (shown on hover);
- :func:`locator_svg`: one region highlighted, for the head of a region page.

Like the charts (charts.py) the SVG is self-contained (inline fonts and colours, title and
description for screen readers) so that it renders the same in a browser and in Typst.
The class breaks are presentation only; every value shown is a reported one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from regiorapportage.render.charts import FONT, SOFT, TEXT, Svg, escape, num
from regiorapportage.render.formatting import STREEPJE, format_number, format_percentage

TOPOJSON = "data/arbeidsmarktregio_2019.topojson"
OBJECT = "arbeidsmarktregio_2019"
NIET_IN_TE_DELEN = "AM99"
BRON = (
    "Grenzen arbeidsmarktregio's 2019: CBS/PDOK, gegeneraliseerd "
    "(via cartomap/nl)."
)

# ColorBrewer "Blues" (sequential, colour-blind safe, prints in grey), per number of classes.
PALETTES = {
    1: ("#6baed6",),
    2: ("#bdd7e7", "#3182bd"),
    3: ("#deebf7", "#9ecae1", "#3182bd"),
    4: ("#deebf7", "#9ecae1", "#4292c6", "#08519c"),
    5: ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
    6: ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
}
NO_DATA_LINE = "#8a96a3"  # a region without a value: hatched (a pattern in the SVG)
OUTSIDE = "#eceef1"  # Niet in te delen: no arbeidsmarktregio
EDGE = "#ffffff"
HIGHLIGHT = "#c2570c"
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)

Value = int | float | Decimal | None


# --- geometry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """The projected regions: map size and per region code its name and SVG path data."""

    width: float
    height: float
    regions: tuple[tuple[str, str, str], ...]  # (code, name, path data), in file order

    def names(self) -> dict[str, str]:
        return {code: name for code, name, _ in self.regions}


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (TopoJSON: quantised, delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(position[0]), float(position[1])))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A closed ring from arc indices (``~i`` = arc ``i`` reversed), shared points once."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    raise ValueError(f"kaart: onverwacht geometrietype {geometry['type']!r}")


@lru_cache(maxsize=4)
def geometry(width: float = 440.0, margin: float = 6.0, decimals: int = 1) -> Geometry:
    """The regions projected to a map ``width`` pixels wide (height follows), coordinates
    rounded to ``decimals``; cached per argument set."""
    source = resources.files("regiorapportage.render").joinpath(TOPOJSON)
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    features = topology["objects"][OBJECT]["geometries"]
    rings_per_region = []
    for feature in features:
        rings = [_ring(ring, arcs) for polygon in _polygons(feature) for ring in polygon]
        props = feature["properties"]
        rings_per_region.append((str(props["statcode"]), str(props["statnaam"]), rings))
    lons = [p[0] for _, _, rings in rings_per_region for ring in rings for p in ring]
    lats = [p[1] for _, _, rings in rings_per_region for ring in rings for p in ring]
    k_lon = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * k_lon, max(lats) - min(lats)
    scale = (width - 2 * margin) / span_x
    height = round(span_y * scale + 2 * margin, 1)
    lon0, lat1 = min(lons), max(lats)

    def project(lon: float, lat: float) -> tuple[str, str]:
        return num(round(margin + (lon - lon0) * k_lon * scale, decimals)), num(
            round(margin + (lat1 - lat) * scale, decimals)
        )

    regions = []
    for code, name, rings in rings_per_region:
        parts = []
        for ring in rings:
            points: list[tuple[str, str]] = []
            for lon, lat in ring:
                point = project(lon, lat)
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 4:
                continue
            if points[0] == points[-1]:
                points.pop()
            parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        regions.append((code, name, "".join(parts)))
    return Geometry(width, height, tuple(regions))


# --- classes and legend --------------------------------------------------------------------


@dataclass(frozen=True)
class MapClass:
    low: float
    high: float
    color: str
    label: str


def _whole(values: list[float]) -> bool:
    return all(float(v).is_integer() for v in values)


def class_breaks(values: list[Value], fmt: Callable[[object], str] = format_percentage, maximum: int = 6) -> list[MapClass]:
    """Up to ``maximum`` (at most 6) equal classes with a round width (1, 2, 5, 10, 20, 25 …) that cover
    the values; labels ``30–39%`` for whole numbers, ``30 tot 40%`` otherwise (the last
    class includes its upper bound: ``60–70%``, ``60 t/m 70%``)."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return []
    low, high = min(present), max(present)
    whole = _whole(present)
    for step in STEPS:
        start = math.floor(low / step) * step
        count = max(1, math.ceil((high - start) / step))
        if count <= maximum:
            break
    palette = PALETTES[count]
    classes = []
    for i in range(count):
        a, b = start + i * step, start + (i + 1) * step
        last = i == count - 1
        if whole and step > 1:
            label = f"{format_number(a)}–{fmt(b if last else b - 1)}"
        elif whole:
            label = fmt(a) if not last else f"{format_number(a)}–{fmt(b)}"
        else:
            label = f"{format_number(a)} {'t/m' if last else 'tot'} {fmt(b)}"
        classes.append(MapClass(a, b, palette[i], label))
    return classes


def _color(value: Value, classes: list[MapClass], no_data: str) -> str:
    if value is None or not classes:
        return no_data
    v = float(value)
    for c in classes:
        if v < c.high:
            return c.color
    return classes[-1].color


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


# --- the maps ------------------------------------------------------------------------------


def _region_element(svg: Svg, d: str, fill: str, title: str, link: str | None, stroke: str = EDGE,
                    stroke_width: float = 0.8) -> None:
    path = (
        f'<path d="{d}" fill="{escape(fill)}" stroke="{escape(stroke)}" '
        f'stroke-width="{num(stroke_width)}" stroke-linejoin="round">'
        f"<title>{escape(title)}</title></path>"
    )
    if link:
        svg.raw(f'<a href="{escape(link)}" aria-label="{escape(title)}">{path}</a>')
    else:
        svg.raw(path)


def choropleth_svg(
    values: Mapping[str, Value],
    chart_id: str,
    title: str,
    desc: str,
    legend_title: str,
    *,
    links: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    fmt: Callable[[object], str] = format_percentage,
    empty_text: str = STREEPJE,
    width: float = 440.0,
) -> str:
    """The 35 regions coloured by ``values`` (region code → reported value, ``None`` = not
    available) in up to six classes, with a legend titled ``legend_title`` in the sea to
    the north-west. Each region is a link to ``links[code]`` (when given; focusable with
    the keyboard) and has ``<title>`` "name: value" (shown on hover). ``names`` overrides
    the names in the boundary file (use the names of the publication). The area "Niet in
    te delen" (AM99) is drawn light grey without a value."""
    geo = geometry(width)
    links = links or {}
    names = names or {}
    regional = {code: v for code, v in values.items() if code in geo.names() and code != NIET_IN_TE_DELEN}
    classes = class_breaks(list(regional.values()), fmt)
    svg = Svg(geo.width, geo.height, chart_id, title, desc)
    svg.add("rect", x=0.0, y=0.0, width=geo.width, height=geo.height, fill="#ffffff")
    hatch_id = f"{chart_id}-geen-gegevens"
    no_data = f"url(#{hatch_id})"
    svg.open("defs")
    svg.open("pattern", id=hatch_id, patternUnits="userSpaceOnUse", width=6.0, height=6.0,
             patternTransform="rotate(45)")
    svg.add("rect", x=0.0, y=0.0, width=6.0, height=6.0, fill="#ffffff")
    svg.add("line", x1=0.0, y1=0.0, x2=0.0, y2=6.0, stroke=NO_DATA_LINE, stroke_width=2)
    svg.close("pattern")
    svg.close("defs")
    missing = False
    for code, name, d in geo.regions:
        name = names.get(code, name)
        if code == NIET_IN_TE_DELEN:
            label = f"{name} (geen arbeidsmarktregio)"
            _region_element(svg, d, OUTSIDE, label, links.get(code), stroke="#c9d2dc")
            continue
        value = values.get(code)
        missing = missing or value is None
        shown = empty_text if value is None else fmt(value)
        _region_element(svg, d, _color(value, classes, no_data), f"{name}: {shown}", links.get(code))

    # Legend in the North Sea (top left of the map).
    x, y = 8.0, 18.0
    for line in _wrap(legend_title, 24):
        svg.text(x, y, line, size=12, weight="600", fill=TEXT)
        y += 15
    y += 4
    entries = [(c.color, c.label, "#8a96a3") for c in reversed(classes)]
    if missing:
        entries.append((no_data, "geen gegevens", "#8a96a3"))
    entries.append((OUTSIDE, "niet in te delen", "#c9d2dc"))
    for color, label, edge in entries:
        svg.add("rect", x=x, y=y, width=18.0, height=13.0, fill=color, stroke=edge, stroke_width=0.8)
        svg.text(x + 24, y + 11, label, size=11.5, fill=SOFT if color in (no_data, OUTSIDE) else TEXT)
        y += 18
    return str(svg)


def locator_svg(code: str, chart_id: str, title: str, desc: str, *, width: float = 170.0,
                links: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None) -> str:
    """A small map with region ``code`` highlighted (the other regions light grey; for
    Nederland all regions highlighted). Regions link to their pages when ``links`` is
    given."""
    geo = geometry(width, 3.0, 0)
    links = links or {}
    names = names or {}
    svg = Svg(geo.width, geo.height, chart_id, title, desc)
    everything = code not in geo.names()
    for region, name, d in geo.regions:
        name = names.get(region, name)
        if region == code or (everything and region != NIET_IN_TE_DELEN):
            fill = HIGHLIGHT
        else:
            fill = OUTSIDE if region == NIET_IN_TE_DELEN else "#d5dbe2"
        _region_element(svg, d, fill, name, links.get(region), stroke_width=0.5)
    return str(svg)


__all__ = ["BRON", "FONT", "MapClass", "choropleth_svg", "class_breaks", "geometry", "locator_svg"]
