"""Recording a contact in the accompaniment log."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    ContactRecord,
    ContactRecordVersion,
)
from casework.services.common import _lock

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def contact_record_add(
    *,
    actor: User,
    case: Case,
    occurred_at: datetime.datetime,
    method: str,
    minutes: int,
    summary: str,
    next_action: str = "",
    authorized: bool = False,
) -> ContactRecord:
    """`authorized=True` only where the caller has checked the actor itself (outreach: one
    of the visiting staff records the visit, which writes its timeline entry)."""
    if not authorized and access.WORK not in access.case_permissions(actor, case):
        raise PermissionDenied
    _lock(case)
    if not case.is_open:
        raise ValidationError(_("終結したケースには経過記録を追加できません。"))
    contact_fields_check(case, occurred_at)
    record = ContactRecord(
        case=case,
        worker=actor,
        occurred_at=occurred_at,
        method=method,
        minutes=minutes,
        summary=summary.strip(),
        next_action=next_action.strip(),
    )
    record.full_clean()
    record.save()
    contact_version_add(record, author=actor)
    return record


def contact_fields_check(case: Case, occurred_at: datetime.datetime | None) -> None:
    """What a 経過記録's date must be, written or corrected: aware, not before the case."""
    if occurred_at is not None and timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("日時をタイムゾーン付きで指定してください。")})
    if occurred_at and timezone.localdate(occurred_at) < case.opened_on:
        raise ValidationError({"occurred_at": _("受付日より前の日時は記録できません。")})


def contact_version_add(record: ContactRecord, *, author: User, reason: str = "") -> None:
    """Keep the record's present fields as its version `record.version` (append-only)."""
    ContactRecordVersion.objects.create(
        record=record,
        number=record.version,
        occurred_at=record.occurred_at,
        method=record.method,
        minutes=record.minutes,
        summary=record.summary,
        next_action=record.next_action,
        reason=reason,
        author=author,
    )
