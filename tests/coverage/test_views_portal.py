"""The patient's own insurance in the portal: what is on file, adding theirs (a payer from the
practice's list, the card's images), saying they pay themselves; linked from the portal's
home and the intake's last page; another patient's coverage and card stay out of reach."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.audit.support import client_for, events
from tests.coverage.support import JPEG, SCRIPT, details, form_data, payer, stored_files
from tests.personas import Cast
from unknot.coverage import cards, services
from unknot.coverage.models import Coverage, SelfPay
from unknot.coverage.services import CardImages

pytestmark = pytest.mark.django_db

MINE = reverse("portal:coverage")
ADD = reverse("portal:coverage_add")


def test_the_portal_home_links_to_my_insurance(cast: Cast) -> None:
    page = client_for(cast.patient_p.user).get(reverse("portal:home")).content.decode()
    assert MINE in page


def test_a_patient_adds_their_insurance_with_the_cards_front(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    client = client_for(cast.patient_p.user)
    form = client.get(ADD).content.decode()
    assert "Medicare Part B" in form and 'enctype="multipart/form-data"' in form
    card = SimpleUploadedFile("card.jpg", JPEG, content_type="image/jpeg")
    response = client.post(ADD, form_data(medicare) | {"card_front": card})
    assert response.status_code == 302
    coverage = Coverage.objects.get(patient=cast.patient_p)
    assert coverage.entered_by == cast.patient_p.user and coverage.card_front
    page = client.get(MINE).content.decode()
    assert "1EG4-TE5-MK73" in page
    assert reverse("portal:coverage_card", args=[coverage.pk, "front"]) in page
    # the patient never sees the staff's links to change it
    assert reverse("staffarea:coverage_edit", args=[coverage.pk]) not in page


def test_a_disguised_script_is_refused_in_the_portal_too(cast: Cast) -> None:
    medicare = payer(cast.clinic_a.practice)
    card = SimpleUploadedFile("card.png", SCRIPT, content_type="image/png")
    response = client_for(cast.patient_p.user).post(ADD, form_data(medicare) | {"card_front": card})
    assert response.status_code == 200 and "JPEG or PNG" in response.content.decode()
    assert not Coverage.objects.exists() and stored_files() == []


def test_a_patient_says_they_pay_themselves(cast: Cast) -> None:
    client = client_for(cast.patient_p.user)
    response = client.post(reverse("portal:coverage_self_pay"))
    assert response.status_code == 302
    assert SelfPay.objects.get(patient=cast.patient_p).recorded_by == cast.patient_p.user
    assert events(object_type="self_pay", reason="declared", patient_id=cast.patient_p.pk)
    assert "I pay for my care myself" not in client.get(MINE).content.decode()


def test_another_patients_card_is_404_and_their_own_is_served(cast: Cast) -> None:
    coverage = services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p,
        details=details(payer(cast.clinic_a.practice)),
        images=CardImages(front=cards.checked(JPEG)),
    )  # fmt: skip
    card = reverse("portal:coverage_card", args=[coverage.pk, "front"])
    assert client_for(cast.patient_q.user).get(card).status_code == 404
    assert "1EG4-TE5-MK73" not in client_for(cast.patient_q.user).get(MINE).content.decode()
    own = client_for(cast.patient_p.user).get(card)
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    assert own["X-Content-Type-Options"] == "nosniff"
    assert events(object_type="coverage_card", patient_id=cast.patient_p.pk)


def test_a_patient_cannot_choose_a_payer_off_the_list(cast: Cast) -> None:
    from unknot.clinics.models import Practice

    elsewhere = payer(Practice.objects.create(name="Another practice"))
    response = client_for(cast.patient_p.user).post(ADD, form_data(elsewhere))
    assert response.status_code == 200 and not Coverage.objects.exists()


def test_self_pay_is_refused_while_a_coverage_is_in_force(cast: Cast) -> None:
    since_long_ago = details(payer(cast.clinic_a.practice), effective_from=dt.date(2020, 1, 1))
    services.coverage_add(by=cast.front_desk_a, patient=cast.patient_p, details=since_long_ago)
    client = client_for(cast.patient_p.user)
    response = client.post(reverse("portal:coverage_self_pay"), follow=True)
    assert "There is a coverage in force on that day" in response.content.decode()
    assert not SelfPay.objects.exists()
