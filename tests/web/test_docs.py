import re
from pathlib import Path

from unknot.config.urltable import markdown_table, with_security_summary

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_url_table_in_docs_matches_the_code() -> None:
    expected = markdown_table()
    actual = (DOCS / "urls.md").read_text()
    assert actual == expected, "run: python -m unknot.manage url_table > docs/urls.md"


SECURITY = DOCS / "security.md"
ROOT = DOCS.parent


def test_security_access_table_matches_the_code() -> None:
    text = SECURITY.read_text("utf-8")
    assert with_security_summary(text) == text, (
        "run: python -m unknot.manage security_table --update docs/security.md"
    )


def test_every_test_the_security_page_names_exists() -> None:
    """docs/security.md maps safeguards to tests; a renamed or deleted one must show up here."""
    text = SECURITY.read_text("utf-8")
    named = set(re.findall(r"`(tests/[\w/]+(?:\.py)?/?)(?:::(\w+))?`", text))
    assert len(named) > 30, "the page names its tests as `tests/...py::test_name`"
    missing = []
    for path, test in sorted(named):
        target = ROOT / path
        if not target.exists():
            missing.append(path)
        elif test and not re.search(rf"^(async )?def {test}\(", target.read_text(), re.M):
            missing.append(f"{path}::{test}")
    assert missing == [], f"docs/security.md names tests that do not exist: {missing}"
