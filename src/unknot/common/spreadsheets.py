"""CSV files people open in a spreadsheet: one way to write them, safe against formula
injection. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or a
carriage return before one) as a formula, so a name typed as `=HYPERLINK(...)` would run on
the reader's machine; such a text cell is written with a leading apostrophe, which
spreadsheets show as plain text. Numbers (a Decimal, an int) are written as they are, so a
credit of -5.00 stays a number.

This module imports nothing of the apps: any of them may use it.
"""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """The cell as written: text that a spreadsheet would run is quoted; None is empty."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV attachment of the header and rows, every cell through `formula_safe`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([formula_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([formula_safe(cell) for cell in row])
    return response
