"""Threads released together against the database: the races of the PostgreSQL tests."""

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connections


def race[T](work: Callable[[int], T], racers: int, join_seconds: float = 60) -> Counter[T | str]:
    """Runs `work(i)` in `racers` threads released together, each with its own connection;
    counts what they returned. An exception is counted as "error: ..." so the test shows it."""
    barrier = threading.Barrier(racers)
    outcomes: list[T | str] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(work(i))
        except Exception as unexpected:  # recorded, so the test shows what went wrong
            outcomes.append(f"error: {unexpected!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_seconds)
    assert not any(t.is_alive() for t in threads), "a racer hung"
    return Counter(outcomes)
