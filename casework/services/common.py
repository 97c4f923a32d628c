"""What every casework write shares: refusals, permission checks, locks, status changes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    ClosureRequest,
    Person,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Refusal = ValidationError


def _require(perm: str, actor: User, case: Case) -> frozenset[str]:
    perms = access.case_permissions(actor, case)
    if perm not in perms:
        raise PermissionDenied
    return perms


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise Refusal(_("終結したケースでは、この操作はできません。"))


def _not_future(day: datetime.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise Refusal({field: _("未来の日付は指定できません。")})


def _not_before_opening(case: Case, day: datetime.date | None, field: str) -> None:
    if day and day < case.opened_on:
        raise Refusal({field: _("受付日より前の日付は指定できません。")})


def person_lock(person_id: int) -> None:
    """The first lock of any change that touches a person's consent, cases or referrals."""
    list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True))


def _lock(case: Case) -> Case:
    """Serialize workflow changes on one case (a no-op on SQLite, which locks the file)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case.status, case.closed_on = locked.status, locked.closed_on
    return case


def _set_status(
    *,
    case: Case,
    status: str,
    actor: User,
    reason: str = "",
    closed_on: datetime.date | None = None,
) -> None:
    if case.status == status:
        return
    if status == CaseStatus.CLOSED:
        # Whatever closed the case answers every closure request still waiting.
        ClosureRequest.objects.filter(case=case, state=ClosureRequest.State.PENDING).update(
            state=ClosureRequest.State.REJECTED,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=_("ケースが終結したため終了"),
        )
    CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=status, changed_by=actor, reason=reason
    )
    case.status = status
    case.closed_on = closed_on if status == CaseStatus.CLOSED else None
    case.full_clean()
    case.save(update_fields=["status", "closed_on"])
