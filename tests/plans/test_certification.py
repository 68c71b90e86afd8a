"""Plan certification and progress reports on an episode: due dates on the clinic's days,
sending, certifying and declining, the refusal to sign an uncertified treatment note and its
recorded override, and the therapist's day."""

import datetime as dt
from dataclasses import replace

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.web import matrix_clinical as mc
from unknot.audit.models import AuditEvent
from unknot.clinics.times import day_label
from unknot.outbox.models import OutboxEmail
from unknot.plans import certification as cert
from unknot.plans import visits as vs
from unknot.plans.models import (
    Certification,
    CertificationStatus,
    PlanOfCare,
    UncertifiedSignature,
)
from unknot.records.models import Visit
from unknot.staffarea.my_day import my_day

NPI = "1234567893"  # the NPPES example: its check digit is right
PHYSICIAN = cert.Physician("Rosa", "Quinn", NPI, "quinn@example.org")
DUE = mc.DAY + dt.timedelta(days=30)  # the plan is signed on mc.DAY, clinic A's day


@pytest.fixture
def plan(cast):
    return mc.signed(cast)


def send(cast, plan, now=mc.NOW, by=None):
    return cert.certification_send(
        by=by or cast.therapist_a, plan=plan, physician=PHYSICIAN, now=now
    )


def certify(made, now=mc.NOW, name="Rosa Quinn MD"):
    return cert.certification_certify(
        certification_id=made.pk, typed_name=name, attests=True, now=now
    )


def test_the_first_certification_is_due_30_days_after_the_start_of_care(cast, plan):
    state = cert.certification_state(plan.episode)
    assert (state.due, state.certified_until, state.recertification) == (DUE, None, False)
    assert cert.missing_certification(plan.episode, DUE) is None
    missing = cert.missing_certification(plan.episode, DUE + dt.timedelta(days=1))
    assert missing is not None and "Apr 2, 2031" in missing


@pytest.mark.parametrize(
    ("signed_utc", "zone", "start"),
    [
        # 10 PM the evening before in New York: clinic A's day is March 3, not UTC's March 4
        (dt.datetime(2031, 3, 4, 3, 0, tzinfo=dt.UTC), "America/New_York", dt.date(2031, 3, 3)),
        (dt.datetime(2031, 3, 4, 3, 0, tzinfo=dt.UTC), "Asia/Tokyo", dt.date(2031, 3, 4)),
        # just after midnight in Tokyo: already March 5 there
        (dt.datetime(2031, 3, 4, 15, 30, tzinfo=dt.UTC), "Asia/Tokyo", dt.date(2031, 3, 5)),
    ],
)
def test_the_start_of_care_is_the_clinics_local_day(cast, plan, signed_utc, zone, start):
    clinic = plan.episode.clinic
    clinic.time_zone = zone
    clinic.save()
    PlanOfCare.objects.filter(pk=plan.pk).update(signed_at=signed_utc)
    episode = PlanOfCare.objects.get(pk=plan.pk).episode
    assert cert.start_of_care(episode) == start
    assert cert.certification_state(episode).due == start + dt.timedelta(days=30)


def test_an_earlier_treatment_note_starts_the_care(cast, plan):
    mc.visit(cast, plan.episode, performed_on=mc.DAY - dt.timedelta(days=2))
    assert cert.start_of_care(plan.episode) == mc.DAY - dt.timedelta(days=2)


@override_settings(UNKNOT_CERTIFICATION_DAYS=14)
def test_the_due_date_is_a_setting(cast, plan):
    assert cert.certification_state(plan.episode).due == mc.DAY + dt.timedelta(days=14)


def test_sending_emails_the_physician_a_link_and_records_it(cast, plan):
    made = send(cast, plan)
    assert made.status == CertificationStatus.SENT and made.period_start == mc.DAY
    assert made.expires_at == mc.NOW + dt.timedelta(days=30)
    [email] = OutboxEmail.objects.filter(kind="plan_certification")
    assert email.to == "quinn@example.org" and "/certify/" in email.body
    assert plan.episode.patient.last_name not in email.body  # the page names the patient
    assert AuditEvent.objects.filter(object_type="certification", reason="sent").count() == 1


def test_a_resend_replaces_the_open_link(cast, plan):
    first = send(cast, plan)
    second = cert.certification_resend(by=cast.therapist_a, certification=first, now=mc.NOW)
    first.refresh_from_db()
    assert first.status == CertificationStatus.EXPIRED and second.status == "sent"
    assert OutboxEmail.objects.filter(kind="plan_certification").count() == 2
    assert "replaced" in cert.link_refusal(first, mc.NOW)


@pytest.mark.parametrize(
    ("physician", "words"),
    [
        (cert.Physician("Rosa", "Quinn", "1234567890", "q@example.org"), "NPI"),
        (cert.Physician("Rosa", "Quinn", "", "q@example.org"), "NPI"),
        (cert.Physician(" ", "Quinn", NPI, "q@example.org"), "name"),
        (cert.Physician("Rosa", "", NPI, "q@example.org"), "name"),
    ],
)
def test_a_bad_physician_is_refused_and_nothing_is_sent(cast, plan, physician, words):
    with pytest.raises(cert.CertificationError, match=words):
        cert.certification_send(by=cast.therapist_a, plan=plan, physician=physician, now=mc.NOW)
    assert not Certification.objects.exists() and not OutboxEmail.objects.exists()


def test_only_a_signed_plan_is_sent(cast):
    draft = mc.draft(cast, mc.episode(cast))
    with pytest.raises(cert.CertificationError, match="signed plan"):
        send(cast, draft)


def test_an_outsider_or_a_reader_cannot_send(cast, plan):
    from django.core.exceptions import PermissionDenied

    for outsider in (cast.therapist_b, cast.front_desk_a, cast.auditor):
        with pytest.raises(PermissionDenied):
            send(cast, plan, by=outsider)
    assert not Certification.objects.exists()


def test_certifying_covers_the_plan_to_its_end_at_most_90_days(cast, plan):
    made = certify(send(cast, plan), now=mc.NOW + dt.timedelta(days=3))
    end = mc.DAY + dt.timedelta(weeks=plan.duration_weeks)
    assert (made.status, made.period_start, made.covers_until) == ("certified", mc.DAY, end)
    assert made.typed_name == "Rosa Quinn MD"
    state = cert.certification_state(plan.episode)
    assert (state.certified_until, state.recertification) == (end, True)
    assert cert.missing_certification(plan.episode, end) is None
    assert "ran out" in cert.missing_certification(plan.episode, end + dt.timedelta(days=1))
    assert AuditEvent.objects.filter(object_type="certification", reason="certified").exists()


def test_a_long_plan_is_certified_for_90_days_only(cast, plan):
    PlanOfCare.objects.filter(pk=plan.pk).update(duration_weeks=20)
    made = certify(send(cast, PlanOfCare.objects.get(pk=plan.pk)))
    assert made.covers_until == mc.DAY + dt.timedelta(days=90)


def test_a_recertification_starts_the_day_after_the_last_certified_day(cast, plan):
    first = certify(send(cast, plan))
    later = mc.NOW + dt.timedelta(days=40)
    second = certify(send(cast, plan, now=later), now=later)
    assert second.period_start == first.covers_until + dt.timedelta(days=1)
    # the plan's weeks have run: a recertification of it covers its weeks again
    assert second.covers_until == second.period_start + dt.timedelta(weeks=plan.duration_weeks)


def test_a_link_is_answered_once(cast, plan):
    made = certify(send(cast, plan))
    with pytest.raises(cert.CertificationError, match="certified already"):
        certify(made)
    with pytest.raises(cert.CertificationError, match="certified already"):
        cert.certification_decline(certification_id=made.pk, comment="no", now=mc.NOW)


def test_an_expired_link_is_refused_and_marked(cast, plan):
    made = send(cast, plan)
    late = made.expires_at
    assert cert.shown_status(made, late) == "Link expired or replaced"
    with pytest.raises(cert.CertificationError, match="expired"):
        certify(made, now=late)
    made.refresh_from_db()
    assert made.status == CertificationStatus.EXPIRED


def test_a_link_of_a_replaced_plan_is_refused(cast, plan):
    from unknot.plans import services

    made = send(cast, plan)
    draft = services.plan_revise(by=cast.therapist_a, plan=plan)
    mc.sign(cast, draft)
    with pytest.raises(cert.CertificationError, match="changed"):
        certify(made)


@pytest.mark.parametrize(("name", "attests"), [("", True), ("  ", True), ("Rosa Quinn", False)])
def test_certifying_needs_the_typed_name_and_the_attestation(cast, plan, name, attests):
    made = send(cast, plan)
    with pytest.raises(cert.CertificationError, match="Type your name"):
        cert.certification_certify(
            certification_id=made.pk, typed_name=name, attests=attests, now=mc.NOW
        )
    made.refresh_from_db()
    assert made.status == CertificationStatus.SENT


def test_declining_needs_a_comment_and_keeps_it(cast, plan):
    made = send(cast, plan)
    with pytest.raises(cert.CertificationError, match="why"):
        cert.certification_decline(certification_id=made.pk, comment=" ", now=mc.NOW)
    done = cert.certification_decline(
        certification_id=made.pk, comment="Refer to a spine surgeon first.", now=mc.NOW
    )
    assert done.status == CertificationStatus.REFUSED
    assert done.comment == "Refer to a spine surgeon first." and done.answered_at == mc.NOW
    assert cert.certification_state(plan.episode).certified_until is None


# --- signing a treatment note -------------------------------------------------------------


def late_visit(cast, plan, days=31):
    return mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=days))


def test_a_note_within_the_first_30_days_signs_without_a_certification(cast, plan):
    visit = late_visit(cast, plan, days=30)
    signed = vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    assert signed.signed_at == mc.NOW


def test_a_note_past_the_due_date_is_refused_without_a_reason(cast, plan):
    visit = late_visit(cast, plan)
    with pytest.raises(vs.VisitError, match="was due to be certified by Apr 2, 2031"):
        vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    visit.refresh_from_db()
    assert visit.signed_at is None


def test_the_therapists_reason_signs_it_and_is_kept_and_audited(cast, plan):
    visit = late_visit(cast, plan)
    why = "Physician on leave; certification requested twice, delayed certification to follow."
    vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW, reason=why)
    visit.refresh_from_db()
    assert visit.signed_at == mc.NOW and visit.uncertified_signature.reason == why
    assert AuditEvent.objects.filter(
        object_type="visit", object_id=str(visit.pk), reason="signed_uncertified"
    ).exists()


def test_a_late_certification_covers_the_earlier_days(cast, plan):
    PlanOfCare.objects.filter(pk=plan.pk).update(duration_weeks=8)
    plan.refresh_from_db()
    visit = late_visit(cast, plan)
    later = mc.NOW + dt.timedelta(days=35)
    certify(send(cast, plan, now=later), now=later)
    vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)
    assert not UncertifiedSignature.objects.filter(visit=visit).exists()
    assert AuditEvent.objects.filter(object_id=str(visit.pk), reason="signed").exists()


def test_past_the_certified_days_a_recertification_is_asked(cast, plan):
    made = certify(send(cast, plan))
    visit = late_visit(cast, plan, days=(made.covers_until - mc.DAY).days + 1)
    with pytest.raises(vs.VisitError, match="ran out"):
        vs.visit_sign(by=cast.therapist_a, visit=visit, now=mc.NOW)


# --- progress reports ---------------------------------------------------------------------


@override_settings(UNKNOT_REASSESS_EVERY_VISITS=0)
def test_a_progress_report_falls_due_on_the_10th_treatment_day(cast, plan):
    for n in range(9):
        mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=n))
    mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=8))  # same day
    report = cert.progress_report(plan.episode)
    assert (report.treatment_days_since_report, report.treatment_days_left) == (9, 1)
    mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=9))
    assert cert.progress_report(plan.episode).due == mc.DAY + dt.timedelta(days=9)


def test_a_reassessment_visit_is_the_progress_report(cast, plan):
    for n in range(4):  # the 4th visit is a re-assessment (UNKNOT_REASSESS_EVERY_VISITS)
        mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=n))
    report = cert.progress_report(plan.episode)
    assert (report.treatment_days_since_report, report.due) == (0, None)


# --- the therapist's day ------------------------------------------------------------------


def test_my_day_lists_what_is_due_and_overdue(cast, plan):
    member = cast.therapist_a.staff_member
    soon = my_day(cast.therapist_a, member, mc.NOW + dt.timedelta(days=20)).care_due
    assert [(i.what, i.when, i.overdue) for i in soon] == [
        ("Certification", "due by Apr 2, 2031", False)
    ]
    late = my_day(cast.therapist_a, member, mc.NOW + dt.timedelta(days=31)).care_due
    assert [(i.what, i.overdue) for i in late] == [("Certification", True)]
    assert late[0].when == "overdue since Apr 2, 2031"
    assert my_day(cast.therapist_a, member, mc.NOW).care_due == []  # 30 days ahead: not yet
    made = certify(send(cast, plan))
    assert my_day(cast.therapist_a, member, mc.NOW).care_due == []
    near_end = mc.NOW + dt.timedelta(days=20)
    [item] = my_day(cast.therapist_a, member, near_end).care_due
    assert (item.what, item.when) == ("Recertification", f"due by {day_label(made.covers_until)}")


def test_my_day_shows_nothing_of_another_clinic(cast, plan):
    member = cast.therapist_b.staff_member
    assert my_day(cast.therapist_b, member, mc.NOW + dt.timedelta(days=31)).care_due == []


# --- a progress report written in any visit note ---------------------------------------------


def ten_treatment_days(cast, plan):
    return [
        mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=n)) for n in range(10)
    ]


@override_settings(UNKNOT_REASSESS_EVERY_VISITS=0)
def test_a_note_marked_as_including_a_progress_report_restarts_the_count(cast, plan):
    for n in range(5):
        mc.visit(cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=n),
                 includes_progress_report=(n == 3))  # fmt: skip
    report = cert.progress_report(plan.episode)
    assert (report.treatment_days_since_report, report.treatment_days_left) == (1, 9)
    assert cert.is_progress_report(plan.episode.visits.get(performed_on=mc.DAY.replace(day=6)))


@override_settings(UNKNOT_REASSESS_EVERY_VISITS=0)
def test_an_emergency_stop_is_never_a_progress_report(cast, plan):
    ten_treatment_days(cast, plan)
    stopped = mc.visit(
        cast, plan.episode, performed_on=mc.DAY + dt.timedelta(days=10),
        positive_flags={"saddle_anaesthesia"}, includes_progress_report=True,
    )  # fmt: skip
    assert stopped.triage["tier"] == vs.EMERGENCY
    assert stopped.includes_progress_report is False
    assert cert.progress_report(plan.episode).due == mc.DAY + dt.timedelta(days=9)


VISIT_FORM = {"rescreen_done": "on", "nprs": "4", "iv-TOTAL_FORMS": "0", "iv-INITIAL_FORMS": "0"}


@override_settings(UNKNOT_REASSESS_EVERY_VISITS=0)
@pytest.mark.parametrize(
    ("zone", "now", "local_day"),
    [
        # 11 PM in Honolulu on March 13 is already March 14 in UTC
        ("Pacific/Honolulu", dt.datetime(2031, 3, 14, 9, 0, tzinfo=dt.UTC), dt.date(2031, 3, 13)),
        # 1 AM in Tokyo on March 14 is still March 13 in UTC
        ("Asia/Tokyo", dt.datetime(2031, 3, 13, 16, 0, tzinfo=dt.UTC), dt.date(2031, 3, 14)),
    ],
)
def test_the_therapists_home_clears_when_todays_note_includes_the_report(
    cast, plan, client, monkeypatch, zone, now, local_day
):
    clinic = plan.episode.clinic
    clinic.time_zone = zone
    clinic.save(update_fields=["time_zone"])
    ten_treatment_days(cast, plan)
    member = cast.therapist_a.staff_member
    [due] = my_day(cast.therapist_a, member, now).care_due
    assert (due.what, due.overdue) == ("Progress report", True)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    client.force_login(cast.therapist_a)
    url = reverse("clinical:visit_new", args=[plan.episode.pk])
    assert client.get(url).context["form"].initial["performed_on"] == local_day  # the clinic's
    data = VISIT_FORM | {"performed_on": local_day.isoformat(), "includes_progress_report": "on"}
    assert client.post(url, data).status_code == 302
    written = Visit.objects.get(episode=plan.episode, performed_on=local_day)
    assert written.includes_progress_report is True
    assert cert.progress_report(plan.episode).treatment_days_since_report == 0
    assert my_day(cast.therapist_a, member, now).care_due == []
    page = client.get(reverse("clinical:visit", args=[written.pk])).content.decode()
    assert "<dt>Progress report</dt><dd>Included in this note</dd>" in page


@override_settings(UNKNOT_REASSESS_EVERY_VISITS=0)
def test_the_mark_can_be_set_while_the_note_is_not_signed(cast, plan, client):
    [*_, last] = ten_treatment_days(cast, plan)
    client.force_login(cast.therapist_a)
    url = reverse("clinical:visit_edit", args=[last.pk])
    data = {"subjective": "Report written", "includes_progress_report": "on"}
    assert client.post(url, data).status_code == 302
    last.refresh_from_db()
    assert last.includes_progress_report and last.subjective == "Report written"
    assert cert.progress_report(plan.episode).due is None
    client.post(url, {"subjective": "Report written"})  # unticked: taken back
    last.refresh_from_db()
    assert last.includes_progress_report is False


def test_the_referring_physician_is_the_certifying_one_else_the_latest_not_declined(cast, plan):
    episode = plan.episode
    assert cert.referring_certification(episode, mc.DAY) is None  # never sent
    certified = certify(send(cast, plan))
    later = certified.covers_until + dt.timedelta(days=1)
    park = replace(PHYSICIAN, first_name="Helen", last_name="Park")
    sent = cert.certification_send(by=cast.therapist_a, plan=plan, physician=park, now=mc.NOW)
    assert cert.referring_certification(episode, mc.DAY) == certified  # it covers the day
    assert cert.referring_certification(episode, later) == sent  # nothing certified covers it
    cert.certification_decline(certification_id=sent.pk, comment="not mine", now=mc.NOW)
    assert cert.referring_certification(episode, later) == certified  # a decline names no one
