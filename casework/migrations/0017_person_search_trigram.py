from django.db import migrations

# Person search looks for a fragment anywhere in the normalized name key (LIKE '%…%'). On
# PostgreSQL a trigram index answers that for three characters and more; pg_trgm is a
# trusted extension (PostgreSQL 13+), so the database's owner may create it. SQLite (the
# embedded demo) has no such index and needs none at its size.
PG_FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS casework_person_search_trgm
    ON casework_person USING gin (search_key gin_trgm_ops);
"""
PG_BACKWARD = "DROP INDEX IF EXISTS casework_person_search_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0016_access_log_agencies_fill")]

    operations = [migrations.RunPython(forward, backward)]
