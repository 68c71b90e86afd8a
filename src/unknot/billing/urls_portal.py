"""The patient's bills, mounted at /portal/ in the namespace "portal"."""

from django.urls import path

from unknot.billing import views_portal

urlpatterns = [
    path("bills/", views_portal.my_bills, name="bills"),
    path("bills/statement.pdf", views_portal.my_statement, name="statement_pdf"),
    path("bills/superbill.pdf", views_portal.my_superbill, name="superbill_pdf"),
]
