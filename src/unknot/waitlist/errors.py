"""The waitlist's refusals: each a `Refused`, shown on the page in plain words."""

from unknot.common.errors import Refused


class WaitlistRefused(Refused):
    """A waitlist request that cannot be met; `message` is written for the person asking."""


class OfferGone(WaitlistRefused):
    """Someone else took the time first (or it was booked another way)."""

    code = "offer_gone"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "Sorry, this time has gone: someone else took it first. Nothing was booked, and "
            "you are still on the waitlist."
        )


class OfferExpired(WaitlistRefused):
    code = "offer_expired"

    def __init__(self) -> None:
        super().__init__(
            "Sorry, this offer has run out. Nothing was booked, and you are still on the "
            "waitlist: we will email you when another time frees up."
        )


class OfferAnswered(WaitlistRefused):
    code = "offer_answered"

    def __init__(self) -> None:
        super().__init__("This offer has already been answered: nothing was changed.")


class NotWaiting(WaitlistRefused):
    code = "not_waiting"

    def __init__(self) -> None:
        super().__init__("This place on the waitlist is no longer waiting: nothing was changed.")
