"""The patient's own appointments, mounted at /portal/ in the namespace "portal" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.booking import views_portal

urlpatterns = [
    path("appointments/", views_portal.appointments, name="appointments"),
    path("appointments/book/", views_portal.book_follow_up, name="book_follow_up"),
    path(
        "appointments/<int:appointment_id>/cancel/", views_portal.cancel, name="cancel_appointment"
    ),
]
