"""`make bench`: builds its own PostgreSQL database, runs every benchmark, checks the targets.

Ends with one line per target (what was measured, the goal, PASS or FAIL) and exits non-zero
when any target fails. DATABASE_URL names the server (default: the local `test` database);
the bench works in its own database, `unknot_bench`, dropped and made afresh each run.
"""

import os
import sys
import time
from dataclasses import dataclass

from bench import env, setup

HTTP_SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))


@dataclass
class Target:
    measured: str
    goal: str
    holds: bool

    def line(self) -> str:
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


def throughput_targets(report) -> list[Target]:  # type: ignore[no-untyped-def]
    share = report.bookings_per_s / report.pgbench_tps
    cpu = "n/a" if report.cpu_ms is None else f"{report.cpu_ms:.1f} ms"
    return [
        Target(
            f"HTTP bookings, 16 clients, {report.seconds:.0f} s: {report.bookings_per_s:.0f}/s"
            f" (p50 {report.p50_ms:.0f} ms, p99 {report.p99_ms:.0f} ms) ="
            f" {share:.1%} of pgbench's {report.pgbench_tps:.0f} inserts/s;"
            f" per booking {report.statements} SQL statements, {cpu} gunicorn CPU",
            ">= 10% of the pgbench ceiling",
            share >= 0.10,
        ),
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


def main() -> int:
    started = time.monotonic()
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
        f"HTTP bookings: gunicorn + 16 clients for {HTTP_SECONDS} s, then pgbench ...", flush=True
    )
    targets += throughput_targets(throughput.run(data.load_practice(), bench_url, HTTP_SECONDS))

    print(f"\nmake bench: {time.monotonic() - started:.0f} s, targets:")
    for target in targets:
        print(target.line())
    return 0 if all(t.holds for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
