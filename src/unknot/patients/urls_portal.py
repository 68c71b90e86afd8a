"""The patient's own details, mounted at /portal/ in the namespace "portal" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.patients import views_portal

urlpatterns = [
    path("details/", views_portal.contact_details, name="contact_details"),
]
