"""The demo practice: what `make demo` loads, and that loading twice changes nothing."""

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.totp import code_now, key_from_secret_text
from unknot import care
from unknot.accounts.roles import Role
from unknot.booking.attendance import to_follow_up
from unknot.booking.models import Appointment, Status
from unknot.clinics.models import Clinic, Practice, StaffMember
from unknot.demo import journeys
from unknot.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from unknot.demo.episodes import DemoDataError
from unknot.demo.load import demo_journeys, demo_logins, load_demo
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.patients.models import Patient
from unknot.plans.models import EducationAssignment, ExerciseLog, HomeExercise, PlanStatus
from unknot.records.models import (
    Episode,
    EpisodeStatus,
    IntakeStatus,
    OutcomeScore,
    Visit,
    VisitIntervention,
)


def test_demo_has_the_promised_practice(db: None) -> None:
    assert load_demo() is True
    assert Clinic.objects.count() == 3
    assert Clinic.objects.values("time_zone").distinct().count() >= 2
    assert StaffMember.objects.filter(role=Role.THERAPIST).count() == 6
    for role in (Role.FRONT_DESK, Role.MANAGER, Role.AUDITOR):
        assert StaffMember.objects.filter(role=role).exists()
    assert Patient.objects.filter(user__isnull=False).count() == 12


def test_loading_twice_keeps_the_data(db: None) -> None:
    load_demo()
    assert load_demo() is False
    assert Clinic.objects.count() == 3 and Patient.objects.count() == 12


def test_every_printed_demo_login_signs_in(db: None) -> None:
    load_demo()
    for username, _role, _where in demo_logins():
        if "<" in username:
            continue
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username


# --- the demo's courses of care ------------------------------------------------------------


def _episode_of(journey: journeys.Journey) -> Episode:
    return Episode.objects.get(patient__user__username=journey.patient)


def _journey(stage: str) -> journeys.Journey:
    return next(j for j in journeys.JOURNEYS if j.stage == stage)


def _today(episode: Episode) -> dt.date:
    return timezone.localtime(timezone.now(), ZoneInfo(episode.clinic.time_zone)).date()


def _signed_in(username: str) -> Client:
    """A client past sign-in (staff also past the second factor: see tests/conftest.py)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_each_course_of_care_is_complete_and_at_the_persons_clinic(db: None) -> None:
    load_demo()
    assert len(journeys.JOURNEYS) >= 2
    for journey in journeys.JOURNEYS:
        episode = _episode_of(journey)
        assert episode.clinic == episode.patient.preferred_clinic
        assert episode.therapist.user.username == journey.therapist
        assert episode.intake.status == IntakeStatus.REVIEWED
        assert set(episode.intake.answers["red_flags"].values()) == {False}
        assert set(episode.intake.answers["red_flags"]) == set(care.vocab.RED_FLAGS)  # SCREEN-1
        assert "conditions" in episode.intake.answers and "medicines" in episode.intake.answers
        intake_scores = set(episode.scores.filter(source="intake").values_list("instrument"))
        assert {("start_back",), ("odi",), ("nprs",), ("psfs",), ("fabq_pa",)} <= intake_scores
        assert episode.intake.notes["story"]
        evaluation = episode.evaluations.get()
        assert evaluation.is_final and evaluation.therapist == episode.therapist
        plan = episode.plans.get(status=PlanStatus.SIGNED)
        assert plan.goals.count() >= 2 and plan.signed_by == episode.therapist
        home = list(HomeExercise.objects.filter(plan=plan))
        assert home and all(row.dose for row in home)
        assert EducationAssignment.objects.filter(plan=plan, read_at__isnull=False).exists()
        assert episode.adherence_comments.filter(author=episode.therapist).exists()


def test_visits_are_signed_in_the_past_and_pain_falls(db: None) -> None:
    load_demo()
    # The one note the demo's day leaves for its therapist to sign (unknot.demo.today).
    [to_sign] = Visit.objects.filter(signed_at__isnull=True)
    assert to_sign.episode.patient.user.username == "patient.farah"
    for journey in journeys.JOURNEYS:
        episode = _episode_of(journey)
        visits = list(episode.visits.exclude(pk=to_sign.pk).order_by("number"))
        assert len(visits) >= 3
        assert all(v.signed_at is not None and v.signed_at < timezone.now() for v in visits)
        assert all(v.performed_on < _today(episode) for v in visits)
        days = [v.performed_on for v in visits]
        assert days == sorted(days) and len(set(days)) == len(days)
        pain = [v.nprs for v in visits]
        assert pain == sorted(pain, reverse=True) and pain[-1] < pain[0]
        for visit in visits:
            assert visit.appointment is not None
            assert visit.appointment.status == Status.COMPLETED
        assert episode.evaluations.get().performed_on < days[0]


def test_cpt_units_follow_the_eight_minute_rule(db: None) -> None:
    load_demo()
    interventions = VisitIntervention.objects.filter(visit__episode__in=Episode.objects.all())
    assert interventions.count() >= 10
    for visit in Visit.objects.all():
        minutes: dict[str, int] = {}
        billed: dict[str, int] = {}
        for row in visit.interventions.all():
            minutes[row.cpt] = minutes.get(row.cpt, 0) + row.minutes
            billed[row.cpt] = billed.get(row.cpt, 0) + row.units
        expected = dict(care.cpt_units(minutes).units)
        assert {c: u for c, u in billed.items() if u} == expected, visit


def test_a_reassessment_shows_meaningful_improvement(db: None) -> None:
    load_demo()
    for stage in (journeys.DISCHARGED, journeys.ACTIVE_CARE):
        episode = _episode_of(_journey(stage))
        again = episode.scores.filter(source="reassessment")
        base = {s.instrument: s.value for s in episode.scores.filter(source="intake")}
        odi = again.filter(instrument="odi").first()
        psfs = again.filter(instrument="psfs").first()
        assert odi is not None and psfs is not None, stage
        assert care.odi_change(base["odi"], odi.value).verdict == "improved"
        assert care.psfs_change(base["psfs"], psfs.value).verdict == "improved"


def test_one_is_discharged_one_in_active_care_one_in_symptom_relief(db: None) -> None:
    load_demo()
    done = _episode_of(_journey(journeys.DISCHARGED))
    assert done.status == EpisodeStatus.DISCHARGED
    last_visit = done.visits.order_by("-number").first()
    assert done.discharged_at > last_visit.signed_at
    active = _episode_of(_journey(journeys.ACTIVE_CARE))
    early = _episode_of(_journey(journeys.SYMPTOM_RELIEF))
    assert active.status == early.status == EpisodeStatus.OPEN
    assert active.plans.get(status=PlanStatus.SIGNED).current_phase == "active_care"
    assert early.plans.get(status=PlanStatus.SIGNED).current_phase == "symptom_relief"
    # The discharged person moved on from symptom relief when the therapist accepted it.
    assert any(v.progression.get("accepted") for v in done.visits.all())
    assert Appointment.objects.filter(
        patient=active.patient, start__gt=timezone.now(), status=Status.BOOKED
    ).exists()


def test_home_sessions_are_logged_over_several_weeks(db: None) -> None:
    load_demo()
    for stage in (journeys.DISCHARGED, journeys.ACTIVE_CARE):
        episode = _episode_of(_journey(stage))
        logs = list(ExerciseLog.objects.filter(episode=episode))
        weeks = {log.performed_on - dt.timedelta(days=log.performed_on.weekday()) for log in logs}
        assert len(weeks) >= 3
        assert {log.status for log in logs} == {"done", "partly", "skipped"}
        assert any(log.note for log in logs)
        assert all(log.performed_on < _today(episode) for log in logs)
        tried = [log for log in logs if log.status != "skipped"]
        assert all(log.pain_after <= log.pain_before for log in tried)
    assert not OutboxEmail.objects.filter(status=OutboxStatus.QUEUED).exists()


def _counts() -> dict[str, int]:
    models = (Episode, Visit, OutcomeScore, ExerciseLog, Appointment, HomeExercise, OutboxEmail)
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_load_adds_no_clinical_data(db: None) -> None:
    load_demo()
    before = _counts()
    assert load_demo() is False
    assert _counts() == before and before["Visit"] > 0


def test_a_failing_journey_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    first = journeys.JOURNEYS[0]
    pages = first.intake | {"pain-and-activities": {"nprs": "11"}}  # out of range
    broken = dataclasses.replace(first, intake=pages)
    monkeypatch.setattr(journeys, "JOURNEYS", (journeys.JOURNEYS[1], broken))
    with pytest.raises(DemoDataError, match="pain-and-activities"):
        load_demo()
    assert Practice.objects.count() == 0 and Episode.objects.count() == 0
    assert Patient.objects.count() == 0 and Appointment.objects.count() == 0


def test_the_patient_pages_show_the_programme_and_the_progress(db: None) -> None:
    load_demo()
    for journey in journeys.JOURNEYS:
        episode = _episode_of(journey)
        client = _signed_in(journey.patient)
        home = client.get(reverse("home_programme:home"))
        assert home.status_code == 200
        for row in HomeExercise.objects.filter(plan__episode=episode):
            assert row.dose in home.content.decode()
        progress = client.get(reverse("home_programme:progress"))
        assert progress.status_code == 200
        assert progress.context["measured"] and progress.context["totals"].done > 0
        assert journey.comment.split(",")[0] in progress.content.decode()
    discharged = _signed_in(_journey(journeys.DISCHARGED).patient)
    summary = discharged.get(reverse("home_programme:discharge"))
    assert summary.status_code == 200 and summary.context["report"].goals


def test_the_therapist_sees_the_charts_and_the_progress(db: None) -> None:
    load_demo()
    for journey in journeys.JOURNEYS:
        episode = _episode_of(journey)
        client = _signed_in(journey.therapist)
        progress = client.get(reverse("home_programme:episode_progress", args=[episode.pk]))
        assert progress.status_code == 200
        assert progress.context["totals"].done > 0
        nprs = next(o for o, _chart in progress.context["outcomes"] if o.measure.key == "nprs")
        assert len(nprs.points) == episode.visits.count() + 1  # the intake, then each visit
        chart = client.get(reverse("clinical:episode", args=[episode.pk]))
        assert chart.status_code == 200


def test_every_page_demo_logins_points_to_answers_for_its_login(db: None) -> None:
    load_demo()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    printed = out.getvalue()
    for tour in demo_journeys():
        assert tour.patient in printed and tour.therapist in printed and tour.staff
        for username, pages in ((tour.patient, tour.portal), (tour.therapist, tour.staff)):
            client = _signed_in(username)
            for page in pages:
                assert page in printed
                assert client.get(page).status_code == 200, (username, page)


def test_demo_staff_sign_in_with_the_published_demo_key(db: None) -> None:
    """Password, then the code an app holding the printed demo key shows: the staff area opens."""
    load_demo()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    client = Client()
    signed = client.post(
        reverse("accounts:login"), {"username": "maya.okafor", "password": DEMO_PASSWORD}
    )
    assert signed.status_code == 302
    assert client.get(reverse("staffarea:dashboard")).status_code == 302  # the code comes first
    answer = client.post(
        reverse("accounts:second_factor"),
        {"code": code_now(key_from_secret_text(DEMO_TOTP_SECRET))},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert client.get(reverse("staffarea:dashboard")).status_code == 200


def test_demo_code_prints_the_code_of_this_moment(db: None) -> None:
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().strip() == code_now(key_from_secret_text(DEMO_TOTP_SECRET))


def test_the_waitlist_has_people_waiting_and_one_open_offer(db: None) -> None:
    from unknot.waitlist.models import EntryStatus, Offer, OfferStatus, WaitlistEntry

    load_demo()
    waiting = WaitlistEntry.objects.filter(status=EntryStatus.WAITING)
    assert waiting.count() == 3
    [offer] = Offer.objects.filter(status=OfferStatus.OPEN)
    assert offer.entry.patient.user.username == "patient.dubois"
    desk = Client()
    desk.force_login(offer.entry.added_by)
    page = desk.get(reverse("staffarea:dashboard")).content.decode()
    assert "Harbour Street" in page and "3 waiting" in page and "runs until" in page


def test_the_front_desk_finds_a_patient_over_the_attendance_policy(db: None) -> None:
    """Karim missed his first visit yesterday, his third miss in a few weeks (one a late
    cancellation by phone): the Juniper Hill desk sees the flag and the policy in words."""
    load_demo()
    juniper = Clinic.objects.get(slug="juniper-hill")
    desk = StaffMember.objects.filter(role=Role.FRONT_DESK, clinics=juniper).first()
    karim = Patient.objects.get(user__username="patient.haddad")
    [standing] = [s for s in to_follow_up(desk.user, timezone.now()) if s.patient == karim]
    assert (standing.misses, standing.over, standing.flagged) == (3, True, True)
    page = _signed_in(desk.user.username).get(reverse("staffarea:dashboard")).content.decode()
    assert "Over the attendance policy" in page and "the clinic&#x27;s policy allows 2" in page


def test_the_demo_runs_the_business_side(db: None) -> None:
    """Payers, each course of care's payer (Medicare, commercial with an authorization,
    self-pay), charges made from the signed visits with no holds, the Medicare visits claimed,
    the self-pay patient's payment, Medicare's payment and its write-off, and a biller to look
    at it all."""
    from unknot.billing.models import Adjustment, Charge, ChargeStatus, Claim, Payment
    from unknot.coverage.models import Authorisation, Coverage, SelfPay

    load_demo()
    assert Coverage.objects.filter(payer__plan_type="medicare_b").exists()
    assert Authorisation.objects.exists() and SelfPay.objects.exists()
    signed = Visit.objects.filter(signed_at__isnull=False).count()
    assert Charge.objects.count() == signed > 0
    assert not Charge.objects.filter(status=ChargeStatus.HELD).exists()
    assert Charge.objects.filter(status=ChargeStatus.TO_REVIEW).exists()  # work for the queue
    claim = Claim.objects.get()
    assert claim.payer.plan_type == "medicare_b" and claim.total > 0
    own = Payment.objects.get(payer__isnull=True)
    assert own.patient.user.username == "patient.farah"
    insurers = Payment.objects.get(payer__isnull=False)
    assert insurers.payer == claim.payer and insurers.patient == claim.patient
    assert Adjustment.objects.get().charge.patient == claim.patient
    assert StaffMember.objects.filter(role=Role.BILLER).exists()


def test_the_demo_holds_no_medicare_charge_in_a_year_after_the_kx_table(db: None) -> None:
    """Loaded in January of a year the built-in KX table does not have yet (its visits reach
    back into December), the demo enters that table's latest threshold for both years as its
    own setting; a real practice's charges would wait for the biller to enter the value."""
    from unknot.billing.models import Charge, ChargeStatus, KxThreshold
    from unknot.care.charges import KX_THRESHOLDS

    latest = max(KX_THRESHOLDS)
    loaded = dt.datetime(latest + 1, 1, 12, 15, 0, tzinfo=dt.UTC)
    load_demo(now=loaded)
    assert set(KxThreshold.objects.values_list("year", "amount")) == {
        (latest + 1, KX_THRESHOLDS[latest])
    }
    assert Charge.objects.filter(coverage__payer__plan_type="medicare_b").exists()
    assert not Charge.objects.filter(status=ChargeStatus.HELD).exists()
