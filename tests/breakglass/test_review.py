"""The managers' and auditors' list of break-glass openings of their clinics."""

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.breakglass.conftest import REASON, Scene, open_record, signed_in
from unknot.breakglass import services


def test_managers_and_auditors_see_their_clinics_openings_with_the_reason(scene: Scene) -> None:
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    for user in (scene.cast.manager, scene.cast.auditor):
        page = signed_in(user).get(reverse("breakglass:openings"))
        assert page.status_code == 200
        assert REASON.encode() in page.content
        assert scene.cast.therapist_b.username.encode() in page.content
        assert f"patient={scene.cast.patient_p.pk}".encode() in page.content  # audit link


def test_other_clinics_reviewers_do_not_see_them(scene: Scene) -> None:
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    manager_b = factories.staff("manager_b", "manager", [scene.cast.clinic_b])
    page = signed_in(manager_b).get(reverse("breakglass:openings"))
    assert page.status_code == 200
    assert REASON.encode() not in page.content


def test_clinicians_and_patients_cannot_review(scene: Scene) -> None:
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    for user in (scene.cast.therapist_a, scene.cast.therapist_b, scene.cast.front_desk_a,
                 scene.cast.patient_p.user):  # fmt: skip
        response = signed_in(user).get(reverse("breakglass:openings"))
        assert response.status_code == 403
        assert REASON.encode() not in response.content


def test_the_opener_sees_their_open_accesses(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    page = client.get(reverse("breakglass:start"))
    assert page.status_code == 200
    assert f"Patient #{scene.cast.patient_p.pk}".encode() in page.content
    services.revoke(by=scene.owner, grant=scene.grant, now=timezone.now())
    assert client.get(reverse("breakglass:start")).status_code == 403
