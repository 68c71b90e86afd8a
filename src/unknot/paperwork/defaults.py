"""The practice's first versions of its three documents, seeded by migration 0002 so that a
fresh practice has them. Plain words written for this software, not legal advice: a practice
has its own texts reviewed for its state before it uses them (docs/billing.md, Paperwork).

Whether a new version must be signed again is the usual practice: the consent and the
financial policy yes (they are what the patient agrees to), the privacy notice's
acknowledgement no (it is asked once, when care starts; a changed notice is made available).
"""

import datetime as dt
from typing import Any, TypedDict


class DefaultDocument(TypedDict):
    kind: str
    title: str
    body: str
    resign_on_new_version: bool


CONSENT = """\
I ask the physical therapists of this practice to evaluate and treat me.

Physical therapy may include exercise, hands-on treatment, advice about posture and \
movement, and a home exercise program. My therapist will explain what they suggest and why, \
and I may ask questions at any time.

Some treatments can make me sore for a day or two. Rarely, a problem can get worse. I will \
tell my therapist if something hurts more than expected, or if anything about my health \
changes.

No one can promise a particular result. I may refuse any part of the treatment, and I may \
stop treatment at any time.

If I have sudden loss of bladder or bowel control, numbness between my legs, or new \
weakness in my legs, I will go to an emergency department right away.

This consent lasts until I withdraw it in writing or my care here ends.
"""

PRIVACY = """\
I have received, or been offered, this practice's Notice of Privacy Practices.

The notice explains how the practice may use and share my health information, my rights \
to see and get a copy of my records, to ask for corrections and to ask for limits on how my \
information is shared, and how to make a complaint.

I can ask the front desk for a paper copy at any time.
"""

FINANCIAL = """\
I understand that I am responsible for paying for my care.

The practice will bill my health insurance when I give it my insurance details. I will pay \
my copay at each visit, and any deductible or coinsurance my plan says I owe. If my plan \
does not pay for a visit, I will pay for it.

Please give at least 24 hours' notice to cancel or change a visit. A visit cancelled with \
less notice, or missed without notice, may be charged the practice's late cancellation \
fee, which the front desk can tell me. Insurance does not pay this fee.

If I have questions about a bill, I can call the front desk, who will help or put me in \
touch with the billing office.
"""

DOCUMENTS: list[DefaultDocument] = [
    {"kind": "consent", "title": "Consent to treat", "body": CONSENT,
     "resign_on_new_version": True},
    {"kind": "privacy", "title": "Acknowledgement of the Notice of Privacy Practices",
     "body": PRIVACY, "resign_on_new_version": False},
    {"kind": "financial", "title": "Financial and cancellation policy", "body": FINANCIAL,
     "resign_on_new_version": True},
]  # fmt: skip


def seed(document_model: Any, version_model: Any, now: dt.datetime) -> int:
    """Adds each default document that is missing, at version 1; returns how many. Takes the
    models as arguments so that migration 0002 runs it with its historical models, and the
    demo loader and the tests (whose database may have been emptied after the migrations)
    with the real ones. A document already there is left as it is."""
    added = 0
    for default in DOCUMENTS:
        document, created = document_model.objects.get_or_create(
            kind=default["kind"],
            defaults={"required": True, "resign_on_new_version": default["resign_on_new_version"]},
        )
        if created:
            version_model.objects.create(
                document=document, number=1, title=default["title"],
                body=default["body"].strip(), published_at=now,
            )  # fmt: skip
            added += 1
    return added


def seed_defaults(now: dt.datetime) -> int:
    """`seed` with the app's own models."""
    from unknot.paperwork.models import DocumentVersion, PracticeDocument

    return seed(PracticeDocument, DocumentVersion, now)


def remove_untouched_defaults(using: str) -> int:
    """Removes the seeded documents nobody has edited (one version) or signed; returns how
    many. A new, migrated database holds them (migration 0002), and a practice imported into
    it brings its own documents."""
    from unknot.paperwork.models import DocumentVersion, PracticeDocument

    untouched = list(
        PracticeDocument.objects.using(using)
        .exclude(versions__signatures__isnull=False)
        .exclude(versions__number__gt=1)
        .values_list("pk", flat=True)
    )
    DocumentVersion.objects.using(using).filter(document__in=untouched).delete()
    return PracticeDocument.objects.using(using).filter(pk__in=untouched).delete()[0]
