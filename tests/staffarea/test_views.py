"""The staff home of each role (`staffarea.views.dashboard`): here, the biller's."""

from typing import Any

from django.test import Client
from django.urls import reverse


def home_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("staffarea:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_billers_home_lists_the_billing_work_and_only_pages_a_biller_may_open(
    cast: Any,
) -> None:
    page = home_of(cast.biller_a)
    assert "<h1>Billing</h1>" in page
    assert "Charges to review" in page
    assert reverse("staffarea:patient_list") in page
    assert reverse("booking:staff_today", kwargs={"slug": cast.clinic_a.slug}) in page
    assert reverse("booking:staff_today", kwargs={"slug": cast.clinic_b.slug}) not in page
    for closed in ("clinical:caseload", "intake:review_list", "booking:staff_questions",
                   "staffarea:patient_new"):  # fmt: skip
        assert reverse(closed) not in page, closed
    assert reverse("clinical:caseload") in home_of(cast.auditor)
