from django.db import migrations

DISTRICTS = [
    ("north", "北部", 1),
    ("east", "東部", 2),
    ("central", "中央", 3),
    ("south", "南部", 4),
    ("west", "西部", 5),
]


def create_districts(apps, schema_editor):
    District = apps.get_model("casework", "District")
    for code, name, order in DISTRICTS:
        District.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


# The access log is append-only in the database too, not only in the ORM. On SQLite only
# UPDATE is refused: Django's test flush empties tables with DELETE there, while PostgreSQL
# uses TRUNCATE, which row triggers do not see.
PG_FORWARD = """
CREATE OR REPLACE FUNCTION casework_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_accesslog_no_update BEFORE UPDATE OR DELETE ON casework_accesslog
    FOR EACH ROW EXECUTE FUNCTION casework_accesslog_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS casework_accesslog_no_update ON casework_accesslog;
DROP FUNCTION IF EXISTS casework_accesslog_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER casework_accesslog_no_update BEFORE UPDATE ON casework_accesslog
BEGIN SELECT RAISE(ABORT, 'casework_accesslog is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS casework_accesslog_no_update;"


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
    dependencies = [("casework", "0001_initial")]

    operations = [
        migrations.RunPython(create_districts, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
