"""Paperwork for staff, mounted at /staff/ in the namespace "staffarea"."""

from django.urls import path

from unknot.paperwork import views_staff

urlpatterns = [
    path("paperwork/", views_staff.documents, name="paperwork_documents"),
    path("paperwork/<slug:kind>/edit/", views_staff.document_edit, name="paperwork_edit"),
    path(
        "patients/<int:patient_id>/paperwork/",
        views_staff.patient_paperwork,
        name="patient_paperwork",
    ),
    path(
        "patients/<int:patient_id>/paperwork/<slug:kind>/sign/",
        views_staff.desk_sign,
        name="paperwork_desk_sign",
    ),
    path(
        "paperwork/signed/<int:signature_id>/pdf/",
        views_staff.signature_pdf,
        name="paperwork_signed_pdf",
    ),
]
