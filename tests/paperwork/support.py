"""Shared by paperwork's tests: signing through the service, and a tiny drawn signature."""

import base64
import struct
import zlib
from typing import Any

import pytest
from django.utils import timezone

from unknot.paperwork import defaults, selectors, services
from unknot.paperwork.models import Signature
from unknot.patients.models import Patient


@pytest.fixture(autouse=True)
def _private_data_dir(settings: Any, tmp_path: Any) -> None:
    """Each test keeps its signed PDFs in its own data folder."""
    settings.DATA_DIR = tmp_path


@pytest.fixture(autouse=True)
def _default_documents(request: pytest.FixtureRequest) -> None:
    """The practice's three documents, for tests with a database: migration paperwork/0002
    made them, but a transactional test earlier in the run empties every table."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("db")
        with_default_documents()


def with_default_documents() -> None:
    defaults.seed_defaults(timezone.now())


def signing(kind: str, typed_name: str, **overrides: Any) -> services.Signing:
    version = selectors.current_version(kind)
    assert version is not None
    fields = {"version_id": version.pk, "typed_name": typed_name, "has_read": True} | overrides
    return services.Signing(**fields)


def signed(by: Any, patient: Patient, kind: str = "consent", **overrides: Any) -> Signature:
    return services.sign(
        by=by, patient=patient, signing=signing(kind, patient.full_name, **overrides),
        now=timezone.now(),
    )  # fmt: skip


def png_data_url(width: int = 4, height: int = 2) -> str:
    """A real (tiny, white) PNG as a data URL, as the drawing pad sends it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    png = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip
    return services.PNG_DATA_URL + base64.b64encode(png).decode("ascii")
