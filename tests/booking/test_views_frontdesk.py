"""Front desk: book for someone, move, cancel, mark, reserve a series; questions; outbox."""

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.attacks import hostile
from tests.booking.test_views_calendar import appointment, signed_in
from tests.calendar import NOW, Calendar, local, works_weekdays
from tests.clock import stopped_at
from tests.paperwork import support as paperwork
from unknot.booking.models import (
    Appointment,
    AppointmentSeries,
    ContactQuestion,
    QuestionStatus,
    Status,
)
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.models import Patient

TUESDAY = dt.date(2031, 3, 4)
WEDNESDAY = dt.date(2031, 3, 5)
THURSDAY = dt.date(2031, 3, 6)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Pinned before anyone signs in, so sessions and bookings share the same "now"."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def booking_data(cal: Calendar, **overrides: Any) -> dict[str, Any]:
    data = {
        "patient": cal.cast.patient_p.pk,
        "appointment_type": cal.evaluation_a.pk,
        "therapist": cal.cast.therapist_a.staff_member.pk,
        "date": TUESDAY.isoformat(),
        "time": "10:00",
    }
    return data | overrides


def book_url(cal: Calendar) -> str:
    return reverse("booking:staff_book", args=[cal.cast.clinic_a.slug])


def booked_at(cal: Calendar, day: dt.date = TUESDAY, hhmm: str = "10:00") -> Appointment:
    cast = cal.cast
    return appointment(
        cal.evaluation_a, cast.therapist_a, cast.patient_p, local(cast.clinic_a, day, hhmm)
    )


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Booking on someone's behalf


def test_front_desk_books_for_a_patient(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar)
    )
    made = Appointment.objects.get()
    assert made.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")
    assert made.status == Status.BOOKED and made.source == "staff"
    assert made.booked_by == calendar.cast.front_desk_a
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:staff_day", args=["clinic-a", TUESDAY])
    assert OutboxEmail.objects.filter(kind="confirmation", appointment=made).exists()


def test_booking_form_is_prefilled_from_a_free_time(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).get(
        book_url(calendar), {"time": "08:15", "date": TUESDAY.isoformat()}
    )
    assert response.status_code == 200
    assert b'value="08:15"' in response.content


def test_a_taken_time_says_so_and_books_nothing(calendar: Calendar) -> None:
    booked_at(calendar)
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar)
    )
    assert response.status_code == 200
    assert b"that time was just taken" in response.content
    assert Appointment.objects.count() == 1


def test_a_refused_time_shows_the_reason(calendar: Calendar) -> None:
    sunday = dt.date(2031, 3, 16)
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, date=sunday.isoformat())
    )
    assert response.status_code == 200
    assert b"errorlist nonfield" in response.content
    assert not Appointment.objects.exists()


def test_a_time_skipped_by_the_clocks_is_refused(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, date="2031-03-09", time="02:30")
    )
    assert b"2:30 AM does not exist on Mar 9, 2031" in response.content
    assert not Appointment.objects.exists()


def test_bad_input_changes_nothing(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, date="someday", time="")
    )
    assert response.status_code == 200
    assert b"Enter a valid date" in response.content
    assert not Appointment.objects.exists()


def test_cannot_book_a_patient_of_another_clinic(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, patient=calendar.cast.patient_q.pk)
    )
    assert b"Select a valid choice" in response.content
    assert not Appointment.objects.exists()


def test_booking_access(calendar: Calendar) -> None:
    cast, url, data = calendar.cast, book_url(calendar), booking_data(calendar)
    assert signed_in(cast.therapist_b).post(url, data).status_code == 404
    assert signed_in(cast.auditor).post(url, data).status_code == 403
    assert signed_in(cast.patient_p.user).post(url, data).status_code == 403
    assert_login_redirect(Client().post(url, data))
    assert signed_in(cast.front_desk_a).put(url, data).status_code == 405
    assert not Appointment.objects.exists()


# Changing a booking: move, cancel, mark


def test_move_to_a_free_time(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    url = reverse("booking:staff_move", args=[visit.pk])
    data = {"date": WEDNESDAY.isoformat(), "time": "14:00", "therapist": visit.therapist_id}
    response = signed_in(calendar.cast.front_desk_a).post(url, data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, WEDNESDAY, "14:00")


def test_move_onto_a_taken_time_changes_nothing(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    booked_at(calendar, WEDNESDAY, "14:00")
    url = reverse("booking:staff_move", args=[visit.pk])
    data = {"date": WEDNESDAY.isoformat(), "time": "14:00", "therapist": visit.therapist_id}
    response = signed_in(calendar.cast.front_desk_a).post(url, data)
    assert response.status_code == 200
    assert b"that time was just taken" in response.content
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")


def test_cancel_with_a_reason(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    url = reverse("booking:staff_cancel", args=[visit.pk])
    data = {"reason": "patient called", "cancelled_by": "patient_by_phone"}
    response = signed_in(calendar.cast.front_desk_a).post(url, data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED and visit.cancel_reason == "patient called"
    assert visit.cancelled_by == "patient_by_phone"


def test_cancelling_twice_is_explained(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    visit.status = Status.CANCELLED
    visit.save()
    response = signed_in(calendar.cast.front_desk_a).post(
        reverse("booking:staff_cancel", args=[visit.pk]), {"cancelled_by": "clinic"}
    )
    assert response.status_code == 200
    assert b"Only a booked appointment can be cancelled" in response.content


@pytest.mark.parametrize("status", [Status.ARRIVED, Status.NO_SHOW, Status.COMPLETED])
def test_mark(calendar: Calendar, status: str, monkeypatch: pytest.MonkeyPatch) -> None:
    visit = booked_at(calendar)
    stopped_at(visit.start + dt.timedelta(minutes=20), monkeypatch)  # during the visit
    response = signed_in(calendar.cast.therapist_a).post(
        reverse("booking:staff_mark", args=[visit.pk]), {"status": status}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == status


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.ARRIVED, "marked arrived only on the day of the visit (Mar 4, 2031)"),
        (Status.NO_SHOW, "The visit has not started yet: it can be marked &quot;did not attend"),
        (Status.COMPLETED, "it can be marked &quot;completed&quot; only once it begins"),
    ],
)
def test_mark_too_early_is_refused_in_words(calendar: Calendar, status: str, words: str) -> None:
    visit = booked_at(calendar)  # Tuesday 10:00; the clock says Monday
    response = signed_in(calendar.cast.front_desk_a).post(
        reverse("booking:staff_mark", args=[visit.pk]), {"status": status}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


def test_the_appointment_page_offers_only_the_marks_that_make_sense(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = booked_at(calendar)
    url = reverse("booking:staff_appointment", args=[visit.pk])
    before = signed_in(calendar.cast.front_desk_a).get(url).content.decode()
    assert 'value="arrived"' not in before and 'value="no_show"' not in before
    stopped_at(visit.start - dt.timedelta(hours=1), monkeypatch)  # the morning of the visit
    morning = signed_in(calendar.cast.front_desk_a).get(url).content.decode()
    assert 'value="arrived"' in morning and 'value="completed"' not in morning
    stopped_at(visit.start + dt.timedelta(minutes=5), monkeypatch)
    started = signed_in(calendar.cast.front_desk_a).get(url).content.decode()
    assert 'value="no_show"' in started and 'value="completed"' in started


def test_mark_refuses_an_unknown_status(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    response = signed_in(calendar.cast.therapist_a).post(
        reverse("booking:staff_mark", args=[visit.pk]), {"status": "cancelled"}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("booking:staff_move", {"date": "2031-03-05", "time": "14:00"}),
        ("booking:staff_cancel", {"reason": "x"}),
        ("booking:staff_mark", {"status": "arrived"}),
    ],
)
def test_change_access(calendar: Calendar, view: str, data: dict[str, str]) -> None:
    cast = calendar.cast
    visit = booked_at(calendar)
    url = reverse(view, args=[visit.pk])
    assert signed_in(cast.therapist_b).post(url, data).status_code == 404
    missing = reverse(view, args=[visit.pk + 1000])
    assert signed_in(cast.front_desk_a).post(missing, data).status_code == 404
    assert signed_in(cast.auditor).post(url, data).status_code == 403
    assert signed_in(cast.patient_p.user).post(url, data).status_code == 403
    assert_login_redirect(Client().post(url, data))
    assert signed_in(cast.front_desk_a).delete(url).status_code == 405
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED and visit.start == local(cast.clinic_a, TUESDAY, "10:00")


def test_appointment_page(calendar: Calendar) -> None:
    cast = calendar.cast
    visit = booked_at(calendar)
    url = reverse("booking:staff_appointment", args=[visit.pk])
    writer = signed_in(cast.front_desk_a).get(url)
    assert b"Penny Parker" in writer.content and b"Move the appointment" in writer.content
    reader = signed_in(cast.auditor).get(url)
    assert reader.status_code == 200 and b"Move the appointment" not in reader.content
    outsider = signed_in(cast.therapist_b).get(url)
    assert outsider.status_code == 404 and b"Parker" not in outsider.content
    assert signed_in(cast.front_desk_a).post(url).status_code == 405


def test_patient_appointments_page(calendar: Calendar) -> None:
    cast = calendar.cast
    booked_at(calendar)
    url = reverse("booking:staff_patient_appointments", args=[cast.patient_p.pk])
    page = signed_in(cast.auditor).get(url)
    assert page.status_code == 200 and b"Mar 4, 2031, 10:00 AM EST" in page.content
    assert signed_in(cast.therapist_b).get(url).status_code == 404
    assert signed_in(cast.patient_p.user).get(url).status_code == 403


# A plan-of-care series


def series_url(cal: Calendar) -> str:
    return reverse("booking:staff_series", args=[cal.cast.clinic_a.slug])


def series_data(cal: Calendar, **overrides: Any) -> dict[str, Any]:
    data = {
        "patient": cal.cast.patient_p.pk,
        "appointment_type": cal.follow_up_a.pk,
        "therapist": cal.cast.therapist_a.staff_member.pk,
        "first_day": "2031-03-10",
        "weekdays": ["0", "3"],  # Monday and Thursday
        "local_time": "09:00",
        "weeks": "3",
        "visits": "",
        "description": "Twice a week for three weeks",
    }
    return data | overrides


def test_series_books_every_visit(calendar: Calendar) -> None:
    response = signed_in(calendar.cast.front_desk_a).post(
        series_url(calendar), series_data(calendar)
    )
    assert response.status_code == 302
    visits = list(Appointment.objects.order_by("start"))
    assert len(visits) == 6
    new_york = zoneinfo.ZoneInfo("America/New_York")
    walls = {v.start.astimezone(new_york).strftime("%a %H:%M") for v in visits}
    assert walls == {"Mon 09:00", "Thu 09:00"}
    assert AppointmentSeries.objects.get().description == "Twice a week for three weeks"


def test_series_conflicts_are_named_and_nothing_is_booked(calendar: Calendar) -> None:
    cast = calendar.cast
    blocker = booked_at(calendar, dt.date(2031, 3, 13), "09:00")  # the first Thursday
    data = series_data(calendar, weekdays=["0", "3", "5"], weeks="2")  # and Saturdays
    response = signed_in(cast.front_desk_a).post(series_url(calendar), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 visits do not fit" in text
    assert "Thursday, March 13, 2031" in text
    assert "Saturday, March 15, 2031" in text and "Saturday, March 22, 2031" in text
    assert "Nothing was booked" in text
    conflicts = response.context["conflicts"]
    thursday = next(c for c in conflicts if c.day == dt.date(2031, 3, 13))
    assert thursday.alternative is not None
    assert thursday.alternative.start_utc.astimezone(blocker.start.tzinfo) != blocker.start
    assert list(Appointment.objects.all()) == [blocker]
    assert not AppointmentSeries.objects.exists()


def test_series_needs_a_length(calendar: Calendar) -> None:
    data = series_data(calendar, weeks="", visits="")
    response = signed_in(calendar.cast.front_desk_a).post(series_url(calendar), data)
    assert b"Give a number of weeks or a number of visits" in response.content
    assert not Appointment.objects.exists()


def test_series_by_number_of_visits(calendar: Calendar) -> None:
    data = series_data(calendar, weeks="", visits="5")
    response = signed_in(calendar.cast.front_desk_a).post(series_url(calendar), data)
    assert response.status_code == 302
    assert Appointment.objects.count() == 5


def test_a_series_lists_nobody_before_a_search_then_the_matches(calendar: Calendar) -> None:
    """A chain's clinics have tens of thousands of patients: the series page, like the booking
    page, shows only those the desk's words find, and keeps the pattern typed so far."""
    cast = calendar.cast
    factories.patient("Parkeresque", "Other", cast.clinic_b)  # another clinic's: never shown
    client = signed_in(cast.front_desk_a)
    first = client.get(series_url(calendar)).content.decode()
    assert "Penny Parker" not in first and "Find the patient first" in first
    typed = series_data(calendar, patient="", find="parker", find_patient="1")
    page = client.post(series_url(calendar), typed).content.decode()
    assert f'value="{cast.patient_p.pk}"' in page and "Penny Parker" in page
    assert "Parkeresque" not in page
    assert 'value="2031-03-10"' in page and "checked" in page  # the pattern is kept
    assert "errorlist" not in page and not Appointment.objects.exists()


def test_series_access(calendar: Calendar) -> None:
    cast, url, data = calendar.cast, series_url(calendar), series_data(calendar)
    assert signed_in(cast.therapist_b).post(url, data).status_code == 404
    assert signed_in(cast.auditor).post(url, data).status_code == 403
    assert signed_in(cast.patient_p.user).post(url, data).status_code == 403
    assert_login_redirect(Client().post(url, data))
    assert signed_in(cast.front_desk_a).put(url, data).status_code == 405
    assert not Appointment.objects.exists()


# Questions from the website and the outbox


def question(cal: Calendar, clinic: Any = None, name: str = "Asker") -> ContactQuestion:
    return ContactQuestion.objects.create(
        clinic=clinic or cal.cast.clinic_a,
        name=name,
        email="asker@test.example",
        message="Is parking available?",
        sender_fingerprint="f" * 64,
    )


def test_questions_list_only_my_clinics(calendar: Calendar) -> None:
    question(calendar, name="Alder Asker")
    question(calendar, calendar.cast.clinic_b, name="Birch Asker")
    response = signed_in(calendar.cast.auditor).get(reverse("booking:staff_questions"))
    assert b"Alder Asker" in response.content and b"Birch Asker" not in response.content
    assert b"Change status" not in response.content  # the auditor only reads


def test_questions_filter_by_status(calendar: Calendar) -> None:
    question(calendar, name="Still New")
    done = question(calendar, name="Long Done")
    done.status = QuestionStatus.CLOSED
    done.save()
    client = signed_in(calendar.cast.front_desk_a)
    response = client.get(reverse("booking:staff_questions"), {"status": "closed"})
    assert b"Long Done" in response.content and b"Still New" not in response.content


def test_change_question_status(calendar: Calendar) -> None:
    asked = question(calendar)
    url = reverse("booking:staff_question_status", args=[asked.pk])
    response = signed_in(calendar.cast.front_desk_a).post(url, {"status": "answered"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == QuestionStatus.ANSWERED


def test_question_status_access(calendar: Calendar) -> None:
    cast = calendar.cast
    asked = question(calendar)
    url = reverse("booking:staff_question_status", args=[asked.pk])
    assert signed_in(cast.therapist_b).post(url, {"status": "closed"}).status_code == 404
    assert signed_in(cast.auditor).post(url, {"status": "closed"}).status_code == 403
    assert signed_in(cast.patient_p.user).post(url, {"status": "closed"}).status_code == 403
    assert_login_redirect(Client().post(url, {"status": "closed"}))
    assert signed_in(cast.front_desk_a).put(url).status_code == 405
    bad = signed_in(cast.front_desk_a).post(url, {"status": "deleted"})
    assert bad.status_code == 200 and b"Select a valid choice" in bad.content
    asked.refresh_from_db()
    assert asked.status == QuestionStatus.NEW


def outbox_row(clinic: Any, key: str, **fields: Any) -> OutboxEmail:
    defaults = {
        "kind": "reminder",
        "to": "penny@test.example",
        "subject": f"Reminder {key}",
        "body": "SECRET BODY about lumbar pain",
        "send_after": NOW,
    }
    return OutboxEmail.objects.create(key=key, clinic=clinic, **(defaults | fields))


def test_outbox_lists_subject_and_status_but_never_the_body(calendar: Calendar) -> None:
    outbox_row(
        calendar.cast.clinic_a, "a1", status=OutboxStatus.FAILED, attempts=2, last_error="SMTP 451"
    )
    outbox_row(calendar.cast.clinic_b, "b1", subject="Birch mail")
    response = signed_in(calendar.cast.auditor).get(reverse("booking:staff_outbox"))
    text = response.content.decode()
    assert "Reminder a1" in text and "Failed (will retry)" in text and "SMTP 451" in text
    assert "SECRET BODY" not in text
    assert "Birch mail" not in text


def test_outbox_filter_and_access(calendar: Calendar) -> None:
    cast = calendar.cast
    outbox_row(cast.clinic_a, "sent", status=OutboxStatus.SENT)
    outbox_row(cast.clinic_a, "gave-up", status=OutboxStatus.GAVE_UP)
    url = reverse("booking:staff_outbox")
    response = signed_in(cast.front_desk_a).get(url, {"status": "gave_up"})
    assert b"Reminder gave-up" in response.content and b"Reminder sent" not in response.content
    assert signed_in(cast.patient_p.user).get(url).status_code == 403
    assert_login_redirect(Client().get(url))
    assert signed_in(cast.front_desk_a).post(url).status_code == 405


def test_outbox_pages_go_to_older_emails_and_back(calendar: Calendar, monkeypatch) -> None:
    from unknot.booking import views_staff

    monkeypatch.setattr(views_staff, "OUTBOX_PAGE", 2)
    made = [outbox_row(calendar.cast.clinic_a, f"k{n}") for n in range(5)]  # the newest last
    client = signed_in(calendar.cast.front_desk_a)
    url = reverse("booking:staff_outbox")
    first = client.get(url)
    subjects = [email.subject for email in first.context["page"].rows]
    assert subjects == ["Reminder k4", "Reminder k3"]
    assert b"Older emails" in first.content and b"Newer emails" not in first.content
    older = client.get(url, {"cursor": first.context["page"].next})
    assert [e.pk for e in older.context["page"].rows] == [made[2].pk, made[1].pk]
    back = client.get(url, {"cursor": older.context["page"].previous})
    assert [e.subject for e in back.context["page"].rows] == subjects
    assert client.get(url, {"cursor": "not-ours"}).status_code == 400


# The calendar's moves (calendar.js): the same endpoint, answering JSON


def move_json(client: Client, visit: Appointment, data: dict[str, Any]) -> Any:
    return client.post(
        reverse("booking:staff_move", args=[visit.pk]), data, HTTP_ACCEPT="application/json"
    )


def test_a_calendar_move_to_another_time_and_therapist(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    other = factories.staff("therapist_a2", "therapist", [calendar.cast.clinic_a])
    works_weekdays(other, calendar.cast.clinic_a)
    data = {"date": TUESDAY.isoformat(), "time": "15:15", "therapist": other.staff_member.pk}
    response = move_json(signed_in(calendar.cast.front_desk_a), visit, data)
    assert response.status_code == 200
    assert response.json() == {
        "moved": True,
        "message": "Moved to Mar 4, 2031, 3:15 PM EST, with Therapist_A2 Staff.",
    }
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "15:15")
    assert visit.therapist == other.staff_member


def test_a_calendar_move_onto_a_taken_time_is_refused_in_words(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    booked_at(calendar, TUESDAY, "14:00")
    data = {"date": TUESDAY.isoformat(), "time": "14:30", "therapist": visit.therapist_id}
    response = move_json(signed_in(calendar.cast.front_desk_a), visit, data)
    assert response.status_code == 409
    assert response.json()["moved"] is False
    assert "that time was just taken" in response.json()["message"]
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")


def test_a_calendar_move_outside_working_hours_says_why(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    data = {"date": TUESDAY.isoformat(), "time": "19:00", "therapist": visit.therapist_id}
    response = move_json(signed_in(calendar.cast.front_desk_a), visit, data)
    assert response.status_code == 400
    assert response.json()["message"]  # the booking rule's own sentence
    assert "<" not in response.json()["message"]
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"date": "2031-02-30", "time": "10:00", "therapist": "1"},
        {"date": "9999-12-31", "time": "25:61", "therapist": "x"},
        {"date": "2031-03-04", "time": "10:00", "therapist": "99999999999999999999999"},
        {"date": "2031-03-04\x00", "time": "<script>", "therapist": "' OR 1=1 --"},
        {"date": "2031-03-09", "time": "02:30", "therapist": "1"},  # skipped by the clocks
    ],
)
def test_hostile_calendar_moves_are_400_and_change_nothing(
    calendar: Calendar, data: dict[str, str]
) -> None:
    visit = booked_at(calendar)
    response = move_json(signed_in(calendar.cast.front_desk_a), visit, data)
    assert response.status_code == 400
    if "\x00" not in data.get("date", ""):  # a NUL is refused by the site before any view
        assert response.json()["moved"] is False and response.json()["message"]
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")


def test_a_calendar_move_of_another_clinics_appointment_is_404(calendar: Calendar) -> None:
    cast = calendar.cast
    theirs = appointment(calendar.evaluation_b, cast.therapist_b, cast.patient_q,
                         local(cast.clinic_b, TUESDAY, "10:00"))  # fmt: skip
    data = {"date": TUESDAY.isoformat(), "time": "15:00", "therapist": cast.therapist_b.pk}
    response = move_json(signed_in(cast.front_desk_a), theirs, data)
    assert response.status_code == 404
    assert b"Quinn" not in response.content
    assert move_json(signed_in(cast.auditor), booked_at(calendar), data).status_code == 403
    theirs.refresh_from_db()
    assert theirs.start == local(cast.clinic_b, TUESDAY, "10:00")


def test_a_calendar_move_to_a_therapist_of_another_clinic_is_refused(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    data = {"date": TUESDAY.isoformat(), "time": "15:00",
            "therapist": calendar.cast.therapist_b.staff_member.pk}  # fmt: skip
    response = move_json(signed_in(calendar.cast.front_desk_a), visit, data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.json()["message"]
    visit.refresh_from_db()
    assert visit.therapist_id == calendar.cast.therapist_a.staff_member.pk


# Booking from a free time: find the patient, then book


def find(client: Client, cal: Calendar, words: str, **typed: Any) -> str:
    data = {"find": words, "find_patient": "1", "therapist": cal.cast.therapist_a.staff_member.pk,
            "date": TUESDAY.isoformat(), "time": "11:15"} | typed  # fmt: skip
    response = client.post(book_url(cal), data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "words", ["parker", "Penny Park", "02/14/1980", "2/14/1980", "555-0101", "(555) 0101"]
)
def test_the_desk_finds_the_patient_by_name_birth_date_or_phone(
    calendar: Calendar, words: str
) -> None:
    cast = calendar.cast
    Patient.objects.filter(pk=cast.patient_p.pk).update(
        date_of_birth=dt.date(1980, 2, 14), phone="+1 (555) 010-1234"
    )
    factories.patient("Parkeresque", "Other", cast.clinic_b)  # another clinic's: never shown
    page = find(signed_in(cast.front_desk_a), calendar, words)
    assert f'value="{cast.patient_p.pk}"' in page and "Penny Parker (born Feb 14, 1980)" in page
    assert "Parkeresque" not in page and "Quinn" not in page
    assert 'value="11:15"' in page  # what the free time filled in is kept
    assert "errorlist" not in page  # finding is not booking: no complaints yet


def test_nobody_is_listed_before_a_search_and_a_miss_says_so(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.front_desk_a)
    first = client.get(book_url(calendar), {"therapist": 1, "date": "2031-03-04", "time": "11:15"})
    assert "Penny Parker" not in first.content.decode()
    assert "Find the patient first" in first.content.decode()
    assert "No patient of yours matches" in find(client, calendar, "nobody-by-that-name")


def test_booking_the_found_patient_at_the_free_time(calendar: Calendar) -> None:
    cast = calendar.cast
    client = signed_in(cast.front_desk_a)
    find(client, calendar, "Parker")
    response = client.post(book_url(calendar), booking_data(calendar, time="11:15"))
    assert response.status_code == 302
    made = Appointment.objects.get()
    assert made.patient == cast.patient_p
    assert made.start == local(cast.clinic_a, TUESDAY, "11:15")


def test_a_refused_booking_keeps_the_chosen_patient_and_says_why(calendar: Calendar) -> None:
    booked_at(calendar)
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, find="Parker")
    )
    page = response.content.decode()
    assert "that time was just taken" in page
    chosen = page[page.index(f'name="patient" value="{calendar.cast.patient_p.pk}"') :]
    assert "checked" in chosen[: chosen.index(">")]
    assert Appointment.objects.count() == 1


# Insurance authorizations: warned before anything is written, booked once the desk confirms
# (coverage's hook); never a refusal


def authorised(cal: Calendar, **fields: Any) -> None:
    from tests.coverage.support import authorisation, coverage

    authorisation(cal.cast.front_desk_a, coverage(cal.cast.patient_p), **fields)


PAST_THE_DATES = (
    "Mar 4, 2031 is outside the dates authorized by Acme Health: Mar 1, 2031 to Mar 3, 2031."
)


def test_booking_past_the_authorised_dates_warns_first_and_books_nothing(
    calendar: Calendar,
) -> None:
    authorised(calendar, end_date=dt.date(2031, 3, 3))
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar)
    )
    assert response.status_code == 200
    assert not Appointment.objects.exists()
    page = response.content.decode()
    assert PAST_THE_DATES in page
    assert "Nothing is booked yet." in page
    assert 'name="confirm" value="yes">Book anyway</button>' in page
    assert 'value="10:00"' in page  # the form keeps what was typed


def test_booking_anyway_books_and_says_it_again(calendar: Calendar) -> None:
    authorised(calendar, end_date=dt.date(2031, 3, 3))
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, confirm="yes"), follow=True
    )
    assert Appointment.objects.filter(status=Status.BOOKED).count() == 1
    assert f"Insurance authorization: {PAST_THE_DATES}" in response.content.decode()


def test_booking_past_the_count_names_the_count(calendar: Calendar) -> None:
    authorised(calendar, authorised=1)
    booked_at(calendar, WEDNESDAY, "10:00")  # the one authorized visit
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, date=THURSDAY.isoformat())
    )
    assert "This would be visit 2 of 1 authorized by Acme Health." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_booking_within_the_authorisation_books_without_asking(calendar: Calendar) -> None:
    authorised(calendar)
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar), follow=True
    )
    assert Appointment.objects.count() == 1
    assert "Insurance authorization" not in response.content.decode()


def test_an_invalid_form_shows_its_errors_not_the_warning(calendar: Calendar) -> None:
    authorised(calendar, end_date=dt.date(2031, 3, 3))
    response = signed_in(calendar.cast.front_desk_a).post(
        book_url(calendar), booking_data(calendar, therapist="", confirm="yes")
    )
    assert response.status_code == 200
    assert "Book anyway" not in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_series_names_the_visits_outside_before_reserving(calendar: Calendar) -> None:
    authorised(calendar, authorised=4, end_date=dt.date(2031, 3, 24))
    response = signed_in(calendar.cast.front_desk_a).post(
        series_url(calendar), series_data(calendar)
    )
    assert response.status_code == 200
    assert not Appointment.objects.exists()
    page = response.content.decode()
    assert "2 visits of this series fall outside what was authorized." in page
    assert "<li>Mar 24, 2031: This would be visit 5 of 4 authorized by Acme Health.</li>" in page
    assert "Mar 27, 2031 is outside the dates authorized" in page
    assert "Mar 20, 2031:" not in page
    assert "Reserve anyway</button>" in page


def test_a_series_reserved_anyway_books_every_visit_and_names_those_outside(
    calendar: Calendar,
) -> None:
    authorised(calendar, authorised=4, end_date=dt.date(2031, 3, 24))
    response = signed_in(calendar.cast.front_desk_a).post(
        series_url(calendar), series_data(calendar, confirm="yes"), follow=True
    )
    assert Appointment.objects.count() == 6
    page = response.content.decode()
    assert "2 visits of this series fall outside what was authorized." in page
    assert "Mar 24, 2031: This would be visit 5 of 4 authorized by Acme Health." in page


def move_data(visit: Appointment, day: dt.date, **overrides: Any) -> dict[str, Any]:
    return {"date": day.isoformat(), "time": "14:00", "therapist": visit.therapist_id} | overrides


def test_moving_past_the_authorised_dates_warns_first_and_moves_nothing(
    calendar: Calendar,
) -> None:
    visit = booked_at(calendar)
    authorised(calendar, end_date=dt.date(2031, 3, 4))
    client = signed_in(calendar.cast.front_desk_a)
    url = reverse("booking:staff_move", args=[visit.pk])
    response = client.post(url, move_data(visit, WEDNESDAY))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mar 5, 2031 is outside the dates authorized by Acme Health" in page
    assert "Move anyway</button>" in page
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")
    moved = client.post(url, move_data(visit, WEDNESDAY, confirm="yes"), follow=True)
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, WEDNESDAY, "14:00")
    assert "Insurance authorization: Mar 5, 2031 is outside" in moved.content.decode()


def test_a_move_within_its_day_or_inside_the_count_asks_nothing(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    authorised(calendar, authorised=1)  # the visit itself is the one authorized
    client = signed_in(calendar.cast.front_desk_a)
    url = reverse("booking:staff_move", args=[visit.pk])
    assert client.post(url, move_data(visit, TUESDAY)).status_code == 302
    assert client.post(url, move_data(visit, WEDNESDAY)).status_code == 302  # not counted twice
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, WEDNESDAY, "14:00")


def test_a_calendar_move_past_the_authorisation_asks_to_confirm(calendar: Calendar) -> None:
    visit = booked_at(calendar)
    authorised(calendar, end_date=dt.date(2031, 3, 4))
    client = signed_in(calendar.cast.front_desk_a)
    response = move_json(client, visit, move_data(visit, WEDNESDAY))
    assert response.status_code == 409
    answer = response.json()
    assert answer["moved"] is False and answer["confirm"] is True
    assert answer["message"].startswith("Insurance authorization: Mar 5, 2031 is outside")
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, TUESDAY, "10:00")
    confirmed = move_json(client, visit, move_data(visit, WEDNESDAY, confirm="yes"))
    assert confirmed.json()["moved"] is True
    visit.refresh_from_db()
    assert visit.start == local(calendar.cast.clinic_a, WEDNESDAY, "14:00")


ALL_FORMS = (
    "Consent to treat, Notice of privacy practices acknowledgement, "
    "Financial and cancellation policy"
)


def test_checking_in_warns_of_forms_not_signed(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    paperwork.with_default_documents()
    visit = booked_at(calendar)
    stopped_at(visit.start - dt.timedelta(hours=1), monkeypatch)  # the morning of the visit
    client = signed_in(calendar.cast.front_desk_a)
    page = client.get(reverse("booking:staff_appointment", args=[visit.pk])).content.decode()
    assert f"<strong>Forms not signed:</strong> {ALL_FORMS}." in page
    marked = client.post(
        reverse("booking:staff_mark", args=[visit.pk]), {"status": "arrived"}, follow=True
    )
    assert f"Forms not signed: {ALL_FORMS}." in marked.content.decode()


def test_checking_in_with_every_form_signed_says_nothing_of_forms(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path  # where the signed copies are kept
    paperwork.with_default_documents()
    visit = booked_at(calendar)
    for kind in ("consent", "privacy", "financial"):
        paperwork.signed(calendar.cast.front_desk_a, visit.patient, kind)
    stopped_at(visit.start - dt.timedelta(hours=1), monkeypatch)
    marked = signed_in(calendar.cast.front_desk_a).post(
        reverse("booking:staff_mark", args=[visit.pk]), {"status": "arrived"}, follow=True
    )
    page = marked.content.decode()
    assert "Marked as arrived." in page and "Forms not signed" not in page


@pytest.mark.parametrize("value", hostile.STRINGS)
def test_hostile_confirm_values_never_answer_a_server_error(calendar: Calendar, value: str) -> None:
    """The confirm field of the booking, series and move forms (shown only with a warning,
    so the walk of every URL does not meet it) with every hostile string: any answer but a
    5xx. A NUL is refused by the middleware; anything else is a yes or a no."""
    authorised(calendar, end_date=dt.date(2031, 3, 3))
    client = Client(raise_request_exception=False)
    client.force_login(calendar.cast.front_desk_a)
    visit = booked_at(calendar, WEDNESDAY, "09:00")
    answers = [
        client.post(book_url(calendar), booking_data(calendar, confirm=value)),
        client.post(series_url(calendar), series_data(calendar, confirm=value)),
        client.post(
            reverse("booking:staff_move", args=[visit.pk]),
            move_data(visit, THURSDAY, confirm=value),
        ),
        move_json(client, visit, move_data(visit, THURSDAY, time="15:00", confirm=value)),
    ]
    assert [answer.status_code for answer in answers if answer.status_code >= 500] == []
