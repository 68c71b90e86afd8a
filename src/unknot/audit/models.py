"""The audit trail: one row per thing that happened to health data or to a sign-in.

A row holds ids and short codes only, never names, free text or answers: the trail must be
safe to hand to an auditor. Rows are chained: each carries the hash of the row before it
(unknot.audit.chain), so an edited, removed or forged row shows up in `verify_audit`.

Nothing here may change or remove a row. The model refuses it; on PostgreSQL a trigger
(migration 0002) refuses it in the database as well, whoever asks.
"""

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class Action(models.TextChoices):
    READ = "read", "Read"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    PRINT = "print", "Print"
    SIGN_IN = "sign_in", "Sign-in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Sign-out"
    PERMISSION_CHANGE = "permission_change", "Permission change"
    BREAK_GLASS = "break_glass", "Emergency access"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"
    FAILED = "failed", "Failed"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk changes would bypass the chain and the model's own refusal."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only: rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only: rows cannot be deleted.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are appended one by one through audit.record().")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only: rows cannot be updated.")


class AuditEvent(models.Model):
    """One thing that happened, sealed into the chain (see the module's docstring)."""

    # Not an auto-increment: the id is the row's place in the chain, given out under the
    # chain lock as "last id + 1", so a missing id is a removed row, never a rolled-back one.
    id = models.BigIntegerField(primary_key=True, editable=False)
    at = models.DateTimeField()
    # Who: kept as plain values, not foreign keys, so the row outlives the account.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True)
    clinic_id = models.BigIntegerField(null=True, blank=True)
    # From where: the connecting address (REMOTE_ADDR only) and the path without its query.
    remote_addr = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    reason = models.CharField(max_length=40, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # The report's searches, each read newest first straight off one index (no sort of the
        # trail): everyone's, one user's, one patient's, one clinic's, and sorted by user
        # (docs/audit.md, "Indexes"). `id` ends each one as the report's tie-breaker.
        indexes = [
            models.Index(fields=["at", "id"], name="audit_at"),
            models.Index(fields=["actor_id", "at", "id"], name="audit_actor_at"),
            models.Index(fields=["patient_id", "at", "id"], name="audit_patient_at"),
            models.Index(fields=["clinic_id", "at", "id"], name="audit_clinic_at"),
            models.Index(fields=["actor_username", "actor_id", "id"], name="audit_actor_name"),
            models.Index(fields=["action", "at", "id"], name="audit_action_at"),
        ]
        # A constraint, not `unique=True`: on PostgreSQL the latter adds a second, "_like"
        # index for LIKE searches, and nothing searches hashes by prefix.
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.outcome} at {self.at:%Y-%m-%d %H:%M:%S} UTC"

    def save(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Rows are appended by audit.record() alone, in one statement under the chain lock;
        # a save() would either change a row or add one outside the chain.
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: rows cannot be updated.")
        raise AppendOnlyError("Audit rows are appended through unknot.audit.record().")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only: rows cannot be deleted.")


class CheckpointQuerySet(models.QuerySet["AuditCheckpoint"]):
    """Checkpoints are only ever added: an old one is how far the trail was already proven."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are append-only: they cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are append-only: they cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are append-only: they cannot be updated.")


class AuditCheckpoint(models.Model):
    """How far `verify_audit` proved the chain intact, signed (unknot.audit.checkpoints).

    The next run starts from the newest checkpoint whose signature holds, so it reads only
    the rows added since. The signature is keyed: someone who rewrites the trail with SQL
    cannot make a matching checkpoint without the key, which lives in the settings, not in
    the database.
    """

    last_event_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    made_at = models.DateTimeField()
    signature = models.CharField(max_length=64)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return (
            f"checkpoint #{self.pk}: row {self.last_event_id} at {self.made_at:%Y-%m-%d %H:%M} UTC"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit checkpoints are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are append-only: they cannot be deleted.")
