"""Forms of the staff calendars. They parse and check input; the services do the booking.

Dates and times are typed in the clinic's wall clock and turned into UTC here, once, so a
form never books a time that does not exist (the hour skipped when clocks go forward).
"""

import datetime as dt
import zoneinfo
from typing import Any

from django import forms

from unknot import scheduling as core
from unknot.booking.attendance import STAFF_CANCELLERS
from unknot.booking.authorisation_warnings import confirm_field
from unknot.booking.models import (
    CALL_NOTE_MAX,
    FOLLOW_UP_NOTE_MAX,
    AppointmentType,
    CallOutcome,
    QuestionStatus,
    Status,
)
from unknot.booking.selectors import bookable_therapists
from unknot.booking.services import MARKABLE
from unknot.clinics import times
from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.common import inputs
from unknot.common.formfields import model_choice_field
from unknot.patients.models import Patient

MAX_SERIES_WEEKS = 52
MAX_SERIES_VISITS = 60


class TherapistField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return obj.display_name


class PatientField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Patient) -> str:
        return f"{obj.full_name} (born {times.day_label(obj.date_of_birth)})"


def date_field(**kwargs: Any) -> forms.DateField:
    """A date typed by staff: between 1900 and 2200 (the shared reader's bounds)."""
    return inputs.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def time_field(**kwargs: Any) -> forms.TimeField:
    return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **kwargs)


def local_to_utc(clinic: Clinic, day: dt.date, wall: dt.time) -> dt.datetime:
    """A wall-clock time at the clinic as a UTC instant; refuses the skipped hour."""
    naive = dt.datetime.combine(day, wall)
    tz = zoneinfo.ZoneInfo(clinic.time_zone)
    if not core.exists(naive, tz):
        raise forms.ValidationError(
            f"{times.wall_clock_label(wall)} does not exist on {times.day_label(day)} "
            f"in {clinic.time_zone}: "
            "the clocks go forward that night. Choose another time."
        )
    return core.to_utc(naive, tz)


def _types(clinic: Clinic) -> Any:
    return AppointmentType.objects.filter(clinic=clinic, is_active=True)


class CalendarFilterForm(forms.Form):
    """The optional filters of a calendar page, read from the query string."""

    therapist = TherapistField(queryset=StaffMember.objects.none(), required=False)
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.none(),
        required=False,
        label="Show free times for",
        empty_label="(no free times)",
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)
        model_choice_field(self, "therapist").empty_label = "All therapists"
        model_choice_field(self, "appointment_type").queryset = _types(clinic)


FIND_MAX = 100
SHOWN_MATCHES = 20


class FindsPatient(forms.Form):
    """A form for one patient that the desk first finds (`find`, sent with the "Find" button),
    then picks among the matches shown as choices: never a list of every patient (a chain's
    clinics have tens of thousands, and the page would send them all)."""

    find = forms.CharField(
        label="Find the patient",
        required=False,
        max_length=FIND_MAX,
        help_text="A name, a birth date (MM/DD/YYYY) or a phone number.",
    )
    patient = PatientField(
        queryset=Patient.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Find the patient, then choose them."},
    )

    def __init__(self, *args: Any, patients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "patient").queryset = patients.order_by("last_name", "first_name")

    def show_patients(self, shown: Any) -> None:
        """After validation: the patient choices shown are the matches (and the one chosen),
        never the whole list of the clinic's patients."""
        model_choice_field(self, "patient").queryset = shown


class BookForm(FindsPatient):
    """Booking on someone's behalf at one clinic."""

    appointment_type = forms.ModelChoiceField(queryset=AppointmentType.objects.none())
    therapist = TherapistField(queryset=StaffMember.objects.none())
    date = date_field()
    time = time_field(help_text="The clinic's local time.")
    confirm = confirm_field()

    def __init__(self, *args: Any, clinic: Clinic, patients: Any, **kwargs: Any) -> None:
        super().__init__(*args, patients=patients, **kwargs)
        self.clinic = clinic
        model_choice_field(self, "appointment_type").queryset = _types(clinic)
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time"):
            data["start"] = local_to_utc(self.clinic, data["date"], data["time"])
        return data


class MoveForm(forms.Form):
    date = date_field()
    time = time_field(help_text="The clinic's local time.")
    therapist = TherapistField(queryset=StaffMember.objects.none())
    confirm = confirm_field()

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time"):
            data["start"] = local_to_utc(self.clinic, data["date"], data["time"])
        return data


class CancelForm(forms.Form):
    # Asked every time, with no answer chosen beforehand: only the patient's own late
    # cancellations count against them (`booking.attendance`).
    cancelled_by = forms.ChoiceField(
        label="Who is cancelling?",
        choices=[(c.value, c.label) for c in STAFF_CANCELLERS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please say who is cancelling: the patient or the clinic.",
            "invalid_choice": "Please choose the patient or the clinic.",
        },
    )
    reason = forms.CharField(max_length=200, required=False, label="Reason (optional)")


class FollowUpForm(forms.Form):
    """The front desk spoke to a patient about their attendance."""

    note = inputs.note_field(
        "Note",
        limit=FOLLOW_UP_NOTE_MAX,
        when_empty="Please write a short note of what was said.",
        help_text='For example: "Called, discussed the policy."',
        rows=3,
    )


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Status.choices if value in MARKABLE]
    )


class SeriesForm(FindsPatient):
    """A plan-of-care block: e.g. Monday and Thursday at 09:00 for six weeks."""

    appointment_type = forms.ModelChoiceField(queryset=AppointmentType.objects.none())
    therapist = TherapistField(queryset=StaffMember.objects.none())
    first_day = date_field(label="From")
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="On"
    )
    local_time = time_field(label="At", help_text="The clinic's local time.")
    weeks = forms.IntegerField(required=False, min_value=1, max_value=MAX_SERIES_WEEKS)
    visits = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SERIES_VISITS,
        label="or number of visits",
        help_text="Give weeks, visits or both; the series ends at whichever comes first.",
    )
    description = forms.CharField(max_length=200, required=False)
    confirm = confirm_field()

    def __init__(self, *args: Any, clinic: Clinic, patients: Any, **kwargs: Any) -> None:
        super().__init__(*args, patients=patients, **kwargs)
        model_choice_field(self, "appointment_type").queryset = _types(clinic)
        model_choice_field(self, "therapist").queryset = bookable_therapists(clinic)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("weeks") is None and data.get("visits") is None:
            raise forms.ValidationError("Give a number of weeks or a number of visits.")
        data["pattern"] = core.SeriesPattern(
            first_day=data["first_day"],
            weekdays=tuple(sorted(data["weekdays"])),
            local_time=data["local_time"],
            weeks=data.get("weeks"),
            visits=data.get("visits"),
        )
        return data


class QuestionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=QuestionStatus.choices)


class FeedForm(forms.Form):
    therapist = TherapistField(queryset=StaffMember.objects.none(), empty_label=None)
    show_patient_initials = forms.BooleanField(
        label="Show patients' initials",
        required=False,
        help_text='Off: each visit reads like "Booked visit (Initial evaluation)". '
        "On: the patient's initials are added. Whole names are never shown.",
    )

    def __init__(self, *args: Any, therapists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "therapist").queryset = therapists


class SafetyCallForm(forms.Form):
    """What came of a call before the visit; both parts are needed to close the task."""

    outcome = forms.ChoiceField(
        label="What came of the call",
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose what came of the call.",
            "invalid_choice": "Please choose one of the outcomes shown.",
        },
    )
    note = inputs.note_field(
        "Note of the call",
        limit=CALL_NOTE_MAX,
        when_empty="Please write a note of the call.",
        help_text="What you asked, what the person told you, and what you agreed.",
        rows=5,
    )
