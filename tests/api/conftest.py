import pytest

from tests.api.world import World, build_world
from tests.calendar import Calendar


@pytest.fixture
def world(calendar: Calendar) -> World:
    """The shared calendar, with both patients' records and a token per persona."""
    return build_world(calendar)
