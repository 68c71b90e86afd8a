"""Stored XSS in a real browser: script in every free-text field, every page that shows one.

The practice of tests/attacks/xss_world.py (every attacked column of every row overwritten
with payloads) is opened in headless Chromium, one tab per persona, page after page. On
each page:

- `window.__xss` (what every payload would set) is undefined, and no dialog opened;
- no Content-Security-Policy violation was reported (an event listener added before the
  page's own scripts, and the console), so an unescaped payload that CSP happened to block
  fails the test too;
- no element carries an event-handler attribute, and no link or form points at javascript:;
- the payloads that are on the page are there whole, as text (escaped), with their tags.

At the end every attacked field must have been seen, escaped, on at least one page, unless
`NOT_RENDERED` says why no page shows it. PDFs are not rendered by a browser (WeasyPrint
makes them; no script runs in them); emails are plain text (no HTML part is sent).
"""

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.attacks import stored_text, xss_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Attacked fields that no page shows, and why; the test fails if one of them turns up.
NOT_RENDERED: dict[str, str] = {
    "outbox.OutboxEmail.body": "the outbox never shows an email's text (it may name a patient)",
    "outbox.OutboxEmail.ics": "a calendar attachment, never shown",
    "audit.AuditEvent.actor_username": "the username, whose own tag is counted for accounts.User",
    "accounts.User.email": "no page shows an account's email (a patient's is Patient.email)",
    "clinics.Practice.tagline": "no page shows it",
    "booking.TimeOff.reason": "calendars show time off as busy, never why",
    "booking.AppointmentSeries.description": "no page shows it ('part of a series' only)",
    "plans.ExerciseLog.note": "only in the record summary PDF (exports), not on a page",
    "records.OutcomeScore.details": "no page shows it; PSFS activities come from the intake",
}

LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""
INSPECT = """() => {
  const all = [...document.querySelectorAll('*')];
  const parts = [document.documentElement.textContent];
  for (const el of all) {
    for (const a of el.attributes) parts.push(a.value);
    if (typeof el.value === 'string') parts.push(el.value);
  }
  const handlers = all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)));
  const jsUrls = all.filter((el) => ['href', 'src', 'action', 'formaction'].some(
    (n) => /^\\s*javascript:/i.test(el.getAttribute(n) || '')));
  return {
    xss: typeof window.__xss,
    violations: window.__violations || ['the listener did not run'],
    handlers: handlers.map((el) => el.outerHTML.slice(0, 120)),
    jsUrls: jsUrls.map((el) => el.outerHTML.slice(0, 120)),
    text: parts.join('\\n'),
  };
}"""
TAG = re.compile(r"~\d+~")


class Tab:
    """One persona's tab: signed in with a session cookie, listening for trouble."""

    def __init__(self, browser: Any, base: str, session_key: str | None) -> None:
        self.context = browser.new_context()
        if session_key:
            self.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}]
            )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def open(self, url: str) -> dict[str, Any]:
        self.dialogs.clear()
        self.console.clear()
        response = self.page.goto(url, wait_until="load")
        found = self.page.evaluate(INSPECT)
        found["status"] = response.status if response else None
        found["dialogs"] = list(self.dialogs)
        found["console"] = list(self.console)
        return found


def session_of(user: Any) -> str | None:
    """A real session, signed in (both factors) the way tests/conftest.py's force_login does."""
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def problems_on(url: str, found: dict[str, Any]) -> list[str]:
    checks = {
        "status": found["status"] != 200,
        "window.__xss was set": found["xss"] != "undefined",
        "a dialog opened": bool(found["dialogs"]),
        "CSP violations": bool(found["violations"]),
        "CSP in the console": bool(found["console"]),
        "event-handler attributes": bool(found["handlers"]),
        "javascript: URLs": bool(found["jsUrls"]),
    }
    details = {
        "status": found["status"], "a dialog opened": found["dialogs"],
        "CSP violations": found["violations"], "CSP in the console": found["console"],
        "event-handler attributes": found["handlers"], "javascript: URLs": found["jsUrls"],
    }  # fmt: skip
    return [f"{url}: {what} {details.get(what, '')}" for what, bad in checks.items() if bad]


def escaped_tags(found: dict[str, Any], written: stored_text.Written) -> tuple[set[str], set[str]]:
    """(tags whose whole payload is on the page as text, tags on the page but cut or changed)."""
    text = found["text"]
    whole, partial = set(), set()
    for tag in set(TAG.findall(text)) & written.values.keys():
        (whole if written.values[tag][1] in text else partial).add(tag)
    return whole, partial


def test_script_in_every_field_never_runs(browser: Any, live_server: Any) -> None:
    world = xss_world.build()
    base = str(live_server.url)
    problems: list[str] = []
    seen: set[str] = set()
    pages = 0
    for persona in xss_world.PAGES:
        tab = Tab(browser, base, session_of(world.users.get(persona)))
        for url in xss_world.urls_for(world, persona):
            found = tab.open(base + url)
            pages += 1
            problems += [f"{persona} {p}" for p in problems_on(url, found)]
            whole, _partial = escaped_tags(found, world.written)
            seen |= whole
        tab.context.close()

    assert problems == [], "\n".join(problems)
    assert pages > 50
    shown = world.written.fields_seen(seen)
    expected = stored_text.attacked_fields() - set(NOT_RENDERED) - stored_text.untaggable_fields()
    missing = sorted(expected - shown)
    assert missing == [], f"attacked, but shown escaped on no page we open: {missing}"
    assert shown & set(NOT_RENDERED) == set(), "shown after all: take it out of NOT_RENDERED"
