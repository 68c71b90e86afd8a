"""The clinical record (namespace "clinical", mounted at /clinical/). See docs/clinical.md."""

from django.urls import path

from unknot.records.clinical import views_chart as chart
from unknot.records.clinical import views_hold as hold
from unknot.records.clinical import views_plan as plan
from unknot.records.clinical import views_visit as visit

urlpatterns = [
    path("caseload/", chart.caseload, name="caseload"),
    path("patients/<int:patient_id>/episodes/", chart.patient_episodes, name="patient_episodes"),
    path("episodes/<int:episode_id>/", chart.episode_chart, name="episode"),
    path("episodes/<int:episode_id>/evaluations/new/", chart.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:evaluation_id>/", chart.evaluation_detail, name="evaluation"),
    path("evaluations/<int:evaluation_id>/edit/", chart.evaluation_edit, name="evaluation_edit"),
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
    path("referrals/<int:hold_id>/clearance/", hold.hold_clear, name="hold_clear"),
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
