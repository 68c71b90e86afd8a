"""US postal address fields: the state's two-letter code and the ZIP code.

One home for the rules, so the claim settings, a coverage's subscriber and a patient's own
address agree on what a state and a ZIP code are. Claims (X12 N4, CMS-1500 boxes 5, 7, 32
and 33) carry the USPS codes, so a state is one of them, not any two letters.
"""

from typing import Any

from django import forms

# The 50 states, the District of Columbia and the territories the USPS gives a code.
US_STATE_CODES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
})  # fmt: skip


class StateField(forms.CharField):
    """A state's USPS code, typed in any case ("ny" becomes "NY")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("help_text", "Two letters, like NY.")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        state = str(super().clean(value)).upper()
        if state and state not in US_STATE_CODES:
            raise forms.ValidationError("Enter a US state's two letters, like NY.")
        return state


class ZipCodeField(forms.CharField):
    """A ZIP code, stored as "12345" or "12345-6789".

    `plus_four=True` asks for the nine digits (the billing provider's address on a claim).
    """

    def __init__(self, *, plus_four: bool = False, **kwargs: Any) -> None:
        self.plus_four = plus_four
        kwargs.setdefault("label", "ZIP code")
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        zip_code = str(super().clean(value))
        if not zip_code:
            return ""
        digits = zip_code.replace("-", "").replace(" ", "")
        # ASCII digits only: isdigit() also takes other scripts' digits ("１２２０７").
        ascii_digits = digits.isascii() and digits.isdigit()
        if self.plus_four and not (ascii_digits and len(digits) == 9):
            raise forms.ValidationError("Claims need the nine-digit ZIP+4, like 10001-2345.")
        if not (ascii_digits and len(digits) in (5, 9)):
            raise forms.ValidationError("Five digits, or ZIP+4 like 10001-2345.")
        return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits
