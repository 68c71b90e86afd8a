from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from unknot.audit.models import Action, AuditEvent, Outcome
from unknot.common import inputs


class ReportFilterForm(forms.Form):
    """The report's filters. Every field is optional; dates are whole days in UTC, between
    1900 and 2200 (the shared reader's bounds: `until` + 1 day never overflows)."""

    since = inputs.DateField(
        label="From (UTC)", required=False, widget=forms.DateInput({"type": "date"})
    )
    until = inputs.DateField(
        label="To (UTC)", required=False, widget=forms.DateInput({"type": "date"})
    )
    user = forms.CharField(
        label="User (account id, or a staff member's username)",
        required=False,
        max_length=150,
        help_text="Patients are found by their account id: their usernames may name them, and "
        "these filters travel in the page's address.",
    )
    patient = forms.IntegerField(label="Patient id", required=False, min_value=1)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any"), *Outcome.choices]
    )

    # Where a page starts: after (or before) the row of this id, in the chosen order. Set by
    # the report's page links, not typed: hidden, and left out when the filters change.
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The 'from' date must be on or before the 'to' date.")
        cleaned["user"] = (cleaned.get("user") or "").strip()
        if cleaned["user"] and not _is_id_or_staff_username(cleaned["user"]):
            self.add_error("user", "Enter an account id, or the username of a member of staff.")
        return cleaned


def _is_id_or_staff_username(text: str) -> bool:
    """Staff usernames are work identities; anything else must be an id, so that no patient's
    name can be asked for in (and logged with) the report's address."""
    if text.isdigit():
        return True
    accounts = get_user_model()._default_manager
    return bool(accounts.filter(username=text, staff_member__isnull=False).exists()) or bool(
        AuditEvent.objects.filter(actor_username=text).exists()
    )
