"""On PostgreSQL an append is one statement: `SELECT * FROM audit_append(lock, genesis, body)`.

Inside the function, each statement sees what was committed before it began, so after the
chain lock is taken the last row read is truly the last; a single INSERT ... SELECT could
not do that (its snapshot would predate the lock). The hashed text is chain.digest()'s:
"<id>\\n<previous hash>\\n<body>". The row's columns are read from the body itself, so the
values stored are exactly the values hashed.
"""

from typing import Any

from django.db import migrations

INSTALL = r"""
CREATE OR REPLACE FUNCTION audit_append(lock_key bigint, genesis varchar, body text)
RETURNS TABLE (new_id bigint, new_previous_hash varchar, new_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_id bigint;
    last_hash varchar;
    fields audit_auditevent;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.id, e.hash INTO last_id, last_hash
      FROM audit_auditevent e ORDER BY e.id DESC LIMIT 1;
    IF NOT FOUND THEN
        last_id := 0;
        last_hash := genesis;
    END IF;
    fields := jsonb_populate_record(NULL::audit_auditevent, body::jsonb);
    fields.id := last_id + 1;
    fields.previous_hash := last_hash;
    fields.hash := encode(sha256(convert_to(
        fields.id::text || E'\n' || last_hash || E'\n' || body, 'UTF8')), 'hex');
    INSERT INTO audit_auditevent SELECT (fields).*;
    RETURN QUERY SELECT fields.id, fields.previous_hash, fields.hash;
END
$$;
"""

REMOVE = "DROP FUNCTION IF EXISTS audit_append(bigint, varchar, text);"


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders in this SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(_on_postgres(INSTALL), _on_postgres(REMOVE), elidable=False),
    ]
