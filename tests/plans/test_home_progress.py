"""Progress: charts with the meaningful-change band and a data table, plain words that agree
with the care core's verdicts, bounded queries."""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.care import DEFAULT_SETTINGS, Settings
from unknot.plans.home import progress
from unknot.plans.models import ExerciseLog
from unknot.records.models import OutcomeScore

DAY = dt.date(2026, 3, 2)
SETTINGS = [DEFAULT_SETTINGS, Settings(odi_mcid_points=6, odi_mcid_percent=0)]


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("care_settings", SETTINGS)
@pytest.mark.parametrize("key", sorted(progress.MEASURES))
def test_band_edges_are_exactly_the_cores_thresholds(key: str, care_settings: Settings) -> None:
    measure = progress.MEASURES[key]
    top = int(measure.high)
    for baseline, current in itertools.product(range(0, top + 1, max(1, top // 20)), repeat=2):
        low, high = progress.band(key, baseline, care_settings)
        verdict = measure.change(baseline, current, care_settings).verdict
        inside = low < current < high
        assert (verdict == "unchanged") == inside, (key, baseline, current, verdict, low, high)


@pytest.mark.parametrize(
    ("key", "before", "after", "verdict", "words"),
    [
        ("nprs", 7, 4, "improved", "Your pain has dropped by 3 points since your first visit"),
        ("nprs", 4, 7, "worse", "Your pain has gone up by 3 points"),
        ("nprs", 5, 4, "unchanged", "Your pain has moved by 1 point"),
        ("nprs", 5, 5, "unchanged", "Your pain has stayed the same"),
        ("odi", 46, 30, "improved", "disability score has dropped by 16 points"),
        ("odi", 20, 32, "worse", "disability score has gone up by 12 points"),
        ("psfs", 3, 6.5, "improved", "the activities you chose has risen by 3.5 points"),
        ("psfs", 6, 3, "worse", "the activities you chose has dropped by 3 points"),
    ],
)
def test_plain_words_follow_the_core_verdict(
    key: str, before: float, after: float, verdict: str, words: str
) -> None:
    outcome = progress.outcome(key, [(DAY, before), (DAY + dt.timedelta(14), after)])
    assert outcome.change is not None and outcome.change.verdict == verdict
    assert words in outcome.sentence
    assert ("real improvement" in outcome.sentence) == (verdict == "improved")
    assert ("tell your therapist" in outcome.sentence) == (verdict == "worse")
    assert ("too early" in outcome.sentence) == (verdict == "unchanged")


def test_every_verdict_of_a_grid_reads_right() -> None:
    for key, measure in progress.MEASURES.items():
        for before, after in itertools.product(range(0, int(measure.high) + 1, 5), repeat=2):
            outcome = progress.outcome(key, [(DAY, before), (DAY, after)])
            expected = {"improved": "real improvement", "worse": "tell your therapist"}
            phrase = expected.get(outcome.change.verdict, "too early")  # type: ignore[union-attr]
            assert phrase in outcome.sentence


def test_one_measurement_says_so() -> None:
    outcome = progress.outcome("nprs", [(DAY, 6)])
    assert outcome.change is None and "one measurement" in outcome.sentence


def test_staff_progress_page_has_charts_bands_and_tables(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    page = client_for(cast.therapist_a).get(
        reverse("home_programme:episode_progress", args=[episode.pk])
    )
    html = page.content.decode()
    for key in ("nprs", "odi", "psfs"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
        assert f'<title id="chart-{key}-title">' in html and f'<desc id="chart-{key}-desc">' in html
    assert html.count('class="mcid-band"') == 3 and html.count('class="mcid-baseline"') == 3
    assert "Pain (NPRS, 0-10): data" in html and "<td>7</td>" in html
    assert "The shaded band (5 to 9) marks changes smaller than" in html  # NPRS 7 +/- 2
    assert "(30 to 50)" in html  # ODI 40: better by min(10, 30 % of 40) = 10, worse by 10
    assert "Home sessions done, % of prescribed, per week" in html
    assert "style=" not in html and "<script" not in html


def test_patient_progress_in_plain_words(cast: Cast) -> None:
    care_episode(cast.patient_p, cast.therapist_a)
    html = client_for(cast.patient_p.user).get(reverse("home_programme:progress")).content.decode()
    assert (
        "Your pain has dropped by 3 points since your first visit (from 7 to 4 out of 10)" in html
    )
    assert "That is a real improvement" in html
    assert "disability score has moved by 6 points" in html and "too early" in html
    assert '<desc id="chart-nprs-desc">' in html and "every measurement" in html


def test_patient_progress_is_only_their_own(cast: Cast) -> None:
    care_episode(cast.patient_p, cast.therapist_a)
    care_episode(cast.patient_q, cast.therapist_b, scores={"nprs": ((DAY, 9),)})
    html = client_for(cast.patient_q.user).get(reverse("home_programme:progress")).content.decode()
    assert "one measurement of your pain (9 out of 10)" in html
    assert "dropped by 3 points" not in html


def _grow(episode: object, extra: int) -> None:
    for i in range(extra):
        day = DAY + dt.timedelta(days=i)
        OutcomeScore.objects.create(
            episode=episode, instrument="nprs", value=5, measured_on=day, source="visit"
        )
        ExerciseLog.objects.create(episode=episode, performed_on=day, status="done")


# Each bound includes two queries every signed-in page pays: the second-factor device check and
# the audit record of the read (one row per patient record opened).
STAFF_PAGES = {"home_programme:episode_progress": 12, "home_programme:episode_report": 15}


@pytest.mark.parametrize(("name", "bound"), sorted(STAFF_PAGES.items()))
def test_staff_pages_have_bounded_queries(
    cast: Cast, django_assert_max_num_queries: Any, name: str, bound: int
) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    _grow(episode, 30)
    client = client_for(cast.therapist_a)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(name, args=[episode.pk])).status_code == 200


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_query_count_does_not_grow_with_the_data(cast: Cast, name: str) -> None:
    client = client_for(cast.therapist_a)
    client.get(reverse("staffarea:dashboard"))  # the first request slides the idle expiry
    counts = []
    for extra in (1, 25):
        episode = care_episode(cast.patient_p, cast.therapist_a)
        _grow(episode, extra)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name, args=[episode.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_patient_progress_query_count(cast: Cast, django_assert_max_num_queries: Any) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    _grow(episode, 30)
    client = client_for(cast.patient_p.user)
    # second factor, audit row, the referral check; the goals: their read's audit row, the
    # goals, their wordings and their ratings (the last two only when there are goals)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("home_programme:progress")).status_code == 200


@pytest.mark.parametrize(
    ("mean", "words"),
    [
        (-2, "2 points lower after a session"),
        (-1, "1 point lower"),
        (1.5, "1.5 points higher"),
        (0, "the same after a session"),
        (None, ""),
    ],
)
def test_session_pain_in_plain_words(mean: float | None, words: str) -> None:
    assert words in progress.session_pain_words(mean)


def test_patient_sees_how_sessions_change_pain(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    ExerciseLog.objects.create(
        episode=episode,
        performed_on=episode.opened_at.date(),
        status="done",
        pain_before=6,
        pain_after=4,
    )
    html = client_for(cast.patient_p.user).get(reverse("home_programme:progress")).content.decode()
    assert "On average your pain was 2 points lower after a session than before." in html
