"""`make bench`: builds its own PostgreSQL database, runs every benchmark, checks the targets.

Ends with one line per target (what was measured, the goal, PASS or FAIL) and exits non-zero
when any target fails. DATABASE_URL names the server (default: the local `test` database);
the bench works in its own database, `unknot_bench`, dropped and made afresh each run.
"""

import os
import shutil
import sys
import time
from dataclasses import dataclass

from bench import env, setup

HTTP_SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))


@dataclass
class Target:
    measured: str
    goal: str
    holds: bool | None  # None: a figure for context, with no goal of its own

    def line(self) -> str:
        if self.holds is None:
            return f"INFO  {self.measured}  ({self.goal})"
        return f"{'PASS' if self.holds else 'FAIL'}  {self.measured}  (goal: {self.goal})"


def availability_targets(report) -> list[Target]:  # type: ignore[no-untyped-def]
    ours, peer, raw = report.ours, report.peer, report.raw
    speedup = peer.seconds / ours.seconds
    over_raw = ours.seconds / raw.seconds
    counts = report.counts
    return [
        Target(
            f"availability 20 therapists x 28 days, 2,000 visits: ours {ours.seconds * 1e3:.1f} ms"
            f" vs django-appointment {peer.seconds * 1e3:.0f} ms = {speedup:.0f}x faster",
            ">= 100x faster",
            speedup >= 100,
        ),
        Target(
            "availability queries (therapists x days): ours "
            + ", ".join(f"{k}: {v}" for k, v in counts.items())
            + f"; django-appointment 20x28: {peer.queries}",
            "ours the same whatever the therapists or days",
            len(set(counts.values())) == 1,
        ),
        Target(
            f"availability vs one raw SQL fetch of the same {raw.result_size} busy intervals:"
            f" {ours.seconds * 1e3:.1f} ms / {raw.seconds * 1e3:.2f} ms = {over_raw:.1f}x",
            "<= 3x the raw fetch",
            over_raw <= 3,
        ),
    ]


def _cpu(ms: float | None) -> str:
    return "n/a" if ms is None else f"{ms:.1f} ms"


MAX_STATEMENTS = 12  # SQL statements of one booking, BEGIN, COMMIT and savepoints included
MAX_CPU_MS = 8.0  # gunicorn CPU per booking during the load


def floor_target(report) -> Target:  # type: ignore[no-untyped-def]
    bare, django = report.floors["bare"], report.floors["django"]
    return Target(
        f"the same INSERT over HTTP, same gunicorn and client: bare WSGI app {bare.per_s:.0f}/s"
        f" ({_cpu(bare.cpu_ms)} CPU each); Django with no middleware {django.per_s:.0f}/s"
        f" ({_cpu(django.cpu_ms)})",
        "the floors any booking over HTTP meets on this machine",
        None,
    )


def throughput_targets(report) -> list[Target]:  # type: ignore[no-untyped-def]
    return [
        Target(
            f"SQL statements of one booking (the second of a signed-in session):"
            f" {report.statements}",
            f"<= {MAX_STATEMENTS}",
            report.statements <= MAX_STATEMENTS,
        ),
        Target(
            f"HTTP bookings, 16 clients, {report.seconds:.0f} s: {report.bookings_per_s:.0f}/s"
            f" (p50 {report.p50_ms:.0f} ms, p99 {report.p99_ms:.0f} ms);"
            f" gunicorn CPU per booking {_cpu(report.cpu_ms)}",
            f"<= {MAX_CPU_MS:.0f} ms",
            report.cpu_ms is not None and report.cpu_ms <= MAX_CPU_MS,
        ),
        floor_target(report),
        Target(
            f"HTTP answers during the load: {dict(sorted(report.statuses.items()))}",
            "no 5xx",
            report.server_errors == 0,
        ),
        Target(
            f"overlapping live rows of one therapist after the load: {report.overlaps}",
            "0",
            report.overlaps == 0,
        ),
    ]


def missing_tools() -> list[str]:
    """The load generators the HTTP benchmark runs, with where each comes from."""
    needed = {"wrk": "Debian's package wrk (make bench installs it where apt-get can)"}
    return [f"{tool} ({origin})" for tool, origin in needed.items() if not shutil.which(tool)]


def main() -> int:
    started = time.monotonic()
    if missing := missing_tools():
        raise SystemExit("make bench needs on PATH: " + "; ".join(missing))
    admin, bench_url = env.configure()
    print(f"bench database: {env.BENCH_DB} (made afresh)", flush=True)
    setup.recreate_database(admin, env.BENCH_DB)
    setup.peer_migrations_package()
    setup.start_django()
    setup.migrate()

    from bench import availability, data, throughput

    print("availability: loading 2,000 visits into both products ...", flush=True)
    practiced = data.availability_practice()
    targets = availability_targets(availability.run(practiced, bench_url))
    print(
        f"HTTP bookings: gunicorn + wrk (16 clients) for {HTTP_SECONDS} s, then the two floors"
        " for as long ...",
        flush=True,
    )
    targets += throughput_targets(throughput.run(data.load_practice(), HTTP_SECONDS))

    print(f"\nmake bench: {time.monotonic() - started:.0f} s, targets:")
    for target in targets:
        print(target.line())
    return 0 if all(t.holds is not False for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
