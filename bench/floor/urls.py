"""Django's floor: one view that creates the posted row through the ORM and answers 201."""

import datetime as dt
import json

from django.http import HttpRequest, JsonResponse
from django.urls import path

from unknot.booking.models import Appointment, Status

VISIT, BUFFER = dt.timedelta(minutes=60), dt.timedelta(minutes=10)


def insert(request: HttpRequest) -> JsonResponse:
    row = json.loads(request.body)
    start = dt.datetime.fromisoformat(row["start"])
    appointment = Appointment.objects.create(
        clinic_id=row["clinic"],
        therapist_id=row["therapist"],
        appointment_type_id=row["kind"],
        patient_id=row["patient"],
        start=start,
        end=start + VISIT,
        blocked_start=start,
        blocked_end=start + VISIT + BUFFER,
        status=Status.BOOKED,
        source="floor",
    )
    return JsonResponse({"id": appointment.pk}, status=201)


urlpatterns = [path("insert/", insert)]
