"""The form of an authorisation: it parses what staff type; `authorisations` checks again and
decides."""

from typing import Any

from django import forms

from unknot.booking.models import AppointmentKind
from unknot.common import inputs
from unknot.coverage.authorisations import NOTE_MAX, REFERENCE_MAX, AuthorisationInput
from unknot.coverage.models import Authorisation, AuthorisationUnit


def _date_field(label: str) -> forms.DateField:
    return inputs.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=label)


class AuthorisationForm(forms.Form):
    reference = forms.CharField(max_length=REFERENCE_MAX, label="Authorization number")
    unit = forms.ChoiceField(
        choices=AuthorisationUnit.choices, widget=forms.RadioSelect, label="Counted in",
        initial=AuthorisationUnit.VISITS,
    )  # fmt: skip
    authorised = forms.IntegerField(min_value=1, max_value=999, label="Number authorized")
    start_date = _date_field("First day covered")
    end_date = _date_field("Last day covered")
    covers = forms.MultipleChoiceField(
        choices=AppointmentKind.choices, widget=forms.CheckboxSelectMultiple, required=False,
        label="Kinds of visit covered", help_text="None ticked: every kind of visit.",
    )  # fmt: skip
    note = forms.CharField(
        max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_of(cls, row: Authorisation) -> dict[str, Any]:
        return {
            "reference": row.reference, "unit": row.unit, "authorised": row.authorised,
            "start_date": row.start_date, "end_date": row.end_date,
            "covers": row.covers if isinstance(row.covers, list) else [], "note": row.note,
        }  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start_date"), data.get("end_date")
        if first and last and last < first:
            self.add_error("end_date", "The last day must not come before the first day.")
        return data

    def as_input(self) -> AuthorisationInput:
        data = self.cleaned_data
        return AuthorisationInput(
            reference=data["reference"], unit=data["unit"], authorised=data["authorised"],
            start_date=data["start_date"], end_date=data["end_date"],
            covers=list(data["covers"]), note=data["note"],
        )  # fmt: skip
