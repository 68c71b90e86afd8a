# The patient's administrative sex (unknown until someone records it) and a structured US
# address beside the old free-text one; 0004 moves the text over, 0005 drops the old column.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0002_one_record_per_online_person'),
    ]

    operations = [
        migrations.AddField(
            model_name='patient',
            name='sex',
            field=models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('unknown', 'Not recorded')], default='unknown', help_text="As the patient's health insurer records it; claims carry it.", max_length=7),
        ),
        migrations.AddField(
            model_name='patient',
            name='address_line1',
            field=models.CharField(blank=True, max_length=300, verbose_name='address line 1'),
        ),
        migrations.AddField(
            model_name='patient',
            name='address_line2',
            field=models.CharField(blank=True, max_length=55, verbose_name='address line 2'),
        ),
        migrations.AddField(
            model_name='patient',
            name='city',
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name='patient',
            name='state',
            field=models.CharField(blank=True, max_length=2),
        ),
        migrations.AddField(
            model_name='patient',
            name='zip_code',
            field=models.CharField(blank=True, max_length=10, verbose_name='ZIP code'),
        ),
    ]
