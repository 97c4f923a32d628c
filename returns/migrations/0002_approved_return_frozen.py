from django.db import migrations

# An approved return never changes, in the database too, not only in the ORM. On SQLite
# only UPDATE is refused: Django's test flush empties tables with DELETE there, while
# PostgreSQL uses TRUNCATE, which row triggers do not see.
#
# A replacement names an earlier approved return of its own scope and fiscal year: with
# the one-to-one `supersedes` and one first approval per scope and year, the approvals of
# a year form one chain, whose end is the year's figure.
TABLE = "returns_returnsnapshot"
CHECK = (
    f"NEW.supersedes_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {TABLE} s "
    "WHERE s.id = NEW.supersedes_id AND s.fiscal_year = NEW.fiscal_year "
    "AND s.agency_id IS {same} NEW.agency_id "
    "AND s.state = 'approved' AND s.number < NEW.number)"
)
MESSAGE = "a return supersedes only an earlier approved return of its own scope and year"
PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION returns_snapshot_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'approved' THEN
        RAISE EXCEPTION 'an approved return never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER returns_snapshot_frozen BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION returns_snapshot_frozen();
CREATE OR REPLACE FUNCTION returns_snapshot_supersedes() RETURNS trigger AS $$
BEGIN
    IF {CHECK.format(same="NOT DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER returns_snapshot_supersedes BEFORE INSERT OR UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION returns_snapshot_supersedes();
"""
PG_BACKWARD = f"""
DROP TRIGGER IF EXISTS returns_snapshot_supersedes ON {TABLE};
DROP FUNCTION IF EXISTS returns_snapshot_supersedes();
DROP TRIGGER IF EXISTS returns_snapshot_frozen ON {TABLE};
DROP FUNCTION IF EXISTS returns_snapshot_frozen();
"""
# SQLite's IS compares NULLs as equal, as PostgreSQL's IS NOT DISTINCT FROM.
SQLITE_FORWARD = [
    f"""CREATE TRIGGER returns_snapshot_frozen BEFORE UPDATE ON {TABLE}
WHEN OLD.state = 'approved'
BEGIN SELECT RAISE(ABORT, 'an approved return never changes'); END""",
    f"""CREATE TRIGGER returns_snapshot_supersedes_insert BEFORE INSERT ON {TABLE}
WHEN {CHECK.format(same="")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER returns_snapshot_supersedes_update BEFORE UPDATE ON {TABLE}
WHEN {CHECK.format(same="")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS returns_snapshot_supersedes_insert",
    "DROP TRIGGER IF EXISTS returns_snapshot_supersedes_update",
    "DROP TRIGGER IF EXISTS returns_snapshot_frozen",
]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
