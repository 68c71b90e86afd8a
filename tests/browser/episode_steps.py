"""Steps of a whole episode of care, played in a real browser by the people who live it.

Each step drives the pages as that person would (links, labels, buttons) and hands every page it
reaches to `Journey.seen`, which runs axe-core there and keeps the problems, so that one run of
the test lists every accessibility problem of the journey instead of stopping at the first.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from tests.browser.second_factor import pass_second_factor
from tests.browser.test_booking_in_chromium import answer_safety, choose_a_time, fill_details
from tests.records.intake_support import FULL
from unknot.demo.data import DEMO_PASSWORD

PHONE = {"width": 390, "height": 844}
PATIENT_PASSWORD = "slow tide over the pier 7"  # the password the patient chooses
PATIENT_EMAIL = "rosa.marsh@example.org"  # what fill_details types
PATIENT_NAME = "Rosa Marsh"

# What Rosa tells the clinic: the calm, complete intake of the intake tests (no red flag), with
# her own acute episode: it began ten days ago, pain 7 of 10, Oswestry 44 % (22 of 50), PSFS
# mean 3. With high irritability at the evaluation the care core starts her in symptom relief.
INTAKE = {slug: dict(answers) for slug, answers in FULL.items()}
INTAKE["story"]["onset_date"] = (dt.date.today() - dt.timedelta(days=10)).isoformat()
INTAKE["daily-activities"] = {
    f"section_{n}": str(v) for n, v in enumerate([3, 2, 3, 2, 3, 2, 2, 1, 2, 2], start=1)
}
INTAKE["pain-and-activities"]["nprs"] = "7"

# Re-assessment: Oswestry 12 % (6 of 50) against 44 %, PSFS mean 6 against 3, PEG mean 2.67
# against 5.67.
REASSESS_ODI = ["1", "1", "1", "0", "1", "0", "1", "0", "1", "0"]
REASSESS_PSFS = ["7", "6", "5"]
REASSESS_PEG = ["3", "3", "2"]


@dataclass
class Journey:
    """The live server, where screenshots go, and every accessibility problem met on the way."""

    base: str
    artifacts: Path
    axe_check: Any
    problems: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def seen(self, page: Any, label: str) -> None:
        """axe-core on the page as it is now; a problem is kept, not raised."""
        page.wait_for_load_state()
        self.pages.append(f"{label}: {urlsplit(page.url).path}")
        try:
            self.axe_check(page, f"{label} ({urlsplit(page.url).path})")
        except AssertionError as problem:
            self.problems.append(str(problem).split("\nassert")[0])

    def go(self, page: Any, path: str, label: str) -> None:
        page.goto(self.base + path)
        self.seen(page, label)

    def click(self, page: Any, target: Any, label: str) -> None:
        """Clicks a link or button that leads to another page, then checks that page."""
        with page.expect_navigation():
            target.click()
        self.seen(page, label)

    def report(self, name: str) -> None:
        """Every page checked and every problem found, as a test artifact and on stdout."""
        lines = [f"{len(self.pages)} pages checked", *self.pages, "", *self.problems]
        (self.artifacts / name).write_text("\n".join(lines) + "\n")
        print("\n".join(self.problems) or f"axe-core: no problems on {len(self.pages)} pages")

    def shot(self, page: Any, name: str) -> None:
        page.screenshot(path=str(self.artifacts / name), full_page=True)


def main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def message_body(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


# --- the patient books online, and gets the email ------------------------------------------------


def book_online(journey: Journey, page: Any) -> str:
    """From the clinic page to "You are booked"; returns the chosen start (ISO, with offset)."""
    journey.go(page, "/clinics/harbour-street/", "clinic page")
    # choose_a_time walks: book -> kind -> therapist -> day -> time (shared with the booking test)
    _, start = choose_a_time(page, journey.base)
    journey.seen(page, "booking: details")
    fill_details(page)
    journey.seen(page, "booking: safety questions")
    answer_safety(page)
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked"
    journey.seen(page, "booking: booked")
    return start


def intake_link(inbox: Any, base: str, to: str = PATIENT_EMAIL) -> str:
    """The intake link of the booking confirmation sent to `to` (one, and only one)."""
    found = [m for m in inbox.messages if "is booked" in str(m["subject"]) and m["To"] == to]
    assert len(found) == 1, [(str(m["subject"]), str(m["To"])) for m in inbox.messages]
    link = re.search(r"(http\S+/intake/start/\S+/)", message_body(found[0]))
    assert link is not None, "the confirmation email carries the intake link"
    assert link.group(1).startswith(base)
    return link.group(1)


# --- the patient's intake ------------------------------------------------------------------------


def fill_by_name(page: Any, answers: dict[str, Any]) -> None:
    """Answers a form field by field name: radios and ticks by value, selects, text."""
    form = page.locator("form[data-autosave]")
    for name, value in answers.items():
        fields = form.locator(f'[name="{name}"]')
        kind = fields.first.evaluate("e => e.type || e.tagName.toLowerCase()")
        if kind == "radio":
            fields.and_(page.locator(f'[value="{value}"]')).check()
        elif kind == "checkbox":
            for one in value if isinstance(value, list) else [value]:
                fields.and_(page.locator(f'[value="{one}"]')).check()
        elif kind.startswith("select"):
            fields.select_option(str(value))
        else:
            fields.fill(str(value))


def choose_password(journey: Journey, page: Any, link: str, password: str) -> None:
    """The email link: the person chooses a password and is signed in, on their intake."""
    page.goto(link)
    journey.seen(page, "intake: choose a password")
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("Type it again").fill(password)
    journey.click(
        page, page.get_by_role("button", name="Save my password and start"), "intake: overview"
    )
    assert page.get_by_role("heading", name="Before your first visit").is_visible()


def do_intake(journey: Journey, page: Any, link: str) -> None:
    """The email link: a password, then every section, then "Send my answers"."""
    choose_password(journey, page, link, PATIENT_PASSWORD)
    journey.click(page, page.get_by_role("link", name=re.compile("^Start: ")), "intake: story")
    slugs = list(INTAKE)
    for n, slug in enumerate(slugs):
        assert page.url.endswith(f"/intake/section/{slug}/"), (slug, page.url)
        fill_by_name(page, INTAKE[slug])
        after = slugs[n + 1] if n + 1 < len(slugs) else "overview"
        journey.click(
            page, page.get_by_role("button", name="Save and continue"), f"intake: {after}"
        )
        assert not page.locator(".errorlist").count(), (slug, main_text(page))
    if not page.url.endswith("/intake/"):
        journey.go(page, "/intake/", "intake: overview")
    journey.click(
        page, page.get_by_role("button", name="Send my answers to the clinic"), "intake: sent"
    )
    assert "your answers are with the clinic" in page.get_by_role("heading", level=1).inner_text()


# --- the therapist: review, evaluation, plan -----------------------------------------------------


def sign_in_staff(journey: Journey, page: Any, username: str) -> None:
    journey.go(page, "/accounts/login/", "sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    # Staff sign in in two steps: the password, then the code from their authenticator app.
    journey.click(page, page.get_by_role("button", name="Sign in"), "sign in: code from the app")
    pass_second_factor(page, username)
    journey.seen(page, "staff dashboard")
    assert page.url.endswith("/staff/"), page.url


def review_intake(journey: Journey, page: Any) -> None:
    journey.click(page, page.get_by_role("link", name="Intakes to review"), "intake review list")
    journey.click(
        page, page.get_by_role("link", name=re.compile(PATIENT_NAME)).first, "intake review"
    )
    body = main_text(page)
    assert "Sections done" in body and "12 of 12" in body, body
    # SCREEN-1: every red-flag domain was answered in the intake, so it can be marked reviewed.
    assert "Every red-flag domain was asked." in body, body
    journey.click(page, page.get_by_role("button", name="Mark reviewed"), "intake reviewed")
    assert "Reviewed" in main_text(page)


def search_patients(journey: Journey, page: Any, words: str) -> None:
    """The staff patient search: the words go by POST (never in a URL), then the list."""
    journey.go(page, "/staff/patients/", "patient list")
    search = page.get_by_role("search")
    search.get_by_label("Search by name or email").fill(words)
    journey.click(page, search.get_by_role("button", name="Search", exact=True), "patient search")
    assert urlsplit(page.url).query == "", page.url


def open_chart(journey: Journey, page: Any, name: str = PATIENT_NAME) -> None:
    """Patient list -> the patient -> their episodes -> the open episode's chart."""
    search_patients(journey, page, name.split()[-1])
    journey.click(page, page.get_by_role("link", name=name).first, "patient record")
    journey.click(
        page,
        page.get_by_role("link", name="Clinical record (episodes of care)"),
        "patient episodes",
    )
    chart = page.locator("main").get_by_role("link").filter(has_text=re.compile(r"\d")).first
    journey.click(page, chart, "episode chart")
    assert page.get_by_role("heading", name="Intake").is_visible(), page.url


def write_evaluation(journey: Journey, page: Any) -> None:
    journey.click(page, page.get_by_role("link", name="Record an evaluation"), "evaluation form")
    main = page.locator("main")
    main.get_by_label("Posture observation").fill("Flattened lumbar lordosis, shifted left.")
    main.get_by_label("Movement quality and mechanics").fill("Guarded flexion, painful arc.")
    main.get_by_label("Activities that trigger the spasms (discussed)").fill(
        "Lifting from the floor; long sitting at the desk."
    )
    main.get_by_label("Lumbar flexion").fill("40")
    main.get_by_label("Lumbar extension").fill("15")
    main.get_by_label("Repeated extension").select_option("centralises")
    main.get_by_label("Palpation: spasm").fill("left lumbar paraspinals")
    main.get_by_label("Severity of tenderness (0-10)").fill("6")
    main.get_by_label("Hypomobile lumbar segment found").select_option("yes")
    main.get_by_label("Hypomobile levels (e.g. L4-L5)").fill("L4-L5")
    main.get_by_label("Hip internal rotation, left").fill("38")
    main.get_by_label("Hip internal rotation, right").fill("40")
    main.get_by_label("Straight-leg raise, left").fill("75")
    main.get_by_label("Straight-leg raise, right").fill("80")
    main.get_by_label("Crossed straight-leg raise").select_option("no")
    main.get_by_label("Neurological deficit").select_option("no")
    main.get_by_label("Irritability").select_option("high")
    main.get_by_label("Symptom course").select_option("centralising")
    # The in-person screen starts from the intake; the therapist confirms the health history.
    assert main.get_by_role("group", name="In-person red-flag screen").is_visible()
    main.get_by_label("I went through the health history with the person").check()
    main.get_by_label("Care already received for this episode: weeks").fill("0")
    main.get_by_label("Assessment").fill("Acute low back pain with spasm, directional preference.")
    main.get_by_label("The evaluation is complete").check()
    journey.click(page, page.get_by_role("button", name="Save the evaluation"), "evaluation")
    assert "The evaluation was saved." in page.content()


def propose_and_edit_plan(journey: Journey, page: Any) -> None:
    journey.click(page, page.get_by_role("link", name="Back to the chart"), "episode chart")
    journey.click(
        page,
        page.get_by_role("button", name="Propose a plan from the evaluation"),
        "plan draft",
    )
    assert page.get_by_role("heading", name=re.compile("Plan of care v1")).is_visible()
    # Edit the draft: the therapist sets the dose of the first element (soft tissue work).
    dose = page.locator("main input[name=dose]").first
    dose.fill("12 minutes, gentle, within comfort")
    journey.click(
        page, page.get_by_role("button", name="Save dose").first, "plan draft, dose changed"
    )
    assert "12 minutes, gentle, within comfort" in main_text(page)


def set_goals(journey: Journey, page: Any, per_week: int, weeks: int) -> None:
    journey.click(
        page, page.get_by_role("link", name="Goals, frequency and duration"), "plan goals"
    )
    page.get_by_label("Visits a week").fill(str(per_week))
    page.get_by_label("For weeks").fill(str(weeks))
    # The rows come prefilled from the baseline (meaningful change, then a recovered level).
    assert page.locator("select[name$=-instrument] option[selected][value=nprs]").count() >= 1
    journey.click(page, page.get_by_role("button", name="Save"), "plan draft, goals set")
    assert page.get_by_role("heading", name="Goals").is_visible()
    assert "No goals yet" not in main_text(page)


def next_weekday(after: dt.date, weekday: int) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def sign_plan(
    journey: Journey, page: Any, therapist_name: str, weekdays: list[str], first_day: dt.date
) -> None:
    """Sign, with the visit series the patient agreed to (booked inside the signing); with no
    weekdays, the plan alone (the visits are booked later)."""
    journey.click(page, page.get_by_role("link", name="Sign (and book the visits)"), "plan signing")
    form = page.locator("main form")
    if weekdays:
        form.get_by_label("The patient agrees to these visits").check()
        form.get_by_label("Kind of visit").select_option(label="Follow-up visit (45 min)")
        therapists = form.get_by_label("Therapist")
        names = therapists.locator("option").all_inner_texts()
        therapists.select_option(label=next(n for n in names if n.startswith(therapist_name)))
        form.get_by_label("From").fill(first_day.isoformat())
        for day in weekdays:
            form.get_by_label(day, exact=True).check()
        form.get_by_label("At (the clinic's local time)").fill("16:00")
    journey.click(page, page.get_by_role("button", name="Sign plan v1"), "signed plan")
    body = main_text(page)
    assert "Plan v1 is signed." in page.content(), body
    assert "Signed on" in body or "signed" in body.lower()


def complete_evaluation_appointment(journey: Journey, page: Any) -> None:
    """The front-desk mark on the evaluation visit: from the patient record's appointments."""
    search_patients(journey, page, "Marsh")
    journey.click(page, page.get_by_role("link", name=PATIENT_NAME).first, "patient record")
    journey.click(page, page.get_by_role("link", name="Appointments"), "patient appointments")
    journey.click(
        page,
        page.locator("tbody tr", has_text="Initial evaluation").get_by_role("link").first,
        "appointment",
    )
    journey.click(page, page.get_by_role("button", name="Completed"), "appointment completed")
    assert "Completed" in main_text(page)


# --- the therapist: visits -----------------------------------------------------------------------


@dataclass(frozen=True)
class VisitPlan:
    nprs: int
    course: str
    reassess: bool = False
    accept_to: str = ""  # the phase the therapist accepts the move to, as the button names it
    days_later: int = 0  # written for this many days after the day the form offers (today)
    goals: str = ""  # "The person's goals call for heavier loading": yes / no, "" as offered
    # What was delivered, as (the intervention as the form names it, minutes); empty: the
    # planned interventions, prefilled, 15 minutes each.
    delivered: tuple[tuple[str, int], ...] = ()


GOALS_LABEL = re.compile("^The person's goals call for heavier loading")


def give_minutes(form: Any, delivered: tuple[tuple[str, int], ...]) -> None:
    """The interventions' rows: the current phase's come prefilled and the therapist gives the
    minutes; or the therapist writes what was delivered instead, row by row."""
    rows = form.locator("select[name$=-intervention]")
    if not delivered:
        for n in range(rows.count()):
            if rows.nth(n).input_value():
                form.locator(f"input[name=iv-{n}-minutes]").fill("15")
        assert form.locator("input[name=iv-0-minutes]").input_value(), "nothing was planned"
        return
    assert rows.count() >= len(delivered), rows.count()
    for n in range(rows.count()):
        what, minutes = delivered[n] if n < len(delivered) else ("—", "")
        rows.nth(n).select_option(label=what)
        form.locator(f"input[name=iv-{n}-minutes]").fill(str(minutes))


def record_visit(journey: Journey, page: Any, number: int, plan: VisitPlan) -> str:
    """A visit note from the chart (for today, unless the plan says later); returns the
    progression verdict shown ("yes", "no" or "not enough recorded")."""
    journey.click(page, page.get_by_role("link", name="Write a visit note"), f"visit {number} form")
    assert page.get_by_role("heading", name=f"Visit {number}:").is_visible()
    form = page.locator("main form")
    if plan.days_later:
        day = form.get_by_label("Date", exact=True)
        offered = dt.date.fromisoformat(day.input_value())
        day.fill((offered + dt.timedelta(days=plan.days_later)).isoformat())
    form.get_by_label("I asked about every red flag today").check()
    form.get_by_label("Pain now (NPRS 0-10)").fill(str(plan.nprs))
    form.get_by_label("Symptoms since the last visit").select_option(plan.course)
    form.get_by_label("Flare lasting over 24 h after the last exercise dose").select_option("no")
    if plan.goals:
        form.get_by_label(GOALS_LABEL).select_option(plan.goals)
    form.get_by_label("S: subjective").fill(f"Visit {number}: spasms less often; pain {plan.nprs}.")
    form.get_by_label("A: assessment").fill("Responding to treatment.")
    form.get_by_label("P: plan").fill("Continue; progress the home programme.")
    give_minutes(form, plan.delivered)
    if plan.reassess:
        assert page.get_by_text("Re-assessment (every").is_visible()
        for n, value in enumerate(REASSESS_ODI, start=1):
            form.locator(f"select[name=re-odi_{n}]").select_option(value)
        for n, value in enumerate(REASSESS_PSFS, start=1):
            assert form.locator(f"input[name=re-psfs_activity_{n}]").input_value()  # prefilled
            form.locator(f"input[name=re-psfs_score_{n}]").fill(value)
        for n, value in enumerate(REASSESS_PEG, start=1):
            form.locator(f"input[name=re-peg_{n}]").fill(value)
    else:
        assert not page.get_by_text("Re-assessment (every").count()
    journey.click(page, page.get_by_role("button", name="Save the visit note"), f"visit {number}")
    assert page.get_by_role("heading", name=f"Visit {number}:").is_visible(), main_text(page)
    section = page.locator("section[aria-labelledby=prog-h]")
    verdict = section.locator("p strong").first.inner_text()
    if plan.accept_to:
        assert verdict == "yes", main_text(page)
        journey.click(
            page,
            page.get_by_role("button", name=f"Accept: move the plan to {plan.accept_to}"),
            f"visit {number}, progression accepted",
        )
        assert f"the plan's current phase is now {plan.accept_to}" in main_text(page)
        assert "The home programme now holds:" in section.inner_text(), section.inner_text()
    journey.click(
        page, page.get_by_role("button", name="Sign and lock the note"), f"visit {number} signed"
    )
    assert "The note is signed and locked." in page.content()
    journey.click(page, page.get_by_role("link", name="Back to the chart"), "episode chart")
    return verdict


# --- the patient on a phone: the home programme ---------------------------------------------------


@dataclass(frozen=True)
class HomeSession:
    """One home session as the patient logs it; `status` is the choice's label on the form."""

    status: str
    pain_before: int
    pain_after: int
    note: str


@contextmanager
def patient_phone(browser: Any, journey: Journey) -> Iterator[Any]:
    """A phone-sized page with the patient signed in with the password chosen at the intake."""
    page = browser.new_page(viewport=PHONE)
    try:
        journey.go(page, "/accounts/login/", "patient sign in (phone)")
        page.get_by_label("Username").fill(PATIENT_EMAIL)
        page.get_by_label("Password").fill(PATIENT_PASSWORD)
        journey.click(page, page.get_by_role("button", name="Sign in"), "portal home (phone)")
        assert page.url.endswith("/portal/"), page.url
        yield page
    finally:
        page.close()


def fits_the_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def from_the_portal(journey: Journey, page: Any, link: str, label: str) -> None:
    """Back to the portal's home, then one of its links (as the person finds their way)."""
    if urlsplit(page.url).path != "/portal/":
        journey.click(
            page, page.get_by_role("link", name="My care overview"), "portal home (phone)"
        )
    journey.click(page, page.locator("main").get_by_role("link", name=link, exact=True), label)
    fits_the_phone(page)


def open_home_programme(journey: Journey, page: Any, *, shot: bool = True) -> list[str]:
    """Portal -> "My home programme": every exercise with its diagram; returns their names."""
    from_the_portal(journey, page, "My home programme", "home programme (phone)")
    exercises = page.locator("main li.exercise")
    names = exercises.get_by_role("heading", level=2).all_inner_texts()
    assert names, "the signed plan has home exercises"
    for n, name in enumerate(names):
        diagram = exercises.nth(n).get_by_role("img", name=re.compile("^Diagram: "))
        assert diagram.count() == 1, f"{name} shows its diagram, described in words"
        loaded = diagram.evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"the diagram of {name} loads"
    if shot:
        journey.shot(page, "episode-home-programme-phone.png")
    return names


def exercise_text(page: Any, name: str) -> str:
    """What the home programme page says about one exercise (dose, steps, easier, harder)."""
    item = page.locator("main li.exercise").filter(has=page.get_by_role("heading", name=name))
    assert item.count() == 1, name
    return str(item.inner_text())


def fetch_pdf(page: Any, link: Any) -> bytes:
    """What a PDF link answers, fetched with the page's own session (its cookies)."""
    href = link.get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, (href, response.status)
    assert response.headers["content-type"] == "application/pdf", response.headers
    body: bytes = response.body()
    assert body.startswith(b"%PDF"), href
    return body


def handout(page: Any) -> bytes:
    return fetch_pdf(page, page.get_by_role("link", name="Printable handout (PDF)"))


def log_home_sessions(journey: Journey, page: Any, sessions: list[HomeSession]) -> None:
    """From the home programme: "Log a session", the form, "Save my session", each in turn."""
    for n, session in enumerate(sessions, start=1):
        journey.click(
            page, page.get_by_role("link", name="Log a session"), f"log a session {n} (phone)"
        )
        fits_the_phone(page)
        form = page.locator("main form")
        form.get_by_label(session.status, exact=True).check()
        form.get_by_label("Pain before the session (0-10)").fill(str(session.pain_before))
        form.get_by_label("Pain after the session (0-10)").fill(str(session.pain_after))
        form.get_by_label("Anything to tell your therapist? (optional)").fill(session.note)
        journey.click(
            page,
            form.get_by_role("button", name="Save my session"),
            f"home programme, session {n} saved (phone)",
        )
        assert "Your session is saved" in main_text(page), main_text(page)
        fits_the_phone(page)
    journey.shot(page, "episode-home-log-phone.png")


def see_progress_in_plain_words(journey: Journey, page: Any, *, shot: bool = True) -> str:
    """Portal -> "My progress": the person's scores in sentences, charts and tables."""
    from_the_portal(journey, page, "My progress", "my progress (phone)")
    assert page.get_by_role("heading", level=1, name="My progress").is_visible()
    if shot:
        journey.shot(page, "episode-progress-phone.png")
    return main_text(page)


def see_discharge_summary(journey: Journey, page: Any) -> tuple[str, bytes]:
    """Portal -> "My discharge summary", then its PDF."""
    from_the_portal(journey, page, "My discharge summary", "my discharge summary (phone)")
    assert page.get_by_role("heading", level=1, name="My discharge summary").is_visible()
    journey.shot(page, "episode-discharge-phone.png")
    pdf = fetch_pdf(page, page.locator("main").get_by_role("link", name="Download as PDF"))
    return main_text(page), pdf


# --- the therapist: progress, adherence, reports, discharge ---------------------------------------


def episode_nav(journey: Journey, page: Any, link: str, label: str) -> None:
    """A link of the episode's own navigation (progress, adherence, report, discharge)."""
    nav = page.get_by_role("navigation", name="This episode")
    journey.click(page, nav.get_by_role("link", name=link, exact=True), label)


def progress_chart(journey: Journey, page: Any) -> Any:
    """From the episode chart to the progress chart; returns the page's <main>."""
    journey.click(
        page,
        page.get_by_role("link", name=re.compile("^Progress chart")),
        "progress chart",
    )
    assert page.get_by_role("heading", level=1, name=f"Progress: {PATIENT_NAME}").is_visible()
    journey.shot(page, "episode-progress-chart.png")
    return page.locator("main")


def comment_on_this_week(journey: Journey, page: Any, text: str) -> str:
    """Home adherence: a comment on the newest week (shown first) for the patient to read."""
    episode_nav(journey, page, "Home adherence", "home adherence")
    week = page.locator("main section").filter(has=page.get_by_role("heading", level=3)).first
    week.get_by_label("Comment on this week for the person").fill(text)
    journey.click(
        page, week.get_by_role("button", name="Save comment"), "home adherence, comment saved"
    )
    assert "Your comment is saved" in main_text(page), main_text(page)
    return main_text(page)


def progress_report(journey: Journey, page: Any) -> tuple[str, bytes]:
    episode_nav(journey, page, "Progress report", "progress report")
    assert page.get_by_role("heading", level=1, name=f"Progress report: {PATIENT_NAME}").count()
    pdf = fetch_pdf(page, page.locator("main").get_by_role("link", name="Download as PDF"))
    return main_text(page), pdf


def discharge(journey: Journey, page: Any) -> tuple[str, bytes]:
    """The discharge summary page: confirm the discharge, then download its PDF."""
    episode_nav(journey, page, "Discharge summary", "discharge summary")
    assert page.get_by_role("heading", level=1, name=f"Discharge summary: {PATIENT_NAME}").count()
    form = page.locator("main form")
    form.get_by_label(re.compile("^I confirm this course of care has ended")).check()
    journey.click(page, form.get_by_role("button", name="Discharge"), "discharge summary, done")
    assert f"{PATIENT_NAME} is discharged." in main_text(page), main_text(page)
    assert not page.get_by_role("button", name="Discharge").count(), "discharged only once"
    journey.shot(page, "episode-discharge-summary.png")
    pdf = fetch_pdf(page, page.locator("main").get_by_role("link", name="Download as PDF"))
    return main_text(page), pdf
