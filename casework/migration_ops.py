"""Operations the migrations share.

`AddIndexOnline` builds an index without locking the table's writes on PostgreSQL
(`CREATE INDEX CONCURRENTLY`): the access log is written on every read of a person, so a
plain `CREATE INDEX` there would hold every page that shows one until the index is built.
Elsewhere (SQLite, the embedded default) it is a plain `AddIndex`. A migration using it
sets `atomic = False`, as PostgreSQL requires.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexOnline(AddIndexConcurrently):
    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, *args)
