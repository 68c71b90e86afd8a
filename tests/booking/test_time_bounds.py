"""Time-window reads have a lower bound as well as an upper one (LONGEST_BLOCK): correct for
the longest appointment a kind of appointment allows, and that longest is enforced."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.personas import Cast
from unknot.booking import adapters, selectors
from unknot.booking.models import (
    LONGEST_BLOCK,
    MAX_BUFFER_MINUTES,
    MAX_DURATION_MINUTES,
    Appointment,
)


def stretched(calendar: Any, cast: Cast) -> Appointment:
    """A booking made as usual, then made as long as any kind of appointment may block."""
    booked = factories.booked_appointment(calendar, patient=cast.patient_p)
    end = booked.blocked_start + LONGEST_BLOCK
    Appointment.objects.filter(pk=booked.pk).update(blocked_end=end, end=end)
    booked.refresh_from_db()
    return booked


def test_the_busy_time_of_the_longest_block_is_found_from_its_last_minute(
    calendar: Any, cast: Cast
) -> None:
    booked = stretched(calendar, cast)
    window = booked.blocked_end - dt.timedelta(minutes=1)  # its last minute only
    rows = adapters.busy_rows([booked.therapist_id], window, window + dt.timedelta(hours=2),
                              timezone.now())  # fmt: skip
    assert [(start, end) for _, start, end in rows] == [(booked.blocked_start, booked.blocked_end)]
    later = booked.blocked_end
    after = adapters.busy_rows([booked.therapist_id], later, later + dt.timedelta(hours=2),
                               timezone.now())  # fmt: skip
    assert after == []


def test_the_calendar_window_finds_a_visit_that_began_the_day_before(
    calendar: Any, cast: Cast
) -> None:
    booked = stretched(calendar, cast)
    start = booked.end - dt.timedelta(minutes=1)
    found = selectors.appointments_between(cast.therapist_a, booked.clinic, start,
                                           start + dt.timedelta(hours=1))  # fmt: skip
    assert [a.pk for a in found] == [booked.pk]


@pytest.mark.parametrize(
    "field", ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]
)
def test_a_kind_of_appointment_longer_than_the_bound_is_refused(calendar: Any, field: str) -> None:
    kind = calendar.evaluation_a
    limit = MAX_DURATION_MINUTES if field == "duration_minutes" else MAX_BUFFER_MINUTES
    setattr(kind, field, limit)
    kind.full_clean()
    setattr(kind, field, limit + 1)
    with pytest.raises(ValidationError) as refused:
        kind.full_clean()
    assert field in refused.value.message_dict
