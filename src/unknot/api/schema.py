"""The OpenAPI 3 schema (drf-spectacular) and its documentation page.

The docs page is Swagger UI from the self-hosted sidecar files; its start-up script carries
the page's CSP nonce and its few styles live in a static file, so the site's strict
Content-Security-Policy stays exactly as it is. Error answers in the schema: see openapi.py.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response

from unknot.api.access import api_rule
from unknot.api.views_base import ApiDefaults

DOCS_RULE = api_rule(public=True)


class SchemaView(ApiDefaults, SpectacularAPIView):
    """The OpenAPI 3 document itself (YAML, or JSON with ?format=json)."""

    access_rule = DOCS_RULE


class DocsView(ApiDefaults, SpectacularSwaggerView):
    """Swagger UI over the schema, served entirely from this site."""

    access_rule = DOCS_RULE
    template_name = "api/docs.html"
    url_name = "api:schema"
    renderer_classes = SpectacularSwaggerView.renderer_classes

    @extend_schema(exclude=True)  # as the page it replaces: not an operation of the API
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)
        # drf-spectacular sends "Cross-Origin-Opener-Policy: unsafe-none" for OAuth2 sign-in
        # pop-ups, which this API does not use (bearer tokens, or the session). Without it the
        # page gets the site's own policy from SECURE_CROSS_ORIGIN_OPENER_POLICY.
        response.headers.pop("Cross-Origin-Opener-Policy", None)
        return response
