"""Every write to casework data. Keyword-only, atomic, validated, authorized."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Agency,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    CaseStatus,
    Concern,
    Consent,
    ConsentBasis,
    ContactRecord,
    Person,
    Role,
)

# Statuses a case moves through before it is closed, in order.
OPEN_STATUSES = [s for s in CaseStatus if s != CaseStatus.CLOSED]


@transaction.atomic
def person_create(
    *,
    actor,
    family_name: str,
    given_name: str = "",
    family_name_kana: str,
    given_name_kana: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "unknown",
    address: str = "",
    district=None,
    phone: str = "",
) -> Person:
    membership = access.require_case_role(actor)
    person = Person(
        family_name=family_name.strip(),
        given_name=given_name.strip(),
        family_name_kana=family_name_kana.strip(),
        given_name_kana=given_name_kana.strip(),
        birth_date=birth_date,
        sex=sex,
        address=address.strip(),
        district=district,
        phone=phone.strip(),
        registered_by_agency=membership.agency,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def case_open(
    *,
    actor,
    person: Person,
    opened_on: datetime.date,
    main_concern: str,
    other_concerns: Iterable[str] = (),
    worker=None,
) -> Case:
    """Open a case at the actor's agency and assign it to `worker` (the actor by default)."""
    membership = access.require_case_role(actor)
    if not access.persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
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


def _check_worker_of(case: Case, worker) -> None:
    membership = access.membership_of(worker)
    if (
        membership is None
        or membership.agency_id != case.owning_agency_id
        or membership.role not in (Role.CSW, Role.CONSULTATION, Role.SUPERVISOR)
    ):
        raise ValidationError({"worker": _("担当にできるのは担当機関の相談職員だけです。")})


def _assign(*, case: Case, worker, actor) -> CaseAssignment:
    _check_worker_of(case, worker)
    if CaseAssignment.objects.filter(case=case, worker=worker, ended_at__isnull=True).exists():
        raise ValidationError({"worker": _("この職員はすでに担当です。")})
    assignment = CaseAssignment(case=case, worker=worker, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="assignment")
    return assignment


@transaction.atomic
def case_assign(*, actor, case: Case, worker) -> CaseAssignment:
    """A supervisor of the owning agency adds a worker to the case."""
    if access.SUPERVISE not in access.case_permissions(actor, case):
        raise PermissionDenied
    return _assign(case=case, worker=worker, actor=actor)


@transaction.atomic
def case_unassign(*, actor, case: Case, worker) -> None:
    if access.SUPERVISE not in access.case_permissions(actor, case):
        raise PermissionDenied
    updated = CaseAssignment.objects.filter(case=case, worker=worker, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"worker": _("この職員は担当ではありません。")})
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="unassignment")


@transaction.atomic
def case_share(*, actor, case: Case, user, consent: Consent | None = None) -> CaseShare:
    """Give a user read access to the case.

    Inside the owning agency no basis is needed. For another agency's staff the person's
    consent, or a legal basis, covering that agency must be on record.
    """
    perms = access.case_permissions(actor, case)
    if access.WORK not in perms:
        raise PermissionDenied
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
    access.sync_case_grants(case=case, user=user, actor=actor, reason="share")
    return share


def _revoke_share(*, share: CaseShare, actor, reason: str) -> None:
    share.revoked_at = timezone.now()
    share.revoke_reason = reason[:200]
    share.save(update_fields=["revoked_at", "revoke_reason"])
    access.sync_case_grants(case=share.case, user=share.user, actor=actor, reason=reason)


@transaction.atomic
def share_revoke(*, actor, share: CaseShare, reason: str = "") -> None:
    if access.WORK not in access.case_permissions(actor, share.case):
        raise PermissionDenied
    if share.revoked_at is not None:
        raise ValidationError(_("この共有はすでに終了しています。"))
    _revoke_share(share=share, actor=actor, reason=reason or "share revoked")


@transaction.atomic
def contact_record_add(
    *,
    actor,
    case: Case,
    occurred_at: datetime.datetime,
    method: str,
    minutes: int,
    summary: str,
    next_action: str = "",
) -> ContactRecord:
    if access.WORK not in access.case_permissions(actor, case):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("終結したケースには経過記録を追加できません。"))
    if occurred_at is not None and timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("日時をタイムゾーン付きで指定してください。")})
    if occurred_at and timezone.localdate(occurred_at) < case.opened_on:
        raise ValidationError({"occurred_at": _("受付日より前の日時は記録できません。")})
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
    return record


@transaction.atomic
def case_change_status(*, actor, case: Case, status: str, on: datetime.date | None = None) -> Case:
    """Move an open case along its stages; closing and reopening need a supervisor."""
    perms = access.case_permissions(actor, case)
    if access.WORK not in perms:
        raise PermissionDenied
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("選択できない状況です。")})
    if status == case.status:
        raise ValidationError({"status": _("すでにその状況です。")})
    closing = status == CaseStatus.CLOSED
    reopening = case.status == CaseStatus.CLOSED
    if (closing or reopening) and access.SUPERVISE not in perms:
        raise ValidationError({"status": _("終結と再開はスーパーバイザーだけが行えます。")})
    if on is not None and not closing:
        raise ValidationError({"status": _("日付を指定できるのは終結のときだけです。")})
    if closing and on is not None and on > timezone.localdate():
        raise ValidationError({"closed_on": _("終結日に未来の日付は指定できません。")})
    if closing and on is not None and on < case.opened_on:
        raise ValidationError({"closed_on": _("終結日は受付日より前にできません。")})
    case.status = status
    case.closed_on = (on or timezone.localdate()) if closing else None
    case.full_clean()
    case.save(update_fields=["status", "closed_on"])
    return case


@transaction.atomic
def consent_record(
    *,
    actor,
    person: Person,
    basis: str,
    agencies: Iterable[Agency],
    given_on: datetime.date,
    note: str = "",
) -> Consent:
    access.require_case_role(actor)
    if not access.persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": _("対象機関を一つ以上選んでください。")})
    if basis not in ConsentBasis.values:
        raise ValidationError({"basis": _("選択できない根拠です。")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("未来の日付は指定できません。")})
    consent = Consent(person=person, basis=basis, given_on=given_on, note=note, recorded_by=actor)
    consent.full_clean()
    consent.save()
    consent.agencies.set(agencies)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: datetime.date | None = None):
    """Withdraw a consent; every share that rested on it ends at once, and is logged."""
    access.require_case_role(actor)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not access.persons_visible_to(actor).filter(pk=consent.person_id).exists():
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        raise ValidationError(_("この同意はすでに撤回されています。"))
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.withdrawn_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    shares = CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).select_related(
        "case__person", "user"
    )
    for share in shares:
        _revoke_share(share=share, actor=actor, reason="consent withdrawn")
    return consent
