"""Coverage's reads: the access helpers (a patient's clinic, the patient themselves, nobody
else; every read audited) and first visits with neither insurance nor self-pay, listed on the
front desk's home."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for, events
from tests.calendar import NOW, Calendar, local
from tests.coverage.support import details, payer
from tests.personas import Cast
from unknot.booking.models import Appointment
from unknot.coverage import selectors, services
from unknot.coverage.models import Coverage
from unknot.patients.models import Patient

pytestmark = pytest.mark.django_db


def p_coverage(cast: Cast, **overrides: object) -> Coverage:
    return services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p,
        details=details(payer(cast.clinic_a.practice), **overrides),
    )  # fmt: skip


def test_staff_of_the_clinic_and_the_patient_get_the_coverage(cast: Cast) -> None:
    coverage = p_coverage(cast)
    for user in (cast.therapist_a, cast.auditor, cast.patient_p.user):
        assert selectors.get_coverage_for(user, coverage.pk) == coverage
    assert len(events(object_type="coverage", action="read", object_id=str(coverage.pk))) == 3


@pytest.mark.parametrize("who", ["therapist_b", "patient_q"])
def test_outsiders_get_404_and_the_refusal_is_audited(cast: Cast, who: str) -> None:
    coverage = p_coverage(cast)
    user = cast.users[who]
    with pytest.raises(Http404):
        selectors.get_coverage_for(user, coverage.pk)
    with pytest.raises(Http404):
        selectors.coverages_of(user, cast.patient_p)
    assert events(object_type="coverage", outcome="denied", object_id=str(coverage.pk))


def test_the_list_of_a_patients_coverages_is_one_audited_read(cast: Cast) -> None:
    coverage = p_coverage(cast)
    assert selectors.coverages_of(cast.therapist_a, cast.patient_p) == [coverage]
    assert events(object_type="coverage", reason="list", patient_id=cast.patient_p.pk)


def test_patients_see_only_their_practices_payers(cast: Cast) -> None:
    from unknot.clinics.models import Practice

    ours = payer(cast.clinic_a.practice)
    payer(Practice.objects.create(name="Another practice"), name="Elsewhere")
    assert list(selectors.payers_visible_to(cast.patient_q.user)) == [ours]
    assert list(selectors.payers_visible_to(cast.therapist_b)) == [ours]


WEDNESDAY = dt.date(2031, 3, 5)  # two days after NOW


def first_visit(
    calendar: Calendar, patient: Patient, hhmm: str = "08:00", kind: str = "evaluation"
) -> Appointment:
    """A visit on the Wednesday after NOW at `hhmm`, the clinic's wall clock."""
    assert patient.preferred_clinic is not None
    start = local(patient.preferred_clinic, WEDNESDAY, hhmm)
    return factories.booked_appointment(calendar, patient=patient, type=kind, when=start, now=NOW)


def test_first_visits_without_coverage_or_self_pay_are_listed(calendar: Calendar) -> None:
    cast = calendar.cast
    uninsured = first_visit(calendar, cast.patient_p)
    insured = factories.patient("Ida", "Insured", cast.clinic_a)
    first_visit(calendar, insured, "10:00")
    services.coverage_add(
        by=cast.front_desk_a, patient=insured, details=details(payer(cast.clinic_a.practice))
    )
    paying = factories.patient("Sam", "Selfpay", cast.clinic_a)
    first_visit(calendar, paying, "12:00")
    services.self_pay_declare(by=cast.front_desk_a, patient=paying, since=NOW.date())
    lapsed = factories.patient("Lou", "Lapsed", cast.clinic_a)
    lapsed_visit = first_visit(calendar, lapsed, "14:00")
    services.coverage_add(
        by=cast.front_desk_a, patient=lapsed,
        details=details(Coverage.objects.first().payer, effective_to=dt.date(2031, 2, 1)),
    )  # fmt: skip
    first_visit(calendar, factories.patient("Fay", "Follow", cast.clinic_a), "16:00", "follow_up")
    first_visit(calendar, cast.patient_q)  # clinic B: not the desk of A's
    found = selectors.first_visits_without_coverage(cast.front_desk_a, NOW)
    assert found == sorted([uninsured, lapsed_visit], key=lambda a: (a.start, a.pk))
    assert events(object_type="coverage", reason="missing_list")


def test_a_first_visit_beyond_the_week_is_not_listed_yet(calendar: Calendar) -> None:
    first_visit(calendar, calendar.cast.patient_p)
    later = NOW - dt.timedelta(days=selectors.MISSING_DAYS_AHEAD + 7)
    assert selectors.first_visits_without_coverage(calendar.cast.front_desk_a, later) == []


def test_the_front_desks_home_shows_the_list(calendar: Calendar, monkeypatch: object) -> None:
    from tests.clock import stopped_at

    stopped_at(NOW, monkeypatch)  # type: ignore[arg-type]
    cast = calendar.cast
    first_visit(calendar, cast.patient_p)
    page = client_for(cast.front_desk_a).get(reverse("staffarea:dashboard")).content.decode()
    section = page.split('id="coverage-missing-heading"')[1].split("</section>")[0]
    assert cast.patient_p.full_name in section
    assert reverse("staffarea:patient_coverage", args=[cast.patient_p.pk]) in section
