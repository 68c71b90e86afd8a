"""The portal's goals page, and the goals on the progress page and the therapist's chart."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.records import goals
from unknot.records.models import ActivityWording, OutcomeScore

URL = reverse("portal:goals")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(*pairs: tuple[Any, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for n, (pk, words) in enumerate(pairs, start=1):
        data |= {f"goal_{n}": pk or "", f"words_{n}": words}
    return data


@pytest.fixture
def episode(cast: Cast) -> Any:
    return mc.signed(cast).episode


def rated(episode: Any, scores: list[tuple[str, int]], day: Any) -> None:
    """A re-assessment's PSFS, stored and tied to the goals as a visit does."""
    items = [{"activity": words, "score": score} for words, score in scores]
    psfs = OutcomeScore.objects.create(
        episode=episode, instrument="psfs", value=5, measured_on=day, source="reassessment",
        details={"items": items},
    )  # fmt: skip
    goals.ratings_from_psfs([psfs], by=None, now=timezone.now())


def test_the_person_writes_then_rewords_their_goals(cast: Cast, episode: Any) -> None:
    client = client_for(cast.patient_p.user)
    page = client.get(URL).content.decode()
    assert page.count('name="words_') == goals.MOST and "Name 3 to 5 things" in page
    response = client.post(URL, rows((None, "Lifting my toddler"), (None, "Gardening")))
    assert response.status_code == 302
    first = goals.goals_of(episode)
    assert [g.words for g in first] == ["Lifting my toddler", "Gardening"]
    page = client.get(URL).content.decode()
    assert 'value="Lifting my toddler"' in page and "Your goals are saved." in page
    client.post(URL, rows((first[0].pk, "Lifting my toddler into the car"), (first[1].pk, "")))
    after = goals.goals_of(episode, removed=True)
    assert after[0].words == "Lifting my toddler into the car"
    assert after[0].earlier_words == ("Lifting my toddler",) and after[1].removed


def test_another_persons_goal_cannot_be_changed_from_the_page(cast: Cast, episode: Any) -> None:
    goals.goals_save(by=cast.patient_p.user, episode=episode, rows=[(None, "Mine")],
                     now=timezone.now())  # fmt: skip
    mine = goals.goals_of(episode)[0]
    mc.episode(cast, patient=cast.patient_q, clinic=cast.clinic_b,
               therapist=cast.therapist_b.staff_member)  # fmt: skip
    client = client_for(cast.patient_q.user)
    response = client.post(URL, rows((mine.pk, "Changed by someone else")), follow=True)
    assert "Your goals were changed at the clinic" in response.content.decode()
    assert goals.goals_of(episode)[0].words == "Mine"
    assert ActivityWording.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"goal_1": "abc", "words_1": "x"},
        {"goal_1": "-4", "words_1": "x"},
        {"words_1": "x" * 201},
        {"goal_1": "99999999999999999999999", "words_1": "x"},
    ],
)
def test_bad_input_is_a_message_and_nothing_changes(
    cast: Cast, episode: Any, bad: dict[str, str]
) -> None:
    response = client_for(cast.patient_p.user).post(URL, bad)
    assert response.status_code == 400
    assert not ActivityWording.objects.exists()


def test_without_care_under_way_the_page_says_when_goals_can_be_written(cast: Cast) -> None:
    page = client_for(cast.patient_p.user).get(URL)
    assert page.status_code == 200 and "once your care has started" in page.content.decode()
    assert client_for(cast.patient_p.user).post(URL, rows((None, "x"))).status_code == 200
    assert not ActivityWording.objects.exists()


def test_the_page_is_the_persons_own(cast: Cast) -> None:
    assert Client().get(URL).status_code == 302
    assert client_for(cast.therapist_a).get(URL).status_code == 403


def test_progress_shows_each_goal_with_its_chart_table_and_change(cast: Cast, episode: Any) -> None:
    goals.goals_save(by=cast.patient_p.user, episode=episode,
                     rows=[(None, "Lifting boxes"), (None, "Sitting an hour")],
                     now=timezone.now())  # fmt: skip
    rated(episode, [("Lifting boxes", 3), ("Sitting an hour", 5)], mc.DAY)
    boxes = goals.goals_of(episode)[0]
    goals.goals_save(by=cast.patient_p.user, episode=episode,
                     rows=[(boxes.pk, "Lifting boxes at work")], now=timezone.now())  # fmt: skip
    rated(episode, [("Lifting boxes at work", 7), ("Sitting an hour", 6)], mc.DAY.replace(day=31))
    html = client_for(cast.patient_p.user).get(reverse("home_programme:progress")).content.decode()
    assert '<h3 id="goal-1">Lifting boxes at work</h3>' in html
    assert (
        "Since you first rated it, it has risen by 4 points (from 3 to 7 out of 10). "
        "That is a real improvement." in html
    )
    assert "it has risen by 1 point (from 5 to 6 out of 10)" in html
    assert "A change of 3 points or more counts as real" in html
    assert '<desc id="chart-goal-1-desc">' in html and "Lifting boxes at work: every rating" in html
    assert "<td>Lifting boxes</td>" in html  # the first rating under the words used then


def test_the_therapist_sees_the_same_goals_on_the_chart(cast: Cast, episode: Any) -> None:
    goals.goals_save(by=cast.patient_p.user, episode=episode, rows=[(None, "Lifting boxes")],
                     now=timezone.now())  # fmt: skip
    rated(episode, [("Lifting boxes", 2)], mc.DAY)
    rated(episode, [("Lifting boxes", 6)], mc.DAY.replace(day=31))
    url = reverse("clinical:episode", args=[episode.pk])
    html = client_for(cast.therapist_a).get(url).content.decode()
    assert "Goals in the person's own words" in html and "Lifting boxes" in html
    assert "Improved: 4 points (from 2 to 6; threshold 3 points)" in html
    assert client_for(cast.therapist_b).get(url).status_code == 404
