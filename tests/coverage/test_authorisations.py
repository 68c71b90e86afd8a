"""Authorisations: how much of one is used (booked and attended count, cancellations never,
no-shows where the payer counts them), the warnings before booking past one, the front
desk's list of those running out, and who may read and change them.

The clock is the shared calendar's NOW (Monday 2031-03-03 12:00 UTC); the authorisation
covers March 2031 (three visits) unless a test says otherwise.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests import factories
from tests.audit.support import events
from tests.calendar import NOW, Calendar, local
from tests.clock import stopped_at
from tests.coverage.support import any_payer, authorisation, coverage, data
from unknot.booking import hooks
from unknot.booking import services as booking
from unknot.booking.models import Appointment
from unknot.common.errors import Refused
from unknot.coverage import authorisations as auth
from unknot.coverage.models import Authorisation
from unknot.patients.models import Patient

pytestmark = pytest.mark.django_db

MARCH = dt.date(2031, 3, 1)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_at(NOW, monkeypatch)


def visit(
    cal: Calendar, day: int, status: str = "booked", patient: Patient | None = None
) -> Appointment:
    """A follow-up on March `day` at 10:00 at clinic A, booked through the service, then
    cancelled or marked when it is over, as the front desk would."""
    cast = cal.cast
    desk = cast.front_desk_a
    made = factories.booked_appointment(
        cal, patient=patient or cast.patient_p, type=cal.follow_up_a, by=cast.front_desk_a,
        when=local(cast.clinic_a, MARCH.replace(day=day), "10:00"), now=NOW,
    )  # fmt: skip
    if status == "cancelled":
        booking.appointment_cancel(by=desk, appointment=made, now=NOW)
    elif status != "booked":
        booking.appointment_mark(by=desk, appointment=made, status=status, now=made.end)
    return made


def use_of(row: Authorisation) -> auth.AuthorisationUse:
    [use] = auth.uses_of([Authorisation.objects.get(pk=row.pk)])
    return use


# --- usage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("counts_no_shows", "used"), [(False, 2), (True, 3)])
def test_booked_and_attended_count_cancellations_never_no_shows_by_payer(
    calendar: Calendar, counts_no_shows: bool, used: int
) -> None:
    cast = calendar.cast
    row = authorisation(
        cast.front_desk_a, coverage(cast.patient_p, any_payer(counts_no_shows=counts_no_shows))
    )
    visit(calendar, 10)
    visit(calendar, 11, "completed")
    visit(calendar, 12, "cancelled")
    visit(calendar, 13, "no_show")
    use = use_of(row)
    assert (use.used, use.left) == (used, 3 - used)


def test_other_patients_and_visits_outside_the_dates_do_not_count(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p), end_date=MARCH.replace(day=13))
    visit(calendar, 10)
    visit(calendar, 14)  # the day after the last day covered
    visit(calendar, 11, patient=factories.patient("Other", "Person", cast.clinic_a))
    use = use_of(row)
    assert use.used == 1 and [v.day.day for v in use.usage.outside] == [14]


def test_units_count_each_visit_by_its_length(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p), unit="units", authorised=8)
    visit(calendar, 10)  # a 45-minute follow-up: three units by the 8-minute rule
    assert use_of(row).used == 3


def test_usage_lists_read_all_visits_in_one_query(
    calendar: Calendar, django_assert_num_queries: object
) -> None:
    cast = calendar.cast
    rows = []
    for n in range(3):
        someone = factories.patient(f"Many{n}", "Visits", cast.clinic_a)
        rows.append(authorisation(cast.front_desk_a, coverage(someone)))
        visit(calendar, 10 + n, patient=someone)
    loaded = list(Authorisation.objects.select_related("coverage__payer", "coverage__patient"))
    with django_assert_num_queries(1):  # type: ignore[operator]
        uses = auth.uses_of(loaded)
    assert [use.used for use in uses] == [1, 1, 1]
    assert {use.authorisation.pk for use in uses} == {row.pk for row in rows}


# --- warnings before booking ------------------------------------------------------------------


def test_a_booking_past_the_count_warns(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p))
    for day in (10, 11, 12):
        visit(calendar, day)
    start = local(cast.clinic_a, MARCH.replace(day=20), "10:00")
    warnings = hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a)
    assert warnings == ["This would be visit 4 of 3 authorized by Acme Health."]


def test_a_booking_within_the_count_does_not_warn(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p))
    visit(calendar, 10)
    visit(calendar, 11, "cancelled")
    start = local(cast.clinic_a, MARCH.replace(day=20), "10:00")
    assert hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a) == []


def test_a_booking_past_the_end_date_warns(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p))
    start = local(cast.clinic_a, dt.date(2031, 4, 2), "10:00")
    [warning] = hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a)
    assert warning == (
        "Apr 2, 2031 is outside the dates authorized by Acme Health: Mar 1, 2031 to Mar 31, 2031."
    )


def test_a_later_authorisation_of_the_same_coverage_is_the_one_checked(
    calendar: Calendar,
) -> None:
    cast = calendar.cast
    covered = coverage(cast.patient_p)
    authorisation(cast.front_desk_a, covered)
    authorisation(
        cast.front_desk_a, covered, reference="AUTH-2", start_date=dt.date(2031, 4, 1),
        end_date=dt.date(2031, 4, 30),
    )  # fmt: skip
    start = local(cast.clinic_a, dt.date(2031, 4, 2), "10:00")
    assert hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a) == []


def test_a_kind_not_covered_warns(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p), covers=["follow_up"])
    start = local(cast.clinic_a, MARCH.replace(day=20), "10:00")
    [warning] = hooks.warnings_for(cast.patient_p, start, calendar.evaluation_a)
    assert "not covered" in warning


def test_no_authorisation_or_an_ended_coverage_never_warns(calendar: Calendar) -> None:
    cast = calendar.cast
    start = local(cast.clinic_a, dt.date(2031, 4, 2), "10:00")
    assert hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a) == []
    ended = coverage(cast.patient_p, effective_to=dt.date(2031, 3, 31))
    authorisation(cast.front_desk_a, ended)
    assert hooks.warnings_for(cast.patient_p, start, calendar.follow_up_a) == []


def test_a_series_names_only_the_visits_outside(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p))
    visit(calendar, 10)
    starts = [local(cast.clinic_a, day, "09:00") for day in
              (dt.date(2031, 3, 17), dt.date(2031, 3, 20), dt.date(2031, 3, 24),
               dt.date(2031, 4, 3))]  # fmt: skip
    found = hooks.series_warnings_for(cast.patient_p, starts, calendar.follow_up_a)
    assert [start for start, _ in found] == starts[2:]
    assert found[0][1] == "This would be visit 4 of 3 authorized by Acme Health."
    assert "Apr 3, 2031 is outside the dates" in found[1][1]


def test_a_reserved_series_is_not_counted_twice(calendar: Calendar) -> None:
    cast = calendar.cast
    authorisation(cast.front_desk_a, coverage(cast.patient_p))
    made = [visit(calendar, day) for day in (10, 11, 12)]
    found = hooks.series_warnings_for(
        cast.patient_p, [m.start for m in made], calendar.follow_up_a,
        already_booked={m.pk for m in made},
    )  # fmt: skip
    assert found == []


# --- the front desk's list --------------------------------------------------------------------


def test_running_out_lists_few_left_or_ending_soon_at_the_desks_clinics(
    calendar: Calendar,
) -> None:
    cast = calendar.cast
    desk = cast.front_desk_a

    def patient_with(first: str, clinic: object = cast.clinic_a, **fields: object) -> Patient:
        someone = factories.patient(first, "Covered", clinic)  # type: ignore[arg-type]
        authorisation(desk, coverage(someone), **({"authorised": 10} | fields))
        return someone

    few = patient_with("Few", authorised=3)
    visit(calendar, 10, patient=few)  # 2 left: at the threshold
    ending = patient_with("Ending", end_date=dt.date(2031, 3, 14))  # in 11 days
    patient_with("Plenty", end_date=dt.date(2031, 5, 31))
    patient_with("Ended", authorised=1, end_date=dt.date(2031, 3, 2))
    desk_b = factories.staff("front_desk_b", "front_desk", [cast.clinic_b])
    elsewhere = factories.patient("Elsewhere", "Covered", cast.clinic_b)
    authorisation(desk_b, coverage(elsewhere), authorised=1)
    listed = auth.running_out(desk, [cast.clinic_a], NOW.date())
    names = [use.authorisation.coverage.patient.first_name for use in listed]
    assert names == ["Few", "Ending"]
    assert [use.left for use in listed] == [2, 10] and ending.pk


# --- who may read and change ------------------------------------------------------------------


def test_adding_is_audited_and_tidies_the_input(calendar: Calendar) -> None:
    cast = calendar.cast
    covered = coverage(cast.patient_p)
    row = authorisation(
        cast.front_desk_a, covered, reference="  AUTH-9 ", covers=["follow_up", "flare_up"]
    )
    assert row.reference == "AUTH-9" and row.covers == ["follow_up", "flare_up"]
    [event] = events(object_type="authorisation", action="create")
    assert event.patient_id == cast.patient_p.pk and event.object_id == str(row.pk)


def test_a_biller_may_add(calendar: Calendar) -> None:
    biller = calendar.cast.biller_a
    assert authorisation(biller, coverage(calendar.cast.patient_p)).pk


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"end_date": dt.date(2031, 2, 1)}, "must not come before"),
        ({"reference": "   "}, "authorization number"),
        ({"covers": ["massage"]}, "kinds of visit"),
        ({"unit": "hours"}, "visits or billing units"),
        ({"authorised": 0}, "between 1 and 999"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    calendar: Calendar, changes: dict[str, object], words: str
) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    with pytest.raises(Refused, match=words):
        auth.authorisation_update(by=cast.front_desk_a, authorisation=row, data=data(**changes))
    with pytest.raises(Refused, match=words):
        auth.authorisation_add(by=cast.front_desk_a, coverage=row.coverage, data=data(**changes))
    assert Authorisation.objects.get().end_date == dt.date(2031, 3, 31)
    assert not events(object_type="authorisation", action="update")


def test_an_extension_is_saved_and_audited(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    auth.authorisation_update(by=cast.manager, authorisation=row, data=data(authorised=12))
    assert Authorisation.objects.get().authorised == 12
    assert events(object_type="authorisation", action="update")


@pytest.mark.parametrize("who", ["therapist_a", "auditor", "therapist_b"])
def test_who_may_not_change(calendar: Calendar, who: str) -> None:
    cast = calendar.cast
    covered = coverage(cast.patient_p)
    with pytest.raises(PermissionDenied):
        auth.authorisation_add(by=cast.users[who], coverage=covered, data=data())
    assert not Authorisation.objects.exists()


def test_the_other_clinics_desk_may_not_change_or_read(calendar: Calendar) -> None:
    cast = calendar.cast
    desk_b = factories.staff("front_desk_b", "front_desk", [cast.clinic_b])
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    with pytest.raises(PermissionDenied):
        auth.authorisation_add(by=desk_b, coverage=row.coverage, data=data())
    with pytest.raises(Http404):
        auth.get_authorisation_for(desk_b, row.pk)
    with pytest.raises(Http404):
        auth.get_coverage_for_rw(desk_b, row.coverage_id)
    assert events(object_type="authorisation", outcome="denied")
    assert auth.running_out(desk_b, [cast.clinic_a], NOW.date()) == []


def test_patients_see_no_coverage(calendar: Calendar) -> None:
    cast = calendar.cast
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    with pytest.raises(Http404):
        auth.get_authorisation_for(cast.patient_p.user, row.pk)
    assert auth.get_authorisation_for(cast.therapist_a, row.pk) == row
