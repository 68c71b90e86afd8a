"""The portal's bills: a patient sees their own visits, payments and balance, and downloads
their statement and superbill; never another patient's."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.audit.support import client_for
from tests.billing.support import charges
from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text

pytestmark = pytest.mark.django_db


def test_a_patient_sees_their_own_bills_and_superbill(cast: Cast, tmp_path: Path) -> None:
    charges(cast, ("95.00", 4))
    page = client_for(cast.patient_p.user).get(reverse("portal:bills")).content.decode()
    assert "$95.00" in page and "Superbill" in page
    superbill = client_for(cast.patient_p.user).get(reverse("portal:superbill_pdf"))
    assert superbill["Content-Type"] == "application/pdf"
    assert "Penny Parker" in pdf_text(superbill.content, tmp_path)


def test_another_patient_sees_none_of_them(cast: Cast, tmp_path: Path) -> None:
    charges(cast, ("95.00", 4))
    page = client_for(cast.patient_q.user).get(reverse("portal:bills")).content.decode()
    assert "$95.00" not in page and "Nothing has been billed yet." in page
    text = pdf_text(client_for(cast.patient_q.user).get(reverse("portal:statement_pdf")).content,
                    tmp_path)  # fmt: skip
    assert "Penny" not in text and "Quentin Quill" in text


def test_the_portal_home_links_the_bills(cast: Cast) -> None:
    page = client_for(cast.patient_p.user).get(reverse("portal:home")).content.decode()
    assert reverse("portal:bills") in page
