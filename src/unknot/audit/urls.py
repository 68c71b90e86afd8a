"""/audit/: the auditors' report of the audit trail (namespace "audit")."""

from django.urls import path

from unknot.audit import views

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
]
