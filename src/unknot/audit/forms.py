from typing import Any

from django import forms

from unknot.audit.models import Action, Outcome


class ReportFilterForm(forms.Form):
    """The report's filters. Every field is optional; dates are whole days in UTC."""

    since = forms.DateField(
        label="From (UTC)", required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label="To (UTC)", required=False, widget=forms.DateInput({"type": "date"})
    )
    user = forms.CharField(label="User (username or id)", required=False, max_length=150)
    patient = forms.IntegerField(label="Patient id", required=False, min_value=1)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any"), *Outcome.choices]
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The 'from' date must be on or before the 'to' date.")
        cleaned["user"] = (cleaned.get("user") or "").strip()
        return cleaned
