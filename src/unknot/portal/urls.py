"""The portal's own page. Mounted at /portal/ with the patient's details and appointments in
the namespace "portal" (see `unknot.config.urls`)."""

from django.urls import path

from unknot.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
