"""What else names the outbox by its old place follows it into this app.

- Tasks still waiting in the queue (a reminder due next week, a retry) name their function by
  its dotted path: `unknot.booking.tasks.deliver_email` is now `unknot.outbox.tasks....`.
  Without this, the worker could not import them and those emails would not go out.
- The content type (and so any permission or admin log entry on it) moves from booking to
  outbox, as Django does itself when a model is renamed.

Both steps go back the other way when the migration is reversed; the rows of the outbox
themselves never move (0001 changed state only).
"""

from django.db import migrations, models
from django.db.models.functions import Concat, Substr

OLD_TASKS, NEW_TASKS = 'unknot.booking.tasks.', 'unknot.outbox.tasks.'


def _retarget_tasks(apps, schema_editor, old, new):
    DBTaskResult = apps.get_model('django_tasks_database', 'DBTaskResult')
    DBTaskResult.objects.using(schema_editor.connection.alias).filter(
        task_path__startswith=old
    ).update(
        task_path=Concat(
            models.Value(new), Substr('task_path', len(old) + 1), output_field=models.TextField()
        )
    )


def _move_content_type(apps, schema_editor, old_app, new_app):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    types = ContentType.objects.db_manager(schema_editor.connection.alias)
    if not types.filter(app_label=new_app, model='outboxemail').exists():
        types.filter(app_label=old_app, model='outboxemail').update(app_label=new_app)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _retarget_tasks(apps, schema_editor, OLD_TASKS, NEW_TASKS)
    _move_content_type(apps, schema_editor, 'booking', 'outbox')


def backwards(apps, schema_editor):
    _retarget_tasks(apps, schema_editor, NEW_TASKS, OLD_TASKS)
    _move_content_type(apps, schema_editor, 'outbox', 'booking')


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_tasks_database', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
