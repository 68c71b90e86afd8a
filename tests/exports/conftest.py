# The booking tests' calendar (clinics A and B open on weekdays, their therapists working).
from tests.booking.conftest import calendar  # noqa: F401
