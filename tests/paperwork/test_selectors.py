"""What a patient has still to sign: each required document's current version, except that a
document not asking for new versions to be signed again stays signed once any version is.
And who may see a signature."""

import pytest
from django.http import Http404
from django.utils import timezone

from tests.paperwork.support import signed
from tests.personas import Cast
from unknot.paperwork import selectors, services
from unknot.paperwork.models import PracticeDocument

pytestmark = pytest.mark.django_db


def kinds(versions: list) -> list[str]:  # type: ignore[type-arg]
    return [v.document.kind for v in versions]


def republish(cast: Cast, kind: str) -> None:
    document = PracticeDocument.objects.get(kind=kind)
    edit = services.DocumentEdit(
        title="New title", body="New text.", required=document.required,
        resign_on_new_version=document.resign_on_new_version,
    )  # fmt: skip
    services.document_publish(by=cast.manager, document=document, edit=edit, now=timezone.now())


def test_every_required_document_is_outstanding_until_signed(cast: Cast) -> None:
    patient = cast.patient_p
    assert kinds(selectors.outstanding_for(patient)) == ["consent", "privacy", "financial"]
    signed(patient.user, patient, "privacy")
    assert kinds(selectors.outstanding_for(patient)) == ["consent", "financial"]
    assert selectors.missing_words(selectors.outstanding_for(patient)) == (
        "Consent to treat, Financial and cancellation policy"
    )


def test_a_new_consent_must_be_signed_again(cast: Cast) -> None:
    patient = cast.patient_p
    signed(patient.user, patient, "consent")
    assert "consent" not in kinds(selectors.outstanding_for(patient))
    republish(cast, "consent")
    assert "consent" in kinds(selectors.outstanding_for(patient))


def test_a_new_privacy_notice_does_not_ask_for_a_new_acknowledgement(cast: Cast) -> None:
    patient = cast.patient_p
    signed(patient.user, patient, "privacy")
    republish(cast, "privacy")
    assert "privacy" not in kinds(selectors.outstanding_for(patient))


def test_a_document_not_required_is_never_outstanding(cast: Cast) -> None:
    PracticeDocument.objects.filter(kind="financial").update(required=False)
    assert "financial" not in kinds(selectors.outstanding_for(cast.patient_p))


def test_outstanding_for_many_patients_takes_two_queries(
    cast: Cast, django_assert_num_queries: object
) -> None:
    signed(cast.patient_p.user, cast.patient_p, "consent")
    ids = [cast.patient_p.pk, cast.patient_q.pk]
    with django_assert_num_queries(2):  # type: ignore[operator]
        found = selectors.outstanding_by_patient(ids)
    assert kinds(found[cast.patient_p.pk]) == ["privacy", "financial"]
    assert len(found[cast.patient_q.pk]) == 3


def test_a_signature_is_seen_by_its_patient_and_their_clinic_only(cast: Cast) -> None:
    signature = signed(cast.patient_p.user, cast.patient_p)
    for who in ("patient_p", "front_desk_a", "auditor", "manager"):
        assert selectors.get_signature_for(cast.users[who], signature.pk) == signature
    for who in ("patient_q", "therapist_b"):
        with pytest.raises(Http404):
            selectors.get_signature_for(cast.users[who], signature.pk)
