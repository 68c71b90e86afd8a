"""Many writers at once on PostgreSQL: the chain lock lets one append at a time, so the
chain never forks (two rows claiming the same parent) and no writer fails.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

from collections.abc import Callable

import pytest
from django.db import transaction

from tests.concurrency import race
from unknot.audit import record
from unknot.audit.models import Action, AuditEvent
from unknot.audit.services import verify_chain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

WRITERS = 8
EACH = 25


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
def test_concurrent_writers_keep_one_unbroken_chain(work: Callable[[int], None]) -> None:
    assert race(work, WRITERS, join_seconds=120) == {None: WRITERS}  # no writer failed
    total = WRITERS * EACH
    verdict = verify_chain()
    assert verdict.intact, f"broken at {verdict.broken_id}: {verdict.problem}"
    assert verdict.count == total
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(1, total + 1))
    parents = AuditEvent.objects.values_list("previous_hash", flat=True)
    assert len(set(parents)) == total  # no two rows share a parent: no fork
