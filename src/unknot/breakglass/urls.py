"""/emergency-access/ (namespace "breakglass"). See docs/break-glass.md."""

from django.urls import path

from unknot.breakglass import views

urlpatterns = [
    path("", views.start, name="start"),
    path("<int:access_id>/end/", views.end, name="end"),
    path("openings/", views.openings, name="openings"),
]
