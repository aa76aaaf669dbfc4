"""Small charts drawn on the server as inline SVG: bars and a line, with words for everyone.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and summarised by its
``<desc>`` (the largest value and the total), and every bar or point has its own ``<title>``
(a tooltip, and what a screen reader can reach). The numbers are also on the page as a table:
a chart is never the only way to read them. Colours come as SVG attributes, not styles, so the
console's content security policy (no inline styles) lets them through.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

BLUE = "#1f4e9c"
RED = "#a11d1d"
INK = "#1b1f24"
GRID = "#d0d7e2"
_ids = itertools.count(1)


def _frame(title: str, summary: str, width: int, height: int, body: str) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(summary)}</desc>'
        f"{body}</svg>")


def _summary(points: Sequence[tuple[str, float]], unit: str) -> str:
    if not points:
        return "没有数据"
    top = max(points, key=lambda p: p[1])
    total = sum(v for _, v in points)
    return f"共 {len(points)} 项，合计 {total:g}{unit}；最多为 {top[0]}：{top[1]:g}{unit}"


def _scale(points: Sequence[tuple[str, float]]) -> float:
    """A round top for the value axis: 1, 2 or 5 times a power of ten."""
    top = max((v for _, v in points), default=0) or 1
    step = 1.0
    while step * 10 < top:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= top:
            return step * factor
    return step * 10  # pragma: no cover


def _axes(top: float, left: int, right: int, base: int, height: int) -> str:
    parts = []
    # A middle line only where it is a whole number: counts are never 2.5.
    for fraction in (0, 0.5, 1) if (top / 2).is_integer() else (0, 1):
        y = base - fraction * height
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
                     f'fill="{INK}">{top * fraction:g}</text>')
    return "".join(parts)


def _labels(points: Sequence[tuple[str, float]], xs: Sequence[float], base: int) -> str:
    every = max(1, -(-len(points) // 12))  # at most about 12 labels under the axis
    return "".join(
        f'<text x="{x:.1f}" y="{base + 16}" font-size="12" text-anchor="middle" '
        f'fill="{INK}">{escape(label)}</text>'
        for i, ((label, _), x) in enumerate(zip(points, xs, strict=True)) if i % every == 0)


def bar_chart(title: str, points: Sequence[tuple[str, float]], *, unit: str = "",
              width: int = 640, height: int = 240, colour: str = BLUE,
              colours: Sequence[str] | None = None) -> Markup:
    """Vertical bars, one per ``(label, value)``, labelled under the axis; ``colours`` gives
    each bar its own (the labels still say what each is)."""
    fills = list(colours) if colours else [colour] * len(points)
    left, right, top_pad, base = 48, width - 8, 12, height - 28
    plot_h = base - top_pad
    top = _scale(points)
    slot = (right - left) / max(1, len(points))
    bar_w = max(1.0, min(slot * 0.7, 64.0))  # a few bars stay bars, not slabs
    xs = [left + slot * (i + 0.5) for i in range(len(points))]
    bars = "".join(
        f'<rect x="{x - bar_w / 2:.1f}" y="{base - v / top * plot_h:.1f}" width="{bar_w:.1f}" '
        f'height="{v / top * plot_h:.1f}" fill="{fill}">'
        f"<title>{escape(label)}：{v:g}{escape(unit)}</title></rect>"
        for (label, v), x, fill in zip(points, xs, fills, strict=True))
    body = _axes(top, left, right, base, plot_h) + bars + _labels(points, xs, base)
    return _frame(title, _summary(points, unit), width, height, body)


def line_chart(title: str, points: Sequence[tuple[str, float]], *, unit: str = "",
               width: int = 640, height: int = 240, colour: str = BLUE) -> Markup:
    """A line through ``(label, value)`` points, with a dot (and a tooltip) at each."""
    left, right, top_pad, base = 48, width - 8, 12, height - 28
    plot_h = base - top_pad
    top = _scale(points)
    step = (right - left) / max(1, len(points) - 1)
    xs = [left + step * i if len(points) > 1 else (left + right) / 2 for i in range(len(points))]
    ys = [base - v / top * plot_h for _, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
        f"<title>{escape(label)}：{v:g}{escape(unit)}</title></circle>"
        for (label, v), x, y in zip(points, xs, ys, strict=True))
    line = f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>' if points else ""
    body = _axes(top, left, right, base, plot_h) + line + dots + _labels(points, xs, base)
    return _frame(title, _summary(points, unit), width, height, body)
