"""The intake review list a page at a time: alerts first and all on the first page, a count of
the whole list, the next page by a signed cursor, and the same queries on every page."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.personas import Cast
from tests.records.intake_support import open_intake, signed_in
from tests.web import matrix_clinical as mc
from unknot.care import vocab
from unknot.common import keyset
from unknot.records.intake import review_pages, screen_memory
from unknot.records.models import Intake, IntakeStatus

pytestmark = pytest.mark.django_db
URL = reverse("intake:review_list")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(review_pages, "PAGE_SIZE", 2)
    return 2


def intakes(cast: Cast, count: int, name: str) -> list[Intake]:
    return [
        open_intake(factories.patient(name, f"Row{n}", cast.clinic_a), cast.therapist_a)
        for n in range(count)
    ]


def listed(response: Any) -> list[int]:
    return [row.intake.pk for row in response.context["rows"]]


def test_a_long_list_shows_a_page_with_the_count_and_the_next_page(cast: Cast, small_pages):
    made = intakes(cast, 5, "Dora")  # drafts, by appointment time
    therapist = signed_in(cast.therapist_a)
    first = therapist.get(URL)
    assert listed(first) == [made[0].pk, made[1].pk]
    text = first.content.decode()
    assert "Showing 1–2 of 5 intakes: 3 more after this page." in text
    assert "Next page" in text
    seen = listed(first)
    page = first.context["page"]
    while page.next:
        following = therapist.get(URL, {"cursor": page.next})
        seen += listed(following)
        page = following.context["page"]
    assert seen == [intake.pk for intake in made]  # every row once, in order
    assert "Showing 5–5 of 5 intakes." in following.content.decode()
    assert "First page" in following.content.decode()


def test_every_alert_is_on_the_first_page_however_many(cast: Cast, small_pages) -> None:
    calm = intakes(cast, 2, "Cal")
    alerts = intakes(cast, 3, "Alma")
    Intake.objects.filter(pk__in=[a.pk for a in alerts]).update(emergency_at=timezone.now())
    therapist = signed_in(cast.therapist_a)
    first = therapist.get(URL)
    assert listed(first) == [a.pk for a in alerts]  # three rows on a page of two
    assert all(row.needs_attention for row in first.context["rows"])
    second = therapist.get(URL, {"cursor": first.context["page"].next})
    assert listed(second) == [c.pk for c in calm]
    assert "3 same-day alerts waiting: see the first page." in second.content.decode()


def test_sent_intakes_come_before_drafts_across_pages(cast: Cast, small_pages) -> None:
    drafts = intakes(cast, 2, "Dora")
    sent = intakes(cast, 2, "Sam")
    Intake.objects.filter(pk__in=[s.pk for s in sent]).update(status=IntakeStatus.SUBMITTED)
    assert listed(signed_in(cast.therapist_a).get(URL)) == [s.pk for s in sent]
    assert len(drafts) == 2


def test_a_cursor_whose_row_has_left_starts_again_and_says_so(cast: Cast, small_pages) -> None:
    made = intakes(cast, 3, "Dora")
    therapist = signed_in(cast.therapist_a)
    cursor = therapist.get(URL).context["page"].next
    Intake.objects.filter(pk=made[1].pk).delete()  # the row the next page starts after
    again = therapist.get(URL, {"cursor": cursor})
    assert listed(again) == [made[0].pk, made[2].pk]
    assert "The list has changed since that page was shown" in again.content.decode()


def test_a_cursor_not_made_for_this_list_is_refused(cast: Cast) -> None:
    intakes(cast, 1, "Dora")
    therapist = signed_in(cast.therapist_a)
    other = keyset.make_cursor("outbox|outbox.outboxemail|-created_at,-pk", 1, backwards=False)
    for cursor in ("made-up", other, "x" * 2000):
        response = therapist.get(URL, {"cursor": cursor})
        assert response.status_code == 400
        assert b"start again from the first page" in response.content


def test_the_next_page_asks_as_many_queries_as_the_first(cast: Cast, small_pages) -> None:
    intakes(cast, 5, "Dora")
    therapist = signed_in(cast.therapist_a)
    first = therapist.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as on_first:
        first = therapist.get(URL)
    with CaptureQueriesContext(connection) as on_next:
        therapist.get(URL, {"cursor": first.context["page"].next})
    assert len(on_next) == len(on_first)


def test_a_remembered_screen_follows_the_answers(cast: Cast) -> None:
    """The marker is remembered by the content it read: other answers are another verdict,
    never the one remembered for the earlier answers."""
    made = mc.episode(cast)  # every domain asked
    intake = Intake.objects.select_related("episode__patient").get(episode=made)
    today = timezone.now().date()
    assert not screen_memory.screening_incomplete(intake, None, today)
    flags = dict(intake.answers["red_flags"])
    del flags[vocab.DOMAINS["inflammatory"][0]]
    intake.answers = {**intake.answers, "red_flags": flags}
    assert screen_memory.screening_incomplete(intake, None, today)
    intake.answers = {"red_flags": {"collapse": "not a yes or no"}}
    assert screen_memory.screening_incomplete(intake, None, today)  # unreadable counts as open
