"""Patients' insurance and the payer list for staff, mounted at /staff/ in the namespace
"staffarea"."""

from django.urls import path

from unknot.coverage import views_staff

urlpatterns = [
    path(
        "patients/<int:patient_id>/insurance/",
        views_staff.patient_coverage,
        name="patient_coverage",
    ),
    path(
        "patients/<int:patient_id>/insurance/add/",
        views_staff.coverage_add,
        name="coverage_add",
    ),
    path(
        "patients/<int:patient_id>/insurance/self-pay/",
        views_staff.self_pay,
        name="coverage_self_pay",
    ),
    path("insurance/<int:coverage_id>/edit/", views_staff.coverage_edit, name="coverage_edit"),
    path("insurance/<int:coverage_id>/end/", views_staff.coverage_end, name="coverage_end"),
    path(
        "insurance/<int:coverage_id>/card/<str:side>/",
        views_staff.coverage_card,
        name="coverage_card",
    ),
    path("payers/", views_staff.payer_list, name="payer_list"),
    path("payers/add/", views_staff.payer_add, name="payer_add"),
    path("payers/<int:payer_id>/edit/", views_staff.payer_edit, name="payer_edit"),
]
