"""Access matrix rows for the searches by POST (see test_access_matrix.py).

A name or a date of birth must never sit in a URL, so these searches take their words in the
body: the REST API's patient search and FHIR's POST [type]/_search for every searchable type.
They take no GET: the matrix's GET is 405 for everyone. Who may search is shown by their own
tests (tests/api/test_patient_search.py, tests/fhir/test_search_by_post.py).
"""

from typing import Any

from tests.web.matrix_support import everyone
from unknot.fhir.registry import SERVED

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "api:patient_search": (None, everyone(405)),
} | {
    f"fhir:{kind.name.lower()}_search": (None, everyone(405))
    for kind in SERVED
    if kind.search is not None
}
