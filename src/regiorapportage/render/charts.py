"""The report charts as SVG: a quarterly time series of counts (TR-6) or of percentages
(a cohort at work, BW-5), a flow diagram from one stock to the next (FS-2, FS-3) and the
comparison of a region with Nederland (bars of reported percentages). The map of the
regions is in :mod:`regiorapportage.render.map`.

Hand-built rather than drawn with a chart library (docs/decisions.md, "Charts"): a chart is
a few dozen elements, built here in well under a millisecond, byte-identical for the same
input (coordinates are printed with at most two decimals, nothing depends on the clock,
the machine's fonts or a random id), and self-contained, so that the same SVG serves the
HTML pages and, later, the PDFs.

The charts place values; they never compute a reported number (DESIGN: Render). The only
arithmetic is geometry: scales, nice axis ticks and label positions. Every value shown as
text is formatted from the value given (Dutch formatting, banen rounded half up to whole
jobs by :func:`~regiorapportage.render.formatting.format_number`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import quoteattr

from markupsafe import escape as _escape

from regiorapportage.quarter import Quarter
from regiorapportage.render.formatting import STREEPJE, format_number, format_percentage

FONT = "'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT = "#1c2430"
SOFT = "#5b6673"
GRID = "#dde3ea"
AXIS = "#8a96a3"
HIGHLIGHT = "#fff1c2"
HIGHLIGHT_EDGE = "#e0b000"
IN_STROKE, IN_FILL = "#2e7d32", "#e8f5e9"
OUT_STROKE, OUT_FILL = "#a4161a", "#fdecec"
STOCK_STROKE, STOCK_FILL = "#123f6d", "#e8eef5"
MINUS = "\u2212"  # the minus sign, not a hyphen

_SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# --- a minimal SVG builder -----------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (``12.5``, ``3``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def escape(text: object) -> str:
    """Text or an attribute value escaped for XML (``& < > " '``; markupsafe, in C)."""
    return str(_escape(text))


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        parts.append(f' {key}="{escape(value)}"')
    return "".join(parts)


class Svg:
    """Collects SVG elements as text; ``str(svg)`` gives the document."""

    def __init__(self, width: float, height: float, chart_id: str, title: str, desc: str) -> None:
        if not _SAFE_ID.match(chart_id):
            raise ValueError(f"ongeldige grafiek-id {chart_id!r}")
        self.width, self.height, self.chart_id = width, height, chart_id
        self.title, self.desc = title, desc
        self._parts: list[str] = []

    def add(self, tag: str, text: str | None = None, **attrs: object) -> None:
        """One element; attribute names use ``_`` for ``-`` (``font_size`` -> ``font-size``)."""
        rendered = _attrs({k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
        if text is None:
            self._parts.append(f"<{tag}{rendered}/>")
        else:
            self._parts.append(f"<{tag}{rendered}>{escape(text)}</{tag}>")

    def open(self, tag: str, **attrs: object) -> None:
        rendered = _attrs({k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
        self._parts.append(f"<{tag}{rendered}>")

    def close(self, tag: str) -> None:
        self._parts.append(f"</{tag}>")

    def raw(self, markup: str) -> None:
        """Markup built and escaped by the caller (the map's region links)."""
        self._parts.append(markup)

    def text(self, x: float, y: float, text: str, *, size: float = 12, anchor: str = "start",
             weight: str | None = None, fill: str = TEXT, halo: bool = False) -> None:
        self.add(
            "text", text, x=float(x), y=float(y), font_size=size, text_anchor=anchor,
            font_weight=weight, fill=fill,
            stroke="#ffffff" if halo else None, stroke_width=3 if halo else None,
            paint_order="stroke" if halo else None, stroke_linejoin="round" if halo else None,
        )

    def __str__(self) -> str:
        title_id, desc_id = f"{self.chart_id}-titel", f"{self.chart_id}-beschrijving"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(self.width)} '
            f'{num(self.height)}" width="{num(self.width)}" height="{num(self.height)}" '
            f'role="img" aria-labelledby="{title_id} {desc_id}" id="{self.chart_id}" '
            f'class="grafiek" font-family={quoteattr(FONT)}>'
            f'<title id="{title_id}">{escape(self.title)}</title>'
            f'<desc id="{desc_id}">{escape(self.desc)}</desc>'
        )
        return head + "".join(self._parts) + "</svg>"


def nice_ticks(maximum: float, target: int = 5) -> list[int]:
    """Axis ticks from 0 to at least ``maximum`` with a step of 1, 2, 2.5 or 5 × 10^k
    (whole numbers only: the charts show counts). ``maximum`` ≤ 0 gives 0…5."""
    if maximum <= 0 or not math.isfinite(maximum):
        return list(range(0, 6))
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = magnitude
    for factor in (1, 2, 2.5, 5, 10):
        candidate = factor * magnitude
        if candidate != int(candidate):
            continue
        step = int(candidate)
        if maximum / step <= target:
            break
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def _spread(positions: list[float], gap: float) -> list[float]:
    """Move label positions apart (keeping their order) so that neighbours are ``gap`` apart."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [positions[i] for i in order]
    for k in range(1, len(placed)):
        if placed[k] - placed[k - 1] < gap:
            centre = (placed[k] + placed[k - 1]) / 2
            placed[k - 1], placed[k] = centre - gap / 2, centre + gap / 2
    result = [0.0] * len(positions)
    for rank, i in enumerate(order):
        result[i] = placed[rank]
    return result


# --- quarterly time series (TR-6) ----------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: a label and one value per quarter (``None`` = no value: a gap)."""

    label: str
    values: tuple[int | Decimal | float | None, ...]
    color: str
    dash: str | None = None  # stroke-dasharray, so that lines differ without colour too
    whole: bool = True  # values shown rounded half up to whole numbers


def _check_lengths(series: list[Series], n: int, unit: str) -> None:
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"reeks {s.label!r}: {len(s.values)} waarden voor {n} {unit}")


def _legend(svg: Svg, series: list[Series], left: float) -> float:
    """A line and the label of every series, left to right; returns where it ends."""
    lx = left
    for s in series:
        svg.add("line", x1=lx, y1=18.0, x2=lx + 26, y2=18.0, stroke=s.color, stroke_width=3,
                stroke_dasharray=s.dash)
        svg.text(lx + 32, 22, s.label, size=13)
        lx += 32 + 7.4 * len(s.label) + 26
    return lx


def _y_axis(svg: Svg, ticks, labels, left: float, plot_w: float, top: float, plot_h: float, y_of, title: str) -> None:
    """Horizontal grid lines with their labels (the 0 line darker) and the axis title."""
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        svg.add("line", x1=left, y1=y, x2=left + plot_w, y2=y,
                stroke=AXIS if tick == 0 else GRID, stroke_width=1)
        svg.text(left - 6, y + 4, label, size=11.5, anchor="end", fill=SOFT)
    svg.add("text", title, x=14.0, y=top + plot_h / 2, font_size=12, fill=SOFT,
            text_anchor="middle", transform=f"rotate(-90 14 {num(top + plot_h / 2)})")


def quarter_short(quarter: Quarter) -> str:
    """``2e kw. 2019``."""
    return f"{quarter.number}e kw. {quarter.year}"


def time_series_svg(
    quarters: list[Quarter],
    series: list[Series],
    highlights: list[Quarter],
    chart_id: str,
    title: str,
    desc: str,
    y_title: str = "Aantal",
    *,
    percent: bool = False,
) -> str:
    """A line chart of quarterly values with the ``highlights`` quarters marked by a band,
    their points circled and their values written beside them.

    ``percent=True``: the values are percentages (axis and labels with ``%``; ``whole`` of
    a series is ignored, a value is written as given). See :func:`percentage_series_svg`."""
    if not quarters:
        raise ValueError("een tijdreeks zonder kwartalen")
    _check_lengths(series, len(quarters), "kwartalen")
    width, height = 760.0, 340.0
    values = [float(v) for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0.0))
    tick_labels = [format_percentage(t) if percent else format_number(t) for t in ticks]
    left = 22 + 7.2 * max(len(t) for t in tick_labels) + 8
    right, top, bottom = 16.0, 58.0, 60.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(quarters)
    band = plot_w / n
    y_max = ticks[-1]

    def x_of(i: int) -> float:
        return left + (i + 0.5) * band

    def y_of(v: float) -> float:
        return top + plot_h - (v / y_max) * plot_h

    svg = Svg(width, height, chart_id, title, desc)
    svg.add("rect", x=0.0, y=0.0, width=width, height=height, fill="#ffffff")

    lx = _legend(svg, series, left)
    index = {q: i for i, q in enumerate(quarters)}
    marked = [q for q in highlights if q in index]
    if marked:
        svg.add("rect", x=lx, y=11.0, width=14.0, height=14.0, fill=HIGHLIGHT,
                stroke=HIGHLIGHT_EDGE, stroke_width=1)
        svg.text(lx + 20, 22, "vergeleken kwartalen", size=13, fill=SOFT)

    # Highlight bands (behind the grid and lines).
    for q in marked:
        i = index[q]
        svg.add("rect", x=left + i * band, y=top, width=band, height=plot_h, fill=HIGHLIGHT)
        label = quarter_short(q)
        half = 3.5 * len(label)  # about half the label's width at 11.5 px, bold
        centre = min(max(x_of(i), half + 2), width - half - 2)
        svg.text(centre, top - 6, label, size=11.5, anchor="middle", weight="600")

    _y_axis(svg, ticks, tick_labels, left, plot_w, top, plot_h, y_of, y_title)

    # X axis: a tick per quarter, a longer one between years, the year under its quarters.
    base = top + plot_h
    years: dict[int, list[int]] = {}
    for i, q in enumerate(quarters):
        years.setdefault(q.year, []).append(i)
        first_of_year = q.number == 1 and i > 0
        svg.add("line", x1=left + i * band, y1=base, x2=left + i * band,
                y2=base + (10 if first_of_year else 0), stroke=AXIS, stroke_width=1)
        svg.add("line", x1=x_of(i), y1=base, x2=x_of(i), y2=base + 3, stroke=AXIS, stroke_width=1)
    for year, members in years.items():
        centre = (x_of(members[0]) + x_of(members[-1])) / 2
        if len(members) * band >= 24:
            svg.text(centre, base + 20, str(year), size=11.5, anchor="middle", fill=SOFT)
    svg.text(left + plot_w / 2, height - 12, "Kwartaal (peildatum: de laatste dag van het kwartaal)",
             size=12, anchor="middle", fill=SOFT)

    # Lines (a gap where a value is missing).
    for s in series:
        runs: list[list[str]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{num(x_of(i))},{num(y_of(float(v)))}")
        for run in runs:
            if len(run) == 1:
                x, y = run[0].split(",")
                svg.add("circle", cx=x, cy=y, r=2.5, fill=s.color)
            elif run:
                svg.add("polyline", points=" ".join(run), fill="none", stroke=s.color,
                        stroke_width=2.5, stroke_linejoin="round", stroke_dasharray=s.dash)

    # Marked points with their values, written left of the point.
    for q in marked:
        i = index[q]
        shown = [(s, s.values[i]) for s in series if s.values[i] is not None]
        ys = _spread([y_of(float(v)) for _, v in shown], gap=15)
        for (s, v), label_y in zip(shown, ys, strict=True):
            y = y_of(float(v))
            svg.add("circle", cx=x_of(i), cy=y, r=4.5, fill="#ffffff", stroke=s.color, stroke_width=2.5)
            if percent:
                text = format_percentage(v)
            else:
                text = format_number(v, decimals=0) if s.whole else format_number(v)
            svg.text(x_of(i) - 9, label_y + 4, text, size=12.5, anchor="end", weight="700",
                     fill=s.color, halo=True)
    return str(svg)


# --- flow diagram: a stock, its inflows and outflows, the next stock (FS-2, FS-3) ---------


@dataclass(frozen=True)
class Flow:
    """One flow box: its label (one or two lines) and its number of persons."""

    lines: tuple[str, ...]
    value: int


def flow_svg(
    start_lines: tuple[str, ...],
    start_value: int,
    end_lines: tuple[str, ...],
    end_value: int,
    inflows: list[Flow],
    outflows: list[Flow],
    chart_id: str,
    title: str,
    desc: str,
) -> str:
    """Working persons at the previous peildatum (left) and now (right), joined by an arrow;
    the inflows above it with arrows into it (``+``), the outflows below it with arrows out
    of it (``−``). Every number is written in its box."""
    width, height = 800.0, 372.0
    svg = Svg(width, height, chart_id, title, desc)
    svg.add("rect", x=0.0, y=0.0, width=width, height=height, fill="#ffffff")
    stock_w, stock_h = 170.0, 104.0
    axis_y = height / 2
    left_x, right_x = 8.0, width - 8 - stock_w

    def stock(x: float, lines: tuple[str, ...], value: int) -> None:
        svg.add("rect", x=x, y=axis_y - stock_h / 2, width=stock_w, height=stock_h, rx=6,
                fill=STOCK_FILL, stroke=STOCK_STROKE, stroke_width=2)
        y = axis_y - stock_h / 2 + 22
        for line in lines:
            svg.text(x + stock_w / 2, y, line, size=12.5, anchor="middle")
            y += 16
        svg.text(x + stock_w / 2, axis_y + stock_h / 2 - 14, format_number(value), size=24,
                 anchor="middle", weight="700", fill=STOCK_STROKE)

    stock(left_x, start_lines, start_value)
    stock(right_x, end_lines, end_value)

    # The main arrow from the old stock to the new one.
    x0, x1 = left_x + stock_w, right_x
    svg.add("rect", x=x0, y=axis_y - 7, width=x1 - x0 - 16, height=14.0, fill="#c9d2dc")
    svg.add("polygon", points=f"{num(x1 - 18)},{num(axis_y - 14)} {num(x1)},{num(axis_y)} "
            f"{num(x1 - 18)},{num(axis_y + 14)}", fill="#c9d2dc")

    gap = 10.0
    middle_w = x1 - x0 - 2 * gap

    def boxes(flows: list[Flow], above: bool) -> None:
        if not flows:
            return
        count = len(flows)
        box_w = (middle_w - gap * (count - 1)) / count
        box_h = 86.0
        box_y = 8.0 if above else height - 8 - box_h
        stroke, fill = (IN_STROKE, IN_FILL) if above else (OUT_STROKE, OUT_FILL)
        sign = "+" if above else MINUS
        for k, flow in enumerate(flows):
            bx = x0 + gap + k * (box_w + gap)
            cx = bx + box_w / 2
            svg.add("rect", x=bx, y=box_y, width=box_w, height=box_h, rx=6, fill=fill,
                    stroke=stroke, stroke_width=1.5)
            svg.text(cx, box_y + 30, f"{sign} {format_number(flow.value)}", size=21,
                     anchor="middle", weight="700", fill=stroke)
            y = box_y + 52
            for line in flow.lines:
                svg.text(cx, y, line, size=12.5, anchor="middle")
                y += 15
            # Arrow: from the box down into the main arrow, or from it down into the box.
            if above:
                y_from, y_to = box_y + box_h, axis_y - 9
            else:
                y_from, y_to = axis_y + 9, box_y
            svg.add("line", x1=cx, y1=y_from, x2=cx, y2=y_to - 9, stroke=stroke, stroke_width=2.5)
            svg.add("polygon", points=f"{num(cx - 6)},{num(y_to - 10)} {num(cx + 6)},{num(y_to - 10)} "
                    f"{num(cx)},{num(y_to)}", fill=stroke)

    boxes(inflows, above=True)
    boxes(outflows, above=False)
    return str(svg)


def percentage_series_svg(
    quarters: list[Quarter],
    series: list[Series],
    highlights: list[Quarter],
    chart_id: str,
    title: str,
    desc: str,
    y_title: str = "Percentage",
) -> str:
    """A line chart of quarterly percentages (0–100), e.g. the percentage of the beschut
    werk cohort at work for a region and for Nederland. Same layout as
    :func:`time_series_svg`: ``highlights`` (the quarter a year earlier and the report
    quarter) marked by a band, their values written beside the points ("74%"). A ``None``
    value (no cohort, so no percentage) leaves a gap in its line."""
    return time_series_svg(quarters, series, highlights, chart_id, title, desc, y_title, percent=True)


# --- a region compared with Nederland ------------------------------------------------------

REGION_COLOR = "#123f6d"
NEDERLAND_COLOR = "#9aa5b1"


@dataclass(frozen=True)
class Comparison:
    """One pair of bars: a reported percentage of the region and of Nederland (``None`` =
    not available, written as "–"). ``lines`` is the label, one or two lines."""

    lines: tuple[str, ...]
    region: int | Decimal | float | None
    nederland: int | Decimal | float | None


def comparison_svg(
    items: list[Comparison],
    region_label: str,
    chart_id: str,
    title: str,
    desc: str,
    nederland_label: str = "Nederland",
) -> str:
    """Horizontal bars of percentages (scale 0–100%), per item the region (dark) above
    Nederland (light), each bar with its value written at its end ("46%"). Only places
    reported percentages; computes none."""
    if not items:
        raise ValueError("een vergelijking zonder onderwerpen")
    width = 760.0
    label_w = 8 + 6.9 * max(len(line) for item in items for line in item.lines)
    label_w = min(max(label_w, 180.0), 330.0)
    left, right, top = label_w + 12, 58.0, 44.0
    bar_h, bar_gap, group_gap = 15.0, 3.0, 20.0
    group_h = 2 * bar_h + bar_gap
    plot_w = width - left - right
    height = top + len(items) * group_h + (len(items) - 1) * group_gap + 40
    values = [float(v) for it in items for v in (it.region, it.nederland) if v is not None]
    top_value = max(100.0, max(values, default=0.0))
    ticks = [0, 25, 50, 75, 100] if top_value <= 100 else nice_ticks(top_value, 4)
    scale_max = ticks[-1]

    def x_of(v: float) -> float:
        return left + max(v, 0.0) / scale_max * plot_w

    svg = Svg(width, height, chart_id, title, desc)
    svg.add("rect", x=0.0, y=0.0, width=width, height=height, fill="#ffffff")
    # Legend.
    lx = left
    for label, color in ((region_label, REGION_COLOR), (nederland_label, NEDERLAND_COLOR)):
        svg.add("rect", x=lx, y=10.0, width=14.0, height=14.0, fill=color)
        svg.text(lx + 20, 22, label, size=13)
        lx += 20 + 7.4 * len(label) + 24
    plot_bottom = height - 40
    for tick in ticks:
        x = x_of(tick)
        svg.add("line", x1=x, y1=top - 6, x2=x, y2=plot_bottom + 4,
                stroke=AXIS if tick == 0 else GRID, stroke_width=1)
        svg.text(x, plot_bottom + 18, format_percentage(tick), size=11.5, anchor="middle", fill=SOFT)
    for k, item in enumerate(items):
        gy = top + k * (group_h + group_gap)
        # The label, vertically centred on the pair of bars.
        n = len(item.lines)
        first = gy + group_h / 2 - (n - 1) * 8 + 4
        for j, line in enumerate(item.lines):
            svg.text(left - 10, first + j * 16, line, size=12.5, anchor="end")
        for j, (value, color) in enumerate(((item.region, REGION_COLOR), (item.nederland, NEDERLAND_COLOR))):
            y = gy + j * (bar_h + bar_gap)
            if value is None:
                svg.text(left + 4, y + bar_h - 3, STREEPJE, size=12, fill=SOFT)
                continue
            end = x_of(float(value))
            if end - left > 0:
                svg.add("rect", x=left, y=y, width=end - left, height=bar_h, fill=color)
            svg.text(end + 5, y + bar_h - 3, format_percentage(value), size=12, weight="700",
                     fill=REGION_COLOR if j == 0 else SOFT)
    svg.text(left + plot_w / 2, height - 6, "Percentage", size=12, anchor="middle", fill=SOFT)
    return str(svg)


# --- yearly series against a path (LM-7) ---------------------------------------------------


def _ticks_between(low: float, high: float, target: int = 5) -> list[int]:
    """Whole ticks covering ``low`` … ``high`` (``low`` may be negative), 0 included."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low
    up = nice_ticks(span, target)
    step = up[1] - up[0] if len(up) > 1 else 1
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    if last == first:
        last = first + step
    return list(range(int(first), int(last) + 1, int(step)))


def annual_series_svg(
    years: list[int],
    series: list[Series],
    chart_id: str,
    title: str,
    desc: str,
    y_title: str = "Aantal",
    x_title: str = "Jaar (peildatum 31 december)",
) -> str:
    """A line chart of yearly values (a point per year; ``None`` leaves a gap), with the
    last value of every line written beside its last point. Values may be negative (extra
    banen below the nulmeting): the axis then runs below 0."""
    if not years:
        raise ValueError("een jaarreeks zonder jaren")
    _check_lengths(series, len(years), "jaren")
    width, height = 760.0, 320.0
    values = [float(v) for s in series for v in s.values if v is not None]
    ticks = _ticks_between(min(values, default=0.0), max(values, default=0.0))
    tick_labels = [format_number(t).replace("-", MINUS) for t in ticks]
    left = 22 + 7.2 * max(len(t) for t in tick_labels) + 8
    right, top, bottom = 90.0, 46.0, 50.0
    plot_w, plot_h = width - left - right, height - top - bottom
    band = plot_w / len(years)
    lo, hi = ticks[0], ticks[-1]

    def x_of(i: int) -> float:
        return left + (i + 0.5) * band

    def y_of(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    svg = Svg(width, height, chart_id, title, desc)
    svg.add("rect", x=0.0, y=0.0, width=width, height=height, fill="#ffffff")
    _legend(svg, series, left)
    _y_axis(svg, ticks, tick_labels, left, plot_w, top, plot_h, y_of, y_title)
    base = top + plot_h
    for i, year in enumerate(years):
        svg.add("line", x1=x_of(i), y1=base, x2=x_of(i), y2=base + 4, stroke=AXIS, stroke_width=1)
        svg.text(x_of(i), base + 18, str(year), size=11.5, anchor="middle", fill=SOFT)
    svg.text(left + plot_w / 2, height - 10, x_title, size=12, anchor="middle", fill=SOFT)
    ends: list[tuple[Series, int, float]] = []
    for s in series:
        runs: list[list[str]] = [[]]
        last = None
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{num(x_of(i))},{num(y_of(float(v)))}")
            svg.add("circle", cx=x_of(i), cy=y_of(float(v)), r=3.0, fill=s.color)
            last = i
        for run in runs:
            if len(run) > 1:
                svg.add("polyline", points=" ".join(run), fill="none", stroke=s.color, stroke_width=2.5,
                        stroke_linejoin="round", stroke_dasharray=s.dash)
        if last is not None:
            ends.append((s, last, float(s.values[last])))
    ys = _spread([y_of(v) for _, _, v in ends], gap=15)
    for (s, i, v), label_y in zip(ends, ys, strict=True):
        text = (format_number(v, decimals=0) if s.whole else format_number(v)).replace("-", MINUS)
        svg.text(x_of(i) + 9, label_y + 4, text, size=12.5, weight="700", fill=s.color, halo=True)
    return str(svg)
