"""The JSON API, version 0: public availability and staff bookings (see booking/api.py)."""

from django.urls import path

from unknot.booking import api

urlpatterns = [
    path("availability/", api.availability, name="api_availability"),
    path("appointments/", api.appointments, name="api_appointments"),
]
