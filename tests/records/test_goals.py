"""The person's goals in their own words (PSFS activities): written from the intake and the
portal, reworded with their history kept, rated at re-assessments under the same words."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests import factories
from tests.calendar import Calendar
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.plans import visits as vs
from unknot.plans.views_visit import _psfs_initial
from unknot.records import goals
from unknot.records.models import ActivityGoal, ActivityRating, ActivityWording, OutcomeScore

WORDS = ["Lifting my toddler", "Sitting through a meeting", "Tying my shoes"]


def written(cast: Cast, episode: Any, words: list[str] = WORDS) -> list[goals.Goal]:
    goals.goals_save(
        by=cast.patient_p.user, episode=episode, rows=[(None, w) for w in words], now=timezone.now()
    )
    return goals.goals_of(episode)


def reassessed(cast: Cast, episode: Any, scores: list[int], words: list[str] | None = None) -> Any:
    """Visits up to the next re-assessment, which rates the activities as the form shows them."""
    shown = words or [_psfs_initial(episode)[f"psfs_activity_{n}"] for n in (1, 2, 3)]
    while not vs.is_reassessment(episode.visits.count() + 1):
        mc.visit(cast, episode)
    psfs = [{"activity": w, "score": s} for w, s in zip(shown, scores, strict=True)]
    return mc.visit(cast, episode, nprs=5, reassessment={"odi": [1] * 10, "psfs": psfs})


def test_the_intakes_activities_become_the_goals_with_their_first_ratings(
    calendar: Calendar,
) -> None:
    episode = factories.episode_with_signed_plan(calendar)
    found = goals.goals_of(episode)
    assert [g.words for g in found] == ["Sitting at work", "Carrying shopping", "Running"]
    assert [[r.score for r in g.ratings] for g in found] == [[4], [3], [2]]
    intake_psfs = OutcomeScore.objects.get(episode=episode, instrument="psfs", source="intake")
    assert ActivityRating.objects.filter(outcome=intake_psfs).count() == 3
    assert {w.written_by_id for w in ActivityWording.objects.all()} == {
        calendar.cast.patient_p.user.pk
    }


def test_a_reassessment_rates_each_goal_under_its_current_words(cast: Cast) -> None:
    plan = mc.signed(cast)
    first = written(cast, plan.episode)
    reassessed(cast, plan.episode, [3, 4, 5])
    goals.goals_save(
        by=cast.patient_p.user, episode=plan.episode,
        rows=[(first[0].pk, "Lifting my toddler into the car seat")], now=timezone.now(),
    )  # fmt: skip
    assert _psfs_initial(plan.episode)["psfs_activity_1"] == "Lifting my toddler into the car seat"
    reassessed(cast, plan.episode, [7, 4, 6])
    after = goals.goals_of(plan.episode)
    assert [g.pk for g in after] == [g.pk for g in first]  # no goal was added
    toddler = after[0]
    assert toddler.words == "Lifting my toddler into the car seat"
    assert toddler.earlier_words == ("Lifting my toddler",)
    assert [(r.score, r.words) for r in toddler.ratings] == [
        (3, "Lifting my toddler"), (7, "Lifting my toddler into the car seat"),
    ]  # fmt: skip
    change = goals.change_since_first(toddler)
    assert change is not None and change.verdict == "improved" and change.threshold == "3 points"
    unchanged = goals.change_since_first(after[2])
    assert unchanged is not None and unchanged.verdict == "unchanged"  # 5 to 6: under 3 points


def test_words_matched_whatever_their_case_and_spacing(cast: Cast) -> None:
    plan = mc.signed(cast)
    written(cast, plan.episode)
    reassessed(cast, plan.episode, [3, 4, 5],
               words=["lifting  my TODDLER", "Sitting through a meeting", "Gardening"])  # fmt: skip
    found = goals.goals_of(plan.episode)
    assert [g.words for g in found] == [*WORDS, "Gardening"]  # new words make a new goal
    assert [len(g.ratings) for g in found] == [1, 1, 0, 1]


def test_removing_a_goal_keeps_it_with_its_ratings(cast: Cast) -> None:
    plan = mc.signed(cast)
    first = written(cast, plan.episode)
    reassessed(cast, plan.episode, [3, 4, 5])
    goals.goals_save(by=cast.patient_p.user, episode=plan.episode, rows=[(first[1].pk, "  ")],
                     now=timezone.now())  # fmt: skip
    assert [g.words for g in goals.goals_of(plan.episode)] == [WORDS[0], WORDS[2]]
    everything = goals.goals_of(plan.episode, removed=True)
    assert everything[1].removed and [r.score for r in everything[1].ratings] == [4]
    assert _psfs_initial(plan.episode) == {
        "psfs_activity_1": WORDS[0], "psfs_activity_2": WORDS[2],
    }  # fmt: skip


def test_saving_the_same_words_changes_nothing_and_records_nothing(cast: Cast) -> None:
    plan = mc.signed(cast)
    first = written(cast, plan.episode)
    before = AuditEvent.objects.filter(object_type="goals", action="update").count()
    rows = [(g.pk, f" {g.words} ") for g in first] + [(None, "")]
    assert (
        goals.goals_save(
            by=cast.patient_p.user, episode=plan.episode, rows=rows, now=timezone.now()
        )
        == 0
    )
    assert ActivityWording.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="goals", action="update").count() == before


def test_every_save_and_read_is_audited(cast: Cast) -> None:
    plan = mc.signed(cast)
    written(cast, plan.episode)
    saved = AuditEvent.objects.get(object_type="goals", action="update")
    assert (saved.object_id, saved.patient_id, saved.reason) == (
        str(plan.episode.pk), cast.patient_p.pk, "goals_written",
    )  # fmt: skip
    goals.read_goals(cast.therapist_a, plan.episode)
    read = AuditEvent.objects.get(object_type="goals", action="read")
    assert read.actor_id == cast.therapist_a.pk and read.patient_id == cast.patient_p.pk


def test_a_goal_not_on_the_persons_list_is_refused_and_nothing_is_written(cast: Cast) -> None:
    plan = mc.signed(cast)
    other = mc.episode(cast, patient=cast.patient_q, clinic=cast.clinic_b,
                       therapist=cast.therapist_b.staff_member)  # fmt: skip
    theirs = written(cast, plan.episode)[0]
    goals.goals_save(by=cast.patient_q.user, episode=other, rows=[(None, "Walking")],
                     now=timezone.now())  # fmt: skip
    rows = [(None, "Running"), (theirs.pk, "Stolen")]
    with pytest.raises(goals.GoalsChanged):
        goals.goals_save(by=cast.patient_q.user, episode=other, rows=rows, now=timezone.now())
    assert goals.goals_of(plan.episode)[0].words == WORDS[0]
    assert [g.words for g in goals.goals_of(other)] == ["Walking"]


def test_only_the_person_writes_their_goals_and_only_while_in_care(cast: Cast) -> None:
    plan = mc.signed(cast)
    for someone in (cast.therapist_a, cast.patient_q.user):
        with pytest.raises(PermissionDenied):
            goals.goals_save(
                by=someone, episode=plan.episode, rows=[(None, "x")], now=timezone.now()
            )
    plan.episode.status, plan.episode.discharged_at = "discharged", timezone.now()
    plan.episode.save()
    with pytest.raises(PermissionDenied):
        goals.goals_save(
            by=cast.patient_p.user, episode=plan.episode, rows=[(None, "x")], now=timezone.now()
        )
    assert not ActivityGoal.objects.exists()
