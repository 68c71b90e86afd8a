"""Shared fixtures. Test files are named after the module they test (docs/architecture.md):
tests/<app>/test_<module>.py; the world is built through the services (tests/factories.py).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the pure cores' tests run without Django configured
    from tests.calendar import Calendar
    from tests.personas import Cast


POSTGRES_ONLY = "needs DATABASE_URL pointing at PostgreSQL (runs in the PostgreSQL pass of .ci/run)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `postgres` marker is all a test needs: without PostgreSQL it is skipped, saying when
    it runs, so no test file repeats its own engine check."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.skip(reason=POSTGRES_ONLY))


ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session", autouse=True)
def _fast_test_hashes(request: pytest.FixtureRequest) -> Iterator[None]:
    # Argon2 stays the default hasher; MD5 is only added so that test users are cheap to make.
    # For the whole run, so that rows made once for a group of tests can have users too.
    # The pure cores' tests can run without the Django plugin, hence the guard.
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.conf import settings
    from django.test import override_settings

    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[*settings.PASSWORD_HASHERS, md5]):
        yield


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-in helper, the ONE place tests skip typing a code: `client.force_login(user)`.

    Staff must pass a second factor (SecondFactorMiddleware), and force_login only does the
    password half. So, for anyone who owes a second factor, force_login here also gives them
    a confirmed authenticator device and marks the session verified exactly as the real
    second step does (django_otp.login writes the device id into the session; see
    tests/accounts/totp.py). Nothing in the site is bypassed: the middleware still reads and
    checks that device on every request. The real pages, with codes computed from the
    device's secret, are tested in tests/accounts/; browser tests sign in through the form
    and call tests/browser/second_factor.py::pass_second_factor.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.test.client import ClientMixin

    from tests.accounts.totp import pass_second_factor_in_session

    password_half = ClientMixin.force_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        password_half(self, user, backend)
        pass_second_factor_in_session(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def staff_devices() -> Any:
    """Call the returned function after loading the cast or the demo: every member of staff
    gets a confirmed authenticator app (so browser sign-ins ask for a code, not a set-up)."""
    from tests.browser.second_factor import give_staff_devices

    return give_staff_devices


@pytest.fixture
def cast(db: None) -> "Cast":
    from tests.personas import make_cast

    return make_cast()


@pytest.fixture
def calendar(cast: "Cast") -> "Calendar":
    """The one shared calendar (tests/calendar.py): clinics A and B open 08-18 on weekdays,
    their therapists working those hours, evaluation and follow-up types."""
    from tests.calendar import make_calendar

    return make_calendar(cast)


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def chromium_path() -> str | None:
    return os.environ.get("UNKNOT_CHROMIUM") or shutil.which("chromium")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless Debian Chromium through Playwright. Never downloads a browser.

    Without Chromium the test is skipped, unless UNKNOT_REQUIRE_BROWSER=1 (set by .ci/run),
    where a missing browser fails the run.
    """
    executable = chromium_path()
    if executable is None:
        if os.environ.get("UNKNOT_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (UNKNOT_REQUIRE_BROWSER=1) but was not found.")
        pytest.skip("Chromium is not installed; .ci/run installs it and runs this test.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's guard is lifted for the duration of the test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


class _Inbox:
    """Collects what a real SMTP server on 127.0.0.1 received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[_Inbox]:
    """A real SMTP server (aiosmtpd) on a free local port, wired in as the default mailer."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


AXE_SOURCE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_check() -> Any:
    """Runs axe-core (from npm, `make test` installs it) in a page; fails on serious/critical.

    The script is evaluated through the browser's debugging protocol, so the page's CSP,
    which allows no inline scripts, stays exactly as it is in production.
    """
    if not AXE_SOURCE.exists():
        if os.environ.get("UNKNOT_REQUIRE_BROWSER") == "1":
            pytest.fail("axe-core is required but node_modules/axe-core is missing (npm ci).")
        pytest.skip("axe-core is not installed (needs npm); .ci/run installs it.")
    source = AXE_SOURCE.read_text()

    def check(page: Any, label: str = "") -> None:
        page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"accessibility problems on {label or page.url}: {serious}"

    return check


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_teardown(request: pytest.FixtureRequest) -> Iterator[None]:
    """Live servers and worker threads can leave a PostgreSQL session open on the test
    database, which then cannot be dropped; end those sessions before the database goes."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    request.getfixturevalue("django_db_setup")
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def replica() -> Iterator[str]:
    """A replica alias on the test database, as DATABASE_REPLICA_URL makes one in settings
    (unknot.common.replica). Tests using it commit their rows (transaction=True) so that the
    second connection sees them."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from unknot.common.replica import REPLICA_ALIAS

    mirror = {**connections[DEFAULT_DB_ALIAS].settings_dict, "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA_ALIAS] = mirror
    # Opened here, as the configured alias it stands for would be: Django's test case lets a
    # test use only the aliases that existed when it began, unless already connected.
    connections[REPLICA_ALIAS].connect()
    try:
        yield REPLICA_ALIAS
    finally:
        connections[REPLICA_ALIAS].close()
        del connections[REPLICA_ALIAS]
        del connections.settings[REPLICA_ALIAS]
