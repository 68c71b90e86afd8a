"""The biller's review forms: they parse what was typed; the services decide (and check again)."""

from typing import Any

from django import forms

from unknot.billing.models import Charge, ChargeStatus
from unknot.billing.services import MOST_UNITS, REASON_LENGTH, LineEdit
from unknot.common.inputs import DateField, note_field

QUEUE_STATES = [
    (ChargeStatus.TO_REVIEW.value, ChargeStatus.TO_REVIEW.label),
    (ChargeStatus.HELD.value, ChargeStatus.HELD.label),
    (ChargeStatus.APPROVED.value, ChargeStatus.APPROVED.label),
]


class QueueFilterForm(forms.Form):
    """The review queue's filter (GET): which state, and optionally one service date."""

    status = forms.ChoiceField(choices=QUEUE_STATES, required=False, label="Show")
    day = DateField(required=False, label="Date of service",
                    widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def chosen(self) -> tuple[str, Any]:
        if not self.is_valid():
            return ChargeStatus.TO_REVIEW, None
        return self.cleaned_data["status"] or ChargeStatus.TO_REVIEW, self.cleaned_data["day"]


def reason_field(label: str, when_empty: str) -> forms.CharField:
    return note_field(label, limit=REASON_LENGTH, when_empty=when_empty, rows=2,
                      help_text="Kept with the charge and shown to the other billers.")  # fmt: skip


class HoldForm(forms.Form):
    reason = reason_field("Why is it held?", "Please say why the charge is held.")


class LineForm(forms.Form):
    code = forms.CharField(label="CPT code", max_length=5, required=False)
    units = forms.IntegerField(label="Units", min_value=1, max_value=MOST_UNITS, required=False)
    modifiers = forms.CharField(
        label="Modifiers", max_length=20, required=False,
        help_text="Separated by spaces, such as GP KX.",
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A line whose code is emptied is taken off, whatever its units still say.
        if data.get("code") and not data.get("units"):
            self.add_error("units", "Give the units of this code.")
        return data

    def edit(self) -> LineEdit | None:
        data = self.cleaned_data
        if not data.get("code"):
            return None
        words = data.get("modifiers", "").replace(",", " ").upper().split()
        return LineEdit(data["code"].strip().upper(), data["units"], tuple(words))


LineFormSet = forms.formset_factory(LineForm, extra=1, max_num=12, absolute_max=12)


def line_formset(data: Any, charge: Charge) -> Any:
    initial = [
        {"code": line.code, "units": line.units, "modifiers": " ".join(line.modifiers)}
        for line in charge.lines.all()
    ]
    return LineFormSet(data, initial=initial, prefix="line")


class CorrectionForm(forms.Form):
    diagnosis_codes = forms.CharField(
        label="Diagnosis codes (ICD-10-CM)", max_length=200,
        help_text="In pointer order, separated by spaces or commas, such as M54.50.",
    )  # fmt: skip
    reason = reason_field("Why is it corrected?", "Please say why the charge is corrected.")

    def codes(self) -> list[str]:
        text = self.cleaned_data["diagnosis_codes"].replace(",", " ")
        return [code.upper() for code in text.split()]


class FeeForm(forms.Form):
    code = forms.CharField(label="CPT code", max_length=5)
    amount = forms.CharField(label="Fee per unit ($)", max_length=12,
                             help_text="Such as 95.00.")  # fmt: skip
