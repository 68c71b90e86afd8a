"""Paperwork for staff: managers edit the practice's documents (a new version each time the
words change); the patient's forms page with the signed copies; signing at the desk on a
kiosk-like page, witnessed by the member of staff; outsiders and read-only roles kept out."""

import pytest
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.paperwork.support import signed
from tests.personas import Cast
from unknot.paperwork import selectors
from unknot.paperwork.models import DocumentVersion, Signature, SignedHow

pytestmark = pytest.mark.django_db

EDIT = reverse("staffarea:paperwork_edit", args=["consent"])


def desk_url(cast: Cast, kind: str = "consent") -> str:
    return reverse("staffarea:paperwork_desk_sign", args=[cast.patient_p.pk, kind])


def desk_data(typed: str = "Penny Parker") -> dict[str, str]:
    version = selectors.current_version("consent")
    assert version is not None
    return {"version_id": str(version.pk), "typed_name": typed, "has_read": "on"}


def test_a_manager_publishes_a_new_version_and_the_list_shows_it(cast: Cast) -> None:
    client = client_for(cast.manager)
    form = client.get(EDIT).content.decode()
    assert "I ask the physical therapists" in form and "Version 1: Consent to treat" in form
    response = client.post(
        EDIT, {"title": "Consent to treat", "body": "Shorter words.\r\nTwo lines.",
               "required": "on", "resign_on_new_version": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert DocumentVersion.objects.filter(document__kind="consent").count() == 2
    listing = client.get(reverse("staffarea:paperwork_documents")).content.decode()
    assert "Consent to treat, version 2" in listing
    assert (
        client.get(reverse("staffarea:dashboard"))
        .content.decode()
        .count(reverse("staffarea:paperwork_documents"))
    )


def test_an_empty_text_is_refused_in_words(cast: Cast) -> None:
    response = client_for(cast.manager).post(EDIT, {"title": "Consent", "body": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert DocumentVersion.objects.filter(document__kind="consent").count() == 1


def test_the_front_desk_hands_over_the_tablet_and_is_the_witness(cast: Cast) -> None:
    client = client_for(cast.front_desk_a)
    page = client.get(desk_url(cast)).content.decode()
    assert 'class="paperwork-kiosk"' in page and "For Penny Parker" in page
    assert f'href="{reverse("staffarea:dashboard")}"' not in page  # no staff navigation
    response = client.post(desk_url(cast), desk_data("PENNY parker"))
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.how == SignedHow.TABLET and signature.witnessed_by == cast.front_desk_a
    forms = client.get(response["Location"]).content.decode()
    assert "witnessed by" in forms
    assert reverse("staffarea:paperwork_signed_pdf", args=[signature.pk]) in forms


def test_a_name_that_does_not_match_is_refused_at_the_desk(cast: Cast) -> None:
    response = client_for(cast.front_desk_a).post(desk_url(cast), desk_data("Quentin Quill"))
    assert response.status_code == 200
    assert "does not match the name on the record, Penny Parker" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_patients_page_flags_forms_not_signed_and_links_to_them(cast: Cast) -> None:
    client = client_for(cast.therapist_a)
    detail = reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    page = client.get(detail).content.decode()
    forms_url = reverse("staffarea:patient_paperwork", args=[cast.patient_p.pk])
    assert f'<a href="{forms_url}">Forms not signed</a>' in page
    for kind in ("consent", "privacy", "financial"):
        signed(cast.patient_p.user, cast.patient_p, kind)
    assert "Forms not signed" not in client.get(detail).content.decode()


def test_staff_of_the_clinic_download_the_signed_copy_audited(cast: Cast) -> None:
    signature = signed(cast.patient_p.user, cast.patient_p)
    url = reverse("staffarea:paperwork_signed_pdf", args=[signature.pk])
    for who in ("front_desk_a", "auditor"):
        response = client_for(cast.users[who]).get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(events(object_type="signature", action="export")) == 2


def test_the_other_clinics_staff_see_nothing_of_it(cast: Cast) -> None:
    signature = signed(cast.patient_p.user, cast.patient_p)
    client = client_for(cast.therapist_b)
    assert client.get(
        reverse("staffarea:paperwork_signed_pdf", args=[signature.pk])
    ).status_code == 404  # fmt: skip
    assert client.get(
        reverse("staffarea:patient_paperwork", args=[cast.patient_p.pk])
    ).status_code == 404  # fmt: skip
    assert client.post(desk_url(cast), desk_data()).status_code == 404
    assert Signature.objects.count() == 1


def test_the_auditor_reads_the_forms_but_takes_no_signature(cast: Cast) -> None:
    client = client_for(cast.auditor)
    page = client.get(reverse("staffarea:patient_paperwork", args=[cast.patient_p.pk]))
    assert page.status_code == 200 and "Sign at the desk" not in page.content.decode()
    assert client.post(desk_url(cast), desk_data()).status_code == 403
    assert not Signature.objects.exists()
    assert events(object_type="paperwork", reason="list")


def test_a_missing_kept_file_is_a_plain_not_found(cast: Cast) -> None:
    signature = signed(cast.patient_p.user, cast.patient_p)
    Signature.objects.filter(pk=signature.pk).update(pdf_name="../../etc/passwd")
    url = reverse("staffarea:paperwork_signed_pdf", args=[signature.pk])
    assert client_for(cast.front_desk_a).get(url).status_code == 404
