import datetime as dt
from typing import Any

from django import forms

from unknot.clinics.models import StaffMember
from unknot.common import inputs
from unknot.common.formfields import model_choice_field


class TherapistChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return obj.display_name


class FollowUpSearchForm(forms.Form):
    """Choose what to book and from which day; a chosen slot adds `start` and its therapist."""

    appointment_type: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="Type of visit"
    )
    therapist = TherapistChoice(queryset=None, required=False, empty_label="Any therapist")
    day = inputs.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    start = inputs.DateTimeField(required=False, widget=forms.HiddenInput)
    slot_therapist: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, types: Any, therapists: Any, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        model_choice_field(self, "appointment_type").queryset = types
        model_choice_field(self, "therapist").queryset = therapists
        model_choice_field(self, "slot_therapist").queryset = therapists
        self.fields["day"].initial = today

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < self.today:
            raise forms.ValidationError("Please choose today or a later day.")
        return day
