"""The public booking flow, step by step, for the failure tests: a new person and a free
time for every attempt."""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.calendar import Calendar, local
from unknot.booking import prescreen

ALL_NO = {q.name: "no" for q in prescreen.QUESTIONS}
FIRST_DAY = dt.date(2031, 3, 4)  # the Tuesday after the fixed "now"


def free_times(calendar: Calendar) -> Iterator[dt.datetime]:
    """Distinct bookable starts on the online grid: weekdays, four times a day."""
    for offset in itertools.count():
        day = FIRST_DAY + dt.timedelta(days=offset)
        if day.weekday() < 5:
            for hhmm in ("09:00", "11:00", "13:00", "15:00"):
                yield local(calendar.cast.clinic_a, day, hhmm)


def person(n: int) -> dict[str, str]:
    return {
        "first_name": "Rosa",
        "last_name": f"Marsh{n}",
        "date_of_birth": "1984-07-23",
        "email": f"rosa.marsh{n}@example.org",
        "phone": "(207) 555-0199",
    }


def booking_url(name: str, calendar: Calendar) -> str:
    return reverse(f"booking:{name}", kwargs={"slug": calendar.cast.clinic_a.slug})


def up_to_the_last_step(web: Client, calendar: Calendar, start: dt.datetime, n: int) -> None:
    data = {"type_id": calendar.evaluation_a.pk, "who": "any", "start": start.isoformat()}
    assert web.post(booking_url("book_hold", calendar), data).status_code == 302
    details = web.post(booking_url("book_details", calendar), person(n))
    assert details["Location"] == booking_url("book_safety", calendar)


def answer_safety(web: Client, calendar: Calendar) -> Any:
    return web.post(booking_url("book_safety", calendar), ALL_NO)


def safety_answered(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].endswith("/booked/")
