"""Staff URLs of the booking area, mounted under /booking/staff/."""

import datetime as dt

from django.urls import path, register_converter

from unknot.booking import (
    views_attendance,
    views_calendar,
    views_feeds,
    views_frontdesk,
    views_safety_calls,
    views_staff,
)


class IsoDateConverter:
    """yyyy-mm-dd in the address; anything else is not a match (404), never a server error."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError (e.g. 2031-02-30) means no match

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


register_converter(IsoDateConverter, "booking_date")

urlpatterns = [
    path("<slug:slug>/day/<booking_date:day>/", views_calendar.day_view, name="staff_day"),
    path("<slug:slug>/week/<booking_date:day>/", views_calendar.week_view, name="staff_week"),
    path("<slug:slug>/book/", views_frontdesk.book, name="staff_book"),
    path("<slug:slug>/series/", views_frontdesk.series, name="staff_series"),
    path(
        "appointments/<int:appointment_id>/",
        views_frontdesk.appointment_detail,
        name="staff_appointment",
    ),
    path("appointments/<int:appointment_id>/move/", views_frontdesk.move, name="staff_move"),
    path("appointments/<int:appointment_id>/cancel/", views_frontdesk.cancel, name="staff_cancel"),
    path("appointments/<int:appointment_id>/mark/", views_frontdesk.mark, name="staff_mark"),
    path(
        "patients/<int:patient_id>/appointments/",
        views_staff.patient_appointments,
        name="staff_patient_appointments",
    ),
    path(
        "patients/<int:patient_id>/attendance/<slug:slug>/",
        views_attendance.patient_attendance,
        name="staff_attendance",
    ),
    path(
        "patients/<int:patient_id>/attendance/<slug:slug>/follow-up/",
        views_attendance.attendance_follow_up,
        name="staff_attendance_follow_up",
    ),
    path("inbox/questions/", views_staff.questions, name="staff_questions"),
    path(
        "inbox/questions/<int:question_id>/",
        views_staff.question_status,
        name="staff_question_status",
    ),
    path("inbox/outbox/", views_staff.outbox, name="staff_outbox"),
    path("inbox/calls/", views_frontdesk.calls_to_make, name="staff_safety_calls"),
    path(
        "inbox/calls/<int:call_id>/",
        views_safety_calls.safety_call_detail,
        name="staff_safety_call",
    ),
    path(
        "inbox/calls/<int:call_id>/complete/",
        views_safety_calls.safety_call_complete,
        name="staff_safety_call_complete",
    ),
    path("feeds/", views_feeds.feed_list, name="staff_feeds"),
    path("feeds/<int:feed_id>/revoke/", views_feeds.feed_revoke, name="staff_feed_revoke"),
    path("feed/<str:token>.ics", views_feeds.therapist_feed, name="therapist_feed"),
    # Last, so that the fixed words above ("feeds", "inbox") win over a clinic's slug.
    path("<slug:slug>/", views_calendar.calendar_today, name="staff_today"),
]
