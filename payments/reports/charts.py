"""Charts of the reports drawn on the server as SVG: no script, no external library, readable
on a 360-pixel phone (horizontal bars, the label above each bar, the figure at its end). The
template puts the same numbers in a table beside each chart, for screen readers and print."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 340
BAR_HEIGHT = 14
ROW_HEIGHT = 34
COLOURS = ("#8a2b1a", "#1f7a8c", "#d9a521", "#3b7a2a")


def _figure(value: int | float, money: bool) -> str:
    if money:
        return f"Rp {int(value):,}".replace(",", ".")
    return f"{value:,}".replace(",", ".")


def bar_chart(
    rows: list[dict],
    *,
    label: str,
    value: str,
    title: str,
    money: bool = False,
    chart_id: str = "chart",
) -> SafeString:
    """One horizontal bar per row, scaled to the largest value."""
    rows = [row for row in rows if row.get(value) is not None]
    largest = max((row[value] for row in rows), default=0) or 1
    height = max(ROW_HEIGHT * len(rows), ROW_HEIGHT) + 8
    bars = []
    for index, row in enumerate(rows):
        y = index * ROW_HEIGHT
        width = max(2, round((WIDTH - 110) * row[value] / largest)) if row[value] else 0
        bars.append(
            (
                y + 12,
                row[label],
                y + 16,
                width,
                COLOURS[0],
                width + 6,
                y + 28,
                _figure(row[value], money),
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="0" y="{}" width="{}" height="' + str(BAR_HEIGHT) + '" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="report-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        title,
        body,
    )
