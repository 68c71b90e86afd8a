"""Card images land in a test's own data directory, never in a shared one."""

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
