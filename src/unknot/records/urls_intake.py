"""The intake, mounted at /intake/ (namespace "intake"). See docs/intake.md."""

from django.urls import path

from unknot.records.intake import views, views_review, views_start, views_tablet

urlpatterns = [
    # the patient's own intake in the portal
    path("", views.overview, name="overview"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("submit/", views.submit, name="submit"),
    path("emergency/", views.emergency, name="emergency"),
    path("done/", views.done, name="done"),
    # the signed link from the booking confirmation
    path("start/<str:token>/", views_start.start, name="start"),
    # the front-desk tablet
    path("tablet/<int:episode_id>/", views_tablet.overview, name="tablet_overview"),
    path(
        "tablet/<int:episode_id>/section/<slug:slug>/",
        views_tablet.section,
        name="tablet_section",
    ),
    path("tablet/<int:episode_id>/submit/", views_tablet.submit, name="tablet_submit"),
    path("tablet/<int:episode_id>/emergency/", views_tablet.emergency, name="tablet_emergency"),
    path("tablet/<int:episode_id>/hand-back/", views_tablet.done, name="tablet_done"),
    # the therapist's review
    path("review/", views_review.review_list, name="review_list"),
    path("review/<int:episode_id>/", views_review.review_detail, name="review_detail"),
    path("review/<int:episode_id>/reviewed/", views_review.review_mark, name="review_mark"),
]
