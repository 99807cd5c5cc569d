"""Small inline SVG charts drawn by hand, so the weekly brief needs no JavaScript or CDN."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def bar_chart(
    labels: Sequence[str], values: Sequence[float], *, width: int = 560, height: int = 180, title: str = ""
) -> str:
    """Vertical bars with their values above and labels below."""
    n = max(len(values), 1)
    top = max(max(values, default=0), 1)
    pad_l, pad_b, pad_t = 30, 28, 36
    bw = (width - pad_l - 10) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">'
    ]
    if title:
        parts.append(f'<text x="{pad_l}" y="14" font-size="12" fill="#333">{escape(title)}</text>')
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        h = (height - pad_b - pad_t) * v / top
        x = pad_l + i * bw + bw * 0.15
        y = height - pad_b - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * 0.7:.1f}" height="{h:.1f}" fill="#3b6ea8"/>'
        )
        parts.append(
            f'<text x="{x + bw * 0.35:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">{v:g}</text>'
        )
        parts.append(
            f'<text x="{x + bw * 0.35:.1f}" y="{height - 10}" font-size="10" text-anchor="middle">{escape(lab)}</text>'
        )
    parts.append(
        f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 10}" y2="{height - pad_b}" stroke="#999"/></svg>'
    )
    return "".join(parts)


def line_chart(
    labels: Sequence[str], values: Sequence[float], *, width: int = 560, height: int = 180, title: str = ""
) -> str:
    """A line with dots; the last point is highlighted."""
    n = len(values)
    top = max(max(values, default=0), 1)
    pad_l, pad_b, pad_t = 30, 28, 36
    step = (width - pad_l - 20) / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad_l + i * step, height - pad_b - (height - pad_b - pad_t) * v / top

    pts = [xy(i, v) for i, v in enumerate(values)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">'
    ]
    if title:
        parts.append(f'<text x="{pad_l}" y="14" font-size="12" fill="#333">{escape(title)}</text>')
    if pts:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#3b6ea8" stroke-width="2"/>')
    for i, ((x, y), v) in enumerate(zip(pts, values, strict=True)):
        last = i == n - 1
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if last else 2.5}" fill="{"#c0392b" if last else "#3b6ea8"}"/>'
        )
        if last or i % max(n // 6, 1) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 10}" font-size="10" text-anchor="middle">{escape(labels[i])}</text>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="10" text-anchor="middle">{v:g}</text>'
            )
    parts.append(
        f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 10}" y2="{height - pad_b}" stroke="#999"/></svg>'
    )
    return "".join(parts)
