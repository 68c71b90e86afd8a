"""The patient's forms, mounted at /portal/ in the namespace "portal"."""

from django.urls import path

from unknot.paperwork import views_portal

urlpatterns = [
    path("forms/", views_portal.my_forms, name="paperwork"),
    path("forms/<slug:kind>/sign/", views_portal.sign, name="paperwork_sign"),
    path(
        "forms/signed/<int:signature_id>/pdf/",
        views_portal.signature_pdf,
        name="paperwork_signed_pdf",
    ),
]
