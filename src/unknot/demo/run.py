"""`make demo`'s last step: the web server and the background worker, started and stopped together.

    python -m unknot.demo.run [ADDRESS]      (default 127.0.0.1:8000)

Both run with DEBUG off in demo mode (UNKNOT_DEMO=1, config/settings.py), so a missing page
shows the site's own 404 and the worker sends every queued email to this terminal. Ctrl+C (or
SIGTERM) stops both; when either stops by itself, the other is stopped too, so nothing is left
running in the background. Each child runs in its own process group, which is signalled as a
whole, so no grandchild outlives the launcher either.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

ADDRESS = "127.0.0.1:8000"
DEMO_ENVIRONMENT = {"DJANGO_DEBUG": "0", "UNKNOT_DEMO": "1"}
GRACE_SECONDS = 10  # the worker finishes the email it is sending; then it is killed
POLL_SECONDS = 0.2


class Stop(Exception):
    """A signal asked the launcher to stop."""


def demo_commands(address: str = ADDRESS) -> list[list[str]]:
    manage = [sys.executable, "-m", "unknot.manage"]
    # --noreload: the autoreloader would add a process of its own that outlives a stop.
    return [[*manage, "runserver", "--noreload", address], [*manage, "db_worker"]]


def supervise(commands: Sequence[Sequence[str]], environment: dict[str, str] | None = None) -> int:
    """Runs every command until one ends or a signal comes, then stops them all.

    Returns the exit status of the first command that ended by itself, 0 after a signal.
    """
    _raise_stop_on(signal.SIGINT, signal.SIGTERM)
    env = os.environ | (environment or {})
    children: list[subprocess.Popen[bytes]] = []
    try:
        for command in commands:
            # Our own commands (demo_commands), never input from outside.
            child = subprocess.Popen(list(command), env=env, start_new_session=True)  # noqa: S603
            children.append(child)
        return _wait_for_first_end(children, commands)
    except Stop:
        return 0
    finally:
        _stop_all(children)


def _raise_stop_on(*signals: signal.Signals) -> None:
    def handler(signum: int, frame: object) -> None:
        raise Stop(signal.Signals(signum).name)

    for signum in signals:
        signal.signal(signum, handler)


def _wait_for_first_end(
    children: Sequence[subprocess.Popen[bytes]], commands: Sequence[Sequence[str]]
) -> int:
    while True:
        for child, command in zip(children, commands, strict=True):
            status = child.poll()
            if status is not None:
                print(f"\n{' '.join(command)} stopped; stopping the demo.", flush=True)
                return status
        time.sleep(POLL_SECONDS)


def _stop_all(children: Sequence[subprocess.Popen[bytes]]) -> None:
    # Later signals must not interrupt the clean-up itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for child in children:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def _signal_group(child: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(child.pid, signum)  # the child leads its own group (start_new_session)


def main(argv: Sequence[str]) -> int:
    address = argv[0] if argv else ADDRESS
    print(f"Serving the demo at http://{address}/ with the background worker. Ctrl+C stops both.")
    print("Emails the demo sends are printed here, by the worker.\n", flush=True)
    return supervise(demo_commands(address), DEMO_ENVIRONMENT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
