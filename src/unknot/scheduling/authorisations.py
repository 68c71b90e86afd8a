"""Counting visits against a payer's authorisation, and warning before booking past it.

An insurer authorises a number of visits (or units) between two local dates, for some kinds
of appointment. Attended and booked visits count against it; cancelled visits and slots
held while booking never do. No-shows do not count by default, because most payers only
pay for (and so only count) visits that took place; `AuthorisationSettings.count_no_shows`
turns that on for payers that count them anyway. Visits outside the dates or of kinds the
authorisation does not cover are listed apart and never counted.

Pure: no Django, no clock; `today` comes in as an argument. Rules in docs/scheduling.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .booking import us_date  # the core's one US date format, as its other reasons use


class VisitStatus(StrEnum):
    """The appointment statuses of the booking app, by value."""

    HELD = "held"
    BOOKED = "booked"
    ARRIVED = "arrived"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


ATTENDED = frozenset({VisitStatus.ARRIVED, VisitStatus.COMPLETED})


@dataclass(frozen=True)
class AuthorisationSettings:
    """`count_no_shows`: some payers count a missed visit against the authorisation.
    `running_out_at`: flag when this many visits (or units) or fewer remain.
    `ending_within_days`: flag when the last covered day is this close."""

    count_no_shows: bool = False
    running_out_at: int = 2
    ending_within_days: int = 14

    def __post_init__(self) -> None:
        if self.running_out_at < 0 or self.ending_within_days < 0:
            raise ValueError("thresholds must not be negative")


DEFAULT_SETTINGS = AuthorisationSettings()


@dataclass(frozen=True)
class Authorisation:
    """Exactly one of `visits` or `units` is authorised, from `first_day` to `last_day`
    (local dates, both included), for the appointment `kinds` listed (empty: all kinds).
    `payer` names the insurer in warnings."""

    first_day: date
    last_day: date
    visits: int | None = None
    units: int | None = None
    kinds: frozenset[str] = frozenset()
    payer: str = ""

    def __post_init__(self) -> None:
        if (self.visits is None) == (self.units is None):
            raise ValueError("an authorisation counts either visits or units")
        if self.authorised < 0:
            raise ValueError("the authorised count must not be negative")
        if self.last_day < self.first_day:
            raise ValueError("the last day covered must not be before the first")

    @property
    def authorised(self) -> int:
        return self.visits if self.visits is not None else self.units or 0

    @property
    def counts_units(self) -> bool:
        return self.units is not None

    def covers_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def covers_kind(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class Visit:
    """One appointment: its local day, kind, status and (when units are counted) units."""

    day: date
    kind: str
    status: VisitStatus
    units: int = 1

    def __post_init__(self) -> None:
        if self.units < 0:
            raise ValueError("units must not be negative")


@dataclass(frozen=True)
class Usage:
    """How much of an authorisation is used. Counts are visits or units, as authorised.

    `remaining` is negative when more is attended and booked than authorised.
    `not_counted`: cancelled, held, and (unless counted) no-show visits.
    `outside`: visits outside the dates or of kinds not covered; never counted.
    """

    authorisation: Authorisation
    attended: int
    booked: int
    no_shows: int
    not_counted: tuple[Visit, ...]
    outside: tuple[Visit, ...]
    settings: AuthorisationSettings = field(default=DEFAULT_SETTINGS)

    @property
    def used(self) -> int:
        return self.attended + self.booked + self.no_shows

    @property
    def remaining(self) -> int:
        return self.authorisation.authorised - self.used

    @property
    def over_count(self) -> bool:
        return self.remaining < 0

    @property
    def running_out(self) -> bool:
        return self.remaining <= self.settings.running_out_at

    def ending_soon(self, today: date) -> bool:
        """The last covered day is today or within the next `ending_within_days` days."""
        days_left = (self.authorisation.last_day - today).days
        return 0 <= days_left <= self.settings.ending_within_days

    def ended(self, today: date) -> bool:
        return today > self.authorisation.last_day


@dataclass(frozen=True)
class AuthorisationWarning:
    """A plain-words warning for staff; `reason` is a stable code for tests and templates."""

    reason: str
    message: str


def covered(auth: Authorisation, visit: Visit) -> bool:
    return auth.covers_day(visit.day) and auth.covers_kind(visit.kind)


def counts(visit: Visit, settings: AuthorisationSettings) -> bool:
    """Whether a covered visit counts against the authorisation (the one home of that rule)."""
    if visit.status in ATTENDED or visit.status is VisitStatus.BOOKED:
        return True
    return visit.status is VisitStatus.NO_SHOW and settings.count_no_shows


def usage(
    auth: Authorisation,
    visits: Iterable[Visit],
    settings: AuthorisationSettings = DEFAULT_SETTINGS,
) -> Usage:
    attended = booked = no_shows = 0
    not_counted: list[Visit] = []
    outside: list[Visit] = []
    for visit in visits:
        amount = _amount(auth, visit)
        if not covered(auth, visit):
            outside.append(visit)
        elif not counts(visit, settings):
            not_counted.append(visit)
        elif visit.status in ATTENDED:
            attended += amount
        elif visit.status is VisitStatus.BOOKED:
            booked += amount
        else:
            no_shows += amount
    return Usage(auth, attended, booked, no_shows, tuple(not_counted), tuple(outside), settings)


def check_booking(
    auth: Authorisation,
    visits: Iterable[Visit],
    new_day: date,
    new_kind: str,
    *,
    new_units: int = 1,
    settings: AuthorisationSettings = DEFAULT_SETTINGS,
) -> AuthorisationWarning | None:
    """Warn when a new visit would fall outside the dates, not be covered, or go past the count.

    Staff may still book (the patient can pay, or the payer may extend): this only warns.
    """
    if not auth.covers_day(new_day):
        return AuthorisationWarning(
            "outside_dates",
            f"{us_date(new_day)} is outside the dates authorized{_by(auth)}: "
            f"{us_date(auth.first_day)} to {us_date(auth.last_day)}.",
        )
    if not auth.covers_kind(new_kind):
        return AuthorisationWarning(
            "kind_not_covered",
            f"This kind of visit is not covered by the authorization{_from(auth)}.",
        )
    used = usage(auth, visits, settings).used
    added = new_units if auth.counts_units else 1
    if used + added > auth.authorised:
        return AuthorisationWarning("over_count", _over_count_message(auth, used, added))
    return None


def check_series(
    auth: Authorisation,
    visits: Iterable[Visit],
    days: Sequence[date],
    kind: str,
    *,
    units: int = 1,
    settings: AuthorisationSettings = DEFAULT_SETTINGS,
) -> list[tuple[date, AuthorisationWarning]]:
    """The series visits (in the order given) that would fall outside the authorisation.

    Each visit is checked as if the earlier visits of the series were already booked, so
    the 13th of 12 is named, not every visit after the existing ones.
    """
    so_far = list(visits)
    found: list[tuple[date, AuthorisationWarning]] = []
    for day in days:
        warning = check_booking(auth, so_far, day, kind, new_units=units, settings=settings)
        if warning is not None:
            found.append((day, warning))
        so_far.append(Visit(day, kind, VisitStatus.BOOKED, units))
    return found


def _amount(auth: Authorisation, visit: Visit) -> int:
    return visit.units if auth.counts_units else 1


def _by(auth: Authorisation) -> str:
    return f" by {auth.payer}" if auth.payer else ""


def _from(auth: Authorisation) -> str:
    return f" from {auth.payer}" if auth.payer else ""


def _over_count_message(auth: Authorisation, used: int, added: int) -> str:
    authorised = f"of {auth.authorised} authorized{_by(auth)}"
    if not auth.counts_units:
        return f"This would be visit {used + 1} {authorised}."
    first, last = used + 1, used + added
    span = f"unit {first}" if first == last else f"units {first} to {last}"
    return f"This would use {span} {authorised}."
