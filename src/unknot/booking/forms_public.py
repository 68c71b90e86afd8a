"""Forms of the public booking flow and the question form: they parse, they decide nothing."""

import datetime as dt
import re
from typing import Any

from django import forms

from unknot.accounts.emails import EmailAddressField
from unknot.booking.prescreen import QUESTIONS
from unknot.common import inputs

PHONE_CHARACTERS = re.compile(r"^[0-9+()./\- ]+$")
YES_NO = [("yes", "Yes"), ("no", "No")]


def _clean_phone(value: str, *, required: bool) -> str:
    value = value.strip()
    if not value and not required:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_CHARACTERS.match(value) or not 7 <= digits <= 15:
        raise forms.ValidationError(
            "Please enter a phone number with its area code, using digits only "
            "(spaces, dashes and brackets are fine)."
        )
    return value


class StartForm(forms.Form):
    """A time picked from a list of free times (the button's value: ISO 8601 with offset)."""

    start = forms.CharField(max_length=40)

    def clean_start(self) -> dt.datetime:
        try:  # our buttons always carry the offset; between 1900 and 2200, as UTC
            return inputs.instant_from(self.cleaned_data["start"])
        except inputs.BadInput:
            raise forms.ValidationError("Not a time.") from None


class SlotForm(StartForm):
    """A time picked in the booking flow, with its type and therapist ("any" or an id)."""

    type_id = forms.IntegerField(min_value=1)
    who = forms.CharField(max_length=20)


class DetailsForm(forms.Form):
    """Who is coming: enough to find or file the patient and to reach them."""

    first_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Please enter your first name."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Please enter your last name."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    date_of_birth = inputs.DateField(
        error_messages={
            "required": "Please enter your date of birth.",
            "invalid": "Please enter your date of birth as a date, for example 1984-07-23.",
            "range": "Please check the year of your date of birth.",
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    email = EmailAddressField(
        help_text="We send your confirmation here.",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        max_length=40,
        help_text="So the clinic can reach you if something changes.",
        error_messages={"required": "Please enter a phone number."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise forms.ValidationError("Your date of birth cannot be in the future.")
        if born.year < 1900:
            raise forms.ValidationError("Please check the year of your date of birth.")
        return born

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"], required=True)

    def clean_first_name(self) -> str:
        return str(self.cleaned_data["first_name"]).strip()

    def clean_last_name(self) -> str:
        return str(self.cleaned_data["last_name"]).strip()


class PrescreenForm(forms.Form):
    """One yes/no question per red flag; every one needs an answer, so none is skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.name] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Please answer yes or no."},
            )

    def answers(self) -> dict[str, bool]:
        return {q.name: self.cleaned_data[q.name] == "yes" for q in QUESTIONS}


class QuestionForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        error_messages={"required": "Please tell us your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label="Your email",
        help_text="We answer by email.",
        error_messages={
            "required": "Please enter your email address so we can answer.",
            "invalid": "Please enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Your phone (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label="Your question",
        max_length=2000,
        help_text="Please do not include details you would not want in an email.",
        error_messages={
            "required": "Please write your question.",
            "max_length": "Please keep your question under 2000 characters.",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # The honeypot: hidden from people (and from screen readers), filled in by form robots.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"], required=False)

    def clean_message(self) -> str:
        message = str(self.cleaned_data["message"]).strip()
        if not message:
            raise forms.ValidationError("Please write your question.")
        return message
