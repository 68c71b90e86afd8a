"""Bad input, one focused test per finding of issue 13's probe, and the one place that
refuses it (unknot.config.middleware) with the shared reader (unknot.common.inputs).

Every one of these answered a server error (or, for NUL on SQLite, something other than a
clean 400) before the reader and the middleware existed. The walk over every URL is in
test_hostile_input.py; the battery in hostile.py.
"""

import json
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.api.world import build_world
from tests.attacks import hostile
from tests.attacks.test_hostile_input import FHIR_JSON, FORM, body_of, client_for, fhir_search
from tests.personas import Cast
from unknot.booking.links import manage_token
from unknot.booking.models import Appointment, Status
from unknot.fhir.http import MAX_BODY
from unknot.fhir.registry import SERVED
from unknot.patients.models import Patient

# --- the findings of issue 13's probe, one test each ------------------------------------------

EXTREME_STARTS = ("9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "9999-12-31T10:00:00Z")
RANGE = "between 1900 and 2200"


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_year_9999_or_1_on_the_public_hold_form_is_a_message(cast: Cast) -> None:
    world = build_world(cast)
    url = reverse("booking:book_hold", kwargs={"slug": cast.clinic_a.slug})
    for start in EXTREME_STARTS:
        data = {"start": start, "type_id": world.evaluation_a.pk, "who": "any"}
        response = Client().post(url, data)
        assert response.status_code == 302, start
        assert messages_of(response) == ["Please choose one of the times shown."]
    assert not Appointment.objects.filter(status=Status.HELD).exists()


def test_year_9999_or_1_on_the_change_booking_form_is_a_message(cast: Cast) -> None:
    world = build_world(cast)
    booked = Appointment.objects.get(pk=world.p.appointment)
    url = reverse("booking:manage_change", kwargs={"token": manage_token(booked.pk)})
    for start in EXTREME_STARTS:
        response = Client().post(url, {"start": start})
        assert response.status_code == 302, start
        assert messages_of(response) == ["Please choose one of the times shown."]
    assert Appointment.objects.get(pk=booked.pk).start == booked.start


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_extreme_days_in_the_staff_calendars_answer_400(cast: Cast, view: str, day: str) -> None:
    url = reverse(view, kwargs={"slug": cast.clinic_a.slug, "day": day})
    response = client_for(cast, "front_desk_a").get(url)
    assert response.status_code == 400
    assert RANGE in response.content.decode()
    assert day not in response.content.decode()  # the value is never repeated back


def test_extreme_dates_on_the_staff_booking_form_are_form_errors(cast: Cast) -> None:
    world = build_world(cast)
    url = reverse("booking:staff_book", kwargs={"slug": cast.clinic_a.slug})
    before = Appointment.objects.count()
    for day, time in (("9999-12-31", "23:59"), ("0001-01-01", "00:00"), ("9999-12-31", "10:00")):
        data = {
            "patient": cast.patient_p.pk, "appointment_type": world.evaluation_a.pk,
            "therapist": cast.therapist_a.staff_member.pk, "date": day, "time": time,
        }  # fmt: skip
        response = client_for(cast, "front_desk_a").post(url, data)
        assert response.status_code == 200
        assert f"Please give a date {RANGE}." in response.content.decode()
    assert Appointment.objects.count() == before


def test_nul_in_the_staff_booking_parameters_answers_400(cast: Cast) -> None:
    build_world(cast)
    url = reverse("booking:staff_book", kwargs={"slug": cast.clinic_a.slug})
    client = client_for(cast, "front_desk_a")
    assert client.get(url, {"patient": "\x00"}).status_code == 400
    assert client.post(url, {"date": "2031-03-05\x00", "time": "10:00"}).status_code == 400
    v0 = client.post(
        reverse("booking:api_appointments"),
        json.dumps({"clinic": "clinic-a\x00", "type": 1, "therapist": 1, "patient": 1}),
        content_type="application/json",
    )
    assert v0.status_code == 400
    assert v0.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("view", ["audit:report", "audit:export_csv"])
@pytest.mark.parametrize(
    "query",
    [
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "9999-12-31", "until": "9999-12-31"},
    ],
)
def test_extreme_dates_in_the_audit_report_and_its_csv_answer_400(
    cast: Cast, view: str, query: dict[str, str]
) -> None:
    response = client_for(cast, "manager").get(reverse(view), query)
    assert response.status_code == 400
    assert RANGE in body_of(response)


@pytest.mark.parametrize(
    ("resource_type", "param"),
    [("Appointment", "date"), ("Observation", "date"), ("Slot", "start"), ("Patient", "birthdate")],
)
@pytest.mark.parametrize("value", ["9999-12-31", "ge9999-12-31", "lt0001-01-01", "le9000-12-31"])
def test_extreme_dates_in_fhir_date_searches_answer_400(
    cast: Cast, resource_type: str, param: str, value: str
) -> None:
    client = client_for(cast, "therapist_a")
    kind = next(kind for kind in SERVED if kind.name == resource_type)
    schedule = f"Schedule/{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}"
    extra = {"schedule": schedule} if resource_type == "Slot" else {}
    response = fhir_search(client, kind, extra | {param: value})
    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert issue["code"] == "invalid" and RANGE in issue["diagnostics"]


def test_a_fhir_appointment_for_a_far_future_slot_is_refused(cast: Cast) -> None:
    world = build_world(cast)
    client = client_for(cast, "front_desk_a")
    ids = f"{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}-{world.evaluation_a.pk}"
    for stamp in ("999912312300", "000101010000"):
        body = {
            "resourceType": "Appointment", "status": "booked",
            "slot": [{"reference": f"Slot/{ids}-{stamp}"}],
            "participant": [{"actor": {"reference": f"Patient/{cast.patient_p.pk}"},
                             "status": "accepted"}],
        }  # fmt: skip
        created = client.post("/fhir/Appointment", json.dumps(body), content_type=FHIR_JSON)
        assert created.status_code == 400, created.content
        assert client.get(f"/fhir/Slot/{ids}-{stamp}").status_code == 404


def test_nul_in_the_v0_availability_answers_400(cast: Cast) -> None:
    world = build_world(cast)
    query = {"clinic": "clinic-a\x00", "type": world.evaluation_a.pk, "from": "2031-03-05",
             "to": "2031-03-06"}  # fmt: skip
    response = Client().get(reverse("booking:api_availability"), query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "control character" in response.json()["error"]["message"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, hostile.DEEP])
def test_deeply_nested_json_on_the_rest_api_answers_400(cast: Cast, depth: int) -> None:
    world = build_world(cast)
    client = world.client("front_desk_a")
    for url in ("/api/v1/appointments/", f"/api/v1/appointments/{world.p.appointment}/cancel/"):
        response = client.post(url, nested(depth), content_type="application/json")
        assert response.status_code == 400, url
        error = response.json()["error"]
        assert error["code"] == "invalid" and "nested too deeply" in error["message"]
    just_deep_enough = client.post(
        "/api/v1/appointments/", nested(32), content_type="application/json"
    )
    assert "nested" not in just_deep_enough.json()["error"]["message"]  # a list, not a booking


@pytest.mark.parametrize("depth", [33, hostile.DEEP])
def test_deeply_nested_json_on_fhir_answers_400(cast: Cast, depth: int) -> None:
    world = build_world(cast)
    client = world.client("front_desk_a")
    sent = (
        client.post("/fhir/Appointment", nested(depth), content_type=FHIR_JSON),
        client.put(f"/fhir/Appointment/{world.p.appointment}", nested(depth),
                   content_type=FHIR_JSON),
        client.patch(f"/fhir/Appointment/{world.p.appointment}", nested(depth),
                     content_type="application/json-patch+json"),
        client.post("/fhir/QuestionnaireResponse", hostile.deep_json(depth),
                    content_type=FHIR_JSON),
    )  # fmt: skip
    for response in sent:
        assert response.status_code == 400
        assert response.json()["resourceType"] == "OperationOutcome"
        assert "nested too deeply" in response.json()["issue"][0]["diagnostics"]


def test_deeply_nested_json_on_the_v0_api_answers_400(cast: Cast) -> None:
    build_world(cast)
    response = client_for(cast, "front_desk_a").post(
        reverse("booking:api_appointments"), nested(hostile.DEEP), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]["message"]


# --- the one place that refuses control characters and oversized bodies -----------------------


def test_nul_anywhere_answers_400_in_the_areas_own_format(cast: Cast) -> None:
    world = build_world(cast)
    api, page = world.client("therapist_a"), client_for(cast, "therapist_a")
    refused = {
        "page path": page.get("/staff/patients/1\x00/"),
        "page query": page.get("/clinical/caseload/", {"therapist": "\x00"}),
        "page form": page.post("/staff/patients/new/", {"first_name": "Ann\x00"}),
        "api query": api.get("/api/v1/patients/", {"clinic": "a\x00"}),
        "api json escape": api.post("/api/v1/patients/search/", '{"name": "a\\u0000b"}',
                                    content_type="application/json"),
        "fhir query": api.get("/fhir/Practitioner", {"name": "\x00"}),
        "fhir form": api.post("/fhir/Patient/_search", "name=a%00b", content_type=FORM),
        "fhir json": api.post("/fhir/Appointment", '{"resourceType": "Appointment\\u0000"}',
                              content_type=FHIR_JSON),
        "other control": page.get("/clinical/caseload/", {"therapist": "\x1b[31m"}),
    }  # fmt: skip
    for where, response in refused.items():
        assert response.status_code == 400, where
        kind = response["Content-Type"]
        body = response.content.decode()
        if where.startswith("fhir"):
            assert kind.startswith(FHIR_JSON) and '"OperationOutcome"' in body, where
        elif where.startswith("api"):
            assert response.json()["error"]["code"] == "invalid", where
        else:
            assert kind.startswith("text/html") and "control character" in body, where


def test_tabs_newlines_and_escaped_backslashes_are_kept(cast: Cast) -> None:
    world = build_world(cast)
    person = {
        "first_name": "Ann", "last_name": "Lee", "date_of_birth": "1960-02-03",
        "email": "ann@example.com", "phone": "555 010 0000",
        "address_line1": "1 Main Street\r\n\tApartment 2", "city": "Troy", "state": "NY",
        "zip_code": "12180", "preferred_clinic": cast.clinic_a.pk,
    }  # fmt: skip
    filed = client_for(cast, "front_desk_a").post(reverse("staffarea:patient_new"), person)
    assert filed.status_code == 302
    assert Patient.objects.get(last_name="Lee").address_line1 == "1 Main Street\r\n\tApartment 2"
    searched = world.client("therapist_a").post(
        "/api/v1/patients/search/", '{"name": "a\\\\u0000"}', content_type="application/json"
    )
    assert searched.status_code == 200  # a backslash, then the text "u0000": no NUL at all


def test_views_still_read_the_body_the_middleware_looked_at(cast: Cast) -> None:
    world = build_world(cast)
    client = world.client("therapist_a")
    multipart = client.post("/fhir/Patient/_search", {"name": "parker"})  # read as bytes there
    assert multipart.status_code == 415
    searched = client.post("/fhir/Patient/_search", "name=parker", content_type=FORM)
    assert searched.status_code == 200 and searched.json()["total"] == 1


def test_a_body_past_the_limit_answers_413_in_the_areas_own_format(
    cast: Cast, settings: Any
) -> None:
    world = build_world(cast)
    client = world.client("front_desk_a")
    big = json.dumps({"note": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    fhir = client.post("/fhir/Appointment", big, content_type=FHIR_JSON)
    assert fhir.status_code == 413 and fhir.json()["issue"][0]["code"] == "too-long"
    api = client.post("/api/v1/appointments/", big, content_type="application/json")
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"
    page = client_for(cast, "front_desk_a").post(
        "/staff/patients/new/", {"address_line1": "x" * 600_000}
    )
    assert page.status_code == 413


def test_bad_input_raised_by_a_view_is_a_plain_400_page(cast: Cast) -> None:
    url = reverse("booking:staff_day", kwargs={"slug": cast.clinic_a.slug, "day": "9999-12-31"})
    response = client_for(cast, "therapist_a").get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "We could not read what was sent" in response.content.decode()


def test_the_body_limit_leaves_room_for_the_largest_fhir_resource(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > MAX_BODY  # FHIR's own 413 speaks first


def test_the_admins_date_drill_down_and_date_fields_keep_to_the_bounds(cast: Cast) -> None:
    """The admin is Django's (outside the URL walk): its year drill-down computes the next
    year, month or day, and its forms take any date Python can hold."""
    owner = factories.user("owner", is_staff=True, is_superuser=True)
    for user in (owner, cast.manager):
        client = client_for(cast, "manager")
        client.force_login(user)
        for url, field in (("/admin/booking/scheduleoverride/", "date"),
                           ("/admin/booking/timeoff/", "start")):  # fmt: skip
            for query in ({"year": "9999"}, {"year": "9999", "month": "12", "day": "31"},
                          {"year": "0001"}, {"year": "9" * 30}):  # fmt: skip
                asked = {f"{field}__{part}": value for part, value in query.items()}
                assert client.get(url, asked).status_code == 400, (url, asked)
            assert client.get(url, {f"{field}__year": "2031"}).status_code == 200
    closure = {"clinic": cast.clinic_a.pk, "start_date": "2031-03-05", "end_date": "9999-12-31"}
    added = client.post("/admin/clinics/closure/add/", closure)
    assert added.status_code == 200 and f"Please give a date {RANGE}." in added.content.decode()
