"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit rows.

The model refuses them too, but raw SQL, a shell or a bug elsewhere would not ask the
model. SQLite has no such trigger (it is the zero-setup database, not production); there
the hash chain alone shows tampering.

TRUNCATE is let through only for a session that set `unknot.audit_truncate = 'allow'`:
Django's test runner empties tables with TRUNCATE (see audit.signals). Dropping the
trigger needs the table owner; production should run the site as a role that does not own
its tables, so the trigger cannot be removed from the application's own connection.
"""

from typing import Any

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('unknot.audit_truncate', true), '') = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

REMOVE = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: the % in the SQL are not placeholders

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(_on_postgres(INSTALL), _on_postgres(REMOVE), elidable=False),
    ]
