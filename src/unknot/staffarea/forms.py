"""The practice dashboard's choice of period and clinic."""

from typing import Any

from django import forms

from unknot.clinics.models import Clinic
from unknot.common import inputs
from unknot.common.formfields import model_choice_field
from unknot.common.inputs import check_period

# Years of data stay fast (the figures are set-based), but a period is a report, not an
# archive: five years at most.


class ClinicChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Clinic) -> str:
        return obj.name


class PeriodForm(forms.Form):
    first = inputs.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = inputs.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    clinic = ClinicChoice(
        queryset=Clinic.objects.none(), required=False, empty_label="All your clinics"
    )

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "clinic").queryset = clinics

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(data.get("first"), data.get("last"))
        return data
