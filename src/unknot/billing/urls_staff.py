"""Patients' accounts and the ageing report, mounted at /staff/ in the namespace "staffarea"."""

from django.urls import path

from unknot.billing import views_account

urlpatterns = [
    path("patients/<int:patient_id>/account/", views_account.patient_account,
         name="patient_account"),
    path("patients/<int:patient_id>/account/payment/", views_account.payment_add,
         name="payment_add"),
    path("patients/<int:patient_id>/account/adjustment/", views_account.adjustment_add,
         name="adjustment_add"),
    path("patients/<int:patient_id>/account/statement.pdf", views_account.statement_pdf,
         name="statement_pdf"),
    path("patients/<int:patient_id>/account/superbill.pdf", views_account.superbill_pdf,
         name="superbill_pdf"),
    path("billing/ageing/", views_account.ageing_report, name="ageing_report"),
]  # fmt: skip
