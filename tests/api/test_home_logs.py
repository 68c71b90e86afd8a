"""A patient logs a home session through the API with the portal's own form and service:
the same 14-day window, the same pain rule, their own current programme only."""

import datetime as dt
from typing import Any

from tests.api.world import World
from unknot.plans.home.selectors import clinic_today
from unknot.plans.models import ExerciseLog
from unknot.records.models import Episode, EpisodeStatus

LOGS = "/api/v1/home-logs/"


def today(world: World) -> dt.date:
    """The day it is at the patient's clinic: "today" for a session log, whatever UTC says."""
    return clinic_today(Episode.objects.get(pk=world.p.episode))


def log(world: World, persona: str, **data: Any) -> Any:
    body = {"performed_on": today(world).isoformat(), "status": "done",
            "pain_before": 6, "pain_after": 4} | data  # fmt: skip
    return world.client(persona).post(LOGS, body, content_type="application/json")


def test_a_patient_logs_a_session_of_their_own_programme(world: World) -> None:
    response = log(world, "patient_p", note="  felt looser  ")
    assert response.status_code == 201, response.content
    row = ExerciseLog.objects.get(pk=response.json()["id"])
    assert row.episode_id == world.p.episode and row.note == "felt looser"
    listed = world.client("therapist_a").get(LOGS, {"patient": world.p.patient}).json()
    assert row.pk in {r["id"] for r in listed["results"]}


def test_the_portals_rules_apply(world: World) -> None:
    before = ExerciseLog.objects.count()
    future = (today(world) + dt.timedelta(days=3)).isoformat()
    response = log(world, "patient_p", performed_on=future)
    assert response.status_code == 400 and "performed_on" in response.json()["error"]["fields"]
    response = log(world, "patient_p", pain_after=None)
    assert response.status_code == 400 and "pain_after" in response.json()["error"]["fields"]
    response = log(world, "patient_p", pain_before=11)
    assert response.status_code == 400 and "pain_before" in response.json()["error"]["fields"]
    assert ExerciseLog.objects.count() == before


def test_no_logging_after_discharge(world: World) -> None:
    Episode.objects.filter(pk=world.p.episode).update(status=EpisodeStatus.DISCHARGED)
    response = log(world, "patient_p")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_body_that_is_a_list_is_400(world: World) -> None:
    response = world.client("patient_p").post(LOGS, [1, 2], content_type="application/json")
    assert response.status_code == 400
