"""Every write to 開示・訂正・利用停止 requests: register, extend, assemble the package,
decide, record the delivery, link corrections, withdraw."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework import services as casework_services
from casework.models import (
    AccessLog,
    Case,
    ContactRecordVersion,
    HouseholdMember,
    LegalHold,
    Person,
    Role,
    StaffMembership,
)
from casework.wareki import wareki_date
from referrals.models import Referral
from rights import access_rules, package
from rights.models import CorrectionLink, Decision, RequestKind, RequestState, RightsRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def deadline_for(received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=settings.TSUNAGU_RIGHTS_DEADLINE_DAYS)


def _lock(request: RightsRequest) -> RightsRequest:
    return (
        RightsRequest.objects.select_for_update(of=("self",))
        .select_related("person", "agency", "suspension")
        .get(pk=request.pk)
    )


def _require_open(request: RightsRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("この請求はすでに決定または取下げされています。"))


def _log(actor: User, request: RightsRequest, action: str, what: str) -> None:
    access.log_access(
        actor,
        person=request.person,
        case=None,
        action=action,
        detail=f"{request.record_name}: {what}",
    )


@transaction.atomic
def request_register(
    *,
    actor: User,
    person: Person,
    kind: str,
    received_on: datetime.date,
    requester: str,
    content: str,
) -> RightsRequest:
    """Receive a request at the actor's agency. The deadline follows from the day received;
    a 利用停止請求 stops new referrals and shares of the person's cases at once."""
    membership = access.membership_of(actor)
    if membership is None or not access_rules.may_register_for(actor, person):
        raise PermissionDenied
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("受付日に未来の日付は指定できません。")})
    request = RightsRequest(
        kind=kind,
        person=person,
        agency_id=membership.agency_id,
        received_on=received_on,
        requester=requester.strip(),
        content=content.strip(),
        due_on=deadline_for(received_on),
        registered_by=actor,
    )
    request.full_clean()
    request.save()
    if kind == RequestKind.SUSPENSION:
        request.suspension = casework_services.use_suspend(
            actor=actor,
            person=person,
            # Shown to every agency that sees the person: it says that the use is stopped
            # and since when, not which request (that is the receiving agency's own). In the
            # ward's language whatever the screen's, as a record.
            reason=f"本人からの利用停止の請求(受付 {wareki_date(received_on)})",
        )
        request.save(update_fields=["suspension"])
    _log(actor, request, AccessLog.Action.VIEW_PERSON, "受付")
    return request


@transaction.atomic
def request_extend(
    *, actor: User, request: RightsRequest, extended_to: datetime.date, reason: str
) -> RightsRequest:
    access_rules.require_decider(actor, request)
    request = _lock(request)
    _require_open(request)
    if request.extended_to is not None:
        raise ValidationError({"extended_to": _("期限の延長は一度だけです。")})
    longest = request.due_on + datetime.timedelta(days=settings.TSUNAGU_RIGHTS_EXTENSION_DAYS)
    if request.due_on < timezone.localdate():
        # The person must be told of an extension within the period.
        raise ValidationError({"extended_to": _("期限を過ぎてからは延長できません。")})
    if extended_to <= request.due_on:
        raise ValidationError(
            {"extended_to": _("延長後の期限は今の期限より後の日付にしてください。")}
        )
    if extended_to > longest:
        raise ValidationError(
            {
                "extended_to": _("延長できるのは %(date)s(期限の%(days)d日後)までです。")
                % {"date": wareki_date(longest), "days": settings.TSUNAGU_RIGHTS_EXTENSION_DAYS}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("延長の理由を入力してください。")})
    request.extended_to = extended_to
    request.extension_reason = reason.strip()
    request.save(update_fields=["extended_to", "extension_reason"])
    _log(actor, request, AccessLog.Action.VIEW_PERSON, "期限の延長")
    return request


@transaction.atomic
def package_assemble(*, actor: User, request: RightsRequest) -> RightsRequest:
    """Gather everything held about the person, across the agencies, for the decision. Each
    case it reads is logged as an export of that case: the other agencies see it in their
    own access log."""
    access_rules.require_decider(actor, request)
    request = _lock(request)
    _require_open(request)
    if request.kind != RequestKind.DISCLOSURE:
        raise ValidationError(_("開示資料を作れるのは開示請求だけです。"))
    if not access_rules.decider_sees_person(actor, request):
        raise ValidationError(
            _(
                "この機関は今この方の記録を見られないため、開示資料を作れません。"
                "記録を持つ機関で請求を受け付けてください。"
            )
        )
    request.package = package.assemble(request)
    request.package_at = timezone.now()
    request.save(update_fields=["package", "package_at"])
    what = f"{request.record_name} の開示資料の作成"
    cases = list(Case.objects.filter(person_id=request.person_id))
    # The household's other members are in it too (marked for review): their reads logged.
    household = HouseholdMember.objects.filter(
        household__members__person_id=request.person_id
    ).values_list("person_id", flat=True)
    access.log_list(
        actor, what=what, cases=cases, persons=[request.person_id, *household], always=True
    )
    return request


@transaction.atomic
def request_decide(
    *,
    actor: User,
    request: RightsRequest,
    decision: str,
    reason: str,
    decided_on: datetime.date,
) -> RightsRequest:
    access_rules.require_decider(actor, request)
    request = _lock(request)
    _require_open(request)
    errors: dict[str, str] = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("決定日に未来の日付は指定できません。")
    elif decided_on < request.received_on:
        errors["decided_on"] = _("決定日は受付日より前にはできません。")
    if decision != Decision.FULL and not reason.strip():
        errors["reason"] = _("全部を認めないときは、その理由を入力してください。")
    if request.kind == RequestKind.DISCLOSURE and request.package is None:
        errors["decision"] = _("先に開示資料を作成して確認してください。")
    elif (
        request.kind == RequestKind.DISCLOSURE
        and decision == Decision.FULL
        and (request.package or {}).get("withheld_count", 0)
    ):
        errors["decision"] = _(
            "開示資料に不開示とする箇所(第三者の情報など)があるため、一部開示を選んでください。"
        )
    if (
        request.kind == RequestKind.CORRECTION
        and decision != Decision.REFUSED
        and not request.corrections.exists()
    ):
        errors["decision"] = _(
            "訂正を認めるときは、先に記録を訂正して、その訂正を請求に結び付けてください。"
        )
    if errors:
        raise ValidationError(errors)
    request.state = RequestState.DECIDED
    request.decision = decision
    request.decision_reason = reason.strip()
    request.decided_on = decided_on
    request.decided_by = actor
    request.save(update_fields=["state", "decision", "decision_reason", "decided_on", "decided_by"])
    if request.kind == RequestKind.SUSPENSION and decision == Decision.REFUSED:
        _lift(actor, request, f"利用停止請求 No.{request.pk} を認めない決定")
    _log(actor, request, AccessLog.Action.VIEW_PERSON, f"決定({request.display('decision')})")
    return request


@transaction.atomic
def request_deliver(
    *, actor: User, request: RightsRequest, delivered_on: datetime.date, delivery: str
) -> RightsRequest:
    access_rules.require_decider(actor, request)
    request = _lock(request)
    if request.state != RequestState.DECIDED:
        raise ValidationError(_("交付・通知を記録できるのは決定済みの請求だけです。"))
    assert request.decided_on is not None
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("交付・通知日に未来の日付は指定できません。")})
    if delivered_on < request.decided_on:
        raise ValidationError({"delivered_on": _("交付・通知日は決定日より前にはできません。")})
    request.state = RequestState.DELIVERED
    request.delivered_on = delivered_on
    request.delivery = delivery
    request.full_clean()
    request.save(update_fields=["state", "delivered_on", "delivery"])
    _log(
        actor,
        request,
        AccessLog.Action.VIEW_PERSON,
        f"交付・通知({request.display('delivery')})",
    )
    return request


@transaction.atomic
def request_withdraw(*, actor: User, request: RightsRequest, reason: str) -> RightsRequest:
    access_rules.require_decider(actor, request)
    request = _lock(request)
    _require_open(request)
    if not reason.strip():
        raise ValidationError({"reason": _("取下げの理由を入力してください。")})
    request.state = RequestState.WITHDRAWN
    request.withdrawn_reason = reason.strip()
    request.save(update_fields=["state", "withdrawn_reason"])
    if request.kind == RequestKind.SUSPENSION:
        _lift(actor, request, f"利用停止請求 No.{request.pk} の取下げ")
    _log(actor, request, AccessLog.Action.VIEW_PERSON, "取下げ")
    return request


def _lift(actor: User, request: RightsRequest, reason: str) -> None:
    if request.suspension is not None:
        casework_services.use_resume(actor=actor, suspension=request.suspension, reason=reason)


# --- corrections -----------------------------------------------------------------------------


def _receivers(referrals: list[Referral]) -> dict[int, list[Referral]]:
    by_agency: dict[int, list[Referral]] = {}
    for referral in referrals:
        by_agency.setdefault(referral.receiving_agency_id, []).append(referral)
    return by_agency


def _tell_receivers(referrals: list[Referral], message: str) -> int:
    """Tell each agency that received the corrected data (its supervisors, and the worker
    each referral went to) once; the message names no one, the link is the referral."""
    by_agency = _receivers(referrals)
    if not by_agency:
        return 0
    supervisors: dict[int, list[User]] = {}
    for membership in StaffMembership.objects.filter(
        agency_id__in=by_agency, role=Role.SUPERVISOR, user__is_active=True
    ).select_related("user"):
        supervisors.setdefault(membership.agency_id, []).append(membership.user)
    told = 0
    for agency_id, received in by_agency.items():
        workers = [r.assigned_worker for r in received if r.assigned_worker is not None]
        told += bool(
            casework_services.notification_send(
                recipients=[*supervisors.get(agency_id, []), *workers],
                message=message % {"numbers": ", ".join(f"No.{r.pk}" for r in received)},
                url=reverse("referrals:detail", kwargs={"pk": received[0].pk}),
            )
        )
    return told


def _referrals_that_carried(
    request: RightsRequest, version: ContactRecordVersion | None
) -> list[Referral]:
    """The referrals through which another agency received the corrected data: for the
    person's details, every referral of the person's cases; for a contact record, those of
    its case that passed the whole record or named that contact. Withdrawn before an answer,
    nothing was passed on beyond the referral itself, which named the person: told too."""
    referrals = Referral.objects.filter(case__person_id=request.person_id).select_related(
        "assigned_worker"
    )
    if version is not None:
        record = version.record
        referrals = referrals.filter(case_id=record.case_id).filter(
            Q(scope="full") | Q(shared_contacts=record)
        )
    return list(referrals.exclude(receiving_agency_id=request.agency_id).distinct())


@transaction.atomic
def correction_link(
    *,
    actor: User,
    request: RightsRequest,
    contact_version: ContactRecordVersion | None = None,
    person_history_id: int | None = None,
) -> CorrectionLink:
    """Tie a correction (a 訂正 version) to the 訂正請求 it answers, and tell the agencies
    that received the corrected data through a referral."""
    access_rules.require_decider(actor, request)
    request = _lock(request)
    _require_open(request)
    if request.kind != RequestKind.CORRECTION:
        raise ValidationError(_("訂正を結び付けられるのは訂正請求だけです。"))
    if (contact_version is None) == (person_history_id is None):
        raise ValidationError(_("結び付ける訂正を一つ選んでください。"))
    if contact_version is not None:
        case = contact_version.record.case
        if (
            contact_version.number < 2
            or case.person_id != request.person_id
            or case.owning_agency_id != request.agency_id
            or timezone.localdate(contact_version.created_at) < request.received_on
        ):
            raise ValidationError(_("この本人の記録の訂正を選んでください。"))
        what = _("ケース %(case)06d の経過記録 No.%(record)d(第%(number)d版)") % {
            "case": contact_version.record.case_id,
            "record": contact_version.record_id,
            "number": contact_version.number,
        }
    else:
        row = Person.history.filter(
            history_id=person_history_id, id=request.person_id, history_type="~"
        ).first()
        if row is None or timezone.localdate(row.history_date) < request.received_on:
            raise ValidationError(_("この本人の記録の訂正を選んでください。"))
        what = _("本人の基本情報")
    if CorrectionLink.objects.filter(
        request=request, contact_version=contact_version, person_history_id=person_history_id
    ).exists():
        raise ValidationError(_("この訂正はすでに結び付けられています。"))
    told = _tell_receivers(
        _referrals_that_carried(request, contact_version),
        _("つなぎ %(numbers)s でお送りした記録に訂正がありました(本人の訂正請求による)。")
        + " "
        + str(what),
    )
    link = CorrectionLink(
        request=request,
        contact_version=contact_version,
        person_history_id=person_history_id,
        linked_by=actor,
        agencies_told=told,
    )
    link.full_clean()
    link.save()
    _log(actor, request, AccessLog.Action.VIEW_PERSON, f"訂正の結び付け: {what}")
    return link


# --- legal holds -----------------------------------------------------------------------------


def require_hold_supervisor(actor: User, person: Person) -> None:
    """A supervisor of an agency that holds the person places or lifts a hold."""
    membership = access.membership_of(actor)
    if membership is None or membership.role != Role.SUPERVISOR:
        raise PermissionDenied
    if not access.person_in_agency_scope(actor, person):
        raise PermissionDenied


def require_hold_lifter(actor: User, hold: LegalHold) -> None:
    """A supervisor of the agency that placed the hold lifts it (an abuse hold of one
    agency is not another's to lift), while that agency holds the person."""
    if not may_lift(actor, hold):
        raise PermissionDenied


def may_lift(actor: User, hold: LegalHold) -> bool:
    """The placing agency's supervisors lift a hold; when the one who placed it is no
    longer at an agency that holds the person (moved, left), any holding agency's do, so a
    hold is never beyond lifting."""
    try:
        require_hold_supervisor(actor, hold.person)
    except PermissionDenied:
        return False
    placer = access.membership_of(hold.placed_by)
    mine = access.membership_of(actor)
    assert mine is not None  # a supervisor, checked above
    if placer is not None and placer.agency_id == mine.agency_id:
        return True
    placer_holds = (
        placer is not None
        and hold.placed_by.is_active
        and access.person_in_agency_scope(hold.placed_by, hold.person)
    )
    return not placer_holds


def hold_for_user(actor: User, pk: str | int) -> LegalHold:
    """An active hold on a person the user sees (404 otherwise), for one who may lift it
    (403 otherwise)."""
    hold = (
        LegalHold.objects.select_related("person")
        .filter(pk=access.parse_id(pk), lifted_at__isnull=True)
        .first()
    )
    if hold is None or not access.persons_visible_to(actor).filter(pk=hold.person_id).exists():
        raise Http404
    require_hold_lifter(actor, hold)
    return hold


@transaction.atomic
def hold_place(*, actor: User, person: Person, kind: str, reason: str) -> LegalHold:
    """Stop the disposal of everything about the person (審査請求, 虐待対応, 訴訟…)."""
    require_hold_supervisor(actor, person)
    casework_services.person_lock(person.pk)
    hold = LegalHold(person=person, kind=kind, reason=reason.strip()[:300], placed_by=actor)
    hold.full_clean()
    hold.save()
    access.log_access(
        actor,
        person=person,
        case=None,
        action=AccessLog.Action.VIEW_PERSON,
        detail=f"法的保存の設定({hold.get_kind_display()})",
    )
    return hold


@transaction.atomic
def hold_lift(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    require_hold_lifter(actor, hold)
    casework_services.person_lock(hold.person_id)
    hold = LegalHold.objects.select_for_update().select_related("person").get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("この法的保存はすでに解除されています。"))
    if not reason.strip():
        raise ValidationError({"reason": _("解除の理由を入力してください。")})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason.strip()[:300]
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    access.log_access(
        actor,
        person=hold.person,
        case=None,
        action=AccessLog.Action.VIEW_PERSON,
        detail="法的保存の解除",
    )
    return hold
