"""COURSE-1 (heuristic): is the episode recovering as expected for its STarT Back risk group?

The published course of low back pain under care is steep early: most of the improvement in
pain and disability comes in the first 4 to 6 weeks (Artus et al., Rheumatology 2010; Costa
et al., BMJ 2012), and people in the STarT Back high-risk group improve later and less than
the low-risk group (Hill et al., Lancet 2011; Kongsted et al., 2016 trajectories). The guideline
asks for a medical review when there is no improvement after 4 weeks of care (RULES.md,
RF-CANCER). No source gives per-group week numbers, so the weeks below are ours, as settings:

- pain (NPRS): down by its meaningful change by the review point (4 weeks), whatever the
  group: otherwise the episode is off track and the therapist is asked to consider the
  referral the guideline names;
- function (ODI): improved by its meaningful change by 4 weeks (low risk), 6 (medium) or 8
  (high): otherwise off track, and the plan should be re-assessed and changed;
- a measure not taken again since the review point is unknown, never "on track": the
  therapist is asked to re-assess.

No database, no clock: the adapter passes the weeks of care and the measurements.
"""

from dataclasses import dataclass

from unknot.care.instruments.odi import odi_change
from unknot.care.settings import DEFAULT_SETTINGS, Settings

ON_TRACK, OFF_TRACK, TOO_EARLY, UNKNOWN = "on_track", "off_track", "too_early", "unknown"
REFER, CHANGE_PLAN, REASSESS = "refer", "change_plan", "reassess"
RULE_ID = "COURSE-1"


@dataclass(frozen=True)
class Measured:
    """The first and the latest value of a measure over the episode, and how many weeks into
    care the latest was taken."""

    baseline: float
    latest: float
    latest_week: float


@dataclass(frozen=True)
class CourseCheck:
    verdict: str  # on_track | off_track | too_early | unknown
    action: str | None  # refer | change_plan | reassess; None when nothing is suggested
    reasons: tuple[str, ...]  # keys of what the verdict rests on (labels say them in words)
    rule_id: str = RULE_ID


def function_due_week(risk: str | None, settings: Settings = DEFAULT_SETTINGS) -> int:
    """The week by which function should have improved; the slowest when the group is not
    known (unknown is never taken as the best case)."""
    weeks = {"low": settings.course_function_weeks_low,
             "medium": settings.course_function_weeks_medium}  # fmt: skip
    return weeks.get(risk or "", settings.course_function_weeks_high)


def check_course(
    *,
    weeks_in_care: float | None,
    risk: str | None,
    pain: Measured | None,
    function: Measured | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> CourseCheck:
    review = settings.course_review_weeks
    if weeks_in_care is None:
        return CourseCheck(UNKNOWN, None, ("no_care_start",))
    if weeks_in_care < review:
        return CourseCheck(TOO_EARLY, None, ())
    pain_verdict = _pain(pain, review, settings)
    if pain_verdict == OFF_TRACK:
        return CourseCheck(OFF_TRACK, REFER, ("pain_not_improved",))
    function_verdict = _function(function, weeks_in_care, risk, settings)
    if function_verdict == OFF_TRACK:
        return CourseCheck(OFF_TRACK, CHANGE_PLAN, ("function_not_improved",))
    verdicts = {"pain_not_remeasured": pain_verdict, "function_not_remeasured": function_verdict}
    missing = tuple(key for key, verdict in verdicts.items() if verdict == UNKNOWN)
    if missing:
        return CourseCheck(UNKNOWN, REASSESS, missing)
    return CourseCheck(ON_TRACK, None, ())


def _pain(pain: Measured | None, review: float, settings: Settings) -> str:
    if pain is None or pain.latest_week < review:
        return UNKNOWN
    improved = pain.baseline - pain.latest >= settings.nprs_mcid
    return ON_TRACK if improved else OFF_TRACK


def _function(
    function: Measured | None, weeks_in_care: float, risk: str | None, settings: Settings
) -> str:
    due = function_due_week(risk, settings)
    if weeks_in_care < due:
        return TOO_EARLY
    if function is None or function.latest_week < due:
        return UNKNOWN
    change = odi_change(function.baseline, function.latest, settings)
    return ON_TRACK if change.verdict == "improved" else OFF_TRACK
