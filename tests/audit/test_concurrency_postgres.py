"""Many writers at once on PostgreSQL: the chain lock lets one append at a time, so the
chain never forks (two rows claiming the same parent) and no writer fails.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

import threading

import pytest
from django.db import connections, transaction

from unknot.audit import record
from unknot.audit.models import Action, AuditEvent
from unknot.audit.services import verify_chain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

WRITERS = 8
EACH = 25


def _in_threads(work: object) -> list[str]:
    """Runs work(i) in WRITERS threads released together; returns what went wrong."""
    barrier = threading.Barrier(WRITERS)
    problems: list[str] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)  # type: ignore[operator]
        except Exception as unexpected:  # kept, so the assertion shows it
            problems.append(repr(unexpected))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return problems


def _append_alone(i: int) -> None:
    for n in range(EACH):
        record(Action.READ, object_type="patient", object_id=f"{i}-{n}", patient_id=i + 1)


def _append_inside_longer_work(i: int) -> None:
    # As a service would: several records in one transaction, the lock held until commit.
    for n in range(0, EACH, 5):
        with transaction.atomic():
            for k in range(n, n + 5):
                record(Action.UPDATE, object_type="episode", object_id=f"{i}-{k}")


@pytest.mark.parametrize("work", [_append_alone, _append_inside_longer_work])
def test_concurrent_writers_keep_one_unbroken_chain(work: object) -> None:
    assert _in_threads(work) == []
    total = WRITERS * EACH
    verdict = verify_chain()
    assert verdict.intact, f"broken at {verdict.broken_id}: {verdict.problem}"
    assert verdict.count == total
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(1, total + 1))
    parents = AuditEvent.objects.values_list("previous_hash", flat=True)
    assert len(set(parents)) == total  # no two rows share a parent: no fork
