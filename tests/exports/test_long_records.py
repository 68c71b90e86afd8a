"""A long record costs the same queries as a short one, and its PDF summary lists only the
latest rows of each kind (counting the rest) so that its size does not grow with the years."""

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.exports.worker import run_the_worker
from tests.personas import Cast
from unknot.exports import summary
from unknot.exports.record import record_for
from unknot.plans.models import ExerciseLog, LogStatus
from unknot.records.models import Episode, EpisodeStatus


def queries_of(client: Client, url: str) -> int:
    """Statements of an answer, after one to warm up (the session's, the audit trail's) and
    the worker's turn (the PDF summary is laid out by the worker, then downloaded)."""
    assert client.get(url).status_code == 200
    run_the_worker()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def another_course_of_care(calendar: Any, cast: Cast, years_ago: int) -> Episode:
    """A course of care for patient P, closed before the next one starts."""
    now = timezone.now() - dt.timedelta(days=365 * years_ago)
    episode = factories.episode_with_signed_plan(calendar, patient=cast.patient_p, now=now)
    Episode.objects.filter(pk=episode.pk).update(status=EpisodeStatus.DISCHARGED)
    return episode


def test_downloads_cost_the_same_queries_however_many_plans_of_care(
    calendar: Any, cast: Cast
) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    urls = [reverse(name, args=[cast.patient_p.pk])
            for name in ("exports:patient_bundle", "exports:patient_summary")]  # fmt: skip
    another_course_of_care(calendar, cast, 3)
    short = [queries_of(client, url) for url in urls]
    for years_ago in (2, 1):
        another_course_of_care(calendar, cast, years_ago)
    assert [queries_of(client, url) for url in urls] == short


def test_the_summary_lists_the_latest_and_counts_the_rest(calendar: Any, cast: Cast) -> None:
    episode = another_course_of_care(calendar, cast, 1)
    first = episode.opened_at.date()
    ExerciseLog.objects.bulk_create(
        ExerciseLog(episode=episode, performed_on=first + dt.timedelta(days=n),
                    status=LogStatus.SKIPPED if n % 3 == 0 else LogStatus.DONE)
        for n in range(summary.RECENT_LOGS + 30)
    )  # fmt: skip
    record = record_for(cast.therapist_a, cast.patient_p)  # the whole record, to compare
    shown = summary.context(cast.therapist_a, cast.patient_p, timezone.now())
    assert len(shown["logs"]) == summary.RECENT_LOGS and shown["earlier_logs"] == 30
    assert shown["logs"] == record.logs[-summary.RECENT_LOGS :]  # the latest, oldest first
    assert sum(count for _, count in shown["sessions"]) == len(record.logs)  # all counted
    assert shown["appointments_total"] == len(record.appointments)
    done = sum(sessions for _, _, sessions in shown["years"])
    assert done == sum(1 for log in record.logs if log.status != LogStatus.SKIPPED)
    assert {m.label: m.count for m in shown["measures"]} == dict(
        Counter(score.get_instrument_display() for score in record.scores)
    )
    chart = summary.activity_chart([(2030, 12, 40), (2031, 3, 9)])
    assert chart.startswith("data:image/svg+xml;base64,")
