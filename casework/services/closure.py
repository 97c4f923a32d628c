"""Requesting and deciding a case's closure."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    CaseStatus,
    ClosureReason,
    ClosureRequest,
)
from casework.services import workflow_notices
from casework.services.common import (
    Refusal,
    _lock,
    _not_before_opening,
    _not_future,
    _require,
    _require_open,
    _set_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def closure_request_submit(
    *, actor: User, case: Case, reason: str, closing_on: datetime.date, note: str = ""
) -> ClosureRequest:
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if ClosureRequest.objects.filter(case=case, state=ClosureRequest.State.PENDING).exists():
        raise Refusal(_("このケースの終結はすでに申請されています。"))
    if reason == ClosureReason.INFO_ONLY:
        raise Refusal({"reason": _("情報提供のみの終了はスクリーニングで記録します。")})
    if reason == ClosureReason.OTHER and not note.strip():
        raise Refusal({"note": _("「その他」の場合は説明を入力してください。")})
    _not_future(closing_on, "closing_on")
    _not_before_opening(case, closing_on, "closing_on")
    last_contact = (
        case.contacts.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    )
    if last_contact and closing_on < timezone.localdate(last_contact):
        raise Refusal({"closing_on": _("終結日は最後の経過記録の日以降にしてください。")})
    request = ClosureRequest(
        case=case, reason=reason, note=note.strip(), closing_on=closing_on, requested_by=actor
    )
    request.full_clean()
    request.save()
    workflow_notices.closure_requested(request, actor)
    return request


@transaction.atomic
def closure_decide(
    *, actor: User, request: ClosureRequest, approve: bool, note: str = ""
) -> ClosureRequest:
    """A supervisor of the owning agency approves (the case closes) or sends it back."""
    _require(access.SUPERVISE, actor, request.case)
    request = (
        ClosureRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=request.pk)
    )
    _lock(request.case)
    _require_open(request.case)
    if request.state != ClosureRequest.State.PENDING:
        raise Refusal(_("この申請はすでに判断されています。"))
    if not approve and not note.strip():
        raise Refusal({"note": _("差し戻しの理由を入力してください。")})
    request.state = ClosureRequest.State.APPROVED if approve else ClosureRequest.State.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.full_clean()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        case = request.case
        _set_status(
            case=case,
            status=CaseStatus.CLOSED,
            actor=actor,
            reason=str(request.get_reason_display()),
            closed_on=request.closing_on,
        )
    workflow_notices.closure_decided(request, actor)
    return request
