"""Writes of paperwork: publishing a document's new version, and signing.

Publishing is for the managing roles (owner, manager): a changed title or text becomes a new
version and the old ones stay, so what a patient signed is never rewritten. Signing is for
the patient themselves (the portal) or a member of staff who may write at the patient's
clinic, handing over the front desk's tablet (recorded as the witness). Each write is
audited inside its own transaction; bad input is refused with a message and changes nothing.
"""

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import User
from unknot.accounts.roles import MANAGING_ROLES
from unknot.audit.models import Action
from unknot.clinics import times
from unknot.documents import pdf
from unknot.paperwork import storage
from unknot.paperwork.errors import AlreadySigned, PaperworkRefused, VersionChanged
from unknot.paperwork.models import DocumentVersion, PracticeDocument, Signature, SignedHow
from unknot.paperwork.names import name_matches
from unknot.paperwork.selectors import current_version
from unknot.patients.models import Patient
from unknot.patients.selectors import patients_visible_to

PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A drawn signature is a small picture: 150 kB of data URL is far more than a canvas of
# 600 by 200 pixels of black strokes takes, and small enough to keep in a row.
MAX_DRAWN_CHARS = 150_000
MAX_TITLE = 200
MAX_BODY = 20_000


@dataclass(frozen=True)
class DocumentEdit:
    title: str
    body: str
    required: bool
    resign_on_new_version: bool


def document_publish(
    *, by: User, document: PracticeDocument, edit: DocumentEdit, now: dt.datetime
) -> DocumentVersion | None:
    """Saves the document's rules; a changed title or text is published as a new version
    (returned; None when the words did not change)."""
    ensure_may_write(by, "Your role may not change the practice's documents.")
    if staff_role(by) not in MANAGING_ROLES:
        raise PermissionDenied("Only the practice owner or a clinic manager edits documents.")
    # Browsers send a textarea's lines with CRLF: the same words are the same version.
    title, body = edit.title.strip(), edit.body.replace("\r\n", "\n").strip()
    if not title or not body:
        raise PaperworkRefused("Please give the document a title and its text.", "empty")
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise PaperworkRefused("The title or the text is too long.", "too_long")
    with transaction.atomic():
        document = PracticeDocument.objects.select_for_update().get(pk=document.pk)
        document.required = edit.required
        document.resign_on_new_version = edit.resign_on_new_version
        document.save(update_fields=["required", "resign_on_new_version"])
        newest = document.versions.order_by("-number").first()
        published = None
        if newest is None or (newest.title, newest.body.strip()) != (title, body):
            published = DocumentVersion.objects.create(
                document=document, number=(newest.number + 1) if newest else 1,
                title=title, body=body, published_at=now, published_by=by,
            )  # fmt: skip
        audit.record(
            Action.UPDATE, by=by, object_type="practice_document", object_id=document.pk,
            reason="new_version" if published else "rules",
        )  # fmt: skip
    return published


@dataclass(frozen=True)
class Signing:
    """What the signer gave: the version they read (its id, from the form), their typed
    name, that they have read it, and an optional drawn signature (a PNG data URL)."""

    version_id: int
    typed_name: str
    has_read: bool
    drawn_signature: str = ""


def _check_drawn(drawn: str) -> str:
    drawn = drawn.strip()
    if not drawn:
        return ""
    if len(drawn) > MAX_DRAWN_CHARS:
        raise PaperworkRefused(
            "The drawn signature is too large. Please clear it and sign again, or leave it "
            "out: the typed name is enough.", "drawn_too_large",
        )  # fmt: skip
    try:
        raw = base64.b64decode(drawn.removeprefix(PNG_DATA_URL), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not drawn.startswith(PNG_DATA_URL) or not raw.startswith(PNG_MAGIC):
        raise PaperworkRefused(
            "The drawn signature could not be read. Please clear it and sign again, or leave "
            "it out: the typed name is enough.", "drawn_unreadable",
        )  # fmt: skip
    return drawn


def _check_signing(patient: Patient, signing: Signing) -> tuple[DocumentVersion, str, str]:
    """The version being signed (the current one), the typed name and the drawn picture."""
    typed = " ".join(signing.typed_name.split())
    if not typed:
        raise PaperworkRefused("Please type your full name to sign.", "no_name")
    if len(typed) > 200:
        raise PaperworkRefused("The typed name is too long.", "name_too_long")
    if not name_matches(typed, patient.first_name, patient.last_name):
        raise PaperworkRefused(
            f"The typed name does not match the name on the record, {patient.full_name}. "
            "Please type the full name as it is on the record.", "name_mismatch",
        )  # fmt: skip
    if not signing.has_read:
        raise PaperworkRefused("Please tick the box to say you have read the form.", "not_read")
    version = DocumentVersion.objects.select_related("document").filter(
        pk=signing.version_id
    ).first()  # fmt: skip
    current = current_version(version.document.kind) if version else None
    if version is None or current is None or current.pk != version.pk:
        raise VersionChanged()
    return version, typed, _check_drawn(signing.drawn_signature)


def _ensure_may_sign(by: User, patient: Patient) -> tuple[str, User | None]:
    """How the signing is recorded (portal or tablet) and its witness."""
    if staff_role(by) is not None:
        ensure_may_write(by, "Your role may not take signatures.")
        if not patients_visible_to(by).filter(pk=patient.pk).exists():
            raise PermissionDenied("Not a patient of your clinics.")
        return SignedHow.TABLET, by
    if patient.user_id is None or patient.user_id != by.pk:
        raise PermissionDenied("Only the patient signs their own forms.")
    return SignedHow.PORTAL, None


def sign(*, by: User, patient: Patient, signing: Signing, now: dt.datetime) -> Signature:
    """Records the signing and keeps the PDF of what was signed."""
    how, witness = _ensure_may_sign(by, patient)
    version, typed, drawn = _check_signing(patient, signing)
    signature = Signature(
        patient=patient, version=version, typed_name=typed,
        signed_on=times.clinic_day(now, patient.preferred_clinic), how=how,
        drawn_signature=drawn, witnessed_by=witness, created_at=now,
    )  # fmt: skip
    content = pdf.render_pdf("paperwork/pdf/signed.html", pdf_context(signature))
    name, digest = storage.keep(content)
    try:
        with transaction.atomic():
            Patient.objects.select_for_update().filter(pk=patient.pk).first()
            if Signature.objects.filter(patient=patient, version=version).exists():
                raise AlreadySigned()
            signature.pdf_name, signature.pdf_sha256 = name, digest
            signature.save()
            audit.record(
                Action.CREATE, by=by, object_type="signature", object_id=signature.pk,
                patient_id=patient.pk, clinic_id=patient.preferred_clinic_id, reason=how,
            )  # fmt: skip
    except BaseException:
        storage.forget(name)
        raise
    return signature


def pdf_context(signature: Signature) -> dict[str, object]:
    return {"signature": signature, "version": signature.version, "patient": signature.patient}
