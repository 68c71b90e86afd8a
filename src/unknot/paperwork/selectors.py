"""Reads of paperwork: the documents' current versions (the practice's own texts, not health
data), and who signed what (health data: staff see their clinics' patients', a patient their
own, through the access helpers below, which record the read in the audit trail).

"Outstanding" is the one rule of what a patient still has to sign: each required document
whose current version they have not signed, except that a document which does not ask for
each new version to be signed again counts as signed once any version of it is.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import AnyUser
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.paperwork.models import DocumentKind, DocumentVersion, PracticeDocument, Signature
from unknot.patients.hooks import PageFlag
from unknot.patients.models import Patient
from unknot.patients.selectors import patients_visible_to


def current_versions() -> dict[str, DocumentVersion]:
    """Each document kind's newest version, in the kinds' order (one query)."""
    rows = DocumentVersion.objects.select_related("document").order_by("document_id", "-number")
    newest: dict[str, DocumentVersion] = {}
    for version in rows:
        newest.setdefault(version.document.kind, version)
    return {kind: newest[kind] for kind in DocumentKind.values if kind in newest}


def current_version(kind: str) -> DocumentVersion | None:
    return current_versions().get(kind)


def versions_of(document: PracticeDocument) -> list[DocumentVersion]:
    return list(document.versions.order_by("-number"))


def _counts(signature: Signature, current: DocumentVersion) -> bool:
    """Does this signature stand for the document's current version?"""
    if signature.version_id == current.pk:
        return True
    return (
        signature.version.document_id == current.document_id
        and not current.document.resign_on_new_version
    )


def outstanding_by_patient(patient_ids: Iterable[int]) -> dict[int, list[DocumentVersion]]:
    """For each patient, the current versions of required documents still to sign (two
    queries however many patients; none for no patients). Patients with nothing outstanding
    are left out."""
    ids = list(patient_ids)
    if not ids:
        return {}
    required = [v for v in current_versions().values() if v.document.required]
    if not required:
        return {}
    signed: dict[int, list[Signature]] = {}
    rows = Signature.objects.filter(
        patient_id__in=ids, version__document__in=[v.document_id for v in required]
    ).select_related("version")
    for signature in rows:
        signed.setdefault(signature.patient_id, []).append(signature)
    found: dict[int, list[DocumentVersion]] = {}
    for patient_id in ids:
        missing = [
            v for v in required if not any(_counts(s, v) for s in signed.get(patient_id, []))
        ]
        if missing:
            found[patient_id] = missing
    return found


def outstanding_for(patient: Patient) -> list[DocumentVersion]:
    return outstanding_by_patient([patient.pk]).get(patient.pk, [])


def missing_words(versions: Iterable[DocumentVersion]) -> str:
    """ "Consent to treat, Financial and cancellation policy": what staff read."""
    return ", ".join(v.document.get_kind_display() for v in versions)


def signatures_visible_to(user: AnyUser) -> QuerySet[Signature]:
    """Staff: their clinics' patients' signatures. Patients: their own. Nobody else: none."""
    base = Signature.objects.select_related(
        "patient__preferred_clinic", "version__document", "witnessed_by"
    )
    return base.filter(patient__in=patients_visible_to(user))


def signed_already(user: AnyUser, patient: Patient, version: DocumentVersion) -> Signature | None:
    """The patient's signature of this very version, if they signed it (as `user` may see)."""
    return signatures_visible_to(user).filter(patient=patient, version=version).first()


def get_signature_for(user: AnyUser, signature_id: int) -> Signature:
    """The access helper for signatures: the row, or 404 when the user may not see it."""
    return one_visible_or_404(signatures_visible_to(user), user, "signature", signature_id)


def get_document_for_rw(user: AnyUser, kind: str) -> PracticeDocument:
    """A document to edit (the practice's own text, not health data, so not audited as a
    read): 404 for a kind that does not exist, 403 for a role that may not write."""
    ensure_may_write(user, "Your role may read the practice's documents but not change them.")
    found = PracticeDocument.objects.filter(kind=kind).first()
    if found is None:
        raise Http404("No such document.")
    return found


@dataclass(frozen=True)
class DocumentStatus:
    """One document for one patient: its current version, the signature that stands for it
    (None: still to sign) and every signature of it, newest first."""

    version: DocumentVersion
    standing: Signature | None
    signatures: list[Signature]


def paperwork_of(user: AnyUser, patient: Patient) -> list[DocumentStatus]:
    """The patient's paperwork as `user` may see it (the patient is already visible to them:
    the caller got it from an access helper). The read is recorded."""
    signatures = list(
        signatures_visible_to(user).filter(patient=patient).order_by("-created_at", "-pk")
    )
    audit.record(
        Action.READ, by=user, object_type="paperwork", object_id=patient.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id, reason="list",
    )  # fmt: skip
    rows = []
    for version in current_versions().values():
        mine = [s for s in signatures if s.version.document_id == version.document_id]
        standing = next((s for s in mine if _counts(s, version)), None)
        rows.append(DocumentStatus(version=version, standing=standing, signatures=mine))
    return rows


def to_sign(statuses: list[DocumentStatus]) -> list[DocumentVersion]:
    return [s.version for s in statuses if s.standing is None and s.version.document.required]


def page_flags(user: AnyUser, patient: Patient, now: dt.datetime) -> list[PageFlag]:
    """The staff patient page's flag (patients.hooks): forms still to sign. At most three
    queries."""
    if staff_role(user) is None:
        return []
    missing = outstanding_for(patient)
    # Not for a reader by emergency access: the forms page is for the patient's own clinics.
    if not missing or not patients_visible_to(user).filter(pk=patient.pk).exists():
        return []
    url = reverse("staffarea:patient_paperwork", kwargs={"patient_id": patient.pk})
    return [PageFlag(label="Forms not signed", url=url, words=missing_words(missing))]
