"""`make drill`: the production topology on this machine, a mixed load, and two SIGKILLs.

    HAProxy (health checks on /readyz, PROXY protocol) -> two gunicorn app servers
    two db_worker processes -> a real SMTP server (aiosmtpd) on the loopback
    PostgreSQL primary (DATABASE_URL's server, database `deploy_drill`)
        -> a streaming replica made with pg_basebackup, on a spare port, in a temporary folder

During the load one app server and one worker are killed (SIGKILL). The drill then prints its
figures and one PASS/FAIL line per goal (docs/deploy.md), and exits non-zero on any FAIL.
Everything it starts is stopped, and its database, replica and files removed, even on failure.
"""

import asyncio
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DRILL_DB = "deploy_drill"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOAD_SECONDS = 24
KILL_APP_AT = 8  # seconds into the load
KILL_WORKER_AT = 12
CLIENTS = 8  # concurrent clients, each with its own keep-alive connection
APP_WORKERS, APP_THREADS = 1, 4  # per app server: 4 requests in flight at most
CSRF = "d" * 32
REPLICA_HBA_LINE = "host replication postgres 127.0.0.1/32 trust  # unknot make drill"
MAX_LAG_SECONDS = 5
# A request lost with the killed server fails within this long of the kill (its answer never
# comes; the proxy's next health check, 1 s apart, takes the server out): later ones are not.
ERROR_WINDOW_SECONDS = 3
RELAY_DELAY_SECONDS = 0.2
CATCH_UP_SECONDS = 90
# The kill is not instant: a request the proxy hands to the server this soon after the signal
# meets a server already dying (its kept-alive connection is reset); it was in flight on it.
KILL_TAKES_SECONDS = 0.1

OVERLAPS = """
    SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
      ON a.therapist_id = b.therapist_id AND a.id < b.id
     AND tstzrange(a.blocked_start, a.blocked_end, '[)')
         && tstzrange(b.blocked_start, b.blocked_end, '[)')
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


BEGUN = time.monotonic()


def say(text: str) -> None:
    print(f"drill [{time.monotonic() - BEGUN:5.1f} s]: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


def psql(url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", url, "-Atqc", sql], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


# --- processes -------------------------------------------------------------------------------


@dataclass
class Started:
    """Every process the drill started, stopped together (each leads its own group)."""

    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], **options: Any) -> subprocess.Popen[bytes]:
        log = open(options.pop("log"), "wb")  # noqa: SIM115  # closed with the process
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **options
        )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# --- the replica -----------------------------------------------------------------------------


class Replica:
    """A hot standby of the primary's whole cluster, streaming, in a temporary folder."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="unknot-drill-replica-"))
        self.data = self.folder / "data"
        self.hba_line_added = False
        major = psql(admin_url, "SHOW server_version_num")[:2]
        self.bindir = Path(f"/usr/lib/postgresql/{major}/bin")

    def as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, timeout=180)

    def allow_replication(self) -> None:
        """One line, added to the primary's pg_hba.conf only when no rule allows replication
        from the loopback yet; removed again by `remove` (docs/deploy.md)."""
        rules = "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
        if psql(self.admin_url, rules) != "0":
            return
        hba = Path(psql(self.admin_url, "SHOW hba_file"))
        hba.write_text(hba.read_text().rstrip("\n") + "\n" + REPLICA_HBA_LINE + "\n")
        self.hba_line_added = True
        psql(self.admin_url, "SELECT pg_reload_conf()")

    def start(self) -> None:
        self.allow_replication()
        shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        url = urllib.parse.urlsplit(self.admin_url)
        self.as_postgres(
            str(self.bindir / "pg_basebackup"), "-h", url.hostname or "127.0.0.1",
            "-p", str(url.port or 5432), "-U", url.username or "postgres",
            "-D", str(self.data), "-X", "stream", "-R", "--checkpoint=fast",
        )  # fmt: skip
        self._configure()
        log = self.folder / "replica.log"
        self.as_postgres(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60",
            "start",
        )  # fmt: skip

    def _configure(self) -> None:
        """Its own postgresql.conf and pg_hba.conf (Debian keeps the primary's outside the data
        folder); a hot standby needs at least the primary's connection and worker counts."""
        same = ("max_connections", "max_worker_processes", "max_prepared_transactions",
                "max_locks_per_transaction", "max_wal_senders")  # fmt: skip
        lines = [f"{name} = {psql(self.admin_url, f'SHOW {name}')}" for name in same]
        lines += [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.folder}'",
            "hot_standby = on",
            "shared_buffers = 128MB",
            "jit = off",
        ]
        files = {
            "postgresql.conf": "\n".join(lines) + "\n",
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }
        for name, text in files.items():
            path = self.data / name
            path.write_text(text)
            shutil.chown(path, "postgres", "postgres")

    def catch_up(self, primary_url: str) -> float | None:
        """Seconds until the replica has replayed the primary's WAL as of now; None if it does
        not within CATCH_UP_SECONDS. The whole cluster is replicated: other databases' writes
        (a test run creating databases, say) are replayed too and can put it behind."""
        target = psql(primary_url, "SELECT pg_current_wal_lsn()")
        begun = time.monotonic()
        check = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        while time.monotonic() - begun < CATCH_UP_SECONDS:
            if psql(self.url("postgres"), check) == "t":
                return time.monotonic() - begun
            time.sleep(0.2)
        return None

    def url(self, database: str) -> str:
        admin = urllib.parse.urlsplit(self.admin_url)
        user = admin.username or "postgres"
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                 "immediate", "stop")  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.hba_line_added:
            hba = Path(psql(self.admin_url, "SHOW hba_file"))
            kept = [line for line in hba.read_text().splitlines() if line != REPLICA_HBA_LINE]
            hba.write_text("\n".join(kept) + "\n")
            psql(self.admin_url, "SELECT pg_reload_conf()")


# --- the load --------------------------------------------------------------------------------


@dataclass
class Outcome:
    at: float  # seconds into the load when it was sent
    ended: float  # ... and when its answer (or the failure) came
    kind: str  # book, desk, public, dashboard, static
    status: int | None  # None: no answer (connection failed)
    made: int | None = None  # the id of the booking or visit note it made


@dataclass
class Client:
    """One front-desk person and one therapist sharing a connection: a booking through the
    booking API, then in turn the desk's home, the clinic's public page, the manager's practice
    dashboard (read from the replica), a visit note written by the therapist, a static file."""

    port: int
    cookies: dict[str, str]  # the Cookie header of each kind of request
    paths: dict[str, str]  # the path of each kind of request
    bookings: list[bytes]  # JSON bodies, each sent once
    note: bytes  # the visit note's form
    started: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, until: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for n, booking in enumerate(self.bookings):
            if time.monotonic() >= until:
                break
            connection = self._send(connection, "book", booking)
            extra = ("desk", "public", "dashboard", "note", "static")[n % 5]
            connection = self._send(connection, extra, self.note if extra == "note" else None)
        connection.close()

    def _now(self) -> float:
        return time.monotonic() - self.started

    def _send(
        self, connection: http.client.HTTPConnection, kind: str, body: bytes | None
    ) -> http.client.HTTPConnection:
        headers = {"Host": "127.0.0.1", "Cookie": f"{self.cookies[kind]}; csrftoken={CSRF}"}
        if body is not None:
            form = "application/x-www-form-urlencoded" if kind == "note" else "application/json"
            headers |= {"Content-Type": form, "X-CSRFToken": CSRF}
        at = self._now()
        try:
            connection.request("POST" if body else "GET", self.paths[kind], body, headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.outcomes.append(Outcome(at, self._now(), kind, None))
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        made = _made(kind, response.status, payload, response.getheader("Location", ""))
        self.outcomes.append(Outcome(at, self._now(), kind, response.status, made))
        return connection


def _made(kind: str, status: int, payload: bytes, location: str) -> int | None:
    """The id of what the request made: a booking (201, its JSON) or a visit note (302 to
    /clinical/visits/<id>/)."""
    if kind == "book" and status == 201:
        return int(json.loads(payload)["id"])
    if kind == "note" and status == 302 and "/visits/" in location:
        return int(location.rstrip("/").rsplit("/", 1)[-1])
    return None


# --- the drill -------------------------------------------------------------------------------


@dataclass
class Figures:
    requests: int
    by_status: Counter[Any]
    errors: int
    errors_around_kill: list[tuple[float, float]]  # each error's send and end, from the kill
    bookings_answered: int
    notes_answered: int
    notes_lost: int
    bookings_lost: int
    emails_due: int
    emails_sent: int
    emails_twice: int
    twice: dict[str, list[float]]  # each email received more than once: when (drill clock)
    emails_unsent: int
    emails_swept: int  # tasks the killed worker had claimed (their emails: for the sweep)
    double_bookings: int
    max_lag: float
    lag_samples: int
    samples_in_use: int  # samples in which reports read from the replica
    routing_follows_lag: bool
    catch_up: float | None  # seconds for the replica to replay the primary's WAL after the load


def environment(drill_url: str, replica_url: str, workdir: Path, smtp_port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "unknot.config.settings",
        "DATABASE_URL": drill_url,
        "DATABASE_REPLICA_URL": replica_url,
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; TLS ends at the proxy
        "UNKNOT_STATIC_ROOT": str(workdir / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "UNKNOT_LOG_LEVEL": "ERROR",
        # Every client comes from this one address: the fair-use limit of public pages would
        # count them as one person.
        "UNKNOT_THROTTLE_PAGES": "0",
        "UNKNOT_REASSESS_EVERY_VISITS": "0",  # the load's notes are plain visits, no re-test
    }


HAPROXY = """
global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2 send-proxy check-send-proxy
    default-server observe layer4 error-limit 1 on-error mark-down
{servers}
"""


def start_app(started: Started, name: str, port: int, workdir: Path) -> None:
    command = [sys.executable, "-m", "gunicorn", "unknot.config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(APP_WORKERS)]
    command += ["--worker-class", "gthread", "--threads", str(APP_THREADS)]
    # The real client's address comes from the proxy in the PROXY protocol header.
    command += ["--proxy-protocol", "--proxy-allow-from", "127.0.0.1"]
    command += ["--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning"]
    started.start(name, command, log=workdir / f"{name}.log")


def start_worker(started: Started, name: str, workdir: Path, smtp_port: int) -> None:
    command = [sys.executable, "-m", "unknot.manage", "db_worker", "--no-reload"]
    command += ["--interval", "0.2", "--worker-id", name]
    env = os.environ | {"EMAIL_PORT": str(smtp_port)}
    started.start(name, command, log=workdir / f"{name}.log", env=env)


def wait_until(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if check():
                return
        time.sleep(0.3)
    raise SystemExit(f"the drill gave up waiting for {what}")


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def prepare(admin_url: str, drill_url: str) -> None:
    psql(admin_url, f'DROP DATABASE IF EXISTS "{DRILL_DB}" WITH (FORCE)')
    psql(admin_url, f'CREATE DATABASE "{DRILL_DB}"')
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "-m", "unknot.manage", *command], check=True, timeout=300)


def run() -> int:
    admin_url = os.environ.get("DATABASE_URL", DEFAULT_ADMIN_URL)
    if not admin_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make drill needs PostgreSQL in DATABASE_URL")
    admin_url = with_database(admin_url, "postgres")
    drill_url = with_database(admin_url, DRILL_DB)
    workdir = Path(tempfile.mkdtemp(prefix="unknot-drill-"))
    replica = Replica(admin_url)
    started = Started()
    relays: list[Any] = []
    try:
        from aiosmtpd.controller import Controller

        inbox = Inbox()
        # One relay, two doors: each worker has its own port, so the drill knows which
        # worker is in the middle of a send.
        for name in ("worker1", "worker2"):
            inbox.ports[name] = free_port()
            relays.append(Controller(inbox, hostname="127.0.0.1", port=inbox.ports[name]))
            relays[-1].start()
        smtp_port = inbox.ports["worker2"]
        os.environ.update(environment(drill_url, replica.url(DRILL_DB), workdir, smtp_port))
        say("the drill's database, migrations, static files")
        prepare(admin_url, drill_url)
        say("a streaming replica (pg_basebackup)")
        replica.start()
        figures = drill(started, workdir, inbox, replica)
    finally:
        started.stop_all()
        for relay in relays:
            relay.stop()
        replica.remove()
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(admin_url, f'DROP DATABASE IF EXISTS "{DRILL_DB}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    return report(figures)


class Inbox:
    """What the SMTP server received, counted per Message-ID (outbox.mailer.message_id).

    A slow relay: each recipient takes RELAY_DELAY_SECONDS to accept, so a worker spends most
    of its time in the middle of a send; the drill kills worker 1 while the relay is taking
    one of its recipients (`sending`): the email it held was not accepted, stays queued, and
    must be sent once, by the other worker after the sweep.
    """

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.received: dict[str, list[float]] = {}  # seconds into the drill, per Message-ID
        self.ports: dict[str, int] = {}  # each worker's door
        self.sending: Counter[int] = Counter()  # recipients being taken, per door
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        door = int(server.transport.get_extra_info("sockname")[1])
        with self.lock:
            self.sending[door] += 1
        try:
            await asyncio.sleep(RELAY_DELAY_SECONDS)
        finally:
            with self.lock:
                self.sending[door] -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def is_sending(self, worker: str) -> bool:
        with self.lock:
            return self.sending[self.ports[worker]] > 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.ids[str(message["Message-ID"])] += 1
            at = time.monotonic() - BEGUN
            self.received.setdefault(str(message["Message-ID"]), []).append(at)
        return "250 OK"


def drill(started: Started, workdir: Path, inbox: Inbox, replica: Replica) -> Figures:
    import django

    django.setup()
    from django.db import connections

    say("the load's practice and signed-in clients")
    clients = make_clients()
    say("HAProxy, two app servers, two workers")
    ports = {"app1": free_port(), "app2": free_port()}
    for name, port in ports.items():
        start_app(started, name, port, workdir)
    for name in ("worker1", "worker2"):
        start_worker(started, name, workdir, inbox.ports[name])
    proxy_port = free_port()
    servers = "\n".join(f"    server {name} 127.0.0.1:{port}" for name, port in ports.items())
    (workdir / "haproxy.cfg").write_text(HAPROXY.format(port=proxy_port, servers=servers))
    started.start("haproxy", ["haproxy", "-db", "-f", str(workdir / "haproxy.cfg")],
                  log=workdir / "haproxy.log")  # fmt: skip
    for port in ports.values():
        wait_until(lambda port=port: ready(port), 60, "an app server")
    wait_until(lambda: ready(proxy_port), 30, "the proxy")
    say(
        f"{CLIENTS} clients for {LOAD_SECONDS} s; SIGKILL app1 at {KILL_APP_AT} s and worker1 "
        f"at {KILL_WORKER_AT} s"
    )
    lags: list[tuple[float, bool]] = []  # /readyz's replica lag and whether reports used it
    outcomes, kill_at = load(clients, proxy_port, started, lags, inbox)
    catch_up = replica.catch_up(os.environ["DATABASE_URL"])
    say("the outbox: the surviving worker, then the sweep")
    unsent, stuck = settle_outbox()
    with connections["default"].cursor() as cursor:
        cursor.execute(OVERLAPS)
        overlaps = int(cursor.fetchone()[0])
    return figures(outcomes, inbox, (unsent, stuck), overlaps, lags, catch_up, kill_at)


def ready(port: int) -> bool:
    status, _ = get(port, "/readyz")
    return status == 200


def make_clients() -> list[Client]:
    from bench.data import _staff, load_practice
    from bench.throughput import PATH as BOOKING_PATH
    from bench.throughput import booking_bodies, signed_in
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    practice = load_practice(therapists=20, desks=CLIENTS, patients=100)
    manager = _staff(practice.clinic, "drillmanager", 1, "manager")[0].user
    bookings = booking_bodies(practice)
    name = settings.SESSION_COOKIE_NAME

    def cookie(user: Any) -> str:
        return f"{name}={signed_in(user).cookies[name].value}"

    episodes = episodes_in_care(practice)
    therapist = episodes[0].therapist.user
    today = timezone.now().date().isoformat()
    note = urllib.parse.urlencode(
        {"performed_on": today, "rescreen_done": "on", "nprs": "4", "iv-TOTAL_FORMS": "0",
         "iv-INITIAL_FORMS": "0"}
    ).encode()  # fmt: skip
    shared = {
        "book": BOOKING_PATH,
        "desk": reverse("staffarea:dashboard"),
        "public": reverse("site:clinic_detail", kwargs={"slug": practice.clinic.slug}),
        "dashboard": reverse("staffarea:practice") + f"?first={today}&last={today}",
        "static": "/" + settings.STATIC_URL.strip("/") + "/plans/home.css",
    }
    clients = []
    for i, desk in enumerate(practice.desk_users):
        desk_cookie = cookie(desk)
        cookies = dict.fromkeys(("book", "desk", "public", "static"), desk_cookie)
        cookies |= {"dashboard": cookie(manager), "note": cookie(therapist)}
        paths = shared | {"note": reverse("clinical:visit_new", args=[episodes[i].pk])}
        clients.append(Client(0, cookies, paths, bookings[i::CLIENTS], note))
    return clients


def episodes_in_care(practice: Any) -> list[Any]:
    """One episode per client, each with a signed plan of care, all of one therapist: built
    with the clinical tests' builders (intake, evaluation, plan), signed today."""
    from types import SimpleNamespace

    from django.utils import timezone
    from tests.web import matrix_clinical as clinical

    from unknot.clinics.models import StaffMember
    from unknot.patients.models import Patient
    from unknot.plans import services as plans

    member = StaffMember.objects.select_related("user").get(pk=practice.therapist_ids[0])
    cast = SimpleNamespace(therapist_a=member.user, clinic_a=practice.clinic, patient_p=None)
    episodes = []
    for patient in Patient.objects.filter(pk__in=practice.patient_ids[:CLIENTS]):
        made = clinical.episode(cast, patient=patient, clinic=practice.clinic, therapist=member)
        plan = clinical.draft(cast, made)
        goals = plans.suggested_goals(made, plan.duration_weeks)
        plans.plan_set_goals(by=member.user, plan=plan, frequency=plan.frequency_per_week,
                             weeks=plan.duration_weeks, goals=goals)  # fmt: skip
        plans.plan_sign(by=member.user, plan=plan, now=timezone.now())
        episodes.append(made)
    return episodes


def load(
    clients: list[Client],
    port: int,
    started: Started,
    lags: list[tuple[float, bool]],
    inbox: Inbox,
) -> tuple[list[Outcome], float]:
    """The clients' outcomes, and when app1 was killed (seconds into the load)."""
    begun = time.monotonic()
    until = begun + LOAD_SECONDS
    threads = []
    for client in clients:
        client.port, client.started = port, begun
        threads.append(threading.Thread(target=client.run, args=(until,)))
    for thread in threads:
        thread.start()
    killed: dict[str, float | None] = {"app1": None, "worker1": None}
    while any(thread.is_alive() for thread in threads):
        elapsed = time.monotonic() - begun
        if elapsed >= KILL_APP_AT and killed["app1"] is None:
            killed["app1"] = time.monotonic() - begun  # the signal's moment, not its end
            started.kill("app1")
            say(f"SIGKILL app1, {elapsed:.1f} s into the load")
        if elapsed >= KILL_WORKER_AT and killed["worker1"] is None:
            mid_send = wait_for_a_send(inbox, "worker1")
            started.kill("worker1")
            killed["worker1"] = time.monotonic() - begun
            doing = "in the middle of a send" if mid_send else "(not sending)"
            say(f"SIGKILL worker1 {doing}, {killed['worker1']:.1f} s into the load")
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError, KeyError):
            replica = json.loads(get(port, "/readyz")[1])["replica"]
            lag = replica["lag_seconds"]
            lags.append((float("inf") if lag is None else float(lag), bool(replica["in_use"])))
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    outcomes = sorted((o for c in clients for o in c.outcomes), key=lambda o: o.at)
    return outcomes, killed["app1"] if killed["app1"] is not None else float(KILL_APP_AT)


def wait_for_a_send(inbox: Inbox, worker: str, seconds: float = 5) -> bool:
    """Until the relay is taking a recipient from `worker`: True, or False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if inbox.is_sending(worker):
            return True
        time.sleep(0.005)
    return False


def orphaned_tasks() -> int:
    """Tasks the killed worker had claimed: still marked running, with no one to finish them."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    return sum("worker1" in task.worker_ids for task in running)


def settle_outbox() -> tuple[int, int]:
    """Waits for the surviving worker; then the sweep a timer runs in production re-queues what
    the killed worker held; returns the due emails still unsent after that, and the tasks the
    killed worker had claimed."""
    from django.utils import timezone

    from unknot.outbox.models import OutboxEmail, OutboxStatus

    def unsent() -> int:
        return OutboxEmail.objects.filter(
            status__in=(OutboxStatus.QUEUED, OutboxStatus.FAILED), send_after__lte=timezone.now()
        ).count()

    deadline = time.monotonic() + 40
    left = unsent()
    while left and time.monotonic() < deadline:  # until the surviving worker stops progressing
        time.sleep(3)
        left, before = unsent(), left
        if left == before:
            break
    stuck = orphaned_tasks()
    subprocess.run(
        [sys.executable, "-m", "unknot.manage", "outbox_sweep"], check=True, capture_output=True
    )
    deadline = time.monotonic() + 30
    while unsent() and time.monotonic() < deadline:
        time.sleep(0.5)
    return unsent(), stuck


def figures(
    outcomes: list[Outcome], inbox: Inbox, outbox: tuple[int, int], overlaps: int,
    lags: list[tuple[float, bool]],
    catch_up: float | None,
    kill_at: float,
) -> Figures:  # fmt: skip
    from unknot.booking.models import Appointment
    from unknot.outbox.models import OutboxEmail, OutboxStatus
    from unknot.records.models import Visit

    errors = [o for o in outcomes if o.status is None or o.status >= 500]
    answered = [o.made for o in outcomes if o.kind == "book" and o.made is not None]
    found = set(Appointment.objects.filter(pk__in=answered).values_list("pk", flat=True))
    noted = [o.made for o in outcomes if o.kind == "note" and o.made is not None]
    kept = set(Visit.objects.filter(pk__in=noted).values_list("pk", flat=True))
    due = OutboxEmail.objects.filter(kind="confirmation").count()
    sent = OutboxEmail.objects.filter(status=OutboxStatus.SENT).count()
    return Figures(
        requests=len(outcomes),
        by_status=Counter(o.status for o in outcomes),
        errors=len(errors),
        errors_around_kill=[(o.at - kill_at, o.ended - kill_at) for o in errors],
        bookings_answered=len(answered),
        bookings_lost=len(set(answered) - found),
        notes_answered=len(noted),
        notes_lost=len(set(noted) - kept),
        emails_due=due,
        emails_sent=sent,
        emails_twice=sum(n - 1 for n in inbox.ids.values() if n > 1),
        twice={key: times for key, times in inbox.received.items() if len(times) > 1},
        emails_unsent=outbox[0],
        emails_swept=outbox[1],
        double_bookings=overlaps,
        max_lag=max((lag for lag, _ in lags), default=0.0),
        lag_samples=len(lags),
        samples_in_use=sum(in_use for _, in_use in lags),
        routing_follows_lag=all(in_use == (lag <= MAX_LAG_SECONDS) for lag, in_use in lags),
        catch_up=catch_up,
    )


def _caught(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def _seconds(spans: list[tuple[float, float]]) -> str:
    return ", ".join(f"sent {sent:+.2f} s, failed {ended:+.2f} s" for sent, ended in spans)


def report(f: Figures) -> int:
    in_flight = CLIENTS  # each client waits for its answer: at most one request each in flight
    # In flight on the killed server: sent before the kill, failed within the window after it.
    late = [
        (sent, ended)
        for sent, ended in f.errors_around_kill
        if not (sent <= KILL_TAKES_SECONDS and 0 <= ended <= ERROR_WINDOW_SECONDS)
    ]
    print()
    print(f"requests served: {f.requests} ({dict(sorted(f.by_status.items(), key=str))})")
    for key, times in f.twice.items():
        print(f"received more than once: {key} at " + ", ".join(f"{t:.2f} s" for t in times))
    print(f"errors, from the kill of app1: {_seconds(f.errors_around_kill) or 'none'}")
    print(f"bookings answered 201: {f.bookings_answered}; visit notes answered (302 to the "
          f"note): {f.notes_answered}; emails sent {f.emails_sent} "
          f"(confirmations queued {f.emails_due}); tasks the killed worker had claimed, their "
          f"emails sent after the sweep: {f.emails_swept}")  # fmt: skip
    goals = [
        (f"errors: {f.errors} (goal: only requests in flight on the killed server: at most one "
         f"per client, {in_flight}, each sent before the kill took effect and failed within "
         f"{ERROR_WINDOW_SECONDS} s after it)", f.errors <= in_flight and not late),
        (f"bookings lost: {f.bookings_lost} (goal: 0)", f.bookings_lost == 0),
        (f"visit notes lost: {f.notes_lost} (goal: 0)", f.notes_lost == 0),
        (f"emails sent twice: {f.emails_twice} (goal: 0)", f.emails_twice == 0),
        (f"due emails never sent: {f.emails_unsent} (goal: 0)", f.emails_unsent == 0),
        (f"double bookings: {f.double_bookings} (goal: 0)", f.double_bookings == 0),
        (f"replica caught up with the primary {_caught(f.catch_up)} after the load (goal: "
         f"within {CATCH_UP_SECONDS} s)", f.catch_up is not None),
        (f"replica lag at most {f.max_lag:.2f} s; reports read from it in {f.samples_in_use} of "
         f"{f.lag_samples} samples (goal: from the replica exactly while its lag <= "
         f"{MAX_LAG_SECONDS} s)", f.routing_follows_lag and f.lag_samples > 0),
    ]  # fmt: skip
    for line, holds in goals:
        print(f"{'PASS' if holds else 'FAIL'}  {line}")
    return 0 if all(holds for _, holds in goals) else 1


if __name__ == "__main__":
    sys.exit(run())
