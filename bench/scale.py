"""`make bench-scale`: the homes, the calendar, the practice dashboard and the billing reports
on a small practice and on the same practice grown large, in one run.

The small practice is the demo practice. The large one is the same practice grown by
`bench.grow`: every therapist copied BENCH_SCALE_COPIES times at the same clinic with a copy of
their caseload (so today's diaries are that much fuller), and BENCH_SCALE_YEARS of history
behind it. Each page is asked in-process through Django's test client, signed in as the person
whose home it is (the second factor passed in the session as a real sign-in leaves it), with
production settings: SQL statements counted, median time of BENCH_SCALE_RUNS answers after one
to warm up. The run ends with one line per target and exits non-zero when one fails.

Works in its own PostgreSQL database (`unknot_bench_scale`), dropped and made afresh each run.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("UNKNOT_BENCH_DB", "unknot_bench_scale")

from bench import env, setup  # after the bench database is chosen: env reads it

COPIES = int(os.environ.get("BENCH_SCALE_COPIES", "9"))
YEARS = int(os.environ.get("BENCH_SCALE_YEARS", "3"))
FILL = int(os.environ.get("BENCH_SCALE_FILL", "4"))  # other days or hours tried each week
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "7"))
SLOWEST_MS = 500  # the "pages answer in under half a second", on the large practice
MAX_RATIO = 3.0  # large over small: years of data may not make a page more than this slower


@dataclass(frozen=True)
class Page:
    label: str
    username: str
    url: Callable[[], str]


@dataclass(frozen=True)
class Measure:
    queries: int
    median_ms: float
    slowest: tuple[float, str]  # the slowest statement of the counted answer: ms, SQL


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


def signed_in(username: str):  # type: ignore[no-untyped-def]
    """A client past the password and the second factor, as the tests sign staff in."""
    from django.contrib.auth import get_user_model
    from tests.audit.support import client_for

    return client_for(get_user_model().objects.get(username=username))


def measure(page: Page) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(page.username)
    url = page.url()
    first = client.get(url)
    if first.status_code != 200:
        raise SystemExit(f"{page.label}: {url} answered {first.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = len(queries)  # now: the log is the connection's, and it is reset on reconnect
    slowest = max((float(q["time"]) * 1e3, q["sql"]) for q in queries.captured_queries)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1e3)
    return Measure(statements, statistics.median(times), slowest)


def measure_all() -> dict[str, Measure]:
    return {page.label: measure(page) for page in pages()}


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


def lines(small: dict[str, Measure], large: dict[str, Measure]) -> list[tuple[bool, str]]:
    results = []
    for label, before in small.items():
        after = large[label]
        ratio = after.median_ms / before.median_ms
        holds = (
            after.queries == before.queries and after.median_ms <= SLOWEST_MS and ratio <= MAX_RATIO
        )
        results.append(
            (
                holds,
                f"{label}: queries {before.queries} -> {after.queries}, median "
                f"{before.median_ms:.0f} ms -> {after.median_ms:.0f} ms = {ratio:.1f}x  (goal: the"
                f" same queries, <= {MAX_RATIO:g}x and <= {SLOWEST_MS} ms on the large practice)",
            )
        )
    return results


def explain(ms: float, sql: str) -> None:
    """The slowest statement of a page that missed its goal, and its plan."""
    from django.db import connection

    print(f"      slowest statement, {ms:.0f} ms: {sql[:400]}")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        for (row,) in cursor.fetchall()[:25]:
            print(f"        {row}")


def main() -> int:
    admin, _bench = env.configure()
    os.environ["DJANGO_SETTINGS_MODULE"] = "unknot.config.settings"  # no peer app here
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"  # the in-process client's host
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"  # persistent connections, as a server keeps
    setup.recreate_database(admin, env.BENCH_DB)
    setup.start_django()
    from django.core.management import call_command
    from django.db import connection

    from bench import grow
    from unknot.demo.load import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # production's static files
    started = time.perf_counter()
    load_demo()
    print(f"small: the demo practice ({size()}), loaded in {time.perf_counter() - started:.0f} s")
    small = measure_all()
    started = time.perf_counter()
    grown = grow.grow(therapists_per_therapist=COPIES, years=YEARS, fill=FILL)
    print(
        f"large: {size()}; {grown.rows:,} rows copied over {grown.weeks_back} weeks"
        f" in {time.perf_counter() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would soon give
    large = measure_all()
    results = lines(small, large)
    print()
    for (holds, line), label in zip(results, large, strict=True):
        print(f"{'PASS' if holds else 'FAIL'}  {line}")
        if not holds:
            explain(*large[label].slowest)
    return 0 if all(holds for holds, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
