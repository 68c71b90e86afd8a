"""How a signed-in user is loaded on every request."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class UserWithRoleBackend(ModelBackend):
    """Django's ModelBackend, loading the user with their staff and patient rows in one query.

    Every request of a signed-in person asks which of the two they are (access rules, the
    idle timeout), so both one-to-one rows come joined to the user instead of costing a
    query each. Passwords and permissions are ModelBackend's, unchanged.

    ModelBackend stays listed after this one so that sessions naming it keep working. A
    refused sign-in stops here: ModelBackend would only repeat the same password check.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied  # Django then records the failure and returns None
        return user

    def get_user(self, user_id: Any) -> Any:
        user = (
            get_user_model()
            ._default_manager.select_related("staff_member", "patient")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
