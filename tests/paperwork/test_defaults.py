"""The default documents: seeded once each, at version 1, with the usual re-signing rule
(the consent and the financial policy yes, the privacy notice's acknowledgement no)."""

import pytest
from django.utils import timezone

from unknot.paperwork import defaults
from unknot.paperwork.models import DocumentVersion, PracticeDocument, Signature

pytestmark = pytest.mark.django_db


def test_seeding_adds_what_is_missing_and_changes_nothing_else() -> None:
    DocumentVersion.objects.filter(document__kind="financial").delete()
    PracticeDocument.objects.filter(kind="financial").delete()
    PracticeDocument.objects.filter(kind="consent").update(required=False)
    assert defaults.seed_defaults(timezone.now()) == 1
    assert defaults.seed_defaults(timezone.now()) == 0
    assert not PracticeDocument.objects.get(kind="consent").required  # left as it was
    assert DocumentVersion.objects.get(document__kind="financial").number == 1
    assert not Signature.objects.exists()


def test_the_usual_rule_for_new_versions() -> None:
    rules = dict(PracticeDocument.objects.values_list("kind", "resign_on_new_version"))
    assert rules == {"consent": True, "privacy": False, "financial": True}


def test_the_texts_are_plain_and_end_without_blank_lines() -> None:
    for version in DocumentVersion.objects.all():
        assert version.body == version.body.strip() and "<" not in version.body
