"""Stored XSS, without a browser: which fields are attacked, and what the server sends.

The browser test (test_stored_xss_in_chromium.py) is the proof that no script runs; these
tests run on every database and fail faster: a text field nobody attacks, a page the attack
forgot, a page that breaks on odd text, or a payload that leaves the server unescaped.
"""

import re

import pytest
from django.test import Client

from tests.attacks import stored_text, xss_world
from tests.web.urlwalk import walk

# What only unescaped payloads put in HTML: escaped, they read &lt;script&gt; and so on.
RAW_MARKERS = re.compile(r"<script>window\.__xss|<img src=x onerror|<svg[ /]onload")


def test_every_text_field_is_attacked_or_explained() -> None:
    assert stored_text.unaccounted_fields() == []


def test_the_walk_finds_the_fields_people_write() -> None:
    """A guard on the walk itself: if it stopped finding fields, nothing would be attacked."""
    attacked = stored_text.attacked_fields()
    people_write = {
        "patients.Patient.first_name", "clinics.StaffMember.bio", "records.Visit.subjective",
        "plans.ExerciseLog.note", "booking.ContactQuestion.message", "records.Intake.notes",
        "api.ApiToken.name", "patients.Patient.address_line1", "patients.Patient.city",
    }  # fmt: skip
    assert people_write <= attacked


def test_every_page_is_opened_or_explained() -> None:
    names = {route.name for route in walk()}
    json_only = {n for n in names if n.startswith(xss_world.JSON_NAMESPACES)}
    covered = xss_world.page_names() | set(xss_world.NOT_SHOWN) | json_only
    assert names - covered == set(), "open these pages in the XSS test, or say why not"
    assert (xss_world.page_names() | set(xss_world.NOT_SHOWN)) - names == set()


@pytest.mark.django_db
def test_pages_with_script_in_every_field_answer_and_escape_it() -> None:
    world = xss_world.build()
    problems = []
    for persona in xss_world.PAGES:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.users[persona])
        for url in xss_world.urls_for(world, persona):
            response = client.get(url)
            body = response.content.decode(errors="replace")
            if response.status_code != 200:
                problems.append(f"{persona} {url}: {response.status_code}")
            elif RAW_MARKERS.search(body):
                found = RAW_MARKERS.search(body)
                assert found is not None
                near = body[max(0, found.start() - 80) : found.end() + 40]
                problems.append(f"{persona} {url}: unescaped payload ...{near}...")
    assert problems == [], "\n".join(problems)
