"""An insurer's authorization, as the staff's booking pages warn of it before writing.

What falls outside (past the count, the dates or the kinds) is coverage's rule, asked through
`booking.hooks`; this module words it for the pages that book on a patient's behalf (the
booking page, the series page, a move, and a plan signed with its visits) and says whether
the desk has confirmed ("Book anyway": the forms' `confirm`). Nothing here writes.
"""

import datetime as dt
from typing import Any

from django import forms

from unknot import scheduling as core
from unknot.booking import adapters, hooks
from unknot.booking.models import AppointmentType
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient

Outside = list[tuple[dt.datetime, str]]  # (a visit's start, why it falls outside)


def confirm_field() -> forms.BooleanField:
    """Sent by the "Book anyway" button (or "Move anyway", ...) shown with the warning: the
    desk has read it and books all the same. Never shown as a field of its own."""
    return forms.BooleanField(required=False, widget=forms.HiddenInput)


def confirmed(form: Any, warnings: list[Any]) -> bool:
    """Whether to write: nothing falls outside an authorization, or the desk has read the
    warning and pressed the button that sends the form's `confirm`. Otherwise the page shows
    the warning first and nothing is written."""
    return not warnings or bool(form.cleaned_data.get("confirm"))


def series_outside(
    clinic: Clinic, patient: Patient, pattern: core.SeriesPattern, kind: AppointmentType
) -> Outside:
    """The visits a series would book that fall outside an authorization, read before
    anything is written (so none of them is counted as already on the books)."""
    starts = core.visit_starts(pattern, adapters.zone(clinic))
    return hooks.series_warnings_for(patient, starts, kind)


def series_lines(clinic: Clinic, outside: Outside) -> list[str]:
    """One line per visit outside, its day in front (unless the words start with it)."""
    lines = []
    for start, words in outside:
        day = times.day_label(start, clinic)
        lines.append(words if words.startswith(day) else f"{day}: {words}")
    return lines


def series_lead(count: int) -> str:
    return (
        f"{count} visit{'s' if count > 1 else ''} of this series "
        f"{'fall' if count > 1 else 'falls'} outside what was authorized."
    )


def series_message(clinic: Clinic, outside: Outside) -> str:
    """Said again once the series is reserved; "" when no visit falls outside."""
    if not outside:
        return ""
    return f"Insurance authorization: {series_lead(len(outside))} " + " ".join(
        series_lines(clinic, outside)
    )
