"""The booking services' refusals: each a `Refused`, answered alike by every interface."""

from unknot.common.errors import Refused


class BookingError(Refused):
    """A booking request that cannot be met; `message` is written for the person asking."""


class SlotTaken(BookingError):
    """Someone else got there first (HTTP 409 in the APIs)."""

    code = "slot_taken"
    status = 409

    def __init__(
        self, message: str = "Sorry, that time was just taken. Please choose another."
    ) -> None:
        super().__init__(message)


class HoldExpired(BookingError):
    code = "hold_expired"

    def __init__(self) -> None:
        super().__init__(
            "We held that time for you for a few minutes, but the hold has run out. "
            "Please choose a time again."
        )


class BusyNow(BookingError):
    """Live holds already take the share of the therapist's day they may (fair use)."""

    code = "busy_now"

    def __init__(self) -> None:
        super().__init__(
            "Many people are booking right now: please choose another time "
            "or try again in a few minutes."
        )


class HoldsPerAddress(BookingError):
    """This address already holds as many times as one address may (fair use)."""

    code = "holds_per_address"

    def __init__(self) -> None:
        super().__init__(
            "Several times are already being held from your connection. Please finish one of "
            "those bookings, or try again in a few minutes."
        )


class SeriesConflicts(BookingError):
    """Not every visit of a series fits: nothing was reserved; `conflicts` says which and why."""

    code = "series_conflicts"

    def __init__(self, conflicts: list[object]) -> None:
        super().__init__(f"{len(conflicts)} of the visits do not fit; nothing was booked.")
        self.conflicts = conflicts


class NotForPatients(BookingError):
    """A patient asked for a booking only the clinic may make (HTTP 403 in the APIs)."""

    code = "not_for_patients"
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "Patients book follow-up visits at their own clinic here, once their evaluation "
            "is done; please call the clinic for anything else."
        )
