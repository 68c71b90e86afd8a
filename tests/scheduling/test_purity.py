"""The core stays pure: no Django, no clock."""

import ast
import subprocess
import sys
from pathlib import Path

import unknot.scheduling

PACKAGE = Path(unknot.scheduling.__file__).parent


def test_importing_the_core_loads_no_django() -> None:
    code = (
        "import sys, unknot.scheduling\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_never_reads_the_clock() -> None:
    forbidden = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in forbidden, f"{path.name}:{node.lineno}"
            if isinstance(node, ast.ImportFrom | ast.Import):
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    names = [alias.name for alias in node.names]
                assert not any(n.split(".")[0] in {"django", "time"} for n in names), path.name
