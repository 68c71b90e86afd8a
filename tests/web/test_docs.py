from pathlib import Path

from unknot.accounts.urltable import markdown_table

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_url_table_in_docs_matches_the_code() -> None:
    expected = markdown_table()
    actual = (DOCS / "urls.md").read_text()
    assert actual == expected, "run: python -m unknot.manage url_table > docs/urls.md"
