"""A practice whose every free-text field holds script, and the pages that show those fields.

`build()` makes the cast's practice with something in every table a page reads from (the
API tests' world, a full clinical episode, a discharged patient, questions, emails, time
off, closures, comments, an audit event), then overwrites every attacked column of every row
with payloads (tests/attacks/stored_text.py). `PAGES` names, per persona, every page that
shows stored text; `NOT_SHOWN` explains each GET URL left out, and a test insists the two
together cover every URL of the site.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.api.world import build_world
from tests.attacks.stored_text import Written, poison_audit, poison_rows
from tests.billing import support as billing_support
from tests.calendar import make_calendar
from tests.coverage import support as coverage_support
from tests.paperwork import support as paperwork
from tests.personas import Cast, make_cast
from tests.waitlist.support import offered
from tests.web import matrix_clinical
from tests.web.matrix_care import care_episode
from unknot.billing import claims, ledger
from unknot.billing import services as billing
from unknot.billing.models import AdjustmentReason, ClaimSettings, PaymentMethod
from unknot.booking import feeds
from unknot.booking import services as booking
from unknot.booking.links import manage_token
from unknot.booking.models import (
    Appointment,
    AppointmentSeries,
    AttendanceFollowUp,
    ContactQuestion,
    SafetyCall,
    Status,
    TimeOff,
)
from unknot.breakglass.models import BreakGlassAccess, BreakGlassGrant
from unknot.clinics.models import Closure
from unknot.coverage import cards
from unknot.coverage import services as coverage_services
from unknot.coverage.models import Coverage
from unknot.outbox.models import OutboxEmail
from unknot.plans import certification, certification_links
from unknot.plans.models import AdherenceComment, PlanOfCare, UncertifiedSignature
from unknot.records import goals
from unknot.records.intake.sections import SECTIONS
from unknot.records.models import (
    Episode,
    Evaluation,
    MedicalHold,
    OutcomeScore,
    Visit,
    VisitIntervention,
)
from unknot.waitlist import links as waitlist_links
from unknot.waitlist import services as waitlist
from unknot.waitlist.models import ALL_WEEKDAYS, TimeOfDay


@dataclass
class XssWorld:
    cast: Cast
    written: Written
    ids: dict[str, Any]  # what the URLs need: episode, plan, visit ... ids
    users: dict[str, Any]  # persona -> user (the cast, and patient_r: discharged)


def _clinical(cast: Cast) -> dict[str, Any]:
    """An episode with a full intake, a final and a draft evaluation, a signed plan and a visit."""
    episode = matrix_clinical.episode(cast)
    matrix_clinical.evaluate(cast, episode)
    plan = matrix_clinical.signed(cast, episode)
    visit = matrix_clinical.visit(cast, episode)
    VisitIntervention.objects.create(
        visit=visit, intervention="manual_therapy", cpt="97140", minutes=15, notes="soft tissue"
    )
    draft_evaluation = matrix_clinical.evaluate(cast, episode)
    Evaluation.objects.filter(pk=draft_evaluation.pk).update(is_final=False)
    # Scores recorded elsewhere carry the source's name: free text, shown on both evaluations.
    reported = {"reported": {"source": "referral letter", "odi_percent": 40}}
    Evaluation.objects.filter(episode=episode).update(in_person=reported)
    hold = _holds(episode)
    return {"clinical_episode": episode.pk, "signed_plan": plan.pk, "visit": visit.pk,
            "hold": hold, "certify_token": _certifications(cast, plan, visit),
            "draft_evaluation": draft_evaluation.pk, "evaluation": episode.evaluations.first().pk,
            "element": (plan.elements or [{"key": "e1"}])[0]["key"]}  # fmt: skip


def _certifications(cast: Cast, plan: Any, visit: Any) -> str:
    """The plan sent to a physician who declined it with a comment, then sent again (the open
    link's page is opened); the visit carries a reason for signing without a certification."""
    now = timezone.now()
    physician = certification.Physician("Rosa", "Quinn", "1234567893", "quinn@test.example")
    first = certification.certification_send(
        by=cast.therapist_a, plan=plan, physician=physician, now=now
    )
    certification.certification_decline(certification_id=first.pk, comment="no", now=now)
    again = certification.certification_resend(by=cast.therapist_a, certification=first, now=now)
    UncertifiedSignature.objects.create(
        visit=visit, reason="physician away", by=cast.therapist_a.staff_member, at=now
    )
    return certification_links.certification_token(again.pk)


def _holds(episode: Any) -> int:
    """A referral cleared by a named physician with a note (free text, shown on the chart), and
    one still open, whose clearance page is opened."""
    now = timezone.now()
    MedicalHold.objects.create(
        episode=episode, source="visit", tier="URGENT_REFERRAL", rules=["RF-CANCER"],
        findings=["unexplained_weight_loss"], opened_at=now, cleared_at=now,
        clearing_physician="Dr. Patel", cleared_on=now.date(), clearance_note="bloods clear",
    )  # fmt: skip
    return MedicalHold.objects.create(
        episode=episode, source="visit", tier="URGENT_REFERRAL", rules=["RF-DVT"],
        findings=["suspected_dvt"], opened_at=now,
    ).pk  # fmt: skip


def _desk(cast: Cast, appointment: Appointment) -> dict[str, Any]:
    """What the front desk's pages show: a question, an email, time off, a closure, a series."""
    clinic, member = cast.clinic_a, cast.therapist_a.staff_member
    question = ContactQuestion.objects.create(
        clinic=clinic, name="Asker", email="asker@test.example", message="Saturdays?",
        phone="555", sender_fingerprint="x" * 64,
    )  # fmt: skip
    OutboxEmail.objects.create(
        key="attack", kind="reminder", clinic=clinic, appointment=appointment, to="p@test.example",
        subject="Reminder", body="Body", send_after=timezone.now(), last_error="refused",
    )  # fmt: skip
    start = appointment.start
    TimeOff.objects.create(therapist=member, start=start + dt.timedelta(hours=3),
                           end=start + dt.timedelta(hours=4), reason="dentist")  # fmt: skip
    day = start.date()
    Closure.objects.create(clinic=clinic, start_date=day + dt.timedelta(days=1),
                           end_date=day + dt.timedelta(days=1), reason="training")  # fmt: skip
    series = AppointmentSeries.objects.create(
        clinic=clinic, therapist=member, patient=cast.patient_p, description="twice a week",
        appointment_type=appointment.appointment_type, created_by=cast.therapist_a,
    )  # fmt: skip
    Appointment.objects.filter(pk=appointment.pk).update(series=series)
    _completed_evaluation(appointment)  # so the portal lets P book a follow-up
    feed, _token = feeds.feed_create(by=cast.therapist_a, therapist=member)
    call = _safety_call(cast, appointment)
    _missed_and_followed_up(cast, appointment)
    return {"question": question.pk, "feed": feed.pk, "day": day.isoformat(), "call": call}


def _missed_and_followed_up(cast: Cast, booked: Appointment) -> None:
    """A visit P did not attend five days ago (the front desk's list, the attendance page),
    and a follow-up whose note (free text) shows on the attendance page."""
    now = timezone.now()
    earlier = _whole_days_free_before(booked, at_least=booked.start - now + dt.timedelta(days=5))
    Appointment.objects.create(
        clinic=booked.clinic, appointment_type=booked.appointment_type, patient=booked.patient,
        therapist=booked.therapist, start=booked.start - earlier, end=booked.end - earlier,
        blocked_start=booked.blocked_start - earlier, blocked_end=booked.blocked_end - earlier,
        status=Status.NO_SHOW,
    )  # fmt: skip
    AttendanceFollowUp.objects.create(
        patient=cast.patient_p, clinic=cast.clinic_a, done_by=cast.front_desk_a.staff_member,
        done_at=now - dt.timedelta(days=10), note="called, discussed the policy",
    )  # fmt: skip


def _whole_days_free_before(booked: Appointment, *, at_least: dt.timedelta) -> dt.timedelta:
    """How far back to copy `booked`: whole days (the copy keeps its time of day on the grid
    the world was booked on), at least `at_least`, skipping days when the therapist is busy
    then. A copy at exactly "now minus five days" collided, at some hours of the day, with a
    visit the world had booked."""
    days = at_least.days + (1 if at_least % dt.timedelta(days=1) else 0)
    while True:
        shift = dt.timedelta(days=days)
        taken = Appointment.objects.filter(
            therapist=booked.therapist,
            blocked_start__lt=booked.blocked_end - shift,
            blocked_end__gt=booked.blocked_start - shift,
        )
        if not taken.exists():
            return shift
        days += 1


def _money(cast: Cast, visit_id: int, coverage_id: int) -> dict[str, Any]:
    """The visit's approved charge billed to P's coverage, on a claim, and a payment: the
    account, the claims, the claim's page and the ageing show their stored text."""
    coverage = Coverage.objects.get(pk=coverage_id)
    ClaimSettings.objects.create(
        practice=cast.clinic_a.practice, address_line="1 Test Street", city="Albany", state="NY",
        zip_code="12207-1234", submitter_id="S1", contact_name="Office", contact_phone="5185550100",
        clearinghouse_name="Clearing House", clearinghouse_id="CH1",
    )  # fmt: skip
    (charge,) = billing_support.charges_on(cast, [Visit.objects.get(pk=visit_id)], coverage)
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    ledger.payment_record(by=cast.front_desk_a, data=ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.CHECK, amount=Decimal("10.00"),
        received_on=charge.service_date, reference="check 12", patient=cast.patient_p,
    ))  # fmt: skip
    ledger.adjustment_make(
        by=cast.manager, charge=charge, amount=Decimal("5.00"),
        reason=AdjustmentReason.CONTRACTUAL, note="contract rate",
    )  # fmt: skip
    return {"claim": claim.pk}


def _safety_call(cast: Cast, appointment: Appointment) -> int:
    """Calls before the visit: one to make (the list), one made, whose note (free text) shows
    on its task page, the appointment and the chart."""
    asked = [{"question": "Have you ever had cancer?", "answer": "Yes"}]
    SafetyCall.objects.create(
        appointment=appointment, clinic=cast.clinic_a, patient=cast.patient_p, questions=asked,
        fired_rule_ids=["RF-CANCER"], created_at=timezone.now(),
    )  # fmt: skip
    call = SafetyCall.objects.create(
        appointment=appointment, clinic=cast.clinic_a, patient=cast.patient_p,
        questions=asked, fired_rule_ids=["RF-CANCER"], created_at=timezone.now(), status="done",
        outcome="cleared", outcome_note="spoke to her", done_by=cast.front_desk_a.staff_member,
        done_at=timezone.now(),
    )  # fmt: skip
    return call.pk


def _completed_evaluation(booked: Appointment) -> None:
    earlier = dt.timedelta(days=60)
    Appointment.objects.create(
        clinic=booked.clinic, appointment_type=booked.appointment_type, patient=booked.patient,
        therapist=booked.therapist, start=booked.start - earlier, end=booked.end - earlier,
        blocked_start=booked.blocked_start - earlier, blocked_end=booked.blocked_end - earlier,
        status=Status.COMPLETED,
    )  # fmt: skip


def _waitlist(cast: Cast) -> dict[str, Any]:
    """P waits for a follow-up at clinic A and has an open offer of a freed time (shown on
    the offer's page, the clinic's waitlist, the front desk's home and P's own list)."""
    calendar, now = make_calendar(cast), timezone.now()
    days = {"first_day": now.date(), "last_day": now.date() + dt.timedelta(days=90)}
    wishes = waitlist.Wishes(weekdays=ALL_WEEKDAYS, time_of_day=TimeOfDay.ANY, **days)
    entry = waitlist.entry_join(
        by=cast.front_desk_a, patient=cast.patient_p, clinic=cast.clinic_a,
        appointment_type=calendar.follow_up_a, therapist=None, wishes=wishes, now=now,
    )  # fmt: skip
    leaver = factories.patient("Lena", "Leaver", cast.clinic_a)
    freed = factories.booked_appointment(calendar, patient=leaver, type=calendar.follow_up_a)
    booking.appointment_cancel(by=cast.front_desk_a, appointment=freed, now=now)
    opening = offered(freed, now=now)
    assert opening is not None
    return {"offer_token": waitlist_links.offer_token(opening.offers.get(entry=entry).pk)}


def _billing(cast: Cast) -> dict[str, Any]:
    """A charge of clinic A from a signed note of patient Bea's, held and corrected by the
    manager (the hold's and the correction's reasons are free text), the fee schedule and
    Bea's Medicare (her own episode: P's have medical holds open, which stop treatment)."""
    bea = factories.patient("Bea", "Biller", cast.clinic_a)
    billing_support.medicare_world_for(cast, bea)
    plan = matrix_clinical.signed(cast, matrix_clinical.episode(cast, patient=bea))
    charge = billing_support.signed_visit(cast, plan)
    now = timezone.now()
    billing.charge_hold(by=cast.manager, charge=charge, reason="waiting for the MD", now=now)
    line = billing.LineEdit("97110", 3, ("GP",))
    billing.charge_correct(
        by=cast.manager, charge=charge, lines=[line], now=now, diagnosis_codes=["M54.50"],
        reason="three units on the note",
    )  # fmt: skip
    return {"charge": charge.pk}


def _coverage(cast: Cast) -> dict[str, Any]:
    """P's coverage (its card's front on file) with a payer of the practice's list: shown on
    P's insurance pages, staff's and P's own, and the payer list."""
    medicare = coverage_support.payer(cast.clinic_a.practice)
    images = coverage_services.CardImages(front=cards.checked(coverage_support.JPEG))
    found = coverage_services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, images=images,
        details=coverage_support.details(medicare),
    )  # fmt: skip
    return {"coverage": found.pk, "payer": medicare.pk}


def _authorisations(cast: Cast, coverage_id: int) -> dict[str, Any]:
    """P's insurer authorised one visit ending soon (so the front desk's home lists it): the
    payer's name, the member id, the authorisation's number and note are free text."""
    today = timezone.now().date()
    row = coverage_support.authorisation(
        cast.front_desk_a, Coverage.objects.get(pk=coverage_id), authorised=1,
        note="call the insurer",
        start_date=today - dt.timedelta(days=20), end_date=today + dt.timedelta(days=5),
    )  # fmt: skip
    return {"authorisation": row.pk}


def _paperwork(cast: Cast) -> None:
    """P signed the consent (the typed name and the document's words are free text)."""
    paperwork.with_default_documents()
    paperwork.signed(cast.patient_p.user, cast.patient_p, "consent")


def _emergency_opening(cast: Cast) -> None:
    """Clinic B's therapist broke the glass on patient P: the reason is free text."""
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(staff=cast.therapist_b.staff_member, granted_at=now)
    BreakGlassAccess.objects.create(
        grant=grant, user=cast.therapist_b, patient=cast.patient_p, category="emergency_care",
        reason="seen in the emergency room", opened_at=now,
        expires_at=now + dt.timedelta(minutes=30),
    )  # fmt: skip


def _goals(cast: Cast, episode: Episode) -> None:
    """Goals in the person's words, one reworded, rated twice (their words are poisoned)."""
    now = timezone.now()
    goals.goals_save(by=cast.patient_p.user, episode=episode, rows=[(None, "lifting")], now=now)
    goal = goals.goals_of(episode)[0]
    for day, words in ((dt.date(2026, 3, 2), "lifting"), (dt.date(2026, 3, 30), "lifting boxes")):
        goals.goals_save(by=cast.patient_p.user, episode=episode, rows=[(goal.pk, words)], now=now)
        psfs = OutcomeScore.objects.create(
            episode=episode, instrument="psfs", value=5, measured_on=day, source="reassessment",
            details={"items": [{"activity": words, "score": 5}]},
        )  # fmt: skip
        goals.ratings_from_psfs([psfs], by=cast.therapist_a, now=now)


def _discharged(cast: Cast) -> Any:
    """Patient R at clinic A, discharged: the discharge pages need an episode that ended."""
    patient = factories.patient("Rosa", "Reyes", cast.clinic_a)
    care_episode(patient, cast.therapist_a, discharged=True)
    return patient.user


def build() -> XssWorld:
    cast = make_cast()
    world = build_world(cast)
    appointment = Appointment.objects.get(pk=world.p.appointment)
    ids: dict[str, Any] = {
        "patient": cast.patient_p.pk,
        "care_episode": world.p.episode,
        "draft_plan": world.p.draft_plan,
        "appointment": appointment.pk,
        "manage_token": manage_token(appointment.pk),
        "type": world.evaluation_a.pk,
        "clinic": cast.clinic_a.slug,
    }
    ids |= _clinical(cast) | _desk(cast, appointment) | _waitlist(cast) | _coverage(cast)
    ids |= _authorisations(cast, ids["coverage"])
    ids |= _money(cast, ids["visit"], ids["coverage"])
    ids |= _billing(cast)
    for episode_id in (world.p.episode, ids["clinical_episode"]):  # whichever the portal shows
        AdherenceComment.objects.create(
            episode_id=episode_id, week_start=dt.date(2026, 3, 2),
            author=cast.therapist_a.staff_member, text="keep going",
        )  # fmt: skip
    PlanOfCare.objects.filter(pk=world.p.draft_plan).update(elements=[])
    for episode_id in (world.p.episode, ids["clinical_episode"]):
        _goals(cast, Episode.objects.get(pk=episode_id))
    _emergency_opening(cast)
    _paperwork(cast)
    users = dict(cast.users) | {"patient_r": _discharged(cast)}
    written = Written()
    poison_rows(written)
    for user in users.values():
        user.refresh_from_db()
    poison_audit(written, users["therapist_a"], cast.patient_p)
    return XssWorld(cast, written, ids, users)


# --- the pages -------------------------------------------------------------------------------

# persona -> [(url name, kwargs from the world's ids)]
Kwargs = Any


def _k(**names: str) -> Kwargs:
    return lambda ids: {key: ids[source] for key, source in names.items()}


def _section(slug: str) -> Kwargs:
    return lambda ids: {"episode_id": ids["clinical_episode"], "slug": slug}


EPISODE = _k(episode_id="care_episode")
CLINICAL = _k(episode_id="clinical_episode")
STAFF: list[tuple[str, Kwargs]] = [
    ("staffarea:dashboard", None),
    ("staffarea:clinic_detail", _k(slug="clinic")),
    ("staffarea:patient_list", None),
    ("staffarea:patient_detail", _k(patient_id="patient")),
    ("staffarea:patient_edit", _k(patient_id="patient")),
    ("clinical:caseload", None),
    ("clinical:patient_episodes", _k(patient_id="patient")),
    ("clinical:episode", CLINICAL),
    ("clinical:episode", EPISODE),
    ("clinical:evaluation_new", CLINICAL),
    ("clinical:evaluation", _k(evaluation_id="evaluation")),
    ("clinical:evaluation_edit", _k(evaluation_id="draft_evaluation")),
    ("clinical:plan", _k(plan_id="signed_plan")),
    ("clinical:plan", _k(plan_id="draft_plan")),
    ("clinical:plan_goals", _k(plan_id="draft_plan")),
    ("clinical:plan_sign", _k(plan_id="draft_plan")),
    ("clinical:plan_certification_send", _k(plan_id="signed_plan")),
    ("clinical:visit_new", CLINICAL),
    ("clinical:visit", _k(visit_id="visit")),
    ("clinical:visit_edit", _k(visit_id="visit")),
    ("clinical:hold_clear", _k(hold_id="hold")),
    ("intake:review_list", None),
    ("intake:review_detail", CLINICAL),
    ("home_programme:episode_adherence", EPISODE),
    ("home_programme:episode_progress", EPISODE),
    ("home_programme:episode_report", EPISODE),
    ("home_programme:episode_discharge", EPISODE),
    ("booking:staff_day", _k(slug="clinic", day="day")),
    ("booking:staff_week", _k(slug="clinic", day="day")),
    ("booking:staff_book", _k(slug="clinic")),
    ("booking:staff_series", _k(slug="clinic")),
    ("booking:staff_appointment", _k(appointment_id="appointment")),
    ("booking:staff_move", _k(appointment_id="appointment")),
    ("booking:staff_cancel", _k(appointment_id="appointment")),
    ("booking:staff_mark", _k(appointment_id="appointment")),
    ("booking:staff_patient_appointments", _k(patient_id="patient")),
    ("booking:staff_attendance", _k(patient_id="patient", slug="clinic")),
    ("booking:staff_questions", None),
    ("booking:staff_question_status", _k(question_id="question")),
    ("booking:staff_outbox", None),
    ("booking:staff_safety_calls", None),
    ("booking:staff_safety_call", _k(call_id="call")),
    ("booking:staff_feeds", None),
    ("booking:staff_feed_revoke", _k(feed_id="feed")),
    ("staffarea:clinic_waitlist", _k(slug="clinic")),
    ("staffarea:waitlist_add", _k(slug="clinic")),
    ("staffarea:patient_coverage", _k(patient_id="patient")),
    ("staffarea:payer_list", None),
    ("staffarea:patient_authorisations", _k(patient_id="patient")),
    ("staffarea:coverage_authorisations", _k(coverage_id="coverage")),
    ("staffarea:patient_paperwork", _k(patient_id="patient")),
    (
        "staffarea:paperwork_desk_sign",
        lambda ids: {"patient_id": ids["patient"], "kind": "consent"},
    ),
    ("api:tokens", None),
    ("accounts:security", None),
    ("accounts:password_change", None),
    # Last: opening the tablet mode hands the session over to the patient's questions.
    ("intake:tablet_overview", CLINICAL),
    *[("intake:tablet_section", _section(s.slug)) for s in SECTIONS],
]
PATIENT: list[tuple[str, Kwargs]] = [
    ("portal:home", None),
    ("portal:contact_details", None),
    ("portal:appointments", None),
    ("portal:cancel_appointment", _k(appointment_id="appointment")),
    ("portal:book_follow_up", None),
    ("portal:goals", None),
    ("portal:waitlist", None),
    ("portal:waitlist_join", None),
    ("portal:bills", None),
    ("portal:coverage", None),
    ("portal:coverage_add", None),
    ("portal:paperwork", None),
    ("portal:paperwork_sign", lambda ids: {"kind": "privacy"}),
    ("home_programme:home", None),
    ("home_programme:log", None),
    ("home_programme:progress", None),
    ("home_programme:learn", None),
    ("home_programme:learn_topic", lambda ids: {"topic": "lifting"}),
    ("exports:my_feed", None),
    ("api:tokens", None),
    ("accounts:security", None),
]
PUBLIC: list[tuple[str, Kwargs]] = [
    ("health:healthz", None),
    ("health:readyz", None),
    ("site:home", None),
    ("site:clinic_list", None),
    ("site:clinic_detail", _k(slug="clinic")),
    ("site:book_start", _k(slug="clinic")),
    ("booking:book_therapist", _k(slug="clinic", type_id="type")),
    ("booking:book_times", lambda ids: _k(slug="clinic", type_id="type")(ids) | {"who": "any"}),
    ("booking:book_stop", _k(slug="clinic")),
    ("booking:question", _k(slug="clinic")),
    ("booking:question_sent", _k(slug="clinic")),
    ("booking:manage", _k(token="manage_token")),
    ("booking:manage_change", _k(token="manage_token")),
    ("waitlist:offer", _k(token="offer_token")),
    ("certify:plan", _k(token="certify_token")),
]
PAGES: dict[str, list[tuple[str, Kwargs]]] = {
    # First: the report's first page shows the newest events, and the poisoned one is newest
    # only until the other personas' page views are recorded.
    "auditor": [("audit:report", None), ("breakglass:openings", None)],
    "therapist_a": STAFF,
    # Each role's own home shows other stored text than the therapist's.
    "front_desk_a": [
        ("staffarea:dashboard", None),
        ("staffarea:patient_account", _k(patient_id="patient")),
        ("staffarea:payment_add", _k(patient_id="patient")),
        # Coverage is changed by those who take insurance, not by therapists.
        ("staffarea:coverage_add", _k(patient_id="patient")),
        ("staffarea:coverage_self_pay", _k(patient_id="patient")),
        ("staffarea:coverage_edit", _k(coverage_id="coverage")),
        ("staffarea:coverage_end", _k(coverage_id="coverage")),
        ("staffarea:authorisation_add", _k(coverage_id="coverage")),
        ("staffarea:authorisation_edit", _k(authorisation_id="authorisation")),
    ],
    "manager": [
        ("staffarea:dashboard", None),
        ("staffarea:practice", None),
        ("staffarea:adjustment_add", _k(patient_id="patient")),
        ("staffarea:ageing_report", None),
        ("staffarea:report_list", None),
        ("staffarea:report_totals", None),
        ("staffarea:report_balances", None),
        ("staffarea:report_kx", None),
        ("staffarea:report_authorisations", None),
        ("staffarea:claim_list", None),
        ("staffarea:claim_detail", _k(claim_id="claim")),
        ("staffarea:claim_settings", None),
        ("staffarea:charge_queue", lambda ids: {"slug": ids["clinic"]}),
        ("staffarea:charge_detail", _k(charge_id="charge")),
        ("staffarea:charge_correct", _k(charge_id="charge")),
        ("staffarea:fee_schedule", _k(slug="clinic")),
        ("staffarea:paperwork_documents", None),
        ("staffarea:paperwork_edit", lambda ids: {"kind": "consent"}),
        ("staffarea:payer_edit", _k(payer_id="payer")),
    ],
    "patient_p": PATIENT,
    "patient_r": [("home_programme:discharge", None)],
    "anonymous": PUBLIC,
}

# GET URLs not opened above, and why. Together with PAGES they must name every URL.
NOT_SHOWN: dict[str, str] = {
    **dict.fromkeys(
        [
            "home_programme:handout_pdf",
            "home_programme:discharge_pdf",
            "home_programme:episode_handout_pdf",
            "home_programme:episode_report_pdf",
            "home_programme:episode_discharge_pdf",
            "exports:my_summary",
            "exports:patient_summary",
            "staffarea:statement_pdf",
            "staffarea:superbill_pdf",
            "portal:statement_pdf",
            "portal:superbill_pdf",
            "staffarea:paperwork_signed_pdf",
            "portal:paperwork_signed_pdf",
        ],
        "a PDF made by WeasyPrint: no browser renders it, no script runs in it",
    ),
    **dict.fromkeys(
        [
            "booking:therapist_feed",
            "exports:patient_feed",
            "exports:my_bundle",
            "exports:patient_bundle",
            "audit:export_csv",
            "booking:api_availability",
            "booking:api_appointments",
            "api:schema",
        ],
        "iCalendar, JSON or CSV with its own content type (and nosniff): never run as HTML",
    ),
    "api:docs": "Swagger UI of the schema: shows no stored text",
    "accounts:login": "a form: shows no stored text",
    "accounts:home": "redirects to the person's own home page, which is opened",
    "accounts:logout": "POST only",
    "accounts:password_reset": "a form: shows no stored text",
    "accounts:password_reset_done": "a fixed message",
    "accounts:password_reset_confirm": "a form: shows no stored text",
    "accounts:password_reset_complete": "a fixed message",
    "accounts:password_change_done": "a fixed message",
    "accounts:second_factor": "a form for a code: shows no stored text",
    "accounts:second_factor_setup": "a QR code of a key made by our code",
    "accounts:second_factor_disable": "POST only",
    "accounts:recovery_codes": "POST only; codes made by our code",
    "staffarea:patient_new": "an empty form",
    "staffarea:practice_csv": "a CSV download: text/csv, never rendered as HTML",
    "booking:book_hold": "POST only",
    "staffarea:claims_make": "POST only",
    "staffarea:claims_file": "POST only; an X12 file (application/edi-x12), never HTML",
    "booking:staff_safety_call_complete": "POST only",
    "booking:staff_attendance_follow_up": "POST only",
    "booking:book_release": "POST only",
    "booking:book_details": "a booking in progress only (a session of the public flow)",
    "booking:book_safety": "a booking in progress only (a session of the public flow)",
    "booking:book_done": "a booking in progress only (a session of the public flow)",
    "booking:staff_today": "redirects to booking:staff_day, which is opened",
    "intake:overview": "the same steps as intake:tablet_overview, which is opened",
    "intake:section": "the same forms as intake:tablet_section, which are opened",
    "intake:submit": "POST only",
    "intake:emergency": "a fixed message and the clinic's phone (shown on booking pages)",
    "intake:done": "a fixed message",
    "intake:start": "a signed link's form: shows the clinic's name only",
    "intake:tablet_submit": "POST only",
    "intake:tablet_emergency": "a fixed message and the clinic's phone",
    "intake:tablet_done": "a form for the password: no stored text",
    "intake:review_mark": "POST only",
    "clinical:plan_propose": "POST only",
    "clinical:plan_revise": "POST only",
    "clinical:plan_element_add": "POST only",
    "clinical:plan_element_remove": "POST only",
    "clinical:plan_element_dose": "POST only",
    "clinical:plan_element_override": "POST only",
    "clinical:visit_sign": "POST only",
    "clinical:visit_accept_progression": "POST only",
    "clinical:certification_resend": "POST only",
    "home_programme:episode_comment": "POST only",
    "home_programme:episode_discharge_confirm": "POST only",
    "api:token_revoke": "POST only",
    "breakglass:end": "POST only",
    "portal:waitlist_leave": "POST only",
    "staffarea:waitlist_remove": "POST only",
    "staffarea:charge_approve": "POST only",
    "staffarea:charge_hold": "POST only",
    "staffarea:charge_release": "POST only",
    "portal:coverage_self_pay": "POST only",
    "staffarea:payer_add": "an empty form (its choices are fixed labels)",
    **dict.fromkeys(
        ["staffarea:coverage_card", "portal:coverage_card"],
        "a card's image or PDF, served with the type its bytes were checked to be (inline, "
        "nosniff, sandboxed): never HTML; a poisoned stored path is refused by cards.read",
    ),
    "breakglass:start": "a form to open a record; its reasons are shown on breakglass:openings",
}
# The REST API and FHIR answer JSON only (application/json, nosniff): not HTML pages.
JSON_NAMESPACES = ("api:", "fhir:")


def urls_for(world: XssWorld, persona: str) -> list[str]:
    return [
        reverse(name, kwargs=kwargs(world.ids) if kwargs else None)
        for name, kwargs in PAGES[persona]
    ]


def page_names() -> set[str]:
    return {name for pages in PAGES.values() for name, _ in pages}
