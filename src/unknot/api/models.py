"""API tokens: one row per token a person made; only the token's SHA-256 digest is stored."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for the REST API, acting as its user with that user's role and clinics.

    The token itself is shown once, when it is made; the database keeps only its SHA-256
    digest, so a copy of the database grants nothing. Revoking keeps the row for the record.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64)  # hex SHA-256 of the token
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    created = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (a digest is only
        # ever looked up whole).
        constraints = [models.UniqueConstraint(fields=["digest"], name="api_token_digest_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked is None
