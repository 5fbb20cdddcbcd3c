"""Trend charts drawn on the server as SVG: an indicator's targets and actuals across its
reporting periods, from the figures of ``app.monitoring.figures`` (nothing is recomputed).

The actual of a period is what the tracking table shows (the running figure for a cumulative
indicator). Approved actuals are filled dots on a solid line; provisional ones are hollow dots
on a dashed line; period targets are squares on a dotted line; the life-of-project target is a
horizontal line. The chart carries its own title and a text description for screen readers,
and the same SVG is printed in the PDF documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from math import floor, log10

from flask_babel import gettext
from markupsafe import Markup, escape

from app.formatting import month_name, month_year, number
from indicators.figures import Figures
from indicators.types import Cumulation

WIDTH, HEIGHT = 420, 240
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 12, 74  # below the plot: the periods in two lines, a legend
MAX_LABELS = 5  # a month's full name takes room
ACTUAL, TARGET, LOP = "#1f5f99", "#8a5a00", "#5b6b2f"


@dataclass(frozen=True)
class Point:
    label: str  # the period's month and year, as the description reads it
    month: str  # the same in two lines under the axis: the month's name, then the year
    year: str
    target: Decimal | None
    actual: Decimal | None
    provisional: bool


def points(figures: Figures, cumulation: Cumulation | str) -> list[Point]:
    cumulative = Cumulation(cumulation) is Cumulation.CUMULATIVE
    out = []
    for period in figures.periods:
        actual = period.to_date if cumulative and period.reported else period.value
        out.append(Point(month_year(period.end), month_name(period.end), str(period.end.year),
                         period.target, actual, period.provisional and period.reported))
    return out


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _num(value: float) -> str:
    return f"{value:.1f}"


def trend(figures: Figures, cumulation: Cumulation | str, *, lop_target: Decimal | None,
          title: str, chart_id: str) -> Markup:
    """The chart, or an empty string when there is nothing to draw."""
    data = points(figures, cumulation)
    numbers = [float(n) for p in data for n in (p.target, p.actual) if n is not None]
    if lop_target is not None:
        numbers.append(float(lop_target))
    if not data or not numbers:
        return Markup("")
    low, high = min(0.0, *numbers), max(numbers)
    step = _nice_step(high - low)
    low = floor(low / step) * step
    top = low + step * max(1, -(-(high - low) // step))
    if top == low:
        top = low + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(data)

    def x(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / count)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (top - low))

    parts = [
        f'<svg class="trend" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" '
        f'font-size="12">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(_description(data, lop_target))}</desc>',
    ]
    tick = low
    while tick <= top + step / 1000:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(tick))}" '
                     f'y2="{_num(y(tick))}" stroke="#d9dde3" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{_num(y(tick) + 4)}" text-anchor="end" '
                     f'fill="#444">{escape(number(tick, 2))}</text>')
        tick += step
    # Every ``every``-th period is named, counted back from the last, which is always named.
    every = max(1, -(-count // MAX_LABELS))
    for index, point in enumerate(data):
        if (count - 1 - index) % every == 0:
            at, anchor = x(index), "middle"
            if at + 3.5 * len(point.month) > WIDTH:  # a long name at the right edge ends there
                at, anchor = WIDTH - 1, "end"
            parts.append(f'<text x="{_num(at)}" y="{HEIGHT - BOTTOM + 16}" '
                         f'text-anchor="{anchor}" fill="#444">{escape(point.month)}'
                         f'<tspan x="{_num(at)}" dy="14">{escape(point.year)}</tspan></text>')
    if lop_target is not None:
        level = _num(y(float(lop_target)))
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{level}" y2="{level}" '
                     f'stroke="{LOP}" stroke-width="1.5" stroke-dasharray="8 4"/>')
    parts.extend(_series([(i, p.target) for i, p in enumerate(data)], x, y, TARGET,
                         dash="2 3", marker="square"))
    approved = [(i, p.actual if not p.provisional else None) for i, p in enumerate(data)]
    parts.extend(_series(approved, x, y, ACTUAL, dash=None, marker="dot"))
    drawn = [(i, p.actual) for i, p in enumerate(data) if p.actual is not None]
    for (i0, v0), (i1, v1) in pairwise(drawn):
        if data[i1].provisional:
            parts.append(f'<line x1="{_num(x(i0))}" y1="{_num(y(float(v0)))}" '
                         f'x2="{_num(x(i1))}" y2="{_num(y(float(v1)))}" stroke="{ACTUAL}" '
                         f'stroke-width="2" stroke-dasharray="5 4"/>')
    for i, point in enumerate(data):
        if point.provisional and point.actual is not None:
            parts.append(f'<circle cx="{_num(x(i))}" cy="{_num(y(float(point.actual)))}" '
                         f'r="4.5" fill="#fff" stroke="{ACTUAL}" stroke-width="2" '
                         f'class="provisional"/>')
    parts.append(_legend(lop_target is not None, any(p.provisional for p in data)))
    parts.append("</svg>")
    # Every text in the drawing went through escape(); the rest is numbers and fixed markup.
    return Markup("".join(parts))  # noqa: S704


def _series(values: list[tuple[int, Decimal | None]], fx: Callable[[int], float],
            fy: Callable[[float], float], colour: str, *, dash: str | None,
            marker: str) -> list[str]:
    present = [(i, float(v)) for i, v in values if v is not None]
    out = []
    if len(present) > 1:
        path = " ".join(f"{_num(fx(i))},{_num(fy(v))}" for i, v in present)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
    for i, v in present:
        cx, cy = fx(i), fy(v)
        if marker == "square":
            out.append(f'<rect x="{_num(cx - 4)}" y="{_num(cy - 4)}" width="8" height="8" '
                       f'fill="{colour}" class="target"/>')
        else:
            out.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="4.5" fill="{colour}" '
                       f'class="actual"/>')
    return out


def _legend(lop: bool, provisional: bool) -> str:
    row = HEIGHT - 26
    items = [
        (f'<circle cx="6" cy="-4" r="4.5" fill="{ACTUAL}"/>', gettext("Actual")),
        (f'<rect x="2" y="-8" width="8" height="8" fill="{TARGET}"/>', gettext("Target")),
    ]
    if provisional:
        items.append((f'<circle cx="6" cy="-4" r="4" fill="#fff" stroke="{ACTUAL}" '
                      f'stroke-width="2"/>', gettext("Provisional")))
    if lop:
        items.append((f'<line x1="0" x2="14" y1="-4" y2="-4" stroke="{LOP}" stroke-width="1.5" '
                      f'stroke-dasharray="8 4"/>', gettext("Life-of-project target")))
    out = []
    x, y = 8, row
    for symbol, text in items:
        width = 24 + 7 * len(text)
        if x + width > WIDTH:
            x, y = 8, y + 18
        out.append(f'<g transform="translate({x},{y})">{symbol}'
                   f'<text x="18" y="0" fill="#222">{escape(text)}</text></g>')
        x += width
    return "".join(out)


def _description(data: list[Point], lop_target: Decimal | None) -> str:
    parts = []
    for point in data:
        bits = []
        if point.target is not None:
            bits.append(gettext("target %(n)s", n=number(point.target)))
        if point.actual is not None:
            bits.append(gettext("actual %(n)s", n=number(point.actual))
                        + (" (" + gettext("provisional") + ")" if point.provisional else ""))
        if bits:
            parts.append(f"{point.label}: " + ", ".join(bits))
    if lop_target is not None:
        parts.append(gettext("life-of-project target %(n)s", n=number(lop_target)))
    return "; ".join(parts) or gettext("No figures yet.")
