"""Adherence per week (sessions logged vs prescribed, % done, pain change) and the
therapist's weekly comments, which the person reads in the portal."""

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.plans.home import adherence
from unknot.plans.home.selectors import clinic_today
from unknot.plans.models import AdherenceComment, ExerciseLog, HomeExercise

WED = dt.date(2026, 3, 4)


def log(
    day: dt.date, status: str = "done", before: int | None = 5, after: int | None = 3
) -> object:
    return SimpleNamespace(performed_on=day, status=status, pain_before=before, pain_after=after)


def test_weeks_prorate_the_first_and_the_current_week() -> None:
    logs = [
        log(WED), log(WED + dt.timedelta(1), before=4, after=4), log(WED, "partly", 6, 5),
        log(WED + dt.timedelta(2), "skipped", None, None),
        *[log(dt.date(2026, 3, 9) + dt.timedelta(i), before=3, after=2) for i in range(7)],
    ]  # fmt: skip
    weeks = adherence.weekly(logs, per_week=7, first=WED, today=dt.date(2026, 3, 17))
    assert [w.start for w in weeks] == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]
    first, second, current = weeks
    # Wednesday to Sunday is 5 of 7 days: 5 sessions due.
    assert (first.prescribed, first.logged, first.done, first.partly, first.skipped) == (
        5,
        4,
        2,
        1,
        1,
    )
    assert first.percent_done == 40
    assert first.mean_pain_change == -1.0  # (-2 + 0 - 1) / 3; the skipped log has no scores
    assert (second.prescribed, second.done, second.percent_done) == (7, 7, 100)
    assert second.mean_pain_change == -1.0
    # Monday and Tuesday of the current week so far.
    assert (current.prescribed, current.logged, current.percent_done) == (2, 0, 0)
    assert current.mean_pain_change is None
    total = adherence.totals(weeks, logs)
    assert total is not None and (total.prescribed, total.done, total.percent_done) == (14, 9, 64)


def test_fewer_sessions_a_week_and_overachievers() -> None:
    logs = [log(dt.date(2026, 3, 9) + dt.timedelta(i)) for i in range(5)]
    weeks = adherence.weekly(logs, per_week=3, first=WED, today=dt.date(2026, 3, 15))
    assert [w.prescribed for w in weeks] == [3, 3]  # ceil(3 x 5 / 7) = 3
    assert weeks[1].percent_done == 100, "more than prescribed is capped at 100 %"


def test_a_log_before_the_plan_opens_its_week() -> None:
    weeks = adherence.weekly([log(dt.date(2026, 2, 25))], per_week=7, first=WED, today=WED)
    assert weeks[0].start == dt.date(2026, 2, 23) and weeks[0].prescribed == 0
    assert weeks[0].percent_done is None and weeks[0].logged == 1


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monday_two_weeks_back(today: dt.date) -> dt.date:
    return adherence.week_start(today) - dt.timedelta(days=14)


def _weeks_of(percents: list[int | None]) -> list[adherence.Week]:
    monday = dt.date(2031, 3, 3)
    return [
        adherence.Week(
            start=monday + dt.timedelta(weeks=n),
            end=monday + dt.timedelta(weeks=n, days=6),
            prescribed=0 if share is None else 4,
            logged=0,
            done=0,
            partly=0,
            skipped=0,
            percent_done=share,
            mean_pain_change=None,
        )
        for n, share in enumerate(percents)
    ]


@pytest.mark.parametrize(
    ("percents", "expected"),
    [
        ([80, 40, 90], True),  # the current (third) week is still running: last whole week 40
        ([30, 40, 0], False),  # below the floor but better than the week before
        ([40, 40, 0], True),  # no better
        ([40, 60, 0], False),  # at or above the floor
        ([None, 0], False),  # nothing prescribed yet in the only whole week
        ([20], False),  # no whole week yet
        ([None, 20, 0], True),  # the first whole week with sessions, below the floor
    ],
)
def test_adherence_is_falling_when_the_last_whole_week_is_below_the_floor_and_no_better(
    percents: list[int | None], expected: bool
) -> None:
    weeks = _weeks_of(percents)
    today = weeks[-1].start + dt.timedelta(days=2)  # inside the last week listed
    assert adherence.falling(weeks, today) is expected


def test_staff_page_shows_the_numbers_per_week(cast: Cast) -> None:
    zone = ZoneInfo(cast.clinic_a.time_zone)
    monday = monday_two_weeks_back(timezone.localtime(timezone.now(), zone).date())
    signed = dt.datetime.combine(monday, dt.time(15), tzinfo=zone)  # Monday afternoon, locally
    episode = care_episode(cast.patient_p, cast.therapist_a, signed_at=signed)
    HomeExercise.objects.filter(plan__episode=episode).update(sessions_per_week=5)
    for i, (before, after) in enumerate([(6, 4), (5, 4), (5, 5)]):
        ExerciseLog.objects.create(
            episode=episode, performed_on=monday + dt.timedelta(i), status="done",
            pain_before=before, pain_after=after,
        )  # fmt: skip
    ExerciseLog.objects.create(episode=episode, performed_on=monday, status="skipped")
    page = client_for(cast.therapist_a).get(
        reverse("home_programme:episode_adherence", args=[episode.pk])
    )
    html = page.content.decode()
    row = re.search(rf'<tr class="week" data-week="{monday.isoformat()}">(.*?)</tr>', html)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    # logged, prescribed, done, partly, skipped, % done, mean pain change
    assert cells == ["4", "5", "3", "0", "1", "60%", "-1"]
    assert "target 5 a week" in html
    assert 'aria-labelledby="chart-adherence-title chart-adherence-desc"' in html


@pytest.fixture
def episode(cast: Cast) -> object:
    return care_episode(cast.patient_p, cast.therapist_a)


def comment_url(episode: object) -> str:
    return reverse("home_programme:episode_comment", args=[episode.pk])  # type: ignore[attr-defined]


def this_monday(episode: object) -> str:
    return adherence.week_start(clinic_today(episode)).isoformat()  # type: ignore[arg-type]


def test_therapist_comments_on_a_week_and_the_person_reads_it(cast: Cast, episode: object) -> None:
    data = {"week_start": this_monday(episode), "text": "Great week: keep the bridge going!"}
    response = client_for(cast.therapist_a).post(comment_url(episode), data)
    assert response.status_code == 302
    comment = AdherenceComment.objects.get()
    assert comment.author == cast.therapist_a.staff_member
    person = client_for(cast.patient_p.user)
    for name in ("home_programme:home", "home_programme:progress"):
        assert "Great week: keep the bridge going!" in person.get(reverse(name)).content.decode()
    other = client_for(cast.patient_q.user)
    care_episode(cast.patient_q, cast.therapist_b)
    assert "keep the bridge" not in other.get(reverse("home_programme:home")).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 302), ("auditor", 403), ("front_desk_a", 403), ("therapist_b", 404),
     ("patient_p", 403), ("patient_q", 403)],
)  # fmt: skip
def test_who_may_comment(cast: Cast, episode: object, persona: str, status: int) -> None:
    data = {"week_start": this_monday(episode), "text": "note"}
    response = client_for(cast.users[persona]).post(comment_url(episode), data)
    assert response.status_code == status
    assert AdherenceComment.objects.count() == (1 if status == 302 else 0)


def test_anonymous_comment_goes_to_sign_in(episode: object) -> None:
    response = Client().post(comment_url(episode), {"week_start": "2026-03-02", "text": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AdherenceComment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [({"week_start": "2026-03-03", "text": "x"}, "A week starts on a Monday."),
     ({"week_start": "2026-03-02", "text": ""}, "Write a comment before saving it.")],
)  # fmt: skip
def test_bad_comment_is_refused(cast: Cast, episode: object, data: dict, message: str) -> None:
    response = client_for(cast.therapist_a).post(comment_url(episode), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AdherenceComment.objects.exists()


def test_auditor_sees_adherence_without_a_comment_form(cast: Cast, episode: object) -> None:
    url = reverse("home_programme:episode_adherence", args=[episode.pk])  # type: ignore[attr-defined]
    assert "Save comment" not in client_for(cast.auditor).get(url).content.decode()
    assert "Save comment" in client_for(cast.therapist_a).get(url).content.decode()
