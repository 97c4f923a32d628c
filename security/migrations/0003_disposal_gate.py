from django.db import migrations

# On SQLite the security log's UPDATE refusal opens to a disposal run, as the record's
# (casework 0027); on PostgreSQL its trigger uses casework_append_only(), gated there.
GATE = "EXISTS (SELECT 1 FROM casework_disposalrun WHERE state = 'running')"


def _trigger(gated: bool) -> list[str]:
    when = f"WHEN NOT {GATE} " if gated else ""
    return [
        "DROP TRIGGER IF EXISTS security_securityevent_no_update",
        f"CREATE TRIGGER security_securityevent_no_update BEFORE UPDATE ON security_securityevent "
        f"{when}BEGIN SELECT RAISE(ABORT, 'security_securityevent is append-only'); END",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _trigger(gated=True):
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _trigger(gated=False):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("security", "0002_append_only"), ("casework", "0027_disposal_gate")]
    operations = [migrations.RunPython(forward, backward)]
