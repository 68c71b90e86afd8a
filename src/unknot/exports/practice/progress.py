"""A progress line per table for the long export and import commands, without flooding.

"auditevent: 1200000 / 6000000 rows" is written at most once a second (and once when a table
is done), so a run over millions of rows shows it is alive in a few hundred lines.
"""

import time
from collections.abc import Callable


class Progress:
    def __init__(
        self,
        write: Callable[[str], None] | None = None,
        interval_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write, self._interval, self._clock = write, interval_seconds, clock
        self._last = clock()

    def rows(self, label: str, done: int, total: int, *, finished: bool = False) -> None:
        if self._write is None:
            return
        now = self._clock()
        if finished or now - self._last >= self._interval:
            self._last = now
            self._write(f"{label}: {done} / {total} rows")


SILENT = Progress()
