"""Booking throughput over HTTP with 16 concurrent clients: statements and CPU per booking.

gunicorn serves the product in production mode on a spare loopback port; wrk (16 threads, one
keep-alive connection each, each signed in as its own front-desk user) POSTs bookings to the
JSON API for many therapists and times until the time is up or its share of targets runs out
(bounded both ways). gunicorn's CPU during the load, divided by the bookings made, is the CPU
of one booking; the SQL statements of one booking are counted in-process before the load.

Two more servers on the same gunicorn, with the same client, show the floor over HTTP on this
machine (bench/floor): a bare WSGI app and Django with no middleware, each doing nothing but
the booking's one INSERT per request.
"""

import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zoneinfo
from collections import Counter
from dataclasses import dataclass
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
FLOOR_PATH = "/insert/"  # the Django floor's one URL; the bare app answers any path
WRK_SCRIPT = Path(__file__).resolve().parent / "load.lua"
# Far-future weeks of their own for the floors' rows: no overlaps with the bookings.
FLOOR_FIRST_START = {
    "bare": dt.datetime(2200, 1, 4, 13, tzinfo=dt.UTC),
    "django": dt.datetime(2300, 1, 4, 13, tzinfo=dt.UTC),
}
FLOOR_ROWS_PER_SECOND = 4000  # more rows than either floor can insert: the time limit ends it
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


PRODUCT = ("unknot.config.wsgi:application", "unknot.config.settings")  # not bench.settings
FLOORS = {
    "bare": ("bench.floor.bare:application", "unknot.config.settings"),
    "django": ("unknot.config.wsgi:application", "bench.floor.settings"),
}


def start_gunicorn(
    port: int, workers: int, threads: int, app: tuple[str, str] = PRODUCT
) -> subprocess.Popen[bytes]:
    wsgi, settings_module = app
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
    }
    command = [sys.executable, "-m", "gunicorn", wsgi]
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


def statements_per_booking(p: LoadPractice, first: bytes, second: bytes) -> int:
    """SQL statements of a booking through the same API, in this process (as a check).

    The second of two: as during the load, the session's idle expiry has just slid.
    """
    client = signed_in(p.desk_users[0], HTTP_HOST="127.0.0.1")
    client.cookies["csrftoken"] = CSRF
    for body in (first, second):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                PATH, body, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF
            )
        if response.status_code != 201:
            raise SystemExit(
                f"the probe booking failed: {response.status_code} {response.content!r}"
            )
    return len(captured)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the clients (wrk) ----------------------------------------------------------------------


@dataclass
class Load:
    statuses: Counter[int]
    no_answer: int  # connections that failed or timed out: counted as server failures
    p50_ms: float
    p99_ms: float
    seconds: float


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


def floor_bodies(p: LoadPractice, first: dt.datetime, count: int) -> list[bytes]:
    """The floors' rows: a booked visit, for each therapist in turn, 75 minutes apart."""
    ids = p.therapist_ids
    return [
        json.dumps(
            {
                "clinic": p.clinic.pk,
                "kind": p.kind.pk,
                "patient": p.patient_ids[0],
                "therapist": ids[k % len(ids)],
                "start": (first + (k // len(ids)) * dt.timedelta(minutes=75)).isoformat(),
            }
        ).encode()
        for k in range(count)
    ]


def write_clients(folder: Path, cookies: list[str], bodies: list[bytes]) -> None:
    """One file per wrk thread: its Cookie header, then its share of the bodies."""
    for i in range(CLIENTS):
        lines = [cookies[i], *(body.decode() for body in bodies[i::CLIENTS])]
        (folder / f"client-{i + 1}.txt").write_text("\n".join(lines) + "\n")


def fire(port: int, path: str, seconds: int, cookies: list[str], bodies: list[bytes]) -> Load:
    """wrk: 16 threads with one keep-alive connection each, for `seconds` at most."""
    with tempfile.TemporaryDirectory() as folder:
        write_clients(Path(folder), cookies, bodies)
        command = ["wrk", "-t", str(CLIENTS), "-c", str(CLIENTS), "-d", f"{seconds}s"]
        command += ["--timeout", "30s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}"]
        command += ["--", folder, path, CSRF]
        done = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 120
        )
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        statuses=Counter({int(status): n for status, n in summary["statuses"].items()}),
        no_answer=int(summary["no_answer"]),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        seconds=summary["duration_us"] / 1e6,
    )


def overlapping_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        return int(cursor.fetchone()[0])


@dataclass
class Floor:
    """One floor server's figures: its INSERTs over HTTP per second and its CPU per request."""

    per_s: float
    cpu_ms: float | None


@dataclass
class Report:
    bookings_per_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    overlaps: int
    seconds: float
    statements: int  # SQL statements of one booking
    cpu_ms: float | None  # gunicorn's CPU per booking during the load
    floors: dict[str, Floor]  # "bare" and "django"

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


@dataclass
class Served:
    load: Load
    cpu_ms: float | None  # gunicorn's CPU per 201 answer


def serve_and_fire(
    app: tuple[str, str],
    probe: str,
    load: tuple[str, int, list[str], list[bytes]],
    workers: int,
    threads: int,
) -> Served:
    """Starts gunicorn with `app`, runs wrk against it, stops it; CPU read around the load."""
    port = free_port()
    server = start_gunicorn(port, workers, threads, app)
    try:
        wait_until_serving(port, server, probe)
        cpu_before = server_cpu_seconds(server)
        path, seconds, cookies, bodies = load
        fired = fire(port, path, seconds, cookies, bodies)
        cpu_after = server_cpu_seconds(server)
    finally:
        stop(server)
    created = fired.statuses[201]
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and created:
        cpu_ms = 1000 * (cpu_after - cpu_before) / created
    return Served(fired, cpu_ms)


def floors(p: LoadPractice, seconds: int, workers: int, threads: int) -> dict[str, Floor]:
    """The bare WSGI app and Django with no middleware, each inserting a booked visit's row."""
    found = {}
    cookies = [f"csrftoken={CSRF}"] * CLIENTS  # neither floor reads them
    for name, app in FLOORS.items():
        bodies = floor_bodies(p, FLOOR_FIRST_START[name], FLOOR_ROWS_PER_SECOND * seconds)
        load = (FLOOR_PATH, seconds, cookies, bodies)
        served = serve_and_fire(app, "/", load, workers, threads)
        if served.load.statuses[201] != sum(served.load.statuses.values()):
            raise SystemExit(f"the {name} floor answered {dict(served.load.statuses)}")
        found[name] = Floor(served.load.statuses[201] / served.load.seconds, served.cpu_ms)
    return found


def run(p: LoadPractice, seconds: int = 15, workers: int = 2, threads: int = 4) -> Report:
    """Books over HTTP for `seconds`, then runs the two floors for as long each.

    Two gunicorn workers: on two cores shared with PostgreSQL and the clients, a third one
    only added CPU per booking (measured), not bookings per second.
    """
    bodies = booking_bodies(p)
    statements = statements_per_booking(p, bodies.pop(), bodies.pop())  # targets of its own
    cookies = [
        f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF}"
        for session in session_cookies(p.desk_users)
    ]
    served = serve_and_fire(
        PRODUCT, probe_path(p), (PATH, seconds, cookies, bodies), workers, threads
    )
    found_floors = floors(p, seconds, workers, threads)
    load = served.load
    statuses = dict(load.statuses)
    if load.no_answer:
        statuses[599] = load.no_answer  # no answer at all counts as a server failure
    return Report(
        bookings_per_s=load.statuses[201] / load.seconds,
        p50_ms=load.p50_ms,
        p99_ms=load.p99_ms,
        statuses=statuses,
        overlaps=overlapping_rows(),
        seconds=load.seconds,
        statements=statements,
        cpu_ms=served.cpu_ms,
        floors=found_floors,
    )
