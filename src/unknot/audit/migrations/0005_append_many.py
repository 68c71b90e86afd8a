"""`audit_append(lock, genesis, bodies text[])`: several rows of the chain in one statement.

The same append as migration 0003's, for each body in order, under one take of the chain
lock: a read and the write that follows it (a booking) cost one round trip, not two. Each
row is hashed exactly as chain.digest() hashes it, from the row before it.
"""

from typing import Any

from django.db import migrations

INSTALL = r"""
CREATE OR REPLACE FUNCTION audit_append(lock_key bigint, genesis varchar, bodies text[])
RETURNS TABLE (new_id bigint, new_previous_hash varchar, new_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_id bigint;
    last_hash varchar;
    body text;
    fields audit_auditevent;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.id, e.hash INTO last_id, last_hash
      FROM audit_auditevent e ORDER BY e.id DESC LIMIT 1;
    IF NOT FOUND THEN
        last_id := 0;
        last_hash := genesis;
    END IF;
    FOREACH body IN ARRAY bodies LOOP
        fields := jsonb_populate_record(NULL::audit_auditevent, body::jsonb);
        fields.id := last_id + 1;
        fields.previous_hash := last_hash;
        fields.hash := encode(sha256(convert_to(
            fields.id::text || E'\n' || last_hash || E'\n' || body, 'UTF8')), 'hex');
        INSERT INTO audit_auditevent SELECT (fields).*;
        new_id := fields.id;
        new_previous_hash := fields.previous_hash;
        new_hash := fields.hash;
        RETURN NEXT;
        last_id := fields.id;
        last_hash := fields.hash;
    END LOOP;
END
$$;
"""

REMOVE = "DROP FUNCTION IF EXISTS audit_append(bigint, varchar, text[]);"


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders in this SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_checkpoints_and_report_indexes")]

    operations = [
        migrations.RunPython(_on_postgres(INSTALL), _on_postgres(REMOVE), elidable=False),
    ]
