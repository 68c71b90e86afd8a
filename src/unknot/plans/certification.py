"""Plan certification and progress reports (issue 16; docs/billing.md).

Medicare's rules are the care core's (`care.charges`: certification_due, progress_report_due,
BillingSettings); this module puts them on an episode, on the clinic's own calendar days:

- the start of care is the clinic day the episode's first plan was signed (the evaluation's
  day), or its first treatment note if that is earlier;
- a certification covers the days from its `period_start` to its `covers_until`; the first
  one starts at the start of care, a recertification the day after the last certified day;
- a treatment day is a day with a treatment note (an emergency stop is not a treatment);
- a progress report is a re-assessment visit (`visits.is_reassessment`): it re-measures the
  outcome instruments and judges their change against the baseline, which is what Medicare's
  progress report documents; or any treatment note the therapist marks as including one
  (`Visit.includes_progress_report`). One rule: `is_progress_report`.

The physician answers through a signed link (`certification_links`), no account needed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string

from unknot import audit
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.care.charges import (
    BillingSettings,
    ProgressReportDue,
    certification_due,
    progress_report_due,
)
from unknot.care.triage import EMERGENCY
from unknot.clinics import times
from unknot.clinics.models import StaffMember
from unknot.common.errors import Refused
from unknot.common.identifiers import validate_npi
from unknot.outbox.queue import queue_email
from unknot.plans import certification_links as links
from unknot.plans.models import Certification, CertificationStatus, PlanOfCare, PlanStatus
from unknot.records.models import Episode, EpisodeStatus, Visit
from unknot.records.selectors import ensure_clinician, episodes_visible_to

# Shown on the therapist's day this many days before a certification falls due.
DUE_SOON_DAYS = 14
# A progress report is shown as coming up when this few treatment days are left before it.
PROGRESS_SOON_TREATMENT_DAYS = 2
NAME_MAX, COMMENT_MAX = 200, 1000  # the stored fields' lengths


class CertificationError(Refused):
    """A certification that cannot be sent or answered as asked; `message` says why."""


def billing_settings() -> BillingSettings:
    """Medicare's numbers as the practice's settings (UNKNOT_CERTIFICATION_DAYS,
    UNKNOT_RECERTIFICATION_DAYS, UNKNOT_PROGRESS_REPORT_TREATMENT_DAYS); the defaults are
    Medicare's own."""
    default = BillingSettings()
    return BillingSettings(
        certification_days=int(
            getattr(settings, "UNKNOT_CERTIFICATION_DAYS", default.certification_days)
        ),
        recertification_days=int(
            getattr(settings, "UNKNOT_RECERTIFICATION_DAYS", default.recertification_days)
        ),
        progress_report_treatment_days=int(
            getattr(
                settings,
                "UNKNOT_PROGRESS_REPORT_TREATMENT_DAYS",
                default.progress_report_treatment_days,
            )
        ),
    )


# --- the episode's days -------------------------------------------------------------------


def _plan_day(plan: PlanOfCare) -> dt.date | None:
    return times.clinic_day(plan.signed_at, plan.episode.clinic) if plan.signed_at else None


def _treatments(episode: Episode) -> list[Visit]:
    """The episode's treatment notes (an emergency stop is not a treatment); `.all()` so that a
    list page's prefetch serves every episode from one query."""
    return [v for v in episode.visits.all() if (v.triage or {}).get("tier") != EMERGENCY]


def treatment_days(episode: Episode) -> list[dt.date]:
    """The days with a treatment note, in order (several notes on one day are one day)."""
    return sorted({v.performed_on for v in _treatments(episode)})


def start_of_care(episode: Episode) -> dt.date | None:
    """The first day of care: the first plan's signing day or the first treatment, whichever
    came first; None before either."""
    signed = [d for p in episode.plans.all() if (d := _plan_day(p)) is not None]
    days = signed + treatment_days(episode)[:1]
    return min(days) if days else None


def plan_end(plan: PlanOfCare, period_start: dt.date) -> dt.date:
    """The last day of the plan's duration from its signing; a recertification of a plan whose
    duration has already run covers the plan's duration again from its period's start."""
    signed = _plan_day(plan) or period_start
    end = signed + dt.timedelta(weeks=plan.duration_weeks)
    if end < period_start:
        end = period_start + dt.timedelta(weeks=plan.duration_weeks)
    return end


def _certified(episode: Episode) -> list[Certification]:
    return [c for c in episode.certifications.all() if c.status == CertificationStatus.CERTIFIED]


def next_period_start(episode: Episode) -> dt.date | None:
    """Where the next certification's days start: the start of care, or the day after the
    last certified day (a recertification)."""
    certified = _certified(episode)
    if certified:
        last = max(c.covers_until for c in certified if c.covers_until is not None)
        return last + dt.timedelta(days=1)
    return start_of_care(episode)


@dataclass(frozen=True)
class CertificationState:
    certified_until: dt.date | None  # the last day covered by a certified plan
    due: dt.date | None  # when the (re)certification is due; None before care starts
    recertification: bool  # the next one due is a recertification


def certification_state(episode: Episode) -> CertificationState:
    """CERT-1 and CERT-2 on the episode: the first certification is due `certification_days`
    after the start of care; once certified, a recertification is due by the last covered day
    (the plan's end, at most `recertification_days` from its period's start)."""
    certified = [c.covers_until for c in _certified(episode) if c.covers_until is not None]
    if certified:
        return CertificationState(max(certified), max(certified), recertification=True)
    start = start_of_care(episode)
    if start is None:
        return CertificationState(None, None, recertification=False)
    due = start + dt.timedelta(days=billing_settings().certification_days)
    return CertificationState(None, due, recertification=False)


def missing_certification(episode: Episode, day: dt.date) -> str | None:
    """Why a treatment on `day` is past the certification's due date without a certified
    plan, in words for the therapist; None when it is covered or still within the time
    allowed."""
    covered = any(
        c.period_start <= day <= c.covers_until
        for c in _certified(episode)
        if c.covers_until is not None
    )
    state = certification_state(episode)
    if covered or state.due is None or day <= state.due:
        return None
    if state.recertification:
        return (
            f"The plan's certification ran out on {times.day_label(state.due)} and no "
            "recertification has been certified."
        )
    return (
        f"The plan was due to be certified by {times.day_label(state.due)} and the physician "
        "has not certified it."
    )


def is_progress_report(visit: Visit) -> bool:
    """PROGRESS-1: a note that is a progress report: a re-assessment visit (it re-measures the
    outcome instruments against the baseline), or one the therapist marked as including one."""
    return visit.includes_progress_report or bool((visit.progression or {}).get("reassessment"))


def referring_certification(episode: Episode, day: dt.date) -> Certification | None:
    """Who refers the treatment on `day`, for the claim (837P loop 2310A, CMS-1500 box 17):
    the physician of the latest certification whose certified days cover it, or else of the
    latest one sent for the episode that was not declined (a plan waiting for its signature,
    or certified for other days, still names who the patient is treated for); None when the
    plan was never sent."""
    rows = list(episode.certifications.all())  # newest first (the model's ordering)
    covering = [
        c for c in _certified(episode)
        if c.covers_until is not None and c.period_start <= day <= c.covers_until
    ]  # fmt: skip
    if covering:
        return max(covering, key=lambda c: (c.sent_at, c.pk))
    return next((c for c in rows if c.status != CertificationStatus.REFUSED), None)


def progress_report(episode: Episode) -> ProgressReportDue:
    """PROGRESS-1: treatment days since the last progress report (`is_progress_report`)."""
    rows = _treatments(episode)
    days = [v.performed_on for v in rows]
    reports = [v.performed_on for v in rows if is_progress_report(v)]
    return progress_report_due(
        days, last_report=max(reports, default=None), settings=billing_settings()
    )


def shown_status(certification: Certification, now: dt.datetime) -> str:
    """The status as people should see it: a sent link past its end is expired."""
    if certification.status == CertificationStatus.SENT and certification.expires_at <= now:
        return CertificationStatus.EXPIRED.label
    return certification.get_status_display()


# --- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Physician:
    """The referring physician or NPP, named as the claim names them (first and last)."""

    first_name: str
    last_name: str
    npi: str
    email: str


def _check_physician(physician: Physician) -> None:
    names = (physician.first_name.strip(), physician.last_name.strip())
    if not all(names) or not physician.email.strip():
        raise CertificationError("Enter the physician's first and last name and email address.")
    try:
        validate_npi(physician.npi)
    except ValidationError as error:
        raise CertificationError(error.messages[0]) from None
    if not physician.npi:
        raise CertificationError("Enter the physician's NPI.")


def _recorded(by: User | None, certification: Certification, action: str, reason: str) -> None:
    episode = certification.episode
    audit.record(
        action, by=by, object_type="certification", object_id=certification.pk,
        patient_id=episode.patient_id, clinic_id=episode.clinic_id, reason=reason,
    )  # fmt: skip


@transaction.atomic
def certification_send(
    *, by: User, plan: PlanOfCare, physician: Physician, now: dt.datetime
) -> Certification:
    """Sends the signed plan to the physician or NPP: a new row with its own link, by email
    through the outbox. Links still open for the episode are replaced (marked expired)."""
    ensure_clinician(by, plan.episode)
    plan = PlanOfCare.objects.select_for_update().select_related("episode__clinic").get(pk=plan.pk)
    if plan.status != PlanStatus.SIGNED:
        raise CertificationError("Only the current signed plan can be sent for certification.")
    _check_physician(physician)
    episode = plan.episode
    open_rows = episode.certifications.filter(status=CertificationStatus.SENT)
    open_rows.update(status=CertificationStatus.EXPIRED)
    made = Certification.objects.create(
        episode=episode, plan=plan, physician_first_name=physician.first_name.strip(),
        physician_last_name=physician.last_name.strip(), physician_npi=physician.npi,
        physician_email=physician.email.strip(),
        sent_by=by.staff_member, sent_at=now,
        expires_at=now + dt.timedelta(days=links.link_days()),
        period_start=next_period_start(episode) or times.clinic_day(now, episode.clinic),
    )  # fmt: skip
    _queue_request(made, now)
    _recorded(by, made, Action.CREATE, "sent")
    return made


def certification_resend(
    *, by: User, certification: Certification, now: dt.datetime
) -> Certification:
    """The same physician asked again with a new link, for the episode's current signed plan."""
    physician = Physician(
        certification.physician_first_name, certification.physician_last_name,
        certification.physician_npi, certification.physician_email,
    )  # fmt: skip
    current = certification.episode.plans.filter(status=PlanStatus.SIGNED).first()
    if current is None:
        raise CertificationError("The episode has no signed plan to send.")
    return certification_send(by=by, plan=current, physician=physician, now=now)


def _queue_request(certification: Certification, now: dt.datetime) -> None:
    episode = certification.episode
    clinic = episode.clinic
    context = {
        "certification": certification,
        "clinic": clinic,
        "patient": episode.patient,
        "url": links.certification_url(certification.pk),
        "expires": times.day_label(certification.expires_at, clinic),
    }
    queue_email(
        key=f"plan-certification:{certification.pk}",
        kind="plan_certification",
        appointment=None,
        clinic_id=clinic.pk,
        to=certification.physician_email,
        subject=f"A plan of care to certify · {clinic.name}",
        body=render_to_string("plans/email/certification_request.txt", context),
        send_after=now,
    )


# --- the physician's answer ---------------------------------------------------------------


def link_refusal(certification: Certification, now: dt.datetime) -> str | None:
    """Why the link can no longer be answered, in words for the physician; None when it can."""
    if certification.status == CertificationStatus.CERTIFIED:
        return "This plan of care has been certified already. Thank you."
    if certification.status == CertificationStatus.REFUSED:
        return "This plan of care has been answered already: it was declined."
    if certification.status == CertificationStatus.EXPIRED or certification.expires_at <= now:
        return (
            "This link has expired or was replaced by a newer one. Please ask the clinic to "
            "send the plan again."
        )
    if certification.plan.status != PlanStatus.SIGNED:
        return "The plan of care was changed after this link was sent. Please ask the clinic."
    return None


def _locked_open(certification_id: int, now: dt.datetime) -> Certification:
    found = (
        Certification.objects.select_for_update()
        .select_related("plan", "episode__clinic")
        .get(pk=certification_id)
    )
    refusal = link_refusal(found, now)
    if refusal is not None:
        raise CertificationError(refusal)
    return found


def _expire_if_past(certification_id: int, now: dt.datetime) -> None:
    """A link answered after its end is marked expired (in its own write, before the answer
    is refused), so the therapist's list says so."""
    Certification.objects.filter(
        pk=certification_id, status=CertificationStatus.SENT, expires_at__lte=now
    ).update(status=CertificationStatus.EXPIRED)


def certification_certify(
    *, certification_id: int, typed_name: str, attests: bool, now: dt.datetime
) -> Certification:
    """The physician certifies the plan: their typed name and the attestation. The certified
    days run from the period's start to the plan's end, at most `recertification_days`."""
    typed = typed_name.strip()
    if not typed or not attests:
        raise CertificationError("Type your name and tick the attestation to certify the plan.")
    if len(typed) > NAME_MAX:
        raise CertificationError(f"Keep your name under {NAME_MAX} characters.")
    _expire_if_past(certification_id, now)
    return _certify(certification_id, typed, now)


@transaction.atomic
def _certify(certification_id: int, typed: str, now: dt.datetime) -> Certification:
    found = _locked_open(certification_id, now)
    start = next_period_start(found.episode) or found.period_start
    dates = certification_due(start, plan_end(found.plan, start), settings=billing_settings())
    found.period_start, found.covers_until = start, dates.recertification_due
    found.status, found.typed_name, found.answered_at = CertificationStatus.CERTIFIED, typed, now
    found.save()
    _recorded(None, found, Action.UPDATE, "certified")
    return found


def certification_decline(
    *, certification_id: int, comment: str, now: dt.datetime
) -> Certification:
    """The physician declines to certify; their comment is required (the therapist reads it)."""
    text = comment.strip()
    if not text:
        raise CertificationError("Write why you decline: the therapist will read it.")
    if len(text) > COMMENT_MAX:
        raise CertificationError(f"Keep the comment under {COMMENT_MAX} characters.")
    _expire_if_past(certification_id, now)
    return _decline(certification_id, text, now)


@transaction.atomic
def _decline(certification_id: int, text: str, now: dt.datetime) -> Certification:
    found = _locked_open(certification_id, now)
    found.status, found.comment, found.answered_at = CertificationStatus.REFUSED, text, now
    found.save(update_fields=["status", "comment", "answered_at"])
    _recorded(None, found, Action.UPDATE, "declined")
    return found


# --- the therapist's day ------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    episode: Episode
    plan: PlanOfCare
    what: str  # in words: "Certification", "Recertification", "Progress report"
    when: str  # in words: "due Dec 7, 2026", "overdue since ...", "at the next visit"
    overdue: bool


def _certification_item(episode: Episode, plan: PlanOfCare, today: dt.date) -> DueItem | None:
    state = certification_state(episode)
    if state.due is None or (state.due - today).days > DUE_SOON_DAYS:
        return None
    what = "Recertification" if state.recertification else "Certification"
    overdue = today > state.due
    when = f"{'overdue since' if overdue else 'due by'} {times.day_label(state.due)}"
    return DueItem(episode, plan, what, when, overdue)


def _progress_item(episode: Episode, plan: PlanOfCare) -> DueItem | None:
    report = progress_report(episode)
    if report.due is not None:
        when = f"overdue since {times.day_label(report.due)}"
        return DueItem(episode, plan, "Progress report", when, overdue=True)
    if report.treatment_days_left > PROGRESS_SOON_TREATMENT_DAYS:
        return None
    left = report.treatment_days_left
    when = "due at the next visit" if left <= 1 else f"due within {left} treatment days"
    return DueItem(episode, plan, "Progress report", when, overdue=False)


def care_due(user: User, therapist: StaffMember, now: dt.datetime) -> list[DueItem]:
    """The therapist's open episodes with a signed plan whose certification is due soon or
    overdue, or whose progress report is: overdue first. A fixed number of queries however
    many episodes (plans, certifications and visits come prefetched)."""
    visits = Visit.objects.only(
        "episode_id", "performed_on", "progression", "includes_progress_report", "triage"
    )
    episodes = (
        episodes_visible_to(user)
        .filter(therapist=therapist, status=EpisodeStatus.OPEN, plans__status=PlanStatus.SIGNED)
        .distinct()
        .prefetch_related("plans", "certifications", Prefetch("visits", queryset=visits))
    )
    items = []
    for episode in episodes:
        plan = next(p for p in episode.plans.all() if p.status == PlanStatus.SIGNED)
        today = times.clinic_day(now, episode.clinic)
        found = (_certification_item(episode, plan, today), _progress_item(episode, plan))
        items += [item for item in found if item is not None]
    return sorted(items, key=lambda i: (not i.overdue, i.episode.patient.full_name))
