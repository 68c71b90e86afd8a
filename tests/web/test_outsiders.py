"""Outsiders see none of another clinic's or another patient's data, by id, guess or search."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.personas import Cast


def signed_in_as(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_other_clinic_therapist_gets_404_without_the_patients_name(cast: Cast) -> None:
    url = reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    response = signed_in_as(cast.therapist_b).get(url)
    assert response.status_code == 404
    assert b"Parker" not in response.content


def test_guessed_ids_answer_404_like_missing_ones(cast: Cast) -> None:
    client = signed_in_as(cast.therapist_b)
    for patient_id in (cast.patient_p.pk, cast.patient_p.pk + 1000):
        response = client.get(reverse("staffarea:patient_detail", args=[patient_id]))
        assert response.status_code == 404


def test_search_does_not_cross_clinics(cast: Cast) -> None:
    # The search words are POSTed (never in a URL); the list shows the results after a redirect.
    url = reverse("staffarea:patient_list")
    response = signed_in_as(cast.therapist_b).post(url, {"q": "Penny"}, follow=True)
    assert response.status_code == 200
    assert b"Parker" not in response.content
    mine = signed_in_as(cast.therapist_b).post(url, {"q": "Quentin"}, follow=True)
    assert b"Quill" in mine.content


def test_clinic_staff_page_lists_only_its_own_patients(cast: Cast) -> None:
    response = signed_in_as(cast.therapist_a).get(
        reverse("staffarea:clinic_detail", args=[cast.clinic_a.slug])
    )
    assert b"Parker" in response.content
    assert b"Quill" not in response.content


def test_dashboard_lists_only_my_clinics(cast: Cast) -> None:
    response = signed_in_as(cast.therapist_a).get(reverse("staffarea:dashboard"))
    assert cast.clinic_a.name.encode() in response.content
    assert cast.clinic_b.name.encode() not in response.content


def test_patient_sees_only_their_own_record(cast: Cast) -> None:
    response = signed_in_as(cast.patient_q.user).get(reverse("portal:home"))
    assert b"Quentin" in response.content
    assert b"Parker" not in response.content


def test_staff_cannot_file_a_patient_at_another_clinic(cast: Cast) -> None:
    before = cast.clinic_b.patients.count()
    response = signed_in_as(cast.therapist_a).post(
        reverse("staffarea:patient_new"),
        {
            "first_name": "Nia",
            "last_name": "New",
            "date_of_birth": "1990-01-01",
            "preferred_clinic": cast.clinic_b.pk,
        },
    )
    assert response.status_code == 200  # the form explains the clinic is not a valid choice
    assert b"Select a valid choice" in response.content
    assert cast.clinic_b.patients.count() == before


def test_auditor_cannot_write(cast: Cast) -> None:
    response = signed_in_as(cast.auditor).post(
        reverse("staffarea:patient_edit", args=[cast.patient_p.pk]),
        {
            "first_name": "Changed",
            "last_name": "Parker",
            "date_of_birth": "1985-05-17",
            "preferred_clinic": cast.clinic_a.pk,
        },
    )
    assert response.status_code == 403
    cast.patient_p.refresh_from_db()
    assert cast.patient_p.first_name == "Penny"


def test_inactive_staff_sees_nothing(cast: Cast) -> None:
    cast.therapist_a.is_active = False
    cast.therapist_a.save()
    from unknot.patients.selectors import patients_visible_to

    assert list(patients_visible_to(cast.therapist_a)) == []


@pytest.mark.django_db
def test_staff_member_of_two_clinics_sees_both() -> None:
    one, two = factories.clinic("one"), factories.clinic("two", "America/Chicago")
    member = factories.staff("both", "therapist", [one, two])
    factories.patient("Ada", "One", one)
    factories.patient("Bo", "Two", two)
    response = signed_in_as(member).get(reverse("staffarea:patient_list"))
    assert b"One" in response.content and b"Two" in response.content
