"""The base of every API view: declared access, allow-listed queries, one error format."""

from typing import Any

from django.http import Http404, HttpResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.pagination import BasePagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from unknot.accounts.access import options_response
from unknot.api.access import Declared, DeclaredAccess
from unknot.api.auth import BearerAuthentication
from unknot.api.errors import exception_handler
from unknot.api.querying import AllowListFilter, Filter, Pages, check_parameters, whole_number
from unknot.api.throttling import Throttled
from unknot.common.inputs import BadInput, json_from


class JsonBody(JSONParser):
    """DRF's JSON parser through the shared reader: at most MAX_JSON_DEPTH levels deep, no
    NaN or Infinity, and very deep nesting a 400 rather than Python's RecursionError."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return json_from(stream.read() if stream is not None else b"")
        except BadInput as refused:
            raise ParseError(refused.message) from None


class ApiDefaults(Throttled, Declared):
    """Authentication, access, throttling and errors of every API view, schema and docs included.

    Set here rather than in REST_FRAMEWORK so other interfaces built on DRF keep their own.
    """

    authentication_classes = [BearerAuthentication, SessionAuthentication]
    permission_classes = [DeclaredAccess]
    metadata_class = None  # no OPTIONS introspection: the schema documents every view

    def get_exception_handler(self) -> Any:
        return exception_handler

    # DRF passes its Request and takes any HttpResponse (finalize_response checks for
    # HttpResponseBase); the stubs' View and APIView disagree with each other and with that.
    def options(  # type: ignore[override]
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        """The methods this URL takes (`Allow`), for whoever may use it (DeclaredAccess)."""
        return options_response(self.allowed_methods)


class ApiView(ApiDefaults, GenericAPIView):
    """A view of the API. Subclasses set `access_rule`, and for lists `filters` and `sorts`."""

    filter_backends: list[Any] = []
    pagination_class: type[BasePagination] | None = None
    filters: dict[str, Filter] = {}
    sorts: dict[str, str] = {}
    default_sort: tuple[str, ...] = ("pk",)
    query_parameters: tuple[str, ...] = ()  # accepted besides filters, sort and paging
    renderer_classes = [JSONRenderer]
    parser_classes = [JsonBody]
    tag = ""  # the schema's group for this view; the first word of the path when empty

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and access come first
        check_parameters(request, self)


def object_id(raw: str) -> int:
    """An id from the URL; anything that is not one answers 404 like a missing object."""
    try:
        return whole_number(raw)
    except ValueError:
        raise Http404("Not found.") from None


class ListView(ListModelMixin, ApiView):
    """A paginated list of `get_queryset()`, filtered and sorted on the view's allow-lists."""

    filter_backends = [AllowListFilter]
    pagination_class = Pages

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return self.list(request, *args, **kwargs)
