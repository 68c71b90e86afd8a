"""The public clinic pages, mounted in the public site's namespace "site" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.booking import views_clinics

urlpatterns = [
    path("clinics/", views_clinics.clinic_list, name="clinic_list"),
    path("clinics/<slug:slug>/", views_clinics.clinic_detail, name="clinic_detail"),
    path("clinics/<slug:slug>/book/", views_clinics.book_start, name="book_start"),
]
