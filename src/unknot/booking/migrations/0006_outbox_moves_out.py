"""The outbox becomes its own app (unknot.outbox): the model leaves booking's state only.

Its table (booking_outboxemail), index and keys stay as they are; outbox's 0001 takes the
model over, in state only too.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0005_hold_owner'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='OutboxEmail'),
            ],
            database_operations=[],
        ),
    ]
