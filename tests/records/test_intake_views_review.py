"""The therapist's review: the list by clinic, the answers with scores and triage, "reviewed"."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.personas import Cast
from tests.records.intake_support import fill, open_intake, section_url, signed_in
from unknot.booking.models import Appointment
from unknot.records.models import Intake, IntakeStatus

pytestmark = pytest.mark.django_db


def detail_url(intake: object) -> str:
    return reverse("intake:review_detail", args=[intake.episode_id])  # type: ignore[attr-defined]


def test_the_list_shows_only_the_users_clinics(cast: Cast) -> None:
    mine = open_intake(cast.patient_p, cast.therapist_a)
    theirs = open_intake(cast.patient_q, cast.therapist_b)
    rows = signed_in(cast.therapist_a).get(reverse("intake:review_list")).context["rows"]
    assert [r.intake.pk for r in rows] == [mine.pk]
    rows = signed_in(cast.therapist_b).get(reverse("intake:review_list")).context["rows"]
    assert [r.intake.pk for r in rows] == [theirs.pk]


def test_the_list_shows_the_appointment_in_the_clinic_zone(cast: Cast) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    page = signed_in(cast.therapist_a).get(reverse("intake:review_list")).content.decode()
    assert "Mar 4, 2031, 10:00 AM EST" in page  # 15:00 UTC in New York, the zone named


def test_sent_intakes_come_before_drafts(cast: Cast) -> None:
    from tests import factories

    draft = open_intake(factories.patient("Dora", "Draft", cast.clinic_a), cast.therapist_a)
    sent = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    rows = signed_in(cast.therapist_a).get(reverse("intake:review_list")).context["rows"]
    assert [r.intake.pk for r in rows] == [sent.pk, draft.pk]


def test_open_work_stays_however_old_and_the_rest_for_a_week(cast: Cast) -> None:
    """A chain keeps years of open episodes: the list shows the alerts nobody acknowledged and
    the intakes sent and not reviewed, however old, and the others only around their visit."""
    from tests import factories

    draft = open_intake(factories.patient("Olga", "Draft", cast.clinic_a), cast.therapist_a)
    reviewed = open_intake(factories.patient("Rita", "Seen", cast.clinic_a), cast.therapist_a)
    alert = open_intake(factories.patient("Alma", "Alert", cast.clinic_a), cast.therapist_a)
    sent = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    now = timezone.now()
    Intake.objects.filter(pk=reviewed.pk).update(status=IntakeStatus.REVIEWED, reviewed_at=now)
    Intake.objects.filter(pk=alert.pk).update(emergency_at=now)
    therapist = signed_in(cast.therapist_a)
    listed = therapist.get(reverse("intake:review_list")).context["rows"]
    assert {r.intake.pk for r in listed} == {draft.pk, reviewed.pk, alert.pk, sent.pk}
    years = dt.timedelta(days=6 * 365)  # every visit long past
    Appointment.objects.update(
        start=F("start") - years, end=F("end") - years,
        blocked_start=F("blocked_start") - years, blocked_end=F("blocked_end") - years,
    )  # fmt: skip
    Intake.objects.update(updated_at=now - years)
    rows = therapist.get(reverse("intake:review_list")).context["rows"]
    assert [r.intake.pk for r in rows] == [alert.pk, sent.pk]  # the alert first


def test_the_detail_shows_answers_scores_and_triage(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    page = signed_in(cast.therapist_a).get(detail_url(intake)).content.decode()
    assert "Lifted a sofa." in page
    assert "Bending to tie shoes" in page
    assert "Mostly on the left" in page
    assert "none of these" in page  # the health page was saved with nothing ticked
    assert "72514-3" in page  # NPRS LOINC
    assert "Sitting at work (4)" in page
    assert "Triage (care core)" in page
    assert "No red flags" in page or "Monitor" in page or "Screening incomplete" in page
    assert "NONE" not in page and "SCREENING_INCOMPLETE" not in page  # labels, not keys


def test_fired_rules_are_listed_with_their_reasons(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    signed_in(cast.patient_p.user).post(section_url("safety"), {"bladder_dysfunction": "yes"})
    page = signed_in(cast.therapist_a).get(detail_url(intake)).content.decode()
    assert "RF-CES" in page
    assert "cauda equina picture: new bladder retention, incontinence or hesitancy" in page
    assert "Emergency: same day" in page and "EMERGENCY_SAME_DAY" not in page


def test_marking_reviewed(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    fill(client)
    client.post(reverse("intake:submit"))
    therapist = signed_in(cast.therapist_a)
    response = therapist.post(reverse("intake:review_mark", args=[intake.episode_id]))
    assert response["Location"] == detail_url(intake)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.REVIEWED
    assert intake.reviewed_by == cast.therapist_a.staff_member
    assert intake.reviewed_at is not None


def test_acknowledging_an_alert_on_a_draft_keeps_it_open(cast: Cast) -> None:
    # The person stopped at the emergency guidance: the screen is open, the alert is not.
    intake = open_intake(cast.patient_p, cast.therapist_a)
    signed_in(cast.patient_p.user).post(section_url("safety"), {"collapse": "yes"})
    therapist = signed_in(cast.therapist_a)
    page = therapist.get(detail_url(intake)).content.decode()
    assert "Acknowledge the alert" in page
    mark = reverse("intake:review_mark", args=[intake.episode_id])
    therapist.post(mark, {"acknowledge": "1"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    assert intake.reviewed_by == cast.therapist_a.staff_member
    rows = therapist.get(reverse("intake:review_list")).context["rows"]
    assert not rows[0].needs_attention
    assert rows[0].screening_incomplete


def test_the_auditor_reads_but_cannot_mark(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    auditor = signed_in(cast.auditor)
    page = auditor.get(detail_url(intake))
    assert page.status_code == 200
    assert b"Mark reviewed" not in page.content
    assert auditor.post(reverse("intake:review_mark", args=[intake.episode_id])).status_code == 403
    intake.refresh_from_db()
    assert intake.reviewed_at is None


def test_outsiders_get_404(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    outsider = signed_in(cast.therapist_b)
    assert outsider.get(detail_url(intake)).status_code == 404
    mark = reverse("intake:review_mark", args=[intake.episode_id])
    assert outsider.post(mark).status_code == 404


def test_patients_cannot_review(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    assert signed_in(cast.patient_p.user).get(detail_url(intake)).status_code == 403


def test_only_clinicians_mark_an_intake_reviewed(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    desk = signed_in(cast.front_desk_a)
    assert b"Mark reviewed" not in desk.get(detail_url(intake)).content
    assert desk.post(reverse("intake:review_mark", args=[intake.episode_id])).status_code == 403
    manager = signed_in(cast.manager)
    assert manager.post(reverse("intake:review_mark", args=[intake.episode_id])).status_code == 302
