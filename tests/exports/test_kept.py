"""The PDF summary is laid out by the worker: the download answers at once that it is being
prepared, the worker lays it out and keeps it (in the database), the next download hands it over
(access-checked and audited), and a changed record makes a new one."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests import factories
from tests.exports.worker import run_the_worker
from tests.personas import Cast
from tests.plans.test_home_programme import pdf_text
from unknot.audit.models import AuditEvent
from unknot.exports import kept
from unknot.exports.models import KeptSummary
from unknot.plans.models import ExerciseLog, LogStatus
from unknot.records.models import Episode

TASK = "unknot.exports.tasks.lay_out_summary"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url_of(cast: Cast) -> str:
    return reverse("exports:patient_summary", args=[cast.patient_p.pk])


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=TASK).ready().count()


def a_course_of_care(calendar: Any, cast: Cast) -> Episode:
    now = timezone.now() - dt.timedelta(days=30)
    return factories.episode_with_signed_plan(calendar, patient=cast.patient_p, now=now)


def assert_preparing(response: Any) -> None:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response["Refresh"] and b"is being prepared" in response.content


def test_the_first_download_is_prepared_by_the_worker(calendar: Any, cast: Cast) -> None:
    a_course_of_care(calendar, cast)
    client = signed_in(cast.therapist_a)
    assert_preparing(client.get(url_of(cast)))
    assert queued() == 1
    assert_preparing(client.get(url_of(cast)))  # asking again while it is prepared...
    assert queued() == 1  # ...does not ask the worker twice
    [row] = KeptSummary.objects.all()
    assert (row.patient, row.asked_by, row.ready_at) == (cast.patient_p, cast.therapist_a, None)
    reads = AuditEvent.objects.filter(action="read", reason="summary_pdf")
    assert reads.filter(patient_id=cast.patient_p.pk, actor_username="therapist_a").exists()
    assert not AuditEvent.objects.filter(action="export").exists()  # nothing left the system


def test_the_worker_keeps_it_and_the_next_download_hands_it_over(
    calendar: Any, cast: Cast, tmp_path: Path
) -> None:
    a_course_of_care(calendar, cast)
    client = signed_in(cast.therapist_a)
    client.get(url_of(cast))
    run_the_worker()
    row = KeptSummary.objects.get()
    assert row.page == "" and row.ready_at is not None  # the page is not kept twice
    assert bytes(row.pdf).startswith(b"%PDF")
    response = client.get(url_of(cast))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert "Penny Parker" in pdf_text(response.content, tmp_path)
    export = AuditEvent.objects.get(action="export")
    assert (export.patient_id, export.reason, export.actor_username) == (
        cast.patient_p.pk, "summary_pdf", "therapist_a",
    )  # fmt: skip
    assert client.get(url_of(cast)).content == response.content  # kept: no new layout
    assert queued() == 0 and AuditEvent.objects.filter(action="export").count() == 2


def test_a_changed_record_makes_a_new_one(calendar: Any, cast: Cast, tmp_path: Path) -> None:
    episode = a_course_of_care(calendar, cast)
    client = signed_in(cast.therapist_a)
    client.get(url_of(cast))
    run_the_worker()
    old = KeptSummary.objects.get().fingerprint
    ExerciseLog.objects.create(
        episode=episode, performed_on=timezone.localdate(), status=LogStatus.DONE,
        note="Walked the dog without pain",
    )  # fmt: skip
    assert_preparing(client.get(url_of(cast)))
    row = KeptSummary.objects.get()  # the new page in place of the old summary
    assert row.fingerprint != old and row.ready_at is None and bytes(row.pdf) == b""
    run_the_worker()
    response = client.get(url_of(cast))
    assert "Walked the dog without pain" in pdf_text(response.content, tmp_path)


def test_a_lost_task_is_asked_again(calendar: Any, cast: Cast) -> None:
    a_course_of_care(calendar, cast)
    client = signed_in(cast.therapist_a)
    client.get(url_of(cast))
    DBTaskResult.objects.all().delete()  # a worker that lost its task
    KeptSummary.objects.update(asked_at=timezone.now() - kept.ASK_AGAIN_AFTER)
    assert_preparing(client.get(url_of(cast)))
    assert queued() == 1
    run_the_worker()
    assert client.get(url_of(cast))["Content-Type"] == "application/pdf"


def test_each_asker_has_their_own_and_outsiders_get_nothing(calendar: Any, cast: Cast) -> None:
    a_course_of_care(calendar, cast)
    client = signed_in(cast.therapist_a)
    client.get(url_of(cast))
    run_the_worker()
    assert client.get(url_of(cast))["Content-Type"] == "application/pdf"
    assert_preparing(signed_in(cast.manager).get(url_of(cast)))  # not therapist_a's copy
    assert signed_in(cast.therapist_b).get(url_of(cast)).status_code == 404  # another clinic
    assert signed_in(cast.front_desk_a).get(url_of(cast)).status_code == 403
    assert signed_in(cast.biller_a).get(url_of(cast)).status_code == 403
    assert signed_in(cast.patient_q.user).get(url_of(cast)).status_code == 403
    anonymous = Client().get(url_of(cast))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert KeptSummary.objects.count() == 2 and queued() == 1  # therapist_a's and the manager's
    own = signed_in(cast.patient_q.user)
    assert_preparing(own.get(reverse("exports:my_summary")))
    assert KeptSummary.objects.filter(patient=cast.patient_q).count() == 1


def test_the_worker_does_nothing_for_a_page_asked_for_since(calendar: Any, cast: Cast) -> None:
    a_course_of_care(calendar, cast)
    signed_in(cast.therapist_a).get(url_of(cast))
    row = KeptSummary.objects.get()
    assert kept.lay_out(row.pk, "0" * 64) == "nothing to do"  # another state of the record
    assert kept.lay_out(row.pk, row.fingerprint) == "laid out"
    assert kept.lay_out(row.pk, row.fingerprint) == "nothing to do"  # once
