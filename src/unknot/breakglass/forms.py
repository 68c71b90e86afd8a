"""The opening form: exact identifiers of one patient, and why."""

from typing import Any

from django import forms

from unknot.breakglass.models import Category
from unknot.breakglass.services import MIN_REASON_WORDS
from unknot.clinics.models import Clinic
from unknot.common import inputs

REASON_MAX = 1000


class OpenForm(forms.Form):
    first_name = forms.CharField(label="Patient's first name", max_length=100)
    last_name = forms.CharField(label="Patient's last name", max_length=100)
    date_of_birth = inputs.DateField(
        label="Date of birth",
        help_text="As YYYY-MM-DD.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    clinic = forms.ModelChoiceField(
        label="Their clinic (if you know it)",
        queryset=Clinic.objects.order_by("name"),
        required=False,
        help_text="Needed only when more than one record has this name and date of birth.",
    )
    category = forms.ChoiceField(label="Why you need this record", choices=Category.choices)
    reason = forms.CharField(
        label="In your own words",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with this opening for your clinic managers to read; "
        "not sent by email and not written into the audit trail.",
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if len(reason.split()) < MIN_REASON_WORDS:
            raise forms.ValidationError(
                f"Please say why in at least {MIN_REASON_WORDS} words, "
                "for example: 'seen in our clinic with new leg weakness'."
            )
        return reason

    def identifiers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("first_name", "last_name", "date_of_birth", "clinic")}
