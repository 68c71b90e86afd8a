"""Authorisations for staff, mounted at /staff/ in the namespace "staffarea"."""

from django.urls import path

from unknot.coverage import views_authorisations as views

urlpatterns = [
    path(
        "patients/<int:patient_id>/authorizations/",
        views.patient_authorisations,
        name="patient_authorisations",
    ),
    path(
        "coverages/<int:coverage_id>/authorizations/",
        views.coverage_authorisations,
        name="coverage_authorisations",
    ),
    path(
        "coverages/<int:coverage_id>/authorizations/add/",
        views.authorisation_add,
        name="authorisation_add",
    ),
    path(
        "authorizations/<int:authorisation_id>/edit/",
        views.authorisation_edit,
        name="authorisation_edit",
    ),
]
