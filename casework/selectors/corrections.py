"""Reading corrections: the history of a person's details and of a household."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext

from casework.models import ContactRecord, ContactRecordVersion, HouseholdMember, Person


def contact_versions(record: ContactRecord) -> QuerySet[ContactRecordVersion]:
    """A 経過記録's versions, the first as written and each correction, newest first."""
    return record.versions.select_related("author").order_by("-number")


def voided_contacts(case_id: int) -> QuerySet[ContactRecord]:
    """The case's 経過記録 marked 誤記録: off the timeline, kept in the history."""
    return (
        ContactRecord.all_records.filter(case_id=case_id, voided_at__isnull=False)
        .select_related("worker", "voided_by")
        .order_by("-occurred_at", "-pk")
    )


def field_display(obj: Any, field: str) -> str:
    value = getattr(obj, field)
    if value is None or value == "":
        return "—"
    display = getattr(obj, f"get_{field}_display", None)
    return str(display() if display else value)


def field_label(model: type[Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def person_corrections(person: Person, *, address_hidden: bool = False) -> list[dict[str, Any]]:
    """The person's corrections, newest first: when, who, why, and each field's old and new
    value. Under a 住所・電話の秘匿 mark the viewer is not named on, the earlier and later
    addresses and phones read 「秘匿」 (that they changed still shows)."""
    records = person.history.select_related("history_user", "district").order_by(
        "history_date", "history_id"
    )
    changes = _changes(list(records), Person)
    if address_hidden:
        hidden = {field_label(Person, "address"), field_label(Person, "phone")}
        mark = gettext("秘匿")
        for change in changes:
            if any(label in hidden for label, _old, _new in change["fields"]):
                # The reason of such a correction may quote the address (「転居: …」).
                change["reason"] = mark
            change["fields"] = [
                (label, mark, mark) if label in hidden else (label, old, new)
                for label, old, new in change["fields"]
            ]
    return changes


def household_changes(household_id: int) -> list[dict[str, Any]]:
    """Who joined the household, who left or died, each change of 続柄: newest first."""
    records = (
        HouseholdMember.history.filter(household_id=household_id)
        .select_related("history_user", "person")
        .order_by("history_date", "history_id")
    )
    by_member: dict[int, list[Any]] = {}
    for record in records:
        by_member.setdefault(record.id, []).append(record)
    changes = []
    for rows in by_member.values():
        for change in _changes(rows, HouseholdMember, joined=True):
            # The name as it was then: not a later correction of a member who has left.
            change["name"] = name_as_of(rows[0].person, change["at"])
            changes.append(change)
    changes.sort(key=lambda change: change["at"], reverse=True)
    return changes


def _changes(records: list[Any], model: type[Model], joined: bool = False) -> list[dict[str, Any]]:
    """What changed from each saved version to the next (simple-history's diff)."""
    changes = []
    if joined and records:
        first = records[0]
        changes.append(
            _change(
                first, [(field_label(model, "relation"), "—", field_display(first, "relation"))]
            )
        )
    for previous, record in itertools.pairwise(records):
        delta = record.diff_against(previous, excluded_fields=["version"])
        rows = [
            (
                field_label(model, change.field),
                field_display(previous, change.field),
                field_display(record, change.field),
            )
            for change in delta.changes
        ]
        if rows:
            changes.append(_change(record, rows))
    changes.reverse()
    return changes


def _change(record: Any, rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "at": record.history_date,
        "history_id": record.history_id,
        "by": record.history_user,
        "reason": record.history_change_reason or "",
        "fields": rows,
    }


def name_as_of(person: Person, moment: datetime.datetime | None) -> str:
    """The person's name as recorded at `moment` (their present name when None)."""
    if moment is None:
        return str(person)
    then = (
        Person.history.filter(id=person.pk, history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if then is None:
        return str(person)
    return f"{then.family_name} {then.given_name}".strip()
