from django.db import migrations

# An approved snapshot never changes, in the database too, not only in the ORM. On SQLite
# only UPDATE is refused: Django's test flush empties tables with DELETE there, while
# PostgreSQL uses TRUNCATE, which row triggers do not see.
PG_FORWARD = """
CREATE OR REPLACE FUNCTION indicators_snapshot_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'approved' THEN
        RAISE EXCEPTION 'an approved indicators snapshot never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER indicators_snapshot_frozen BEFORE UPDATE OR DELETE ON indicators_snapshot
    FOR EACH ROW EXECUTE FUNCTION indicators_snapshot_frozen();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS indicators_snapshot_frozen ON indicators_snapshot;
DROP FUNCTION IF EXISTS indicators_snapshot_frozen();
"""
SQLITE_FORWARD = """
CREATE TRIGGER indicators_snapshot_frozen BEFORE UPDATE ON indicators_snapshot
WHEN OLD.state = 'approved'
BEGIN SELECT RAISE(ABORT, 'an approved indicators snapshot never changes'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS indicators_snapshot_frozen;"


def add_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
