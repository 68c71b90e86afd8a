"""The staff's patient pages, mounted at /staff/ in the namespace "staffarea" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.patients import views_staff

urlpatterns = [
    path("patients/", views_staff.patient_list, name="patient_list"),
    path("patients/new/", views_staff.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", views_staff.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/edit/", views_staff.patient_edit, name="patient_edit"),
]
