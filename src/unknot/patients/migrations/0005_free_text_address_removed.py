# Every reader now takes the structured address (Patient.address is its one-line text).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0004_free_text_address_moved'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='patient',
            name='address',
        ),
    ]
