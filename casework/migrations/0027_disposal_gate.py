from django.db import migrations

# The append-only tables open to a disposal run, and to nothing else (casework/models/
# retention.py): a row may be updated (made anonymous) or deleted only while a DisposalRun is
# `running`, which only the run's own transaction ever sees. TRUNCATE stays refused. The
# 廃棄簿 (casework_disposalentry) itself is refused UPDATE, DELETE and TRUNCATE always.
GATE = "EXISTS (SELECT 1 FROM casework_disposalrun WHERE state = 'running')"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION casework_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND {GATE} THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION casework_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF {GATE} THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'casework_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION casework_attachment_version_kept() RETURNS trigger AS $$
BEGIN
    IF {GATE} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'casework_attachmentversion is append-only: UPDATE refused';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION casework_ledger_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the disposal ledger is kept: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_disposalentry_kept
    BEFORE UPDATE OR DELETE ON casework_disposalentry
    FOR EACH ROW EXECUTE FUNCTION casework_ledger_kept();
CREATE TRIGGER casework_disposalentry_no_truncate
    BEFORE TRUNCATE ON casework_disposalentry
    FOR EACH STATEMENT EXECUTE FUNCTION casework_ledger_kept();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS casework_disposalentry_no_truncate ON casework_disposalentry;
DROP TRIGGER IF EXISTS casework_disposalentry_kept ON casework_disposalentry;
DROP FUNCTION IF EXISTS casework_ledger_kept();
CREATE OR REPLACE FUNCTION casework_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION casework_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION casework_attachment_version_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_attachmentversion is append-only: UPDATE refused';
END;
$$ LANGUAGE plpgsql;
"""

# SQLite's triggers, as the earlier migrations made them, with the gate.
SQLITE_TABLES = {
    "casework_accesslog_no_update": "casework_accesslog",
    "casework_contactrecordversion_append_only": "casework_contactrecordversion",
    "casework_casestatuschange_append_only": "casework_casestatuschange",
    "casework_accesslogagency_append_only": "casework_accesslogagency",
    "casework_attachmentversion_append_only": "casework_attachmentversion",
}


def _sqlite(name: str, table: str, gated: bool) -> list[str]:
    when = f"WHEN NOT {GATE} " if gated else ""
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} {when}"
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


SQLITE_LEDGER = [
    "CREATE TRIGGER casework_disposalentry_kept BEFORE UPDATE ON casework_disposalentry "
    "BEGIN SELECT RAISE(ABORT, 'the disposal ledger is kept'); END",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Without parameters: the functions' RAISE formats hold "%".
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for name, table in SQLITE_TABLES.items():
            for sql in _sqlite(name, table, gated=True):
                schema_editor.execute(sql)
        for sql in SQLITE_LEDGER:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS casework_disposalentry_kept")
        for name, table in SQLITE_TABLES.items():
            for sql in _sqlite(name, table, gated=False):
                schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("casework", "0026_retention")]
    operations = [migrations.RunPython(forward, backward)]
