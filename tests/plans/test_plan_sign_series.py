"""Signing books the visit series the person agreed to: all visits and the signature, or none."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import calendar as cal
from tests import factories
from tests.web import matrix_clinical as mc
from unknot import scheduling as sched
from unknot.booking.errors import SeriesConflicts
from unknot.booking.models import Appointment, AppointmentSeries
from unknot.plans import services
from unknot.plans.models import HomeExercise, PlanStatus

TUESDAY = dt.date(2031, 3, 4)


@pytest.fixture
def frozen(monkeypatch):
    """The pages read the clock at the edge; pin it to the shared calendar's "now"."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: mc.NOW)


@pytest.fixture
def follow_up(cast):
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    return cal.follow_up_type(cast.clinic_a)


def _request(cast, follow_up, plan):
    pattern = sched.SeriesPattern(
        first_day=TUESDAY, weekdays=(1, 3), local_time=dt.time(9), weeks=plan.duration_weeks,
        visits=plan.frequency_per_week * plan.duration_weeks,
    )  # fmt: skip
    return services.SeriesRequest(follow_up, cast.therapist_a.staff_member, pattern)


def test_signing_with_agreement_books_every_visit_and_signs(cast, follow_up):
    plan = mc.draft(cast, mc.episode(cast))
    booked = mc.sign(cast, plan, _request(cast, follow_up, plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert len(booked) == 8  # 2 a week for 4 weeks
    assert {a.patient_id for a in booked} == {cast.patient_p.pk}
    assert AppointmentSeries.objects.get().description == "Plan of care v1"


def test_a_conflict_signs_nothing_and_books_nothing(cast, follow_up):
    plan = mc.draft(cast, mc.episode(cast))
    thursday = cal.local(cast.clinic_a, dt.date(2031, 3, 13), "09:00")
    factories.booked_appointment(
        None, patient=cast.patient_q, type=follow_up, therapist=cast.therapist_a,
        when=thursday, now=mc.NOW,
    )  # fmt: skip
    with pytest.raises(SeriesConflicts) as refused:
        mc.sign(cast, plan, _request(cast, follow_up, plan))
    assert [c.day for c in refused.value.conflicts] == [dt.date(2031, 3, 13)]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.signed_at is None
    assert Appointment.objects.count() == 1 and not AppointmentSeries.objects.exists()
    assert not HomeExercise.objects.exists()


def _sign_form(**changes):
    return {"agrees": "on", "appointment_type": "", "therapist": "", "first_day": "2031-03-04",
            "weekdays": ["1", "3"], "local_time": "09:00"} | changes  # fmt: skip


def test_the_sign_page_lists_conflicts_with_an_alternative(cast, follow_up, client, frozen):
    plan = mc.draft(cast, mc.episode(cast))
    services.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=2, weeks=4,
                            goals=services.suggested_goals(plan.episode, 4))  # fmt: skip
    mc.sign(cast, mc.draft(cast, mc.episode(cast, patient=cast.patient_q)),
            _request(cast, follow_up, plan))  # another patient holds the same times  # fmt: skip
    client.force_login(cast.therapist_a)
    data = _sign_form(appointment_type=follow_up.pk, therapist=cast.therapist_a.staff_member.pk)
    response = client.post(reverse("clinical:plan_sign", args=[plan.pk]), data)
    assert response.status_code == 200
    conflicts = response.context["conflicts"]
    assert len(conflicts) == 8 and all(c.reason.value == "therapist_busy" for c in conflicts)
    assert "The plan was not signed" in response.content.decode()
    assert "Nearest free time that day" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_sign_page_signs_and_books(cast, follow_up, client, frozen):
    plan = mc.draft(cast, mc.episode(cast))
    services.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=2, weeks=4,
                            goals=services.suggested_goals(plan.episode, 4))  # fmt: skip
    client.force_login(cast.therapist_a)
    url = reverse("clinical:plan_sign", args=[plan.pk])
    wrong_days = _sign_form(appointment_type=follow_up.pk,
                            therapist=cast.therapist_a.staff_member.pk, weekdays=["1"])  # fmt: skip
    assert b"choose 2 weekday" in client.post(url, wrong_days).content
    data = _sign_form(appointment_type=follow_up.pk, therapist=cast.therapist_a.staff_member.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert Appointment.objects.filter(patient=cast.patient_p).count() == 8


def test_signing_without_agreement_books_nothing(cast, follow_up, client):
    plan = mc.draft(cast, mc.episode(cast))
    services.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=2, weeks=4,
                            goals=services.suggested_goals(plan.episode, 4))  # fmt: skip
    client.force_login(cast.therapist_a)
    response = client.post(reverse("clinical:plan_sign", args=[plan.pk]), {})
    assert response.status_code == 302, response.context["form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED and not Appointment.objects.exists()


def test_visits_past_an_authorisation_are_named_before_signing(cast, follow_up, client, frozen):
    """The series signed with the plan is checked like the desk's series page: the visits
    outside the insurer's authorization are named, nothing is signed or booked until the
    therapist confirms, then both happen and the warning is said again."""
    from tests.coverage.support import authorisation, coverage

    authorisation(cast.front_desk_a, coverage(cast.patient_p), authorised=6,
                  end_date=dt.date(2031, 3, 31))  # fmt: skip
    plan = mc.draft(cast, mc.episode(cast))
    services.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=2, weeks=4,
                            goals=services.suggested_goals(plan.episode, 4))  # fmt: skip
    client.force_login(cast.therapist_a)
    url = reverse("clinical:plan_sign", args=[plan.pk])
    data = _sign_form(appointment_type=follow_up.pk, therapist=cast.therapist_a.staff_member.pk)
    page = client.post(url, data).content.decode()
    assert "2 visits of this series fall outside what was authorized." in page
    assert "<li>Mar 25, 2031: This would be visit 7 of 6 authorized by Acme Health.</li>" in page
    assert "Sign and book anyway</button>" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not Appointment.objects.exists()
    signed = client.post(url, data | {"confirm": "yes"}, follow=True).content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert Appointment.objects.filter(patient=cast.patient_p).count() == 8
    assert "Insurance authorization: 2 visits of this series fall outside" in signed
