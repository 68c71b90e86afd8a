import datetime as dt
from typing import Any

from django import forms

from unknot.config import inputs


class FollowUpSearchForm(forms.Form):
    """Choose what to book and from which day; a chosen slot adds `start` and its therapist."""

    appointment_type = forms.ModelChoiceField(queryset=None, label="Type of visit")
    therapist = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any therapist")
    day = inputs.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    start = inputs.DateTimeField(required=False, widget=forms.HiddenInput)
    slot_therapist = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, types: Any, therapists: Any, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["appointment_type"].queryset = types
        self.fields["therapist"].queryset = therapists
        self.fields["slot_therapist"].queryset = therapists
        self.fields["therapist"].label_from_instance = lambda member: member.display_name
        self.fields["day"].initial = today

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < self.today:
            raise forms.ValidationError("Please choose today or a later day.")
        return day
