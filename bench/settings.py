"""Settings for `make bench`: the product's own settings plus the peer app, django-appointment.

The peer's wheel ships no migrations, so `bench.setup` writes them at run time into a throwaway
package under the bench data folder; MIGRATION_MODULES points there and the repository stays clean.
"""

import sys

from unknot.config.env import env_str
from unknot.config.settings import *  # noqa: F403
from unknot.config.settings import DATA_DIR, INSTALLED_APPS

BENCH_DIR = env_str("UNKNOT_BENCH_DIR", str(DATA_DIR / "bench"))
PEER_MIGRATIONS = "bench_peer_migrations"  # made by bench.setup

if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

INSTALLED_APPS = [*INSTALLED_APPS, "appointment"]
MIGRATION_MODULES = {"appointment": PEER_MIGRATIONS}
