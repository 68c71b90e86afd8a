"""All or nothing: the database is cut before each statement of a request in turn.

For every statement of the request, a fresh attempt is prepared and the database goes away
just before that statement. Afterwards the data must be exactly as before the request
("none") or exactly as after an uninterrupted one ("all"), never in between, and the person
must get a plain error page. Before the commit only "none" is possible; a cut after it (the
session being saved) keeps "all".
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.failures.outage import assert_error_page, assert_plain_500, counting, database_outage
from unknot.audit.models import Action, AuditEvent

State = dict[str, int]


@dataclass
class Attempt:
    """A request ready to be sent, and what must never show in an error page for it."""

    send: Callable[[], Any]
    secrets: tuple[str, ...] = ()


def our_models() -> list[Any]:
    """Every model of our apps, and the task queue the outbox hands work to."""
    ours = [m for m in apps.get_models() if m._meta.app_config.name.startswith("unknot.")]
    return [*ours, DBTaskResult]


def data_state() -> State:
    """Rows per model and, where a model has a status, rows per status.

    The audit trail counts only its writes (create, update, ...): a read that was recorded
    before the cut did happen, and stays recorded in its own small transaction.
    """
    state: State = {}
    for model in our_models():
        label = model._meta.label
        rows = model._base_manager.all()
        if model is AuditEvent:
            rows = rows.exclude(action=Action.READ)
        state[label] = rows.count()
        if any(field.name == "status" for field in model._meta.fields):
            for status, count in Counter(rows.values_list("status", flat=True)).items():
                state[f"{label}[{status}]"] = count
    return state


def difference(before: State, after: State) -> State:
    keys = before.keys() | after.keys()
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)
    }


def plus(base: State, change: State) -> State:
    keys = base.keys() | change.keys()
    return {k: base.get(k, 0) + change.get(k, 0) for k in keys if base.get(k, 0) + change.get(k, 0)}


def without_zeros(state: State) -> State:
    return {k: v for k, v in state.items() if v}


def assert_audit_chain_intact() -> None:
    call_command("verify_audit", verbosity=0)  # raises CommandError naming the broken row


def measure(
    prepare: Callable[[int], Attempt], succeeded: Callable[[Any], bool]
) -> tuple[State, int]:
    """What one uninterrupted request changes, and how many statements it makes."""
    attempt = prepare(0)
    before = data_state()
    with counting() as seen:
        response = attempt.send()
    assert succeeded(response), f"the uninterrupted request failed: {response.status_code}"
    change = difference(before, data_state())
    assert change, "the uninterrupted request changed nothing: nothing to test"
    return change, len(seen.sql)


def cut_before_every_statement(
    prepare: Callable[[int], Attempt], succeeded: Callable[[Any], bool]
) -> list[str]:
    """Cuts attempt n before its n-th statement, for every n; returns "none"/"all" per cut."""
    change, statements = measure(prepare, succeeded)
    outcomes = []
    for n in range(1, statements + 1):
        attempt = prepare(n)
        before = without_zeros(data_state())
        with database_outage(nth=n) as outage:
            response = attempt.send()
        assert outage.happened, f"attempt {n} made fewer statements than the first"
        now = without_zeros(data_state())
        where = f"cut before statement {n} ({(outage.cut_before or '').strip()[:90]})"
        assert now in (before, plus(before, change)), (
            f"{where}: half-written {difference(before, now)}"
        )
        outcomes.append("none" if now == before else "all")
        check_page = assert_plain_500 if now == before else assert_error_page
        try:
            check_page(response, *attempt.secrets)
        except AssertionError as wrong:
            raise AssertionError(f"{where}, {outcomes[-1]} kept: {wrong}") from None
    assert_audit_chain_intact()
    # A cut can keep the work only when a statement runs after the commit (a task queued on
    # commit, a session write); in many requests none does, and every cut then loses it all.
    # The uninterrupted run (`measure`) showed that the work itself is kept.
    assert outcomes[0] == "none", outcomes
    assert outcomes == sorted(outcomes, key=["none", "all"].index), f"kept, then lost: {outcomes}"
    return outcomes


def every_cut_answers_an_error(send: Callable[[], Any], secrets: tuple[str, ...]) -> int:
    """A read of protected data, cut before each of its statements in turn: every cut answers
    an error page without the data, never a 200. Returns how many cuts were made."""
    send()  # the first use may write once (a token's "last used"); count a usual one
    with counting() as seen:
        baseline = send()
    assert baseline.status_code == 200, baseline.status_code
    shown = baseline.content.decode()
    assert all(secret in shown for secret in secrets), "the page does not show what it guards"
    for n in range(1, len(seen.sql) + 1):
        with database_outage(nth=n) as outage:
            response = send()
        assert outage.happened, f"the read made fewer than {n} statements this time"
        try:
            assert_error_page(response, *secrets)
        except AssertionError as wrong:
            sql = (outage.cut_before or "").strip()[:90]
            raise AssertionError(f"cut before statement {n} ({sql}): {wrong}") from None
    assert_audit_chain_intact()
    return len(seen.sql)
