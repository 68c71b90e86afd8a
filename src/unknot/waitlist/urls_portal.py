"""The patient's waitlist, mounted at /portal/ in the namespace "portal"."""

from django.urls import path

from unknot.waitlist import views_portal

urlpatterns = [
    path("waitlist/", views_portal.my_waitlist, name="waitlist"),
    path("waitlist/join/", views_portal.join, name="waitlist_join"),
    path("waitlist/<int:entry_id>/leave/", views_portal.leave, name="waitlist_leave"),
]
