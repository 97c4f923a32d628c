from django.db import migrations

BATCH = 5000


def fill(apps, schema_editor):
    """Every row already in the log gets its agencies: the reader's, the case's, and for a
    list each listed case's (as casework.access_log writes them from now on)."""
    AccessLog = apps.get_model("casework", "AccessLog")
    AccessLogAgency = apps.get_model("casework", "AccessLogAgency")
    rows = (
        AccessLog.objects.order_by("pk")
        .values_list("pk", "at", "agency_id", "case__owning_agency_id", "case_agencies")
        .iterator(chunk_size=BATCH)
    )
    links = []
    for pk, at, agency_id, case_agency_id, listed in rows:
        agencies = {agency_id, case_agency_id}
        agencies |= {int(a) for a in (listed or "").split(",") if a}
        links += [AccessLogAgency(log_id=pk, agency_id=a, at=at) for a in agencies if a]
        if len(links) >= BATCH:
            AccessLogAgency.objects.bulk_create(links)
            links = []
    AccessLogAgency.objects.bulk_create(links)


# The database files every new row itself, in the same statement: the reader's agency, the
# case's, and each listed case's agency (case_agencies, ",1,2,"). No write of the app's can
# forget it, and a logged request costs no second INSERT. Append-only like the log
# (casework_append_only() is made by 0012).
PG_FORWARD = """
CREATE OR REPLACE FUNCTION casework_accesslog_file() RETURNS trigger AS $$
BEGIN
    INSERT INTO casework_accesslogagency (log_id, agency_id, at)
    SELECT NEW.id, a, NEW.at FROM (
        SELECT NEW.agency_id AS a
        UNION SELECT owning_agency_id FROM casework_case WHERE id = NEW.case_id
        UNION SELECT x::bigint
            FROM unnest(string_to_array(trim(both ',' from NEW.case_agencies), ',')) AS x
            WHERE x <> ''
    ) s WHERE a IS NOT NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_accesslog_file AFTER INSERT ON casework_accesslog
    FOR EACH ROW EXECUTE FUNCTION casework_accesslog_file();
CREATE TRIGGER casework_accesslogagency_append_only
    BEFORE UPDATE OR DELETE ON casework_accesslogagency
    FOR EACH ROW EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_accesslogagency_no_truncate
    BEFORE TRUNCATE ON casework_accesslogagency
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS casework_accesslog_file ON casework_accesslog;
DROP FUNCTION IF EXISTS casework_accesslog_file();
DROP TRIGGER IF EXISTS casework_accesslogagency_no_truncate ON casework_accesslogagency;
DROP TRIGGER IF EXISTS casework_accesslogagency_append_only ON casework_accesslogagency;
"""
SQLITE_FORWARD = [
    """
    CREATE TRIGGER casework_accesslog_file AFTER INSERT ON casework_accesslog
    BEGIN
        INSERT INTO casework_accesslogagency (log_id, agency_id, at)
        SELECT NEW.id, a, NEW.at FROM (
            SELECT NEW.agency_id AS a
            UNION SELECT owning_agency_id FROM casework_case WHERE id = NEW.case_id
            UNION SELECT CAST(value AS INTEGER)
                FROM json_each('[' || trim(NEW.case_agencies, ',') || ']')
        ) WHERE a IS NOT NULL;
    END;
    """,
    """
    CREATE TRIGGER casework_accesslogagency_append_only BEFORE UPDATE ON casework_accesslogagency
    BEGIN SELECT RAISE(ABORT, 'casework_accesslogagency is append-only'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS casework_accesslogagency_append_only;",
    "DROP TRIGGER IF EXISTS casework_accesslog_file;",
]


def forward(apps, schema_editor):
    fill(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("casework", "0015_access_log_agencies")]

    operations = [migrations.RunPython(forward, backward)]
