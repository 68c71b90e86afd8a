"""Paperwork's refusals: each a `Refused`, shown on the page in plain words."""

from unknot.common.errors import Refused


class PaperworkRefused(Refused):
    """A signing or an edit that cannot be done; `message` is written for the person asking."""


class VersionChanged(PaperworkRefused):
    code = "version_changed"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "This form was updated while it was open. Nothing was signed: please read the new "
            "version and sign again."
        )


class AlreadySigned(PaperworkRefused):
    code = "already_signed"
    status = 409

    def __init__(self) -> None:
        super().__init__("This version of the form is already signed: nothing was changed.")
