"""The progress report and the discharge summary: one set of facts, two documents.

Goals are judged against the latest score of their instrument; outcome change comes from the
care core's MCID rules (via progress.py).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unknot.documents import pdf
from unknot.plans.home import charts, selectors
from unknot.plans.home.adherence import Week
from unknot.plans.home.progress import Outcome, num
from unknot.plans.models import PlanGoal, PlanOfCare
from unknot.records.models import Episode, OutcomeScore


@dataclass(frozen=True)
class GoalResult:
    goal: PlanGoal
    latest: float | None
    measured_on: dt.date | None
    met: bool | None  # None: never measured

    @property
    def verdict(self) -> str:
        return {True: "met", False: "not met", None: "not measured"}[self.met]

    @property
    def target(self) -> str:
        return f"{self.goal.get_comparison_display()} {num(self.goal.target)}"


@dataclass(frozen=True)
class Report:
    episode: Episode
    plan: PlanOfCare | None
    goals: list[GoalResult]
    outcomes: list[Outcome]
    programme: list[selectors.ProgrammeItem]
    lessons: list[selectors.Lesson]
    weeks: list[Week]  # newest first
    totals: Week | None
    generated_on: dt.date


def is_met(goal: PlanGoal, value: float) -> bool:
    return value <= goal.target if goal.comparison == "<=" else value >= goal.target


def latest_scores(episode: Episode) -> dict[str, OutcomeScore]:
    latest: dict[str, OutcomeScore] = {}
    for score in OutcomeScore.objects.filter(episode=episode).order_by("measured_on", "pk"):
        latest[score.instrument] = score  # ordered ascending: the last one wins
    return latest


def goal_results(plan: PlanOfCare | None, episode: Episode) -> list[GoalResult]:
    if plan is None:
        return []
    latest = latest_scores(episode)
    results = []
    for goal in plan.goals.order_by("term", "pk"):
        score = latest.get(goal.instrument)
        if score is None:
            results.append(GoalResult(goal, None, None, None))
        else:
            results.append(
                GoalResult(goal, score.value, score.measured_on, is_met(goal, score.value))
            )
    return results


def build(episode: Episode) -> Report:
    plan = selectors.signed_plan(episode)
    items = selectors.programme(plan)
    weeks, totals = selectors.weeks(episode, plan, items)
    return Report(
        episode=episode,
        plan=plan,
        goals=goal_results(plan, episode),
        outcomes=selectors.episode_outcomes(episode),
        programme=items,
        lessons=selectors.lessons(episode),
        weeks=weeks,
        totals=totals,
        generated_on=selectors.clinic_today(episode),
    )


def charts_of(report: Report, *, as_data_uri: bool = False) -> list[tuple[Outcome, str]]:
    """(outcome, chart) per measure: inline SVG for pages, a data: URI for PDFs."""
    found = []
    for outcome in report.outcomes:
        svg = charts.outcome_chart(outcome, f"chart-{outcome.measure.key}")
        found.append((outcome, pdf.svg_data_uri(svg) if as_data_uri else svg))
    return found


def context(report: Report, *, as_data_uri: bool = False, **extra: Any) -> dict[str, Any]:
    base = {"report": report, "episode": report.episode, "patient": report.episode.patient}
    return base | {"charts": charts_of(report, as_data_uri=as_data_uri)} | extra
