"""Every write of health data leaves one audit row, in the write's own transaction.

Each kind of write is made through the page or the service the product uses, and the rows
it appended are read back: exactly one write row of the right action, object, patient and
clinic, with no name or typed text in it. A write that is refused or rolled back leaves no
row, and the chain still verifies after a run of mixed writes.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tests import calendar as cal
from tests.api.world import World, build_world
from tests.audit.support import client_for, every_value
from tests.booking.test_perf_booking import statements_of_one_booking
from tests.booking.test_questions import ask
from tests.booking.test_services import TUESDAY, new_patient
from tests.booking.test_views_calendar import appointment
from tests.calendar import NOW, Calendar, local, working_day
from tests.clock import stopped_at
from tests.fhir.conftest import Practice, fhir
from tests.fhir.test_booking import book as fhir_book
from tests.personas import Cast
from tests.plans.test_visits import GOOD_ODI, GOOD_PSFS
from tests.records.intake_support import fill, open_intake, section_url, signed_in
from tests.records.test_clinical_mapping import _post as post_evaluation
from tests.web import matrix_clinical as mc
from tests.web.matrix_care import care_episode
from unknot import scheduling as core
from unknot.api.models import ApiToken
from unknot.api.tokens import token_create
from unknot.audit.models import Action, AuditEvent
from unknot.billing.models import Charge
from unknot.booking import services
from unknot.booking.errors import SeriesConflicts, SlotTaken
from unknot.booking.models import Appointment, CalendarFeed, ContactQuestion, Status
from unknot.patients.models import Patient
from unknot.patients.services import patient_create
from unknot.plans import services as plans
from unknot.plans import visits as vs
from unknot.plans.home.selectors import clinic_today
from unknot.plans.models import AdherenceComment, ExerciseLog
from unknot.records.intake import services as intake_services
from unknot.records.models import Episode, Evaluation, Intake

pytestmark = pytest.mark.django_db

WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.PERMISSION_CHANGE)


@contextmanager
def new_writes() -> Iterator[list[AuditEvent]]:
    """The write rows appended while the block ran (reads and sign-ins left aside)."""
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    found: list[AuditEvent] = []
    yield found
    found.extend(AuditEvent.objects.filter(id__gt=start, action__in=WRITES).order_by("id"))


def what(event: AuditEvent) -> tuple[Any, ...]:
    """(action, object type, object id, patient id, clinic id, reason) of a row."""
    return (event.action, event.object_type, event.object_id, event.patient_id,
            event.clinic_id, event.reason)  # fmt: skip


def row(action: str, kind: str, pk: Any, patient: Any, clinic: Any, reason: str = "") -> tuple:
    return (action, kind, str(pk), getattr(patient, "pk", patient),
            getattr(clinic, "pk", clinic), reason)  # fmt: skip


def assert_nothing_of(*secrets: str) -> None:
    """None of these (names, emails, typed text) is in any row of the trail."""
    text = " ".join(every_value(event) for event in AuditEvent.objects.all())
    for secret in secrets:
        assert secret.lower() not in text.lower(), secret


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Pinned before anyone signs in, so sessions and bookings share the tests' fixed now."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def calendar(cast: Cast) -> Calendar:
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    cal.works_weekdays(cast.therapist_b, cast.clinic_b)
    return Calendar(
        cast=cast,
        evaluation_a=cal.evaluation_type(cast.clinic_a),
        follow_up_a=cal.follow_up_type(cast.clinic_a),
        evaluation_b=cal.evaluation_type(cast.clinic_b),
    )


def booked(cal: Calendar, day: dt.date = TUESDAY, hhmm: str = "10:00") -> Appointment:
    """A visit of patient P written straight to the table: no row of its own."""
    cast = cal.cast
    return appointment(
        cal.evaluation_a, cast.therapist_a, cast.patient_p, local(cast.clinic_a, day, hhmm)
    )


# --- patients --------------------------------------------------------------------------------

NEW_PATIENT = {
    "first_name": "Zelda", "last_name": "Quartermaine", "date_of_birth": "1981-05-06",
    "email": "zelda.q@example.org", "phone": "555-0199", "address_line1": "12 Linden Row",
    "city": "Quarryville",
}  # fmt: skip
# The rest of the address: too short to look for in the trail's hashes and codes.
STATE_AND_ZIP = {"state": "VT", "zip_code": "05401"}


def test_a_patient_filed_on_the_staff_page_is_one_create(cast: Cast) -> None:
    data = NEW_PATIENT | STATE_AND_ZIP | {"preferred_clinic": cast.clinic_a.pk}
    with new_writes() as rows:
        response = client_for(cast.front_desk_a).post(reverse("staffarea:patient_new"), data)
    assert response.status_code == 302
    made = Patient.objects.get(last_name="Quartermaine")
    [event] = rows
    assert what(event) == row(Action.CREATE, "patient", made.pk, made, cast.clinic_a)
    assert (event.actor_id, event.actor_role) == (cast.front_desk_a.pk, "front_desk")
    assert event.path == reverse("staffarea:patient_new")
    assert_nothing_of(*NEW_PATIENT.values())


def test_an_invalid_patient_form_writes_nothing_and_records_nothing(cast: Cast) -> None:
    data = NEW_PATIENT | {"preferred_clinic": cast.clinic_a.pk, "date_of_birth": "2999-01-01"}
    with new_writes() as rows:
        response = client_for(cast.front_desk_a).post(reverse("staffarea:patient_new"), data)
    assert response.status_code == 200 and not Patient.objects.filter(last_name="Quartermaine")
    assert rows == []


def test_staff_edits_and_the_patients_own_contact_change_are_updates(cast: Cast) -> None:
    p = cast.patient_p
    data = {"first_name": p.first_name, "last_name": p.last_name, "phone": "",
            "preferred_clinic": p.preferred_clinic_id, "email": "new.p@example.org",
            "date_of_birth": p.date_of_birth.isoformat(), "address_line1": "3 Elm Court",
            "city": "Troy", "state": "NY", "zip_code": "12180"}  # fmt: skip
    url = reverse("staffarea:patient_edit", args=[p.pk])
    with new_writes() as staff_rows:
        assert client_for(cast.therapist_a).post(url, data).status_code == 302
    contact = {"email": "own.p@example.org", "phone": "555-0100", "address_line1": "4 Oak Lane",
               "city": "Troy", "state": "NY", "zip_code": "12180"}  # fmt: skip
    with new_writes() as own_rows:
        response = client_for(p.user).post(reverse("portal:contact_details"), contact)
    assert response.status_code == 302
    assert [what(e) for e in staff_rows] == [row(Action.UPDATE, "patient", p.pk, p, cast.clinic_a)]
    [own] = own_rows
    assert what(own) == row(Action.UPDATE, "patient", p.pk, p, cast.clinic_a, "own_contact")
    assert (own.actor_id, own.actor_role, own.actor_username) == (p.user.pk, "patient", "")
    assert_nothing_of(p.first_name, p.last_name, "3 Elm Court", "4 Oak Lane", "own.p@example")


def test_the_row_commits_or_rolls_back_with_the_write(cast: Cast) -> None:
    """The row is written inside the caller's transaction: undo the work, and it goes too."""
    person = Patient(first_name="Rolf", last_name="Back", date_of_birth=dt.date(1970, 1, 1),
                     preferred_clinic=cast.clinic_a)  # fmt: skip

    def file_then_fail() -> None:
        with transaction.atomic():
            patient_create(by=cast.front_desk_a, patient=person)
            raise RuntimeError("the rest of the work failed")

    with new_writes() as rows, pytest.raises(RuntimeError):
        file_then_fail()
    assert rows == [] and not Patient.objects.filter(last_name="Back").exists()


# --- bookings ---------------------------------------------------------------------------------


def test_an_online_booking_records_the_new_person_and_the_booking_with_no_actor(
    calendar: Calendar,
) -> None:
    clinic = calendar.cast.clinic_a
    with new_writes() as held_rows:
        hold = services.hold_slot(
            clinic=clinic, appointment_type=calendar.evaluation_a, therapist_id=None,
            start=local(clinic, TUESDAY, "10:00"), now=NOW,
        )  # fmt: skip
    assert held_rows == []  # a hold names nobody: a reservation, not health data
    with new_writes() as rows:
        made = services.confirm_hold(hold_id=hold.pk, patient=new_patient(calendar), now=NOW)
    person = made.patient
    assert [what(e) for e in rows] == [
        row(Action.CREATE, "patient", person.pk, person, clinic, "booked_online"),
        row(Action.CREATE, "appointment", made.pk, person, clinic, "booked_online"),
    ]
    assert all((e.actor_id, e.actor_username, e.actor_role) == (None, "", "") for e in rows)
    assert_nothing_of("Nia", "nia@test.example")


def test_a_staff_booking_is_one_create_and_a_taken_time_none(
    clock: dt.datetime, calendar: Calendar
) -> None:
    cast = calendar.cast
    data = {"patient": cast.patient_p.pk, "appointment_type": calendar.evaluation_a.pk,
            "therapist": cast.therapist_a.staff_member.pk, "date": TUESDAY.isoformat(),
            "time": "10:00"}  # fmt: skip
    url = reverse("booking:staff_book", args=[cast.clinic_a.slug])
    with new_writes() as rows:
        assert client_for(cast.front_desk_a).post(url, data).status_code == 302
    made = Appointment.objects.get()
    assert [what(e) for e in rows] == [
        row(Action.CREATE, "appointment", made.pk, cast.patient_p, cast.clinic_a, "booked")
    ]
    assert rows[0].actor_username == "front_desk_a"
    with new_writes() as taken:
        response = client_for(cast.therapist_a).post(url, data)
    assert b"that time was just taken" in response.content and taken == []
    with new_writes() as refused, pytest.raises(SlotTaken):
        services.appointment_book(
            by=cast.therapist_a, clinic=cast.clinic_a, appointment_type=calendar.evaluation_a,
            therapist=cast.therapist_a.staff_member, patient=cast.patient_p,
            start=local(cast.clinic_a, TUESDAY, "10:30"), now=NOW,
        )  # fmt: skip
    assert refused == [] and Appointment.objects.count() == 1


def test_cancel_move_and_marks_are_updates_named_by_what_happened(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step at a time it makes sense: a visit is marked arrived on its day, completed or
    missed once it has begun (the desk signs in again, as it would after such a wait)."""
    cast = calendar.cast
    clock = stopped_at(NOW, monkeypatch)
    visit, other = booked(calendar), booked(calendar, TUESDAY, "14:00")
    move = {"date": "2031-03-05", "time": "14:00", "therapist": visit.therapist_id}
    wednesday_afternoon = local(cast.clinic_a, dt.date(2031, 3, 5), "14:30")
    steps = [
        (NOW, "booking:staff_move", visit, move, "moved"),
        (wednesday_afternoon, "booking:staff_mark", visit, {"status": Status.ARRIVED}, "arrived"),
        (wednesday_afternoon, "booking:staff_mark", visit, {"status": Status.COMPLETED},
         "completed"),
        (wednesday_afternoon, "booking:staff_mark", other, {"status": Status.NO_SHOW}, "no_show"),
        (wednesday_afternoon, "booking:staff_mark", other, {"status": Status.BOOKED}, "booked"),
        (wednesday_afternoon, "booking:staff_cancel", other,
         {"reason": "her sciatica flared", "cancelled_by": "patient_by_phone"}, "cancelled"),
    ]  # fmt: skip
    for at, name, target, data, reason in steps:
        clock.now = at
        desk = client_for(cast.front_desk_a)
        with new_writes() as rows:
            assert desk.post(reverse(name, args=[target.pk]), data).status_code == 302, name
        assert [what(e) for e in rows] == [
            row(Action.UPDATE, "appointment", target.pk, cast.patient_p, cast.clinic_a, reason)
        ]
    with new_writes() as refused:
        response = desk.post(reverse("booking:staff_cancel", args=[other.pk]),
                             {"cancelled_by": "clinic"})  # fmt: skip
    assert b"Only a booked appointment can be cancelled" in response.content and refused == []
    assert_nothing_of("sciatica")


def test_a_series_records_each_visit_and_a_conflicting_one_none(calendar: Calendar) -> None:
    cast = calendar.cast
    pattern = core.SeriesPattern(first_day=dt.date(2031, 3, 10), weekdays=(0, 3),
                                 local_time=dt.time(9), weeks=2)  # fmt: skip
    arguments = {"by": cast.front_desk_a, "clinic": cast.clinic_a, "patient": cast.patient_p,
                 "appointment_type": calendar.follow_up_a, "pattern": pattern,
                 "therapist": cast.therapist_a.staff_member, "now": NOW}  # fmt: skip
    with new_writes() as rows:
        visits = services.series_reserve(**arguments)
    assert [what(e) for e in rows] == [
        row(Action.CREATE, "appointment", v.pk, cast.patient_p, cast.clinic_a, "series")
        for v in visits
    ]
    with new_writes() as refused, pytest.raises(SeriesConflicts):
        services.series_reserve(**arguments)
    assert refused == [] and Appointment.objects.count() == len(visits)


def test_a_booking_appends_its_row_in_one_statement(calendar: Calendar) -> None:
    """The booking path is measured (bench/): the patient's read and the booking are appended
    by one statement on PostgreSQL (one each on SQLite), with no look-ups."""
    start = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    statements = statements_of_one_booking(calendar)
    # Signing the client in, before the counted request, is recorded too: leave it aside.
    appended = list(AuditEvent.objects.filter(id__gt=start).exclude(action=Action.SIGN_IN))
    assert [(e.action, e.object_type) for e in appended] == [
        (Action.READ, "patient"),
        (Action.CREATE, "appointment"),
    ]
    appends = [s for s in statements if "audit_" in s]
    assert len(appends) == (1 if connection.vendor == "postgresql" else len(appended))
    [write] = [e for e in appended if e.action in WRITES]
    assert (write.action, write.object_type, write.reason) == (
        Action.CREATE,
        "appointment",
        "booked",
    )


# --- questions, feeds, API tokens -------------------------------------------------------------


def test_a_question_and_its_status_are_recorded_without_the_message(cast: Cast) -> None:
    cast.clinic_a.email = "desk@alder.example"
    cast.clinic_a.save()
    with new_writes() as asked:
        assert ask(cast).status_code == 302
    question = ContactQuestion.objects.get()
    assert [what(e) for e in asked] == [
        row(Action.CREATE, "question", question.pk, None, cast.clinic_a, "asked")
    ]
    url = reverse("booking:staff_question_status", args=[question.pk])
    with new_writes() as answered:
        assert client_for(cast.front_desk_a).post(url, {"status": "answered"}).status_code == 302
    assert [what(e) for e in answered] == [
        row(Action.UPDATE, "question", question.pk, None, cast.clinic_a, "answered")
    ]
    assert_nothing_of("Sam Ortiz", "sam.ortiz", "pregnancy")


def test_therapist_feeds_and_api_tokens_are_recorded_when_made_and_revoked(
    calendar: Calendar,
) -> None:
    therapist = client_for(calendar.cast.therapist_a)
    member = calendar.cast.therapist_a.staff_member
    with new_writes() as made:
        therapist.post(reverse("booking:staff_feeds"), {"therapist": member.pk})
        therapist.post(reverse("api:tokens"), {"name": "my laptop script"})
    feed, token = CalendarFeed.objects.get(), ApiToken.objects.get()
    with new_writes() as revoked:
        therapist.post(reverse("booking:staff_feed_revoke", args=[feed.pk]))
        therapist.post(reverse("api:token_revoke", kwargs={"token_id": token.pk}))
    assert [what(e) for e in made] == [
        row(Action.CREATE, "therapist_feed", feed.pk, None, None),
        row(Action.CREATE, "api_token", token.pk, None, None),
    ]
    assert [what(e) for e in revoked] == [
        row(Action.UPDATE, "therapist_feed", feed.pk, None, None, "revoked"),
        row(Action.UPDATE, "api_token", token.pk, None, None, "revoked"),
    ]
    assert all(e.actor_username == "therapist_a" for e in made + revoked)
    assert_nothing_of("my laptop script", token.prefix)
    with new_writes() as refused, pytest.raises(ValueError, match="needs a name"):
        token_create(user=calendar.cast.therapist_a, name="  ")
    assert refused == []


# --- the REST API and FHIR go through the same services ---------------------------------------


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def test_a_booking_and_a_home_log_through_the_rest_api_are_recorded_once(world: World) -> None:
    cast = world.cast
    start = local(cast.clinic_a, working_day(), "10:00")
    body = {"clinic": cast.clinic_a.slug, "type": world.evaluation_a.pk,
            "therapist": cast.therapist_a.staff_member.pk, "patient": cast.patient_p.pk,
            "start": start.isoformat()}  # fmt: skip
    with new_writes() as rows:
        response = world.client("front_desk_a").post(
            "/api/v1/appointments/", body, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    made = response.json()["id"]
    assert [what(e) for e in rows] == [
        row(Action.CREATE, "appointment", made, cast.patient_p, cast.clinic_a, "booked")
    ]
    assert rows[0].path == "/api/v1/appointments/"
    episode = Episode.objects.get(pk=world.p.episode)
    log = {"performed_on": clinic_today(episode).isoformat(), "status": "done",
           "pain_before": 6, "pain_after": 4, "note": "felt looser"}  # fmt: skip
    with new_writes() as logged:
        response = world.client("patient_p").post(
            "/api/v1/home-logs/", log, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    assert [what(e) for e in logged] == [row(Action.CREATE, "home_log", response.json()["id"],
                                             cast.patient_p, cast.clinic_a)]  # fmt: skip


def test_a_booking_through_fhir_is_recorded_once(calendar: Calendar) -> None:
    practice = Practice(calendar.cast, calendar.evaluation_a, calendar.follow_up_a,
                        calendar.evaluation_b)  # fmt: skip
    with new_writes() as rows:
        made = fhir(fhir_book(practice), 201)
    assert [what(e) for e in rows] == [row(Action.CREATE, "appointment", made["id"],
                                           calendar.cast.patient_p, calendar.cast.clinic_a,
                                           "booked")]  # fmt: skip
    with new_writes() as taken:
        assert fhir_book(practice, calendar.cast.manager).status_code == 409
    assert taken == []


# --- the intake -------------------------------------------------------------------------------


def test_intake_pages_submit_review_and_the_emergency_alert(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    expected = row(Action.UPDATE, "intake", intake.pk, cast.patient_p, cast.clinic_a)[:-1]
    person = signed_in(cast.patient_p.user)
    with new_writes() as saved:
        fill(person, ["story"])
    with new_writes() as submitted:
        fill(person)
        person.post(reverse("intake:submit"))
    with new_writes() as reviewed:
        client_for(cast.therapist_a).post(reverse("intake:review_mark", args=[intake.episode_id]))
    assert [what(e) for e in saved] == [(*expected, "section_saved")]
    assert [what(e)[-1] for e in submitted] == ["section_saved"] * 12 + ["submitted"]
    assert [what(e) for e in reviewed] == [(*expected, "reviewed")]
    assert reviewed[0].actor_username == "therapist_a"
    assert_nothing_of("Lifted a sofa", "Lift my son", "Sitting at work", "Bending to tie")


def test_an_emergency_answer_is_a_hold_and_an_alert_and_a_closed_intake_none(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    person = signed_in(cast.patient_p.user)
    with new_writes() as alert:
        person.post(section_url("safety"), {"bladder_dysfunction": "yes"})
    # The referral puts the episode on hold (SCREEN-2), then the clinic is alerted.
    assert [what(e)[-1] for e in alert] == ["opened_intake", "emergency_alert"]
    assert Intake.objects.get(pk=intake.pk).emergency_at is not None
    Intake.objects.filter(pk=intake.pk).update(status="submitted")
    with new_writes() as closed:
        person.post(section_url("safety"), {"bladder_dysfunction": "no"})
    assert closed == []
    assert_nothing_of("bladder")


def test_a_portal_login_made_from_the_intake_link_is_a_permission_change(cast: Cast) -> None:
    person = Patient.objects.create(
        first_name="Ola", last_name="Nord", date_of_birth=dt.date(1985, 2, 3),
        email="ola.nord@example.org", preferred_clinic=cast.clinic_a,
    )  # fmt: skip
    with new_writes() as rows:
        user = intake_services.create_portal_login(patient=person, password="a-Long-pass-42")
    assert [what(e) for e in rows] == [row(Action.PERMISSION_CHANGE, "account", user.pk, person,
                                           cast.clinic_a, "portal_login_created")]  # fmt: skip
    assert_nothing_of("ola.nord", "Nord")


# --- evaluation, plan of care, visits ---------------------------------------------------------


def test_evaluations_are_created_and_edited_and_a_refused_value_records_nothing(
    cast: Cast,
) -> None:
    made = mc.episode(cast)
    therapist = client_for(cast.therapist_a)
    new = reverse("clinical:evaluation_new", args=[made.pk])
    with new_writes() as refused:
        assert post_evaluation(therapist, new, slr_left="500").status_code == 200
    with new_writes() as created:
        assert post_evaluation(therapist, new, is_final="").status_code == 302
    evaluation = Evaluation.objects.get()
    edit = reverse("clinical:evaluation_edit", args=[evaluation.pk])
    with new_writes() as edited:
        assert post_evaluation(therapist, edit).status_code == 302
    key = ("evaluation", str(evaluation.pk), cast.patient_p.pk, cast.clinic_a.pk)
    assert refused == []
    assert [what(e) for e in created] == [(Action.CREATE, *key, "")]
    assert [what(e) for e in edited] == [(Action.UPDATE, *key, "completed")]
    assert_nothing_of("guarded flexion", "L4-L5", "lifting boxes")


def test_every_plan_change_is_one_row_and_a_refused_one_none(cast: Cast) -> None:
    made = mc.episode(cast, mc.intake_answers(medicines=["anticoagulant"]))
    mc.evaluate(cast, made)
    by = cast.therapist_a
    reasons: list[str] = []

    def step(change: Any) -> Any:
        with new_writes() as rows:
            result = change()
        [event] = rows
        assert (event.object_type, event.patient_id, event.clinic_id) == (
            "plan", cast.patient_p.pk, cast.clinic_a.pk)  # fmt: skip
        reasons.append(f"{event.action}:{event.reason}")
        return result

    plan = step(lambda: plans.plan_propose(by=by, episode=made))
    light = next(e for e in plan.elements if e["safety"] == "precaution")
    why = "INR stable at 2.1, checked today"
    new = plans.NewElement(phase="active_care", item="ex:bird_dog", reason="fits her triggers")
    plan = step(lambda: plans.element_override(by=by, plan=plan, key=light["key"], reason=why,
                                               now=mc.NOW))  # fmt: skip
    plan = step(lambda: plans.element_add(by=by, plan=plan, new=new, now=mc.NOW))
    key = plan.elements[-1]["key"]
    plan = step(lambda: plans.element_dose(by=by, plan=plan, key=key, dose="8 slow breaths"))
    plan = step(lambda: plans.element_remove(by=by, plan=plan, key=key, now=mc.NOW))
    goals = plans.suggested_goals(made, plan.duration_weeks)
    step(lambda: plans.plan_set_goals(by=by, plan=plan, frequency=2, weeks=4, goals=goals))
    step(lambda: plans.plan_sign(by=by, plan=plan, now=mc.NOW))
    step(lambda: plans.plan_revise(by=by, plan=plan))
    assert reasons == ["create:proposed", "update:precaution_overridden", "update:element_added",
                       "update:dose_changed", "update:element_removed", "update:goals_set",
                       "update:signed", "create:new_version"]  # fmt: skip
    with new_writes() as refused, pytest.raises(plans.PlanError):
        plans.element_override(by=by, plan=plan, key=light["key"], reason=" ", now=mc.NOW)
    assert refused == []
    assert_nothing_of("INR stable", "8 slow breaths", "fits her triggers")


def test_visit_notes_signing_reassessment_and_accepted_progression(cast: Cast) -> None:
    plan = mc.signed(cast)
    by, episode = cast.therapist_a, plan.episode
    key = (cast.patient_p.pk, cast.clinic_a.pk)
    with new_writes() as first_rows:
        first = mc.visit(cast, episode, subjective="slept badly after gardening")
    with new_writes() as edit_rows:
        vs.visit_update_note(by=by, visit=first, fields={"subjective": "better today"})
        vs.visit_sign(by=by, visit=first, now=mc.NOW)
    for _ in range(2):
        mc.visit(cast, episode, nprs=4)
    with new_writes() as fourth_rows:
        fourth = mc.visit(cast, episode, nprs=3, symptom_course="centralising", flare_24h=False,
                          reassessment={"odi": GOOD_ODI, "psfs": GOOD_PSFS})  # fmt: skip
    with new_writes() as accepted:
        vs.visit_accept_progression(by=by, visit=fourth, now=mc.NOW)
    assert [what(e) for e in first_rows] == [(Action.CREATE, "visit", str(first.pk), *key, "")]
    assert [what(e) for e in edit_rows] == [
        (Action.UPDATE, "visit", str(first.pk), *key, "note_edited"),
        (Action.UPDATE, "visit", str(first.pk), *key, "signed"),
        # signing makes the visit's charge (billing's hook); held: this world has no fees
        (Action.CREATE, "charge", str(Charge.objects.get(visit=first).pk), *key, "held"),
    ]
    reason = "reassessment" if vs.is_reassessment(4) else ""
    assert [what(e) for e in fourth_rows] == [(Action.CREATE, "visit", str(fourth.pk), *key,
                                               reason)]  # fmt: skip
    assert [what(e) for e in accepted] == [
        (Action.UPDATE, "plan", str(plan.pk), *key, "phase_changed"),
        (Action.UPDATE, "plan", str(plan.pk), *key, "home_programme_switched"),
        (Action.UPDATE, "visit", str(fourth.pk), *key, "progression_accepted"),
    ]
    with new_writes() as refused, pytest.raises(vs.VisitError):
        vs.visit_sign(by=by, visit=first, now=mc.NOW)  # signed notes never change
    assert refused == []
    assert_nothing_of("gardening", "better today", "lifting boxes")


# --- the home programme -----------------------------------------------------------------------


def test_home_logs_comments_lessons_and_discharge(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a, topics=("lifting",))
    person, therapist = client_for(cast.patient_p.user), client_for(cast.therapist_a)
    log = {"performed_on": clinic_today(episode).isoformat(), "status": "skipped",
           "pain_before": "", "pain_after": "",
           "note": "too sore after the long drive"}  # fmt: skip
    monday = clinic_today(episode) - dt.timedelta(days=clinic_today(episode).weekday())
    comment = {"week_start": monday.isoformat(), "text": "Try the bridge after the drive"}
    with new_writes() as logged:
        assert person.post(reverse("home_programme:log"), log).status_code == 302
    with new_writes() as bad_log:
        person.post(reverse("home_programme:log"), log | {"pain_before": "11", "status": "done"})
    with new_writes() as read:
        person.get(reverse("home_programme:learn_topic", args=["lifting"]))
        person.get(
            reverse("home_programme:learn_topic", args=["lifting"])
        )  # opened again: no change
    with new_writes() as commented:
        therapist.post(reverse("home_programme:episode_comment", args=[episode.pk]), comment)
    with new_writes() as discharged:
        url = reverse("home_programme:episode_discharge_confirm", args=[episode.pk])
        therapist.post(url, {"confirm": "on"})
    key = (cast.patient_p.pk, cast.clinic_a.pk)
    assert [what(e) for e in logged] == [
        (Action.CREATE, "home_log", str(ExerciseLog.objects.get().pk), *key, "")
    ]
    assert bad_log == []
    assert [what(e) for e in read] == [(Action.UPDATE, "episode", str(episode.pk), *key,
                                        "lesson_read")]  # fmt: skip
    assert [what(e) for e in commented] == [
        (Action.CREATE, "comment", str(AdherenceComment.objects.get().pk), *key, "adherence")
    ]
    assert [what(e) for e in discharged] == [
        (Action.UPDATE, "episode", str(episode.pk), *key, "discharged")
    ]
    assert_nothing_of("long drive", "Try the bridge", "skipped")


# --- the chain --------------------------------------------------------------------------------


def test_the_chain_verifies_after_a_run_of_mixed_writes(
    calendar: Calendar, capsys: pytest.CaptureFixture[str]
) -> None:
    cast = calendar.cast
    plan = mc.signed(cast)
    mc.visit(cast, plan.episode)
    visit = services.appointment_book(
        by=cast.front_desk_a, clinic=cast.clinic_a, appointment_type=calendar.evaluation_a,
        therapist=cast.therapist_a.staff_member, patient=cast.patient_p,
        start=local(cast.clinic_a, TUESDAY, "10:00"), now=NOW,
    )  # fmt: skip
    services.appointment_cancel(by=cast.front_desk_a, appointment=visit, now=NOW, reason="ill")

    def book_then_undo() -> None:  # a booking undone with the rest of its transaction
        with transaction.atomic():
            services.appointment_book(
                by=cast.front_desk_a, clinic=cast.clinic_a, patient=cast.patient_p,
                appointment_type=calendar.evaluation_a, therapist=cast.therapist_a.staff_member,
                start=local(cast.clinic_a, TUESDAY, "12:00"), now=NOW,
            )  # fmt: skip
            raise RuntimeError("undone")

    with pytest.raises(RuntimeError):
        book_then_undo()
    reasons = list(AuditEvent.objects.filter(action__in=WRITES).values_list("reason", flat=True))
    assert reasons == ["proposed", "goals_set", "signed", "", "booked", "cancelled"]
    call_command("verify_audit")
    assert "chain intact" in capsys.readouterr().out
