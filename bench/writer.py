"""Fast inserts for the bench world: COPY on PostgreSQL, bulk_create elsewhere.

Rows are tuples in the order of the given field names (attnames: `case_id`, not `case`).
The tables and columns come from the models, so a renamed column fails loudly here instead
of writing a world the app cannot read. Nothing is validated beyond what the database's
constraints check: this builds load, it is not how users record anything.
"""

from __future__ import annotations

import datetime
import enum
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Max, Model

FLUSH_ROWS = 20_000
ORM_BATCH = 1_000

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is int or kind is Decimal:
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime.datetime:
        return value.isoformat(" ")
    if kind is datetime.date:
        return value.isoformat()
    if kind is list or kind is dict:
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if isinstance(value, enum.Enum):  # TextChoices and IntegerChoices members
        return _copy_text(value.value)
    raise TypeError(f"no COPY text for {kind.__name__}")


def column(model: type[Model], name: str) -> str:
    """The column of a concrete field, by name or attname."""
    found = model._meta.get_field(name)
    if not isinstance(found, Field) or not found.column:
        raise ValueError(f"{model._meta.label}.{name} is not a column")
    return str(found.column)


class Writer:
    """Buffers rows per table and writes them in large batches.

    Foreign keys are deferred until commit on PostgreSQL and SQLite (Django creates them
    DEFERRABLE INITIALLY DEFERRED), so tables may be flushed in any order inside the
    build's transaction.
    """

    def __init__(self) -> None:
        self.copy = connection.vendor == "postgresql"
        self._buffers: dict[tuple[type[Model], tuple[str, ...]], list[Sequence[Any]]] = {}
        self.counts: dict[str, int] = {}
        self._touched: set[type[Model]] = set()

    def add(self, model: type[Model], fields: tuple[str, ...], row: Sequence[Any]) -> None:
        key = (model, fields)
        buffer = self._buffers.setdefault(key, [])
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self._flush(key)

    def add_many(
        self, model: type[Model], fields: tuple[str, ...], rows: Iterable[Sequence[Any]]
    ) -> None:
        for row in rows:
            self.add(model, fields, row)

    def flush(self) -> None:
        for key in list(self._buffers):
            self._flush(key)

    def _flush(self, key: tuple[type[Model], tuple[str, ...]]) -> None:
        rows = self._buffers.pop(key, [])
        if not rows:
            return
        model, fields = key
        if self.copy:
            self._copy(model, fields, rows)
        else:
            objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            model._base_manager.bulk_create(objects, batch_size=ORM_BATCH)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        self._touched.add(model)

    def _copy(self, model: type[Model], fields: tuple[str, ...], rows: list[Sequence[Any]]) -> None:
        meta = model._meta
        names = [column(model, f) for f in fields]
        # What the model would fill in itself (bulk_create does): its fields' defaults.
        rest = [
            f
            for f in meta.concrete_fields
            if f.column not in names and not getattr(f, "db_returning", False)
        ]
        defaults = "".join("\t" + _copy_text(f.get_default()) for f in rest)
        names += [str(f.column) for f in rest]
        columns = ", ".join(connection.ops.quote_name(c) for c in names)
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join([_copy_text(v) for v in row]))
            write(defaults)
            write("\n")
        buffer.seek(0)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, buffer)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(buffer.getvalue())

    def reset_sequences(self) -> None:
        """Ids given by the build: the next row the app writes takes the one after them."""
        if not self._touched:
            return
        statements = connection.ops.sequence_reset_sql(
            no_style(), sorted(self._touched, key=lambda m: m._meta.label)
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Ids:
    """Primary keys handed out by the build, after whatever the table already holds."""

    def __init__(self, model: type[Model]) -> None:
        self.next = (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value
