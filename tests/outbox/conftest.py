# The outbox's tests book through booking's services, on the same calendars as its tests.
from tests.booking.conftest import calendar  # noqa: F401
