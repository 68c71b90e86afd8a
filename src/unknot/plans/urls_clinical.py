"""The episode chart, caseload, plan of care and visit pages. See docs/clinical.md.

Mounted at /clinical/ in the namespace "clinical", which they share with the clinical record's
evaluation and clearance pages (`unknot.records.urls_clinical`; see `unknot.config.urls`).
"""

from django.urls import path

from unknot.plans import views_certification as certification
from unknot.plans import views_chart as chart
from unknot.plans import views_plan as plan
from unknot.plans import views_visit as visit

urlpatterns = [
    path("caseload/", chart.caseload, name="caseload"),
    path("patients/<int:patient_id>/episodes/", chart.patient_episodes, name="patient_episodes"),
    path("episodes/<int:episode_id>/", chart.episode_chart, name="episode"),
    path("episodes/<int:episode_id>/plan/propose/", plan.plan_propose, name="plan_propose"),
    path("plans/<int:plan_id>/", plan.plan_detail, name="plan"),
    path("plans/<int:plan_id>/revise/", plan.plan_revise, name="plan_revise"),
    path("plans/<int:plan_id>/elements/add/", plan.element_add, name="plan_element_add"),
    path(
        "plans/<int:plan_id>/elements/<slug:key>/remove/",
        plan.element_remove,
        name="plan_element_remove",
    ),
    path(
        "plans/<int:plan_id>/elements/<slug:key>/dose/",
        plan.element_dose,
        name="plan_element_dose",
    ),
    path(
        "plans/<int:plan_id>/elements/<slug:key>/override/",
        plan.element_override,
        name="plan_element_override",
    ),
    path("plans/<int:plan_id>/goals/", plan.plan_goals, name="plan_goals"),
    path("plans/<int:plan_id>/sign/", plan.plan_sign, name="plan_sign"),
    path(
        "plans/<int:plan_id>/certification/",
        certification.certification_send,
        name="plan_certification_send",
    ),
    path(
        "certifications/<int:certification_id>/resend/",
        certification.certification_resend,
        name="certification_resend",
    ),
    path("episodes/<int:episode_id>/visits/new/", visit.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", visit.visit_detail, name="visit"),
    path("visits/<int:visit_id>/edit/", visit.visit_edit, name="visit_edit"),
    path("visits/<int:visit_id>/sign/", visit.visit_sign, name="visit_sign"),
    path(
        "visits/<int:visit_id>/progression/accept/",
        visit.visit_accept,
        name="visit_accept_progression",
    ),
]
