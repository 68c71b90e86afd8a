"""The practice's paperwork: versioned documents a patient signs before care, and signatures.

A `PracticeDocument` is one kind of form (consent to treat, the notice of privacy practices
acknowledgement, the financial and cancellation policy) with the practice's rules for it:
whether patients must sign it, and whether a new version must be signed again. Its text
lives in `DocumentVersion` rows: editing publishes a new version and the old ones stay, so
every signature keeps pointing at exactly the words that were signed.

A `Signature` is one patient's signing of one version: the name they typed, the date,
how (the portal, or the front desk's tablet with the member of staff who witnessed it), an
optional drawn signature (a small PNG data URL) and the PDF of what was signed, kept in the
private data folder (settings.DATA_DIR), never under the web server's static or media files.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from unknot.patients.models import Patient


class DocumentKind(models.TextChoices):
    CONSENT = "consent", "Consent to treat"
    PRIVACY = "privacy", "Notice of privacy practices acknowledgement"
    FINANCIAL = "financial", "Financial and cancellation policy"


class PracticeDocument(models.Model):
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    required = models.BooleanField(
        default=True, help_text="Every patient signs it before their first visit."
    )
    resign_on_new_version = models.BooleanField(
        "sign each new version",
        default=True,
        help_text="A new version makes earlier signatures outdated: the patient signs again.",
    )

    class Meta:
        ordering = ["kind"]
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (a kind is only
        # ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["kind"], name="paperwork_document_kind_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        PracticeDocument, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint("document", "number", name="paperwork_one_number_per_version"),
            models.CheckConstraint(condition=Q(number__gte=1), name="paperwork_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class SignedHow(models.TextChoices):
    PORTAL = "portal", "In the patient portal"
    TABLET = "tablet", "On the front desk's tablet"


class Signature(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    typed_name = models.CharField(max_length=200)
    signed_on = models.DateField()  # the clinic's calendar day when it was signed
    how = models.CharField(max_length=20, choices=SignedHow.choices)
    drawn_signature = models.TextField(blank=True)  # a PNG data URL, size-limited by services
    # The signed PDF's file name inside DATA_DIR/paperwork/, and its SHA-256 (to tell later
    # that the kept file is the one made at signing).
    pdf_name = models.CharField(max_length=100, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint("patient", "version", name="paperwork_sign_a_version_once"),
            # The tablet is always handed over by someone, who witnesses; the portal never is.
            models.CheckConstraint(
                condition=Q(how=SignedHow.TABLET, witnessed_by__isnull=False)
                | Q(how=SignedHow.PORTAL, witnessed_by__isnull=True),
                name="paperwork_tablet_signing_is_witnessed",
            ),
        ]

    def __str__(self) -> str:
        return f"Signature {self.pk}"
