"""The demo's waitlist at Harbour Street: three people waiting, and one open offer.

Owen Brennan's follow-up the day after tomorrow is cancelled this morning (he can only come
in the evenings now) and he joins the waitlist for evenings; Lucia Alvarez waits for a
morning, Etienne Dubois for an afternoon. The freed afternoon time matches Etienne only, so
he is offered it, as the worker would once the cancellation committed.
"""

import datetime as dt

from unknot.booking import services as booking
from unknot.booking.models import AppointmentKind, AppointmentType
from unknot.booking.selectors import availability
from unknot.clinics.models import Clinic
from unknot.demo import calendar as cal
from unknot.patients.models import Patient
from unknot.waitlist import offers
from unknot.waitlist import services as waitlist
from unknot.waitlist.models import ALL_WEEKDAYS, TimeOfDay

THERAPIST = "maya.okafor"


def fill(harbour: Clinic, now: dt.datetime) -> None:
    kind = AppointmentType.objects.get(clinic=harbour, kind=AppointmentKind.FOLLOW_UP)
    desk = cal.front_desk(harbour)
    start = _free_afternoon(harbour, kind, now)
    owen = _patient("patient.brennan")
    visit = booking.appointment_book(
        by=desk, clinic=harbour, appointment_type=kind, patient=owen, start=start,
        therapist=cal.staff_user(THERAPIST).staff_member, now=now - dt.timedelta(days=5),
    )  # fmt: skip
    booking.appointment_cancel(by=desk, appointment=visit, now=now - dt.timedelta(hours=1),
                               reason="Can only come after work now")  # fmt: skip
    for username, part, joined in (
        ("patient.alvarez", TimeOfDay.MORNING, dt.timedelta(days=6)),
        ("patient.dubois", TimeOfDay.AFTERNOON, dt.timedelta(days=4)),
        ("patient.brennan", TimeOfDay.EVENING, dt.timedelta(minutes=50)),
    ):
        _join(harbour, kind, _patient(username), part, now - joined)
    offers.open_freed_time(clinic_id=harbour.pk, therapist_id=visit.therapist_id,
                           type_id=kind.pk, start=start, now=now)  # fmt: skip


def _free_afternoon(clinic: Clinic, kind: AppointmentType, now: dt.datetime) -> dt.datetime:
    """The first free time from 1 PM with Maya on the open day after tomorrow."""
    day = cal.open_day(clinic, cal.local_day(clinic, now) + dt.timedelta(days=2))
    slots = availability(
        clinic=clinic, appointment_type=kind, first_day=day, last_day=day, now=now,
        therapist_ids=[cal.staff_user(THERAPIST).staff_member.pk],
    )  # fmt: skip
    return next(s.start_utc for s in slots if s.start_utc >= cal.at(clinic, day, 13))


def _join(clinic: Clinic, kind: AppointmentType, patient: Patient, part: str,
          at: dt.datetime) -> None:  # fmt: skip
    local_day = cal.local_day(clinic, at)
    wishes = waitlist.Wishes(weekdays=ALL_WEEKDAYS, time_of_day=part, first_day=local_day,
                             last_day=local_day + dt.timedelta(weeks=4))  # fmt: skip
    waitlist.entry_join(by=cal.front_desk(clinic), patient=patient, clinic=clinic,
                        appointment_type=kind, therapist=None, wishes=wishes, now=at)  # fmt: skip


def _patient(username: str) -> Patient:
    return Patient.objects.get(user__username=username)
