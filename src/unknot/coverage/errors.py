"""Coverage's refusals: each a `Refused`, shown on the page in plain words."""

from unknot.common.errors import Refused


class CoverageRefused(Refused):
    """A coverage, self-pay or payer request that cannot be met; `message` is written for
    the person asking."""


class CardRefused(CoverageRefused):
    """An insurance card's image that is not one we keep: the wrong kind of file, or too big."""

    code = "card_refused"
