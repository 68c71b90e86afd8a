# The intake's free text moves from one text field to answers by question (a JSON object).
# Done in steps rather than one AlterField so existing text is kept (as "story") and so
# PostgreSQL is never asked to cast an empty string to jsonb. The copy step accepts the old
# column as text or as JSON, whichever an earlier migration left behind.

from django.db import migrations, models


def keep_old_text(apps, schema_editor):
    Intake = apps.get_model("records", "Intake")
    # The database being migrated, which need not be the default one (e.g. a restore target).
    alias = schema_editor.connection.alias
    for intake in Intake.objects.using(alias).all():
        old = intake.notes_text
        if isinstance(old, dict):
            intake.notes = old
        elif isinstance(old, str) and old.strip():
            intake.notes = {"story": old}
        else:
            continue
        intake.save(using=alias, update_fields=["notes"])


def back_to_text(apps, schema_editor):
    Intake = apps.get_model("records", "Intake")
    alias = schema_editor.connection.alias
    for intake in Intake.objects.using(alias).all():
        words = intake.notes or {}
        intake.notes_text = "\n\n".join(str(v) for v in words.values() if v)
        intake.save(using=alias, update_fields=["notes_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="intake", old_name="notes", new_name="notes_text"),
        migrations.AddField(
            model_name="intake",
            name="notes",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(keep_old_text, back_to_text),
        migrations.RemoveField(model_name="intake", name="notes_text"),
    ]
