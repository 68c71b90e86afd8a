"""The audit report at chain scale, run by hand: `python -m bench.audit_scale`.

Makes its own PostgreSQL database (UNKNOT_BENCH_DB, by default `unknot_bench_audit`, dropped
and made afresh), migrates it, and writes BENCH_AUDIT_ROWS audit rows (300,000 by default)
with one INSERT ... SELECT over generate_series: 20 clinics, 2,000 staff and patients, five
years of times. Those rows are not a valid hash chain (the report does not read the chain);
they have the shape and spread of a chain's trail for the planner.

Then, for each of the report's searches, the page query the report really runs
(audit.selectors.page_of, first page and a page further on by cursor) is shown with
EXPLAIN ANALYZE, and timed against the old way in the same run: COUNT(*) of the search and
OFFSET to its 100th page. Each plan is checked: an index scan and no Sort or sequential scan
of the trail. Exits non-zero when a plan is not so. Bounded: seconds, not minutes.
"""

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("UNKNOT_BENCH_DB", "unknot_bench_audit")

from bench import env, setup  # after the bench database is chosen: env reads it

ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "300000"))
RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "5"))
CLINICS = 20
PEOPLE = 2000
OLD_PAGE = 100  # the page the old OFFSET paging is timed at

FILL = """
INSERT INTO audit_auditevent (id, previous_hash, hash, at, actor_id, actor_username,
    actor_role, action, object_type, object_id, patient_id, clinic_id, remote_addr, path,
    outcome, reason)
SELECT i, repeat(md5((i - 1)::text), 2), repeat(md5(i::text), 2),
       now() - make_interval(secs => (%(rows)s - i) * (5 * 365 * 86400.0 / %(rows)s)),
       1 + (i * 7919) %% %(people)s, 'staff_' || (1 + (i * 7919) %% %(people)s), 'therapist',
       (ARRAY['read','read','read','update','create','sign_in','export'])[1 + i %% 7],
       'patient', (i %% 50000)::text,
       CASE WHEN i %% 10 = 0 THEN NULL ELSE 1 + (i * 104729) %% %(people)s END,
       CASE WHEN i %% 10 = 0 THEN NULL ELSE 1 + i %% %(clinics)s END,
       '192.0.2.1', '/staff/', 'allowed', ''
  FROM generate_series(1::bigint, %(rows)s) AS i
"""


def fill() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FILL, {"rows": ROWS, "people": PEOPLE, "clinics": CLINICS})
        cursor.execute("ANALYZE audit_auditevent")
    print(f"{ROWS} audit rows written in {time.perf_counter() - started:.1f} s")


def searches() -> dict[str, Callable[[], Any]]:
    """name -> the events of that search, as the report builds them (an auditor of every
    clinic sees their clinics' rows and the rows of no clinic; a manager their clinic's)."""
    from django.db.models import Q

    from unknot.audit import selectors
    from unknot.audit.models import AuditEvent

    every = list(range(1, CLINICS + 1))

    def auditor(**wanted: Any) -> Any:
        visible = AuditEvent.objects.filter(Q(clinic_id__in=every) | Q(clinic_id__isnull=True))
        return selectors.filtered(visible, wanted)

    return {
        "everything, newest first": lambda: (auditor(), "-at"),
        "one user (actor id)": lambda: (auditor(user="17"), "-at"),
        "one patient": lambda: (auditor(patient=42), "-at"),
        "one clinic (its manager)": lambda: (AuditEvent.objects.filter(clinic_id__in=[3]), "-at"),
        "one action": lambda: (auditor(action="export"), "-at"),
        "everything, sorted by user": lambda: (auditor(), "actor"),
    }


def _sql(queryset: Any) -> tuple[str, Any]:
    return queryset.query.sql_with_params()


def page_query(events: Any, sort: str, after: int | None) -> Any:
    """The page query page_of runs (the cursor's own look-up aside: one row by primary key)."""
    from unknot.audit import selectors

    sort = selectors.chosen_sort(sort)
    columns = selectors.SORTS[sort.removeprefix("-")]
    values = None if after is None else events.filter(pk=after).values_list(*columns).first()
    going = (
        events
        if values is None
        else events.filter(selectors.seek(columns, values, sort.startswith("-")))
    )
    return selectors.sorted_events(going, sort)[: selectors.PER_PAGE + 1]


def explain(queryset: Any) -> list[str]:
    from django.db import connection

    sql, params = _sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


SORTED_AT_MOST = 10 * 50  # rows a plan may sort: those an index found for one user or patient
ROWS_SEEN = re.compile(r"actual rows=(\d+)")


def problems(plan: list[str]) -> list[str]:
    """A sequential scan of the trail, no index, or a sort of more than a few pages of rows
    (a sort of the 150 rows of one patient, found by its index, is cheap; of the trail, not)."""
    text = "\n".join(plan)
    found = []
    if "Seq Scan on audit_auditevent" in text:
        found.append("a sequential scan of the trail")
    if "Index" not in text:
        found.append("no index scan")
    largest = max((int(n) for n in ROWS_SEEN.findall(text)), default=0)
    if any(line.strip().startswith("->  Sort") for line in plan) and largest > SORTED_AT_MOST:
        found.append(f"a sort of {largest} rows")
    return found


def median_ms(run: Callable[[], Any]) -> float:
    run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    admin, _bench = env.configure()
    os.environ["DJANGO_SETTINGS_MODULE"] = "unknot.config.settings"
    setup.recreate_database(admin, env.BENCH_DB)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    fill()
    from unknot.audit import selectors

    failed = 0
    for name, search in searches().items():
        events, sort = search()
        first = list(page_query(events, sort, None))
        cursor = first[-2].pk if len(first) > selectors.PER_PAGE else None
        new_first = median_ms(lambda e=events, s=sort: selectors.page_of(e, s))
        new_later = median_ms(lambda e=events, s=sort, c=cursor: selectors.page_of(e, s, after=c))
        ordered = selectors.sorted_events(events, sort)
        old = median_ms(lambda o=ordered: (o.count(), list(o[(OLD_PAGE - 1) * 50 : OLD_PAGE * 50])))
        print(f"\n== {name} (sort {sort})")
        for label, plan in (
            ("first page", explain(page_query(events, sort, None))),
            ("a later page, by cursor", explain(page_query(events, sort, cursor))),
        ):
            print(f"-- {label}:")
            print("\n".join("   " + line for line in plan))
            for problem in problems(plan):
                print(f"   PROBLEM: {problem}")
                failed += 1
        print(
            f"keyset: first page {new_first:.1f} ms, a later page {new_later:.1f} ms; "
            f"COUNT + OFFSET to page {OLD_PAGE}: {old:.1f} ms "
            f"(ratio keyset/old {new_later / old:.2f})"
        )
    print(f"\n{'every plan uses an index' if not failed else f'{failed} problem(s)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
