"""The choice of what a billing report covers: the period (MM/DD/YYYY), and optionally a
clinic, a therapist and a payer of the reader's own; the totals report also chooses what it
groups by. A clinic, therapist or payer that is not the reader's is refused like an unknown
one, with a message that says which choice to make again."""

from typing import Any

from django import forms

from unknot.accounts.models import AnyUser
from unknot.billing import reports
from unknot.clinics.models import Clinic, StaffMember
from unknot.common import inputs
from unknot.common.formfields import model_choice_field
from unknot.common.inputs import check_period
from unknot.coverage.models import Payer

# The figures are set-based, so a long period stays fast; a report is not an archive though.


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, StaffMember):
            return obj.display_name
        return str(obj.name)


def _choice(empty: str, what: str) -> _Named:
    return _Named(
        queryset=Clinic.objects.none(), required=False, empty_label=empty,
        error_messages={"invalid_choice": f"Please choose a {what} from the list.",
                        "invalid_pk_value": f"Please choose a {what} from the list."},
    )  # fmt: skip


class ReportForm(forms.Form):
    first = inputs.DateField(label="From (MM/DD/YYYY)")
    last = inputs.DateField(label="To (MM/DD/YYYY)")
    clinic = _choice("All your clinics", "clinic")
    therapist = _choice("Every therapist", "therapist")
    payer = _choice("Every payer and self-pay", "payer")

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "clinic").queryset = reports.clinics_for(user)
        model_choice_field(self, "therapist").queryset = reports.therapists_for(user)
        model_choice_field(self, "payer").queryset = reports.payers_for(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(data.get("first"), data.get("last"))
        return data


class TotalsForm(ReportForm):
    group_by = forms.ChoiceField(
        label="Group by", choices=reports.Dimension.choices, required=False,
        error_messages={"invalid_choice": "Please choose what to group by from the list."},
    )  # fmt: skip

    def clean_group_by(self) -> reports.Dimension:
        return reports.Dimension(self.cleaned_data.get("group_by") or reports.Dimension.MONTH)


class KxForm(ReportForm):
    every = forms.BooleanField(
        label="Every Medicare patient, not only those near or past the threshold", required=False
    )


def _the(form: forms.Form, name: str) -> Any:
    return form.cleaned_data.get(name)


def scope_of(form: ReportForm, clinics: list[Clinic]) -> reports.Scope:
    """The scope a valid form chose; every clinic of the reader's when none was chosen."""
    chosen: Clinic | None = _the(form, "clinic")
    therapist: StaffMember | None = _the(form, "therapist")
    payer: Payer | None = _the(form, "payer")
    return reports.Scope(
        _the(form, "first"), _the(form, "last"), [chosen] if chosen else clinics, therapist, payer
    )
