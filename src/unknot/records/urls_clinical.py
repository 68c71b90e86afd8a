"""The clinical record's own pages: evaluations and medical clearances. See docs/clinical.md.

Mounted at /clinical/ in the namespace "clinical", which it shares with the chart, plan of care
and visit pages of the plans app (see `unknot.config.urls`).
"""

from django.urls import path

from unknot.records.clinical import views_evaluation as evaluation
from unknot.records.clinical import views_hold as hold

urlpatterns = [
    path(
        "episodes/<int:episode_id>/evaluations/new/",
        evaluation.evaluation_new,
        name="evaluation_new",
    ),
    path("evaluations/<int:evaluation_id>/", evaluation.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<int:evaluation_id>/edit/", evaluation.evaluation_edit, name="evaluation_edit"
    ),
    path("referrals/<int:hold_id>/clearance/", hold.hold_clear, name="hold_clear"),
]
