"""PDF summaries laid out by the worker and kept for the one who asked.

Laying out a summary of several pages takes WeasyPrint a few hundred milliseconds, more than a
page may make someone wait. So a download reads the record as today (through the asker's
access selectors) and renders the page; when a kept PDF shows exactly that page, it is handed
over at once; otherwise the page is stored and the worker lays it out (`tasks.lay_out_summary`)
while the person sees that it is being prepared.

Which page a PDF shows is its fingerprint: the SHA-256 of the page (without the moment it was
prepared) and of the print stylesheet. A changed record or stylesheet gives another
fingerprint, so a new PDF in place of the old one.

The PDF is kept in the database (the worker may run on another machine than the web server)
and leaves it only through the access-checked downloads.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from unknot.accounts.models import AnyUser
from unknot.documents import pdf
from unknot.exports.models import KeptSummary
from unknot.patients.models import Patient

# A summary asked for this long ago and still not laid out is asked of the worker again (a
# worker stopped mid-task loses it); a second task finds nothing left to do.
ASK_AGAIN_AFTER = dt.timedelta(minutes=2)


def fingerprint(page: str) -> str:
    """Which state of the record (and of the print stylesheet) a page shows."""
    both = f"{pdf.static_text(pdf.PRINT_CSS)}\n{page}".encode()
    return hashlib.sha256(both).hexdigest()


def kept_for(user: AnyUser, patient: Patient) -> KeptSummary | None:
    return KeptSummary.objects.filter(patient=patient, asked_by_id=user.pk).first()


def ready_content(kept: KeptSummary | None, shows: str) -> bytes | None:
    """The kept PDF when it shows the page fingerprinted `shows`, else None."""
    if kept is None or kept.fingerprint != shows or kept.ready_at is None:
        return None
    return bytes(kept.pdf)


def in_hand(kept: KeptSummary | None, shows: str, now: dt.datetime) -> bool:
    """Whether the worker was asked for this very page recently (nothing to ask again)."""
    if kept is None or kept.fingerprint != shows or not kept.page:
        return False
    return now - kept.asked_at < ASK_AGAIN_AFTER


def ask(user: AnyUser, patient: Patient, shows: str, page: str, now: dt.datetime) -> KeptSummary:
    """Stores `page` for the worker to lay out, in place of what was kept for this asker."""
    kept, _ = KeptSummary.objects.update_or_create(
        patient=patient, asked_by_id=user.pk,
        defaults={"fingerprint": shows, "page": page, "pdf": b"", "asked_at": now,
                  "ready_at": None},
    )  # fmt: skip
    return kept


def lay_out(kept_id: int, shows: str) -> str:
    """The worker's part: the stored page as a PDF, kept; at most once per page asked."""
    kept = KeptSummary.objects.filter(pk=kept_id, fingerprint=shows).exclude(page="").first()
    if kept is None:
        return "nothing to do"  # laid out already, or a newer page was asked for since
    content = pdf.html_to_pdf(kept.page)
    done = KeptSummary.objects.filter(pk=kept_id, fingerprint=shows, ready_at=None).update(
        pdf=content, page="", ready_at=timezone.now()
    )
    return "laid out" if done else "nothing to do"


def past_keeping(now: dt.datetime) -> QuerySet[KeptSummary]:
    """Summaries nobody asked for in `RETAIN_KEPT_SUMMARY_DAYS`: the next ask lays out a new
    one, so keeping them longer would only keep a second copy of the record."""
    before = now - dt.timedelta(days=settings.RETAIN_KEPT_SUMMARY_DAYS)
    return KeptSummary.objects.filter(asked_at__lt=before)


def lay_out_waiting() -> int:
    """Every summary waiting for the worker, laid out here and now (the benchmark's worker)."""
    waiting = KeptSummary.objects.exclude(page="").values_list("pk", "fingerprint")
    return sum(lay_out(pk, shows) == "laid out" for pk, shows in list(waiting))
