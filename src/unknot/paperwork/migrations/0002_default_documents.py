"""A fresh practice starts with its three documents (paperwork/defaults.py), version 1 each.
Rows already there are left alone, so running it again changes nothing; going back removes
only documents nobody has signed."""

from django.db import migrations
from django.utils import timezone

from unknot.paperwork import defaults


def seed(apps, schema_editor):
    defaults.seed(
        apps.get_model("paperwork", "PracticeDocument"),
        apps.get_model("paperwork", "DocumentVersion"),
        timezone.now(),
    )


def unseed(apps, schema_editor):
    PracticeDocument = apps.get_model("paperwork", "PracticeDocument")
    DocumentVersion = apps.get_model("paperwork", "DocumentVersion")
    unsigned = PracticeDocument.objects.exclude(versions__signatures__isnull=False)
    DocumentVersion.objects.filter(document__in=unsigned).delete()
    unsigned.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("paperwork", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
