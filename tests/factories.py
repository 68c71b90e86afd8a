"""The one home of the tests' factories.

The people and places (practice, clinic, user, staff, patient) are plain rows: the product has
no service that makes them. Everything the product makes through a service is made here through
that same service, with the same checks and side effects (hooks, audit rows, queued emails):
`booked_appointment` books through `booking.services.appointment_book` (a booked initial
evaluation opens the episode and its intake, as records' hook does for every booking), and
`episode_with_signed_plan` then fills the intake page by page, saves a completed evaluation,
proposes the plan, sets its goals and signs it, as the person and the therapist do on the pages.

Build rows by hand only to test what the services refuse to make (a constraint, a legacy row,
a race, a row in the past), and say so where it is done. Passwords use a fast hasher so
hundreds of users stay cheap.
"""

import datetime as dt
import functools
import itertools
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tests.calendar import Calendar, local, make_calendar, working_day, works_there
from unknot.booking import services as booking
from unknot.booking.errors import SlotTaken
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.clinics.models import Clinic, OpeningHours, Practice, StaffMember
from unknot.patients.models import Patient
from unknot.plans import services as plans
from unknot.records.clinical.evaluation import EvaluationForm, evaluation_save
from unknot.records.intake import sections, wording
from unknot.records.intake import services as intake_services
from unknot.records.models import Episode, Intake

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def practice() -> Practice:
    return Practice.objects.get_or_create(name="Test practice")[0]


def clinic(slug: str, time_zone: str = "America/New_York", **fields: Any) -> Clinic:
    defaults = {
        "name": slug.replace("-", " ").title(),
        "address_line": "1 Test Street",
        "city": "Testville",
        "postcode": "00000",
        "phone": "555-0100",
        "time_zone": time_zone,
    }
    made = Clinic.objects.create(practice=practice(), slug=slug, **(defaults | fields))
    for weekday in range(5):
        OpeningHours.objects.create(
            clinic=made, weekday=weekday, opens=dt.time(8), closes=dt.time(18)
        )
    return made


def user(username: str, **fields: Any) -> Any:
    return get_user_model().objects.create(
        username=username,
        email=fields.pop("email", f"{username}@test.example"),
        password=make_password(PASSWORD, hasher="md5"),
        **fields,
    )


def staff(username: str, role: str, clinics: list[Clinic], **fields: Any) -> Any:
    account = user(
        username,
        first_name=username.title(),
        last_name="Staff",
        is_staff=fields.pop("is_staff", False),
    )
    member = StaffMember.objects.create(user=account, role=role, **fields)
    member.clinics.set(clinics)
    return account


# A whole US address, as the staff's and the portal's forms take it; sex stays not recorded
# (the model's default) unless a test says otherwise.
PATIENT_HOME = {
    "address_line1": "12 Elm Street", "address_line2": "", "city": "Albany", "state": "NY",
    "zip_code": "12207",
}  # fmt: skip


def patient(first: str, last: str, clinic: Clinic, *, login: bool = True, **fields: Any) -> Patient:
    account = user(f"{first}.{last}.{next(_counter)}".lower()) if login else None
    return Patient.objects.create(
        first_name=first,
        last_name=last,
        date_of_birth=fields.pop("date_of_birth", dt.date(1985, 5, 17)),
        email=fields.pop("email", f"{first}.{last}@test.example".lower()),
        preferred_clinic=clinic,
        user=account,
        **(PATIENT_HOME | fields),
    )


# --- what the product makes through its services ----------------------------------------------

# The intake pages as a person posts them: a calm, complete story, nothing alarming.
INTAKE_PAGES: dict[str, dict[str, Any]] = {
    "story": {"onset_date": "2025-10-01", "causes": ["lifting"], "story": "Lifted a sofa."},
    "where": {"pain_side": "left", "below_knee": "no", "spasm": "yes"},
    "daily-life": {"triggers": "Bending to tie shoes", "eases": "Heat", "daily_life": ""},
    "work-and-goals": {
        "work": ["desk"],
        "activity_level": "light",
        "goal_1": "Lift my son",
        "home_minutes_per_day": "15",
        "visits_per_week": "2",
    },
    "health": {"pregnant": "no"},
    "safety": dict.fromkeys(wording.URGENT_FLAGS, "no"),
    "more-safety": dict.fromkeys(wording.OTHER_FLAGS, "no"),
    "start-back": {f"item_{n}": "agree" if n in (1, 3, 6, 7) else "disagree" for n in range(1, 9)}
    | {"item_9": "very_much"},
    "daily-activities": {f"section_{n}": str(n % 4) for n in range(1, 11)},
    "pain-and-activities": {
        "nprs": "6",
        "activity_1": "Sitting at work",
        "score_1": "4",
        "activity_2": "Carrying shopping",
        "score_2": "3",
        "activity_3": "Running",
        "score_3": "2",
    },
    "pain-last-week": {"peg_1": "6", "peg_2": "7", "peg_3": "4"},
    "beliefs": {f"item_{n}": str(n % 7) for n in range(1, 17)},
}

# The evaluation form as the therapist posts it (tests/browser/episode_steps.py types the same).
EVALUATION_FORM: dict[str, str] = {
    "posture": "Flattened lumbar lordosis, shifted left.",
    "movement": "Guarded flexion, painful arc.",
    "triggers_discussed": "Lifting from the floor; long sitting at the desk.",
    "rom_flexion": "40",
    "rom_extension": "15",
    "rm_extension": "centralises",
    "spasm_location": "left lumbar paraspinals",
    "severity": "6",
    "hypomobile_segment": "yes",
    "segment_levels": "L4-L5",
    "hip_ir_left": "38",
    "hip_ir_right": "40",
    "slr_left": "75",
    "slr_right": "80",
    "crossed_slr": "no",
    "neuro_deficit": "no",
    "irritability": "high",
    "symptom_course": "centralising",
    "history_checked": "on",
    "care_weeks": "0",
    "assessment": "Acute low back pain with spasm, directional preference.",
    "is_final": "on",
}


def _calendar(world: Calendar | Any) -> Calendar:
    """The shared calendar, from the `calendar` fixture or built on (or found for) a cast."""
    return world if isinstance(world, Calendar) else make_calendar(world)


def _therapist_at(calendar: Calendar, clinic: Clinic) -> Any:
    cast = calendar.cast
    return cast.therapist_a if clinic.pk == cast.clinic_a.pk else cast.therapist_b


def _valid(form: Any, what: str) -> dict[str, Any]:
    assert form.is_valid(), f"{what}: {form.errors.as_text()}"
    return dict(form.cleaned_data)


def booked_appointment(
    world: Calendar | Any | None,
    *,
    patient: Patient,
    when: dt.datetime | None = None,
    type: AppointmentType | str = "evaluation",
    therapist: Any = None,
    by: Any = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """A booking made through `booking.services.appointment_book`, so its hooks run: an
    initial evaluation opens the patient's episode and intake (or re-links the open one).

    `world` is the `calendar` fixture or a cast (whose calendar is then built, or found);
    None when `type` and `therapist` are given, who is then given working hours there if
    they have none. `type` is an AppointmentType, or "evaluation" / "follow_up" at the
    patient's clinic. `therapist` (a user) works at that clinic, by default the cast's
    therapist there; `by` books, by default that therapist. `when` is by default the first
    free hour from 09:00 on a weekday three or more days after `now` (the real clock unless
    given).
    """
    calendar = None if world is None else _calendar(world)
    if isinstance(type, str):
        clinic = patient.preferred_clinic
        assert calendar is not None and clinic is not None
        kinds = {"evaluation": calendar.evaluation_at, "follow_up": calendar.follow_up_at}
        type = kinds[type](clinic)
    if calendar is None:
        works_there(therapist, type.clinic)
    therapist = therapist or _therapist_at(calendar, type.clinic)
    now = now or timezone.now()
    book = functools.partial(
        booking.appointment_book, by=by or therapist, clinic=type.clinic, appointment_type=type,
        therapist=therapist.staff_member, patient=patient, now=now,
    )  # fmt: skip
    if when is not None:
        return book(start=when)
    for start in _free_candidates(type.clinic, now):
        try:
            return book(start=start)
        except SlotTaken:
            continue
    raise AssertionError("no free hour in the next weeks")  # pragma: no cover


def _free_candidates(clinic: Clinic, now: dt.datetime) -> Any:
    """On the hour, 09:00-16:00, on weekdays from three days after `now`."""
    day = working_day(3, after=now.date())
    for _ in range(20):
        if day.weekday() < 5:
            for hour in range(9, 17):
                yield local(clinic, day, f"{hour:02}:00")
        day += dt.timedelta(days=1)


def intake_filled(intake: Intake, *, now: dt.datetime, onset: dt.date | None = None) -> Intake:
    """The person answers every intake page (INTAKE_PAGES) and sends it, through the intake
    services the pages call."""
    today = timezone.localdate(now, zoneinfo.ZoneInfo(intake.episode.clinic.time_zone))
    for section in sections.SECTIONS:
        data = dict(INTAKE_PAGES[section.slug])
        if section.slug == "story" and onset is not None:
            data["onset_date"] = onset.isoformat()
        form = section.form(data, today=today)
        _valid(form, f"intake page {section.slug}")
        intake_services.save_section(intake=intake, section=section, form=form, now=now)
    intake_services.submit(intake=intake, now=now)
    intake.refresh_from_db()
    return intake


def episode_with_signed_plan(
    world: Calendar | Any,
    *,
    patient: Patient | None = None,
    therapist: Any = None,
    now: dt.datetime | None = None,
) -> Episode:
    """An episode whose plan of care v1 is signed at `now` (the real clock unless given),
    made the way the product makes it:

    two weeks before, the therapist books the initial evaluation (which opens the episode
    and its intake); that evening the person answers every intake page and sends it; on the
    day, the therapist saves a completed evaluation and marks the visit completed; at `now`
    the therapist proposes the plan, sets the suggested goals and signs it. `patient`
    defaults to the cast's patient P.
    """
    calendar = _calendar(world)
    patient = patient or calendar.cast.patient_p
    now = now or timezone.now()
    booked_at = now - dt.timedelta(days=14)
    appointment = booked_appointment(calendar, patient=patient, therapist=therapist, now=booked_at)
    therapist = therapist or _therapist_at(calendar, appointment.clinic)
    day = appointment.start.astimezone(zoneinfo.ZoneInfo(appointment.clinic.time_zone)).date()
    intake = Intake.objects.select_related("episode__patient", "appointment__clinic").get(
        appointment=appointment
    )
    intake_filled(intake, now=booked_at + dt.timedelta(hours=8),
                  onset=booked_at.date() - dt.timedelta(days=4))  # fmt: skip
    episode = intake.episode
    form = EvaluationForm(EVALUATION_FORM | {"performed_on": day.isoformat()},
                          intake=intake.answers)  # fmt: skip
    evaluation_save(by=therapist, episode=episode, data=_valid(form, "evaluation"))
    booking.appointment_mark(
        by=therapist, appointment=appointment, status=Status.COMPLETED, now=appointment.end
    )
    plan = plans.plan_propose(by=therapist, episode=episode)
    goals = plans.suggested_goals(episode, plan.duration_weeks)
    plans.plan_set_goals(by=therapist, plan=plan, frequency=plan.frequency_per_week,
                         weeks=plan.duration_weeks, goals=goals)  # fmt: skip
    plans.plan_sign(by=therapist, plan=plan, now=now)
    episode.refresh_from_db()
    return episode
