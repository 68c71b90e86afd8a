"""The floor without a framework: a WSGI app that inserts the posted row and answers 201.

One psycopg connection per server thread, autocommit, the row of a booked visit.
"""

import json
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

INSERT = """
INSERT INTO booking_appointment (clinic_id, therapist_id, appointment_type_id, patient_id,
    start, "end", blocked_start, blocked_end, status, source, cancel_reason,
    created_at, updated_at)
SELECT %(clinic)s, %(therapist)s, %(kind)s, %(patient)s,
    t, t + interval '60 minutes', t, t + interval '70 minutes', 'booked', 'floor', '',
    now(), now()
FROM (SELECT %(start)s::timestamptz AS t) AS s
RETURNING id
"""

_local = threading.local()


def _connection() -> psycopg.Connection[Any]:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        dsn = os.environ["DATABASE_URL"]
        conn = _local.conn = psycopg.connect(dsn, autocommit=True)
    return conn


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] != "POST":  # the readiness probe
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ready"]
    size = int(environ.get("CONTENT_LENGTH") or 0)
    row = json.loads(environ["wsgi.input"].read(size))
    try:
        found = _connection().execute(INSERT, row).fetchone()
    except psycopg.errors.ExclusionViolation:
        start_response("409 Conflict", [("Content-Type", "application/json")])
        return [b'{"error": "taken"}']
    body = json.dumps({"id": found[0] if found else None}).encode()
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
