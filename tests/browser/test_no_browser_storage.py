"""Nothing about a person stays in the browser: a patient and a therapist (past the second
factor) walk the main pages in Chromium, and after every page localStorage, sessionStorage,
IndexedDB, the Cache API and service workers are empty, the only cookies are the session's
and the CSRF token's, and no URL the browser asked for holds a name, an email or a date of
birth. The intake's autosave sends each answer to the server (a POST body) and keeps none of
it in the browser."""

from typing import Any
from urllib.parse import unquote_plus, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.browser.second_factor import pass_second_factor
from tests.factories import PASSWORD
from tests.personas import Cast, make_cast
from tests.records.intake_support import open_intake
from tests.web import matrix_clinical
from tests.web.matrix_care import care_episode
from unknot.patients.models import Patient
from unknot.records.models import Episode, Intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "Lifted a sofa up the stairs."
STORAGE = """async () => ({
    local: Object.keys(window.localStorage),
    session: Object.keys(window.sessionStorage),
    databases: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [],
    caches: "caches" in window ? await caches.keys() : [],
    workers: navigator.serviceWorker
        ? (await navigator.serviceWorker.getRegistrations()).length : 0,
})"""
EMPTY = {"local": [], "session": [], "databases": [], "caches": [], "workers": 0}


class Walk:
    """One person's browser: every request it makes, and the checks after each page."""

    def __init__(self, browser: Any, base: str, people: list[Patient]) -> None:
        self.base = base
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[tuple[str, str, str]] = []  # method, URL, body
        self.page.on("request", self._seen)
        self.private = [word.lower() for p in people for word in _identifying(p)]
        self.checked: list[str] = []

    def _seen(self, request: Any) -> None:
        self.requests.append((request.method, request.url, request.post_data or ""))

    def sign_in(self, user: Any) -> None:
        self.page.goto(self.base + reverse("accounts:login"))
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        pass_second_factor(self.page, user)

    def visit(self, path: str, label: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{label}: {path}"
        self.nothing_kept(label)

    def nothing_kept(self, label: str) -> None:
        self.page.wait_for_load_state()
        assert self.page.evaluate(STORAGE) == EMPTY, f"browser storage after {label}"
        names = {cookie["name"] for cookie in self.context.cookies()}
        assert names <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}, label
        urls = [unquote_plus(url).lower() for _, url, _ in self.requests]
        found = [url for url in urls for word in self.private if word in url]
        assert found == [], f"personal data in a URL by {label}: {found}"
        self.checked.append(label)


def _identifying(patient: Patient) -> list[str]:
    words = [patient.first_name, patient.last_name, patient.email]
    return [*words, patient.date_of_birth.isoformat()]


@pytest.fixture
def practice(live_server: Any, staff_devices: Any) -> dict[str, Any]:
    cast = make_cast()
    staff_devices()  # the therapist set up an authenticator app long ago
    reviewed = factories.patient("Ida", "Reed", cast.clinic_a)
    rosa = factories.patient("Rosa", "Marsh", cast.clinic_a)
    return {
        "base": str(live_server.url),
        "cast": cast,
        "care": care_episode(cast.patient_p, cast.therapist_a),
        "review": matrix_clinical.episode(cast, patient=reviewed),
        "intake": open_intake(rosa, cast.therapist_a),
        "people": [cast.patient_p, reviewed, rosa, cast.patient_q],
    }


def test_a_patients_pages_keep_nothing_in_the_browser(browser: Any, practice: dict) -> None:
    cast: Cast = practice["cast"]
    walk = Walk(browser, practice["base"], practice["people"])
    walk.sign_in(cast.patient_p.user)
    walk.nothing_kept("sign-in")
    pages = (
        ("portal:home", "portal home"),
        ("home_programme:home", "home programme"),
        ("home_programme:log", "log page"),
        ("home_programme:progress", "progress"),
    )
    for name, label in pages:
        walk.visit(reverse(name), label)
    assert len(walk.checked) == 5


def test_a_therapists_pages_keep_nothing_in_the_browser(browser: Any, practice: dict) -> None:
    cast: Cast = practice["cast"]
    walk = Walk(browser, practice["base"], practice["people"])
    walk.sign_in(cast.therapist_a)
    walk.nothing_kept("sign-in with the second factor")
    walk.visit(reverse("staffarea:dashboard"), "staff dashboard")
    walk.visit(reverse("staffarea:patient_list"), "patient list")
    search = walk.page.get_by_role("search")
    search.get_by_label("Search by name or email").fill(cast.patient_p.last_name)
    with walk.page.expect_navigation():
        search.get_by_role("button", name="Search", exact=True).click()
    assert urlsplit(walk.page.url).path == reverse("staffarea:patient_list")
    assert urlsplit(walk.page.url).query == ""
    walk.nothing_kept("patient list with a search")
    with walk.page.expect_navigation():
        walk.page.get_by_role("link", name=cast.patient_p.full_name).click()
    walk.nothing_kept("patient detail")
    walk.visit(reverse("clinical:episode", args=[practice["care"].pk]), "episode chart")
    walk.visit(reverse("intake:review_list"), "intake reviews")
    walk.visit(reverse("intake:review_detail", args=[practice["review"].pk]), "intake review")
    posted = [body for method, url, body in walk.requests if method == "POST"]
    assert any(cast.patient_p.last_name in unquote_plus(body) for body in posted)


def test_the_intake_autosave_sends_answers_and_keeps_none(browser: Any, practice: dict) -> None:
    intake: Intake = practice["intake"]
    episode: Episode = intake.episode
    walk = Walk(browser, practice["base"], practice["people"])
    walk.sign_in(episode.patient.user)
    walk.visit(reverse("intake:overview"), "intake overview")
    walk.visit(reverse("intake:section", args=["story"]), "intake story")
    assert walk.page.locator("form[data-autosave]").count() == 1
    walk.page.get_by_label("In your own words, what happened?").fill(STORY)
    walk.page.locator("[data-autosave-status]", has_text="Saved.").wait_for()
    walk.nothing_kept("intake autosave")
    autosaves = [(url, body) for method, url, body in walk.requests if method == "POST"]
    assert any(STORY in unquote_plus(body) for _, body in autosaves), autosaves
    assert all("sofa" not in unquote_plus(url).lower() for _, url, _ in walk.requests)
    intake.refresh_from_db()
    assert STORY in str(intake.answers) + str(intake.notes)  # on the server, where it belongs
