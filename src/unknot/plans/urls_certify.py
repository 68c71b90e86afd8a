"""The physician's signed link to certify a plan of care, mounted at /certify/ in the namespace
"certify" (docs/billing.md)."""

from django.urls import path

from unknot.plans import views_certification

app_name = "certify"
urlpatterns = [
    path("<str:token>/", views_certification.certify_plan, name="plan"),
]
