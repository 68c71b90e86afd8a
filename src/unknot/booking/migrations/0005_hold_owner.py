"""Holds remember who holds them (keyed hashes of the browser session and the address), for
the limits on live holds per visitor and per address (unknot.booking.hold_limits)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0004_feed_scope'),
    ]

    operations = [
        migrations.AddField(
            model_name='appointment',
            name='hold_visitor',
            field=models.CharField(blank=True, db_default='', default='', max_length=64),
        ),
        migrations.AddField(
            model_name='appointment',
            name='hold_address',
            field=models.CharField(blank=True, db_default='', default='', max_length=64),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('status', 'held')), fields=['hold_visitor'], name='appt_held_by_visitor'),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(condition=models.Q(('status', 'held')), fields=['hold_address'], name='appt_held_by_address'),
        ),
    ]
