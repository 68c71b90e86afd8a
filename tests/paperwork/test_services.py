"""Publishing documents and signing them: a new version keeps the old ones; a signing needs
the record's name, the "I have read" box and the current version, keeps a PDF of what was
signed, and is the patient's own (portal) or witnessed by staff of the patient's clinic."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.audit.support import events
from tests.paperwork.support import png_data_url, signed, signing
from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text
from unknot.paperwork import selectors, services, storage
from unknot.paperwork.errors import AlreadySigned, PaperworkRefused, VersionChanged
from unknot.paperwork.models import DocumentVersion, PracticeDocument, Signature, SignedHow

pytestmark = pytest.mark.django_db


def publish(by: Any, kind: str = "consent", body: str = "New words.", **rules: Any) -> Any:
    document = PracticeDocument.objects.get(kind=kind)
    current = selectors.current_version(kind)
    assert current is not None
    edit = services.DocumentEdit(
        title=rules.pop("title", current.title), body=body,
        required=rules.pop("required", True),
        resign_on_new_version=rules.pop("resign", document.resign_on_new_version),
    )  # fmt: skip
    return services.document_publish(by=by, document=document, edit=edit, now=timezone.now())


def test_a_fresh_practice_has_the_three_documents() -> None:
    current = selectors.current_versions()
    assert list(current) == ["consent", "privacy", "financial"]
    assert all(v.number == 1 and v.body for v in current.values())


def test_a_changed_text_is_a_new_version_and_the_old_one_stays(cast: Cast) -> None:
    first = selectors.current_version("consent")
    second = publish(cast.manager, body="Plainer words.")
    assert second is not None and second.number == 2
    assert selectors.current_version("consent") == second
    assert DocumentVersion.objects.get(pk=first.pk).body == first.body  # type: ignore[union-attr]
    assert events(object_type="practice_document", reason="new_version")


def test_saving_the_same_words_changes_only_the_rules(cast: Cast) -> None:
    current = selectors.current_version("privacy")
    assert current is not None
    assert publish(cast.manager, "privacy", body=current.body, resign=True) is None
    assert PracticeDocument.objects.get(kind="privacy").resign_on_new_version
    assert selectors.current_version("privacy") == current


def test_an_empty_text_is_refused_and_changes_nothing(cast: Cast) -> None:
    with pytest.raises(PaperworkRefused, match="title and its text"):
        publish(cast.manager, body="   ")
    assert DocumentVersion.objects.filter(document__kind="consent").count() == 1


@pytest.mark.parametrize("who", ["therapist_a", "front_desk_a", "auditor"])
def test_only_the_owner_or_a_manager_publishes(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        publish(cast.users[who])
    assert DocumentVersion.objects.filter(document__kind="consent").count() == 1


def test_the_patient_signs_in_the_portal_and_the_pdf_is_kept(cast: Cast) -> None:
    patient = cast.patient_p
    signature = signed(patient.user, patient, drawn_signature=png_data_url())
    assert signature.how == SignedHow.PORTAL and signature.witnessed_by is None
    assert signature.typed_name == "Penny Parker"
    content = storage.read(signature.pdf_name)
    assert content is not None and content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == signature.pdf_sha256
    assert (Path(storage.folder()) / signature.pdf_name).is_file()
    assert signature.drawn_signature.startswith("data:image/png;base64,")
    assert events(object_type="signature", action="create", reason="portal")


def test_the_front_desk_takes_a_signature_on_the_tablet_as_witness(cast: Cast) -> None:
    signature = signed(cast.front_desk_a, cast.patient_p, "financial")
    assert signature.how == SignedHow.TABLET
    assert signature.witnessed_by == cast.front_desk_a


def test_a_name_that_does_not_match_is_refused_and_nothing_is_kept(cast: Cast) -> None:
    patient = cast.patient_p
    with pytest.raises(PaperworkRefused, match="does not match the name on the record, Penny"):
        services.sign(
            by=patient.user, patient=patient, signing=signing("consent", "Peggy Parker"),
            now=timezone.now(),
        )  # fmt: skip
    assert not Signature.objects.exists()
    assert not storage.folder().exists() or not any(storage.folder().iterdir())


def test_the_box_must_be_ticked(cast: Cast) -> None:
    with pytest.raises(PaperworkRefused, match="tick the box"):
        signed(cast.patient_p.user, cast.patient_p, has_read=False)


@pytest.mark.parametrize(
    ("drawn", "words"),
    [
        ("data:image/png;base64," + "A" * services.MAX_DRAWN_CHARS, "too large"),
        ("data:image/svg+xml;base64,PHN2Zz4=", "could not be read"),
        ("data:image/png;base64,not base64!", "could not be read"),
        ("data:image/png;base64,aGVsbG8=", "could not be read"),  # "hello", not a PNG
    ],
)
def test_a_drawn_signature_that_is_not_a_small_png_is_refused(
    cast: Cast, drawn: str, words: str
) -> None:
    with pytest.raises(PaperworkRefused, match=words):
        signed(cast.patient_p.user, cast.patient_p, drawn_signature=drawn)
    assert not Signature.objects.exists()


def test_a_version_replaced_while_reading_is_refused(cast: Cast) -> None:
    old = signing("consent", "Penny Parker")
    publish(cast.manager)
    with pytest.raises(VersionChanged):
        services.sign(
            by=cast.patient_p.user, patient=cast.patient_p, signing=old, now=timezone.now()
        )


def test_a_version_is_signed_once(cast: Cast) -> None:
    signed(cast.patient_p.user, cast.patient_p)
    with pytest.raises(AlreadySigned):
        signed(cast.front_desk_a, cast.patient_p)
    assert Signature.objects.count() == 1


def test_another_patient_cannot_sign_for_someone(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        signed(cast.patient_q.user, cast.patient_p)


@pytest.mark.parametrize("who", ["therapist_b", "auditor"])
def test_other_clinics_staff_and_read_only_roles_cannot_take_a_signature(
    cast: Cast, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        signed(cast.users[who], cast.patient_p)
    assert not Signature.objects.exists()


def test_the_signed_pdf_says_what_was_signed_by_whom_and_how(cast: Cast, tmp_path: Path) -> None:
    signature = signed(cast.front_desk_a, cast.patient_p, "financial")
    content = storage.read(signature.pdf_name)
    assert content is not None
    text = " ".join(pdf_text(content, tmp_path).split())
    assert "Financial and cancellation policy" in text and "version 1" in text
    assert "Typed name Penny Parker" in text and "Witnessed by" in text
    assert "On the front desk's tablet" in text
    assert "Please give at least 24 hours' notice" in text
