from django.urls import path

from unknot.portal import booking_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("details/", views.contact_details, name="contact_details"),
    path("appointments/", booking_views.appointments, name="appointments"),
    path("appointments/book/", booking_views.book_follow_up, name="book_follow_up"),
    path(
        "appointments/<int:appointment_id>/cancel/", booking_views.cancel, name="cancel_appointment"
    ),
]
