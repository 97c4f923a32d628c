from django.db import migrations

# A trigram index cannot answer a fragment of two characters (佐藤, さと): pg_trgm draws no
# trigram from it and scans the whole index. The two-character pieces of the search key,
# drawn by an immutable function, feed a GIN index that answers `bigrams @> ARRAY['佐藤']`;
# the LIKE beside it keeps the match exact. SQLite (the embedded demo) needs neither.
PG_FORWARD = """
CREATE OR REPLACE FUNCTION tsunagu_bigrams(key text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT coalesce(array_agg(DISTINCT substr(key, i, 2)), '{}'::text[])
        FROM generate_series(1, char_length(key) - 1) AS i
    $$;
CREATE INDEX IF NOT EXISTS casework_person_search_bigrams
    ON casework_person USING gin (tsunagu_bigrams(search_key));
"""
PG_BACKWARD = """
DROP INDEX IF EXISTS casework_person_search_bigrams;
DROP FUNCTION IF EXISTS tsunagu_bigrams(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0018_contact_worker_index")]

    operations = [migrations.RunPython(forward, backward)]
