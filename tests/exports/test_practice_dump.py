"""The practice export and the import's file check stream: memory does not grow with the
number of rows, and a progress line per table goes to stderr."""

import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.personas import Cast
from unknot.audit import record
from unknot.audit.models import Action
from unknot.exports.practice import dump, load
from unknot.exports.practice.progress import Progress

pytestmark = pytest.mark.django_db
CHUNK = 100


def _events(cast: Cast, count: int) -> None:
    for number in range(count):
        record(Action.READ, by=cast.therapist_a, object_type="patient", object_id=number + 1,
               patient_id=cast.patient_p.pk, clinic_id=cast.clinic_a.pk)  # fmt: skip


def _peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _export(folder: Path) -> None:
    dump.export_practice(folder, chunk_rows=CHUNK)


def test_memory_does_not_grow_with_the_rows(cast: Cast, tmp_path: Path) -> None:
    """400 audit rows, then 1,600: holding every row would need about four times the memory;
    streamed, the peak is one chunk of rows and one line, whatever the count."""
    _export(tmp_path / "warm")  # what the first export loads once (modules, caches) aside
    _events(cast, 400)
    small_export = _peak(lambda: _export(tmp_path / "small"))
    _events(cast, 1200)
    large_export = _peak(lambda: _export(tmp_path / "large"))
    assert large_export < 1.5 * small_export, (small_export, large_export)

    def check(name: str) -> Callable[[], object]:
        manifest = load.read_manifest(tmp_path / name)
        return lambda: load.verify_files(tmp_path / name, manifest)

    small_check, large_check = _peak(check("small")), _peak(check("large"))
    assert large_check < 1.5 * small_check, (small_check, large_check)


def test_the_command_reports_each_table_on_stderr(cast: Cast, tmp_path: Path) -> None:
    _events(cast, 3)
    out, err = io.StringIO(), io.StringIO()
    call_command("export_practice", str(tmp_path / "one"), stdout=out, stderr=err)
    assert "audit.auditevent: 4 / 4 rows" in err.getvalue()  # 3 and the export's own
    assert "tables," in out.getvalue()
    quiet = io.StringIO()
    call_command("export_practice", str(tmp_path / "two"), verbosity=0, stderr=quiet)
    assert quiet.getvalue() == ""


def test_progress_is_written_at_most_once_an_interval() -> None:
    lines: list[str] = []
    ticks = iter([0.0] + [0.1 * n for n in range(1, 100)])
    progress = Progress(lines.append, interval_seconds=1.0, clock=lambda: next(ticks))
    for done in range(1, 31):  # three seconds of rows, one every tenth of a second
        progress.rows("table", done, 30, finished=done == 30)
    assert lines == ["table: 10 / 30 rows", "table: 20 / 30 rows", "table: 30 / 30 rows"]
