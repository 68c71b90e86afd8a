"""The practice dashboard's tables and charts, from its figures (`staffarea.practice`)."""

from typing import Any

from django.utils.safestring import SafeString

from unknot.care.instruments import FOLLOWED
from unknot.staffarea import practice
from unknot.staffarea.charts import percent_bars


def context(board: practice.Dashboard) -> dict[str, Any]:
    return {
        "activity": practice.per_clinic(board, board.activity),
        "total": board.total_activity(),
        "completion": practice.per_clinic(board, board.completion),
        "outcomes_by_clinic": practice.per_clinic(board, board.outcomes_by_clinic),
        "outcomes_by_therapist": practice.per_therapist(board),
        "adherence": practice.per_clinic(board, board.adherence),
        "measures": FOLLOWED,
        "charts": _charts(board),
    }


def _charts(board: practice.Dashboard) -> dict[str, SafeString]:
    use = [(f"{u.therapist.display_name}, {u.clinic.name}", u.percent) for u in board.utilisation]
    charts = {
        "utilisation": percent_bars(use, "chart-utilisation", "Booked hours, % of available"),
        "completion": percent_bars(
            [(c.name, f.percent) for c, f in practice.per_clinic(board, board.completion)],
            "chart-completion",
            "Planned visits attended at discharge, %",
        ),
        "adherence": percent_bars(
            [(c.name, f.percent) for c, f in practice.per_clinic(board, board.adherence)],
            "chart-adherence",
            "Home sessions done, % of prescribed",
        ),
    }
    for measure in FOLLOWED:
        shares = [
            (clinic.name, next(s.percent for s in row if s.measure.key == measure.key))
            for clinic, row in practice.per_clinic(board, board.outcomes_by_clinic)
        ]
        charts[f"outcome_{measure.key}"] = percent_bars(
            shares,
            f"chart-outcome-{measure.key}",
            f"Reached the meaningful change at discharge, %: {measure.label}",
        )
    return charts
