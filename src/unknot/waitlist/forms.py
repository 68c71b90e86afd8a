"""The waitlist's forms: what the person can come for and when. They parse and check input;
`services.entry_join` decides (and checks again)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from unknot.accounts.access import SignedInRequest
from unknot.booking.forms_staff import FindsPatient, TherapistField, date_field, time_field
from unknot.booking.selectors import bookable_therapists
from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.common.errors import attempt
from unknot.common.formfields import model_choice_field
from unknot.patients.models import Patient
from unknot.waitlist import services
from unknot.waitlist.models import TimeOfDay, WaitlistEntry
from unknot.waitlist.services import Wishes

DEFAULT_WEEKS = 4  # the last day offered by default: four weeks from today


class WaitlistForm(forms.Form):
    appointment_type: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="Type of visit"
    )
    therapist = TherapistField(
        queryset=StaffMember.objects.none(), required=False, empty_label="Any therapist"
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple,
        label="Days of the week you can come",
    )  # fmt: skip
    time_of_day = forms.ChoiceField(
        choices=TimeOfDay.choices, widget=forms.RadioSelect, initial=TimeOfDay.ANY,
        label="Time of day",
    )  # fmt: skip
    earliest = time_field(required=False, label="From (clinic time)")
    latest = time_field(required=False, label="Until (clinic time)")
    first_day = date_field(label="From")
    last_day = date_field(label="Until")

    def __init__(self, *args: Any, clinic: Clinic, types: Any, today: dt.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.clinic, self.today = clinic, today
        model_choice_field(self, "appointment_type").queryset = types
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)
        self.fields["weekdays"].initial = [day.value for day in Weekday][:5]
        self.fields["first_day"].initial = today
        self.fields["last_day"].initial = today + dt.timedelta(weeks=DEFAULT_WEEKS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("time_of_day") == TimeOfDay.BETWEEN:
            earliest, latest = data.get("earliest"), data.get("latest")
            if not (earliest and latest and earliest < latest):
                self.add_error("latest", "Give both times, the earlier one first.")
        first, last = data.get("first_day"), data.get("last_day")
        if last and last < self.today:
            self.add_error("last_day", "Please choose today or a later day.")
        elif first and last and first > last:
            self.add_error("last_day", "The last day must not come before the first day.")
        return data

    def wishes(self) -> Wishes:
        data = self.cleaned_data
        return Wishes(
            weekdays=sum(1 << day for day in set(data["weekdays"])),
            time_of_day=data["time_of_day"], first_day=data["first_day"],
            last_day=data["last_day"], earliest=data.get("earliest"), latest=data.get("latest"),
        )  # fmt: skip

    def join(
        self, request: SignedInRequest, patient: Patient, clinic: Clinic
    ) -> WaitlistEntry | None:
        """Puts the patient on the waitlist with the form's wishes; None (and the reason on
        the form) when the service refuses."""
        data = self.cleaned_data

        def join() -> WaitlistEntry:
            return services.entry_join(
                by=request.user, patient=patient, clinic=clinic,
                appointment_type=data["appointment_type"], therapist=data.get("therapist"),
                wishes=self.wishes(), now=timezone.now(),
            )  # fmt: skip

        return attempt(request, join, form=self)


class StaffWaitlistForm(FindsPatient, WaitlistForm):
    """The same, for a patient of the clinic whom staff find and choose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["find", "patient"])
