"""Builds the demo's courses of care through the services the pages call.

Each step is what a person or a member of staff does in the product, in the order they do it,
with the moment they did it passed to the service as `now`. Where a row stamps its own creation
time (auto_now_add), the stamp is set back to that moment right after, in the same transaction,
so lists and charts read as they would have on the day.
"""

import datetime as dt
from typing import Any

from django.db.models import Model

from unknot.accounts.models import User
from unknot.booking.models import Appointment, AppointmentKind
from unknot.demo import calendar as cal
from unknot.demo.journeys import (
    DISCHARGED,
    MINUTES,
    SYMPTOM_RELIEF,
    VISIT_INTERVENTIONS,
    Journey,
    VisitNote,
)
from unknot.patients.models import Patient
from unknot.plans import certification
from unknot.plans import forms as plan_forms
from unknot.plans import services as plans
from unknot.plans import visits as vs
from unknot.plans.home import services as home
from unknot.plans.home.forms import AdherenceCommentForm, ExerciseLogForm
from unknot.plans.models import EducationAssignment, PlanOfCare
from unknot.plans.selectors import signed_plan
from unknot.records.clinical.evaluation import EvaluationForm, evaluation_save
from unknot.records.intake import sections
from unknot.records.intake import services as intake_services
from unknot.records.models import Episode, Intake, Visit

LOG_STATUS = {"d": "done", "p": "partly", "s": "skipped"}


class DemoDataError(ValueError):
    """The demo's own data does not pass a form: a mistake in journeys.py, said plainly."""


def _valid(form: Any, what: str) -> dict[str, Any]:
    if not form.is_valid():
        raise DemoDataError(f"{what}: {form.errors.as_text()}")
    return dict(form.cleaned_data)


def _stamp(row: Model, **moments: dt.datetime) -> None:
    """Sets creation stamps back to when the step happened (update() skips auto_now)."""
    type(row)._default_manager.filter(pk=row.pk).update(**moments)


# --- intake, evaluation, plan ------------------------------------------------------------


def fill_intake(intake: Intake, journey: Journey, onset: dt.date, now: dt.datetime) -> None:
    """The person fills in every page at home, the evening after booking, and sends it."""
    clinic = intake.episode.clinic
    today = cal.local_day(clinic, now)
    for number, section in enumerate(sections.SECTIONS):
        data = dict(journey.intake[section.slug])
        if section.slug == "story":
            data["onset_date"] = onset.isoformat()
        form = section.form(data, today=today)
        _valid(form, f"intake page {section.slug} of {journey.patient}")
        moment = now + dt.timedelta(minutes=2 * number)
        intake_services.save_section(intake=intake, section=section, form=form, now=moment)
    intake_services.submit(intake=intake, now=now + dt.timedelta(minutes=30))


def _evaluate(journey: Journey, episode: Episode, by: User, day: dt.date) -> None:
    data = journey.exam | {"performed_on": day.isoformat(), "is_final": "on"}
    cleaned = _valid(EvaluationForm(data), f"evaluation of {journey.patient}")
    evaluation = evaluation_save(by=by, episode=episode, data=cleaned)
    moment = cal.at(episode.clinic, day, 11)
    _stamp(evaluation, created_at=moment, updated_at=moment)


def _set_doses(plan: PlanOfCare, journey: Journey, by: User) -> PlanOfCare:
    for element in plan.elements:
        dose = journey.home_doses.get(element.get("exercise_key", ""))
        if dose:
            plan = plans.element_dose(by=by, plan=plan, key=element["key"], dose=dose)
    return plan


# The fictional referring physician who certifies the demo's plans (the NPI is NPPES's own
# example number, whose check digit is right).
REFERRING = certification.Physician("Ada", "Referral", "1234567893", "referrals@unknot.example")


def _certify(episode: Episode, by: User, when: dt.datetime) -> None:
    """The plan sent to the referring physician, who certifies it the same day."""
    plan = signed_plan(episode)
    assert plan is not None
    sent = certification.certification_send(by=by, plan=plan, physician=REFERRING, now=when)
    certification.certification_certify(
        certification_id=sent.pk, typed_name=sent.physician_name, attests=True, now=when
    )


def _plan(journey: Journey, episode: Episode, by: User, signed_at: dt.datetime) -> PlanOfCare:
    """The core's proposal, the therapist's doses, suggested goals, signed."""
    plan = _set_doses(plans.plan_propose(by=by, episode=episode), journey, by)
    goals = plans.suggested_goals(episode, plan.duration_weeks)
    plans.plan_set_goals(by=by, plan=plan, frequency=plan.frequency_per_week,
                         weeks=plan.duration_weeks, goals=goals)  # fmt: skip
    plans.plan_sign(by=by, plan=plan, now=signed_at)
    _stamp(plan, created_at=signed_at - dt.timedelta(minutes=20))
    plan.refresh_from_db()
    _certify(episode, by, signed_at)
    return plan


def _portal_user(patient: Patient) -> User:
    assert patient.user is not None  # every demo patient signs in to the portal
    return patient.user


def _read_lessons(journey: Journey, episode: Episode, patient: Patient, when: dt.datetime) -> None:
    assigned = EducationAssignment.objects.filter(plan__episode=episode).order_by("pk")
    person = _portal_user(patient)
    for n, lesson in enumerate(assigned[: journey.lessons_read]):
        home.mark_lesson_read(by=person, episode=episode, topic_key=lesson.topic_key,
                              now=when + dt.timedelta(days=n))  # fmt: skip


# --- visits ----------------------------------------------------------------------------------


def _planned(plan: PlanOfCare) -> list[str]:
    """The current phase's clinic interventions, as the new-visit page lists them."""
    found: list[str] = []
    for element in plan.elements:
        key = element.get("intervention")
        current = element.get("phase") == plan.current_phase and not element.get("removed")
        if current and key and element.get("cpt") and key not in found:
            found.append(key)
    return found


def _delivered(plan: PlanOfCare, number: int) -> list[vs.Delivered]:
    """The first planned interventions, a few minutes longer at every other visit."""
    planned = _planned(plan)[:VISIT_INTERVENTIONS]
    return [vs.Delivered(key, MINUTES.get(key, 10) + 3 * (number % 2)) for key in planned]


def _scores_at(journey: Journey, index: int) -> VisitNote | None:
    """The visit note whose ODI, PSFS and PEG a re-assessment at visit `index` uses: its own, else
    the next one's, else the last given. UNKNOT_REASSESS_EVERY_VISITS decides which visits are
    re-assessments, so they may fall elsewhere than the notes were written for."""
    later = [n for n in journey.visits[index:] if n.odi]
    earlier = [n for n in journey.visits[:index] if n.odi]
    return next(iter(later or earlier[::-1]), None)


def _reassessment(note: VisitNote | None, episode: Episode) -> dict[str, Any]:
    """ODI, PSFS and PEG through the re-assessment form (the intake's activities, scored
    again): each questionnaire's answers by its key."""
    if note is None:
        return {}
    items = episode.intake.answers["questionnaires"]["psfs"]
    data = {f"odi_{n}": str(v) for n, v in enumerate(note.odi, start=1)}
    for n, (item, score) in enumerate(zip(items, note.psfs, strict=True), start=1):
        data |= {f"psfs_activity_{n}": item["activity"], f"psfs_score_{n}": str(score)}
    data |= {f"peg_{n}": str(v) for n, v in enumerate(note.peg, start=1)}
    form = plan_forms.ReassessmentForm(data)
    _valid(form, f"re-assessment of {episode.patient}")
    return form.answers()


def _visit_input(note: VisitNote, scores: VisitNote | None, day: dt.date, episode: Episode,
                 appointment: Appointment, plan: PlanOfCare) -> vs.VisitInput:  # fmt: skip
    data = {"performed_on": day.isoformat(), "rescreen_done": "on", "nprs": str(note.nprs),
            "symptom_course": note.symptom_course, "flare_24h": note.flare_24h,
            "subjective": note.subjective, "objective": note.objective,
            "assessment": note.assessment, "plan_text": note.plan_text}  # fmt: skip
    form = plan_forms.VisitForm(data)
    cleaned = _valid(form, f"visit note of {episode.patient}")
    number = episode.visits.count() + 1
    again = _reassessment(scores, episode) if vs.is_reassessment(number) else {}
    return vs.VisitInput(
        performed_on=cleaned["performed_on"], nprs=cleaned["nprs"], positive_flags=form.flags(),
        subjective=cleaned["subjective"], objective=cleaned["objective"],
        assessment=cleaned["assessment"], plan_text=cleaned["plan_text"],
        symptom_course=cleaned["symptom_course"] or None,
        flare_24h=plan_forms.tri(cleaned["flare_24h"]),
        delivered=_delivered(plan, number), reassessment=again, appointment=appointment,
    )  # fmt: skip


def _ready(visit: Visit) -> bool:
    suggestion = visit.progression.get("suggestion") or {}
    return suggestion.get("ready_for_active_care") is True


def _treat(journey: Journey, episode: Episode, by: User, index: int, day: dt.date,
           booked_at: dt.datetime) -> Visit:  # fmt: skip
    """Booked at the last visit, attended, written up, progression accepted if due, signed."""
    clinic = episode.clinic
    appointment = cal.book(clinic=clinic, kind=AppointmentKind.FOLLOW_UP,
                           therapist=by.staff_member, patient=episode.patient, day=day,
                           booked_at=booked_at)  # fmt: skip
    cal.completed(appointment)
    plan = signed_plan(episode)
    assert plan is not None
    note, scores = journey.visits[index], _scores_at(journey, index)
    data = _visit_input(note, scores, day, episode, appointment, plan)
    visit = vs.visit_record(by=by, episode=episode, data=data)
    signed_at = cal.at(clinic, day, 11, 15)
    moving_on = journey.stage != SYMPTOM_RELIEF and plan.current_phase == "symptom_relief"
    if moving_on and _ready(visit):
        vs.visit_accept_progression(by=by, visit=visit, now=signed_at)
    if certification.missing_certification(episode, day) is not None:
        _certify(episode, by, cal.at(clinic, day, 8))  # recertified as the plan's days run out
    visit = vs.visit_sign(by=by, visit=visit, now=signed_at)
    _stamp(visit, created_at=cal.at(clinic, day, 10, 50))
    return visit


def _visits(journey: Journey, episode: Episode, by: User, first: dt.date,
            today: dt.date) -> list[Visit]:  # fmt: skip
    """Every visit that falls before today, each on the clinic's next open day."""
    done: list[Visit] = []
    last_day = first
    for index, note in enumerate(journey.visits):
        wanted = max(first + dt.timedelta(days=note.day), last_day + dt.timedelta(days=1))
        day = cal.open_day(episode.clinic, wanted)
        if day >= today:
            break
        booked_at = cal.at(episode.clinic, last_day, 11, 30)
        done.append(_treat(journey, episode, by, index, day, booked_at))
        last_day = day
    return done


# --- home programme --------------------------------------------------------------------------


def _pain_on(day: dt.date, start: int, visits: list[Visit]) -> int:
    """The pain a person would report before a session: their latest visit's NPRS."""
    pain = start
    for visit in visits:
        if visit.performed_on <= day and visit.nprs is not None:
            pain = visit.nprs
    return pain


def _log_data(journey: Journey, index: int, day: dt.date, pain: int) -> dict[str, str] | None:
    status = LOG_STATUS.get(journey.log_pattern[index % len(journey.log_pattern)])
    if status is None:
        return None
    data = {"performed_on": day.isoformat(), "status": status,
            "note": journey.log_notes.get(index, "")}  # fmt: skip
    if status != "skipped":
        relief = 2 if status == "done" and index % 3 == 0 else 1
        data |= {"pain_before": str(pain), "pain_after": str(max(0, pain - relief))}
    return data


def _log_sessions(journey: Journey, episode: Episode, start: dt.date, end: dt.date,
                  visits: list[Visit]) -> None:  # fmt: skip
    """The person logs each home session on their phone that evening."""
    patient = episode.patient
    person = _portal_user(patient)
    baseline = int(episode.intake.answers["questionnaires"]["nprs"])
    for index in range((end - start).days):
        day = start + dt.timedelta(days=index + 1)
        data = _log_data(journey, index, day, _pain_on(day, baseline, visits))
        if data is None:
            continue
        cleaned = _valid(ExerciseLogForm(data, today=day), f"home log of {patient}")
        log = home.log_session(by=person, episode=episode, **cleaned)
        _stamp(log, created_at=cal.at(episode.clinic, day, 20))


def _comment(journey: Journey, episode: Episode, by: User, signed_on: dt.date,
             now: dt.datetime) -> None:  # fmt: skip
    """The therapist's note on one week of home practice, written the following Monday."""
    week = signed_on + dt.timedelta(weeks=journey.comment_week)
    monday = week - dt.timedelta(days=week.weekday())
    form = AdherenceCommentForm({"week_start": monday.isoformat(), "text": journey.comment})
    comment = home.comment_on_week(by=by, episode=episode, **_valid(form, "adherence comment"))
    written = cal.at(episode.clinic, monday + dt.timedelta(days=7), 8)
    _stamp(comment, created_at=min(written, now))


# --- one course of care ------------------------------------------------------------------


def _open_episode(journey: Journey, patient: Patient, by: User, today: dt.date) -> Episode:
    """Booking the evaluation opens the episode; the person fills in the intake that evening."""
    clinic = patient.preferred_clinic
    assert clinic is not None
    day = cal.open_day(clinic, today - dt.timedelta(days=journey.evaluation_day))
    appointment = cal.book_evaluation(patient, by.staff_member, day)
    intake = appointment.intakes.get()
    booked_at = cal.evaluation_booked_at(clinic, day)
    _stamp(intake.episode, opened_at=booked_at)
    onset = booked_at.date() - dt.timedelta(days=journey.onset_days)
    fill_intake(intake, journey, onset, booked_at + dt.timedelta(hours=11))
    intake_services.mark_reviewed(by=by, intake=intake, now=cal.at(clinic, day, 8, 30))
    cal.completed(appointment)
    return Episode.objects.get(pk=intake.episode_id)


def build(journey: Journey, now: dt.datetime) -> Episode:
    """One person's course of care, from booking to today (or to discharge)."""
    patient = Patient.objects.select_related("preferred_clinic", "user").get(
        user__username=journey.patient
    )
    by = cal.staff_user(journey.therapist)
    clinic = patient.preferred_clinic
    assert clinic is not None
    today = cal.local_day(clinic, now)
    episode = _open_episode(journey, patient, by, today)
    booked = episode.intake.appointment
    assert booked is not None  # the demo's courses of care start from a booking
    day = cal.local_day(clinic, booked.start)
    _evaluate(journey, episode, by, day)
    signed_at = cal.at(clinic, day, 11, 30)
    _plan(journey, episode, by, signed_at)
    _read_lessons(journey, episode, patient, signed_at + dt.timedelta(hours=9))
    visits = _visits(journey, episode, by, day, today)
    _home_weeks(journey, episode, by, day, visits, now)
    if journey.stage == DISCHARGED:
        end = cal.at(clinic, visits[-1].performed_on, 11, 45)
        home.discharge(by=by, episode=episode, now=end)
    for ahead in journey.upcoming_visits:
        cal.book(clinic=clinic, kind=AppointmentKind.FOLLOW_UP, therapist=by.staff_member,
                 patient=patient, day=cal.open_day(clinic, today + dt.timedelta(days=ahead)),
                 booked_at=now)  # fmt: skip
    return Episode.objects.get(pk=episode.pk)


def _home_weeks(journey: Journey, episode: Episode, by: User, signed_on: dt.date,
                visits: list[Visit], now: dt.datetime) -> None:  # fmt: skip
    """Sessions up to last night (or, once discharged, the day of the last visit); a comment."""
    yesterday = cal.local_day(episode.clinic, now) - dt.timedelta(days=1)
    end = visits[-1].performed_on if journey.stage == DISCHARGED else yesterday
    _log_sessions(journey, episode, signed_on, end, visits)
    _comment(journey, episode, by, signed_on, now)
