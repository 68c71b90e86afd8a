"""A clinic's waitlist for staff, mounted at /staff/ in the namespace "staffarea"."""

from django.urls import path

from unknot.waitlist import views_staff

urlpatterns = [
    path("clinics/<slug:slug>/waitlist/", views_staff.clinic_waitlist, name="clinic_waitlist"),
    path("clinics/<slug:slug>/waitlist/add/", views_staff.add, name="waitlist_add"),
    path("waitlist/<int:entry_id>/remove/", views_staff.remove, name="waitlist_remove"),
]
