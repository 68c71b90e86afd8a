from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: a member of staff or a patient using the portal.

    What they may see is decided by their StaffMember row (role and clinics) or their
    Patient row, never by Django's is_staff flag, which only opens the admin site.
    """

    email = models.EmailField("email address", unique=True)

    @property
    def is_practice_staff(self) -> bool:
        return hasattr(self, "staff_member") and self.is_active

    @property
    def is_patient_user(self) -> bool:
        return hasattr(self, "patient") and self.is_active


# Who is asking: what `request.user` is, the signed-in User or Django's AnonymousUser. Code
# that only a signed-in person can reach takes a User instead.
type AnyUser = User | AnonymousUser


class SignInCounter(models.Model):
    """Failed sign-ins counted for one key: an account, an address, or the two together.

    The key is a keyed hash (see unknot.accounts.throttle), never the typed text: people
    sometimes type their password into the username field, and it must not be stored.
    A counter starts again once a whole window has passed without a failure.
    """

    class Scope(models.TextChoices):
        PAIR = "pair", "account from one address"
        ACCOUNT = "account", "account from any address"
        ADDRESS = "address", "address, any account"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=64)  # unique: see Meta.constraints
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(db_index=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (keys are
        # hashes, only ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["key"], name="accounts_signincounter_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.failures} failures"


class TrustedAddress(models.Model):
    """An address from which an account has completed a sign-in recently (keyed hash).

    Sign-ins from here are exempt from the account-wide and the per-address limits, so an
    attacker elsewhere (or spraying from one address) cannot lock the owner out.
    """

    key = models.CharField(max_length=64)  # unique: see Meta.constraints
    last_signed_in_at = models.DateTimeField(db_index=True)

    class Meta:
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (keys are
        # hashes, only ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["key"], name="accounts_trustedaddress_key_unique")
        ]

    def __str__(self) -> str:
        return f"trusted since {self.last_signed_in_at:%Y-%m-%d}"


class RequestCounter(models.Model):
    """Requests of one client in one scope during its current window (see
    unknot.accounts.request_throttle).

    The client is an address or a signed-in account; the key is a keyed hash of it and the
    scope, never the address itself. One upsert per counted request keeps the number in the
    database, so every worker process sees the same count. `window_started` is in Unix
    seconds: a plain integer compares the same way on every database.
    """

    key = models.CharField(max_length=64)  # unique: see Meta.constraints
    window_started = models.BigIntegerField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (keys are
        # hashes, only ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["key"], name="accounts_requestcounter_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hits} requests since {self.window_started}"
