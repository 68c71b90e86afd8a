"""Rows made once for a group of tests, as Django's TestCase.setUpTestData makes them."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import TestCase


@contextmanager
def rows_shared_by_a_group(django_db_blocker: Any) -> Iterator[None]:
    """For a fixture wider than one test (module scope, or a module-scoped parameter): rows made
    inside this block (unblock the database to make them) are kept for every test of the group,
    then rolled back. The group's rows are made once in an outer transaction, and each test
    (`db`) still runs in its own savepoint inside it, so whatever a test writes is undone
    before the next one starts.

    Only for groups of plain `db` tests: a transactional test (live server, threads) would
    empty the tables under the open transaction. Model instances made here are shared as they
    are (TestCase would copy them for each test): tests may read them, never change them.
    """
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            TestCase._rollback_atomics(atomics)
