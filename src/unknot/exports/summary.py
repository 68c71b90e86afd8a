"""What the PDF summary of a person's record shows, ready for the template.

Times are shown in each clinic's own zone, named, as everywhere else in unknot (the
template converts them with the `clinic_time` filter of site/templatetags/times.py).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from unknot.exports.bundle import evaluation_parts, visit_parts
from unknot.exports.record import PatientRecord


@dataclass(frozen=True)
class Note:
    """An evaluation or a visit note: its parts as (heading, text)."""

    when: dt.date
    title: str
    therapist: str
    lines: list[tuple[str, str]]


def _appointments(record: PatientRecord) -> list[dict[str, Any]]:
    return [
        {
            "start": a.start,
            "zone": a.clinic.time_zone,
            "kind": a.appointment_type.name,
            "therapist": a.therapist.display_name,
            "clinic": a.clinic.name,
            "status": a.get_status_display(),
        }
        for a in record.appointments
    ]


def _notes(record: PatientRecord) -> list[Note]:
    notes = [
        Note(e.performed_on, "Evaluation", e.therapist.display_name, evaluation_parts(e))
        for e in record.evaluations
    ]
    notes += [
        Note(v.performed_on, f"Visit {v.number}", v.therapist.display_name, visit_parts(v))
        for v in record.visits
    ]
    return sorted(notes, key=lambda note: note.when)


def context(record: PatientRecord, now: dt.datetime) -> dict[str, Any]:
    sessions = Counter(log.get_status_display() for log in record.logs)
    return {
        "patient": record.patient,
        "clinic": record.patient.preferred_clinic,
        "prepared": now,
        "appointments": _appointments(record),
        "zones": sorted({a.clinic.time_zone for a in record.appointments}),
        "scores": record.scores,
        "plans": [
            (
                plan,
                list(plan.goals.all()),
                items,
                [e for e in plan.elements if not e.get("removed")],
            )
            for plan, items in record.programmes
        ],
        "sessions": sorted(sessions.items()),
        "logs": record.logs,
        "notes": _notes(record),
    }
