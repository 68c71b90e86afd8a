"""The OpenAPI 3 schema (drf-spectacular) and its documentation page.

The docs page is Swagger UI from the self-hosted sidecar files; its start-up script carries
the page's CSP nonce and its few styles live in a static file, so the site's strict
Content-Security-Policy stays exactly as it is. Error answers in the schema: see openapi.py.
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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
