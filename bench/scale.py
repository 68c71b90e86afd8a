"""`make bench-scale`: every page and call that answers a GET (`bench.pages`), the homes as
their people see them, one booking, the PDFs and the practice export, on a small practice and
on the same practice grown into a chain, in one run.

The small practice is the demo practice. The large one is the same practice grown by
`bench.grow` to the size BENCH_SCALE_SIZE names (`default` or `chain`; each BENCH_SCALE_*
setting overrides its preset): sets of clinics, more therapists, years of history. Each page is
asked in-process through Django's test client, signed in as its reader (the second factor
passed in the session as a real sign-in leaves it), with production settings: SQL statements
counted, median time of BENCH_SCALE_RUNS answers after one to warm up. The run ends with one
line per target and exits non-zero when one fails.

Works in its own PostgreSQL database (`unknot_bench_scale`), dropped and made afresh each run.
"""

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

os.environ.setdefault("UNKNOT_BENCH_DB", "unknot_bench_scale")

from bench import env, setup  # after the bench database is chosen: env reads it

if TYPE_CHECKING:
    from bench.pages import Subject

# The large practice's size: BENCH_SCALE_SIZE picks a preset, each BENCH_SCALE_* overrides it.
# sites: sets of the demo's 3 clinics; copies: more of each therapist at each clinic; years of
# history; fill: other days or hours tried for each record each week; patients: about how many
# people the copies make (the rest are returning courses of care of the same people).
SIZES = {
    "default": {"sites": 3, "copies": 2, "years": 2, "fill": 10, "patients": 8000},
    "chain": {"sites": 7, "copies": 3, "years": 5, "fill": 80, "patients": 60000},
}
SIZE = SIZES[os.environ.get("BENCH_SCALE_SIZE", "default")]
SITES, COPIES, YEARS, FILL, PATIENTS = (
    int(os.environ.get(f"BENCH_SCALE_{name.upper()}", SIZE[name]))
    for name in ("sites", "copies", "years", "fill", "patients")
)
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "7"))
# A regular expression: only the targets whose label it finds are measured, and the export is
# left out (for working on a few pages; a run with it set is not the benchmark's verdict).
ONLY = os.environ.get("BENCH_SCALE_ONLY", "")
BOOKING = "one booking (front desk, REST)"
SLOWEST_MS = 100  # every page and call, median in-process, on the large practice
PDF_MS = 300  # a PDF, whatever the length of the history behind it
MAX_RATIO = 1.5  # large over small
# Under this many milliseconds the ratio is timer and scheduler noise on a shared machine: such
# a call passes the ratio when it is within NOISE_MS of its time on the small practice.
NOISE_MS = 5.0


@dataclass(frozen=True)
class Page:
    label: str
    username: str | None  # None: nobody signed in
    url: Callable[[], str]


@dataclass(frozen=True)
class Measure:
    queries: int
    median_ms: float
    slowest: tuple[float, str]  # the slowest statement of the counted answer: ms, SQL
    pdf: bool = False  # a document: its goal is PDF_MS
    pdf_pages: int = 0
    # A document laid out by the worker (the page first says it is being prepared): that
    # answer's median and the worker's layout, in ms; what is measured above is the download.
    preparing_ms: float = 0.0
    worker_ms: float = 0.0


def pages() -> list[Page]:
    from django.urls import reverse
    from django.utils import timezone

    def this_year() -> str:
        today = timezone.now().date()
        return f"?first={today.replace(month=1, day=1).isoformat()}&last={today.isoformat()}"

    def harbour_today() -> str:
        from unknot.clinics.models import Clinic
        from unknot.clinics.times import clinic_day

        clinic = Clinic.objects.get(slug="harbour-street")
        day = clinic_day(timezone.now(), clinic)
        return reverse("booking:staff_day", kwargs={"slug": clinic.slug, "day": day})

    def this_year_us() -> str:
        today = timezone.now().date()
        return f"?first=01/01/{today.year}&last={today:%m/%d/%Y}"

    def report(name: str, extra: str = "") -> Callable[[], str]:
        return lambda: reverse(f"staffarea:{name}") + this_year_us() + extra

    home = reverse("staffarea:dashboard")
    return [
        Page("therapist home (my day)", "maya.okafor", lambda: home),
        Page("front desk home (today, two clinics)", "frontdesk.lakeshore", lambda: home),
        Page("manager home (dashboard, this month)", "manager", lambda: home),
        Page("owner home (dashboard, every clinic)", "owner", lambda: home),
        Page(
            "practice dashboard, this year (owner)",
            "owner",
            lambda: reverse("staffarea:practice") + this_year(),
        ),
        Page(
            "practice figures CSV, this year (owner)",
            "owner",
            lambda: reverse("staffarea:practice_csv") + this_year(),
        ),
        Page("calendar day, Harbour Street (front desk)", "frontdesk.harbour", harbour_today),
        Page(
            "billing report: totals by month, this year (owner)",
            "owner",
            report("report_totals", "&group_by=month"),
        ),
        Page(
            "billing report: totals by therapist, CSV, this year (owner)",
            "owner",
            report("report_totals", "&group_by=therapist&format=csv"),
        ),
        Page(
            "billing report: outstanding balances, this year (biller)",
            "biller",
            report("report_balances"),
        ),
        Page(
            "billing report: Medicare KX threshold, every patient (owner)",
            "owner",
            report("report_kx", "&every=on"),
        ),
        Page(
            "billing report: visits per authorization, this year (owner)",
            "owner",
            report("report_authorisations"),
        ),
        Page("portal home (patient)", "patient.alvarez", lambda: reverse("portal:home")),
    ]


def signed_in(username: str | None):  # type: ignore[no-untyped-def]
    """A client past the password and the second factor, as the tests sign staff in."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from tests.audit.support import client_for

    if username is None:
        return Client()
    return client_for(get_user_model().objects.get(username=username))


def page_count(document: bytes) -> int:
    """The PDF's pages, as poppler's pdfinfo reads them (0 when it is not installed)."""
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        return 0
    info = subprocess.run(["pdfinfo", "-"], input=document, capture_output=True, check=False)
    found = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return int(found.group(1)) if found else 0


def slowest_of(captured: list[dict[str, str]]) -> tuple[float, str]:
    """The slowest statement of an answer: ms, SQL ((0, "") for an answer that read nothing)."""
    return max(((float(q["time"]) * 1e3, q["sql"]) for q in captured), default=(0.0, ""))


def measure(page: Page) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(page.username)
    url = page.url()
    first = client.get(url)
    if first.status_code != 200:
        raise SystemExit(f"{page.label}: {url} answered {first.status_code}")
    preparing_ms = worker_ms = 0.0
    if first.has_header("Refresh"):  # being prepared by the worker: its turn, then the download
        preparing_ms, worker_ms = worker_turn(client, url)
        first = client.get(url)
    pdf = first.get("Content-Type", "").startswith("application/pdf")
    pdf_pages = page_count(first.content) if pdf else 0
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = len(queries)  # now: the log is the connection's, and it is reset on reconnect
    slowest = slowest_of(queries.captured_queries)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1e3)
    return Measure(
        statements, statistics.median(times), slowest, pdf, pdf_pages, preparing_ms, worker_ms
    )


def worker_turn(client, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(ms) the answer that the document is being prepared, and the worker's layout of it."""
    from unknot.exports import kept

    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1e3)
    started = time.perf_counter()
    kept.lay_out_waiting()
    return statistics.median(times), (time.perf_counter() - started) * 1e3


def forget_kept_summaries() -> None:
    """Each practice's measure starts with no summary laid out, so the worker's turn is
    measured on both."""
    from unknot.exports.models import KeptSummary

    KeptSummary.objects.all().delete()


def every_call() -> tuple[list[Page], dict[str, str]]:
    """The homes above, then every other page and call that answers a GET (bench.pages), with
    their URLs fixed on the small practice so the large one is asked the same."""
    from bench import pages as walk

    found = walk.walk(signed_in)
    homes = pages()
    asked = {(page.username, page.url()) for page in homes}
    fixed = [
        Page(c.label, c.username, lambda url=c.url: url)
        for c in found.calls
        if (c.username, c.url) not in asked  # a home above, by the same person: asked once
    ]
    return homes + fixed, found.skipped


def measure_all(every: list[Page]) -> dict[str, Measure]:
    forget_kept_summaries()
    measured = {page.label: measure(page) for page in every}
    if chosen(BOOKING):
        measured[BOOKING] = measure_booking()
    return measured


def chosen(label: str) -> bool:
    return not ONLY or re.search(ONLY, label) is not None


def export_seconds_unless_only(label: str) -> tuple[float, int]:
    return export_seconds(label) if not ONLY else (0.0, 0)


def size() -> str:
    from unknot.booking.models import Appointment
    from unknot.clinics.models import StaffMember
    from unknot.patients.models import Patient
    from unknot.records.models import Episode, Visit

    return (
        f"{StaffMember.objects.filter(role='therapist').count()} therapists, "
        f"{Patient.objects.count():,} patients, {Episode.objects.count():,} episodes, "
        f"{Appointment.objects.count():,} appointments, {Visit.objects.count():,} visit notes"
    )


def within_ratio(before: Measure, after: Measure) -> bool:
    if after.median_ms <= MAX_RATIO * before.median_ms:
        return True
    return after.median_ms < 2 * NOISE_MS and after.median_ms - before.median_ms <= NOISE_MS


def lines(small: dict[str, Measure], large: dict[str, Measure]) -> list[tuple[bool, str]]:
    results = []
    for label, before in small.items():
        after = large[label]
        ratio = after.median_ms / before.median_ms
        slowest = PDF_MS if after.pdf else SLOWEST_MS
        named = f"{label}, {before.pdf_pages} -> {after.pdf_pages} pages" if after.pdf else label
        holds = (
            after.queries == before.queries
            and after.median_ms <= slowest
            and within_ratio(before, after)
        )
        results.append(
            (
                holds,
                f"{named}: queries {before.queries} -> {after.queries}, median "
                f"{before.median_ms:.1f} ms -> {after.median_ms:.1f} ms = {ratio:.1f}x  (goal: the"
                f" same queries, <= {MAX_RATIO:g}x and <= {slowest} ms)",
            )
        )
    return results


def explain(ms: float, sql: str) -> None:
    """The slowest statement of a page that missed its goal, and its plan."""
    from django.db import connection

    if not sql:
        return
    print(f"      slowest statement, {ms:.0f} ms: {sql[:400]}")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        for (row,) in cursor.fetchall()[:25]:
            print(f"        {row}")


BOOKING_PATH = "/booking/api/v0/appointments/"


def free_starts(who: "Subject", count: int) -> list[str]:
    """`count` starts for the subject's therapist, one a day from 30 days ahead on days they
    have nothing booked, each at the start of that day's working hours."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    from unknot.booking.models import Appointment, Status, WorkingHours

    therapist = who.rows["episode_id"].therapist
    zone = zoneinfo.ZoneInfo(who.clinic.time_zone)
    hours = {
        h.weekday: h.start
        for h in WorkingHours.objects.filter(therapist=therapist, clinic=who.clinic)
    }
    starts, day = [], timezone.localdate() + dt.timedelta(days=30)
    while len(starts) < count:
        day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, hours.get(day.weekday(), dt.time()), zone)
        busy = Appointment.objects.filter(
            therapist=therapist, start__date=start.date(), status__in=(Status.BOOKED, Status.HELD)
        )
        if day.weekday() in hours and not busy.exists():
            starts.append(start.isoformat())
    return starts


def booking_body(who: "Subject", start: str) -> str:
    import json

    episode = who.rows["episode_id"]
    return json.dumps(
        {
            "clinic": who.clinic.slug,
            "type": who.rows["type_id"].pk,
            "therapist": episode.therapist_id,
            "patient": who.patient.pk,
            "start": start,
        }
    )


def measure_booking() -> Measure:
    """One booking through the staff calendar's API, by the subject's clinic's front desk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import pages as walk

    who = walk.subject()
    client = signed_in(who.front_desk_username)
    csrf = "b" * 32  # double-submit: the same secret in the cookie and the header
    client.cookies["csrftoken"] = csrf
    bodies = [booking_body(who, start) for start in free_starts(who, RUNS + 2)]

    made = []

    def book(body: str) -> float:
        started = time.perf_counter()
        answer = client.post(
            BOOKING_PATH, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
        )
        if answer.status_code != 201:
            raise SystemExit(f"a measured booking failed: {answer.status_code} {answer.content!r}")
        elapsed = (time.perf_counter() - started) * 1e3
        made.append(answer.json()["id"])
        return elapsed

    book(bodies[0])
    with CaptureQueriesContext(connection) as queries:
        book(bodies[1])
    statements = len(queries)  # now: the log is a bounded deque the next answers would shift
    slowest = slowest_of(queries.captured_queries)
    times = [book(body) for body in bodies[2:]]
    _remove(made)
    return Measure(statements, statistics.median(times), slowest)


def _remove(bookings: list[int]) -> None:
    """The measured bookings removed (with their emails), so the large practice grows from
    the demo alone and the next measurement finds the same free days."""
    from unknot.booking.models import Appointment

    Appointment.objects.filter(pk__in=bookings).delete()


def weasyprint_floor_ms() -> float:
    """One page of plain text through the same renderer and print stylesheet as every PDF of
    the app: what any PDF costs before it says anything (the median of RUNS)."""
    from weasyprint import CSS, HTML

    from unknot.documents import pdf

    page = "<!doctype html><html lang='en'><title>Floor</title><h1>A page</h1><p>Some text.</p>"
    times = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        HTML(string=page).write_pdf(stylesheets=[CSS(string=pdf.static_text(pdf.PRINT_CSS))])
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times[1:])


def export_seconds(label: str) -> tuple[float, int]:
    """The whole practice exported to a new folder: seconds and bytes written."""
    import tempfile
    from pathlib import Path

    from django.core.management import call_command

    with tempfile.TemporaryDirectory(prefix=f"export-{label}-") as folder:
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("export_practice", Path(folder) / "out", stdout=quiet)
        seconds = time.perf_counter() - started
        written = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    return seconds, written


def main() -> int:
    admin, _bench = env.configure()
    os.environ["DJANGO_SETTINGS_MODULE"] = "unknot.config.settings"  # no peer app here
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"  # the in-process client's host
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"  # persistent connections, as a server keeps
    setup.recreate_database(admin, env.BENCH_DB)
    setup.start_django()
    import logging

    from django.core.management import call_command
    from django.db import connection

    from bench import grow
    from unknot.demo.load import load_demo

    logging.disable(logging.WARNING)  # the refusals of the walk's probes are expected
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # production's static files
    started = time.perf_counter()
    load_demo()
    print(f"small: the demo practice ({size()}), loaded in {time.perf_counter() - started:.0f} s")
    every, skipped = every_call()
    every = [page for page in every if chosen(page.label)]
    print(f"measuring {len(every)} pages and calls; not measured: {len(skipped)} (listed below)")
    small = measure_all(every)
    small_export = export_seconds_unless_only("small")
    started = time.perf_counter()
    grown = grow.grow(
        sites=SITES,
        therapists_per_therapist=COPIES,
        years=YEARS,
        fill=FILL,
        patients=PATIENTS,
    )
    print(
        f"large: {grown.clinics} clinics, {size()}, {audit_rows():,} audit rows;"
        f" {grown.rows:,} rows copied over {grown.weeks_back} weeks"
        f" in {time.perf_counter() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would soon give
    large = measure_all(every)
    large_export = export_seconds_unless_only("large")
    floor_ms = weasyprint_floor_ms()
    results = lines(small, large)
    print()
    for (holds, line), label in zip(results, large, strict=True):
        print(f"{'PASS' if holds else 'FAIL'}  {line}")
        if not holds:
            explain(*large[label].slowest)
    for label, after in large.items():
        if after.worker_ms:
            before = small[label]
            print(
                f"INFO  {label}: laid out by the worker in {before.worker_ms:.0f} ms ->"
                f" {after.worker_ms:.0f} ms; until then the page says it is being prepared,"
                f" median {before.preparing_ms:.1f} ms -> {after.preparing_ms:.1f} ms"
            )
    print(f"INFO  WeasyPrint floor, one page of text with the print stylesheet: {floor_ms:.0f} ms")
    print(
        f"INFO  practice export: small {small_export[0]:.1f} s ({small_export[1] / 1e6:.1f} MB),"
        f" large {large_export[0]:.1f} s ({large_export[1] / 1e6:.1f} MB)"
    )
    for name, why in sorted(skipped.items()):
        print(f"INFO  not measured: {name}: {why}")
    passed = sum(holds for holds, _ in results)
    print(f"\n{passed} of {len(results)} targets PASS")
    return 0 if passed == len(results) else 1


def audit_rows() -> int:
    from unknot.audit.models import AuditEvent

    return AuditEvent.objects.count()


if __name__ == "__main__":
    sys.exit(main())
