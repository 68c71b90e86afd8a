"""What the PDF summary of a person's record shows, ready for the template.

A summary, not the whole file: a record of years holds hundreds of appointments and notes and
thousands of home sessions, which no one reads on paper and which made the PDF take seconds
to read and lay out. The latest of each kind are listed (RECENT_*); everything is counted by
the database, and a chart shows the visits and home sessions of every year. So the summary
costs the same statements and about the same time however long the record is; the FHIR file
(record.py) carries the whole record.

Every row is read through the access selectors of the one who asks, as in record.py, with the
same rule on work in progress: drafts of plans, evaluations and visit notes are left out.

Times are shown in each clinic's own zone, named, as everywhere else in unknot (the
template converts them with the `clinic_time` filter of site/templatetags/times.py).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils.html import format_html, format_html_join

from unknot.accounts.models import AnyUser
from unknot.booking.models import Appointment, Status
from unknot.booking.selectors import appointments_visible_to
from unknot.documents.pdf import svg_data_uri
from unknot.exports.bundle import evaluation_parts, visit_parts
from unknot.fhir.clinical import SHOWN
from unknot.patients.models import Patient
from unknot.plans.home.selectors import programmes
from unknot.plans.models import ExerciseLog, LogStatus, PlanGoal, PlanOfCare
from unknot.records.models import Evaluation, Instrument, OutcomeScore, Visit
from unknot.records.selectors import episodes_visible_to

RECENT_APPOINTMENTS = 20
RECENT_SCORES = 20
RECENT_LOGS = 14
RECENT_NOTES = 5  # in full: the longest part of a record, and of its layout
RECENT_PLANS = 2  # the plan in force and the one before it


@dataclass(frozen=True)
class Note:
    """An evaluation or a visit note: its parts as (heading, text)."""

    when: dt.date
    title: str
    therapist: str
    lines: list[tuple[str, str]]


@dataclass(frozen=True)
class Measured:
    """One measure over the whole record: how often, the first and the latest value."""

    label: str
    count: int
    first: float
    first_on: dt.date
    latest: float
    latest_on: dt.date


def latest(rows: QuerySet[Any], how_many: int, *order: str) -> list[Any]:
    """The last `how_many` rows in `order`, oldest first as the lists read: one query."""
    newest_first = [f"-{name}" for name in order]
    return list(reversed(rows.order_by(*newest_first)[:how_many]))


def counted(rows: QuerySet[Any], field: str, labels: dict[str, str]) -> list[tuple[str, int]]:
    """(label, how many) per value of `field`, counted by the database."""
    found = rows.order_by().values_list(field).annotate(n=Count("pk"))
    return sorted((labels.get(value, value), n) for value, n in found)


def per_year(rows: QuerySet[Any], field: str) -> dict[int, int]:
    years = rows.order_by().annotate(year=ExtractYear(field)).values_list("year")
    return dict(years.annotate(n=Count("pk")))


def measures(scores: QuerySet[OutcomeScore]) -> list[Measured]:
    """Each measure's count, first and latest score: one query, whatever the history."""

    def one(order: tuple[str, ...], field: str) -> Subquery:
        same = scores.filter(instrument=OuterRef("instrument")).order_by(*order)
        return Subquery(same.values(field)[:1])

    first, last = ("measured_on", "pk"), ("-measured_on", "-pk")
    rows = (
        scores.order_by()
        .values("instrument")
        .annotate(
            n=Count("pk"),
            first=one(first, "value"),
            first_on=one(first, "measured_on"),
            latest=one(last, "value"),
            latest_on=one(last, "measured_on"),
        )
        .order_by("instrument")
    )
    labels = dict(Instrument.choices)
    return [
        Measured(labels.get(r["instrument"], r["instrument"]), r["n"], r["first"],
                 r["first_on"], r["latest"], r["latest_on"])
        for r in rows
    ]  # fmt: skip


def _notes(episodes: QuerySet[Any]) -> tuple[list[Note], int]:
    """The latest signed notes in full (their text is the longest part of a record), and
    how many there are in all."""
    evaluations = Evaluation.objects.filter(episode__in=episodes, is_final=True)
    visits = Visit.objects.filter(episode__in=episodes, signed_at__isnull=False)
    shown_evaluations = latest(
        evaluations.select_related("therapist__user"), RECENT_NOTES, "performed_on", "pk"
    )
    shown_visits = latest(
        visits.select_related("therapist__user").prefetch_related("interventions"),
        RECENT_NOTES, "performed_on", "number", "pk",
    )  # fmt: skip
    notes = [
        (e.performed_on, 0, Note(e.performed_on, "Evaluation", e.therapist.display_name,
                                 evaluation_parts(e)))
        for e in shown_evaluations
    ] + [
        (v.performed_on, 1, Note(v.performed_on, f"Visit {v.number}", v.therapist.display_name,
                                 visit_parts(v)))
        for v in shown_visits
    ]  # fmt: skip
    notes.sort(key=lambda row: (row[0], row[1]))
    return [note for _, _, note in notes[-RECENT_NOTES:]], evaluations.count() + visits.count()


def _plans(episodes: QuerySet[Any]) -> tuple[list[tuple[Any, ...]], int]:
    signed = PlanOfCare.objects.filter(episode__in=episodes, status__in=SHOWN)
    shown = latest(
        signed.select_related("episode__clinic", "signed_by__user").prefetch_related(
            Prefetch("goals", queryset=PlanGoal.objects.order_by("pk"))
        ),
        RECENT_PLANS,
        "episode_id",
        "version",
    )
    rows = [
        (plan, list(plan.goals.all()), items, [e for e in plan.elements if not e.get("removed")])
        for plan, items in programmes(shown)
    ]
    return rows, signed.count()


def yearly(visits: dict[int, int], sessions: dict[int, int]) -> list[tuple[int, int, int]]:
    """(year, visits attended, home sessions done) for every year of the record."""
    years = sorted(set(visits) | set(sessions))
    return [(year, visits.get(year, 0), sessions.get(year, 0)) for year in years]


W, H, LEFT, BOTTOM, TOP = 480, 150, 30, 22, 14
VISITS, SESSIONS, AXIS = "#0b5563", "#8fc1c9", "#4a5560"


def activity_chart(rows: Sequence[tuple[int, int, int]]) -> str:
    """Bars per year, visits beside home sessions: an SVG for the PDF (a data: URI)."""
    top = max([1, *(max(v, s) for _, v, s in rows)])
    slot = (W - LEFT) / max(len(rows), 1)
    bar = min(slot / 2.5, 24)

    def height(value: int) -> float:
        return value / top * (H - BOTTOM - TOP)

    def bars(year: int, visits: int, sessions: int, at: int) -> tuple[Any, ...]:
        x = LEFT + at * slot + slot / 2 - bar
        return (
            f"{x:.1f}", f"{H - BOTTOM - height(visits):.1f}", f"{bar:.1f}",
            f"{height(visits):.1f}", VISITS, year, visits,
            f"{x + bar:.1f}", f"{H - BOTTOM - height(sessions):.1f}", f"{bar:.1f}",
            f"{height(sessions):.1f}", SESSIONS, year, sessions,
            f"{x + bar:.1f}", H - 6, AXIS, year,
        )  # fmt: skip

    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} visits</title></rect>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} sessions</title>'
        '</rect><text x="{}" y="{}" font-size="10" fill="{}" text-anchor="middle">{}</text>',
        (bars(*row, at) for at, row in enumerate(rows)),
    )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}">'
        '<text x="0" y="{}" font-size="10" fill="{}">{}</text>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>{}</svg>',
        W, H, W, H, TOP - 4, AXIS, top, LEFT, H - BOTTOM, W, H - BOTTOM, AXIS, body,
    )  # fmt: skip
    return svg_data_uri(str(svg))


def _appointment_row(a: Appointment) -> dict[str, Any]:
    return {
        "start": a.start,
        "zone": a.clinic.time_zone,
        "kind": a.appointment_type.name,
        "therapist": a.therapist.display_name,
        "clinic": a.clinic.name,
        "status": a.get_status_display(),
    }


def context(user: AnyUser, patient: Patient, now: dt.datetime) -> dict[str, Any]:
    """The summary of what `user` may see of `patient`: a fixed number of queries."""
    episodes = episodes_visible_to(user).filter(patient=patient).order_by().values("pk")
    appointments = appointments_visible_to(user).filter(patient=patient)
    shown = latest(appointments, RECENT_APPOINTMENTS, "start", "pk")
    scores = OutcomeScore.objects.filter(episode__in=episodes)
    logs = ExerciseLog.objects.filter(episode__in=episodes)
    appointment_counts = counted(appointments, "status", dict(Status.choices))
    log_counts = counted(logs, "status", dict(LogStatus.choices))
    notes, notes_total = _notes(episodes)
    plans, plans_total = _plans(episodes)
    years = yearly(
        per_year(appointments.filter(status=Status.COMPLETED), "start"),
        per_year(logs.exclude(status=LogStatus.SKIPPED), "performed_on"),
    )
    shown_scores = latest(scores, RECENT_SCORES, "measured_on", "pk")
    measured = measures(scores)
    shown_logs = latest(logs, RECENT_LOGS, "performed_on", "pk")
    return {
        "patient": patient,
        "clinic": patient.preferred_clinic,
        "prepared": now,
        "appointments": [_appointment_row(a) for a in shown],
        "appointment_counts": appointment_counts,
        "appointments_total": sum(n for _, n in appointment_counts),
        "earlier_appointments": sum(n for _, n in appointment_counts) - len(shown),
        "zones": sorted({a.clinic.time_zone for a in shown}),
        "measures": measured,
        "scores": shown_scores,
        "earlier_scores": sum(m.count for m in measured) - len(shown_scores),
        "plans": plans,
        "earlier_plans": plans_total - len(plans),
        "sessions": log_counts,
        "logs": shown_logs,
        "earlier_logs": sum(n for _, n in log_counts) - len(shown_logs),
        "notes": notes,
        "earlier_notes": notes_total - len(notes),
        "years": years,
        "activity_chart": activity_chart(years) if len(years) > 1 else None,
    }
