"""The background worker's turn, in the test's process: every task queued so far is run as
the worker runs it (claimed, called, marked done), on the test's own database connection."""

from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_the_worker() -> None:
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="tests", excluded_queue_names=[],
    )  # fmt: skip
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim(worker.worker_id)
        worker.run_task(row)  # a failure is recorded on the row, as in production...
    failed = DBTaskResult.objects.failed()
    assert not failed.exists(), [row.traceback for row in failed]  # ...and fails the test


def summary_pdf(client: Client, url: str) -> object:
    """The PDF summary as the person gets it: asked for, laid out by the worker, downloaded."""
    preparing = client.get(url)
    assert preparing.status_code == 200, preparing.content[:300]
    run_the_worker()
    return client.get(url)
