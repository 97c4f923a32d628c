from django.db import migrations

# The gate of 0027, narrowed and guarded on PostgreSQL:
# - a disposal run only empties rows of the record's history (UPDATE) and deletes rows of
#   the logs: DELETE stays refused on the contact records, their versions and the status
#   history even during a run;
# - a run row never commits as `running` (a deferred check at commit), and a finished run
#   never changes again, so the gate cannot be left open for other sessions.
# On SQLite (one writer at a time, the embedded default) the gate stays as 0027 made it.
GATE = "EXISTS (SELECT 1 FROM casework_disposalrun WHERE state = 'running')"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION casework_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND {GATE} THEN
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        IF TG_OP = 'DELETE'
            AND TG_TABLE_NAME IN ('casework_accesslogagency', 'security_securityevent') THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION casework_disposalrun_closed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state = 'done' THEN
        RAISE EXCEPTION 'a finished disposal run never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a disposal run is kept';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_disposalrun_closed
    BEFORE UPDATE OR DELETE ON casework_disposalrun
    FOR EACH ROW EXECUTE FUNCTION casework_disposalrun_closed();

CREATE OR REPLACE FUNCTION casework_disposalrun_finished() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM casework_disposalrun WHERE id = NEW.id AND state = 'running') THEN
        RAISE EXCEPTION 'a disposal run must be done before its transaction commits';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER casework_disposalrun_finished
    AFTER INSERT OR UPDATE ON casework_disposalrun
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION casework_disposalrun_finished();
"""

PG_BACKWARD = f"""
DROP TRIGGER IF EXISTS casework_disposalrun_finished ON casework_disposalrun;
DROP FUNCTION IF EXISTS casework_disposalrun_finished();
DROP TRIGGER IF EXISTS casework_disposalrun_closed ON casework_disposalrun;
DROP FUNCTION IF EXISTS casework_disposalrun_closed();
CREATE OR REPLACE FUNCTION casework_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND {GATE} THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_FORWARD = [
    "CREATE TRIGGER casework_disposalrun_closed BEFORE UPDATE ON casework_disposalrun "
    "WHEN OLD.state = 'done' BEGIN SELECT RAISE(ABORT, 'a finished disposal run never changes'); END",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS casework_disposalrun_closed")


class Migration(migrations.Migration):
    dependencies = [("casework", "0027_disposal_gate")]
    operations = [migrations.RunPython(forward, backward)]
