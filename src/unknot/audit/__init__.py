"""The audit trail. `unknot.audit.record(...)` appends an event (see services.record)."""

from typing import Any


def record(*args: Any, **kwargs: Any) -> Any:
    # Imported on call: this package is loaded with the settings, before the models are.
    from unknot.audit.services import record as append

    return append(*args, **kwargs)
