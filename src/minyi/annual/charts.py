"""Charts of the reports: drawn on the server as SVG (the PDF and pages without JavaScript) and described as
data that ECharts, served by minyi itself, draws on the page. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from minyi.insight.charts import bar_chart, line_chart

BAR = "#3b6ea8"


@dataclass(frozen=True)
class Chart:
    """One chart: a title, category labels and one series of values (counts or percentages)."""

    key: str
    title: str
    kind: str  # column | bar | line
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str = ""

    @property
    def spec(self) -> dict[str, Any]:
        """What static/js/report-charts.js hands to ECharts."""
        return {"kind": self.kind, "title": self.title, "labels": list(self.labels),
                "values": list(self.values), "unit": self.unit}  # fmt: skip

    @property
    def svg(self) -> str:
        if self.kind == "line":
            return line_chart(self.labels, self.values, title=self.title)
        if self.kind == "column":
            return bar_chart(self.labels, self.values, title=self.title)
        return hbar_chart(self.labels, self.values, title=self.title, unit=self.unit)


def hbar_chart(
    labels: Sequence[str], values: Sequence[float], *, title: str = "", unit: str = "", width: int = 640
) -> str:
    """Horizontal bars, for categories whose names are too long to stand under a column."""
    row, pad_t, pad_l = 20, 24, 170
    height = pad_t + row * max(len(values), 1) + 8
    top = max(max(values, default=0), 1)
    span = width - pad_l - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">'
    ]
    if title:
        parts.append(f'<text x="4" y="14" font-size="12" fill="#333">{escape(title)}</text>')
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = pad_t + i * row
        w = span * v / top
        name = lab if len(lab) <= 14 else lab[:13] + "…"
        parts.append(
            f'<text x="{pad_l - 6}" y="{y + 13}" font-size="11" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{pad_l}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{BAR}"/>'
            f'<text x="{pad_l + w + 4:.1f}" y="{y + 13}" font-size="10">{v:g}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
