"""Booking URLs, split by audience so each part can be read (and reviewed) on its own."""

from django.urls import include, path

app_name = "booking"
urlpatterns = [
    path("", include("unknot.booking.urls_public")),
    path("staff/", include("unknot.booking.urls_staff")),
    path("api/v0/", include("unknot.booking.urls_api")),
]
