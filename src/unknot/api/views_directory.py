"""Clinics, therapists, appointment types and free slots: what the public website shows,
plus, for staff, the appointment types of their own clinics that are not booked online."""

import datetime as dt
import zoneinfo
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from unknot.accounts.models import AnyUser
from unknot.api.access import api_rule
from unknot.api.querying import day, one_of, text, where, whole_number
from unknot.api.selectors import types_visible_to
from unknot.api.serializers import AppointmentTypeOut, AvailabilityOut, ClinicOut, TherapistOut
from unknot.api.views_base import ApiView, ListView, object_id
from unknot.booking import selectors as booking
from unknot.booking.models import AppointmentKind, AppointmentType, OnlineBooking
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import public_clinic, public_clinics

PUBLIC = api_rule(public=True)
MAX_DAYS = 31  # one request covers at most a month: bounded work for a public endpoint


class ClinicList(ListView):
    """The practice's clinics, with their opening hours (wall-clock, in the clinic's zone)."""

    access_rule = PUBLIC
    serializer_class = ClinicOut
    filters = {"city": where("city__iexact", text, "Clinics in this city.")}
    sorts = {"name": "name", "city": "city"}
    default_sort = ("name",)

    def get_queryset(self) -> Any:
        return public_clinics()


class ClinicDetail(ApiView):
    """One clinic, by its slug."""

    access_rule = PUBLIC
    serializer_class = ClinicOut

    def get(self, request: Request, slug: str) -> Response:
        return Response(ClinicOut(public_clinic(slug)).data)


def _bookable_therapists() -> Any:
    return (
        StaffMember.objects.filter(role="therapist", user__is_active=True)
        .select_related("user")
        .prefetch_related("clinics")
    )


class TherapistList(ListView):
    """Therapists who take bookings, with their public profile and clinics."""

    access_rule = PUBLIC
    serializer_class = TherapistOut
    filters = {"clinic": where("clinics__slug", text, "Therapists working at this clinic.")}
    sorts = {"name": "user__last_name"}
    default_sort = ("user__last_name", "user__first_name")

    def get_queryset(self) -> Any:
        return _bookable_therapists()


class TherapistDetail(ApiView):
    """One therapist who takes bookings."""

    access_rule = PUBLIC
    serializer_class = TherapistOut

    def get(self, request: Request, id: str) -> Response:
        found = _bookable_therapists().filter(pk=object_id(id)).first()
        if found is None:
            raise Http404("No such therapist.")
        return Response(TherapistOut(found).data)


class AppointmentTypeList(ListView):
    """Online-bookable types of every clinic; staff also see their clinics' other types."""

    access_rule = PUBLIC
    serializer_class = AppointmentTypeOut
    filters = {
        "clinic": where("clinic__slug", text, "Types of this clinic."),
        "kind": where("kind", one_of(AppointmentKind.values)),
        "online_booking": where("online_booking", one_of(OnlineBooking.values)),
    }
    sorts = {"name": "name", "duration_minutes": "duration_minutes"}
    default_sort = ("clinic__name", "duration_minutes")

    def get_queryset(self) -> Any:
        return types_visible_to(self.request.user)


class AppointmentTypeDetail(ApiView):
    """One appointment type you may see."""

    access_rule = PUBLIC
    serializer_class = AppointmentTypeOut

    def get(self, request: Request, id: str) -> Response:
        found = types_visible_to(request.user).filter(pk=object_id(id)).first()
        if found is None:
            raise Http404("No such appointment type.")
        return Response(AppointmentTypeOut(found).data)


# --- availability ----------------------------------------------------------------------------

AVAILABILITY_PARAMETERS = [
    OpenApiParameter("clinic", str, required=True, description="The clinic's slug."),
    OpenApiParameter("type", int, required=True, description="An appointment type id."),
    OpenApiParameter(
        "therapist", str, description="A therapist id, or `any` (the default).", required=False
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First day."),
    OpenApiParameter(
        "to", OpenApiTypes.DATE, required=True, description=f"Last day, at most {MAX_DAYS} in all."
    ),
]


def _parsed(query: Any) -> dict[str, Any]:
    parsers = {"clinic": text, "type": whole_number, "from": day, "to": day}
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, parse in parsers.items():
        try:
            values[name] = parse(query.get(name, ""))
        except ValueError as error:
            problems[name] = str(error) if query.get(name) else "This parameter is required."
    if not problems and not (
        values["from"] <= values["to"] <= values["from"] + dt.timedelta(days=MAX_DAYS - 1)
    ):
        problems["to"] = f"Must be on or after 'from', at most {MAX_DAYS} days in all."
    if problems:
        raise ValidationError(problems)
    return values


def _therapist_ids(clinic: Clinic, raw: str | None) -> list[int]:
    bookable = list(booking.bookable_therapists(clinic).values_list("pk", flat=True))
    if raw in (None, "any"):
        return bookable
    try:
        wanted = whole_number(raw)
    except ValueError:
        wanted = None
    if wanted not in bookable:
        raise ValidationError({"therapist": "That therapist does not take bookings here."})
    return [wanted]


def _type_at(user: AnyUser, clinic: Clinic, type_id: int) -> AppointmentType:
    found = types_visible_to(user).filter(clinic=clinic, pk=type_id).first()
    if found is None:
        raise Http404("No such appointment type at this clinic.")
    return found


class Availability(ApiView):
    """Free slots for one appointment type at one clinic, for one therapist or any."""

    access_rule = PUBLIC
    serializer_class = AvailabilityOut
    query_parameters = ("clinic", "type", "therapist", "from", "to")

    @extend_schema(parameters=AVAILABILITY_PARAMETERS)
    def get(self, request: Request) -> Response:
        values = _parsed(request.query_params)
        clinic = booking.clinic_for_calendar(values["clinic"])
        kind = _type_at(request.user, clinic, values["type"])
        slots = booking.availability(
            clinic=clinic,
            appointment_type=kind,
            therapist_ids=_therapist_ids(clinic, request.query_params.get("therapist")),
            first_day=values["from"],
            last_day=values["to"],
            now=timezone.now(),
        )
        zone = zoneinfo.ZoneInfo(clinic.time_zone)
        body = {
            "clinic": clinic.slug,
            "type": kind.pk,
            "time_zone": clinic.time_zone,
            "slots": [
                {
                    "start": slot.start_utc,
                    "end": slot.end_utc,
                    "start_local": slot.start_utc.astimezone(zone).isoformat(),
                    "end_local": slot.end_utc.astimezone(zone).isoformat(),
                    "therapists": list(slot.therapist_ids),
                }
                for slot in slots
            ],
        }
        return Response(AvailabilityOut(body).data)
