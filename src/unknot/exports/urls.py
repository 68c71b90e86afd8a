"""Record exports and the person's calendar feed, in the portal's and the staff area's spaces
(included at the site's root, namespace "exports")."""

from django.urls import path

from unknot.exports import views, views_feed

urlpatterns = [
    # The person's own.
    path("portal/record/export.json", views.my_bundle, name="my_bundle"),
    path("portal/record/summary.pdf", views.my_summary, name="my_summary"),
    path("portal/calendar-feed/", views_feed.my_feed, name="my_feed"),
    path("portal/feed/<str:token>.ics", views_feed.patient_feed, name="patient_feed"),
    # Staff, from the patient page.
    path(
        "staff/patients/<int:patient_id>/export.json",
        views.patient_bundle_download,
        name="patient_bundle",
    ),
    path(
        "staff/patients/<int:patient_id>/summary.pdf",
        views.patient_summary_download,
        name="patient_summary",
    ),
]
