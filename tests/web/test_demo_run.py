"""`make demo`'s launcher: web server and worker start together and stop together, and the
demo shows the site's own error pages and prints the emails the worker sends.

Every wait is bounded: a launcher that hangs fails the test instead of holding the suite.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web.test_settings import SCRUBBED

BOUND_SECONDS = 20
# A child that writes its process id, then sleeps until stopped.
SLEEPER = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"


def wait_for(condition: Callable[[], bool], what: str, seconds: float = BOUND_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {seconds} s")
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of the stopped launcher that is a zombie is gone for our purpose.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def launch(code: str) -> "subprocess.Popen[str]":
    return subprocess.Popen([sys.executable, "-c", code], text=True)


def supervising(*commands: list[str]) -> str:
    return f"import sys; from unknot.demo.run import supervise; sys.exit(supervise({commands!r}))"


def pids_in(files: list[Path]) -> list[int]:
    wait_for(lambda: all(f.exists() and f.read_text() for f in files), "both children")
    return [int(f.read_text()) for f in files]


def test_ctrl_c_stops_both_processes(tmp_path: Path) -> None:
    files = [tmp_path / "server.pid", tmp_path / "worker.pid"]
    launcher = launch(supervising(*([sys.executable, "-c", SLEEPER, str(f)] for f in files)))
    pids = pids_in(files)
    assert all(alive(pid) for pid in pids)
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=BOUND_SECONDS) == 0
    wait_for(lambda: not any(alive(pid) for pid in pids), "both children to stop")


def test_sigterm_stops_both_processes(tmp_path: Path) -> None:
    files = [tmp_path / "server.pid", tmp_path / "worker.pid"]
    launcher = launch(supervising(*([sys.executable, "-c", SLEEPER, str(f)] for f in files)))
    pids = pids_in(files)
    launcher.terminate()
    assert launcher.wait(timeout=BOUND_SECONDS) == 0
    wait_for(lambda: not any(alive(pid) for pid in pids), "both children to stop")


def test_when_one_process_ends_the_other_is_stopped(tmp_path: Path) -> None:
    file = tmp_path / "worker.pid"
    crash = [sys.executable, "-c", "import sys; sys.exit(3)"]
    launcher = launch(supervising([sys.executable, "-c", SLEEPER, str(file)], crash))
    (pid,) = pids_in([file])
    assert launcher.wait(timeout=BOUND_SECONDS) == 3  # the crashed one's status
    wait_for(lambda: not alive(pid), "the other child to stop")


def test_the_demo_runs_the_web_server_and_the_worker() -> None:
    from unknot.demo.run import demo_commands

    server, worker = demo_commands("127.0.0.1:9999")
    assert server[-3:] == ["runserver", "--noreload", "127.0.0.1:9999"]
    assert worker[-1] == "db_worker"


# --- the real demo, end to end -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "unknot.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """`python -m unknot.demo.run` on a free port with a database of its own."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env |= {
        "UNKNOT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    address = f"127.0.0.1:{free_port()}"
    output = tmp_path / "terminal.txt"
    with output.open("w") as terminal:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "unknot.demo.run", address],
            env=env,
            stdout=terminal,
            stderr=subprocess.STDOUT,
        )
    wait_for(lambda: answers(f"http://{address}"), "the demo to answer")
    yield f"http://{address}", output, env
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=BOUND_SECONDS) == 0


def answers(base: str) -> bool:
    try:
        fetch(base, "/")
    except OSError:
        return False
    return True


def fetch(base: str, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


Demo = tuple[str, Path, dict[str, str]]  # its address, its terminal's output, its environment


def test_a_missing_page_in_the_demo_shows_unknots_404(demo: Demo) -> None:
    base, _terminal, _env = demo
    status, page = fetch(base, "/no-such-page/")
    assert status == 404
    assert "We could not find that page" in page and 'class="site-header"' in page
    assert "Page not found at" not in page and "URLconf" not in page  # Django's debug page
    status, _css = fetch(base, "/static/unknot/site.css")
    assert status == 200  # static files are served with DEBUG off


def test_the_demo_worker_prints_the_emails_it_sends(demo: Demo) -> None:
    _base, terminal, env = demo
    demo_env = env | {"DJANGO_DEBUG": "0", "UNKNOT_DEMO": "1"}
    manage(
        demo_env,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "get_user_model().objects.create_user('rosa', 'rosa@example.org', 'pw-pw-pw-pw');"
        "from unknot.accounts.password_reset import send_password_reset;"
        "send_password_reset.enqueue(email='rosa@example.org', domain='demo', use_https=False)",
    )
    wait_for(lambda: "Choose a new password" in terminal.read_text(), "the email in the terminal")
    assert "To: rosa@example.org" in terminal.read_text()
