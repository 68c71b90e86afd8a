"""The auditors' report at /audit/: who may open it, what each of them sees, filters, the
sort allow-list, pages, a bounded number of queries, and the CSV export (itself recorded)."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.audit.support import client_for, events, last_event
from tests.personas import Cast
from unknot.audit import record, selectors
from unknot.audit.models import Action, AuditEvent, Outcome
from unknot.audit.services import verify_chain

pytestmark = pytest.mark.django_db
REPORT = reverse("audit:report")
EXPORT = reverse("audit:export_csv")


def read(cast: Cast, by: Any, patient: Any, **extra: Any) -> AuditEvent:
    event = record(
        Action.READ, by=by, object_type="patient", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, **extra,
    )  # fmt: skip
    assert event is not None
    return event


@pytest.fixture
def trail(cast: Cast) -> dict[str, AuditEvent]:
    """One event of clinic A, one of clinic B, and one that belongs to no clinic."""
    return {
        "a": read(cast, cast.therapist_a, cast.patient_p),
        "b": read(cast, cast.therapist_b, cast.patient_q),
        "none": record(Action.SIGN_IN_FAILED, outcome=Outcome.FAILED, reason="unknown_account"),
    }


def shown(response: Any) -> set[int]:
    assert response.status_code == 200
    return {event.pk for event, _clinic in response.context["rows"]}


@pytest.mark.parametrize("persona", ["therapist_a", "front_desk_a", "therapist_b", "patient_p"])
def test_outsiders_are_refused(cast: Cast, trail: dict[str, AuditEvent], persona: str) -> None:
    client = client_for(cast.users[persona])
    for url in (REPORT, EXPORT):
        response = client.get(url)
        assert response.status_code == 403
        assert trail["a"].hash.encode() not in response.content
    assert not events(action=Action.EXPORT)


def test_anonymous_is_sent_to_sign_in(trail: dict[str, AuditEvent]) -> None:
    response = Client().get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_auditor_sees_their_clinics_and_the_practice_wide_events(
    cast: Cast, trail: dict[str, AuditEvent]
) -> None:
    seen = shown(client_for(cast.auditor).get(REPORT))
    assert {trail["a"].pk, trail["none"].pk} <= seen
    assert trail["b"].pk not in seen


def test_a_manager_sees_only_their_clinics(cast: Cast, trail: dict[str, AuditEvent]) -> None:
    seen = shown(client_for(cast.manager).get(REPORT))
    assert trail["a"].pk in seen
    assert not seen & {trail["b"].pk, trail["none"].pk}


def test_another_clinics_manager_sees_none_of_clinic_a(
    cast: Cast, trail: dict[str, AuditEvent]
) -> None:
    manager_b = factories.staff("manager_b", "manager", [cast.clinic_b])
    client = client_for(manager_b)
    seen = shown(client.get(REPORT, {"patient": cast.patient_p.pk}))
    assert seen == set()
    assert shown(client.get(REPORT)) == {trail["b"].pk}
    body = b"".join(client.get(EXPORT).streaming_content).decode()
    assert str(cast.patient_p.pk) not in [
        row["patient_id"] for row in csv.DictReader(io.StringIO(body))
    ]


def test_filters_by_patient_user_action_and_outcome(
    cast: Cast, trail: dict[str, AuditEvent]
) -> None:
    refused = read(cast, cast.front_desk_a, cast.patient_p, outcome=Outcome.DENIED)
    client = client_for(cast.auditor)
    assert shown(client.get(REPORT, {"patient": cast.patient_p.pk})) == {trail["a"].pk, refused.pk}
    assert shown(client.get(REPORT, {"user": "front_desk_a"})) == {refused.pk}
    assert shown(client.get(REPORT, {"user": str(cast.therapist_a.pk)})) == {trail["a"].pk}
    assert shown(client.get(REPORT, {"action": "sign_in_failed"})) == {trail["none"].pk}
    assert shown(client.get(REPORT, {"outcome": "denied"})) == {refused.pk}


def test_filters_by_a_range_of_utc_days(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    made = {}
    for day in (1, 2, 3):
        moment = dt.datetime(2026, 3, day, 23, 59, 59, tzinfo=dt.UTC)
        with monkeypatch.context() as clock:
            clock.setattr(timezone, "now", lambda moment=moment: moment)
            made[day] = read(cast, cast.therapist_a, cast.patient_p, reason=f"day_{day}")
    client = client_for(cast.auditor)
    found = shown(client.get(REPORT, {"since": "2026-03-02", "until": "2026-03-02"}))
    assert found == {made[2].pk}
    assert shown(client.get(REPORT, {"since": "2026-03-02"})) >= {made[2].pk, made[3].pk}
    assert made[1].pk not in shown(client.get(REPORT, {"since": "2026-03-02"}))


@pytest.mark.parametrize(
    "wrong",
    [
        {"patient": "1 OR 1=1"},
        {"patient": "-4"},
        {"action": "read' OR '1'='1"},
        {"since": "yesterday"},
        {"since": "2026-03-05", "until": "2026-03-01"},
    ],
)
def test_bad_filters_are_explained_and_show_nothing(
    cast: Cast, trail: dict[str, AuditEvent], wrong: dict[str, str]
) -> None:
    client = client_for(cast.auditor)
    response = client.get(REPORT, wrong)
    assert response.status_code == 400
    assert response.context["page"] is None
    assert b'class="errorlist' in response.content
    assert client.get(EXPORT, wrong).status_code == 400
    assert not events(action=Action.EXPORT)


def test_sorting_follows_the_allow_list(cast: Cast) -> None:
    for staff in (cast.therapist_a, cast.front_desk_a, cast.manager):
        read(cast, staff, cast.patient_p)
    client = client_for(cast.auditor)
    by_actor = client.get(REPORT, {"sort": "actor", "action": "read"}).context["rows"]
    names = [event.actor_username for event, _ in by_actor]
    assert names == sorted(names) and len(names) == 3
    newest_first = [e.pk for e, _ in client.get(REPORT, {"action": "read"}).context["rows"]]
    assert newest_first == sorted(newest_first, reverse=True)


@pytest.mark.parametrize(
    "sort", ["hash", "id; DROP TABLE audit_auditevent", "-actor_username", "?", "at,hash"]
)
def test_any_other_sort_is_ignored(cast: Cast, trail: dict[str, AuditEvent], sort: str) -> None:
    response = client_for(cast.auditor).get(REPORT, {"sort": sort})
    assert response.context["sort"] == "-at"
    ids = [event.pk for event, _ in response.context["rows"]]
    assert ids == sorted(ids, reverse=True)
    assert verify_chain().intact  # the table is still there, untouched


def _many(cast: Cast, count: int) -> None:
    for _ in range(count):
        record(Action.EXPORT, by=cast.therapist_a, object_type="episode", object_id=1,
               patient_id=cast.patient_p.pk, clinic_id=cast.clinic_a.pk)  # fmt: skip


def test_pages_of_fifty_follow_each_other_by_cursor(cast: Cast) -> None:
    _many(cast, 120)
    client = client_for(cast.manager)
    first = client.get(REPORT).context["page"]
    second = client.get(REPORT, {"after": first.next_after}).context["page"]
    third = client.get(REPORT, {"after": second.next_after}).context["page"]
    pages = [first, second, third]
    assert [len(page.rows) for page in pages] == [50, 50, 20]
    ids = [event.pk for page in pages for event in page.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 120
    assert third.next_after is None and first.previous_before is None
    back = client.get(REPORT, {"before": third.previous_before}).context["page"]
    assert [e.pk for e in back.rows] == [e.pk for e in second.rows]
    again = client.get(REPORT, {"before": back.previous_before}).context["page"]
    assert [e.pk for e in again.rows] == [e.pk for e in first.rows]


@pytest.mark.parametrize("sort", ["actor", "-actor", "patient", "-patient", "action", "-outcome"])
def test_pages_by_cursor_cover_every_row_once_in_any_order(cast: Cast, sort: str) -> None:
    """Sorted by a column with ties and empty values, the cursor still walks every row once."""
    _many(cast, 30)
    for staff in (cast.therapist_a, cast.front_desk_a, cast.manager):
        for _ in range(25):
            record(Action.READ, by=staff, object_type="patient", object_id=1)  # no patient
    visible = selectors.events_visible_to(cast.auditor)
    expected = [e.pk for e in selectors.sorted_events(visible, sort)]
    walked, after = [], None
    while True:
        page = selectors.page_of(visible, sort, after=after)
        walked += [event.pk for event in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert walked == expected


def test_a_cursor_that_is_not_a_row_of_the_report_gives_the_first_page(cast: Cast) -> None:
    _many(cast, 60)
    client = client_for(cast.manager)
    first = client.get(REPORT).context["page"]
    assert client.get(REPORT, {"after": 10**9}).context["page"].rows == first.rows
    assert client.get(REPORT, {"after": "x"}).status_code == 400


REPORT_QUERIES = 10


@pytest.mark.parametrize("count", [5, 120])
def test_the_report_uses_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any, count: int
) -> None:
    _many(cast, count)
    client = client_for(cast.auditor)
    client.get(REPORT)  # warm the session
    with django_assert_max_num_queries(REPORT_QUERIES):
        response = client.get(REPORT, {"sort": "actor", "patient": cast.patient_p.pk})
    assert len(response.context["rows"]) == min(count, 50)


def test_the_query_count_does_not_grow_with_the_trail(cast: Cast) -> None:
    client = client_for(cast.auditor)
    client.get(REPORT)
    counts = []
    for extra in (3, 80):
        _many(cast, extra)
        with CaptureQueriesContext(connection) as queries:
            client.get(REPORT)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_export_is_the_filtered_rows_and_is_itself_recorded(
    cast: Cast, trail: dict[str, AuditEvent]
) -> None:
    client = client_for(cast.auditor)
    response = client.get(EXPORT, {"patient": cast.patient_p.pk, "sort": "at"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(row["id"]) for row in rows] == [trail["a"].pk]
    assert rows[0]["hash"] == trail["a"].hash
    exported = last_event()
    assert (exported.action, exported.actor_id, exported.object_type) == (
        Action.EXPORT, cast.auditor.pk, "audit_report",
    )  # fmt: skip
    assert exported.path == EXPORT
    assert verify_chain().intact


def test_the_export_cannot_carry_a_spreadsheet_formula(cast: Cast) -> None:
    sly = factories.staff("=HYPERLINK(1)", "therapist", [cast.clinic_a])
    read(cast, sly, cast.patient_p)
    body = b"".join(client_for(cast.auditor).get(EXPORT).streaming_content).decode()
    names = [row["actor_username"] for row in csv.DictReader(io.StringIO(body))]
    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names


def test_the_user_filter_takes_ids_and_staff_usernames_only(cast: Cast) -> None:
    """The filters travel in the address: a patient is asked for by account id, never by a
    username that may carry their name."""
    client = client_for(cast.auditor)
    refused = client.get(REPORT, {"user": cast.patient_p.user.username})
    assert refused.status_code == 400
    assert "account id, or the username of a member of staff" in refused.content.decode()
    assert client.get(REPORT, {"user": str(cast.patient_p.user.pk)}).status_code == 200
    assert client.get(REPORT, {"user": cast.therapist_a.username}).status_code == 200


def test_records_are_named_in_words_not_by_the_trails_short_names(cast: Cast) -> None:
    record(
        Action.READ, by=cast.therapist_a, object_type="medical_hold", object_id=7,
        patient_id=cast.patient_p.pk, clinic_id=cast.clinic_a.pk,
    )  # fmt: skip
    page = client_for(cast.auditor).get(REPORT).content.decode()
    assert "referral for medical review" in page
    assert "medical_hold" not in page
