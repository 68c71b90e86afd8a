"""The certifying physician's one name field becomes a first and a last name, as the claim
names the referring provider (837P loop 2310A, CMS-1500 box 17).

Existing names are split as a person would: a title in front ("Dr.", "Dr") and credentials
after a comma (", MD", ", DO, PhD") are dropped, the last word is the last name and the rest
the first name. Back, the first and last name are joined again (what was dropped stays
dropped)."""

import re

from django.db import migrations, models

TITLES = re.compile(r"^(dr|doctor|mr|mrs|ms|mx|prof)\.?\s+", re.IGNORECASE)
FIRST_MAX, LAST_MAX = 35, 60


def split_name(full: str) -> tuple[str, str]:
    """(first, last) of a name typed in one field: "Dr. Rosa Quinn, MD" is ("Rosa", "Quinn")."""
    name = " ".join(full.split(",")[0].split())
    while TITLES.match(name):
        name = TITLES.sub("", name, count=1)
    words = name.split() or [" ".join(full.split())]
    first, last = " ".join(words[:-1]), words[-1]
    return first[:FIRST_MAX], last[:LAST_MAX]


def split_names(apps, schema_editor):
    Certification = apps.get_model("plans", "Certification")
    for row in Certification.objects.only("pk", "physician_name"):
        first, last = split_name(row.physician_name)
        Certification.objects.filter(pk=row.pk).update(
            physician_first_name=first, physician_last_name=last
        )


def join_names(apps, schema_editor):
    Certification = apps.get_model("plans", "Certification")
    for row in Certification.objects.only("pk", "physician_first_name", "physician_last_name"):
        joined = f"{row.physician_first_name} {row.physician_last_name}".strip()
        Certification.objects.filter(pk=row.pk).update(physician_name=joined)


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0004_plan_certification"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="physician_first_name",
            field=models.CharField(default="", max_length=35),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certification",
            name="physician_last_name",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        # Optional while both shapes live, so that going back can fill it before it is required.
        migrations.AlterField(
            model_name="certification",
            name="physician_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(split_names, join_names),
        migrations.RemoveField(model_name="certification", name="physician_name"),
    ]
