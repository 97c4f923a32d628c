"""Insert the reminders a scan found, skipping those already there (the unique key decides).

On PostgreSQL the keys are copied (COPY) into a temporary table and inserted from it with
one `INSERT … SELECT … ON CONFLICT DO NOTHING`: no model instance is built per row, which
at 100,000 open cases was most of a first scan. The other columns take the model's own
defaults, read from its fields, so a field added later is filled as bulk_create would fill
it. Elsewhere (SQLite, the embedded default) bulk_create does the same.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from .models import Reminder

Key = tuple[str, int, datetime.date, int]  # rule, object id, due date, recipient id
# After inserting this many rows the table's statistics are refreshed at once: the next
# scan's rules look their keys up in it (NOT EXISTS), and a plan made on the statistics of
# a table a tenth of its size compares every candidate with every row (seen: 16 s instead
# of 0.06 s for a repeat scan after the first one at 100,000 open cases).
ANALYZE_AFTER = 10_000
_KEY_FIELDS = ("rule", "object_id", "due_on", "recipient")


def insert_new(keys: Sequence[Key], *, created_at: datetime.datetime) -> None:
    if not keys:
        return
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [
                Reminder(
                    rule=rule,
                    object_id=object_id,
                    due_on=due_on,
                    recipient_id=recipient_id,
                    created_at=created_at,
                )
                for rule, object_id, due_on, recipient_id in keys
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        return
    sql, constants = _statement(created_at)
    # The keys go in by COPY into a scratch table of this transaction, then one INSERT …
    # SELECT: no model instance per row, and no statement of a hundred thousand literals.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS reminder_scan_keys "
            "(rule text, object_id bigint, due_on date, recipient_id bigint) ON COMMIT DROP"
        )
        # A scan inside a longer transaction comes here once per rule.
        cursor.execute("TRUNCATE reminder_scan_keys")
        data = io.StringIO(
            "".join(
                f"{rule}\t{object_id}\t{due_on.isoformat()}\t{recipient_id}\n"
                for rule, object_id, due_on, recipient_id in keys
            )
        )
        cursor.copy_expert("COPY reminder_scan_keys FROM STDIN", data)
        cursor.execute(sql, constants)
        if cursor.rowcount >= ANALYZE_AFTER:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Reminder._meta.db_table)}")


def _statement(created_at: datetime.datetime) -> tuple[str, list[Any]]:
    meta = Reminder._meta
    quote = connection.ops.quote_name
    fields = {field.name: field for field in meta.concrete_fields}
    key_columns = [str(fields[name].column) for name in _KEY_FIELDS]
    columns: list[str] = []
    constants: list[Any] = []
    for field in meta.concrete_fields:
        if field.primary_key or field.name in _KEY_FIELDS:
            continue
        value = created_at if field.name == "created_at" else field.get_default()
        columns.append(str(field.column))
        constants.append(field.get_db_prep_save(value, connection))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(c) for c in key_columns + columns)}) "
        f"SELECT rule, object_id, due_on, recipient_id, {', '.join(['%s'] * len(columns))} "
        "FROM reminder_scan_keys ON CONFLICT DO NOTHING"
    )
    return sql, constants
