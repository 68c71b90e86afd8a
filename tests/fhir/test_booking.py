"""Schedule, Slot and Appointment: free times computed as on the web, booked and cancelled
through the booking services, with the same rules and a 409 for a taken slot."""

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from tests.calendar import local, working_day
from tests.fhir.conftest import Practice, as_user, fhir, ids, outcome, post, put
from unknot.booking.models import Appointment, AppointmentKind, Status
from unknot.fhir.calendar import SlotKey

CANCEL = [{"op": "replace", "path": "/status", "value": "cancelled"}]


def slot_id(practice: Practice, hhmm: str = "10:00", kind: Any = None, day: Any = None) -> str:
    cast = practice.cast
    start = local(cast.clinic_a, day or working_day(), hhmm)
    kind = kind or practice.evaluation_a
    return SlotKey(cast.therapist_a.staff_member.pk, cast.clinic_a.pk, kind.pk, start).id


def booking(slot: str, patient: Any) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot}"}],
        "participant": [{"actor": {"reference": f"Patient/{patient.pk}"}, "status": "accepted"}],
    }


def slots(client: Any, practice: Practice, **query: Any) -> dict[str, Any]:
    day = working_day().isoformat()
    params = {"schedule": practice.schedule_a(), "start": [f"ge{day}", f"le{day}"]} | query
    return fhir(client.get("/fhir/Slot", params))


def book(practice: Practice, user: Any = None, hhmm: str = "10:00", **kw: Any) -> Any:
    client = as_user(user or practice.cast.therapist_a)
    patient = kw.pop("patient", practice.cast.patient_p)
    return post(client, "/fhir/Appointment", booking(slot_id(practice, hhmm, **kw), patient))


# --- Schedule and Slot -----------------------------------------------------------------------


def test_a_schedule_is_a_therapist_at_a_clinic_with_its_services(practice):
    cast, client = practice.cast, as_user(practice.cast.patient_p.user)
    found = fhir(client.get("/fhir/Schedule"))
    assert ids(found) == [
        practice.schedule_a(),
        f"{cast.therapist_b.staff_member.pk}-{cast.clinic_b.pk}",
    ]
    schedule = fhir(client.get(f"/fhir/Schedule/{practice.schedule_a()}"))
    assert [s["text"] for s in schedule["serviceType"]] == ["Initial evaluation", "Follow-up"]
    by_location = fhir(client.get("/fhir/Schedule", {"actor": f"Location/{cast.clinic_b.pk}"}))
    assert by_location["total"] == 1
    assert outcome(client.get("/fhir/Schedule", {"actor": "Patient/1"}), 400)


def test_slots_are_the_free_times_of_a_schedule_on_the_days_asked(practice):
    client = as_user(practice.cast.front_desk_a)
    found = slots(client, practice, **{"service-type": str(practice.evaluation_a.pk)})
    first = found["entry"][0]["resource"]
    eight = local(practice.cast.clinic_a, working_day(), "08:00")
    assert first["start"] == eight.strftime("%Y-%m-%dT%H:%M:%SZ") and first["status"] == "free"
    assert first["schedule"]["reference"] == f"Schedule/{practice.schedule_a()}"
    assert first["id"] == slot_id(practice, "08:00")
    # 08:00 to 17:00 every 15 minutes (60 minutes plus 10 after must end by 18:00)
    assert found["total"] == 37
    both = slots(client, practice)
    assert both["total"] == 37 + 38  # and the follow-up (45 minutes): 08:00 to 17:15
    assert fhir(client.get(f"/fhir/Slot/{first['id']}"))["end"] == (
        eight + dt.timedelta(hours=1)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_slot_start_bounds_narrow_to_the_instant(practice):
    client = as_user(practice.cast.therapist_a)
    ten = local(practice.cast.clinic_a, working_day(), "10:00").strftime("%Y-%m-%dT%H:%M:%SZ")
    noon = local(practice.cast.clinic_a, working_day(), "12:00").strftime("%Y-%m-%dT%H:%M:%SZ")
    found = fhir(
        client.get(
            "/fhir/Slot",
            {
                "schedule": practice.schedule_a(),
                "start": [f"ge{ten}", f"lt{noon}"],
                "service-type": str(practice.evaluation_a.pk),
                "status": "free",
            },
        )
    )
    assert found["total"] == 8 and found["entry"][0]["resource"]["start"] == ten


def test_slot_searches_refuse_what_they_cannot_answer(practice):
    client = as_user(practice.cast.therapist_a)
    assert "schedule" in outcome(client.get("/fhir/Slot"), 400)
    assert "free" in outcome(
        client.get("/fhir/Slot", {"schedule": practice.schedule_a(), "status": "busy"}), 400
    )
    day = working_day()
    far = (day + dt.timedelta(days=40)).isoformat()
    assert "31" in outcome(
        client.get(
            "/fhir/Slot", {"schedule": practice.schedule_a(), "start": [f"ge{day}", f"le{far}"]}
        ),
        400,
    )
    assert outcome(client.get("/fhir/Slot", {"schedule": "99-99"}), 404)
    assert outcome(
        client.get("/fhir/Slot", {"schedule": practice.schedule_a(), "service-type": "x|1"}), 400
    )


def test_patients_do_not_see_slots_of_staff_only_types(practice):
    practice.follow_up_a.online_booking = "staff_only"
    practice.follow_up_a.save()
    client = as_user(practice.cast.patient_p.user)
    assert slots(client, practice)["total"] == 37
    assert slots(as_user(practice.cast.therapist_a), practice)["total"] == 37 + 38


def test_a_slot_search_is_a_fixed_number_of_queries(practice, django_assert_max_num_queries):
    client = as_user(practice.cast.therapist_a)
    day = working_day()
    month = (day + dt.timedelta(days=27)).isoformat()
    with django_assert_max_num_queries(20):
        found = fhir(
            client.get(
                "/fhir/Slot",
                {
                    "schedule": practice.schedule_a(),
                    "start": [f"ge{day}", f"le{month}"],
                    "_count": "100",
                },
            )
        )
    assert found["total"] > 1000 and len(found["entry"]) == 100


# --- booking ---------------------------------------------------------------------------------


def test_staff_book_a_free_slot_and_the_slot_is_gone(practice):
    response = book(practice)
    appointment = fhir(response, 201)
    assert response["Location"] == f"http://testserver/fhir/Appointment/{appointment['id']}"
    assert appointment["status"] == "booked"
    assert (
        appointment["participant"][0]["actor"]["reference"]
        == f"Patient/{practice.cast.patient_p.pk}"
    )
    row = Appointment.objects.get(pk=appointment["id"])
    assert (row.source, row.status, row.booked_by) == (
        "fhir",
        Status.BOOKED,
        practice.cast.therapist_a,
    )
    assert row.start == local(practice.cast.clinic_a, working_day(), "10:00")
    client = as_user(practice.cast.therapist_a)
    assert "not free" in outcome(client.get(f"/fhir/Slot/{slot_id(practice)}"), 404)
    assert slot_id(practice) not in ids(slots(client, practice, _count="100"))


def test_a_taken_slot_is_a_409_and_nothing_is_booked(practice):
    fhir(book(practice), 201)
    assert "taken" in outcome(book(practice, practice.cast.manager), 409)
    overlapping = book(practice, hhmm="10:30")
    assert "taken" in outcome(overlapping, 409)
    assert Appointment.objects.count() == 1


def test_the_booking_rules_hold_over_fhir(practice):
    soon = timezone.now() + dt.timedelta(minutes=30)
    key = SlotKey(
        practice.cast.therapist_a.staff_member.pk,
        practice.cast.clinic_a.pk,
        practice.evaluation_a.pk,
        soon.replace(second=0, microsecond=0, tzinfo=dt.UTC),
    )
    body = booking(key.id, practice.cast.patient_p)
    outcome(post(as_user(practice.cast.therapist_a), "/fhir/Appointment", body), 422)
    sunday = working_day() + dt.timedelta(days=4)
    outcome(book(practice, day=sunday), 422)
    assert Appointment.objects.count() == 0


def test_a_booking_must_name_one_free_slot_and_one_patient(practice):
    client = as_user(practice.cast.therapist_a)
    body = booking(slot_id(practice), practice.cast.patient_p)
    assert "booked" in outcome(
        post(client, "/fhir/Appointment", body | {"status": "proposed"}), 400
    )
    assert "Slot" in outcome(post(client, "/fhir/Appointment", body | {"slot": []}), 400)
    assert "Slot" in outcome(
        post(client, "/fhir/Appointment", body | {"slot": [{"reference": "Slot/abc"}]}), 400
    )
    assert "Patient" in outcome(
        post(client, "/fhir/Appointment", body | {"participant": [{"status": "accepted"}]}), 400
    )
    assert "start" in outcome(
        post(client, "/fhir/Appointment", body | {"start": "2031-01-01T00:00:00Z"}), 400
    )
    assert outcome(
        post(client, "/fhir/Appointment", booking("9-9-9-203103051400", practice.cast.patient_p)),
        404,
    )
    assert Appointment.objects.count() == 0


def test_outsiders_cannot_book_other_clinics_patients(practice):
    cast = practice.cast
    refused = book(practice, cast.therapist_b)  # patient P is not at clinic B
    assert "Parker" not in outcome(refused, 404)
    assert outcome(book(practice, cast.therapist_b, patient=cast.patient_q), 403)  # clinic A's slot
    assert outcome(book(practice, cast.patient_q.user), 404)  # someone else
    assert Appointment.objects.count() == 0


def test_patients_book_follow_ups_at_their_clinic_once_evaluated(practice):
    cast = practice.cast
    assert "follow-up" in outcome(book(practice, cast.patient_p.user), 403)  # an evaluation
    assert outcome(
        book(practice, cast.patient_p.user, kind=practice.follow_up_a), 403
    )  # no plan yet
    evaluated = fhir(book(practice, hhmm="08:00"), 201)
    Appointment.objects.filter(pk=evaluated["id"]).update(status=Status.COMPLETED)
    own = book(practice, cast.patient_p.user, hhmm="14:00", kind=practice.follow_up_a)
    assert fhir(own, 201)["serviceType"][0]["text"] == "Follow-up"
    assert (
        Appointment.objects.get(pk=fhir(own, 201)["id"]).appointment_type.kind
        == AppointmentKind.FOLLOW_UP
    )


# --- cancelling ------------------------------------------------------------------------------


def test_put_with_status_cancelled_cancels_through_the_service(practice):
    booked = fhir(book(practice), 201)
    client = as_user(practice.cast.front_desk_a)
    url = f"/fhir/Appointment/{booked['id']}"
    change = booked | {"status": "cancelled", "cancelationReason": {"text": "called in sick"}}
    cancelled = fhir(put(client, url, change))
    assert (
        cancelled["status"] == "cancelled"
        and cancelled["cancelationReason"]["text"] == "called in sick"
    )
    assert Appointment.objects.get(pk=booked["id"]).status == Status.CANCELLED
    assert fhir(put(client, url, change))["status"] == "cancelled"  # the same request again
    assert slot_id(practice) in ids(slots(client, practice, _count="100"))


def test_put_changes_nothing_but_the_status(practice):
    booked = fhir(book(practice), 201)
    client = as_user(practice.cast.therapist_a)
    url = f"/fhir/Appointment/{booked['id']}"
    assert "cancel" in outcome(put(client, url, booked | {"start": "2031-01-01T00:00:00Z"}), 422)
    assert "id" in outcome(put(client, url, booked | {"id": "999"}), 400)
    assert Appointment.objects.get(pk=booked["id"]).status == Status.BOOKED


def test_patch_cancels_with_json_patch_only(practice):
    booked = fhir(book(practice), 201)
    client = as_user(practice.cast.therapist_a)
    url = f"/fhir/Appointment/{booked['id']}"
    patch = "application/json-patch+json"
    wrong = [{"op": "replace", "path": "/start", "value": "2031-01-01T00:00:00Z"}]
    assert "cancelled" in outcome(client.patch(url, json.dumps(wrong), content_type=patch), 422)
    assert outcome(client.patch(url, json.dumps(CANCEL), content_type="application/fhir+json"), 415)
    assert outcome(client.patch(url, "[", content_type=patch), 400)
    done = fhir(client.patch(url, json.dumps(CANCEL), content_type=patch))
    assert done["status"] == "cancelled"


def test_outsiders_cannot_cancel(practice):
    booked = fhir(book(practice), 201)
    url = f"/fhir/Appointment/{booked['id']}"
    for user in (practice.cast.therapist_b, practice.cast.patient_q.user):
        client = as_user(user)
        outcome(put(client, url, booked | {"status": "cancelled"}), 404)
        outcome(
            client.patch(url, json.dumps(CANCEL), content_type="application/json-patch+json"), 404
        )
    assert Appointment.objects.get(pk=booked["id"]).status == Status.BOOKED


def test_a_patient_cancels_their_own_visit_only_in_time(practice):
    booked = fhir(book(practice), 201)
    client = as_user(practice.cast.patient_p.user)
    url = f"/fhir/Appointment/{booked['id']}"
    move_to(booked["id"], timezone.now() + dt.timedelta(hours=2))
    assert "hours" in outcome(put(client, url, booked | {"status": "cancelled"}), 422)
    move_to(booked["id"], timezone.now() + dt.timedelta(days=3))
    assert fhir(put(client, url, booked | {"status": "cancelled"}))["status"] == "cancelled"


def move_to(appointment_id: str, start: dt.datetime) -> None:
    """Puts a visit at `start` directly: the change-notice rule is judged from the visit's time."""
    hour = dt.timedelta(hours=1)
    Appointment.objects.filter(pk=appointment_id).update(
        start=start, end=start + hour, blocked_start=start, blocked_end=start + hour
    )


# --- appointment search ----------------------------------------------------------------------


def test_appointment_search_by_patient_practitioner_location_date_and_status(
    practice, django_assert_max_num_queries
):
    cast = practice.cast
    for hhmm in ("08:00", "10:00", "12:00", "14:00"):
        fhir(book(practice, hhmm=hhmm), 201)
    client = as_user(cast.therapist_a)
    with django_assert_max_num_queries(10):
        everything = fhir(client.get("/fhir/Appointment"))
    assert everything["total"] == 4
    day = working_day()
    noon = local(cast.clinic_a, day, "12:00").strftime("%Y-%m-%dT%H:%M:%SZ")
    queries = {
        "patient": (f"Patient/{cast.patient_p.pk}", 4),
        "practitioner": (str(cast.therapist_b.staff_member.pk), 0),
        "location": (f"Location/{cast.clinic_a.pk}", 4),
        "date": ([f"ge{noon}"], 2),
        "status": ("booked,cancelled", 4),
    }
    for name, (value, total) in queries.items():
        assert fhir(client.get("/fhir/Appointment", {name: value}))["total"] == total, name
    assert fhir(client.get("/fhir/Appointment", {"date": day.isoformat()}))["total"] == 4
    assert fhir(client.get("/fhir/Appointment", {"date": f"lt{day}"}))["total"] == 0
    assert fhir(client.get("/fhir/Appointment", {"status": "noshow"}))["total"] == 0
    assert outcome(client.get("/fhir/Appointment", {"status": "held"}), 400)
    assert outcome(client.get("/fhir/Appointment", {"patient": "Practitioner/1"}), 400)


def test_appointments_are_seen_by_their_clinic_and_their_patient_only(practice):
    booked = fhir(book(practice), 201)
    url = f"/fhir/Appointment/{booked['id']}"
    fhir(as_user(practice.cast.patient_p.user).get(url))
    fhir(as_user(practice.cast.auditor).get(url))
    for user in (practice.cast.therapist_b, practice.cast.patient_q.user):
        outcome(as_user(user).get(url), 404)
        assert fhir(as_user(user).get("/fhir/Appointment"))["total"] == 0
