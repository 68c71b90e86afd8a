"""Shared by the staff homes' tests."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def home_queries(client: Any) -> int:
    """The queries one visit to the signed-in person's staff home takes."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staffarea:dashboard"))
    assert response.status_code == 200
    return len(queries)
