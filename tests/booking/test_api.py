"""The JSON API v0: availability for anyone, bookings for staff who may write, one error shape."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.calendar import Calendar, local
from unknot.booking.models import Appointment, Status

AVAILABILITY = "booking:api_availability"
APPOINTMENTS = "booking:api_appointments"


def working_day() -> dt.date:
    """A Wednesday at least three days ahead: past the minimum notice, inside the horizon."""
    day = timezone.now().date() + dt.timedelta(days=3)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def signed_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def book(client: Client, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(
        reverse(APPOINTMENTS), json.dumps(body), content_type="application/json", **headers
    )


def booking_body(cal: Calendar, hhmm: str = "10:00", **changes: Any) -> dict[str, Any]:
    cast = cal.cast
    start = local(cast.clinic_a, working_day(), hhmm)
    return {
        "clinic": cast.clinic_a.slug,
        "type": cal.evaluation_a.pk,
        "therapist": cast.therapist_a.staff_member.pk,
        "patient": cast.patient_p.pk,
        "start": start.isoformat(),
    } | changes


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    found = response.json()["error"]
    assert found["code"] == code and found["message"]
    assert isinstance(found["fields"], dict)
    return dict(found)


def availability(cal: Calendar, **query: Any) -> Any:
    day = working_day().isoformat()
    params = {"clinic": cal.cast.clinic_a.slug, "type": cal.evaluation_a.pk, "from": day, "to": day}
    return Client().get(reverse(AVAILABILITY), params | query)


# --- availability ----------------------------------------------------------------------------


def test_availability_lists_slots_in_utc_and_local_time(calendar: Calendar) -> None:
    response = availability(calendar, therapist="any")
    assert response.status_code == 200
    data = response.json()
    assert data["time_zone"] == "America/New_York"
    first = data["slots"][0]
    eight = local(calendar.cast.clinic_a, working_day(), "08:00")
    assert first["start"] == eight.isoformat().replace("+00:00", "Z")
    assert first["start_local"].startswith(f"{working_day().isoformat()}T08:00:00-0")
    assert first["therapists"] == [calendar.cast.therapist_a.staff_member.pk]


def test_availability_for_one_therapist_leaves_out_booked_time(calendar: Calendar) -> None:
    assert book(signed_in(calendar.cast.front_desk_a), booking_body(calendar)).status_code == 201
    therapist = calendar.cast.therapist_a.staff_member.pk
    starts = [
        s["start_local"][11:16] for s in availability(calendar, therapist=therapist).json()["slots"]
    ]
    assert "08:45" in starts and "11:15" in starts  # 60 minutes and a 10-minute buffer
    assert not {"09:00", "10:00", "11:00"} & set(starts)


def test_staff_only_types_are_not_public(calendar: Calendar) -> None:
    assert_error(availability(calendar, type=calendar.follow_up_a.pk), 404, "not_found")


def test_unknown_clinic_is_a_json_404(calendar: Calendar) -> None:
    assert_error(availability(calendar, clinic="nowhere"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"type": "x"}, "type"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2020-01-01"}, "to"),
        ({"to": "9999-12-31"}, "to"),
        ({"therapist": "999999"}, "therapist"),
        ({"type": "99999999999999999999999"}, "type"),
    ],
)
def test_bad_queries_name_the_field(calendar: Calendar, query: dict[str, str], field: str) -> None:
    found = assert_error(availability(calendar, **query), 400, "invalid")
    assert field in found["fields"]


def test_availability_range_is_bounded(calendar: Calendar) -> None:
    far = (working_day() + dt.timedelta(days=40)).isoformat()
    assert "to" in assert_error(availability(calendar, to=far), 400, "invalid")["fields"]


def test_wrong_method_is_a_json_405(calendar: Calendar) -> None:
    response = Client().post(reverse(AVAILABILITY))
    assert assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


# --- booking ---------------------------------------------------------------------------------


def test_staff_book_and_get_the_appointment_back(calendar: Calendar) -> None:
    response = book(signed_in(calendar.cast.front_desk_a), booking_body(calendar))
    assert response.status_code == 201
    data = response.json()
    row = Appointment.objects.get(pk=data["id"])
    assert row.status == Status.BOOKED and row.patient == calendar.cast.patient_p
    assert data["start_local"] == f"{working_day().isoformat()}T10:00:00{data['start_local'][19:]}"
    assert data["therapist"] == calendar.cast.therapist_a.staff_member.pk


def test_a_taken_slot_is_a_polite_409(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.therapist_a)
    assert book(client, booking_body(calendar)).status_code == 201
    found = assert_error(book(client, booking_body(calendar, "10:30")), 409, "slot_taken")
    assert "just taken" in found["message"]


def test_rules_of_the_core_are_400_with_their_code(calendar: Calendar) -> None:
    response = book(signed_in(calendar.cast.front_desk_a), booking_body(calendar, "06:00"))
    assert response.status_code == 400
    assert response.json()["error"]["code"] not in ("invalid", "slot_taken")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2031-03-04T10:00"}, "start"),  # no UTC offset
        ({"start": 17}, "start"),
        ({"patient": None}, "patient"),
        ({"type": True}, "type"),
        ({"clinic": ""}, "clinic"),
    ],
)
def test_bad_bodies_name_the_field(calendar: Calendar, changes: dict[str, Any], field: str) -> None:
    response = book(signed_in(calendar.cast.front_desk_a), booking_body(calendar, **changes))
    assert field in assert_error(response, 400, "invalid")["fields"]


def test_a_type_or_therapist_of_another_clinic_is_refused(calendar: Calendar) -> None:
    body = booking_body(
        calendar,
        type=calendar.evaluation_b.pk,
        therapist=calendar.cast.therapist_b.staff_member.pk,
    )
    found = assert_error(book(signed_in(calendar.cast.front_desk_a), body), 400, "invalid")
    assert set(found["fields"]) == {"type", "therapist"}


def test_a_body_that_is_not_json_is_400(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.front_desk_a)
    response = client.post(reverse(APPOINTMENTS), "not json", content_type="application/json")
    assert_error(response, 400, "invalid")


def test_a_patient_the_user_may_not_see_is_404(calendar: Calendar) -> None:
    body = booking_body(calendar, clinic=calendar.cast.clinic_b.slug)
    assert_error(book(signed_in(calendar.cast.therapist_b), body), 404, "not_found")
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "patient_p"])
def test_read_only_roles_and_patients_get_403(calendar: Calendar, persona: str) -> None:
    response = book(signed_in(calendar.cast.users[persona]), booking_body(calendar))
    assert_error(response, 403, "forbidden")
    assert not Appointment.objects.exists()


def test_anonymous_is_sent_to_sign_in(calendar: Calendar) -> None:
    response = book(Client(), booking_body(calendar))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_writes_need_the_csrf_token(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.front_desk_a, csrf=True)
    assert_error(book(client, booking_body(calendar)), 403, "csrf_failed")
    token = "a" * 32  # the double-submit secret: cookie and header must match
    client.cookies["csrftoken"] = token
    assert book(client, booking_body(calendar), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_list_shows_the_clinics_appointments(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.front_desk_a)
    booked = book(client, booking_body(calendar)).json()
    day = working_day().isoformat()
    listed = client.get(reverse(APPOINTMENTS), {"clinic": "clinic-a", "from": day, "to": day})
    assert listed.json()["appointments"] == [booked]
    other = signed_in(calendar.cast.therapist_b).get(
        reverse(APPOINTMENTS), {"from": day, "to": day}
    )
    assert other.json()["appointments"] == []
