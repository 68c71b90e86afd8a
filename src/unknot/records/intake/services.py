"""Writes to an intake: save a section, raise the emergency alert, submit, review, first login.

Callers have already found the intake through the access helpers; these functions lock the
row, check its state again and write in one transaction.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from unknot import audit, care
from unknot.accounts.access import may_write, staff_role
from unknot.accounts.emails import username_for
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.common.errors import Refused
from unknot.outbox import links as outbox_links
from unknot.patients.models import Patient
from unknot.records import goals
from unknot.records.clinical import holds, screening
from unknot.records.clinical.selectors import latest_evaluation
from unknot.records.intake import scoring, sections
from unknot.records.intake.alerts import queue_clinic_alert
from unknot.records.intake.answers import copied
from unknot.records.intake.forms import SectionForm
from unknot.records.models import Intake, IntakeStatus, OutcomeScore


class IntakeClosed(Refused):
    """The intake was already sent to the clinic; answers are no longer changed online."""

    code = "intake_closed"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "This intake was already sent to the clinic, so its answers cannot be changed here."
        )


class SafetyNotAnswered(Refused):
    """The safety pages must be finished before the intake is sent."""

    code = "safety_not_answered"

    def __init__(self) -> None:
        super().__init__("Please answer the safety questions before sending the intake.")


class NotReviewable(Refused):
    """The intake cannot be marked reviewed (or its alert acknowledged); `message` says why."""

    code = "not_reviewable"


@dataclass(frozen=True)
class Saved:
    section_done: bool
    emergency: bool  # triage says emergency: show the guidance now
    newly_emergency: bool  # this save raised the alert


def _locked(intake: Intake) -> Intake:
    locked = Intake.objects.select_for_update().select_related("episode__clinic").get(pk=intake.pk)
    # Keep the caller's loaded relations (patient, appointment) for the case data.
    locked.episode = intake.episode
    locked.appointment = intake.appointment
    return locked


def _mark_done(done: list[str], slug: str, is_done: bool) -> list[str]:
    kept = [s for s in done if s != slug]
    return [s.slug for s in sections.SECTIONS if s.slug in kept or (is_done and s.slug == slug)]


@transaction.atomic
def save_section(
    *, intake: Intake, section: sections.Section, form: SectionForm, now: dt.datetime
) -> Saved:
    """Writes one valid page. Raises care.CaseError (nothing is written) or IntakeClosed."""
    row = _locked(intake)
    if row.status != IntakeStatus.DRAFT:
        raise IntakeClosed
    today = scoring.clinic_today(row, now)
    answers, notes = copied(row.answers), copied(row.notes)
    form.apply(answers, notes)
    answers = scoring.with_visit(answers, row, today)
    care.parse_case(scoring.case_data(answers, row, today))  # the core's own check
    row.answers, row.notes = answers, notes
    row.sections_done = _mark_done(list(row.sections_done), section.slug, form.is_done())
    triage = scoring.triage_for(row, today)
    emergency = scoring.is_emergency(triage)
    newly = emergency and row.emergency_at is None
    if newly:
        raise_alert(row, now)
        holds.hold_open(by=None, episode=row.episode, triage=triage, source="intake", now=now)
    row.save(update_fields=["answers", "notes", "sections_done", "emergency_at", "updated_at"])
    _recorded(row, "emergency_alert" if newly else "section_saved")
    intake.refresh_from_db()
    return Saved(section.slug in row.sections_done, emergency, newly)


def raise_alert(intake: Intake, now: dt.datetime) -> None:
    """Marks the intake and tells the clinic by email, without any clinical detail."""
    intake.emergency_at = now
    clinic = intake.episode.clinic
    review = reverse("intake:review_detail", args=[intake.episode_id])
    body = render_to_string(
        "records/intake/email/clinic_alert.txt",
        {"clinic": clinic, "review_url": outbox_links.absolute(review)},
    )
    queue_clinic_alert(
        clinic,
        subject=f"Same-day attention needed · {clinic.name}",
        body=body,
        key=f"intake-emergency:{intake.pk}",
        now=now,
    )


def safety_done(intake: Intake) -> bool:
    return all(slug in intake.sections_done for slug in sections.SAFETY_SLUGS)


@transaction.atomic
def submit(*, intake: Intake, now: dt.datetime) -> list[str]:
    """Sends the intake to the clinic and stores what the core could score.

    Returns the plain names of the questionnaires that could not be scored.
    """
    row = _locked(intake)
    if row.status != IntakeStatus.DRAFT:
        raise IntakeClosed
    if not safety_done(row):
        raise SafetyNotAnswered
    today = scoring.clinic_today(row, now)
    # SCREEN-2: a referral the intake points to holds treatment until a medical clearance.
    holds.hold_open(by=None, episode=row.episode, triage=scoring.triage_for(row, today),
                    source="intake", now=now)  # fmt: skip
    scores = scoring.scores_for(row, today)
    stored = OutcomeScore.objects.bulk_create(
        OutcomeScore(
            episode_id=row.episode_id,
            instrument=score.instrument,
            value=score.value,
            measured_on=today,
            source="intake",
            loinc=score.loinc,
            details=score.details,
        )
        for score in scoring.score_rows(scores)
    )
    # The activities the person named become their goals, each with its first rating.
    goals.ratings_from_psfs(stored, by=row.episode.patient.user, now=now)
    row.status, row.submitted_at = IntakeStatus.SUBMITTED, now
    row.save(update_fields=["status", "submitted_at", "updated_at"])
    _recorded(row, "submitted")  # with the scores it stored
    intake.refresh_from_db()
    return scoring.not_scored(scores)


def _ensure_screened(row: Intake, now: dt.datetime) -> None:
    """SCREEN-1: "reviewed" means every red-flag domain has an answer, from the intake or
    asked in person at the episode's latest evaluation. An empty intake is never reviewed."""
    if not any(key != "visit" for key in row.answers):  # the stored visit is not an answer
        raise NotReviewable("This intake has no answers yet: there is nothing to review.")
    today = scoring.clinic_today(row, now)
    try:
        screen = screening.intake_screen(row, today, latest_evaluation(row.episode))
    except care.CaseError as error:
        raise NotReviewable(f"The record cannot be read: {error.field}: {error.reason}") from None
    if not screen.complete:
        raise NotReviewable(
            f"The red-flag screen is not complete: {screening.open_domains_text(screen)} "
            "still open. You can ask about these in person in the evaluation; once it records "
            "the answers, the intake can be marked reviewed."
        )


@transaction.atomic
def mark_reviewed(*, by: User, intake: Intake, now: dt.datetime) -> None:
    """The therapist has read it and every red-flag domain is answered (raises NotReviewable
    otherwise, writing nothing). A sent intake becomes reviewed; an alert is acknowledged."""
    _ensure_may_review(by)
    row = _locked(intake)
    _ensure_screened(row, now)
    row.reviewed_by, row.reviewed_at = by.staff_member, now
    if row.status == IntakeStatus.SUBMITTED:
        row.status = IntakeStatus.REVIEWED
    row.save(update_fields=["reviewed_by", "reviewed_at", "status", "updated_at"])
    _recorded(row, "reviewed", by=by)


@transaction.atomic
def acknowledge_alert(*, by: User, intake: Intake, now: dt.datetime) -> None:
    """A clinician has seen the emergency alert and contacted the person. Allowed while the
    screen is still open (the person was sent to an emergency department, often before the
    last pages); the intake itself is not marked reviewed."""
    _ensure_may_review(by)
    row = _locked(intake)
    if row.emergency_at is None:
        raise NotReviewable("This intake raised no alert.")
    if row.reviewed_at is not None:
        raise NotReviewable("The alert was already acknowledged.")
    row.reviewed_by, row.reviewed_at = by.staff_member, now
    row.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
    _recorded(row, "alert_acknowledged", by=by)


def _ensure_may_review(by: User) -> None:
    if staff_role(by) is None or not may_write(by):
        raise PermissionError("Only staff who may write can mark an intake reviewed.")


def _recorded(row: Intake, reason: str, by: User | None = None) -> None:
    """The audit row of a write, in its transaction; `by=None` is the request's user."""
    audit.record(
        Action.UPDATE, by=by, object_type="intake", object_id=row.pk,
        patient_id=row.episode.patient_id, clinic_id=row.episode.clinic_id, reason=reason,
    )  # fmt: skip


class AlreadyHasLogin(Refused):
    """The person already has a portal login: they sign in instead of choosing a password."""

    code = "already_has_login"

    def __init__(self) -> None:
        super().__init__("You already have a login: please sign in to open your intake.")


class EmailInUse(Refused):
    """Another login already uses this email address; the clinic sorts it out by phone."""

    code = "email_in_use"

    def __init__(self) -> None:
        super().__init__("Another login already uses this email address. Please call the clinic.")


def _free_username(email: str) -> str:
    """The email, or a stable shortened form when it is longer than a username can hold;
    the person signs in with their email either way (`accounts.backends`)."""
    users = get_user_model().objects
    candidate, n = username_for(email), 1
    while users.filter(username__iexact=candidate).exists():
        n += 1
        candidate = username_for(email, f"-{n}")
    return candidate


@transaction.atomic
def create_portal_login(*, patient: Patient, password: str) -> Any:
    """A portal login for a person who booked online: they sign in with their email."""
    row = Patient.objects.select_for_update().get(pk=patient.pk)
    if row.user_id is not None:
        raise AlreadyHasLogin
    email = row.email.strip().lower()
    if not email or get_user_model().objects.filter(email__iexact=email).exists():
        raise EmailInUse
    user = get_user_model().objects.create_user(
        username=_free_username(email),
        email=email,
        password=password,
        first_name=row.first_name,
        last_name=row.last_name,
    )
    row.user = user
    row.save(update_fields=["user"])
    audit.record(
        Action.PERMISSION_CHANGE, object_type="account", object_id=user.pk, patient_id=row.pk,
        clinic_id=row.preferred_clinic_id, reason="portal_login_created",
    )  # fmt: skip
    return user
