import datetime as dt
from typing import Any

from django import forms

from unknot.accounts.emails import EmailAddressField
from unknot.clinics.models import Clinic
from unknot.common.formfields import model_choice_field
from unknot.common.us_address import StateField, ZipCodeField
from unknot.patients.models import ADDRESS_FIELDS, ADDRESS_LINE_LENGTH, OWN_DETAILS, Patient, Sex

# What a claim needs of an address that is given at all (line 2 is the only optional part).
ADDRESS_NEEDS = {
    "address_line1": "Enter the street address too, or leave the whole address empty.",
    "city": "Enter the city too, or leave the whole address empty.",
    "state": "Enter the state too, or leave the whole address empty.",
    "zip_code": "Enter the ZIP code too, or leave the whole address empty.",
}


class PatientDetailsForm(forms.ModelForm):
    """The fields every form that edits a patient shares: administrative sex and the US
    address, whole or not at all (a claim carries it as it is)."""

    address_line1 = forms.CharField(
        label="Address line 1", max_length=ADDRESS_LINE_LENGTH, required=False,
        help_text="Street and number, like 12 Oak Lane.",
    )  # fmt: skip
    address_line2 = forms.CharField(
        label="Address line 2", max_length=ADDRESS_LINE_LENGTH, required=False,
        help_text="Apartment, suite or unit, if any.",
    )  # fmt: skip
    city = forms.CharField(max_length=30, required=False)
    state = StateField(required=False)
    zip_code = ZipCodeField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = False

    def clean_sex(self) -> str:
        """Unanswered is not recorded, never guessed; a post without the field at all keeps
        what is on file (an empty value here lets the model form leave it alone)."""
        chosen = str(self.cleaned_data.get("sex") or "")
        if chosen or self.add_prefix("sex") not in self.data:
            return chosen
        return Sex.UNKNOWN

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ADDRESS_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        given = any(data.get(name) for name in ADDRESS_FIELDS)
        for name, message in ADDRESS_NEEDS.items():
            # A field that failed its own check already says so.
            if given and not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class PatientForm(PatientDetailsForm):
    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            *ADDRESS_FIELDS,
            "preferred_clinic",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"email": EmailAddressField}
        help_texts = {
            "sex": "As the patient's health insurer records it; claims carry it. "
            "Leave it as not recorded unless the patient has told you."
        }

    def __init__(self, *args: Any, clinics: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff may only file a patient under a clinic they work at.
        model_choice_field(self, "preferred_clinic").queryset = (
            clinics if clinics is not None else Clinic.objects.none()
        )

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born > dt.date.today():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < 1900:
            raise forms.ValidationError("Please check the year of birth.")
        return born


class ContactDetailsForm(PatientDetailsForm):
    """What a patient may change about themself in the portal."""

    class Meta:
        model = Patient
        fields = OWN_DETAILS
        field_classes = {"email": EmailAddressField}
        help_texts = {
            "sex": "As your health insurer records it; we put it on insurance claims. "
            "Leave it as not recorded if you prefer."
        }
