"""Booking, moving and cancelling through the API: the calendar's own services decide, so a
time someone else holds is a 409 `slot_taken` whoever booked it first, web or API."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.world import World, build_world
from tests.calendar import local, working_day
from tests.concurrency import race
from tests.personas import make_cast
from unknot.booking import services
from unknot.booking.models import Appointment, Status

BOOK = "/api/v1/appointments/"


def body(world: World, hhmm: str = "10:00", **changes: Any) -> dict[str, Any]:
    cast = world.cast
    return {
        "clinic": cast.clinic_a.slug,
        "type": world.evaluation_a.pk,
        "therapist": cast.therapist_a.staff_member.pk,
        "patient": cast.patient_p.pk,
        "start": local(cast.clinic_a, working_day(), hhmm).isoformat(),
    } | changes


def post(world: World, persona: str, path: str, data: Any) -> Any:
    return world.client(persona).post(path, data, content_type="application/json")


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    found: dict[str, Any] = response.json()["error"]
    assert found["code"] and found["message"] and isinstance(found["fields"], dict)
    return found


def test_front_desk_books_and_reads_it_back(world: World) -> None:
    response = post(world, "front_desk_a", BOOK, body(world))
    assert response.status_code == 201, response.content
    made = Appointment.objects.get(pk=response.json()["id"])
    assert made.status == Status.BOOKED and made.source == "api"
    assert made.booked_by == world.cast.front_desk_a
    assert response.json()["start_local"].startswith(f"{working_day().isoformat()}T10:00:00-0")
    again = world.client("patient_p").get(f"{BOOK}{made.pk}/")
    assert again.json() == response.json()


def test_a_time_taken_on_the_web_is_a_409_in_the_api(world: World) -> None:
    cast = world.cast
    services.appointment_book(
        by=cast.therapist_a, clinic=cast.clinic_a, appointment_type=world.evaluation_a,
        therapist=cast.therapist_a.staff_member, patient=cast.patient_p,
        start=local(cast.clinic_a, working_day(), "10:00"), now=timezone.now(),
    )  # fmt: skip
    before = Appointment.objects.count()
    found = error_of(post(world, "therapist_a", BOOK, body(world, "10:30")), 409)
    assert found["code"] == "slot_taken" and "just taken" in found["message"]
    assert Appointment.objects.count() == before


def test_the_core_rules_hold(world: World) -> None:
    found = error_of(post(world, "front_desk_a", BOOK, body(world, "06:00")), 400)
    assert found["code"] not in ("invalid", "slot_taken")  # the core's own reason, e.g. closed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2031-03-04T10:00"}, "start"),
        ({"start": "tomorrow"}, "start"),
        ({"patient": None}, "patient"),
        ({"type": "x"}, "type"),
        ({"clinic": ""}, "clinic"),
        ({"therapist": 99999999999999999999}, "therapist"),
    ],
)
def test_bad_bodies_name_the_field(world: World, changes: dict[str, Any], field: str) -> None:
    found = error_of(post(world, "front_desk_a", BOOK, body(world, **changes)), 400)
    assert field in found["fields"]
    assert not Appointment.objects.filter(source="api").exists()


def test_a_body_that_is_not_json_is_400(world: World) -> None:
    response = world.client("front_desk_a").post(BOOK, "{not json", content_type="application/json")
    assert error_of(response, 400)["code"] == "invalid"


def test_a_patient_of_another_clinic_is_404(world: World) -> None:
    found = error_of(post(world, "therapist_b", BOOK, body(world, clinic="clinic-b")), 404)
    assert found["code"] == "not_found"


def test_patients_do_not_book_through_the_api(world: World) -> None:
    error_of(post(world, "patient_p", BOOK, body(world)), 403)


def test_staff_move_an_appointment(world: World) -> None:
    booked = post(world, "front_desk_a", BOOK, body(world)).json()
    new_start = local(world.cast.clinic_a, working_day(), "14:00")
    response = post(world, "front_desk_a", f"{BOOK}{booked['id']}/move/",
                    {"start": new_start.isoformat()})  # fmt: skip
    assert response.status_code == 200, response.content
    assert Appointment.objects.get(pk=booked["id"]).start == new_start


def test_moving_onto_a_taken_time_is_409(world: World) -> None:
    first = post(world, "front_desk_a", BOOK, body(world, "10:00")).json()
    second = post(world, "front_desk_a", BOOK, body(world, "14:00")).json()
    taken = local(world.cast.clinic_a, working_day(), "10:00").isoformat()
    found = error_of(post(world, "front_desk_a", f"{BOOK}{second['id']}/move/", {"start": taken}),
                     409)  # fmt: skip
    assert found["code"] == "slot_taken"
    assert Appointment.objects.get(pk=first["id"]).status == Status.BOOKED


def test_the_patient_cancels_their_own_appointment(world: World) -> None:
    path = f"{BOOK}{world.p.appointment}/cancel/"
    error_of(post(world, "patient_q", path, {"reason": "not mine"}), 404)
    response = post(world, "patient_p", path, {"reason": "feeling better"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Appointment.objects.get(pk=world.p.appointment).cancel_reason == "feeling better"
    assert error_of(post(world, "patient_p", path, {}), 400)["code"] == "not_booked"


def test_other_clinics_staff_cannot_cancel(world: World) -> None:
    error_of(post(world, "therapist_b", f"{BOOK}{world.p.appointment}/cancel/", {}), 404)
    assert Appointment.objects.get(pk=world.p.appointment).status == Status.BOOKED


def test_patients_cannot_move(world: World) -> None:
    start = local(world.cast.clinic_a, working_day(), "14:00").isoformat()
    error_of(post(world, "patient_p", f"{BOOK}{world.p.appointment}/move/", {"start": start}), 403)


@pytest.mark.django_db(transaction=True)
def test_a_race_through_the_api_has_one_winner_and_polite_losers() -> None:
    """Several clients post overlapping bookings at the same moment: one 201, the rest 409."""
    world = build_world(make_cast())
    racers = 6
    starts = [local(world.cast.clinic_a, working_day(), "10:00") + dt.timedelta(minutes=5 * i)
              for i in range(racers)]  # fmt: skip

    def book(i: int) -> tuple[int, str | None]:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['front_desk_a']}")
        response = client.post(BOOK, body(world, start=starts[i].isoformat()),
                               content_type="application/json")  # fmt: skip
        return response.status_code, response.json().get("error", {}).get("code")

    outcomes = race(book, racers)
    assert outcomes == {(201, None): 1, (409, "slot_taken"): racers - 1}
    assert Appointment.objects.filter(source="api", status=Status.BOOKED).count() == 1
