import datetime as dt
import re
from typing import Any

from django import forms

from unknot.booking import month
from unknot.clinics import times
from unknot.clinics.models import StaffMember
from unknot.common import inputs
from unknot.common.formfields import model_choice_field

MONTH = re.compile(r"(\d{4})-(\d{2})")


class TherapistChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return obj.display_name


class FollowUpForm(forms.Form):
    """What to book, then the month shown, the day chosen in it and a time of that day; on
    confirming, the time and the therapist free at it (`slot_therapist`).

    Each step's value is checked against the type's booking window (today to its horizon,
    the clinic's days), so a typed-in month or day outside it is a message, never a page."""

    appointment_type: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="Type of visit"
    )
    therapist = TherapistChoice(queryset=None, required=False, empty_label="Any therapist")
    month = forms.CharField(required=False, widget=forms.HiddenInput)
    day = inputs.DateField(required=False, widget=forms.HiddenInput)
    start = inputs.DateTimeField(required=False, widget=forms.HiddenInput)
    slot_therapist: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, types: Any, therapists: Any, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.bookable: month.Window | None = None
        model_choice_field(self, "appointment_type").queryset = types
        model_choice_field(self, "therapist").queryset = therapists
        model_choice_field(self, "slot_therapist").queryset = therapists

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data["month"]
        found = MONTH.fullmatch(text) if text else None
        if text and (found is None or not 1 <= int(found.group(2)) <= 12):
            raise forms.ValidationError("Please choose a month from the calendar.")
        return dt.date(int(found.group(1)), int(found.group(2)), 1) if found else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("appointment_type")
        if kind is None:
            return data
        self.bookable = month.window(self.today, kind.horizon_days)
        self._within_window("month", self.bookable.has_month)
        self._within_window("day", self.bookable.has_day)
        return data

    def _within_window(self, field: str, fits: Any) -> None:
        value = self.cleaned_data.get(field)
        if value is not None and not fits(value):
            assert self.bookable is not None
            self.add_error(
                field,
                f"{self.cleaned_data['appointment_type'].name} visits can be booked from "
                f"{times.day_label(self.bookable.first)} to {times.day_label(self.bookable.last)}."
                " Please choose a day in the calendar.",
            )

    @property
    def shown_month(self) -> dt.date:
        """The month to show: the chosen day's, else the one asked for, else this month."""
        assert self.bookable is not None, "shown only for a valid form"
        chosen = self.cleaned_data.get("day")
        if chosen is not None:
            return chosen.replace(day=1)
        return self.cleaned_data.get("month") or self.bookable.first_month
