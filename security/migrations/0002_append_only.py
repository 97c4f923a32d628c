from django.db import migrations

# The security log is append-only in the database too, not only in the ORM: UPDATE and
# DELETE of a row and TRUNCATE of the table are refused on PostgreSQL (the function is the
# record's own, casework 0012). On SQLite only UPDATE is refused: Django's test flush empties
# tables with DELETE there. The PostgreSQL test flush bypasses the triggers (tests/conftest.py).
PG_FORWARD = """
CREATE TRIGGER security_securityevent_append_only
    BEFORE UPDATE OR DELETE ON security_securityevent
    FOR EACH ROW EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER security_securityevent_no_truncate
    BEFORE TRUNCATE ON security_securityevent
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS security_securityevent_append_only ON security_securityevent;
DROP TRIGGER IF EXISTS security_securityevent_no_truncate ON security_securityevent;
"""
SQLITE_FORWARD = """
CREATE TRIGGER security_securityevent_no_update BEFORE UPDATE ON security_securityevent
BEGIN SELECT RAISE(ABORT, 'security_securityevent is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS security_securityevent_no_update;"


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("casework", "0012_append_only_records"),
    ]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
