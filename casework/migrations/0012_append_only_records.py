from django.db import migrations

# What was on record before corrections existed becomes its first version, so that every
# correction shows the value it replaced.
BASELINE = [
    """
    INSERT INTO casework_contactrecordversion
        (record_id, number, occurred_at, method, minutes, summary, next_action, reason,
         author_id, created_at)
    SELECT id, 1, occurred_at, method, minutes, summary, next_action, '', worker_id, created_at
    FROM casework_contactrecord
    """,
    """
    INSERT INTO casework_historicalperson
        (id, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex,
         address, district_id, phone, died_on, version, history_date, history_change_reason,
         history_type, history_user_id)
    SELECT id, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex,
           address, district_id, phone, died_on, version, created_at, NULL, '+', NULL
    FROM casework_person
    """,
    """
    INSERT INTO casework_historicalhouseholdmember
        (id, household_id, person_id, relation, left_on, left_reason, history_date,
         history_change_reason, history_type, history_user_id)
    SELECT m.id, m.household_id, m.person_id, m.relation, m.left_on, m.left_reason,
           h.created_at, NULL, '+', NULL
    FROM casework_householdmember m JOIN casework_household h ON h.id = m.household_id
    """,
]

# The record's history is append-only in the database, not only in the ORM: versions of a
# 経過記録 and the status history refuse UPDATE and DELETE; a 経過記録 itself is never
# deleted (a correction updates it to its latest version). On PostgreSQL, TRUNCATE of
# these tables and of the access log is refused too, and of the indicator snapshots while
# one is approved. On SQLite only UPDATE of the versions and the status history is refused:
# Django's test flush empties tables with DELETE there. The PostgreSQL test flush sets
# session_replication_role = replica (tests/conftest.py), under which these triggers, like
# every ordinary trigger, do not fire; only a superuser can set it.
PG_FORWARD = """
CREATE OR REPLACE FUNCTION casework_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER casework_contactrecordversion_append_only
    BEFORE UPDATE OR DELETE ON casework_contactrecordversion
    FOR EACH ROW EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_casestatuschange_append_only
    BEFORE UPDATE OR DELETE ON casework_casestatuschange
    FOR EACH ROW EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_contactrecord_kept
    BEFORE DELETE ON casework_contactrecord
    FOR EACH ROW EXECUTE FUNCTION casework_append_only();

CREATE TRIGGER casework_contactrecordversion_no_truncate
    BEFORE TRUNCATE ON casework_contactrecordversion
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_casestatuschange_no_truncate
    BEFORE TRUNCATE ON casework_casestatuschange
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_contactrecord_no_truncate
    BEFORE TRUNCATE ON casework_contactrecord
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();
CREATE TRIGGER casework_accesslog_no_truncate
    BEFORE TRUNCATE ON casework_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION casework_append_only();

CREATE OR REPLACE FUNCTION indicators_snapshot_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM indicators_snapshot WHERE state = 'approved') THEN
        RAISE EXCEPTION 'an approved indicators snapshot never changes: TRUNCATE refused';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER indicators_snapshot_no_truncate
    BEFORE TRUNCATE ON indicators_snapshot
    FOR EACH STATEMENT EXECUTE FUNCTION indicators_snapshot_no_truncate();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS indicators_snapshot_no_truncate ON indicators_snapshot;
DROP FUNCTION IF EXISTS indicators_snapshot_no_truncate();
DROP TRIGGER IF EXISTS casework_accesslog_no_truncate ON casework_accesslog;
DROP TRIGGER IF EXISTS casework_contactrecord_no_truncate ON casework_contactrecord;
DROP TRIGGER IF EXISTS casework_casestatuschange_no_truncate ON casework_casestatuschange;
DROP TRIGGER IF EXISTS casework_contactrecordversion_no_truncate ON casework_contactrecordversion;
DROP TRIGGER IF EXISTS casework_contactrecord_kept ON casework_contactrecord;
DROP TRIGGER IF EXISTS casework_casestatuschange_append_only ON casework_casestatuschange;
DROP TRIGGER IF EXISTS casework_contactrecordversion_append_only ON casework_contactrecordversion;
DROP FUNCTION IF EXISTS casework_append_only();
"""
SQLITE_FORWARD = [
    """
    CREATE TRIGGER casework_contactrecordversion_append_only
    BEFORE UPDATE ON casework_contactrecordversion
    BEGIN SELECT RAISE(ABORT, 'casework_contactrecordversion is append-only'); END;
    """,
    """
    CREATE TRIGGER casework_casestatuschange_append_only
    BEFORE UPDATE ON casework_casestatuschange
    BEGIN SELECT RAISE(ABORT, 'casework_casestatuschange is append-only'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS casework_casestatuschange_append_only;",
    "DROP TRIGGER IF EXISTS casework_contactrecordversion_append_only;",
]


def forward(apps, schema_editor):
    for sql in BASELINE:
        schema_editor.execute(sql)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_corrections"),
        ("indicators", "0002_approved_snapshot_frozen"),
    ]

    operations = [migrations.RunPython(forward, backward)]
