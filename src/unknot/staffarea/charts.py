"""Horizontal percent bars for the practice dashboard, drawn on the server as SVG.

No JavaScript. Each chart has a <title> and a <desc> that says every bar in words
(role="img"), and the page shows the same figures in a table beside it. Presentation
attributes only: the content security policy forbids style attributes.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, ROW, LABEL, RIGHT = 520, 26, 190, 46
BAR, TRACK, TEXT = "#0b5563", "#e3eaed", "#22303a"


def _row(index: int, label: str, percent: int | None) -> tuple[object, ...]:
    y = 8 + index * ROW
    span = WIDTH - LABEL - RIGHT
    length = span * (percent or 0) / 100
    shown = "no data" if percent is None else f"{percent}%"
    return (y + 13, label, LABEL, y, span, LABEL, y, f"{length:.1f}", LABEL + span + 6, y + 13,
            shown)  # fmt: skip


def percent_bars(rows: Sequence[tuple[str, int | None]], chart_id: str, title: str) -> SafeString:
    """One bar per (label, percent), 0 to 100; a missing figure says "no data"."""
    height = 16 + ROW * max(len(rows), 1)
    described = "; ".join(f"{label}: {'no data' if p is None else f'{p}%'}" for label, p in rows)
    bars = format_html_join(
        "",
        '<text x="4" y="{}" font-size="12" fill="' + TEXT + '">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="' + TRACK + '"/>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="' + BAR + '"/>'
        '<text x="{}" y="{}" font-size="12" fill="' + TEXT + '">{}</text>',
        (_row(i, label, percent) for i, (label, percent) in enumerate(rows)),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, WIDTH, height, chart_id, chart_id, chart_id, title, chart_id,
        described or "No figures for this period.", bars,
    )  # fmt: skip
