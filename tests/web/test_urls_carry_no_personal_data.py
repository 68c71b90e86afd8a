"""No health data in URLs: names, dates of birth, contact details and clinical words stay out
of every path and query string, because URLs are kept by server and proxy logs, browser
history and Referer headers.

- Every part a URL pattern captures is an id, a clinic's slug, a random token, a date of the
  calendar or a word of a fixed list: each allowed (converter, name) says why below.
- Every query parameter any view reads (found in the code by tests/attacks/query_reads.py)
  is one of the allowed names below; the FHIR parameters that identify a person are refused
  in a URL (400), which is tested here for every served type.
- The log lines Django writes for 4xx answers carry the path only: ids, never search words.
"""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.attacks import query_reads
from tests.personas import Cast
from tests.web.urlwalk import walk
from unknot.fhir.registry import REGISTRY

TOKEN = (
    "a random or signed token made by us (a booking's management link, a calendar feed, an "
    "intake link, a waitlist offer, a physician's plan-certification link)"
)

# (converter, name) -> why it carries nothing about a person. Besides these, any
# "<int:thing_id>": a database id, a number that means nothing without the record, which
# the record's access helper guards.
ALLOWED_PARTS = {
    ("slug", "slug"): "a clinic's slug (public, on the clinic's own pages) or, in the intake, "
    "a section of the form (the same fixed list for everyone)",
    ("str", "slug"): "a clinic's slug in the REST API (the same slugs)",
    ("str", "id"): "REST API ids as text, so a non-number answers the API's 404; still ids",
    ("str", "resource_id"): "FHIR ids: numbers, or numbers joined by dashes (a Slot's id: "
    "therapist, clinic, type and start time of a free slot)",
    ("str", "token"): TOKEN,
    ("", "token"): "Django's password-reset token",
    ("", "uidb64"): "Django's password reset: the account's id in base64",
    ("str", "who"): "a therapist's id, or 'any'",
    ("booking_date", "day"): "a day of the staff calendar (not a date of birth)",
    ("slug", "key"): "a key of the exercise library: the same words for every patient, chosen "
    "from the library, never typed",
    ("slug", "topic"): "a topic of the education library: the same page for everyone",
    ("str", "side"): "the side of an insurance card: front or back, the same for everyone",
    ("slug", "kind"): "a kind of practice document (consent, privacy, financial): the same "
    "few forms for everyone",
}
KNOWN_CONVERTERS = {"int", "slug", "str", "booking_date", ""}

PAGING = "paging, sorting or format of a list"
CHOICE = "a value from a fixed list (a status, a kind, an action, a code)"
WHEN = "a date or time of an appointment, a record or the audit trail: never a date of birth"
REFERENCE = "an id, or a FHIR reference to one"
# query parameter -> why it carries nothing about a person (for every URL that reads it)
ALLOWED_QUERY = {
    "next": "a path of this site to return to: ids only, like every URL here",
    "clinic": "a clinic's slug or id",
    "city": "a clinic's city (the public list of clinics)",
    **dict.fromkeys(("page", "page_size", "sort", "_count", "_format", "format"), PAGING),
    **dict.fromkeys(
        ("cursor", "_cursor"),
        "where a page of a list starts: signed and opaque, it holds a row's id (never a sort "
        "value such as a name) and which list and order it was made for",
    ),
    **dict.fromkeys(
        (
            "from",
            "to",
            "since",
            "until",
            "day",
            "date",
            "time",
            "start",
            "first",
            "last",
            "month",
            "created",
            "occurrence",
        ),
        WHEN,
    ),
    **dict.fromkeys(
        (
            "patient",
            "therapist",
            "episode",
            "appointment",
            "type",
            "appointment_type",
            "slot_therapist",
            "practitioner",
            "location",
            "schedule",
            "actor",
            "service-type",
            "payer",
            "_id",
        ),
        REFERENCE,
    ),
    **dict.fromkeys(
        (
            "status",
            "kind",
            "online_booking",
            "action",
            "outcome",
            "instrument",
            "code",
            "group_by",
            "every",
            "method",
        ),
        CHOICE,
    ),
}
# (url name, parameter) allowed on that URL only
ALLOWED_QUERY_AT = {
    ("fhir:location_type", "name"): "part of a clinic's name or city: the public directory",
    ("fhir:practitioner_type", "name"): "part of a clinician's name: the public directory "
    "(the booking pages list the therapists), not a person in care",
    ("audit:report", "user"): "an account id or a staff member's username (a work identity); "
    "the form refuses anything else, so a patient is asked for by id",
    ("audit:export_csv", "user"): "the same filter, for the CSV export",
    ("audit:report", "after"): "the id of an audit row a page starts after",
    ("audit:report", "before"): "the id of an audit row a page ends before",
    ("audit:export_csv", "after"): "a page's cursor, ignored by the export (same form)",
    ("audit:export_csv", "before"): "a page's cursor, ignored by the export (same form)",
}
# Found and not yet changed; each names what it would take. The test fails when one is fixed,
# so the entry is removed with the fix.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

PART = re.compile(r"<(?:(\w+):)?(\w+)>")


def captured_parts() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for route in walk():
        for converter, name in PART.findall(route.route):
            found.setdefault((converter, name), []).append(route.name)
    return found


def test_every_url_pattern_captures_only_ids_slugs_tokens_or_dates() -> None:
    assert not [r.route for r in walk() if "(?P<" in r.route], "no regular-expression routes"
    problems = []
    for (converter, name), urls in sorted(captured_parts().items()):
        if converter not in KNOWN_CONVERTERS:
            problems.append(f"<{converter}:{name}> in {urls}: an unknown converter")
        elif (converter, name) not in ALLOWED_PARTS and not (
            converter == "int" and name.endswith("_id")
        ):
            problems.append(f"<{converter}:{name}> in {urls}: say why it is no one's data")
    assert problems == []


def test_the_allow_list_names_only_parts_in_use() -> None:
    assert set(ALLOWED_PARTS) - set(captured_parts()) == set()


def _identifying(name: str) -> tuple[str, ...]:
    """The FHIR parameters of this type URL that a GET refuses (tested below)."""
    if name.startswith("fhir:") and name.endswith("_type"):
        kind = next(k for k in REGISTRY.values() if f"fhir:{k.name.lower()}_type" == name)
        return kind.identifying_names
    return ()


def test_no_query_parameter_carries_a_name_or_a_date_of_birth() -> None:
    problems, gaps_seen = [], set()
    for name, params in sorted(query_reads.params_by_url().items()):
        for param in sorted(set(params) - set(_identifying(name))):
            if (name, param) in KNOWN_GAPS:
                gaps_seen.add((name, param))
            elif param not in ALLOWED_QUERY and (name, param) not in ALLOWED_QUERY_AT:
                problems.append(f"{name} reads ?{param}=: say why it is no one's data")
    assert problems == []
    assert gaps_seen == set(KNOWN_GAPS), "a known gap is closed: remove it from KNOWN_GAPS"


@pytest.mark.parametrize(
    ("resource_type", "param"),
    [(name, p) for name, kind in sorted(REGISTRY.items()) for p in kind.identifying_names],
)
def test_fhir_refuses_identifying_parameters_in_a_url(
    cast: Cast, resource_type: str, param: str
) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    response = client.get(f"/fhir/{resource_type}", {param: "Parker"})
    assert response.status_code == 400
    assert f"POST {resource_type}/_search" in response.content.decode()


def test_the_patient_identifiers_are_refused_in_urls() -> None:
    """A guard on the guard: Patient's name and birthdate are the ones marked."""
    assert set(REGISTRY["Patient"].identifying_names) == {"name", "birthdate"}


def test_log_lines_of_refusals_and_searches_carry_ids_not_words(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    with caplog.at_level(logging.INFO):
        client.post(reverse("staffarea:patient_list"), {"q": "Parker"}, follow=True)
        client.get(reverse("staffarea:patient_detail", args=[cast.patient_q.pk]))  # 404
        client.get("/fhir/Patient", {"name": "Parker"})  # 400, pointing to _search
        client.get("/api/v1/patients/", {"date_of_birth": "1985-05-17"})  # 400
    lines = [record.getMessage() for record in caplog.records]
    assert any(str(cast.patient_q.pk) in line for line in lines), lines  # the path is there
    assert not [line for line in lines if "Parker" in line or "1985" in line]
