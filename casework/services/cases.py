"""Opening a case, assigning workers, sharing it, reopening and reassigning it."""

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
from casework.models import (
    CASE_ROLES,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    CaseStatus,
    Concern,
    Consent,
    Person,
    PlanState,
)
from casework.services.common import Refusal, _lock, _require, _set_status, person_lock
from casework.services.notifications import notification_send
from casework.services.suspensions import require_in_use

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    opened_on: datetime.date,
    main_concern: str,
    other_concerns: Iterable[str] = (),
    worker: User | None = None,
) -> Case:
    """Open a case at the actor's agency and assign it to `worker` (the actor by default)."""
    membership = access.require_case_role(actor)
    if not access.may_open_case_for(actor, person):
        raise PermissionDenied
    if person.disposed_at is not None:
        raise Refusal(
            _("保存期間を過ぎて廃棄した本人の記録です。新しく本人を登録して受け付けてください。")
        )
    others = sorted(set(other_concerns) - {main_concern})
    invalid = [c for c in others if c not in Concern.values]
    if invalid:
        raise ValidationError({"other_concerns": _("選択できない相談内容が含まれています。")})
    case = Case(
        person=person,
        owning_agency=membership.agency,
        opened_on=opened_on,
        main_concern=main_concern,
        status=CaseStatus.INTAKE,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    CaseConcern.objects.bulk_create([CaseConcern(case=case, concern=c) for c in others])
    _assign(case=case, worker=worker or actor, actor=actor)
    return case


def _check_worker_of(case: Case, worker: User) -> None:
    membership = access.membership_of(worker)
    if (
        membership is None
        or membership.agency_id != case.owning_agency_id
        or membership.role not in CASE_ROLES
    ):
        raise ValidationError({"worker": _("担当にできるのは担当機関の相談職員だけです。")})


def _assign(*, case: Case, worker: User, actor: User) -> CaseAssignment:
    _check_worker_of(case, worker)
    if CaseAssignment.objects.filter(case=case, worker=worker, ended_at__isnull=True).exists():
        raise ValidationError({"worker": _("この職員はすでに担当です。")})
    assignment = CaseAssignment(case=case, worker=worker, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="担当の割り当て")
    return assignment


@transaction.atomic
def case_assign(*, actor: User, case: Case, worker: User) -> CaseAssignment:
    """A supervisor of the owning agency adds a worker to the case."""
    if access.SUPERVISE not in access.case_permissions(actor, case):
        raise PermissionDenied
    return _assign(case=case, worker=worker, actor=actor)


@transaction.atomic
def case_unassign(*, actor: User, case: Case, worker: User) -> None:
    if access.SUPERVISE not in access.case_permissions(actor, case):
        raise PermissionDenied
    updated = CaseAssignment.objects.filter(case=case, worker=worker, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"worker": _("この職員は担当ではありません。")})
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="担当の解除")


@transaction.atomic
def case_share(*, actor: User, case: Case, user: User, consent: Consent | None = None) -> CaseShare:
    """Give a user read access to the case.

    Inside the owning agency no basis is needed. For another agency's staff the person's
    consent, or a legal basis, covering that agency must be on record.
    """
    perms = access.case_permissions(actor, case)
    if access.WORK not in perms:
        raise PermissionDenied
    person_lock(case.person_id)
    require_in_use(case.person_id, "user")
    target = access.membership_of(user)
    if target is None or not target.handles_cases:
        raise ValidationError({"user": _("共有できるのは相談業務を行う職員だけです。")})
    if CaseShare.objects.filter(case=case, user=user, revoked_at__isnull=True).exists():
        raise ValidationError({"user": _("この職員にはすでに共有されています。")})
    if CaseAssignment.objects.filter(case=case, worker=user, ended_at__isnull=True).exists():
        raise ValidationError({"user": _("この職員はこのケースの担当です。")})
    if target.agency_id != case.owning_agency_id:
        if consent is None:
            consent = access.sharing_basis(case.person, target.agency)
        if consent is not None:
            # Locked, so that a withdrawal committing meanwhile cannot leave this share behind.
            consent = Consent.objects.select_for_update().get(pk=consent.pk)
        valid = (
            consent is not None
            and consent.person_id == case.person_id
            and consent.is_active
            and consent.agencies.filter(pk=target.agency_id).exists()
        )
        if not valid:
            raise ValidationError(
                {
                    "user": _(
                        "他機関と共有するには、その機関を対象とする本人同意または法的根拠の記録が必要です。"
                    )
                }
            )
    else:
        consent = None
    share = CaseShare(case=case, user=user, consent=consent, granted_by=actor)
    share.full_clean()
    share.save()
    access.sync_case_grants(case=case, user=user, actor=actor, reason="共有")
    return share


def _revoke_share(*, share: CaseShare, actor: User, reason: str) -> None:
    share.revoked_at = timezone.now()
    share.revoke_reason = reason[:200]
    share.save(update_fields=["revoked_at", "revoke_reason"])
    access.sync_case_grants(case=share.case, user=share.user, actor=actor, reason=reason)


@transaction.atomic
def share_revoke(*, actor: User, share: CaseShare, reason: str = "") -> None:
    if access.WORK not in access.case_permissions(actor, share.case):
        raise PermissionDenied
    if share.revoked_at is not None:
        raise ValidationError(_("この共有はすでに終了しています。"))
    _revoke_share(share=share, actor=actor, reason=reason or "share revoked")


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """A supervisor reopens a closed case; the history stays and says who and why."""
    _require(access.SUPERVISE, actor, case)
    person_lock(case.person_id)  # before the case's, as a disposal run takes them
    _lock(case)
    if case.is_open:
        raise Refusal(_("終結していないケースは再開できません。"))
    if Case.objects.filter(pk=case.pk, disposed_at__isnull=False).exists():
        raise Refusal(
            _(
                "保存期間を過ぎて廃棄したケースは再開できません。新しい相談として受け付けてください。"
            )
        )
    if not reason.strip():
        raise Refusal({"reason": _("再開の理由を入力してください。")})
    target = (
        CaseStatus.SUPPORT
        if case.plans.filter(state=PlanState.APPROVED).exists()
        else CaseStatus.ASSESSMENT
    )
    _set_status(case=case, status=target, actor=actor, reason=reason.strip()[:500])
    return case


@transaction.atomic
def case_reassign(*, actor: User, case: Case, from_worker: User, to_worker: User) -> None:
    """Hand a case from one worker to another in the agency; grants move with it, logged."""
    _require(access.SUPERVISE, actor, case)
    _lock(case)  # two reassignments of one case run one after the other
    if from_worker.pk == to_worker.pk:
        raise Refusal({"to_worker": _("別の職員を選んでください。")})
    _assign(case=case, worker=to_worker, actor=actor)
    ended = CaseAssignment.objects.filter(
        case=case, worker=from_worker, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    if not ended:
        raise Refusal({"from_worker": _("この職員は担当ではありません。")})
    access.sync_case_grants(case=case, user=from_worker, actor=actor, reason="担当の変更")


@transaction.atomic
def case_handover(*, actor: User, from_worker: User, moves: list[tuple[Case, User]]) -> int:
    """Hand several of a worker's cases to other workers in one step (the April rotation):
    each move as case_reassign, all or nothing; each new worker is told how many."""
    if not moves:
        raise Refusal(_("引き継ぐケースと引き継ぐ職員を選んでください。"))
    received: dict[int, list[Case]] = {}
    workers: dict[int, User] = {}
    for case, to_worker in sorted(moves, key=lambda move: move[0].pk):
        try:
            case_reassign(actor=actor, case=case, from_worker=from_worker, to_worker=to_worker)
        except ValidationError as error:
            # Nothing moves: say which case could not, and why.
            reason = " ".join(error.messages)
            raise Refusal(
                _("%(case)s: %(reason)s") % {"case": case.number, "reason": reason}
            ) from error
        received.setdefault(to_worker.pk, []).append(case)
        workers[to_worker.pk] = to_worker
    previous = f"{from_worker.last_name} {from_worker.first_name}".strip()
    for pk, cases in received.items():
        notification_send(
            recipients=[workers[pk]],
            message=_("%(n)s件のケースを引き継ぎました(前任: %(from)s)。")
            % {"n": len(cases), "from": previous or from_worker.username},
            url=reverse("casework:my_cases"),
        )
    return len(moves)
