"""Charts as inline SVG, drawn on the server: readable without JavaScript, each with a <title> and aria-label.

A value may be a number or a suppressed count ("<5"): a suppressed bar is drawn as a hatched stub with its label.
"""

import math

from markupsafe import Markup, escape

WIDTH = 560
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 250
MAX_LABEL = 30  # characters of a bar's label that fit in LABEL_WIDTH
COLOURS = ("#1f5f8b", "#c2571a")


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value, unit: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return f"{value}{unit}"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, object]], unit: str = "",
              maximum: float | None = None) -> Markup:
    """Return a horizontal bar chart of (label, value) pairs."""
    numbers = [n for n in (_number(v) for _, v in items) if n is not None]
    top = maximum or max(numbers + [1.0])
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 70
    parts = [f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
             f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>']
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        number = _number(value)
        length = 0 if number is None else span * number / top
        short = label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"  # the table has it whole
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
                     f'class="chart-label">{escape(short)}</text>')
        if number is None and value is not None:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="12" height="{BAR_HEIGHT}" class="chart-bar-hidden"/>')
            length = 12
        else:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                         f'fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
                     f'class="chart-value">{escape(_text(value, unit))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list]]) -> Markup:
    """Return a line chart with one line per (name, values) series over labels; suppressed points are gaps."""
    height, left, bottom, top_pad = 240, 40, 40, 30
    plot_w, plot_h = WIDTH - left - 20, height - bottom - top_pad
    numbers = [n for _, values in series for n in (_number(v) for v in values) if n is not None]
    top = max(numbers + [1.0])
    step = plot_w / max(1, len(labels) - 1)
    parts = [f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
             f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" '
             'class="chart-axis"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" class="chart-axis"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" class="chart-label">{_text(top, "")}</text>',
             f'<text x="{left - 6}" y="{top_pad + plot_h + 4}" text-anchor="end" class="chart-label">0</text>']
    every = max(1, math.ceil(len(labels) / 6))  # at most 6 labels: they must not overlap
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(f'<text x="{left + index * step:.1f}" y="{height - 18}" text-anchor="middle" '
                         f'class="chart-label">{escape(label)}</text>')
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = []
        for index, value in enumerate(values):
            n = _number(value)
            if n is None:
                points.append(None)
                continue
            points.append((left + index * step, top_pad + plot_h - plot_h * n / top))
        path, pen_down = [], False
        for point in points:
            if point is None:
                pen_down = False
                continue
            path.append(f'{"L" if pen_down else "M"}{point[0]:.1f},{point[1]:.1f}')
            pen_down = True
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for point in points:
            if point is not None:
                parts.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3" fill="{colour}"/>')
        parts.append(f'<rect x="{left + 10 + number * 150}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + 28 + number * 150}" y="16" class="chart-label">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
