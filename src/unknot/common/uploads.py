"""Pages that take a file: the body limit they raise, declared on the view.

Every other request body is refused past DATA_UPLOAD_MAX_MEMORY_SIZE (the bad-input
middleware, `unknot.config.middleware`). A view decorated `@accepts_uploads(limit)` takes a
multipart form of up to `limit` bytes instead; its files are streamed to disk by Django's
upload handlers, its other fields still kept to the ordinary limit. This module imports
nothing of the apps: any of them may use it.
"""

from collections.abc import Callable
from typing import Any

View = Callable[..., Any]


def accepts_uploads(limit: int) -> Callable[[View], View]:
    """Marks a view as taking a multipart form (with files) of up to `limit` bytes."""

    def mark(view: View) -> View:
        view.upload_limit = limit  # type: ignore[attr-defined]  # read by the middleware
        return view

    return mark


def upload_limit(view: Any) -> int | None:
    """The body limit a view declared, or None for the ordinary limit."""
    return getattr(view, "upload_limit", None)
