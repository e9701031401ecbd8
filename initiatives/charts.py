"""Charts drawn on the server as SVG: sparklines, bars, lines and a scatter.

They need no JavaScript, print sharply (the board report is printed to PDF) and obey a
Content Security Policy (presentation attributes and classes, never `style=`). Every text is
escaped; every chart has a <title> for screen readers and a table beside it on the page.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0f5c8c", "#b3261e", "#1c7c43", "#a86400", "#6b3fa0", "#00838f", "#5b6472"]


def _f(x: float) -> str:
    return f"{x:.1f}"


def _svg(width: int, height: int, title: str, body: list[str], cls: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text is escaped  # nosec
        f'<svg class="svg-chart {cls}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _scale(lo: float, hi: float, a: float, b: float):
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) * (b - a) / span


def sparkline(
    points: list[tuple[str, float]],
    *,
    baseline: float | None = None,
    target: float | None = None,
    marks: list[str] = (),
    title: str = "",
    width: int = 240,
    height: int = 56,
) -> SafeString:
    """A KPI's last year: the line, the baseline (red dashes), the target (green dashes) and
    a red tick where a relapse began."""
    if not points:
        return _svg(width, height, title + ": no measurements", [], "spark empty")
    days = [dt.date.fromisoformat(d) for d, _ in points]
    values = [v for _, v in points]
    refs = [v for v in (baseline, target) if v is not None]
    lo, hi = min(values + refs), max(values + refs)
    pad = (hi - lo) * 0.08 or 1.0
    y = _scale(lo - pad, hi + pad, height - 4, 4)
    first, last = days[0].toordinal(), max(days[-1].toordinal(), days[0].toordinal() + 1)
    x = _scale(first, last, 3, width - 3)
    body = []
    if baseline is not None:
        body.append(
            f'<line class="baseline" x1="3" x2="{width - 3}" y1="{_f(y(baseline))}" '
            f'y2="{_f(y(baseline))}" stroke="#b3261e" stroke-dasharray="4 3" stroke-width="1"/>'
        )
    if target is not None:
        body.append(
            f'<line class="target" x1="3" x2="{width - 3}" y1="{_f(y(target))}" '
            f'y2="{_f(y(target))}" stroke="#1c7c43" stroke-dasharray="4 3" stroke-width="1"/>'
        )
    for mark in marks:
        day = dt.date.fromisoformat(mark).toordinal()
        if first <= day <= last:
            body.append(
                f'<line class="relapse" x1="{_f(x(day))}" x2="{_f(x(day))}" y1="2" '
                f'y2="{height - 2}" stroke="#b3261e" stroke-width="2"/>'
            )
    path = " ".join(f"{_f(x(d.toordinal()))},{_f(y(v))}" for d, v in zip(days, values, strict=True))
    body.append(
        f'<polyline class="series" points="{path}" fill="none" stroke="#0f5c8c" '
        f'stroke-width="1.5" data-points="{len(values)}"/>'
    )
    body.append(
        f'<circle cx="{_f(x(days[-1].toordinal()))}" cy="{_f(y(values[-1]))}" r="2.5" '
        f'fill="#0f5c8c"/>'
    )
    return _svg(width, height, title, body, "spark")


def bars(
    labels: list[str],
    series: list[tuple[str, list[float]]],
    *,
    title: str,
    width: int = 640,
    bar: int = 14,
    label_width: int = 220,
    fmt=lambda v: f"{v:,.0f}",
    colors: list[str] | None = None,
) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series, with a legend."""
    colors = colors or PALETTE
    if not labels:
        return _svg(width, 40, title + ": no data", [], "bars empty")
    group = bar * len(series) + 8
    height = 24 + group * len(labels)
    hi = max([v for _, vals in series for v in vals] + [1])
    x = _scale(0, hi, label_width, width - 70)
    body = []
    for k, (name, _) in enumerate(series):
        body.append(
            f'<rect x="{label_width + 150 * k}" y="4" width="10" height="10" '
            f'fill="{colors[k % len(colors)]}"/><text x="{label_width + 150 * k + 14}" y="13" '
            f'font-size="11">{escape(name)}</text>'
        )
    for i, label in enumerate(labels):
        top = 24 + i * group
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{top + group / 2}" font-size="11" '
            f'text-anchor="end" dominant-baseline="middle">{escape(short)}</text>'
        )
        for k, (_, vals) in enumerate(series):
            v = vals[i] or 0
            body.append(
                f'<rect class="bar" x="{label_width}" y="{top + k * bar}" '
                f'width="{_f(max(x(v) - label_width, 0.5))}" height="{bar - 2}" '
                f'fill="{colors[k % len(colors)]}"><title>{escape(label)}: '
                f"{escape(fmt(v))}</title></rect>"
                f'<text x="{_f(x(v) + 4)}" y="{top + k * bar + bar - 4}" font-size="10">'
                f"{escape(fmt(v))}</text>"
            )
    return _svg(width, height, title, body, "bars")


def lines(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    title: str,
    lo: float = -100,
    hi: float = 100,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """One line per series over shared labels (NPS per segment and month); gaps stay gaps."""
    if not labels or not series:
        return _svg(width, 40, title + ": no data", [], "lines empty")
    left, right, top, bottom = 36, width - 28, 24, height - 22
    x = _scale(0, max(len(labels) - 1, 1), left, right)
    y = _scale(lo, hi, bottom, top)
    body = [
        f'<line x1="{left}" x2="{right}" y1="{_f(y(0))}" y2="{_f(y(0))}" stroke="#d9dee5"/>',
        f'<text x="{left - 4}" y="{_f(y(hi))}" font-size="10" text-anchor="end">{hi:g}</text>',
        f'<text x="{left - 4}" y="{_f(y(0))}" font-size="10" text-anchor="end">0</text>',
        f'<text x="{left - 4}" y="{_f(y(lo))}" font-size="10" text-anchor="end">{lo:g}</text>',
    ]
    step = max(len(labels) // 6, 1)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            body.append(
                f'<text x="{_f(x(i))}" y="{height - 6}" font-size="10" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    for k, (name, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        body.append(
            f'<rect x="{left + 140 * k}" y="4" width="10" height="10" fill="{color}"/>'
            f'<text x="{left + 140 * k + 14}" y="13" font-size="11">{escape(name)}</text>'
        )
        run: list[str] = []
        for i, v in enumerate(values + [None]):
            if v is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline class="series" points="{" ".join(run)}" fill="none" '
                        f'stroke="{color}" stroke-width="2"/>'
                    )
                run = []
                continue
            run.append(f"{_f(x(i))},{_f(y(v))}")
            body.append(
                f'<circle cx="{_f(x(i))}" cy="{_f(y(v))}" r="2.5" fill="{color}">'
                f"<title>{escape(name)} {escape(labels[i])}: {v:g}</title></circle>"
            )
    return _svg(width, height, title, body, "lines")


def scatter(
    points: list[dict],
    *,
    title: str,
    scale: int = 7,
    grand_x: float | None = None,
    grand_y: float | None = None,
    width: int = 420,
    height: int = 420,
) -> SafeString:
    """Importance (y) against performance (x), split at the grand means into quadrants;
    the concentrate-here quadrant (top left) is tinted."""
    if not points:
        return _svg(width, 40, title + ": no data", [], "scatter empty")
    left, right, top, bottom = 36, width - 10, 10, height - 30
    x = _scale(1, scale, left, right)
    y = _scale(1, scale, bottom, top)
    body = []
    if grand_x is not None and grand_y is not None:
        gx, gy = x(grand_x), y(grand_y)
        body += [
            f'<rect class="concentrate" x="{left}" y="{top}" width="{_f(gx - left)}" '
            f'height="{_f(gy - top)}" fill="#fbe2df"/>',
            f'<line x1="{_f(gx)}" x2="{_f(gx)}" y1="{top}" y2="{bottom}" stroke="#5b6472" '
            f'stroke-dasharray="4 3"/>',
            f'<line x1="{left}" x2="{right}" y1="{_f(gy)}" y2="{_f(gy)}" stroke="#5b6472" '
            f'stroke-dasharray="4 3"/>',
            f'<text x="{left + 4}" y="{top + 12}" font-size="11" fill="#b3261e">'
            f"Concentrate here</text>",
        ]
    body += [
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#5b6472"/>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#5b6472"/>',
        f'<text x="{(left + right) / 2}" y="{height - 8}" font-size="11" '
        f'text-anchor="middle">Performance</text>',
        f'<text x="12" y="{(top + bottom) / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {(top + bottom) / 2})">Importance</text>',
    ]
    for pt in points:
        color = "#b3261e" if pt.get("quadrant") == "concentrate" else "#0f5c8c"
        body.append(
            f'<circle class="point" cx="{_f(x(pt["x"]))}" cy="{_f(y(pt["y"]))}" r="4" '
            f'fill="{color}"><title>{escape(pt["label"])}: importance {pt["y"]}, '
            f"performance {pt['x']}</title></circle>"
        )
    return _svg(width, height, title, body, "scatter")
