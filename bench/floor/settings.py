"""The product's settings with nothing between the request and the view: no middleware."""

from unknot.config.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.floor.urls"
