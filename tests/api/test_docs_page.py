"""The API docs page (Swagger UI) works under the site's strict Content-Security-Policy, from
this site's own files only."""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

DOCS = "api:docs"


@pytest.mark.django_db
def test_docs_page_is_served_from_our_own_files_under_the_csp() -> None:
    response = Client().get(reverse(DOCS))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in html  # the start-up script carries the nonce
    assert "<style" not in html and "style=" not in html  # styles come from files only
    assert "//cdn" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_render_in_chromium_without_csp_violations(browser: Any, live_server: Any) -> None:
    page = browser.new_page()
    problems: list[str] = []
    hosts: set[str] = set()
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + reverse(DOCS))
    page.locator(".opblock-tag", has_text="appointments").first.wait_for(timeout=15000)
    assert page.locator(".opblock").count() >= 25  # every operation is listed
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}
