import datetime as dt
from typing import Any

from django import forms

from unknot.accounts.emails import EmailAddressField
from unknot.clinics.models import Clinic
from unknot.common.formfields import model_choice_field
from unknot.patients.models import Patient


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "preferred_clinic",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"email": EmailAddressField}

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


class ContactDetailsForm(forms.ModelForm):
    """What a patient may change about themself in the portal."""

    class Meta:
        model = Patient
        fields = ["email", "phone", "address"]
        field_classes = {"email": EmailAddressField}
