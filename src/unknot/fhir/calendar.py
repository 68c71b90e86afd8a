"""Schedule (a therapist at a clinic), Slot (free times, computed) and Appointment (reads).

Slots are not stored: they are the booking side's availability, computed for the window
asked for, exactly as the website computes them. A Slot's id says everything needed to book
it: therapist, clinic, appointment type and start (UTC), e.g. `7-2-5-203103051400`.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.booking import adapters, selectors
from unknot.booking.models import Appointment, AppointmentType, OnlineBooking, Status
from unknot.clinics.models import Clinic, StaffMember
from unknot.common.inputs import in_range
from unknot.fhir import search as s
from unknot.fhir.directory import pair_or_404, type_coding
from unknot.fhir.http import invalid
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.refs import APPOINTMENT_TYPE_SYSTEM, Context, Resource, concept, instant, ref
from unknot.fhir.refs import whole_number as number

DEFAULT_DAYS = 7
MAX_DAYS = 31  # one search covers at most a month: bounded work per request
SLOT_TIME = "%Y%m%d%H%M"

# --- Schedule --------------------------------------------------------------------------------


def _schedules() -> QuerySet[Any]:
    active_types = AppointmentType.objects.filter(is_active=True).order_by("pk")
    return (
        StaffMember.clinics.through.objects.filter(
            staffmember__role=Role.THERAPIST, staffmember__user__is_active=True
        )
        .select_related("staffmember__user", "clinic")
        .prefetch_related(
            Prefetch("clinic__appointment_types", queryset=active_types, to_attr="active_types")
        )
        .order_by("staffmember_id", "clinic_id")
    )


def schedule_resource(row: Any) -> Resource:
    member, clinic = row.staffmember, row.clinic
    return {
        "resourceType": "Schedule",
        "id": f"{member.pk}-{clinic.pk}",
        "active": True,
        "serviceType": [concept(k.name, type_coding(k)) for k in clinic.active_types],
        "actor": [
            ref("Practitioner", member.pk, member.display_name),
            ref("Location", clinic.pk, clinic.name),
        ],
        "comment": f"Bookable times of {member.display_name} at {clinic.name}.",
    }


def read_schedule(ctx: Context, resource_id: str) -> Resource:
    member_id, clinic_id = pair_or_404(resource_id, "schedule")
    row = _schedules().filter(staffmember_id=member_id, clinic_id=clinic_id).first()
    if row is None:
        raise Http404("No such schedule.")
    return schedule_resource(row)


def search_schedules(ctx: Context, query: s.Query) -> s.Page:
    rows = _schedules()
    for value in s.tokens(query, "actor"):
        kind, _, raw = value.rpartition("/")
        found = number(raw)
        if kind.split("/")[-1] not in ("Practitioner", "Location") or found is None:
            raise invalid("actor must be Practitioner/<id> or Location/<id>.")
        field = "staffmember_id" if kind.endswith("Practitioner") else "clinic_id"
        rows = rows.filter(**{field: found})
    return s.page_of(rows, query, schedule_resource)


SCHEDULE = ResourceType(
    "Schedule",
    "A therapist's bookable time at one clinic (id: practitioner-location).",
    (SearchParam("actor", "reference", "Practitioner/<id> or Location/<id>."),),
    read=read_schedule,
    search=search_schedules,
)


# --- Slot ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotKey:
    therapist_id: int
    clinic_id: int
    type_id: int
    start: dt.datetime

    @property
    def id(self) -> str:
        return f"{self.therapist_id}-{self.clinic_id}-{self.type_id}-{self.start:{SLOT_TIME}}"

    @classmethod
    def parse(cls, text: str) -> "SlotKey | None":
        parts = text.split("-")
        if len(parts) != 4 or len(parts[3]) != 12:
            return None
        therapist_id, clinic_id, type_id = (number(p) for p in parts[:3])
        if therapist_id is None or clinic_id is None or type_id is None:
            return None
        try:
            start = dt.datetime.strptime(parts[3], SLOT_TIME).replace(tzinfo=dt.UTC)
        except ValueError:
            return None
        if not in_range(start.year):  # year 9999 is nobody's slot (and overflows in arithmetic)
            return None
        return cls(therapist_id, clinic_id, type_id, start)


@dataclass(frozen=True)
class Calendar:
    """What a Slot needs: the clinic, the therapist and the types the caller may see."""

    clinic: Clinic
    therapist: StaffMember
    types: list[AppointmentType]


def bookable_types(user: AnyUser, clinic: Clinic) -> QuerySet[AppointmentType]:
    """Staff see every active type; others the types that are booked online at all."""
    rows = clinic.appointment_types.filter(is_active=True)
    if staff_role(user) is None:
        rows = rows.exclude(online_booking=OnlineBooking.STAFF_ONLY)
    return rows.order_by("pk")


def calendar_for(user: AnyUser, therapist_id: int, clinic_id: int) -> Calendar | None:
    clinic = (
        Clinic.objects.prefetch_related("opening_hours", "closures").filter(pk=clinic_id).first()
    )
    if clinic is None:
        return None
    therapist = selectors.bookable_therapists(clinic).filter(pk=therapist_id).first()
    if therapist is None:
        return None
    return Calendar(clinic, therapist, list(bookable_types(user, clinic)))


def slot_resource(key: SlotKey, end: dt.datetime, kind: AppointmentType) -> Resource:
    return {
        "resourceType": "Slot",
        "id": key.id,
        "serviceType": [concept(kind.name, type_coding(kind))],
        "schedule": ref("Schedule", f"{key.therapist_id}-{key.clinic_id}"),
        "status": "free",
        "start": instant(key.start),
        "end": instant(end),
    }


def free_slots(
    ctx: Context, cal: Calendar, first: dt.date, last: dt.date, kinds: list[AppointmentType]
) -> list[Resource]:
    found = []
    for kind in kinds:
        for slot in selectors.availability(
            clinic=cal.clinic,
            appointment_type=kind,
            therapist_ids=[cal.therapist.pk],
            first_day=first,
            last_day=last,
            now=ctx.now,
        ):
            key = SlotKey(cal.therapist.pk, cal.clinic.pk, kind.pk, slot.start_utc)
            found.append((slot.start_utc, kind.pk, slot_resource(key, slot.end_utc, kind)))
    return [resource for _, _, resource in sorted(found, key=lambda item: item[:2])]


def read_slot(ctx: Context, resource_id: str) -> Resource:
    key = SlotKey.parse(resource_id)
    if key is None:
        raise Http404("No such slot.")
    cal = calendar_for(ctx.user, key.therapist_id, key.clinic_id)
    kinds = [k for k in cal.types if k.pk == key.type_id] if cal is not None else []
    if cal is None or not kinds:
        raise Http404("No such slot.")
    day = key.start.astimezone(adapters.zone(cal.clinic)).date()
    for slot in free_slots(ctx, cal, day, day, kinds):
        if slot["id"] == resource_id:
            return slot
    raise Http404("That slot is not free (it may just have been booked).")


def _wanted_types(query: s.Query, cal: Calendar) -> list[AppointmentType]:
    wanted = s.tokens(query, "service-type")
    if not wanted:
        return cal.types
    codes = set()
    for token in wanted:
        system, _, code = token.rpartition("|")
        if system not in ("", APPOINTMENT_TYPE_SYSTEM) or number(code) is None:
            raise invalid(
                f"service-type must be a HealthcareService id ({APPOINTMENT_TYPE_SYSTEM})."
            )
        codes.add(int(code))
    return [k for k in cal.types if k.pk in codes]


def _window(ctx: Context, bounds: list[s.DateBound], cal: Calendar) -> tuple[dt.date, dt.date]:
    zone = adapters.zone(cal.clinic)
    lows = [b.value for b in bounds if b.lookup in ("gte", "gt")]
    highs = [b.value for b in bounds if b.lookup in ("lte", "lt")]
    first = max([ctx.now, *lows]).astimezone(zone).date()
    last = min(highs).astimezone(zone).date() if highs else first + dt.timedelta(DEFAULT_DAYS - 1)
    if (last - first).days >= MAX_DAYS:
        raise invalid(f"start: a Slot search covers at most {MAX_DAYS} days.")
    return first, last


def search_slots(ctx: Context, query: s.Query) -> s.Page:
    schedule = query.one("schedule")
    if schedule is None:
        raise invalid("A Slot search needs schedule=Schedule/<id> (see Schedule search).")
    status = query.one("status")
    if status not in (None, "free"):
        raise invalid("Only free slots are listed: status=free.")
    member_id, clinic_id = pair_or_404(schedule.removeprefix("Schedule/"), "schedule")
    cal = calendar_for(ctx.user, member_id, clinic_id)
    if cal is None:
        raise Http404("No such schedule.")
    bounds = s.date_bounds(query, "start")
    first, last = _window(ctx, bounds, cal)
    slots = free_slots(ctx, cal, first, last, _wanted_types(query, cal))
    kept = [r for r in slots if all(b.holds(_parse_instant(r["start"])) for b in bounds)]
    return s.page_of_list(kept, query)


def _parse_instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


SLOT = ResourceType(
    "Slot",
    "Free times, computed from working hours, opening hours and bookings. Book one by "
    "creating an Appointment that references it.",
    (
        SearchParam("schedule", "reference", "Required: Schedule/<id>."),
        SearchParam("start", "date", "Slot start (ge, le, gt, lt); default the next 7 days."),
        SearchParam("status", "token", "free (the only status listed)."),
        SearchParam("service-type", "token", "A HealthcareService id: one appointment type."),
    ),
    read=read_slot,
    search=search_slots,
)


# --- Appointment (reads) ---------------------------------------------------------------------

TO_FHIR = {
    Status.BOOKED: "booked",
    Status.ARRIVED: "arrived",
    Status.COMPLETED: "fulfilled",
    Status.NO_SHOW: "noshow",
    Status.CANCELLED: "cancelled",
    Status.HELD: "pending",
}
FROM_FHIR = {fhir: ours for ours, fhir in TO_FHIR.items() if ours != Status.HELD}


def appointment_resource(appointment: Appointment) -> Resource:
    kind, therapist, clinic = (
        appointment.appointment_type,
        appointment.therapist,
        appointment.clinic,
    )
    participants = [
        {"actor": ref("Practitioner", therapist.pk, therapist.display_name), "status": "accepted"},
        {"actor": ref("Location", clinic.pk, clinic.name), "status": "accepted"},
    ]
    if appointment.patient is not None:
        patient = ref("Patient", appointment.patient.pk, appointment.patient.full_name)
        participants.insert(0, {"actor": patient, "status": "accepted"})
    resource: Resource = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "status": TO_FHIR[Status(appointment.status)],
        "serviceType": [concept(kind.name, type_coding(kind))],
        "description": kind.name,
        "start": instant(appointment.start),
        "end": instant(appointment.end),
        "minutesDuration": int(appointment.duration.total_seconds() // 60),
        "created": instant(appointment.created_at),
        "participant": participants,
    }
    if appointment.status == Status.CANCELLED and appointment.cancel_reason:
        resource["cancelationReason"] = concept(appointment.cancel_reason)
    return resource


def read_appointment(ctx: Context, resource_id: str) -> Resource:
    found = number(resource_id)
    if found is None:
        raise Http404("No such appointment.")
    return appointment_resource(selectors.get_appointment_for(ctx.user, found))


def _statuses(query: s.Query) -> list[str]:
    wanted = s.tokens(query, "status")
    unknown = [code for code in wanted if code not in FROM_FHIR]
    if unknown:
        raise invalid(f"status must be one of: {', '.join(FROM_FHIR)}.")
    return [str(FROM_FHIR[code]) for code in wanted]


def search_appointments(ctx: Context, query: s.Query) -> s.Page:
    rows = selectors.appointments_visible_to(ctx.user)
    for name, resource_type, field in (
        ("patient", "Patient", "patient_id"),
        ("practitioner", "Practitioner", "therapist_id"),
        ("location", "Location", "clinic_id"),
    ):
        if ids := s.reference_ids(query, name, resource_type):
            rows = rows.filter(**{f"{field}__in": ids})
    if statuses := _statuses(query):
        rows = rows.filter(status__in=statuses)
    rows = s.filter_dates(rows, "start", s.date_bounds(query, "date"))
    return s.page_of(rows.order_by("start", "pk"), query, appointment_resource)
