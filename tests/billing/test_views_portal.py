"""The portal's bills: a patient sees their own visits, payments, what awaits their insurer and
what they owe, and downloads their statement and superbill; never another patient's."""

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.audit.support import client_for
from tests.billing.support import charges, covered, payer
from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text
from unknot.billing import ledger
from unknot.billing.models import PaymentMethod

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


def page_text(answer: Any) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", answer.content.decode()).split())


def test_what_awaits_medicare_is_not_asked_of_the_patient(cast: Cast, tmp_path: Path) -> None:
    medicare = payer(cast)
    (billed,) = charges(cast, ("170.00", 20), coverage=covered(cast.patient_p, medicare))
    charges(cast, ("25.00", 5))  # self-pay
    page = page_text(client_for(cast.patient_p.user).get(reverse("portal:bills")))
    assert "Awaiting Medicare Part B $170.00" in page and "You owe $25.00" in page
    assert "Balance due" not in page
    statement = client_for(cast.patient_p.user).get(reverse("portal:statement_pdf")).content
    text = pdf_text(statement, tmp_path)
    assert "Awaiting Medicare Part B: $170.00" in text and "You owe: $25.00" in text
    payment = ledger.PaymentInput(
        clinic=cast.clinic_a, method=PaymentMethod.INSURER, amount=Decimal("136.00"),
        received_on=billed.service_date, patient=cast.patient_p, payer=medicare,
        split=[(billed.pk, Decimal("136.00"))],
    )  # fmt: skip
    ledger.payment_record(by=cast.biller_a, data=payment)  # Medicare paid 80%
    page = page_text(client_for(cast.patient_p.user).get(reverse("portal:bills")))
    assert "Awaiting" not in page and "You owe $59.00" in page  # 34 + 25
    text = pdf_text(client_for(cast.patient_p.user).get(reverse("portal:statement_pdf")).content,
                    tmp_path)  # fmt: skip
    assert "Awaiting" not in text and "You owe: $59.00" in text
