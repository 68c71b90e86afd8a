"""The one home of what a US state and a ZIP code are."""

import pytest
from django import forms

from unknot.common.us_address import StateField, ZipCodeField


@pytest.mark.parametrize(("typed", "kept"), [("ny", "NY"), (" DC ", "DC"), ("pr", "PR"), ("", "")])
def test_a_state_is_kept_as_its_usps_code(typed: str, kept: str) -> None:
    assert StateField(required=False).clean(typed) == kept


@pytest.mark.parametrize("typed", ["XX", "N1", "ZZ", "U"])
def test_two_letters_that_are_no_state_are_refused(typed: str) -> None:
    with pytest.raises(forms.ValidationError, match="US state"):
        StateField().clean(typed)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("12207", "12207"), ("12207-1234", "12207-1234"), ("122071234", "12207-1234"), ("", "")],
)
def test_a_zip_code_is_five_digits_or_zip_plus_four(typed: str, kept: str) -> None:
    assert ZipCodeField(required=False).clean(typed) == kept


@pytest.mark.parametrize(
    "typed", ["1220", "ABCDE", "12207-12", "1220712345", "１２２０７", "١٢٢٠٧", "12207-１２３４"]
)
def test_anything_else_is_no_zip_code(typed: str) -> None:
    with pytest.raises(forms.ValidationError, match="Five digits"):
        ZipCodeField().clean(typed)


def test_the_claim_address_needs_all_nine_digits() -> None:
    with pytest.raises(forms.ValidationError, match="nine-digit"):
        ZipCodeField(plus_four=True).clean("12207")
    assert ZipCodeField(plus_four=True).clean("12207 1234") == "12207-1234"
