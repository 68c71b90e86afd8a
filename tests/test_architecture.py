"""The layer order of the apps (`.importlinter`, docs/architecture.md), held by import-linter.

Each exception to the order names its reason in a comment, and each is still needed: without
it, the contract breaks. A new upward import fails the first test, a stale exception the
contract itself (import-linter reports ignored imports that match nothing).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / ".importlinter"
EXCEPTION = re.compile(r"^\s+(unknot\.\S+ -> unknot\.\S+)\s*$")


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", str(config)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def exceptions(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, "a -> b") of every ignored import in the contract."""
    return [(i, found[1]) for i, line in enumerate(lines) if (found := EXCEPTION.match(line))]


def reason_for(lines: list[str], index: int) -> str:
    """The `# reason:` comment of the block the exception at `index` belongs to, or ""."""
    for line in reversed(lines[:index]):
        text = line.strip()
        if text.startswith("# reason:"):
            return text.removeprefix("# reason:").strip()
        if not (text.startswith("#") or EXCEPTION.match(line)):
            return ""
    return ""


def test_apps_import_only_downward() -> None:
    result = lint_imports(CONTRACT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_exception_names_its_reason() -> None:
    lines = CONTRACT.read_text().splitlines()
    found = exceptions(lines)
    assert found, "the contract's exceptions were not found: has the file's shape changed?"
    for index, rule in found:
        assert reason_for(lines, index), f"{rule} has no `# reason:` comment above it"


@pytest.mark.parametrize("rule", [rule for _, rule in exceptions(CONTRACT.read_text().split("\n"))])
def test_every_exception_is_needed(rule: str, tmp_path: Path) -> None:
    """Deleting one exception breaks the contract: the import it excuses really exists."""
    kept = [line for line in CONTRACT.read_text().splitlines() if line.strip() != rule]
    config = tmp_path / "contract.ini"
    config.write_text("\n".join(kept) + "\n")
    result = lint_imports(config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
