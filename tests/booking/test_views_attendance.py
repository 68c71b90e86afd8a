"""The attendance pages and flags: the follow-up page and its form (who may, bad notes,
outsiders), the flag on the patient's page, the appointment's page and the day's calendar,
and what the patient reads in the portal and the cancellation email."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for, last_event
from tests.booking.test_attendance import NOW, at, days_ago, misses, phoned_late, visit
from tests.calendar import Calendar
from tests.clock import stopped_at
from unknot.booking.models import AttendanceFollowUp, CancelledBy
from unknot.clinics.models import Clinic
from unknot.outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

FLAG = "Over the attendance policy"
WORDS = "3 missed or late-cancelled visits in the last 90 days; the clinic&#x27;s policy allows 2"


@pytest.fixture
def over(calendar: Calendar, monkeypatch: pytest.MonkeyPatch) -> Calendar:
    """Penny missed three visits in the last weeks at clinic A; the clock stops at NOW."""
    stopped_at(NOW, monkeypatch)
    misses(calendar, calendar.cast.patient_p, 3, 10, 20)
    return calendar


def page_url(cal: Calendar) -> str:
    return reverse("booking:staff_attendance", args=[cal.cast.patient_p.pk, cal.cast.clinic_a.slug])


def follow_up_url(cal: Calendar) -> str:
    return reverse(
        "booking:staff_attendance_follow_up",
        args=[cal.cast.patient_p.pk, cal.cast.clinic_a.slug],
    )


def test_the_flag_shows_on_the_patients_page_the_appointment_and_the_day(over: Calendar) -> None:
    cast = over.cast
    today = visit(over, cast.patient_p, at(over, NOW.date(), "15:00"))
    client = client_for(cast.front_desk_a)
    pages = [
        reverse("staffarea:patient_detail", args=[cast.patient_p.pk]),
        reverse("booking:staff_appointment", args=[today.pk]),
        reverse("booking:staff_day", args=[cast.clinic_a.slug, NOW.date()]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert FLAG in page and WORDS in page and page_url(over) in page, url


def test_the_day_flags_only_the_patients_over_the_policy(over: Calendar) -> None:
    cast = over.cast
    other = factories.patient("Olga", "Other", cast.clinic_a)
    visit(over, other, at(over, NOW.date(), "16:00"))
    visit(over, cast.patient_p, at(over, NOW.date(), "15:00"))
    page = client_for(cast.front_desk_a).get(
        reverse("booking:staff_day", args=[cast.clinic_a.slug, NOW.date()])
    )
    assert page.content.decode().count(FLAG) == 1


def test_recording_a_follow_up_closes_the_flag_and_is_audited(over: Calendar) -> None:
    cast = over.cast
    client = client_for(cast.front_desk_a)
    page = client.get(page_url(over)).content.decode()
    assert FLAG in page and "Record the follow-up" in page
    response = client.post(follow_up_url(over), {"note": "Called, discussed the policy."})
    assert response.status_code == 302 and response["Location"] == reverse("staffarea:dashboard")
    [row] = AttendanceFollowUp.objects.all()
    assert (row.done_by, row.done_at, row.note) == (
        cast.front_desk_a.staff_member, NOW, "Called, discussed the policy.",
    )  # fmt: skip
    assert (last_event().object_type, last_event().reason) == (
        "attendance_follow_up",
        "followed_up",
    )
    patient_page = client.get(reverse("staffarea:patient_detail", args=[cast.patient_p.pk]))
    assert FLAG not in patient_page.content.decode()
    page = client.get(page_url(over)).content.decode()
    assert "Followed up since the latest of them" in page and "discussed the policy" in page


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Please write a short note of what was said."),
        ("   ", "Please write a short note of what was said."),
        ("x" * 501, "Please keep the note under 500 characters."),
    ],
)
def test_a_bad_note_is_a_message_and_nothing_is_recorded(
    over: Calendar, note: str, message: str
) -> None:
    response = client_for(over.cast.front_desk_a).post(follow_up_url(over), {"note": note})
    assert response.status_code == 200 and message in response.content.decode()
    assert not AttendanceFollowUp.objects.exists()


def test_a_nul_in_the_note_is_refused_like_anywhere_else(over: Calendar) -> None:
    """The site answers 400 to a NUL in any input (the service would refuse it too)."""
    response = client_for(over.cast.front_desk_a).post(follow_up_url(over), {"note": "a\x00b"})
    assert response.status_code == 400 and not AttendanceFollowUp.objects.exists()


def test_outsiders_see_nothing_and_record_nothing(over: Calendar) -> None:
    cast = over.cast
    note = {"note": "Called."}
    assert client_for(cast.therapist_b).get(page_url(over)).status_code == 404
    assert client_for(cast.therapist_b).post(follow_up_url(over), note).status_code == 404
    assert client_for(cast.auditor).get(page_url(over)).status_code == 200
    assert client_for(cast.auditor).post(follow_up_url(over), note).status_code == 403
    assert client_for(cast.patient_p.user).post(follow_up_url(over), note).status_code == 403
    assert client_for(cast.patient_q.user).get(page_url(over)).status_code == 403
    anonymous = Client().post(follow_up_url(over), note)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(cast.front_desk_a).get(follow_up_url(over)).status_code == 405
    # Clinic A's patient at clinic B, and clinic B's patient at clinic A: neither is A's desk's.
    at_b = reverse("booking:staff_attendance", args=[cast.patient_p.pk, cast.clinic_b.slug])
    q_at_a = reverse("booking:staff_attendance", args=[cast.patient_q.pk, cast.clinic_a.slug])
    assert client_for(cast.front_desk_a).get(at_b).status_code == 404
    assert client_for(cast.front_desk_a).get(q_at_a).status_code == 404
    assert not AttendanceFollowUp.objects.exists()


def test_the_portal_says_when_cancelling_would_be_late(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    penny = calendar.cast.patient_p
    soon = visit(calendar, penny, NOW + dt.timedelta(hours=5))
    later = visit(calendar, penny, at(calendar, dt.date(2031, 3, 12)))
    client = client_for(penny.user)
    page = client.get(reverse("portal:cancel_appointment", args=[soon.pk])).content.decode()
    assert "less than 24 hours away, so cancelling it now counts as a late cancellation" in page
    assert "allows 2 visits missed or cancelled late in 90 days" in page
    page = client.get(reverse("portal:cancel_appointment", args=[later.pk])).content.decode()
    assert "Cancelling now is in good time" in page and "late cancellation" not in page


def test_the_cancellation_email_says_plainly_when_it_was_late(calendar: Calendar) -> None:
    penny = calendar.cast.patient_p
    late = phoned_late(calendar, visit(calendar, penny, at(calendar, days_ago(3))),
                       dt.timedelta(hours=2))  # fmt: skip
    in_time = phoned_late(calendar, visit(calendar, penny, at(calendar, days_ago(3), "11:00")),
                          dt.timedelta(days=2))  # fmt: skip
    body = OutboxEmail.objects.get(kind="cancellation", appointment=late).body
    assert "counts as a late cancellation under our attendance policy" in body
    assert "allows 2 missed or late-cancelled visits in 90 days" in body
    assert "late" not in OutboxEmail.objects.get(kind="cancellation", appointment=in_time).body


def test_the_appointment_page_says_who_cancelled(calendar: Calendar) -> None:
    cast = calendar.cast
    late = phoned_late(calendar, visit(calendar, cast.patient_p, at(calendar, days_ago(3))),
                       dt.timedelta(hours=2))  # fmt: skip
    page = client_for(cast.front_desk_a).get(reverse("booking:staff_appointment", args=[late.pk]))
    assert CancelledBy.PATIENT_BY_PHONE.label in page.content.decode()
    assert "late, inside the change notice at the time" in page.content.decode()


def test_the_manager_edits_the_policy_in_the_admin_within_bounds(calendar: Calendar) -> None:
    """There is no other page for a clinic's settings: the scoped admin shows both fields,
    and values out of bounds are a message there and refused by the database too."""
    cast = calendar.cast
    client = Client()
    client.force_login(cast.manager)
    page = client.get(reverse("admin:clinics_clinic_change", args=[cast.clinic_a.pk]))
    assert b'name="attendance_window_days"' in page.content
    assert b'name="attendance_allowed"' in page.content
    clinic = Clinic.objects.get(pk=cast.clinic_a.pk)
    for window, allowed in ((0, 2), (731, 2), (90, 51)):
        clinic.attendance_window_days, clinic.attendance_allowed = window, allowed
        with pytest.raises(ValidationError):
            clinic.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            clinic.save(update_fields=["attendance_window_days", "attendance_allowed"])
