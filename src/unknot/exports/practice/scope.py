"""Which tables a practice export holds, and in which order they are loaded back.

Kept: every table of unknot's own apps (users with their password hashes, clinics, calendars,
records, plans, the audit trail, API tokens, feeds, sign-in counters), the many-to-many
tables between them, and the staff's second-factor devices (django-otp), without which no
member of staff could sign in after a restore.

Left out, because a migrated database makes them itself or they are not the practice's data:
sessions (everyone signs in again), content types and permissions (made by `migrate`), the
admin's change log, the background-task queue (what it sends is in the outbox), and the PDF
summaries kept for download (each is the record laid out again, made anew on the next ask).
Users' Django groups and permissions would point into those left-out tables; unknot does not
use them (access follows the staff role), and an export refuses to run if any are set rather
than lose them silently.
"""

from django.apps import apps
from django.db import models

THIRD_PARTY_KEPT = frozenset({"otp_totp", "otp_static"})
# Own tables that are not the practice's data: copies of it, made again on demand.
DERIVED = frozenset({"exports.keptsummary"})


def _app_kept(model: type[models.Model]) -> bool:
    config = apps.get_app_config(model._meta.app_label)
    return config.name.startswith("unknot.") or config.label in THIRD_PARTY_KEPT


def _links(model: type[models.Model]) -> list[type[models.Model]]:
    """The models an auto-created many-to-many table joins."""
    return [
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None
    ]


def _candidates() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and _app_kept(m)
        and m._meta.label_lower not in DERIVED
    ]


def left_out_links() -> list[type[models.Model]]:
    """Many-to-many tables of kept models that point outside the export (users' groups...)."""
    return [
        m
        for m in _candidates()
        if m._meta.auto_created and not all(_app_kept(link) for link in _links(m))
    ]


def _dependencies(model: type[models.Model], kept: set[type[models.Model]]) -> set[str]:
    return {
        f.related_model._meta.label_lower
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model in kept and f.related_model is not model
    }


def exported_models() -> list[type[models.Model]]:
    """The kept models, each after every model it points to (a stable topological order)."""
    left_out = set(left_out_links())
    kept = [m for m in _candidates() if m not in left_out]
    by_label = {m._meta.label_lower: m for m in kept}
    waiting = {label: _dependencies(m, set(kept)) for label, m in by_label.items()}
    ordered: list[type[models.Model]] = []
    while waiting:
        ready = sorted(label for label, needs in waiting.items() if not needs)
        if not ready:
            raise RuntimeError(f"Foreign keys form a cycle among: {sorted(waiting)}")
        for label in ready:
            ordered.append(by_label[label])
            del waiting[label]
        for needs in waiting.values():
            needs.difference_update(ready)
    return ordered


def app_labels() -> list[str]:
    return sorted({m._meta.app_label for m in exported_models()})
