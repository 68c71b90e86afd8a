"""The insurance card's images: checked by what the bytes are (never by the file's name),
kept privately under the data directory with random names, and read back only by the
coverage pages after the coverage access check.

The images live in `<DATA_DIR>/private/coverage-cards/`: nothing under `private/` is ever
served as a static file or at a media URL. A coverage row keeps the path relative to the
data directory.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from unknot.coverage.errors import CardRefused

MAX_BYTES = 5 * 1024 * 1024  # a phone's photo of a card, with room to spare
CARDS_FOLDER = Path("private") / "coverage-cards"


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    magic: bytes


KINDS = (
    Kind("jpg", "image/jpeg", b"\xff\xd8\xff"),
    Kind("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    Kind("pdf", "application/pdf", b"%PDF-"),
)
BY_EXTENSION = {kind.extension: kind for kind in KINDS}

NOT_A_CARD = "The card must be a photo (JPEG or PNG) or a PDF; this file is none of those."
TOO_BIG = f"The card's file is too big: at most {MAX_BYTES // (1024 * 1024)} MB, please."
EMPTY = "The card's file is empty."


@dataclass(frozen=True)
class CardImage:
    """An image that passed the checks, not yet stored."""

    data: bytes
    kind: Kind


def checked(data: bytes) -> CardImage:
    """The bytes as a card image, or CardRefused: the kind is read from the first bytes."""
    if not data:
        raise CardRefused(EMPTY)
    if len(data) > MAX_BYTES:
        raise CardRefused(TOO_BIG)
    for kind in KINDS:
        if data.startswith(kind.magic):
            return CardImage(data=data, kind=kind)
    raise CardRefused(NOT_A_CARD)


def _folder() -> Path:
    return Path(settings.DATA_DIR) / CARDS_FOLDER


def store(image: CardImage) -> str:
    """Writes the image under a random name; the path relative to the data directory."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{image.kind.extension}"
    (folder / name).write_bytes(image.data)
    return str(CARDS_FOLDER / name)


def _resolved(stored: str) -> Path | None:
    """The file of a stored path, only when it is one of ours (a plain name in the folder)."""
    path = Path(stored)
    if path.parent != CARDS_FOLDER or path.suffix[1:] not in BY_EXTENSION:
        return None
    return _folder() / path.name


def read(stored: str) -> CardImage | None:
    """The stored image, or None when there is none (or the file has gone)."""
    path = _resolved(stored) if stored else None
    if path is None or not path.is_file():
        return None
    return CardImage(data=path.read_bytes(), kind=BY_EXTENSION[path.suffix[1:]])


def remove(stored: str) -> None:
    """Deletes a stored image that a new one replaced (or whose coverage's write failed)."""
    path = _resolved(stored) if stored else None
    if path is not None:
        path.unlink(missing_ok=True)
