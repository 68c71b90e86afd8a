"""Liveness and readiness for the load balancer and an orchestrator (docs/deploy.md).

`/healthz`: the process answers (no database, nothing else): restart it when this fails.
`/readyz`: it can serve: the database answers and every migration of this code is applied;
with a replica configured, its lag and whether reports read from it now. A node that is not
ready answers 503, so the load balancer sends its requests to the others.

Neither says anything about a person, needs a session or counts against fair use; both are
cheap: one `SELECT 1` (and the replica's lag) per readiness check once the migrations are
known to be applied.
"""

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from unknot.accounts.access import public
from unknot.common.replica import measure_replica_lag, replica_configured

_migrations_applied = False  # once true, true for the life of the process: no migration undoes


@require_safe
@public
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "alive"}, ready=True)


@require_safe
@public
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {"database": _database(), "migrations": "unknown"}
    if checks["database"] == "ok":
        checks["migrations"] = "ok" if _all_migrations_applied() else "pending"
    if replica_configured():
        checks["replica"] = _replica()
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    return _answer({"status": "ready" if ready else "not ready", **checks}, ready=ready)


def _answer(body: dict[str, Any], *, ready: bool) -> JsonResponse:
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"  # a cached "ready" would hide a node that went down
    return response


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def _all_migrations_applied() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        targets = executor.loader.graph.leaf_nodes()
        _migrations_applied = not executor.migration_plan(targets)
    return _migrations_applied


def _replica() -> dict[str, Any]:
    """The replica's lag; `in_use`: whether reports read from it now (docs/deploy.md)."""
    lag = measure_replica_lag()
    if lag is None:
        return {"lag_seconds": None, "in_use": False}
    return {"lag_seconds": round(lag, 3), "in_use": lag <= settings.REPLICA_MAX_LAG_SECONDS}
