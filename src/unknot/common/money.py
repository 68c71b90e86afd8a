"""Money as people read it, in one place: the pages' `dollars` filter, the claim summary and
the PDFs all write $1,234.50, and -$20.00 for a credit."""

from decimal import Decimal, InvalidOperation
from typing import Any

NOT_MONEY = "—"


def dollars(value: Any) -> str:
    """An amount as people write it; a dash for a blank or something that is not money."""
    if value is None or value == "":
        return NOT_MONEY
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return NOT_MONEY
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
