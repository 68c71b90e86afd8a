"""The intake review list a page at a time: the most urgent work first, alerts never hidden.

On a chain the owner's list holds hundreds of intakes, and each shown row costs a red-flag
screen (the care core reads its answers). A page shows PAGE_SIZE of them, with the count of the
whole list and a link to the next page. The order is decided here once (`order_key`): first the
alerts nobody has acknowledged, then the intakes sent to the clinic, then those being filled in,
then the reviewed ones, each by appointment time. The first page holds every unacknowledged
alert however many there are, so a same-day alert is never pushed off it by other rows.

The whole list's sort keys are one light read (five columns a row, no answers), sorted here; then
only the page's rows are read. The next page starts after a row, by a signed cursor that
holds that row's id only (`common.keyset`): never a sort value, never a count of rows skipped.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unknot.common import keyset
from unknot.records.models import IntakeStatus

PAGE_SIZE = 20
CURSOR = "cursor"  # the query parameter, named in the refusal of a cursor not made here
# What the cursor was made for: a cursor of another list is refused (keyset.read_cursor).
TAG = "intake-review|records.intake|attention,status,appointment,id"

_STATUS_ORDER: dict[str, int] = {
    IntakeStatus.SUBMITTED: 0,
    IntakeStatus.DRAFT: 1,
    IntakeStatus.REVIEWED: 2,
}
_LATE = dt.datetime.max.replace(tzinfo=dt.UTC)  # no appointment: after every booked one


def needs_attention(emergency_at: dt.datetime | None, reviewed_at: dt.datetime | None) -> bool:
    """An emergency answer nobody has acknowledged yet (acknowledging sets reviewed_at)."""
    return emergency_at is not None and reviewed_at is None


@dataclass(frozen=True)
class SortKeys:
    """What the list's order needs of one intake, as `KEY_FIELDS` reads it."""

    pk: int
    emergency_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    status: str
    start: dt.datetime | None  # the appointment's start, if booked

    @property
    def alert(self) -> bool:
        return needs_attention(self.emergency_at, self.reviewed_at)

    def order(self) -> tuple[Any, ...]:
        return order_key(self.alert, self.status, self.start, self.pk)


# The columns of SortKeys; "start" is the appointment's, annotated by the reader.
KEY_FIELDS = ("pk", "emergency_at", "reviewed_at", "status", "start")


def order_key(alert: bool, status: str, start: dt.datetime | None, pk: int) -> tuple[Any, ...]:
    """The list's order: alerts, then sent, being filled in, reviewed; by appointment; by id."""
    return (not alert, _STATUS_ORDER.get(status, 3), start or _LATE, pk)


@dataclass(frozen=True)
class ReviewPage:
    ids: list[int]  # the page's intakes, in the list's order
    first: int  # the position of its first row in the whole list (1 for the first)
    total: int  # intakes on the whole list
    alerts: int  # unacknowledged alerts on the whole list (all on the first page)
    next: str | None  # the cursor of the next page, when there is one
    restarted: bool  # the cursor's row had left the list: this is the first page again

    @property
    def last(self) -> int:
        return self.first + len(self.ids) - 1

    @property
    def remaining(self) -> int:
        """Rows after this page: work still waiting beyond what is shown."""
        return self.total - self.last

    @property
    def is_first(self) -> bool:
        return self.first == 1

    @property
    def paged(self) -> bool:
        """Whether the list is longer than this page (then the page says where it is)."""
        return len(self.ids) < self.total


def page_of(keys: list[SortKeys], cursor: str | None) -> ReviewPage:
    """The page after the cursor's row (the first page without a cursor). A cursor that is not
    one of ours is refused (BadInput, a 400 that says to start again); one whose row has left
    the list since (reviewed, closed) gives the first page, saying so."""
    ordered = sorted(keys, key=SortKeys.order)
    ids = [row.pk for row in ordered]
    alerts = sum(1 for row in ordered if row.alert)
    anchor = _anchor(cursor)
    start = ids.index(anchor) + 1 if anchor is not None and anchor in ids else 0
    if 0 < start < len(ids):
        return _page(ids, start, start + PAGE_SIZE, alerts, restarted=False)
    # The first page holds every alert, however many; a cursor whose row (or every row after
    # it) has left the list since starts again here.
    return _page(ids, 0, max(PAGE_SIZE, alerts), alerts, restarted=anchor is not None)


def _anchor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    row_id, _backwards = keyset.read_cursor(cursor, TAG, CURSOR)
    return row_id if isinstance(row_id, int) else None


def _page(ids: list[int], start: int, end: int, alerts: int, *, restarted: bool) -> ReviewPage:
    shown = ids[start:end]
    following = keyset.make_cursor(TAG, shown[-1], backwards=False) if end < len(ids) else None
    return ReviewPage(shown, start + 1, len(ids), alerts, following, restarted)
