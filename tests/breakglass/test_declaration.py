"""Which pages break-glass opens is declared on the views (`@staff_only(..., break_glass=True)`),
and only read-only pages may declare it."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from tests.web.urlwalk import walk
from unknot.accounts.access import staff_only
from unknot.breakglass.enforce import declared_on

DOCS = Path(__file__).resolve().parents[2] / "docs" / "break-glass.md"

# The record's read-only pages an opening lets through (docs/break-glass.md, "What opens").
OPENED = {
    "staffarea:patient_detail",
    "clinical:patient_episodes",
    "clinical:episode",
    "booking:staff_patient_appointments",
    "home_programme:episode_progress",
    "home_programme:episode_adherence",
    "home_programme:episode_report",
    "home_programme:episode_discharge",
}


def declared() -> dict[str, object]:
    """URL name -> view, for every view the middleware finds declared `break_glass`."""
    return {route.name: route.callback for route in walk() if declared_on(route.callback)}


def test_exactly_the_record_pages_declare_break_glass() -> None:
    assert set(declared()) == OPENED


def test_no_view_declares_break_glass_and_writes() -> None:
    for route in walk():
        rule = getattr(route.callback, "access_rule", None)
        if rule is not None and rule.break_glass:
            assert not rule.writes, route.name
            assert rule.audience == "staff", route.name


def test_a_rule_that_writes_cannot_declare_it() -> None:
    with pytest.raises(ImproperlyConfigured):
        staff_only(writes=True, break_glass=True)


@pytest.mark.parametrize("name", sorted(OPENED))
def test_each_page_it_opens_only_reads(name: str) -> None:
    """A POST is refused (405) before anything else runs: the pages take GET and HEAD only."""
    view = declared()[name]
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    assert view(request, 1).status_code == 405  # type: ignore[operator]


def test_the_docs_name_every_page_it_opens() -> None:
    text = DOCS.read_text()
    for name in sorted(declared()):
        assert f"`{name}`" in text, name
