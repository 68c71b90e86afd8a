"""The error page is drawn without the database: it is what is left when the database is gone.

`handler500` is Django's default (`django.views.defaults.server_error`), which renders
`500.html` with no request context: no context processors, no session, no user. The
template stands alone (it does not extend base.html, which needs the request).
"""

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from tests.failures.outage import PLAIN_500_HEADING, assert_plain_500, database_outage
from tests.personas import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_error_page_makes_no_query(rf: Any) -> None:
    handler = get_resolver().resolve_error_handler(500)
    with CaptureQueriesContext(connection) as queries:
        response = handler(rf.get("/staff/"))
    assert response.status_code == 500 and PLAIN_500_HEADING in response.content.decode()
    assert len(queries) == 0


def test_the_error_page_is_drawn_while_every_query_fails(rf: Any) -> None:
    handler = get_resolver().resolve_error_handler(500)
    with database_outage() as outage:
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # the database is gone first
        response = handler(rf.get("/"))
    assert outage.happened
    assert_plain_500(response)


@pytest.mark.parametrize("who", ["anonymous", "therapist_a", "patient_p"])
def test_with_the_database_gone_every_visitor_gets_the_plain_page(cast: Cast, who: str) -> None:
    web = Client(raise_request_exception=False)
    if who != "anonymous":
        web.force_login(cast.users[who])
    path = {
        "anonymous": reverse("site:home"),
        "therapist_a": reverse("staffarea:patient_detail", args=[cast.patient_p.pk]),
        "patient_p": reverse("portal:home"),
    }[who]
    with database_outage() as outage:
        response = web.get(path)
    assert outage.happened
    assert_plain_500(response, cast.patient_p.last_name, cast.clinic_a.name)
    assert web.get(path).status_code == 200  # and once it is back, the page is there


def test_the_error_page_is_plain_html_that_loads_nothing() -> None:
    source = get_template("500.html").template.source
    assert "{%" not in source and "{{" not in source  # no tags, no variables: nothing to look up
    assert "<script" not in source and "<link" not in source and "src=" not in source
