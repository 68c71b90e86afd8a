"""Clinic managers administer their own clinics only; others cannot enter the admin."""

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.personas import Cast


def signed_in_as(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_sees_only_their_clinics_in_admin(cast: Cast) -> None:
    response = signed_in_as(cast.manager).get(reverse("admin:clinics_clinic_changelist"))
    assert response.status_code == 200
    assert cast.clinic_a.name.encode() in response.content
    assert cast.clinic_b.name.encode() not in response.content


def test_manager_cannot_open_another_clinic_by_id(cast: Cast) -> None:
    url = reverse("admin:clinics_clinic_change", args=[cast.clinic_b.pk])
    response = signed_in_as(cast.manager).get(url)
    assert response.status_code == 302  # the admin redirects away from objects it cannot find
    assert cast.clinic_b.name.encode() not in response.content


def test_manager_changes_opening_hours_of_their_clinic(cast: Cast) -> None:
    url = reverse("admin:clinics_clinic_change", args=[cast.clinic_a.pk])
    client = signed_in_as(cast.manager)
    page = client.get(url)
    assert page.status_code == 200
    assert b"opening_hours-TOTAL_FORMS" in page.content


def test_manager_cannot_add_a_closure_to_another_clinic(cast: Cast) -> None:
    response = signed_in_as(cast.manager).post(
        reverse("admin:clinics_closure_add"),
        {"clinic": cast.clinic_b.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not cast.clinic_b.closures.exists()


def test_staff_who_are_not_managers_cannot_enter_admin(cast: Cast) -> None:
    for user in (cast.therapist_a, cast.front_desk_a, cast.auditor, cast.patient_p.user):
        response = signed_in_as(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_gets_the_admin_login_page(db: None) -> None:
    response = Client().get(reverse("admin:clinics_clinic_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_manager_sees_only_staff_of_their_clinics(cast: Cast) -> None:
    response = signed_in_as(cast.manager).get(reverse("admin:clinics_staffmember_changelist"))
    assert b"Therapist_A" in response.content
    assert b"Therapist_B" not in response.content


def test_owner_sees_every_clinic(cast: Cast) -> None:
    owner = factories.user("owner", is_staff=True, is_superuser=True)
    response = signed_in_as(owner).get(reverse("admin:clinics_clinic_changelist"))
    assert cast.clinic_a.name.encode() in response.content
    assert cast.clinic_b.name.encode() in response.content


def test_manager_adds_a_closure_to_their_clinic(cast: Cast) -> None:
    response = signed_in_as(cast.manager).post(
        reverse("admin:clinics_closure_add"),
        {
            "clinic": cast.clinic_a.pk,
            "start_date": "2026-12-01",
            "end_date": "2026-12-02",
            "reason": "Floor works",
        },
    )
    assert response.status_code == 302
    assert cast.clinic_a.closures.get().reason == "Floor works"


def test_closure_ending_before_it_starts_is_refused(cast: Cast) -> None:
    response = signed_in_as(cast.manager).post(
        reverse("admin:clinics_closure_add"),
        {"clinic": cast.clinic_a.pk, "start_date": "2026-12-05", "end_date": "2026-12-01"},
    )
    assert response.status_code == 200
    assert b"must end on or after" in response.content
    assert not cast.clinic_a.closures.exists()
