"""The bench's environment: its own PostgreSQL database and production-like settings.

Set before Django starts, and inherited by the gunicorn it launches, so both sides share the
same database and secret key (sessions made here are valid there).
"""

import os
import secrets
import urllib.parse
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DB = os.environ.get("UNKNOT_BENCH_DB", "unknot_bench")
PROJECT_DIR = Path(__file__).resolve().parent.parent


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def server_url() -> str:
    """DATABASE_URL as given (the server and a database to connect to for admin work)."""
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"make bench needs PostgreSQL in DATABASE_URL, not {url.split(':')[0]}")
    return url


def configure() -> tuple[str, str]:
    """Points this process (and its children) at the bench database; returns (admin, bench) URLs."""
    admin = server_url()
    bench = with_database(admin, BENCH_DB)
    bench_dir = os.environ.setdefault("UNKNOT_BENCH_DIR", str(PROJECT_DIR / "data" / "bench"))
    (Path(bench_dir) / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it
    os.environ.update(
        {
            "DATABASE_URL": bench,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",  # production mode: no query log, no debug pages
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; TLS is the proxy's job
            "UNKNOT_STATIC_ROOT": str(Path(bench_dir) / "static"),
            "UNKNOT_LOG_LEVEL": "ERROR",  # a server error still shows; the readiness probe does not
        }
    )
    return admin, bench
