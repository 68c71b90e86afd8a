from django.urls import path

from unknot.staffarea import views

app_name = "staffarea"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clinics/<slug:slug>/", views.clinic_detail, name="clinic_detail"),
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/new/", views.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
]
