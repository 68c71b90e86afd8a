"""/api/v1/: the documented REST API (namespace "api"); docs/api.md describes every URL."""

from django.urls import path

from unknot.api import (
    schema,
    views_appointments,
    views_billing,
    views_directory,
    views_records,
    views_tokens,
)

D, A, R, B = views_directory, views_appointments, views_records, views_billing

urlpatterns = [
    path("schema/", schema.SchemaView.as_view(), name="schema"),
    path("docs/", schema.DocsView.as_view(), name="docs"),
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
    path("clinics/", D.ClinicList.as_view(), name="clinic_list"),
    path("clinics/<str:slug>/", D.ClinicDetail.as_view(), name="clinic_detail"),
    path("therapists/", D.TherapistList.as_view(), name="therapist_list"),
    path("therapists/<str:id>/", D.TherapistDetail.as_view(), name="therapist_detail"),
    path("appointment-types/", D.AppointmentTypeList.as_view(), name="type_list"),
    path("appointment-types/<str:id>/", D.AppointmentTypeDetail.as_view(), name="type_detail"),
    path("availability/", D.Availability.as_view(), name="availability"),
    path("appointments/", A.AppointmentList.as_view(), name="appointment_list"),
    path("appointments/<str:id>/", A.AppointmentDetail.as_view(), name="appointment_detail"),
    path("appointments/<str:id>/move/", A.AppointmentMove.as_view(), name="appointment_move"),
    path("appointments/<str:id>/cancel/", A.AppointmentCancel.as_view(), name="appointment_cancel"),
    path("patients/", R.PatientList.as_view(), name="patient_list"),
    # before patients/<id>/: "search" is not an id
    path("patients/search/", R.PatientSearch.as_view(), name="patient_search"),
    path("patients/<str:id>/", R.PatientDetail.as_view(), name="patient_detail"),
    path("intakes/", R.IntakeList.as_view(), name="intake_list"),
    path("intakes/<str:id>/", R.IntakeDetail.as_view(), name="intake_detail"),
    path("plans/", R.PlanList.as_view(), name="plan_list"),
    path("plans/<str:id>/", R.PlanDetail.as_view(), name="plan_detail"),
    path("visits/", R.VisitList.as_view(), name="visit_list"),
    path("visits/<str:id>/", R.VisitDetail.as_view(), name="visit_detail"),
    path("outcomes/", R.OutcomeList.as_view(), name="outcome_list"),
    path("outcomes/<str:id>/", R.OutcomeDetail.as_view(), name="outcome_detail"),
    path("home-logs/", R.LogList.as_view(), name="log_list"),
    path("home-logs/<str:id>/", R.LogDetail.as_view(), name="log_detail"),
    path("coverages/", B.CoverageList.as_view(), name="coverage_list"),
    path("coverages/<str:id>/", B.CoverageDetail.as_view(), name="coverage_detail"),
    path("charges/", B.ChargeList.as_view(), name="charge_list"),
    path("charges/<str:id>/", B.ChargeDetail.as_view(), name="charge_detail"),
    path("payments/", B.PaymentList.as_view(), name="payment_list"),
    path("payments/<str:id>/", B.PaymentDetail.as_view(), name="payment_detail"),
]
