"""Due dates computed by the database, so that a scan asks only for what is new.

A rule's query computes each candidate's due date in SQL (`due`) and, on a scan, leaves out
every key already stored (`unknown`: NOT EXISTS on the unique key reminder_once). A repeat
scan then reads no rows at all where nothing changed, instead of every candidate and every
stored key. Dates are shifted by whole days with `AddDays`, portable between PostgreSQL
(date + integer) and SQLite (date(…, '+N days')).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Case,
    DateField,
    Exists,
    Expression,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)

from .models import AgencyReminderSettings, Reminder

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Field
    from django.db.models.sql.compiler import SQLCompiler


class AddDays(Func):
    """`date` plus a whole number of days (a number, or an expression of one)."""

    output_field = DateField()

    def __init__(self, date: Any, days: Any) -> None:
        days = days if hasattr(days, "resolve_expression") else Value(days)
        super().__init__(date, days)

    def as_sql(  # type: ignore[override]  # Func.as_sql takes more keywords than used here
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        date, days = (compiler.compile(e) for e in self.get_source_expressions())
        # PostgreSQL: date + integer is a date.
        return f"({date[0]} + {days[0]})", (*date[1], *days[1])

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        date, days = (compiler.compile(e) for e in self.get_source_expressions())
        return f"date({date[0]}, printf('%%+d days', {days[0]}))", (*date[1], *days[1])


def setting(
    settings: dict[int, AgencyReminderSettings],
    attribute: str,
    agency_path: str,
    *,
    factor: int = 1,
) -> Expression:
    """Each agency's own number of days (times `factor`), as an expression of the row's
    agency: a constant where no agency has its own, else one CASE branch per distinct value."""
    default = cast("Field[int, int]", AgencyReminderSettings._meta.get_field(attribute)).default
    groups: dict[int, list[int]] = {}
    for agency_id, own in settings.items():
        value = getattr(own, attribute)
        if value != default:
            groups.setdefault(value, []).append(agency_id)
    if not groups:
        return Value(default * factor, output_field=IntegerField())
    return Case(
        *(
            When(**{f"{agency_path}__in": ids}, then=Value(value * factor))
            for value, ids in groups.items()
        ),
        default=Value(default * factor),
        output_field=IntegerField(),
    )


def unknown(rows: QuerySet[Any], rule: str, *, recipient: str, due: str = "due") -> QuerySet[Any]:
    """`rows` (annotated with `due` and `recipient`) whose key no reminder has yet."""
    return rows.filter(
        ~Exists(
            Reminder.objects.filter(
                rule=rule,
                object_id=OuterRef("pk"),
                due_on=OuterRef(due),
                recipient_id=OuterRef(recipient),
            )
        )
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
