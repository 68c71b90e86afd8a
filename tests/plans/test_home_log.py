"""Logging a home session from the phone: good input is saved, bad input explained."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.plans.home.selectors import clinic_today
from unknot.plans.models import ExerciseLog
from unknot.records.models import Episode


@pytest.fixture
def episode(cast: Cast) -> Episode:
    return care_episode(cast.patient_p, cast.therapist_a)


@pytest.fixture
def client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.patient_p.user)
    return client


def entry(episode: Episode, **changes: Any) -> dict[str, Any]:
    good = {
        "performed_on": clinic_today(episode).isoformat(),
        "status": "done",
        "pain_before": "5",
        "pain_after": "3",
        "note": "felt looser afterwards",
    }
    return {k: v for k, v in (good | changes).items() if v is not None}


def test_a_good_session_is_saved(client: Client, episode: Episode) -> None:
    response = client.post(reverse("home_programme:log"), entry(episode))
    assert response.status_code == 302 and response["Location"] == reverse("home_programme:home")
    log = ExerciseLog.objects.get()
    assert (log.episode, log.status, log.pain_before, log.pain_after) == (episode, "done", 5, 3)
    assert log.note == "felt looser afterwards"
    page = client.get(reverse("home_programme:home")).content.decode()
    assert "Your session is saved" in page


def test_a_skipped_session_needs_no_pain_scores(client: Client, episode: Episode) -> None:
    data = entry(episode, status="skipped", pain_before="", pain_after="")
    assert client.post(reverse("home_programme:log"), data).status_code == 302
    assert ExerciseLog.objects.get().pain_before is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pain_before": "11"}, "can&#x27;t be more than 10"),
        ({"pain_after": "-1"}, "can&#x27;t be less than 0"),
        ({"pain_before": "seven"}, "whole number from 0 to 10"),
        ({"pain_after": "4.5"}, "whole number from 0 to 10"),
        ({"pain_before": ""}, "Enter your pain from 0 to 10 for a session you did"),
        ({"status": None}, "Choose done, partly done or skipped"),
        ({"status": "most"}, "Choose done, partly done or skipped"),
        ({"performed_on": "yesterday"}, "Enter the day as a date"),
        ({"note": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(
    client: Client, episode: Episode, changes: dict[str, Any], message: str
) -> None:
    response = client.post(reverse("home_programme:log"), entry(episode, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Your session was not saved" in body and message in body
    assert not ExerciseLog.objects.exists()


def test_future_and_old_days_are_refused(client: Client, episode: Episode) -> None:
    today = clinic_today(episode)
    future = client.post(
        reverse("home_programme:log"), entry(episode, performed_on=str(today + dt.timedelta(1)))
    )
    assert "in the future" in future.content.decode()
    old = client.post(
        reverse("home_programme:log"), entry(episode, performed_on=str(today - dt.timedelta(15)))
    )
    assert "last 14 days" in old.content.decode()
    assert not ExerciseLog.objects.exists()


def test_log_page_is_phone_friendly(client: Client, episode: Episode) -> None:
    page = client.get(reverse("home_programme:log")).content.decode()
    assert 'inputmode="numeric"' in page and 'type="radio"' in page
    assert 'aria-describedby="id_pain_before_helptext"' in page
    assert 'id="id_pain_before_helptext"' in page
    assert "style=" not in page and "<script" not in page


def test_no_logging_after_discharge(cast: Cast, client: Client) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, discharged=True)
    assert (
        client.get(reverse("home_programme:log"))
        .content.decode()
        .count("no current home programme")
    )
    assert client.post(reverse("home_programme:log"), entry(episode)).status_code == 403
    assert not ExerciseLog.objects.exists()


def test_staff_cannot_log_for_the_person(cast: Cast, episode: Episode) -> None:
    staff = Client()
    staff.force_login(cast.therapist_a)
    assert staff.post(reverse("home_programme:log"), entry(episode)).status_code == 403
    assert not ExerciseLog.objects.exists()
