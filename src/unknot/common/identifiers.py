"""The US identifiers billing prints: the NPI and the employer identification number.

One home for their shape, used by the model fields that store them and by the claim file.
"""

import re

from django.core.exceptions import ValidationError

_NPI = re.compile(r"\d{10}")
_EIN = re.compile(r"\d{2}-\d{7}")
# The NPI's check digit is the Luhn digit of the nine first digits prefixed by 80840, the
# health industry's issuer prefix (CMS, "Requirements for the NPI check digit").
_NPI_PREFIX_SUM = 24


def npi_is_valid(value: str) -> bool:
    """Ten digits whose last is the Luhn check digit over 80840 and the first nine."""
    if not _NPI.fullmatch(value):
        return False
    total = _NPI_PREFIX_SUM
    for position, char in enumerate(reversed(value[:9])):
        digit = int(char)
        if position % 2 == 0:  # every second digit from the right, starting with the rightmost
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10 == int(value[9])


def validate_npi(value: str) -> None:
    if value and not npi_is_valid(value):
        raise ValidationError(
            "An NPI is 10 digits and its last digit must check out; please copy it from NPPES."
        )


def validate_ein(value: str) -> None:
    if value and not _EIN.fullmatch(value):
        raise ValidationError("A tax id (EIN) is two digits, a dash and seven digits: 12-3456789.")
