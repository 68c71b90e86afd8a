"""Appointments: list and read what the user may see; book, move and cancel through the very
services the calendar pages call, so every rule (notice, hours, double booking) holds here too.
A slot someone else just took is a 409 `slot_taken`."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from unknot.accounts.access import signed_in_user
from unknot.accounts.models import AnyUser
from unknot.api.access import api_rule
from unknot.api.querying import day, one_of, text, where, whole_number
from unknot.api.serializers import AppointmentOut, BookIn, CancelIn, MoveIn
from unknot.api.views_base import ApiView, ListView, object_id
from unknot.booking import selectors, services
from unknot.booking.models import Status

SORTS = {"start": "start", "status": "status"}


class AppointmentList(ListView):
    """GET: the appointments the user may see. POST: book one (staff who may write)."""

    access_rule = api_rule(staff=True, biller=True, patients=True, staff_write=True)
    serializer_class = AppointmentOut
    may_conflict = True  # booking can lose a race: 409
    filters = {
        "clinic": where("clinic__slug", text, "The clinic's slug."),
        "therapist": where("therapist_id", whole_number, "A therapist id."),
        "patient": where("patient_id", whole_number, "A patient id."),
        "status": where("status", one_of(s for s in Status.values if s != Status.HELD)),
        "from": where("start__date__gte", day, "Starting on or after this day (UTC)."),
        "to": where("start__date__lte", day, "Starting on or before this day (UTC)."),
    }
    sorts = SORTS
    default_sort = ("start", "pk")

    def get_queryset(self) -> Any:
        return selectors.appointments_visible_to(self.request.user)

    @extend_schema(request=BookIn, responses={201: AppointmentOut})
    def post(self, request: Request) -> Response:
        data = _valid(BookIn, request)
        booked = services.appointment_book(
            by=signed_in_user(request.user),
            now=timezone.now(),
            source="api",
            **_booking(request.user, data),
        )
        return Response(AppointmentOut(booked).data, status=201)


def _valid(serializer: Any, request: Request) -> dict[str, Any]:
    parsed = serializer(data=request.data)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


def _booking(user: AnyUser, data: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments; a patient the user may not see is 404, as on the web."""
    arguments, problems = selectors.staff_booking_arguments(
        user,
        clinic_slug=data["clinic"],
        type_id=data["type"],
        therapist_id=data["therapist"],
        patient_id=data["patient"],
    )
    if problems:
        raise ValidationError(problems)
    return arguments | {"start": data["start"]}


class AppointmentDetail(ApiView):
    """One appointment: staff of its clinic (the biller too), or its patient."""

    access_rule = api_rule(staff=True, biller=True, patients=True)
    serializer_class = AppointmentOut

    def get(self, request: Request, id: str) -> Response:
        found = selectors.get_appointment_for(request.user, object_id(id))
        return Response(AppointmentOut(found).data)


class AppointmentMove(ApiView):
    """Moves a booked appointment to a new start (and optionally another therapist)."""

    access_rule = api_rule(staff_write=True)
    serializer_class = AppointmentOut
    may_conflict = True

    @extend_schema(request=MoveIn, responses={200: AppointmentOut})
    def post(self, request: Request, id: str) -> Response:
        appointment = selectors.get_appointment_for(request.user, object_id(id))
        data = _valid(MoveIn, request)
        therapist = None
        if "therapist" in data:
            bookable = selectors.bookable_therapists(appointment.clinic)
            therapist = bookable.filter(pk=data["therapist"]).first()
            if therapist is None:
                raise ValidationError({"therapist": "That therapist does not work here."})
        moved = services.appointment_move(
            by=signed_in_user(request.user),
            appointment=appointment,
            new_start=data["start"],
            now=timezone.now(),
            therapist=therapist,
        )
        return Response(AppointmentOut(moved).data)


class AppointmentCancel(ApiView):
    """Cancels a booked appointment: staff who may write, or the patient (own, in time)."""

    access_rule = api_rule(staff_write=True, patients_write=True)
    serializer_class = AppointmentOut

    @extend_schema(request=CancelIn, responses={200: AppointmentOut})
    def post(self, request: Request, id: str) -> Response:
        appointment = selectors.get_appointment_for(request.user, object_id(id))
        data = _valid(CancelIn, request)
        cancelled = services.appointment_cancel(
            by=signed_in_user(request.user),
            appointment=appointment,
            now=timezone.now(),
            reason=data.get("reason", ""),
        )
        return Response(AppointmentOut(cancelled).data)
