"""The billing pages for staff, mounted at /staff/ in the namespace "staffarea": the charge
review queue and fee schedules, patients' accounts, the ageing report, the claims and the
billing reports."""

from django.urls import path

from unknot.billing import views_account, views_claims, views_reports, views_staff

urlpatterns = [
    path("clinics/<slug:slug>/charges/", views_staff.charge_queue, name="charge_queue"),
    path("clinics/<slug:slug>/fees/", views_staff.fee_schedule, name="fee_schedule"),
    path("charges/<int:charge_id>/", views_staff.charge_detail, name="charge_detail"),
    path("charges/<int:charge_id>/approve/", views_staff.charge_approve, name="charge_approve"),
    path("charges/<int:charge_id>/correct/", views_staff.charge_correct, name="charge_correct"),
    path("charges/<int:charge_id>/hold/", views_staff.charge_hold, name="charge_hold"),
    path("charges/<int:charge_id>/release/", views_staff.charge_release, name="charge_release"),
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
    path("billing/claims/", views_claims.claim_list, name="claim_list"),
    path("billing/claims/make/", views_claims.claims_make, name="claims_make"),
    path("billing/claims/file/", views_claims.claims_file, name="claims_file"),
    path("billing/claims/<int:claim_id>/", views_claims.claim_detail, name="claim_detail"),
    path("billing/claim-settings/", views_claims.claim_settings, name="claim_settings"),
    path("billing/reports/", views_reports.report_list, name="report_list"),
    path("billing/reports/totals/", views_reports.report_totals, name="report_totals"),
    path("billing/reports/balances/", views_reports.report_balances, name="report_balances"),
    path("billing/reports/kx-threshold/", views_reports.report_kx, name="report_kx"),
    path("billing/reports/authorizations/", views_reports.report_authorisations,
         name="report_authorisations"),
]  # fmt: skip
