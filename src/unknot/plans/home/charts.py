"""Server-side SVG charts: outcome lines with the meaningful-change band, adherence bars.

No JavaScript and no third-party host. Each chart has a <title> and <desc> (role="img"), and
the page that shows it also shows the same numbers as a table. Only presentation attributes
are used: the content security policy forbids style attributes.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from unknot.clinics import times
from unknot.plans.home.adherence import Week
from unknot.plans.home.progress import Outcome, num

W, H = 340, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 14, 14, 34
BAND, LINE, AXIS, GRID = "#dcefe0", "#0b5563", "#4a5560", "#d5dde1"


def _y(value: float, low: float, high: float) -> float:
    return TOP + (high - value) / (high - low) * (H - TOP - BOTTOM)


def _xs(count: int) -> list[float]:
    """Evenly spaced measurement positions: visits are what matter, not calendar gaps."""
    if count == 1:
        return [(LEFT + W - RIGHT) / 2]
    step = (W - LEFT - RIGHT - 20) / (count - 1)
    return [LEFT + 10 + i * step for i in range(count)]


def _grid(low: float, high: float) -> SafeString:
    parts = []
    for tick in (low, (low + high) / 2, high):
        y = _y(tick, low, high)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
                LEFT,
                f"{y:.1f}",
                W - RIGHT,
                f"{y:.1f}",
                GRID,
                LEFT - 6,
                f"{y + 4:.1f}",
                AXIS,
                num(tick),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part was built with format_html


def _band(outcome: Outcome, low: float, high: float) -> SafeString:
    if outcome.band is None or outcome.baseline is None:
        return mark_safe("")
    bottom, top = max(outcome.band[0], low), min(outcome.band[1], high)
    y_top, y_bottom = _y(top, low, high), _y(bottom, low, high)
    y_base = _y(outcome.baseline, low, high)
    return format_html(
        '<rect class="mcid-band" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<line class="mcid-baseline" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
        'stroke-width="1" stroke-dasharray="4 3"/>',
        LEFT,
        f"{y_top:.1f}",
        W - LEFT - RIGHT,
        f"{y_bottom - y_top:.1f}",
        BAND,
        LEFT,
        f"{y_base:.1f}",
        W - RIGHT,
        f"{y_base:.1f}",
        AXIS,
    )


def _series(outcome: Outcome, low: float, high: float) -> SafeString:
    xs = _xs(len(outcome.points))
    ys = [_y(value, low, high) for _, value in outcome.points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", LINE, day.isoformat(), num(value))
            for x, y, (day, value) in zip(xs, ys, outcome.points, strict=True)
        ),
    )
    first, last = outcome.points[0][0], outcome.points[-1][0]
    labels = format_html(
        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>'
        '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>',
        LEFT,
        H - 12,
        AXIS,
        times.month_day_label(first),
        W - RIGHT,
        H - 12,
        AXIS,
        times.month_day_label(last) if last != first else "",
    )
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>{}{}',
        line,
        LINE,
        dots,
        labels,
    )


def describe(outcome: Outcome) -> str:
    m = outcome.measure
    if not outcome.points:
        return f"No {m.heading} measurements yet."
    first_day, last_day = (
        times.day_label(outcome.points[0][0]),
        times.day_label(outcome.points[-1][0]),
    )
    text = f"{len(outcome.points)} measurement(s) from {first_day}"
    text += f" to {last_day}; first {num(outcome.points[0][1])}"
    text += f", latest {num(outcome.points[-1][1])}."
    if outcome.band:
        text += (
            f" The shaded band ({num(outcome.band[0])} to {num(outcome.band[1])}) marks changes "
            "smaller than the meaningful-change threshold"
        )
        text += f" ({outcome.change.threshold})." if outcome.change else "."
    if outcome.change:
        text += f" Verdict: {outcome.change.verdict}."
    return text


def outcome_chart(outcome: Outcome, chart_id: str) -> SafeString:
    """The line chart of one measure: baseline, MCID band, every measurement."""
    m = outcome.measure
    low, high = m.low, m.high
    body = _grid(low, high)
    if outcome.points:
        body = format_html("{}{}{}", body, _band(outcome, low, high), _series(outcome, low, high))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{} over time</title><desc id="{}-desc">{}</desc>{}</svg>',
        W,
        H,
        W,
        H,
        chart_id,
        chart_id,
        chart_id,
        m.heading,
        chart_id,
        describe(outcome),
        body,
    )


def _bar(week: Week, x: float, width: float) -> SafeString:
    pct = week.percent_done or 0
    y = _y(pct, 0, 100)
    label = "-" if week.percent_done is None else f"{pct}%"
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
        "<title>week of {}: {}</title></rect>"
        '<text x="{}" y="{}" font-size="10" fill="{}" text-anchor="middle">{}</text>',
        f"{x:.1f}", f"{y:.1f}", f"{width:.1f}", f"{_y(0, 0, 100) - y:.1f}", LINE,
        times.day_label(week.start), label,
        f"{x + width / 2:.1f}", H - 18, AXIS, times.axis_day_label(week.start),
    )  # fmt: skip


def adherence_chart(weeks: Sequence[Week], chart_id: str = "chart-adherence") -> SafeString:
    """One bar per week, oldest first: % of prescribed home sessions done (0-100)."""
    shown = list(weeks)[-12:]  # the last twelve weeks fit a phone screen
    slot = (W - LEFT - RIGHT) / max(len(shown), 1)
    bars = [_bar(week, LEFT + i * slot + slot * 0.15, slot * 0.7) for i, week in enumerate(shown)]
    desc = "; ".join(
        f"week of {times.day_label(w.start)}: {w.done} of {w.prescribed} sessions done"
        for w in shown
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">Home sessions done, % of prescribed, per week</title>'
        '<desc id="{}-desc">{}</desc>{}{}</svg>',
        W, H, W, H, chart_id, chart_id, chart_id, chart_id, desc or "No weeks yet.",
        _grid(0, 100), mark_safe("".join(bars)),  # noqa: S308 - each bar built with format_html
    )  # fmt: skip
