"""PDF documents from templates, with WeasyPrint.

Everything a document shows is inside it: the stylesheet (documents/print.css, shared by every
PDF of the site) is read from our static files and images are data: URIs, so rendering never
fetches anything from a network.
"""

import base64
import ssl
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

PRINT_CSS = "documents/print.css"


def svg_data_uri(svg_text: str) -> str:
    encoded = base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


@cache
def static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@cache
def _no_certificates() -> ssl.SSLContext:
    """An SSL context that loads no CA certificates, for a fetcher that never uses it.

    WeasyPrint's URL fetcher builds an HTTPS handler, by default with Python's default context,
    which reads the system's CA certificates on every document: about a third of the time of
    a short PDF. Ours takes data: URIs only, so it never opens a connection of any kind.
    """
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def html_to_pdf(html: str) -> bytes:
    """Lays out a page already rendered (for the worker, which gets the page, not its data)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Nothing from outside the document: data: URIs only.
    fetcher = URLFetcher(allowed_protocols=["data"], ssl_context=_no_certificates())
    css = CSS(string=static_text(PRINT_CSS), url_fetcher=fetcher)
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css]))


def pdf_response(content: bytes, name: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(name)}.pdf"'
    response["Cache-Control"] = "private, no-store"  # health data: never in a shared cache
    return response
