"""Test scaffolding that breaks the real database under a request, and what the tests check.

`Outage` is installed with `connection.execute_wrapper` around the real database driver. It
lets statements through until the chosen one, then the database goes away:

- on PostgreSQL the request's own server process is ended from a second connection with
  `pg_terminate_backend(pid)` just before the chosen statement is sent, so the statement
  (and every later one on that connection) fails inside psycopg exactly as it would if the
  server or the network went away; Django reconnects only if the code asks again;
- on SQLite there is no server to kill, so the chosen statement and every later one raise
  `django.db.OperationalError`, which is what the driver raises when the file cannot be
  reached ("unable to open database file", "disk I/O error").

Nothing of ours is replaced: the views, services, middleware and the 500 handler run as in
production, against the real database, with DEBUG off.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection

Statement = Callable[[str], bool]

# The plain error page (src/unknot/site/templates/500.html) says this, and nothing else.
PLAIN_400_HEADING = "We could not finish that request"
PLAIN_500_HEADING = "Something went wrong on our side"
# What must never be in an error page: Django's debug page, a traceback, SQL or driver text.
STACK_TEXT = re.compile(
    r"Traceback|File \"|line \d+|OperationalError|InterfaceError|psycopg|sqlite3|"
    r"SELECT |INSERT |UPDATE |administrator command|Exception Value|Request Method|"
    r"DJANGO_SETTINGS|site-packages",
)


def _names(table: str) -> re.Pattern[str]:
    # The ORM quotes table names; hand-written SQL (the audit append) may not.
    return re.compile(rf'(?<![\w"]){re.escape(table)}(?![\w"])|"{re.escape(table)}"')


def reads_table(table: str) -> Statement:
    """The statement reads or writes `table`."""
    named = _names(table)
    return lambda sql: named.search(sql) is not None


def _writes(verb: str, table: str) -> Statement:
    """The statement writes `table` with `verb`: alone, or as a part of a WITH statement that
    joins several writes (PostgreSQL, `common.together`)."""
    name = re.escape(table)
    write = re.compile(rf'\b{verb}\s+(?:INTO\s+)?(?:"{name}"|{name}(?![\w"]))', re.IGNORECASE)
    return lambda sql: write.search(sql) is not None


def inserts_into(table: str) -> Statement:
    return _writes("INSERT", table)


def updates(table: str) -> Statement:
    return _writes("UPDATE", table)


def appends_audit(sql: str) -> bool:
    """An audit append: a function call on PostgreSQL, an INSERT ... SELECT on SQLite."""
    return "audit_append(" in sql or inserts_into("audit_auditevent")(sql)


def any_statement(sql: str) -> bool:
    return True


class Outage:
    """The database is there until the `nth` statement that `matches`; from then on it is gone."""

    def __init__(self, matches: Statement = any_statement, nth: int = 1) -> None:
        self.matches = matches
        self.nth = nth
        self.matched = 0
        self.statements = 0  # every statement the wrapper saw, before and after the cut
        self.cut_before: str | None = None  # the statement that met a dead database
        self.killed_pid: int | None = None

    @property
    def happened(self) -> bool:
        return self.cut_before is not None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements += 1
        if not self.happened and self.matches(sql):
            self.matched += 1
            if self.matched == self.nth:
                self.cut_before = sql
                if connection.vendor == "postgresql":
                    self._terminate(context["connection"])
        if self.happened and connection.vendor != "postgresql":
            raise OperationalError("unable to open database file")
        return execute(sql, params, many, context)

    def _terminate(self, victim: Any) -> None:
        """Ends the backend of `victim` from a second connection and waits until it is gone."""
        pid = victim.connection.info.backend_pid
        killer = victim.get_new_connection(victim.get_connection_params())
        try:
            killer.autocommit = True
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                assert cursor.fetchone()[0], f"backend {pid} did not end"
        finally:
            killer.close()
        self.killed_pid = pid


@contextmanager
def database_outage(matches: Statement = any_statement, nth: int = 1) -> Iterator[Outage]:
    """Runs the block with `Outage` around the default connection; afterwards the next use
    of the connection gets a fresh one, as the next request of a real server would."""
    outage = Outage(matches, nth)
    try:
        with connection.execute_wrapper(outage):
            yield outage
    finally:
        connection.close()
    if outage.killed_pid is not None:
        assert_backend_gone(outage.killed_pid)


def assert_backend_gone(pid: int) -> None:
    """The killed server process is really gone (and this connection is a new one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        assert cursor.fetchone()[0] == 0, f"backend {pid} is still there"
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


class Counting:
    """Counts statements and keeps their text: how many a request makes, and which."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)


@contextmanager
def counting() -> Iterator[Counting]:
    counter = Counting()
    with connection.execute_wrapper(counter):
        yield counter


def assert_plain_500(response: Any, *must_not_show: str) -> None:
    """Our error page: status 500, its plain text, no stack or driver text, no `must_not_show`."""
    body = response.content.decode()
    assert response.status_code == 500, f"expected the error page, got {response.status_code}"
    assert PLAIN_500_HEADING in body, body[:500]
    leaked = STACK_TEXT.search(body)
    assert leaked is None, f"the error page shows {leaked.group(0)!r}"
    for secret in must_not_show:
        assert secret not in body, f"the error page shows {secret!r}"


def assert_error_page(response: Any, *must_not_show: str) -> None:
    """Our 500 page, or our plain 400 page, which Django answers when the session cannot be
    saved after the view has run (`SessionInterrupted`): the work may be saved by then, so
    that page asks the person to look before sending again."""
    if response.status_code == 500:
        assert_plain_500(response, *must_not_show)
        return
    body = response.content.decode()
    assert response.status_code == 400 and PLAIN_400_HEADING in body, body[:300]
    assert STACK_TEXT.search(body) is None
    assert not [secret for secret in must_not_show if secret in body]
