"""The staff's account pages: the balance, taking a payment, adjusting, the ageing report and
its CSV, the statement and superbill PDFs; the other clinic's desk and the wrong roles get
nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories
from tests.audit.support import client_for
from tests.billing.support import charges, covered, payer
from tests.billing.test_views_portal import page_text
from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text
from unknot.billing.models import Adjustment, Payment
from unknot.patients.models import Patient, Sex

pytestmark = pytest.mark.django_db


def url(name: str, cast: Cast) -> str:
    return reverse(f"staffarea:{name}", kwargs={"patient_id": cast.patient_p.pk})


def test_the_account_shows_each_visit_and_the_balance_due(cast: Cast) -> None:
    charges(cast, ("120.00", 10), ("80.50", 3))
    page = client_for(cast.front_desk_a).get(url("patient_account", cast)).content.decode()
    assert "$120.00" in page and "$80.50" in page
    assert "$200.50" in page  # the balance due
    assert "Self-pay" in page and "97110 × 2" in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Adjustments" not in title and page.count('id="adjustments-heading"') == 1


def test_the_account_shows_what_awaits_medicare_apart_from_what_the_patient_owes(
    cast: Cast,
) -> None:
    (billed,) = charges(cast, ("170.00", 20), coverage=covered(cast.patient_p, payer(cast)))
    charges(cast, ("25.00", 5))
    page = page_text(client_for(cast.front_desk_a).get(url("patient_account", cast)))
    assert "Awaiting Medicare Part B $170.00" in page and "Patient owes $25.00" in page
    assert "$0.00 $0.00 Awaiting Medicare Part B $170.00" in page  # the visit's row: whose
    # Medicare put it all to the deductible: the billing office bills the patient, $0.00 off.
    form = page_text(client_for(cast.manager).get(url("adjustment_add", cast)))
    assert '"Insurer answered: bill the patient" takes off $0.00' in form
    bill_patient = {"charge": billed.pk, "amount": "0.00", "reason": "to_patient"}
    client_for(cast.manager).post(url("adjustment_add", cast), bill_patient)
    page = page_text(client_for(cast.front_desk_a).get(url("patient_account", cast)))
    assert "Awaiting" not in page and "Patient owes $195.00" in page
    assert "Insurer answered: bill the patient $0.00" in page  # in the adjustments


def test_the_desk_takes_a_payment_and_the_balance_drops(cast: Cast) -> None:
    charges(cast, ("120.00", 10))
    form = {"method": "card", "amount": "50.00", "received_on": "03/03/2031", "reference": "A1"}
    answer = client_for(cast.front_desk_a).post(url("payment_add", cast), form, follow=True)
    page = answer.content.decode()
    assert "Payment of $50.00 recorded." in page and "$70.00" in page
    assert Payment.objects.get().allocations.get().amount == Decimal("50.00")


@pytest.mark.parametrize("amount", ["0", "-3", "ten", "1e9", "12.345"])
def test_a_bad_amount_is_a_message_and_writes_nothing(cast: Cast, amount: str) -> None:
    charges(cast, ("120.00", 10))
    form = {"method": "cash", "amount": amount, "received_on": "03/03/2031"}
    answer = client_for(cast.front_desk_a).post(url("payment_add", cast), form)
    assert answer.status_code == 200 and b"errorlist" in answer.content
    assert not Payment.objects.exists()


def test_the_desk_cannot_post_an_insurers_payment(cast: Cast) -> None:
    page = client_for(cast.front_desk_a).get(url("payment_add", cast)).content.decode()
    assert "Insurance payment" not in page
    form = {"method": "insurer", "amount": "5.00", "received_on": "03/03/2031"}
    client_for(cast.front_desk_a).post(url("payment_add", cast), form)
    assert not Payment.objects.exists()


def test_the_billing_office_adjusts_within_the_balance(cast: Cast) -> None:
    (charge,) = charges(cast, ("120.00", 10))
    too_much = {"charge": charge.pk, "amount": "130.00", "reason": "contractual"}
    answer = client_for(cast.manager).post(url("adjustment_add", cast), too_much)
    assert "more than the $120.00 still owed" in answer.content.decode()
    right = too_much | {"amount": "20.00", "note": "contract rate"}
    client_for(cast.manager).post(url("adjustment_add", cast), right)
    assert Adjustment.objects.get().amount == Decimal("20.00")


def test_the_ageing_report_and_its_csv(cast: Cast) -> None:
    charges(cast, ("120.00", 10), ("30.00", 45))
    ageing = reverse("staffarea:ageing_report") + "?date=03/03/2031"
    page = client_for(cast.manager).get(ageing).content.decode()
    assert "$120.00" in page and "$30.00" in page and "$150.00" in page
    csv = client_for(cast.manager).get(ageing + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Patient,120.00,30.00,0.00,0.00" in csv.content.decode()


def test_the_superbill_names_the_codes_the_providers_and_the_practice(
    cast: Cast, tmp_path: Path
) -> None:
    practice = cast.clinic_a.practice
    practice.npi, practice.tax_id = "1234567893", "12-3456789"
    practice.save()
    charges(cast, ("120.00", 10))
    Patient.objects.filter(pk=cast.patient_p.pk).update(sex=Sex.FEMALE, address_line2="Apt 4")
    answer = client_for(cast.front_desk_a).get(url("superbill_pdf", cast))
    text = pdf_text(answer.content, tmp_path)
    for shown in ("Superbill", "Penny Parker", "M54.50", "97110", "GP", "1234567893",
                  "12-3456789", "$120.00", "Sex: Female",
                  "12 Elm Street Apt 4 Albany, NY 12207"):  # fmt: skip
        assert shown in text, shown
    statement = pdf_text(client_for(cast.front_desk_a).get(url("statement_pdf", cast)).content,
                         tmp_path)  # fmt: skip
    assert "You owe: $120.00" in statement and "Awaiting" not in statement  # self-pay
    assert "Albany, NY 12207" in statement


def test_the_other_clinics_desk_and_the_wrong_roles_see_nothing(cast: Cast) -> None:
    charges(cast, ("120.00", 10))
    desk_b = factories.staff("desk_b", "front_desk", [cast.clinic_b])
    for name in ("patient_account", "payment_add", "statement_pdf", "superbill_pdf"):
        assert client_for(desk_b).get(url(name, cast)).status_code == 404, name
        assert client_for(cast.therapist_a).get(url(name, cast)).status_code == 403, name
    assert client_for(cast.front_desk_a).get(url("adjustment_add", cast)).status_code == 403
    assert client_for(cast.front_desk_a).get(reverse("staffarea:ageing_report")).status_code == 403
    form = {"method": "cash", "amount": "5.00", "received_on": "03/03/2031"}
    assert client_for(desk_b).post(url("payment_add", cast), form).status_code == 404
    assert not Payment.objects.exists()


def test_the_patient_page_links_the_account_for_those_who_take_payments(cast: Cast) -> None:
    detail = url("patient_detail", cast)
    assert "Account and payments" in client_for(cast.front_desk_a).get(detail).content.decode()
    assert "Account and payments" not in client_for(cast.therapist_a).get(detail).content.decode()
