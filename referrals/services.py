"""Every write to referrals: send, accept, decline, complete, withdraw."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework import services as casework_services
from casework.models import (
    CASE_ROLES,
    AccessLog,
    Agency,
    Case,
    ContactRecord,
    Role,
    StaffMembership,
)
from casework.wareki import wareki_date
from referrals import access_rules
from referrals.models import OPEN_STATES, Referral, ReferralState, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Consent


class NoSharingBasis(ValidationError):
    """The person's records hold no consent or legal basis covering the receiving agency:
    the form offers to record one."""


def _member_of(user: User, agency_id: int) -> bool:
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.agency_id == agency_id
        and membership.role in CASE_ROLES
    )


def _agency_staff(agency_id: int, roles: Iterable[str] = CASE_ROLES) -> list[User]:
    return [
        m.user
        for m in StaffMembership.objects.filter(agency_id=agency_id, role__in=roles).select_related(
            "user"
        )
        if m.user.is_active
    ]


def _notify_sender(referral: Referral, message: str) -> None:
    supervisors = _agency_staff(referral.sending_agency_id, (Role.SUPERVISOR,))
    casework_services.notification_send(
        recipients=[referral.sent_by, *supervisors],
        message=message,
        url=referral.get_absolute_url(),
    )


def _notify_receiver(referral: Referral, message: str, *, everyone: bool = False) -> None:
    roles = CASE_ROLES if everyone else (Role.SUPERVISOR,)
    casework_services.notification_send(
        recipients=[referral.assigned_worker, *_agency_staff(referral.receiving_agency_id, roles)],
        message=message,
        url=reverse("referrals:detail", kwargs={"pk": referral.pk}),
    )


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__person", "receiving_agency", "sending_agency")
        .get(pk=referral.pk)
    )


def _log_agency_access(referral: Referral, actor: User, action: str, what: str) -> None:
    """Supervisors of the receiving agency see the case by rule: log when that starts/ends."""
    access.log_access(
        actor,
        person=referral.case.person,
        case=referral.case,
        action=action,
        detail=(
            f"{referral.receiving_agency.name}の管理者: {what}(紹介 No.{referral.pk}、"
            f"{referral.get_scope_display()})"
        ),
    )


def _end_access(referral: Referral, actor: User, what: str) -> None:
    """`what` ended it: 終了, 取り下げ…"""
    if referral.assigned_worker_id:
        assert referral.assigned_worker is not None
        access.sync_case_grants(
            case=referral.case,
            user=referral.assigned_worker,
            actor=actor,
            reason=f"紹介 No.{referral.pk} の{what}",
        )
    if referral.answered_at and referral.assigned_worker_id:
        _log_agency_access(referral, actor, AccessLog.Action.REVOKE, f"紹介の{what}")


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    receiving_agency: Agency,
    reason: str,
    urgency: str,
    answer_by: datetime.date,
    scope: str,
    shared_contacts: Iterable[ContactRecord] = (),
    named_worker: User | None = None,
) -> Referral:
    """つなぐ: only with a basis on record that covers the receiving agency.

    `named_worker`, a worker of the receiving agency the sender already knows, is the one
    worker there besides its supervisors who sees the person before the referral is
    answered, and who may answer it."""
    if access.WORK not in access.case_permissions(actor, case):
        raise PermissionDenied
    casework_services.person_lock(case.person_id)
    # Under the person's lock: a 利用停止 set meanwhile is seen here.
    casework_services.require_in_use(case.person_id, "receiving_agency")
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "owning_agency")
        .get(pk=case.pk)
    )
    if not case.is_open:
        raise ValidationError(_("終結したケースはつなげません。"))
    if receiving_agency.pk == case.owning_agency_id:
        raise ValidationError({"receiving_agency": _("自分の機関にはつなげません。")})
    if answer_by < timezone.localdate():
        raise ValidationError({"answer_by": _("回答期限に過去の日付は指定できません。")})
    basis = access.sharing_basis(case.person, receiving_agency)
    if basis is None:
        raise NoSharingBasis(
            {
                "receiving_agency": _(
                    "この機関を対象とする本人同意または法的根拠(支援会議・虐待対応・生命・身体の保護)"
                    "の記録がありません。本人の画面で記録してからつないでください。"
                )
            }
        )
    if named_worker is not None and not (
        named_worker.is_active and _member_of(named_worker, receiving_agency.pk)
    ):
        raise ValidationError({"named_worker": _("紹介先の機関の職員から選んでください。")})
    if Referral.objects.filter(
        case=case, receiving_agency=receiving_agency, state__in=OPEN_STATES
    ).exists():
        raise ValidationError({"receiving_agency": _("この機関へのつなぎがすでに進行中です。")})
    contacts = list(shared_contacts)
    if scope == Scope.FULL:
        contacts = []
    elif any(c.case_id != case.pk for c in contacts):
        raise ValidationError({"shared_contacts": _("このケースの経過記録だけを選べます。")})
    if contacts and case.records_confidential:
        raise ValidationError(
            {"shared_contacts": _("記録の秘匿が指定されたケースの経過記録は共有できません。")}
        )
    referral = Referral(
        case=case,
        sending_agency=case.owning_agency,
        sent_by=actor,
        receiving_agency=receiving_agency,
        reason=reason.strip(),
        urgency=urgency,
        answer_by=answer_by,
        scope=scope,
        basis=basis,
        is_public_assistance=receiving_agency.kind == Agency.Kind.PUBLIC_ASSISTANCE,
        assigned_worker=named_worker,
    )
    referral.full_clean()
    referral.save()
    referral.shared_contacts.set(contacts)
    _notify_receiver(
        referral,
        _("%(agency)sからつなぎが届きました(%(urgency)s、回答期限 %(date)s)。")
        % {
            "agency": case.owning_agency.name,
            "urgency": referral.get_urgency_display(),
            "date": wareki_date(answer_by),
        },
        everyone=True,
    )
    return referral


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, worker: User) -> Referral:
    """The receiving agency takes the person on; its worker gets access in the shared scope."""
    # The person's lock first, as every change that passes the person's data on: a 利用停止
    # set meanwhile is seen below.
    casework_services.person_lock(referral.case.person_id)
    referral = _lock(referral)
    if not access_rules.handles(actor, referral):
        raise PermissionDenied
    if referral.state != ReferralState.SENT:
        raise ValidationError(_("回答待ちのつなぎだけを受理できます。"))
    casework_services.require_in_use(referral.case.person_id, "worker")
    if not referral.case.is_open:
        raise ValidationError(_("終結したケースのつなぎは受理できません。"))
    if not _member_of(worker, referral.receiving_agency_id):
        raise ValidationError({"worker": _("担当者は紹介先の機関の職員から選んでください。")})
    referral.state = ReferralState.ACCEPTED
    referral.answered_at = timezone.now()
    referral.answered_by = actor
    referral.assigned_worker = worker
    referral.full_clean()
    referral.save(update_fields=["state", "answered_at", "answered_by", "assigned_worker"])
    access.sync_case_grants(
        case=referral.case, user=worker, actor=actor, reason=f"紹介 No.{referral.pk} の受理"
    )
    _log_agency_access(referral, actor, AccessLog.Action.GRANT, "紹介の受理")
    casework_services.notification_send(
        recipients=[worker],
        message=_("つなぎ %(number)s の担当になりました。") % {"number": referral.pk},
        url=referral.get_absolute_url(),
    )
    _notify_sender(
        referral,
        _("%(agency)sがつなぎを受理しました(ケース %(number)s)。")
        % {"agency": referral.receiving_agency.name, "number": referral.case.number},
    )
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _lock(referral)
    if not access_rules.handles(actor, referral):
        raise PermissionDenied
    if referral.state != ReferralState.SENT:
        raise ValidationError(_("回答待ちのつなぎだけをお断りできます。"))
    if not reason.strip():
        raise ValidationError({"reason": _("お断りの理由を入力してください。")})
    referral.state = ReferralState.DECLINED
    referral.answered_at = timezone.now()
    referral.answered_by = actor
    referral.decline_reason = reason.strip()
    referral.full_clean()
    referral.save(update_fields=["state", "answered_at", "answered_by", "decline_reason"])
    _notify_sender(
        referral,
        _("%(agency)sがつなぎをお断りしました(ケース %(number)s)。")
        % {"agency": referral.receiving_agency.name, "number": referral.case.number},
    )
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, note: str = "") -> Referral:
    """The receiving side has done its part; its access ends unless another referral needs it."""
    referral = _lock(referral)
    if not access_rules.handles(actor, referral):
        raise PermissionDenied
    if referral.state != ReferralState.ACCEPTED:
        raise ValidationError(_("受理したつなぎだけを完了できます。"))
    referral.state = ReferralState.COMPLETED
    referral.completed_at = timezone.now()
    referral.completed_by = actor
    referral.completion_note = note.strip()
    referral.full_clean()
    referral.save(update_fields=["state", "completed_at", "completed_by", "completion_note"])
    _end_access(referral, actor, "終了")
    _notify_sender(
        referral,
        _("%(agency)sがつなぎを完了しました(ケース %(number)s)。")
        % {"agency": referral.receiving_agency.name, "number": referral.case.number},
    )
    return referral


def _withdraw(referral: Referral, actor: User, reason: str) -> None:
    referral.state = ReferralState.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.withdrawn_by = actor
    referral.withdraw_reason = reason
    referral.full_clean()
    referral.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
    _end_access(referral, actor, "取り下げ")


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str = "") -> Referral:
    """The sending side takes the referral back; the receiving side loses its access."""
    referral = _lock(referral)
    if not access_rules.may_withdraw(actor, referral):
        raise PermissionDenied
    if referral.state not in OPEN_STATES:
        raise ValidationError(_("回答待ちか受理済みのつなぎだけを取り下げられます。"))
    # Everyone who was told it arrived is told it is gone.
    waiting = referral.state == ReferralState.SENT
    _withdraw(referral, actor, reason.strip())
    _notify_receiver(
        referral,
        _("%(agency)sがつなぎを取り下げました(つなぎ %(number)s)。")
        % {"agency": referral.sending_agency.name, "number": referral.pk},
        everyone=waiting,
    )
    return referral


def referrals_end_for_withdrawn_consent(*, consent: Consent, actor: User) -> int:
    """Called by casework when a consent is withdrawn: every open referral resting on it ends
    at once, and both agencies are told."""
    ended = 0
    for referral in Referral.objects.filter(basis=consent, state__in=OPEN_STATES):
        referral = _lock(referral)
        if referral.state not in OPEN_STATES:
            continue
        _withdraw(referral, actor, _("本人同意の撤回"))
        message = _("本人同意が撤回されたため、つなぎ %(number)s は終了しました。") % {
            "number": referral.pk
        }
        _notify_receiver(referral, message)
        _notify_sender(referral, message)
        ended += 1
    return ended
