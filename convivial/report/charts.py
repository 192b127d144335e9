"""Small inline SVG charts for the static reports: drawing only, from values the Report holds."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["funnel_chart", "line_chart"]

_WIDTH, _HEIGHT, _PAD = 560, 150, 28


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    percent: bool = True,
) -> str:
    """An SVG line chart: one line per (name, colour, values), x = labels, y from 0 to the top
    value (100% for shares). Missing values break the line. Returns "" with fewer than 2 points."""
    if len(labels) < 2:
        return ""
    top = (
        1.0 if percent else max((v for _, _, vs in series for v in vs if v is not None), default=1)
    )
    top = top or 1.0
    step = (_WIDTH - 2 * _PAD) / (len(labels) - 1)

    def x(i: int) -> float:
        return _PAD + i * step

    def y(v: float) -> float:
        return _HEIGHT - _PAD - (v / top) * (_HEIGHT - 2 * _PAD)

    parts = [
        f'<svg viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" width="100%" '
        'xmlns="http://www.w3.org/2000/svg" font-size="10" font-family="system-ui, sans-serif">',
        f'<line x1="{_PAD}" y1="{y(0):.1f}" x2="{_WIDTH - _PAD}" y2="{y(0):.1f}" stroke="#ccd"/>',
        f'<line x1="{_PAD}" y1="{y(top):.1f}" x2="{_WIDTH - _PAD}" y2="{y(top):.1f}" '
        'stroke="#eef" />',
        f'<text x="2" y="{y(top) + 3:.1f}">{"100%" if percent else f"{top:,.0f}"}</text>',
        f'<text x="2" y="{y(0) + 3:.1f}">0</text>',
        f'<text x="{_PAD}" y="{_HEIGHT - 8}">{escape(labels[0])}</text>',
        f'<text x="{_WIDTH - _PAD}" y="{_HEIGHT - 8}" text-anchor="end">'
        f"{escape(labels[-1])}</text>",
    ]
    for index, (name, colour, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(run)}"/>'
                )
        parts.append(f'<text x="{_PAD + 170 * index}" y="12" fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def funnel_chart(steps: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, count), each as long as its count against the first."""
    if not steps or steps[0][1] <= 0:
        return ""
    top, bar, gap, label_width = steps[0][1], 22, 8, 150
    height = len(steps) * (bar + gap)
    parts = [
        f'<svg viewBox="0 0 {_WIDTH} {height}" role="img" width="100%" '
        'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="system-ui, sans-serif">'
    ]
    for i, (label, count) in enumerate(steps):
        y = i * (bar + gap)
        width = max(1.0, (_WIDTH - label_width - 70) * max(count, 0) / top)
        parts.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar}" fill="#2455c3" '
            f'opacity="{1 - 0.18 * i:.2f}"/>'
        )
        parts.append(f'<text x="{label_width + width + 6:.1f}" y="{y + 15}">{count:,}</text>')
    parts.append("</svg>")
    return "".join(parts)
