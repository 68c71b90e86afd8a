"""The outbox's model, taken over from booking (booking's 0006) in state only: the table
keeps its name, booking_outboxemail, and nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('booking', '0006_outbox_moves_out'),
        ('clinics', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboxEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=120, unique=True)),
                        ('kind', models.CharField(max_length=30)),
                        ('to', models.EmailField(max_length=254)),
                        ('subject', models.CharField(max_length=200)),
                        ('body', models.TextField()),
                        ('ics', models.TextField(blank=True)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sent', 'Sent'), ('failed', 'Failed (will retry)'), ('gave_up', 'Failed (gave up)'), ('cancelled', 'Not needed any more')], default='queued', max_length=20)),
                        ('send_after', models.DateTimeField()),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.CharField(blank=True, max_length=500)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('appointment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='emails', to='booking.appointment')),
                        ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outbox', to='clinics.clinic')),
                    ],
                    options={
                        'db_table': 'booking_outboxemail',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status', 'send_after'], name='outbox_due')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
