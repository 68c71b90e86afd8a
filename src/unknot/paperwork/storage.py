"""Where signed PDFs are kept: DATA_DIR/paperwork/, outside anything the web server serves.
A file is named by a random token, never by the person; only the access-checked download
views read it back."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings

FOLDER = "paperwork"
NAME_SHAPE = "{token}.pdf"


def folder() -> Path:
    return Path(settings.DATA_DIR) / FOLDER


def keep(content: bytes) -> tuple[str, str]:
    """Writes the PDF; its file name and SHA-256."""
    name = NAME_SHAPE.format(token=secrets.token_hex(16))
    where = folder()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    (where / name).write_bytes(content)
    return name, hashlib.sha256(content).hexdigest()


def read(name: str) -> bytes | None:
    """The kept PDF, or None when the file is missing (or the name is not one of ours)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder() / name
    return path.read_bytes() if path.is_file() else None


def forget(name: str) -> None:
    """Removes a file written for a signing that did not commit."""
    if name and "/" not in name:
        (folder() / name).unlink(missing_ok=True)
