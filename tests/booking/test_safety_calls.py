"""Calls before the visit: an online "call first" answer becomes a task staff must finish.

The booking keeps the question and the answer that led to it, the task shows wherever staff
look (appointment, day and week calendars, the front desk's list, the caseload, the chart),
the clinic is alerted before the visit while it is open, and only a member of staff with write
rights at the clinic closes it, with an outcome and a note.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.booking.test_views_calendar import QUERY_BUDGET, fill_week, signed_in
from tests.booking.test_views_public import Clock, book
from tests.calendar import NOW, Calendar, local
from tests.concurrency import race
from tests.plans.test_clinical_pages import CHART_QUERIES, LIST_QUERIES
from tests.plans.test_clinical_pages import _fill as fill_caseload
from tests.web import matrix_clinical as mc
from unknot.audit.models import Action, AuditEvent
from unknot.booking import prescreen, safety_calls, services
from unknot.booking.models import CALL_NOTE_MAX, Appointment, CallStatus, SafetyCall, Status
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.models import Patient

TUESDAY = NOW.date() + dt.timedelta(days=1)  # 2031-03-04; clinic A is in New York (EST)
CANCER = "Have you ever had cancer?"
CLINIC_EMAIL = "desk@alder.example"
NO = {q.name: False for q in prescreen.QUESTIONS}
NOTE = "Spoke with her: breast cancer treated in 2019, discharged from oncology. Fine to come."


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Pinned before anyone signs in, so sessions, bookings and alerts share one "now"."""
    from django.utils import timezone

    fixed = Clock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


@pytest.fixture
def cal(calendar: Calendar) -> Calendar:
    """The persona calendar, with an address at clinic A for the clinic's alerts."""
    calendar.cast.clinic_a.email = CLINIC_EMAIL
    calendar.cast.clinic_a.save(update_fields=["email"])
    return calendar


def booked_with_answers(cal: Calendar, hhmm: str = "10:00", **yes: bool) -> Appointment:
    """An online booking for patient P on Tuesday, through the services the public flow uses."""
    start = local(cal.cast.clinic_a, TUESDAY, hhmm)
    held = services.hold_slot(
        clinic=cal.cast.clinic_a,
        appointment_type=cal.evaluation_a,
        therapist_id=None,
        start=start,
        now=NOW,
    )
    screen = prescreen.screen(NO | yes)
    return services.confirm_hold(
        hold_id=held.pk, patient=cal.cast.patient_p, now=NOW, screen=screen
    )


def open_call(cal: Calendar, hhmm: str = "10:00") -> SafetyCall:
    return booked_with_answers(cal, hhmm, cancer=True).safety_calls.get()


def task_url(call: SafetyCall) -> str:
    return reverse("booking:staff_safety_call", args=[call.pk])


def complete_url(call: SafetyCall) -> str:
    return reverse("booking:staff_safety_call_complete", args=[call.pk])


def alerts() -> Any:
    return OutboxEmail.objects.filter(kind="call_first_alert")


# ---- the pre-screen says which answers led to "call first" -------------------------------------


def test_the_screen_names_the_yes_answers_that_led_to_call_first() -> None:
    result = prescreen.screen(NO | {"cancer": True, "fever": True})
    assert result.call_first and "RF-CANCER" in result.fired_rule_ids
    # A fever alone fires no rule, so it did not lead to "call first" and is not kept.
    assert [q.text for q in result.yes_questions] == [CANCER]
    both = prescreen.screen(NO | {"cancer": True, "weight_loss": True})
    assert [q.name for q in both.yes_questions] == ["cancer", "weight_loss"]
    assert prescreen.screen(NO).yes_questions == ()
    assert not prescreen.screen(NO | {"fever": True}).call_first


# ---- recorded with the booking ------------------------------------------------------------------


def test_an_online_booking_with_a_cancer_answer_keeps_the_question_and_answer(
    cal: Calendar,
) -> None:
    response = book(Client(), cal, local(cal.cast.clinic_a, TUESDAY, "10:00"), cancer="yes")
    booked = Appointment.objects.get(status=Status.BOOKED)
    call = SafetyCall.objects.get()
    assert call.appointment == booked and call.patient == booked.patient
    assert call.clinic == cal.cast.clinic_a and call.status == CallStatus.OPEN
    assert call.questions == [{"question": CANCER, "answer": "Yes"}]
    assert call.fired_rule_ids == ["RF-CANCER"]
    assert call.created_at == NOW
    assert response["Location"] == reverse("booking:book_done", args=[cal.cast.clinic_a.slug])


def test_the_done_page_still_says_we_will_call(cal: Calendar) -> None:
    web = Client()
    response = book(web, cal, local(cal.cast.clinic_a, TUESDAY, "10:00"), cancer="yes")
    text = web.get(response["Location"]).content.decode()
    assert "Your therapist will call you before your visit." in text


def test_a_booking_without_a_call_first_answer_files_no_task(cal: Calendar) -> None:
    book(Client(), cal, local(cal.cast.clinic_a, TUESDAY, "10:00"))
    assert Appointment.objects.get().status == Status.BOOKED
    assert not SafetyCall.objects.exists() and not alerts().exists()


def test_the_task_is_created_with_an_audit_row(cal: Calendar) -> None:
    call = open_call(cal)
    row = AuditEvent.objects.get(object_type="safety_call", action=Action.CREATE)
    assert row.object_id == str(call.pk) and row.reason == "call_first"
    assert row.patient_id == cal.cast.patient_p.pk and row.clinic_id == cal.cast.clinic_a.pk


def test_nothing_is_half_written_when_the_task_cannot_be_filed(
    cal: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox is gone")

    monkeypatch.setattr("unknot.booking.notifications.queue_call_first_alert", broken)
    web, patients = Client(), Patient.objects.count()
    with pytest.raises(RuntimeError):
        book(web, cal, local(cal.cast.clinic_a, TUESDAY, "10:00"), cancer="yes")
    assert Appointment.objects.get().status == Status.HELD, "the booking was rolled back"
    assert Patient.objects.count() == patients
    assert not SafetyCall.objects.exists() and not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


# ---- the clinic's alert -------------------------------------------------------------------------


def test_the_alert_is_queued_for_a_day_before_the_visit_without_clinical_detail(
    cal: Calendar,
) -> None:
    call = open_call(cal)
    alert = alerts().get()
    assert alert.to == CLINIC_EMAIL and alert.status == OutboxStatus.QUEUED
    assert alert.send_after == call.appointment.start - dt.timedelta(hours=24)
    assert task_url(call) in alert.body
    assert "Tuesday, March 4, 2031, 10:00 AM EST (America/New_York)" in alert.body
    for clinical in ("cancer", "Cancer", "RF-", "Yes", "Penny", "Parker"):
        assert clinical not in alert.body and clinical not in alert.subject


@pytest.mark.parametrize(("hours", "due"), [(2, "08:00"), (48, None)])
def test_the_alert_lead_is_a_setting_and_never_before_now(
    cal: Calendar, settings: Any, hours: int, due: str | None
) -> None:
    settings.UNKNOT_CALL_FIRST_ALERT_HOURS = hours
    open_call(cal)
    expected = local(cal.cast.clinic_a, TUESDAY, due) if due else NOW
    assert alerts().get().send_after == expected


def test_a_clinic_without_an_email_gets_the_task_but_no_alert(calendar: Calendar) -> None:
    call = open_call(calendar)
    assert call.status == CallStatus.OPEN and not alerts().exists()


def test_cancelling_the_visit_cancels_the_alert_but_not_the_task(cal: Calendar) -> None:
    call = open_call(cal)
    services.appointment_cancel(by=cal.cast.front_desk_a, appointment=call.appointment, now=NOW)
    assert alerts().get().status == OutboxStatus.CANCELLED
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_moving_the_visit_moves_the_alert_and_keeps_the_task(cal: Calendar) -> None:
    call = open_call(cal)
    first, later = call.appointment.start, local(cal.cast.clinic_a, TUESDAY, "15:00")
    for start in (later, first):  # away, and back to the first time
        services.appointment_move(
            by=cal.cast.front_desk_a, appointment=call.appointment, new_start=start, now=NOW
        )
        *old, new = alerts().order_by("pk")
        assert {o.status for o in old} == {OutboxStatus.CANCELLED}
        assert new.status == OutboxStatus.QUEUED
        assert new.send_after == start - dt.timedelta(hours=24)
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


# ---- completing the task ------------------------------------------------------------------------


def test_front_desk_records_the_call_and_the_alert_is_cancelled(cal: Calendar) -> None:
    call = open_call(cal)
    desk = signed_in(cal.cast.front_desk_a)
    response = desk.post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    assert response.status_code == 302 and response["Location"] == task_url(call)
    call.refresh_from_db()
    assert call.status == CallStatus.DONE and call.outcome == "cleared"
    assert call.outcome_note == NOTE and call.done_at == NOW
    assert call.done_by == cal.cast.front_desk_a.staff_member
    assert alerts().get().status == OutboxStatus.CANCELLED
    page = desk.get(task_url(call)).content.decode()
    assert "Cleared to attend" in page and "cleared" not in page.replace("Cleared", "")
    assert NOTE in page and "Record the call</button>" not in page


def test_completion_and_the_task_page_are_audited(cal: Calendar) -> None:
    call = open_call(cal)
    desk = signed_in(cal.cast.front_desk_a)
    desk.get(task_url(call))
    desk.post(complete_url(call), {"outcome": "sent_to_doctor", "note": NOTE})
    rows = AuditEvent.objects.filter(object_type="safety_call", object_id=str(call.pk))
    read = rows.filter(action=Action.READ, actor_id=cal.cast.front_desk_a.pk)
    assert read.exists() and read.first().patient_id == cal.cast.patient_p.pk
    done = rows.get(action=Action.UPDATE)
    assert done.reason == "call_done" and done.actor_id == cal.cast.front_desk_a.pk


@pytest.mark.parametrize("persona", ["therapist_a", "manager"])
def test_therapists_and_managers_may_record_the_call_too(cal: Calendar, persona: str) -> None:
    call = open_call(cal)
    user = cal.cast.users[persona]
    signed_in(user).post(complete_url(call), {"outcome": "rebooked", "note": "Moved to Friday."})
    call.refresh_from_db()
    assert call.status == CallStatus.DONE and call.done_by == user.staff_member


BAD_INPUT = [
    ({"note": NOTE}, "Please choose what came of the call."),
    ({"outcome": "cleared"}, "Please write a note of the call."),
    ({"outcome": "cleared", "note": "   \n  "}, "Please write a note of the call."),
    ({"outcome": "cleared_by_magic", "note": NOTE}, "Please choose one of the outcomes shown."),
    ({"outcome": "", "note": ""}, "Please choose what came of the call."),
    ({"outcome": "cleared", "note": "x" * (CALL_NOTE_MAX + 1)}, "under 2000 characters"),
    ({"outcome": ["cleared", "rebooked"], "note": NOTE * 40}, "under 2000 characters"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_or_hostile_input_shows_the_form_again_and_changes_nothing(
    cal: Calendar, data: dict[str, Any], message: str
) -> None:
    call = open_call(cal)
    client = signed_in(cal.cast.front_desk_a)
    client.raise_request_exception = False
    response = client.post(complete_url(call), data)
    assert response.status_code == 200, "a form error, never a server error"
    text = response.content.decode()
    assert message in text and 'role="alert"' in text
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and call.outcome == "" and call.outcome_note == ""
    assert alerts().get().status == OutboxStatus.QUEUED
    assert not AuditEvent.objects.filter(object_type="safety_call", action=Action.UPDATE).exists()


def test_a_nul_in_the_note_is_refused_before_the_form_and_changes_nothing(cal: Calendar) -> None:
    """The bad-input middleware answers 400 before any view runs (docs/security.md)."""
    call = open_call(cal)
    response = signed_in(cal.cast.front_desk_a).post(
        complete_url(call), {"outcome": "cleared", "note": "a\x00b"}
    )
    assert response.status_code == 400
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and call.outcome_note == ""


def test_a_call_recorded_meanwhile_is_not_recorded_twice(cal: Calendar) -> None:
    call = open_call(cal)
    first, second = signed_in(cal.cast.front_desk_a), signed_in(cal.cast.therapist_a)
    first.post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    response = second.post(complete_url(call), {"outcome": "rebooked", "note": "Other note."})
    assert response.status_code == 200
    assert "already been recorded by someone else" in response.content.decode()
    call.refresh_from_db()
    assert call.outcome == "cleared" and call.done_by == cal.cast.front_desk_a.staff_member


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_people_recording_the_same_call_at_once_record_it_once(cal: Calendar) -> None:
    call = open_call(cal)
    people = [cal.cast.front_desk_a, cal.cast.therapist_a, cal.cast.manager]

    def record(i: int) -> str:
        mine = SafetyCall.objects.get(pk=call.pk)  # each read it while it was still open
        try:
            safety_calls.safety_call_complete(
                by=people[i], call=mine, outcome="cleared", note=f"Note {i}", now=NOW
            )
        except safety_calls.CallRefused:
            return "refused"
        return "recorded"

    assert race(record, len(people)) == {"recorded": 1, "refused": 2}
    updates = AuditEvent.objects.filter(object_type="safety_call", action=Action.UPDATE)
    assert updates.count() == 1
    assert alerts().get().status == OutboxStatus.CANCELLED


def test_the_service_refuses_read_only_and_outsiders_and_checks_its_input(cal: Calendar) -> None:
    call = open_call(cal)
    for who in (cal.cast.auditor, cal.cast.therapist_b, cal.cast.patient_p.user):
        with pytest.raises(PermissionDenied):
            safety_calls.safety_call_complete(
                by=who, call=call, outcome="cleared", note=NOTE, now=NOW
            )
    for outcome, note in (("maybe", NOTE), ("cleared", ""), ("cleared", "\x00")):
        with pytest.raises(safety_calls.CallRefused):
            safety_calls.safety_call_complete(
                by=cal.cast.front_desk_a, call=call, outcome=outcome, note=note, now=NOW
            )
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


# ---- who may see and who may record -------------------------------------------------------------


def test_outsiders_get_404_and_never_the_patients_name(cal: Calendar) -> None:
    call = open_call(cal)
    outsider = signed_in(cal.cast.therapist_b)
    for response in (
        outsider.get(task_url(call)),
        outsider.post(complete_url(call), {"outcome": "cleared", "note": NOTE}),
    ):
        assert response.status_code == 404 and b"Parker" not in response.content
    listed = outsider.get(reverse("booking:staff_safety_calls")).content.decode()
    assert "Parker" not in listed and "No calls to make." in listed
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_the_auditor_sees_the_task_but_may_not_record_the_call(cal: Calendar) -> None:
    call = open_call(cal)
    auditor = signed_in(cal.cast.auditor)
    page = auditor.get(task_url(call))
    assert page.status_code == 200 and CANCER in page.content.decode()
    assert "Record the call</button>" not in page.content.decode()
    assert "can see this task but not record the call" in page.content.decode()
    refused = auditor.post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    assert refused.status_code == 403
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_anonymous_and_patients_are_kept_out(cal: Calendar) -> None:
    call = open_call(cal)
    login = reverse("accounts:login")
    for url in (task_url(call), reverse("booking:staff_safety_calls")):
        assert Client().get(url)["Location"].startswith(login + "?next=")
        assert signed_in(cal.cast.patient_p.user).get(url).status_code == 403
    anonymous = Client().post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    assert anonymous["Location"].startswith(login + "?next=")
    patient = signed_in(cal.cast.patient_p.user)
    assert patient.post(complete_url(call), {"outcome": "cleared", "note": NOTE}).status_code == 403
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_wrong_methods_answer_405(cal: Calendar) -> None:
    call = open_call(cal)
    desk = signed_in(cal.cast.front_desk_a)
    assert desk.get(complete_url(call)).status_code == 405
    assert desk.put(complete_url(call)).status_code == 405
    assert desk.post(task_url(call), {"outcome": "cleared", "note": NOTE}).status_code == 405
    assert desk.delete(task_url(call)).status_code == 405
    assert desk.post(reverse("booking:staff_safety_calls")).status_code == 405


# ---- the flag wherever staff look ---------------------------------------------------------------


def test_the_appointment_page_shows_the_flag_the_question_and_later_the_outcome(
    cal: Calendar,
) -> None:
    call = open_call(cal)
    desk = signed_in(cal.cast.front_desk_a)
    url = reverse("booking:staff_appointment", args=[call.appointment_id])
    page = desk.get(url).content.decode()
    assert "Call before the visit</a>" in page and CANCER in page and task_url(call) in page
    desk.post(complete_url(call), {"outcome": "sent_to_doctor", "note": NOTE})
    page = desk.get(url).content.decode()
    assert "Call made" in page and "Sent to a doctor" in page and NOTE in page


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
def test_the_calendars_flag_the_visit_until_the_call_is_made(cal: Calendar, view: str) -> None:
    call = open_call(cal)
    other = booked_with_answers(cal, "14:00")  # no "call first" answer: no flag
    desk = signed_in(cal.cast.front_desk_a)
    url = reverse(view, args=[cal.cast.clinic_a.slug, TUESDAY])
    page = desk.get(url).content.decode()
    shown = 2 if view == "booking:staff_day" else 1  # the day: on the grid and in the list
    assert page.count("Call before the visit<span") == shown and task_url(call) in page
    assert other.safety_calls.count() == 0
    desk.post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    after = desk.get(url).content.decode()  # the legend still explains the badge
    assert "Call before the visit<span" not in after and task_url(call) not in after


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
def test_the_flag_costs_the_calendars_no_query(
    calendar: Calendar, view: str, django_assert_max_num_queries: Any
) -> None:
    fill_week(calendar, 9)
    for appointment in Appointment.objects.all():
        SafetyCall.objects.create(
            appointment=appointment, clinic=appointment.clinic, patient=appointment.patient,
            questions=[{"question": CANCER, "answer": "Yes"}], created_at=NOW,
        )  # fmt: skip
    client = signed_in(calendar.cast.front_desk_a)
    url = reverse(view, args=[calendar.cast.clinic_a.slug, TUESDAY])
    with django_assert_max_num_queries(QUERY_BUDGET[view]):
        response = client.get(url, {"appointment_type": calendar.evaluation_a.pk})
    assert response.content.decode().count("Call before the visit<span") >= 9


def test_the_front_desk_lists_open_calls_nearest_visit_first(cal: Calendar) -> None:
    later = open_call(cal, "15:00")
    sooner = open_call(cal, "09:00")
    done = open_call(cal, "12:00")
    safety_calls.safety_call_complete(
        by=cal.cast.therapist_a, call=done, outcome="cleared", note=NOTE, now=NOW
    )
    response = signed_in(cal.cast.front_desk_a).get(reverse("booking:staff_safety_calls"))
    assert [c.pk for c in response.context["calls"]] == [sooner.pk, later.pk]
    page = response.content.decode()
    assert task_url(sooner) in page and task_url(later) in page and task_url(done) not in page
    assert page.index(task_url(sooner)) < page.index(task_url(later))
    assert "Penny Parker" in page and "Mar 4, 2031, 9:00 AM EST" in page


def test_the_day_calendar_links_to_the_list_of_calls(cal: Calendar) -> None:
    page = signed_in(cal.cast.front_desk_a).get(
        reverse("booking:staff_day", args=[cal.cast.clinic_a.slug, TUESDAY])
    )
    assert reverse("booking:staff_safety_calls") in page.content.decode()


def test_the_caseload_flags_a_patient_with_a_call_to_make(
    cal: Calendar, django_assert_max_num_queries: Any
) -> None:
    fill_caseload(cal.cast, 5)
    open_call(cal)  # patient P: books an evaluation, which opens an episode with therapist A
    client = signed_in(cal.cast.therapist_a)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("clinical:caseload"))
    flagged = [e.patient.last_name for e in response.context["rows"] if e.call_first]
    assert flagged == ["Parker"]
    assert response.content.decode().count("Call before the visit") == 1


def test_the_chart_shows_the_flag_then_the_outcome_and_note(
    cal: Calendar, django_assert_max_num_queries: Any
) -> None:
    call = open_call(cal)
    episode = call.patient.episodes.get()  # opened by the booking of an initial evaluation
    therapist = signed_in(cal.cast.therapist_a)
    url = reverse("clinical:episode", args=[episode.pk])
    with django_assert_max_num_queries(CHART_QUERIES):
        page = therapist.get(url).content.decode()
    assert "Call before the visit</a>" in page and CANCER in page and "Not yet done" in page
    signed_in(cal.cast.front_desk_a).post(complete_url(call), {"outcome": "cleared", "note": NOTE})
    page = therapist.get(url).content.decode()
    assert "Call made" in page and "Cleared to attend" in page and NOTE in page
    assert "Not yet done" not in page


def test_the_chart_of_another_clinic_shows_no_call(cal: Calendar) -> None:
    open_call(cal)
    episode_b = mc.episode(cal.cast, patient=cal.cast.patient_q, clinic=cal.cast.clinic_b,
                           therapist=cal.cast.therapist_b.staff_member)  # fmt: skip
    page = signed_in(cal.cast.therapist_b).get(reverse("clinical:episode", args=[episode_b.pk]))
    assert page.status_code == 200 and "Call before the visit" not in page.content.decode()


def test_the_emails_show_labels_not_keys(cal: Calendar) -> None:
    """People read words: no care-core key or Python value in any email this flow sends."""
    from tests.web.test_labels_not_values import problems

    booked_with_answers(cal, cancer=True)  # confirmation, reminder, the clinic's call alert
    other = booked_with_answers(cal, "14:00")
    services.appointment_cancel(by=cal.cast.front_desk_a, appointment=other, now=NOW)
    kinds = set(OutboxEmail.objects.values_list("kind", flat=True))
    assert {"confirmation", "reminder", "call_first_alert", "cancellation"} <= kinds
    for email in OutboxEmail.objects.all():
        text = f"{email.subject}\n{email.body}"
        assert problems(text) == [], (email.kind, text)
