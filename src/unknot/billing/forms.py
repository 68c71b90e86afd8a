"""The money forms: a payment taken at the desk or posted by the billing office, an
adjustment. Amounts are dollars and cents; the ledger's rules are checked by the service."""

from decimal import Decimal
from typing import Any

from django import forms

from unknot.billing.models import AdjustmentReason, Charge, Claim, ClaimSettings, PaymentMethod
from unknot.common.formfields import choice_field, model_choice_field
from unknot.common.inputs import DateField
from unknot.common.money import dollars
from unknot.common.us_address import StateField, ZipCodeField
from unknot.coverage.models import Payer

LARGEST = Decimal("99999.99")


def amount_field(label: str = "Amount ($)") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0.01"), max_value=LARGEST, max_digits=7,
        decimal_places=2,
        error_messages={"invalid": "Please give an amount in dollars and cents, like 45.00."},
    )  # fmt: skip


class PaymentForm(forms.Form):
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    amount = amount_field()
    received_on = DateField(label="Received on (MM/DD/YYYY)")
    reference = forms.CharField(label="Check or transaction number", max_length=60, required=False)
    payer = forms.ModelChoiceField(
        queryset=Payer.objects.none(), required=False, label="Insurer (insurance payments only)"
    )

    def __init__(self, *args: Any, payers: Any, insurer_payments: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "payer").queryset = payers
        if not insurer_payments:  # the desk takes the patient's own money
            del self.fields["payer"]
            choice_field(self, "method").choices = [
                choice for choice in PaymentMethod.choices if choice[0] != PaymentMethod.INSURER
            ]


class VisitChargeField(forms.ModelChoiceField[Charge]):
    def label_from_instance(self, obj: Charge) -> str:
        return f"{obj.service_date:%m/%d/%Y}: {dollars(obj.total)}"


class AdjustmentForm(forms.Form):
    charge = VisitChargeField(queryset=Charge.objects.none(), label="Visit")
    amount = forms.DecimalField(
        label="Amount to take off ($); negative puts it back", max_value=LARGEST,
        min_value=-LARGEST, max_digits=7, decimal_places=2,
    )  # fmt: skip
    reason = forms.ChoiceField(
        choices=AdjustmentReason.choices,
        help_text='"Insurer answered: bill the patient" takes off $0.00: the insurer paid nothing '
        "and denied nothing (all to the deductible, say), so the rest is the patient's.",
    )
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, charges: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "charge").queryset = charges


class AsOfForm(forms.Form):
    """The day the ageing is counted to: today unless a month-end (or any day) is chosen."""

    date = DateField(label="As of (MM/DD/YYYY)", required=False)


class ClaimSettingsForm(forms.ModelForm):
    # Typed as people write it, "(518) 555-0100"; stored as its ten digits.
    contact_phone = forms.CharField(label="Billing contact phone", max_length=20)
    state = StateField()
    zip_code = ZipCodeField(label="ZIP+4", plus_four=True)

    class Meta:
        model = ClaimSettings
        fields = [
            "address_line", "city", "state", "zip_code", "taxonomy", "submitter_id",
            "contact_name", "contact_phone", "clearinghouse_name", "clearinghouse_id",
            "production",
        ]  # fmt: skip

    def clean_contact_phone(self) -> str:
        digits = "".join(c for c in self.cleaned_data["contact_phone"] if c.isdigit())
        if len(digits) != 10:
            raise forms.ValidationError("Ten digits, area code first.")
        return digits


class ClaimChoiceForm(forms.Form):
    """The claims to put in one file."""

    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the claims to put in the file."},
    )  # fmt: skip

    def __init__(self, *args: Any, claims: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "claims").queryset = claims
