"""Sign-in, failed sign-in and sign-out, recorded from Django's auth signals.

Connected in AuditConfig.ready(), so the sign-in views (and whatever the accounts app puts
in front of them) need no audit code of their own.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test.utils import _TestState

from unknot.accounts.models import User
from unknot.audit.models import Action, Outcome
from unknot.audit.services import AccountRef, record


def signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The password step passed (for staff a second factor follows; see below)."""
    record(Action.SIGN_IN, by=user, request=request, reason="password")


def second_factor_passed(sender: Any, request: HttpRequest | None, user: User, **kw: Any) -> None:
    record(Action.SIGN_IN, by=user, request=request, reason="second_factor")


def second_factor_refused(sender: Any, request: HttpRequest | None, user: User, **kw: Any) -> None:
    record(
        Action.SIGN_IN_FAILED, by=user, outcome=Outcome.FAILED, request=request,
        reason="second_factor", object_type="account", object_id=user.pk,
    )  # fmt: skip


def signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    """`user` is None when no one was signed in (as Django sends it)."""
    record(Action.SIGN_OUT, by=user, request=request)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only whether the account exists is kept (as that account): never what was typed.

    What someone types as a username may be a password typed in the wrong box, so an
    unknown name leaves nothing but the address; the password is never looked at.
    """
    account = _account_named(credentials.get(get_user_model().USERNAME_FIELD))
    record(
        Action.SIGN_IN_FAILED, by=account, outcome=Outcome.FAILED, request=request,
        reason="refused" if account is not None else "unknown_account",
        object_type="account", object_id=account.pk if account is not None else "",
    )  # fmt: skip


def _account_named(typed: Any) -> AccountRef | None:
    if not isinstance(typed, str) or not typed:
        return None
    model = get_user_model()
    found = model._default_manager.filter(**{model.USERNAME_FIELD: typed})
    pk = found.values_list("pk", flat=True).first()
    return AccountRef(pk) if pk is not None else None


def let_the_test_runner_empty_the_table(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Django's test runner empties every table with TRUNCATE between transactional tests.

    The PostgreSQL trigger refuses TRUNCATE of the audit table unless the session says
    `unknot.audit_truncate = 'allow'`; only connections opened under Django's test
    environment (setup_test_environment) say so. A running site never does.
    """
    if connection.vendor == "postgresql" and hasattr(_TestState, "saved_data"):
        with connection.cursor() as cursor:
            cursor.execute("SET unknot.audit_truncate = 'allow'")
