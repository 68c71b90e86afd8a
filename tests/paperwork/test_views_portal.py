"""The patient's forms in the portal: "Forms to sign" on the home page, each form read then
signed, the signed copies downloaded (their own only), every step audited."""

import pytest
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.paperwork.support import png_data_url, signed
from tests.personas import Cast
from unknot.paperwork import selectors
from unknot.paperwork.models import Signature, SignedHow

pytestmark = pytest.mark.django_db

SIGN = reverse("portal:paperwork_sign", args=["consent"])


CURRENT = "current"  # stands for the current version's id, known once the database is there


def form_data_of(typed: str = "penny parker", **overrides: str) -> dict[str, str]:
    return {"version_id": CURRENT, "typed_name": typed, "has_read": "on"} | overrides


def resolved(data: dict[str, str]) -> dict[str, str]:
    if data.get("version_id") != CURRENT:
        return data
    version = selectors.current_version("consent")
    assert version is not None
    return data | {"version_id": str(version.pk)}


def form_data(typed: str = "penny parker", **overrides: str) -> dict[str, str]:
    return resolved(form_data_of(typed, **overrides))


def test_the_home_lists_the_forms_to_sign_until_they_are_signed(cast: Cast) -> None:
    client = client_for(cast.patient_p.user)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Forms to sign" in home and f'href="{SIGN}"' in home
    for kind in ("consent", "privacy", "financial"):
        signed(cast.patient_p.user, cast.patient_p, kind)
    assert "Forms to sign" not in client.get(reverse("portal:home")).content.decode()


def test_the_form_shows_the_text_the_name_on_record_and_the_date(cast: Cast) -> None:
    page = client_for(cast.patient_p.user).get(SIGN).content.decode()
    assert "I ask the physical therapists of this practice to evaluate and treat me." in page
    assert "As on the record: Penny Parker" in page
    assert "I have read this form" in page and "Date: " in page
    assert "paperwork/signature-pad.js" in page and "data-signature-pad hidden" in page


def test_the_patient_signs_and_downloads_the_signed_copy(cast: Cast) -> None:
    client = client_for(cast.patient_p.user)
    response = client.post(SIGN, form_data(drawn_signature=png_data_url()))
    assert response.status_code == 302 and response["Location"] == reverse("portal:paperwork")
    signature = Signature.objects.get()
    assert signature.how == SignedHow.PORTAL and signature.typed_name == "penny parker"
    forms = client.get(reverse("portal:paperwork")).content.decode()
    download = reverse("portal:paperwork_signed_pdf", args=[signature.pk])
    assert download in forms
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["Cache-Control"] == "private, no-store"
    assert events(object_type="signature", action="export", reason="signed_pdf")


def test_a_name_that_does_not_match_is_refused_in_words(cast: Cast) -> None:
    response = client_for(cast.patient_p.user).post(SIGN, form_data("Peggy Parker"))
    assert response.status_code == 200
    assert "The typed name does not match the name on the record, Penny Parker." in (
        response.content.decode()
    )
    assert not Signature.objects.exists()


def test_an_unticked_box_is_refused_in_words(cast: Cast) -> None:
    data = form_data()
    del data["has_read"]
    response = client_for(cast.patient_p.user).post(SIGN, data)
    assert "Please tick the box to say you have read the form." in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (form_data_of(version_id="x"), "This form could not be read."),
        (form_data_of(version_id="99999999999999"), "This form could not be read."),
        ({}, "This form could not be read."),
        (form_data_of(version_id="999999"), "This form was updated while it was open."),
        (form_data_of(drawn_signature="d" * 200_000), "The drawn signature is too large."),
    ],
)
def test_odd_input_changes_nothing_and_answers_in_words(
    cast: Cast, data: dict[str, str], words: str
) -> None:
    response = client_for(cast.patient_p.user).post(SIGN, resolved(data))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Signature.objects.exists()


def test_a_kind_that_does_not_exist_is_not_found(cast: Cast) -> None:
    url = reverse("portal:paperwork_sign", args=["nothing"])
    assert client_for(cast.patient_p.user).get(url).status_code == 404


def test_another_patients_signed_copy_is_not_found(cast: Cast) -> None:
    signature = signed(cast.patient_p.user, cast.patient_p)
    url = reverse("portal:paperwork_signed_pdf", args=[signature.pk])
    assert client_for(cast.patient_q.user).get(url).status_code == 404
    assert events(object_type="signature", outcome="denied")
    own_list = client_for(cast.patient_q.user).get(reverse("portal:paperwork")).content.decode()
    assert url not in own_list and "None yet." in own_list


def test_a_form_already_signed_says_so_instead_of_asking_again(cast: Cast) -> None:
    signed(cast.patient_p.user, cast.patient_p)
    page = client_for(cast.patient_p.user).get(SIGN).content.decode()
    assert "This version was signed on" in page and 'name="typed_name"' not in page
