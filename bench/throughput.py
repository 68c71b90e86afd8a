"""Booking throughput over HTTP with 16 concurrent clients, against pgbench's INSERT ceiling.

gunicorn serves the product in production mode on a spare loopback port; 16 client threads,
each signed in as its own front-desk user, POST bookings to the JSON API for many therapists
and times until the time is up or their share of targets runs out (bounded both ways). Then
pgbench inserts the same kind of rows into the same constrained table with 16 clients for the
same time: the database's ceiling for this write, with none of our work around it.
"""

import datetime as dt
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from bench.data import ZONE, LoadPractice
from unknot.accounts.second_factor import give_app_device

CLIENTS = 16
PATH = "/booking/api/v0/appointments/"
CSRF = "b" * 32  # double-submit CSRF: the same secret in the cookie and the header
# Visit starts 75 minutes apart: a 60-minute visit and its 10-minute buffer never touch.
STARTS = [dt.time(8), dt.time(9, 15), dt.time(10, 30), dt.time(11, 45), dt.time(13)]
STARTS += [dt.time(14, 15), dt.time(15, 30), dt.time(16, 45)]

OVERLAPS = """
    SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
      ON a.therapist_id = b.therapist_id AND a.id < b.id
     AND tstzrange(a.blocked_start, a.blocked_end, '[)')
         && tstzrange(b.blocked_start, b.blocked_end, '[)')
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def targets(p: LoadPractice) -> list[tuple[int, str]]:
    """(therapist, start) pairs that do not overlap each other, shuffled with a fixed seed."""
    tz = zoneinfo.ZoneInfo(ZONE)
    today = timezone.now().date()
    days = [today + dt.timedelta(days=n) for n in range(3, 58)]  # past notice, inside horizon
    found = [
        (therapist, dt.datetime.combine(day, wall, tz).isoformat())
        for day in days
        if day.weekday() < 5
        for wall in STARTS
        for therapist in p.therapist_ids
    ]
    random.Random(16).shuffle(found)
    return found


def signed_in(user: Any, **client_options: Any) -> Client:
    """A client past both sign-in steps: staff must pass a second factor, so the front-desk
    user gets a confirmed authenticator app and the session holds what a code accepted at
    sign-in leaves there (django_otp's device id), as after a real sign-in."""
    client = Client(**client_options)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = give_app_device(user).persistent_id
    session.save()
    return client


def session_cookies(users: list[Any]) -> list[str]:
    return [signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value for user in users]


# --- the server ------------------------------------------------------------------------------


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "unknot.config.settings",  # the product, not the bench
        "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
    }
    command = [sys.executable, "-m", "gunicorn", "unknot.config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", "gthread", "--threads", str(threads)]
    command += ["--log-level", "warning", "--graceful-timeout", "5"]
    return subprocess.Popen(command, env=env)


def wait_until_serving(port: int, server: subprocess.Popen[bytes], probe: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", probe)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def probe_path(p: LoadPractice) -> str:
    """A cheap public request that answers 200 once the app is up (one day of availability)."""
    day = (timezone.now().date() + dt.timedelta(days=7)).isoformat()
    query = {"clinic": p.clinic.slug, "type": p.kind.pk, "therapist": p.therapist_ids[0]}
    return "/booking/api/v0/availability/?" + urllib.parse.urlencode(
        query | {"from": day, "to": day}
    )


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """User + system CPU of gunicorn and its workers so far (Linux /proc; None elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if server.pid in (int(entry.name), int(fields[1])):  # the master or a worker
                total += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return total / tick


def statements_per_booking(p: LoadPractice, body: bytes) -> int:
    """SQL statements of one booking through the same API, in this process (as a check)."""
    client = signed_in(p.desk_users[0], HTTP_HOST="127.0.0.1")
    client.cookies["csrftoken"] = CSRF
    with CaptureQueriesContext(connection) as captured:
        response = client.post(PATH, body, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)
    if response.status_code != 201:
        raise SystemExit(f"the probe booking failed: {response.status_code} {response.content!r}")
    return len(captured)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Load:
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    deadline: float = 0.0  # set just before the clients are released
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, latency: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(latency)


def post(port: int, body: bytes, session: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            PATH,
            body=body,
            headers={
                "Content-Type": "application/json",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 599  # no answer at all counts as a server failure
    finally:
        conn.close()


def client_loop(
    port: int, session: str, work: list[bytes], load: Load, go: threading.Barrier
) -> None:
    go.wait()
    for body in work:
        if time.monotonic() >= load.deadline:
            return
        started = time.perf_counter()
        status = post(port, body, session)
        load.record(status, time.perf_counter() - started)


def booking_bodies(p: LoadPractice) -> list[bytes]:
    return [
        json.dumps(
            {
                "clinic": p.clinic.slug,
                "type": p.kind.pk,
                "therapist": therapist,
                "patient": p.patient_ids[i % len(p.patient_ids)],
                "start": start,
            }
        ).encode()
        for i, (therapist, start) in enumerate(targets(p))
    ]


def fire(port: int, p: LoadPractice, seconds: float, bodies: list[bytes]) -> Load:
    sessions = session_cookies(p.desk_users)
    load, go = Load(), threading.Barrier(CLIENTS + 1)
    threads = [
        threading.Thread(
            target=client_loop,
            args=(port, sessions[i], bodies[i::CLIENTS], load, go),
        )
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    load.deadline = started + seconds
    go.wait()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    load.seconds = time.monotonic() - started
    return load


# --- pgbench ---------------------------------------------------------------------------------

PGBENCH_SCRIPT = """
INSERT INTO booking_appointment (clinic_id, therapist_id, appointment_type_id, patient_id,
    start, "end", blocked_start, blocked_end, status, source, cancel_reason,
    created_at, updated_at)
SELECT :clinic, :tmin + k % :tcount, :kind, :patient,
    t, t + interval '60 minutes', t, t + interval '70 minutes', 'booked', 'pgbench', '',
    now(), now()
FROM (SELECT nextval('bench_pgbench_seq') AS k) AS n,
    LATERAL (SELECT timestamptz '2100-01-04 13:00+00'
                    + (n.k / :tcount) * interval '75 minutes' AS t) AS s;
"""


def pgbench(dsn: str, p: LoadPractice, seconds: int) -> float:
    """pgbench's tps for the same row into the same table (one INSERT per transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS bench_pgbench_seq")
    ids = sorted(p.therapist_ids)
    assert ids == list(range(ids[0], ids[0] + len(ids))), "therapist ids must be consecutive"
    url = urllib.parse.urlsplit(dsn)
    variables = {
        "clinic": p.clinic.pk,
        "tmin": ids[0],
        "tcount": len(ids),
        "kind": p.kind.pk,
        "patient": p.patient_ids[0],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SCRIPT)
    command = ["pgbench", "-n", "-c", str(CLIENTS), "-j", "2", "-T", str(seconds)]
    command += ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    command += ["-U", url.username or "postgres", "-f", script.name]
    command += [f"-D{name}={value}" for name, value in variables.items()]
    command.append(url.path.lstrip("/"))
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        Path(script.name).unlink()
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    if found is None:
        raise SystemExit(f"pgbench printed no tps:\n{done.stdout}\n{done.stderr}")
    return float(found.group(1))


def overlapping_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        return int(cursor.fetchone()[0])


@dataclass
class Report:
    bookings_per_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    pgbench_tps: float
    overlaps: int
    seconds: float
    statements: int  # SQL statements of one booking
    cpu_ms: float | None  # gunicorn's CPU per booking during the load

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def run(p: LoadPractice, dsn: str, seconds: int = 15, workers: int = 2, threads: int = 4) -> Report:
    """Books over HTTP for `seconds`, then runs pgbench for as long.

    Two gunicorn workers: on two cores shared with PostgreSQL and the clients, a third one
    only added CPU per booking (measured), not bookings per second.
    """
    bodies = booking_bodies(p)
    statements = statements_per_booking(p, bodies.pop())  # its own target, not the load's
    port = free_port()
    server = start_gunicorn(port, workers, threads)
    try:
        wait_until_serving(port, server, probe_path(p))
        cpu_before = server_cpu_seconds(server)
        load = fire(port, p, seconds, bodies)
        cpu_after = server_cpu_seconds(server)
    finally:
        stop(server)
    tps = pgbench(dsn, p, seconds)
    booked = load.statuses[201]
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and booked:
        cpu_ms = 1000 * (cpu_after - cpu_before) / booked
    return Report(
        bookings_per_s=load.statuses[201] / load.seconds,
        p50_ms=1000 * statistics.median(load.latencies) if load.latencies else 0.0,
        p99_ms=1000 * percentile(load.latencies, 0.99),
        statuses=dict(load.statuses),
        pgbench_tps=tps,
        overlaps=overlapping_rows(),
        seconds=load.seconds,
        statements=statements,
        cpu_ms=cpu_ms,
    )
