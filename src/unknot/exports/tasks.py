"""The exports' background work, run by the database-backed worker (`db_worker`)."""

from django.tasks import task

from unknot.exports import kept


@task()
def lay_out_summary(kept_id: int, fingerprint: str) -> str:
    """A record's PDF summary, laid out for the one who asked (exports/kept.py)."""
    return kept.lay_out(kept_id, fingerprint)
