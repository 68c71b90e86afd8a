"""The one way a signed PDF leaves the system: for a signature the asker may see (the access
helper decides), recorded in the audit trail as an export."""

from django.http import Http404, HttpResponse

from unknot import audit
from unknot.accounts.models import AnyUser
from unknot.audit.models import Action
from unknot.documents import pdf
from unknot.paperwork import storage
from unknot.paperwork.selectors import get_signature_for


def signed_pdf_response(user: AnyUser, signature_id: int) -> HttpResponse:
    signature = get_signature_for(user, signature_id)
    content = storage.read(signature.pdf_name)
    if content is None:
        raise Http404("The signed copy of this form is not available.")
    audit.record(
        Action.EXPORT, by=user, object_type="signature", object_id=signature.pk,
        patient_id=signature.patient_id, clinic_id=signature.patient.preferred_clinic_id,
        reason="signed_pdf",
    )  # fmt: skip
    kind = signature.version.document.kind
    name = f"{kind}-v{signature.version.number}-{signature.signed_on:%Y-%m-%d}"
    return pdf.pdf_response(content, name, download=True)
