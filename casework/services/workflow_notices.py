"""The bell for the workflow's hand-offs: a plan submitted, returned or approved; a closure
requested or decided. Messages name the case by its number, never the person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from casework.models import (
    CaseAssignment,
    ClosureRequest,
    Role,
    StaffMembership,
    SupportPlan,
)
from casework.services.notifications import notification_send

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case


def _supervisors(agency_id: int) -> list[User]:
    return [
        m.user
        for m in StaffMembership.objects.filter(
            agency_id=agency_id, role=Role.SUPERVISOR, user__is_active=True
        ).select_related("user")
    ]


def _workers(case: Case) -> list[User]:
    return [
        a.worker
        for a in CaseAssignment.objects.filter(
            case=case, ended_at__isnull=True, worker__is_active=True
        ).select_related("worker")
    ]


def _send(recipients: Iterable[User | None], actor: User, message: str, url: str) -> None:
    # Nobody is told of what they did themselves.
    notification_send(
        recipients=[u for u in recipients if u is not None and u.pk != actor.pk],
        message=message,
        url=url,
    )


def _plan_url(plan: SupportPlan) -> str:
    return reverse("casework:plan_detail", kwargs={"pk": plan.pk})


def plan_submitted(plan: SupportPlan, actor: User) -> None:
    _send(
        _supervisors(plan.case.owning_agency_id),
        actor,
        _("%(case)s の支援プラン(第%(version)s版)が提出されました。承認をお願いします。")
        % {"case": plan.case.number, "version": plan.version},
        _plan_url(plan),
    )


def plan_returned(plan: SupportPlan, actor: User) -> None:
    _send(
        [plan.author, *_workers(plan.case)],
        actor,
        _("%(case)s の支援プラン(第%(version)s版)が差し戻されました: %(note)s")
        % {"case": plan.case.number, "version": plan.version, "note": plan.return_note},
        _plan_url(plan),
    )


def plan_approved(plan: SupportPlan, actor: User) -> None:
    _send(
        [plan.author, *_workers(plan.case)],
        actor,
        _("%(case)s の支援プラン(第%(version)s版)が承認されました。")
        % {"case": plan.case.number, "version": plan.version},
        _plan_url(plan),
    )


def closure_requested(request: ClosureRequest, actor: User) -> None:
    _send(
        _supervisors(request.case.owning_agency_id),
        actor,
        _("%(case)s の終結が申請されました。判断をお願いします。") % {"case": request.case.number},
        reverse("casework:closure_decide", kwargs={"pk": request.pk}),
    )


def closure_decided(request: ClosureRequest, actor: User) -> None:
    if request.state == ClosureRequest.State.APPROVED:
        message = _("%(case)s の終結が承認されました。") % {"case": request.case.number}
    else:
        message = _("%(case)s の終結申請が差し戻されました: %(note)s") % {
            "case": request.case.number,
            "note": request.decision_note,
        }
    _send(
        [request.requested_by, *_workers(request.case)],
        actor,
        message,
        reverse("casework:case_detail", kwargs={"pk": request.case_id}),
    )
