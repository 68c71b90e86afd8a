"""Forms of the home programme. They parse and explain; services decide and save."""

import datetime as dt
from typing import Any

from django import forms

from unknot.common import inputs
from unknot.plans.models import LogStatus

OLDEST_LOG_DAYS = 14  # memory of a session fades; older logs would distort the weekly picture
PAIN_HELP = "0 means no pain, 10 the worst pain you can imagine."


class PainField(forms.IntegerField):
    def __init__(self, label: str) -> None:
        super().__init__(
            label=label,
            required=False,
            min_value=0,
            max_value=10,
            help_text=PAIN_HELP,
            error_messages={
                "invalid": "Enter your pain as a whole number from 0 to 10.",
                "min_value": "Pain can't be less than 0: use a number from 0 to 10.",
                "max_value": "Pain can't be more than 10: use a number from 0 to 10.",
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
        )


class ExerciseLogForm(forms.Form):
    performed_on = inputs.DateField(
        label="Day of the session",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the day you did the session.",
            "invalid": "Enter the day as a date, for example 2026-03-14.",
        },
    )
    status = forms.ChoiceField(
        label="How did it go?",
        choices=LogStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose done, partly done or skipped.",
            "invalid_choice": "Choose done, partly done or skipped.",
        },
    )
    pain_before = PainField("Pain before the session (0-10)")
    pain_after = PainField("Pain after the session (0-10)")
    note = forms.CharField(
        label="Anything to tell your therapist? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["performed_on"].initial = today
        self.fields["performed_on"].widget.attrs["max"] = today.isoformat()

    def clean_performed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["performed_on"]
        if day > self.today:
            raise forms.ValidationError("That day is in the future: log a session once it's done.")
        if (self.today - day).days > OLDEST_LOG_DAYS:
            raise forms.ValidationError(
                f"You can log sessions from the last {OLDEST_LOG_DAYS} days only."
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") in (LogStatus.DONE, LogStatus.PARTLY):
            # The pain change per week is only meaningful when both numbers are there.
            for name in ("pain_before", "pain_after"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "Enter your pain from 0 to 10 for a session you did.")
        return data


class AdherenceCommentForm(forms.Form):
    week_start = inputs.DateField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Comment for the person",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write a comment before saving it."},
    )

    def clean_week_start(self) -> dt.date:
        day: dt.date = self.cleaned_data["week_start"]
        if day.weekday() != 0:
            raise forms.ValidationError("A week starts on a Monday.")
        return day


class VisitIdsField(forms.Field):
    """Ids of listed visits, sent back by the discharge page; the service checks them."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Choose the visits to keep from the list."}

    def to_python(self, value: Any) -> list[int]:
        items = [value] if isinstance(value, str) else value or []
        try:
            return [int(item) for item in items]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DischargeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm this course of care has ended and the person is discharged.",
        error_messages={"required": "Tick the box to confirm the discharge."},
    )
    keep = VisitIdsField(required=False)  # the visits ticked "Keep this visit"
    shown = VisitIdsField(required=False)  # every visit the page listed
