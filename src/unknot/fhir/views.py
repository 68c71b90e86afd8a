"""The FHIR views: `metadata`, and for each served type a type endpoint and an instance one.

Views only parse and render; what a caller may see is decided by the resource modules'
selectors and access functions, what they may change by the booking and intake services.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from unknot.accounts.access import public, signed_in
from unknot.fhir import appointments
from unknot.fhir.http import FhirError, endpoint, fhir_response, invalid, read_resource
from unknot.fhir.kinds import ResourceType
from unknot.fhir.refs import Context
from unknot.fhir.registry import capability_statement
from unknot.fhir.search import bundle, parse_query

View = Callable[..., HttpResponse]
JSON_PATCH = "application/json-patch+json"
FORM = "application/x-www-form-urlencoded"
PAGING = ("_count", "_cursor")


def context(request: HttpRequest) -> Context:
    base = request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")
    return Context(user=request.user, base=base, now=timezone.now())


@endpoint(["GET"])
@public
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: what this server offers, for anyone to read."""
    return fhir_response(capability_statement(context(request)))


def _created(ctx: Context, resource: dict[str, object]) -> HttpResponse:
    location = ctx.url(f"{resource['resourceType']}/{resource['id']}")
    return fhir_response(resource, 201, Location=location)


def type_view(kind: ResourceType) -> View:
    """GET searches (a Bundle), POST creates: whichever of the two the type offers."""
    methods = [m for m, f in (("GET", kind.search), ("POST", kind.create)) if f is not None]

    @endpoint(methods, writes=kind.create is not None)
    @signed_in
    def view(request: HttpRequest) -> HttpResponse:
        ctx = context(request)
        if request.method == "POST" and kind.create is not None:
            return _created(ctx, kind.create(ctx, read_resource(request, kind.name)))
        assert kind.search is not None  # the endpoint allows GET only when there is a search
        refuse_identifying_in_url(request, kind)
        return _search(ctx, kind, request.GET)

    view.__name__ = view.__qualname__ = f"{kind.name.lower()}_type"
    view.__doc__ = f"{kind.name}: {', '.join(methods)}."
    return view


def search_view(kind: ResourceType) -> View:
    """POST [type]/_search: the same search as GET [type], its parameters in a form body.

    FHIR's other way to search (http.html#search); the only way for parameters that identify
    a person, which would otherwise sit in URLs that logs, proxies and history keep.
    """

    @endpoint(["POST"])  # a search reads: the read-only auditor may use it
    @signed_in
    def view(request: HttpRequest) -> HttpResponse:
        refuse_identifying_in_url(request, kind)
        return _search(context(request), kind, _posted_parameters(request))

    view.__name__ = view.__qualname__ = f"{kind.name.lower()}_search"
    view.__doc__ = f"{kind.name}/_search: POST (a search, its parameters in the body)."
    return view


def _search(ctx: Context, kind: ResourceType, parameters: QueryDict) -> HttpResponse:
    assert kind.search is not None
    query = parse_query(parameters, kind.param_names, kind.default_count)
    page = kind.search(ctx, query)
    return fhir_response(bundle(ctx, kind.name, query, page, kind.identifying_names))


def refuse_identifying_in_url(request: HttpRequest, kind: ResourceType) -> None:
    """400 for a value that identifies a person in the query string, pointing to _search."""
    found = [name for name in kind.identifying_names if name in request.GET]
    if found:
        raise invalid(
            f"{' and '.join(found)} identify a person, so they may not travel in a URL "
            f"(servers, proxies and browsers keep URLs): use POST {kind.name}/_search with "
            f"the search parameters in an {FORM} body."
        )


def _posted_parameters(request: HttpRequest) -> QueryDict:
    """The body's parameters, plus any in the URL; the URL's page (_count, _cursor) wins,
    so a paging link of a search can be followed by POSTing the same body to it."""
    if request.body and request.content_type != FORM:
        raise FhirError(415, "not-supported", f"Send the search parameters as {FORM}.")
    merged = request.POST.copy()
    for name, values in request.GET.lists():
        merged.setlist(name, values if name in PAGING else merged.getlist(name) + values)
    return merged


def _patch_body(request: HttpRequest) -> object:
    if request.content_type != JSON_PATCH:
        raise FhirError(415, "not-supported", f"Send a JSON Patch as {JSON_PATCH}.")
    return appointments.parse_patch(request.body)


def instance_view(kind: ResourceType) -> View:
    """GET reads one resource; PUT replaces it and PATCH changes it, where offered."""
    offered = (("GET", kind.read), ("PUT", kind.update), ("PATCH", kind.patch))
    methods = [m for m, f in offered if f is not None]

    @endpoint(methods, writes=kind.update is not None or kind.patch is not None)
    @signed_in
    def view(request: HttpRequest, resource_id: str) -> HttpResponse:
        ctx = context(request)
        if request.method == "PUT" and kind.update is not None:
            body = read_resource(request, kind.name)
            return fhir_response(kind.update(ctx, resource_id, body))
        if request.method == "PATCH" and kind.patch is not None:
            return fhir_response(kind.patch(ctx, resource_id, _patch_body(request)))
        assert kind.read is not None
        return fhir_response(kind.read(ctx, resource_id))

    view.__name__ = view.__qualname__ = f"{kind.name.lower()}_instance"
    view.__doc__ = f"{kind.name}/<id>: {', '.join(methods)}."
    return view
