"""The NPI's check digit and the EIN's shape, as the claim file and the model fields use them."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from unknot.common.identifiers import npi_is_valid, validate_ein, validate_npi

# CMS's worked example ("Requirements for the NPI check digit"): 123456789 gives check digit 3.
CMS_EXAMPLE = "1234567893"


def test_the_cms_worked_example_checks_out() -> None:
    assert npi_is_valid(CMS_EXAMPLE)


@pytest.mark.parametrize("wrong", ["1234567890", "1234567894", "123456789", "12345678933",
                                   "12345678a3", " 1234567893", ""])  # fmt: skip
def test_a_wrong_digit_or_shape_is_refused(wrong: str) -> None:
    assert not npi_is_valid(wrong)


@given(st.from_regex(r"\d{9}", fullmatch=True))
def test_exactly_one_check_digit_fits_any_nine_digits(first_nine: str) -> None:
    fitting = [digit for digit in "0123456789" if npi_is_valid(first_nine + digit)]
    assert len(fitting) == 1


def test_a_blank_npi_or_ein_is_allowed_until_billing_needs_it() -> None:
    validate_npi("")
    validate_ein("")


def test_the_messages_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match="10 digits"):
        validate_npi("1234567890")
    with pytest.raises(ValidationError, match="12-3456789"):
        validate_ein("123456789")
    validate_ein("12-3456789")
