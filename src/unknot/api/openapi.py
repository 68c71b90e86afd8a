"""The OpenAPI schema class: every operation documents the error answers it can give.

Kept apart from the schema and docs views: drf-spectacular imports this class (settings'
DEFAULT_SCHEMA_CLASS) while its own views are being defined.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `fields` names each parameter or field and what is wrong.",
    "401": "No credentials, or a token that is wrong or revoked.",
    "403": "Your role may not do this (e.g. the read-only auditor writing).",
    "404": "No such object, or one you may not see (another clinic, another patient).",
    "409": "The time was just taken by someone else: choose another.",
    "429": "Too many requests from this address (or patient account) in a minute: wait the "
    "seconds the Retry-After header gives, then try again.",
}


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="A stable, machine-readable code, e.g. slot_taken.")
    message = serializers.CharField(help_text="A sentence for a person.")
    # DRF's metaclass moves declared fields off the class, so this never shadows
    # Serializer.fields; the stubs cannot know that:
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="Field: problem."
    )


class Error(serializers.Serializer):
    error = ErrorDetail()


class ApiAutoSchema(AutoSchema):
    """Every operation documents the error answers it can give, in the one error format."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return self.method == "GET" and isinstance(self.view, ListModelMixin)

    def _is_search_by_post(self) -> bool:
        """A POST search (its terms in the body): the list's sort and paging in the query."""
        return self.method == "POST" and getattr(self.view, "reads_by_post", False)

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        if self._is_search_by_post():
            view = self.view
            assert isinstance(view, GenericAPIView)  # reads_by_post is set on list views
            return [p for b in view.filter_backends if issubclass(b, BaseFilterBackend)
                    for p in b().get_schema_operation_parameters(view)]  # fmt: skip
        return list(super()._get_filter_parameters())

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        if self._is_search_by_post():
            view = self.view
            assert isinstance(view, GenericAPIView) and view.pagination_class is not None
            return list(view.pagination_class().get_schema_operation_parameters(view))
        return list(super()._get_pagination_parameters())

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        rule = getattr(self.view, "access_rule", None)
        if rule is None:
            return bodies
        codes = ["400", "401", "404", "429"]
        if rule.audience != "public":
            codes.append("403")
        if self.method == "POST" and getattr(self.view, "may_conflict", False):
            codes.append("409")
        for code in codes:
            response = self._get_response_for_code(Error, code, direction=direction)
            bodies[code] = response | {"description": ERROR_DESCRIPTIONS[code]}
        return bodies

    def get_auth(self) -> list[dict[str, Any]]:
        found = list(super().get_auth())
        rule = getattr(self.view, "access_rule", None)
        if rule is not None and rule.audience == "public" and {} not in found:
            found.append({})  # no credentials needed
        return found

    def get_override_parameters(self) -> list[Any]:
        # Ids travel as strings in the URL (so a bad one is a JSON 404, not an HTML page),
        # but they are whole numbers, and the schema says so.
        found = list(super().get_override_parameters())
        if "{id}" in self.path:
            found.append(OpenApiParameter("id", int, OpenApiParameter.PATH, description="Id."))
        return found

    def get_tags(self) -> list[str]:
        return [getattr(self.view, "tag", None) or super().get_tags()[0]]


def only_this_api(endpoints: list[Any]) -> list[Any]:
    """The schema describes /api/v1/ only, even if another part of the site uses DRF."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
