"""The staff area's own pages. Mounted at /staff/ with the staff's patient pages in the
namespace "staffarea" (see `unknot.config.urls`)."""

from django.urls import path

from unknot.staffarea import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clinics/<slug:slug>/", views.clinic_detail, name="clinic_detail"),
    path("practice/", views.practice_dashboard, name="practice"),
    path("practice/figures.csv", views.practice_csv, name="practice_csv"),
]
