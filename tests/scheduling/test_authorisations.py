"""Counting visits against an authorisation, and the warnings before booking past it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.scheduling.authorisations import (
    Authorisation,
    AuthorisationSettings,
    Visit,
    VisitStatus,
    check_booking,
    check_series,
    usage,
)
from unknot.scheduling.booking import us_date

S = VisitStatus
FIRST, LAST = date(2031, 3, 1), date(2031, 5, 31)
AUTH = Authorisation(FIRST, LAST, visits=12, kinds=frozenset({"treatment"}), payer="Aetna")


def visit(status: VisitStatus, day: date = date(2031, 3, 10), kind: str = "treatment") -> Visit:
    return Visit(day, kind, status)


def test_attended_and_booked_count_cancelled_and_held_never_do() -> None:
    visits = [
        visit(S.COMPLETED),
        visit(S.ARRIVED),
        visit(S.BOOKED),
        visit(S.CANCELLED),
        visit(S.HELD),
    ]
    used = usage(AUTH, visits)
    assert (used.attended, used.booked, used.no_shows) == (2, 1, 0)
    assert used.remaining == 9
    assert [v.status for v in used.not_counted] == [S.CANCELLED, S.HELD]
    assert used.outside == ()


def test_no_shows_count_only_when_the_payer_counts_them() -> None:
    visits = [visit(S.COMPLETED), visit(S.NO_SHOW), visit(S.NO_SHOW)]
    by_default = usage(AUTH, visits)
    assert (by_default.no_shows, by_default.remaining) == (0, 11)
    assert [v.status for v in by_default.not_counted] == [S.NO_SHOW, S.NO_SHOW]
    counted = usage(AUTH, visits, AuthorisationSettings(count_no_shows=True))
    assert (counted.no_shows, counted.remaining, counted.not_counted) == (2, 9, ())


def test_visits_outside_the_dates_or_kinds_are_listed_apart_and_never_counted() -> None:
    before = visit(S.COMPLETED, day=FIRST - timedelta(days=1))
    after = visit(S.BOOKED, day=LAST + timedelta(days=1))
    evaluation = visit(S.COMPLETED, kind="evaluation")
    on_the_edges = [visit(S.COMPLETED, day=FIRST), visit(S.BOOKED, day=LAST)]
    used = usage(AUTH, [before, after, evaluation, *on_the_edges])
    assert used.outside == (before, after, evaluation)
    assert (used.attended, used.booked, used.remaining) == (1, 1, 10)


def test_an_authorisation_without_kinds_covers_every_kind() -> None:
    any_kind = replace(AUTH, kinds=frozenset())
    assert usage(any_kind, [visit(S.COMPLETED, kind="evaluation")]).attended == 1


def test_units_are_counted_per_visit() -> None:
    by_units = Authorisation(FIRST, LAST, units=8)
    visits = [Visit(date(2031, 3, 10), "treatment", S.COMPLETED, units=3)]
    assert usage(by_units, visits).remaining == 5
    warning = check_booking(by_units, visits, date(2031, 3, 12), "treatment", new_units=6)
    assert warning is not None
    assert warning.message == "This would use units 4 to 9 of 8 authorized."
    assert check_booking(by_units, visits, date(2031, 3, 12), "treatment", new_units=5) is None


def test_flags_over_count_running_out_and_ending_soon() -> None:
    eleven = [visit(S.COMPLETED)] * 10 + [visit(S.BOOKED)]
    used = usage(AUTH, eleven)
    assert used.running_out and not used.over_count
    assert not usage(AUTH, eleven[:9]).running_out  # 3 left, threshold 2
    assert usage(AUTH, [*eleven, visit(S.BOOKED), visit(S.BOOKED)]).over_count
    assert usage(AUTH, [], AuthorisationSettings(running_out_at=12)).running_out
    assert used.ending_soon(LAST - timedelta(days=14))
    assert used.ending_soon(LAST)
    assert not used.ending_soon(LAST - timedelta(days=15))
    assert not used.ending_soon(LAST + timedelta(days=1))
    assert used.ended(LAST + timedelta(days=1)) and not used.ended(LAST)


def test_the_thirteenth_of_twelve_is_warned() -> None:
    twelve = [visit(S.COMPLETED)] * 8 + [visit(S.BOOKED)] * 4
    warning = check_booking(AUTH, twelve, date(2031, 4, 1), "treatment")
    assert warning is not None and warning.reason == "over_count"
    assert warning.message == "This would be visit 13 of 12 authorized by Aetna."
    assert check_booking(AUTH, twelve[:11], date(2031, 4, 1), "treatment") is None


def test_a_cancelled_visit_frees_its_place() -> None:
    twelve = [visit(S.COMPLETED)] * 11 + [visit(S.CANCELLED), visit(S.HELD)]
    assert check_booking(AUTH, twelve, date(2031, 4, 1), "treatment") is None


def test_booking_outside_the_dates_or_kinds_is_warned_in_plain_words() -> None:
    late = check_booking(AUTH, [], date(2031, 6, 4), "treatment")
    assert late is not None and late.reason == "outside_dates"
    assert late.message == (
        "Jun 4, 2031 is outside the dates authorized by Aetna: Mar 1, 2031 to May 31, 2031."
    )
    other = check_booking(AUTH, [], date(2031, 4, 1), "evaluation")
    assert other is not None and other.reason == "kind_not_covered"
    assert other.message == "This kind of visit is not covered by the authorization from Aetna."
    assert "evaluation" not in other.message  # people see words, never codes


def test_series_names_only_the_visits_that_fall_outside() -> None:
    ten = [visit(S.COMPLETED)] * 10
    days = [date(2031, 5, 26), date(2031, 5, 28), date(2031, 5, 30), date(2031, 6, 2)]
    found = check_series(AUTH, ten, days, "treatment")
    assert [(day, w.reason) for day, w in found] == [
        (date(2031, 5, 30), "over_count"),
        (date(2031, 6, 2), "outside_dates"),
    ]
    assert found[0][1].message == "This would be visit 13 of 12 authorized by Aetna."


def test_us_date() -> None:
    assert us_date(date(2031, 3, 4)) == "Mar 4, 2031"
    assert us_date(date(2031, 12, 25)) == "Dec 25, 2031"


def test_impossible_authorisations_are_refused() -> None:
    with pytest.raises(ValueError, match="either visits or units"):
        Authorisation(FIRST, LAST)
    with pytest.raises(ValueError, match="either visits or units"):
        Authorisation(FIRST, LAST, visits=3, units=3)
    with pytest.raises(ValueError, match="last day"):
        Authorisation(LAST, FIRST, visits=3)
    with pytest.raises(ValueError, match="negative"):
        Authorisation(FIRST, LAST, visits=-1)


# Properties --------------------------------------------------------------------------------

KINDS = ("treatment", "evaluation")
days = st.dates(FIRST - timedelta(days=20), LAST + timedelta(days=20))
visits = st.builds(Visit, days, st.sampled_from(KINDS), st.sampled_from(list(S)), st.integers(0, 4))
auths = st.builds(
    Authorisation,
    st.just(FIRST),
    st.just(LAST),
    visits=st.integers(0, 30),
    kinds=st.sampled_from([frozenset(), frozenset({"treatment"})]),
) | st.builds(Authorisation, st.just(FIRST), st.just(LAST), units=st.integers(0, 60))
settings_ = st.builds(AuthorisationSettings, count_no_shows=st.booleans())


@given(auths, st.lists(visits, max_size=30))
def test_remaining_attended_and_booked_add_up_to_the_authorised(
    auth: Authorisation, visit_list: list[Visit]
) -> None:
    used = usage(auth, visit_list)
    assert used.remaining + used.attended + used.booked == auth.authorised
    assert len(used.not_counted) + len(used.outside) <= len(visit_list)


@given(st.integers(0, 30), st.lists(visits, max_size=30), settings_)
def test_every_visit_is_counted_or_listed_apart_exactly_once(
    authorised: int, visit_list: list[Visit], settings: AuthorisationSettings
) -> None:
    auth = replace(AUTH, visits=authorised)
    used = usage(auth, visit_list, settings)
    assert used.used + len(used.not_counted) + len(used.outside) == len(visit_list)
    assert used.remaining + used.used == auth.authorised


@given(auths, st.lists(visits, min_size=1, max_size=30), st.data(), settings_)
def test_cancelling_a_visit_never_reduces_remaining(
    auth: Authorisation, visit_list: list[Visit], data: st.DataObject, s: AuthorisationSettings
) -> None:
    index = data.draw(st.integers(0, len(visit_list) - 1))
    cancelled = list(visit_list)
    cancelled[index] = replace(visit_list[index], status=S.CANCELLED)
    assert usage(auth, cancelled, s).remaining >= usage(auth, visit_list, s).remaining


@given(auths, st.lists(visits, max_size=30), visits, settings_)
def test_adding_a_visit_outside_the_range_never_changes_the_counts(
    auth: Authorisation, visit_list: list[Visit], extra: Visit, s: AuthorisationSettings
) -> None:
    outside_day = extra.day if not auth.covers_day(extra.day) else LAST + timedelta(days=1)
    outsider = replace(extra, day=outside_day)
    before, after = usage(auth, visit_list, s), usage(auth, [*visit_list, outsider], s)
    assert (after.attended, after.booked, after.no_shows, after.remaining) == (
        before.attended,
        before.booked,
        before.no_shows,
        before.remaining,
    )
    assert after.outside == (*before.outside, outsider)


@given(auths, st.lists(visits, max_size=20), days, st.sampled_from(KINDS), settings_)
def test_a_booking_is_warned_exactly_when_it_would_not_be_covered(
    auth: Authorisation,
    visit_list: list[Visit],
    day: date,
    kind: str,
    s: AuthorisationSettings,
) -> None:
    warning = check_booking(auth, visit_list, day, kind, settings=s)
    after = usage(auth, [*visit_list, Visit(day, kind, S.BOOKED)], s)
    fits = auth.covers_day(day) and auth.covers_kind(kind) and after.remaining >= 0
    assert (warning is None) == fits
