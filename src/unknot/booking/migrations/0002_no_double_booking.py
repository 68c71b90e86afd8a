"""PostgreSQL guarantees no double booking for every writer, not only for our code.

An exclusion constraint over (therapist, blocked interval) ignoring cancelled rows; btree_gist
lets the gist index compare the therapist id with `=`. SQLite has no such constraint: there the
booking service runs in an IMMEDIATE transaction and re-checks overlap before inserting.
"""

from django.db import migrations

CONSTRAINT = "booking_appointment_no_double_booking"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE booking_appointment ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        "therapist_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&"
        ") WHERE (status <> 'cancelled')"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE booking_appointment DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
