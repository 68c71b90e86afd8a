import pytest

from tests.api.world import World, build_world
from tests.personas import Cast


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)
