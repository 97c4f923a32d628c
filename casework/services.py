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
    Assessment,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    CaseStatus,
    CaseStatusChange,
    CaseUserObjectPermission,
    ClosureReason,
    ClosureRequest,
    Concern,
    Consent,
    ConsentBasis,
    ContactRecord,
    EmergencySupport,
    Household,
    HouseholdMember,
    Intake,
    IntakeConsent,
    Meeting,
    MonitoringEntry,
    Notification,
    Person,
    PlanAction,
    PlanState,
    Programme,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    Relation,
    Role,
    Screening,
    ScreeningResult,
    SupportPlan,
)


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
    if not access.may_open_case_for(actor, person):
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
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="担当の割り当て")
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
    access.sync_case_grants(case=case, user=worker, actor=actor, reason="担当の解除")


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
    authorized: bool = False,
) -> ContactRecord:
    """`authorized=True` only where the caller has checked the actor itself (outreach: one
    of the visiting staff records the visit, which writes its timeline entry)."""
    if not authorized and access.WORK not in access.case_permissions(actor, case):
        raise PermissionDenied
    _lock(case)
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
def consent_record(
    *,
    actor,
    person: Person,
    basis: str,
    agencies: Iterable[Agency],
    given_on: datetime.date,
    note: str = "",
) -> Consent:
    if not access.person_in_agency_scope(actor, person):
        raise PermissionDenied
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": _("対象機関を一つ以上選んでください。")})
    if basis not in ConsentBasis.values:
        raise ValidationError({"basis": _("選択できない根拠です。")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("未来の日付は指定できません。")})
    consent = Consent(
        person=person,
        basis=basis,
        given_on=given_on,
        note=note,
        recorded_by=actor,
        recorded_by_agency_id=access.membership_of(actor).agency_id,
    )
    consent.full_clean()
    consent.save()
    consent.agencies.set(agencies)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: datetime.date | None = None):
    """Withdraw a consent; every share that rested on it ends at once, and is logged."""
    # Lock order, everywhere a consent and a case meet: the person, then the rest.
    lock_person(consent.person_id)
    consent = (
        Consent.objects.select_for_update(of=("self",)).select_related("person").get(pk=consent.pk)
    )
    if not access.consent_is_own(actor, consent):
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        raise ValidationError(_("この同意はすでに撤回されています。"))
    if withdrawn_on and withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("未来の日付は指定できません。")})
    if withdrawn_on and withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("撤回日は同意日以降にしてください。")})
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.withdrawn_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    shares = CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).select_related(
        "case__person", "user"
    )
    for share in shares:
        _revoke_share(share=share, actor=actor, reason="同意の撤回")
    # Referrals and whatever else rests on the consent end now too.
    access.consent_withdrawn(consent=consent, actor=actor)
    return consent


# --- the consultation workflow (issue 3) ----------------------------------------------------

Refusal = ValidationError


def _require(perm: str, actor, case: Case) -> frozenset[str]:
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


def lock_person(person_id: int) -> None:
    """The first lock of any change that touches a person's consent, cases or referrals."""
    list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True))


def _lock(case: Case) -> Case:
    """Serialize workflow changes on one case (a no-op on SQLite, which locks the file)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case.status, case.closed_on = locked.status, locked.closed_on
    return case


def _set_status(*, case: Case, status: str, actor, reason: str = "", closed_on=None) -> None:
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


@transaction.atomic
def case_intake(
    *,
    actor,
    person: Person,
    received_on: datetime.date,
    route: str,
    main_concern: str,
    other_concerns: Iterable[str] = (),
    chief_complaint: str,
    came_in_person: bool = True,
    visitor_name: str = "",
    visitor_relation: str = "",
    consent_status: str = IntakeConsent.PENDING,
    worker=None,
) -> Case:
    """相談受付: open the case and record how the consultation came in."""
    if not came_in_person and not (visitor_name.strip() and visitor_relation.strip()):
        raise Refusal(
            {
                "visitor_name": _(
                    "本人以外が相談に来た場合は、氏名と本人との関係を入力してください。"
                )
            }
        )
    case = case_open(
        actor=actor,
        person=person,
        opened_on=received_on,
        main_concern=main_concern,
        other_concerns=other_concerns,
        worker=worker,
    )
    intake = Intake(
        case=case,
        received_on=received_on,
        received_by=actor,
        route=route,
        came_in_person=came_in_person,
        visitor_name="" if came_in_person else visitor_name.strip(),
        visitor_relation="" if came_in_person else visitor_relation.strip(),
        chief_complaint=chief_complaint.strip(),
        consent_status=consent_status,
    )
    intake.full_clean()
    intake.save()
    return case


@transaction.atomic
def screening_decide(
    *, actor, case: Case, result: str, decided_on: datetime.date, note: str = ""
) -> Screening:
    """The screening ends the intake: information only (closes), refer, or continue."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if Screening.objects.filter(case=case).exists():
        raise Refusal(_("このケースのスクリーニングはすでに記録されています。"))
    if case.status != CaseStatus.INTAKE:
        raise Refusal(_("スクリーニングは受付の段階でのみ記録できます。"))
    _not_future(decided_on, "decided_on")
    _not_before_opening(case, decided_on, "decided_on")
    screening = Screening(
        case=case, result=result, decided_on=decided_on, decided_by=actor, note=note.strip()
    )
    screening.full_clean()
    screening.save()
    if result == ScreeningResult.INFO_ONLY:
        _set_status(
            case=case,
            status=CaseStatus.CLOSED,
            actor=actor,
            reason=str(ClosureReason.INFO_ONLY.label),
            closed_on=decided_on,
        )
    elif result == ScreeningResult.REFER:
        _set_status(case=case, status=CaseStatus.SCREENING, actor=actor, reason="つなぎ")
    else:
        _set_status(case=case, status=CaseStatus.ASSESSMENT, actor=actor, reason="継続支援")
    return screening


@transaction.atomic
def emergency_support_add(
    *, actor, case: Case, provided_on: datetime.date, kind: str, description: str
) -> EmergencySupport:
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    _not_future(provided_on, "provided_on")
    _not_before_opening(case, provided_on, "provided_on")
    support = EmergencySupport(
        case=case,
        provided_on=provided_on,
        kind=kind,
        description=description.strip(),
        recorded_by=actor,
    )
    support.full_clean()
    support.save()
    return support


@transaction.atomic
def assessment_add(*, actor, case: Case, assessed_on: datetime.date, **sections) -> Assessment:
    """A new version of the assessment; earlier versions stay as they were."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if case.status == CaseStatus.INTAKE:
        raise Refusal(_("アセスメントの前にスクリーニングを記録してください。"))
    _not_future(assessed_on, "assessed_on")
    _not_before_opening(case, assessed_on, "assessed_on")
    allowed = {
        *Assessment.SECTIONS,
        "guardianship_need",
        "abuse_suspected",
        "abuse_note",
        "summary",
    }
    unknown = set(sections) - allowed
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    if sections.get("abuse_suspected") and not str(sections.get("abuse_note", "")).strip():
        raise Refusal({"abuse_note": _("虐待の疑いがある場合は、その内容を記入してください。")})
    last = case.assessments.order_by("-version").values_list("version", flat=True).first() or 0
    assessment = Assessment(
        case=case,
        version=last + 1,
        assessed_on=assessed_on,
        author=actor,
        **{k: v.strip() if isinstance(v, str) else v for k, v in sections.items()},
    )
    assessment.full_clean()
    assessment.save()
    if case.status == CaseStatus.SCREENING:
        _set_status(case=case, status=CaseStatus.ASSESSMENT, actor=actor, reason="アセスメント")
    return assessment


def _validate_plan_dates(period_start, period_end, next_monitoring_on) -> None:
    if period_start and period_end and period_end < period_start:
        raise Refusal({"period_end": _("計画期間の終了は開始より後にしてください。")})
    if next_monitoring_on and period_start and next_monitoring_on < period_start:
        raise Refusal(
            {"next_monitoring_on": _("次回モニタリング予定日は計画期間の開始以降にしてください。")}
        )


def _save_actions(plan: SupportPlan, actions: Iterable[dict]) -> None:
    rows = []
    for index, action in enumerate(actions):
        description = (action.get("description") or "").strip()
        if not description:
            continue
        rows.append(
            PlanAction(
                plan=plan,
                description=description,
                agency=action.get("agency"),
                agency_note=(action.get("agency_note") or "").strip(),
                frequency=(action.get("frequency") or "").strip(),
                sort_order=index,
            )
        )
    for row in rows:
        row.full_clean(exclude=["plan"])
    plan.actions.all().delete()
    PlanAction.objects.bulk_create(rows)


PLAN_FIELDS = (
    "long_term_goal",
    "short_term_goals",
    "services_used",
    "period_start",
    "period_end",
    "next_monitoring_on",
)


def _plan_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not plan fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@transaction.atomic
def plan_create(*, actor, case: Case, actions: Iterable[dict] = (), **fields) -> SupportPlan:
    """A new draft plan version, based on the latest assessment.

    A case has at most one plan being written; a plan that replaces an approved one needs
    a re-assessment made after that plan was based on its assessment.
    """
    fields = _plan_fields(fields)
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if case.status in (CaseStatus.INTAKE, CaseStatus.SCREENING):
        raise Refusal(_("支援プランの前にアセスメントを記録してください。"))
    assessment = case.assessments.order_by("-version").first()
    if assessment is None:
        raise Refusal(_("支援プランの前にアセスメントを記録してください。"))
    if case.plans.filter(state__in=[PlanState.DRAFT, PlanState.SUBMITTED]).exists():
        raise Refusal(_("作成中または承認待ちのプランがすでにあります。"))
    current = case.plans.filter(state=PlanState.APPROVED).select_related("assessment").first()
    if current and assessment.version <= current.assessment.version:
        raise Refusal(_("プランを改定するには、先に再アセスメントを記録してください。"))
    _validate_plan_dates(
        fields.get("period_start"), fields.get("period_end"), fields.get("next_monitoring_on")
    )
    _not_before_opening(case, fields.get("period_start"), "period_start")
    last = case.plans.order_by("-version").values_list("version", flat=True).first() or 0
    plan = SupportPlan(
        case=case,
        version=last + 1,
        assessment=assessment,
        author=actor,
        **fields,
    )
    plan.full_clean()
    plan.save()
    plan.contributors.add(actor)
    _save_actions(plan, actions)
    if case.status == CaseStatus.ASSESSMENT:
        _set_status(case=case, status=CaseStatus.PLANNING, actor=actor, reason="プラン作成")
    return plan


def _lock_plan(plan: SupportPlan) -> SupportPlan:
    return (
        SupportPlan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    )


@transaction.atomic
def plan_update(*, actor, plan: SupportPlan, actions: Iterable[dict] = (), **fields) -> SupportPlan:
    fields = _plan_fields(fields)
    _require(access.WORK, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    if plan.state != PlanState.DRAFT:
        raise Refusal(_("下書きのプランだけを編集できます。承認済みのプランは変更できません。"))
    merged = {name: fields.get(name, getattr(plan, name)) for name in PLAN_FIELDS}
    _validate_plan_dates(merged["period_start"], merged["period_end"], merged["next_monitoring_on"])
    _not_before_opening(plan.case, merged["period_start"], "period_start")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save(update_fields=[n for n in PLAN_FIELDS if n in fields])
    plan.contributors.add(actor)
    _save_actions(plan, actions)
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: SupportPlan) -> SupportPlan:
    _require(access.WORK, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    if plan.state != PlanState.DRAFT:
        raise Refusal(_("提出できるのは下書きのプランだけです。"))
    if not plan.actions.exists():
        raise Refusal(_("支援内容を一つ以上入力してから提出してください。"))
    plan.contributors.add(actor)
    plan.state = PlanState.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.return_note = ""
    plan.full_clean()
    plan.save(update_fields=["state", "submitted_at", "return_note"])
    return plan


@transaction.atomic
def plan_return(*, actor, plan: SupportPlan, note: str) -> SupportPlan:
    """A supervisor sends a submitted plan back to its author with the reason."""
    _require(access.SUPERVISE, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    if plan.state != PlanState.SUBMITTED:
        raise Refusal(_("差し戻せるのは承認待ちのプランだけです。"))
    if not note.strip():
        raise Refusal({"note": _("差し戻しの理由を入力してください。")})
    plan.state = PlanState.DRAFT
    plan.return_note = note.strip()
    plan.save(update_fields=["state", "return_note"])
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: SupportPlan) -> SupportPlan:
    """Only a supervisor of the owning agency approves, and never the plan's author."""
    _require(access.SUPERVISE, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    if plan.state != PlanState.SUBMITTED:
        raise Refusal(_("承認できるのは提出されたプランだけです。"))
    if plan.author_id == actor.pk or plan.contributors.filter(pk=actor.pk).exists():
        # Four eyes: whoever wrote, edited or submitted any of it does not approve it.
        raise Refusal(_("自分が作成したプランは承認できません。別のスーパーバイザーが承認します。"))
    now = timezone.now()
    SupportPlan.objects.filter(case=plan.case, state=PlanState.APPROVED).update(
        state=PlanState.SUPERSEDED, superseded_at=now
    )
    plan.state = PlanState.APPROVED
    plan.approved_by = actor
    plan.approved_at = now
    plan.full_clean()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    case = _lock(plan.case)
    if case.status in (CaseStatus.PLANNING, CaseStatus.ASSESSMENT):
        _set_status(case=case, status=CaseStatus.SUPPORT, actor=actor, reason="プラン承認")
    return plan


@transaction.atomic
def monitoring_add(
    *,
    actor,
    plan: SupportPlan,
    monitored_on: datetime.date,
    progress: str,
    notes: str,
    next_monitoring_on: datetime.date | None = None,
    kind: str = MonitoringEntry.Kind.MONITORING,
) -> MonitoringEntry:
    """Monitoring or evaluation of the plan in force; it sets the next monitoring date."""
    _require(access.WORK, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    if plan.state != PlanState.APPROVED:
        raise Refusal(_("モニタリングは承認済みで有効なプランに対してのみ記録できます。"))
    _not_future(monitored_on, "monitored_on")
    if monitored_on < plan.period_start:
        raise Refusal({"monitored_on": _("計画期間の開始より前の日付は指定できません。")})
    if next_monitoring_on and next_monitoring_on <= monitored_on:
        raise Refusal({"next_monitoring_on": _("次回予定日は実施日より後にしてください。")})
    entry = MonitoringEntry(
        plan=plan,
        kind=kind,
        monitored_on=monitored_on,
        progress=progress,
        notes=notes.strip(),
        next_monitoring_on=next_monitoring_on,
        author=actor,
    )
    entry.full_clean()
    entry.save()
    if next_monitoring_on:
        # The plan's content stays as approved; only its schedule moves with monitoring.
        SupportPlan.objects.filter(pk=plan.pk).update(next_monitoring_on=next_monitoring_on)
    case = _lock(plan.case)
    if case.status == CaseStatus.SUPPORT:
        _set_status(case=case, status=CaseStatus.MONITORING, actor=actor, reason="モニタリング")
    return entry


@transaction.atomic
def meeting_record(
    *,
    actor,
    kind: str,
    held_on: datetime.date,
    title: str,
    attending_agencies: Iterable[Agency],
    decisions: str,
    cases: Iterable[Case],
) -> Meeting:
    membership = access.require_case_role(actor)
    cases = list(cases)
    visible = set(
        access.cases_readable_by(actor)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    if not cases or len(visible) != len({c.pk for c in cases}):
        raise Refusal({"cases": _("対象ケースは、閲覧できるケースから一つ以上選んでください。")})
    _not_future(held_on, "held_on")
    agencies = list(attending_agencies)
    if not agencies:
        raise Refusal({"attending_agencies": _("出席機関を一つ以上選んでください。")})
    meeting = Meeting(
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        convening_agency=membership.agency,
        decisions=decisions.strip(),
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attending_agencies.set(agencies)
    meeting.cases.set(cases)
    return meeting


def household_of(person: Person) -> Household | None:
    member = HouseholdMember.objects.filter(person=person).select_related("household").first()
    return member.household if member else None


@transaction.atomic
def enrolment_add(
    *, actor, case: Case, person: Person, programme: str, enrolled_on: datetime.date
) -> ProgrammeEnrolment:
    """Enrol the case's person, or a member of their household, in a programme."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    household = household_of(case.person)
    in_household = person.pk == case.person_id or (
        household is not None and household.members.filter(person=person).exists()
    )
    if not in_household:
        raise Refusal({"person": _("参加者は本人か同じ世帯の方から選んでください。")})
    _not_future(enrolled_on, "enrolled_on")
    _not_before_opening(case, enrolled_on, "enrolled_on")
    if programme == Programme.CHILD_STUDY:
        age = person.age_on(enrolled_on)
        if age is not None and age >= 20:
            raise Refusal({"person": _("子どもの学習・生活支援事業の参加者は子どもです。")})
    lock_person(person.pk)  # so two enrolments of the same person cannot race
    if ProgrammeEnrolment.objects.filter(
        person=person, programme=programme, left_on__isnull=True
    ).exists():
        raise Refusal({"person": _("この方はすでにこの事業に登録されています。")})
    enrolment = ProgrammeEnrolment(
        case=case, person=person, programme=programme, enrolled_on=enrolled_on, recorded_by=actor
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_leave(
    *, actor, enrolment: ProgrammeEnrolment, left_on: datetime.date
) -> ProgrammeEnrolment:
    _require(access.WORK, actor, enrolment.case)
    if enrolment.left_on is not None:
        raise Refusal(_("この登録はすでに終了しています。"))
    _not_future(left_on, "left_on")
    if left_on < enrolment.enrolled_on:
        raise Refusal({"left_on": _("終了日は登録日より後にしてください。")})
    enrolment.left_on = left_on
    enrolment.full_clean()
    enrolment.save(update_fields=["left_on"])
    return enrolment


@transaction.atomic
def outcome_add(
    *,
    actor,
    enrolment: ProgrammeEnrolment,
    kind: str,
    achieved_on: datetime.date,
    note: str = "",
) -> ProgrammeOutcome:
    _require(access.WORK, actor, enrolment.case)
    if enrolment.programme != Programme.EMPLOYMENT:
        raise Refusal(_("就労・増収の成果は自立支援プログラムにだけ記録できます。"))
    _not_future(achieved_on, "achieved_on")
    if achieved_on < enrolment.enrolled_on:
        raise Refusal({"achieved_on": _("達成日は登録日以降にしてください。")})
    if enrolment.left_on and achieved_on > enrolment.left_on:
        raise Refusal({"achieved_on": _("達成日は事業の終了日までにしてください。")})
    if ProgrammeOutcome.objects.filter(
        enrolment=enrolment, kind=kind, achieved_on=achieved_on
    ).exists():
        raise Refusal(_("同じ成果がすでに記録されています。"))
    outcome = ProgrammeOutcome(
        enrolment=enrolment,
        kind=kind,
        achieved_on=achieved_on,
        note=note.strip(),
        recorded_by=actor,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def closure_request(
    *, actor, case: Case, reason: str, closing_on: datetime.date, note: str = ""
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
    return request


@transaction.atomic
def closure_decide(
    *, actor, request: ClosureRequest, approve: bool, note: str = ""
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
    return request


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> Case:
    """A supervisor reopens a closed case; the history stays and says who and why."""
    _require(access.SUPERVISE, actor, case)
    _lock(case)
    if case.is_open:
        raise Refusal(_("終結していないケースは再開できません。"))
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
def case_reassign(*, actor, case: Case, from_worker, to_worker) -> None:
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
def household_link(
    *, actor, person: Person, person_relation: str, member: Person, member_relation: str
) -> Household:
    """Put two persons the actor may see in one household, with their 続柄."""
    membership = access.require_case_role(actor)

    def held(someone: Person) -> bool:
        # Held by the actor's agency, or read in full through a share on consent. Seeing a
        # person only in a referral's summary is no licence to change their household.
        return access.person_in_agency_scope(actor, someone) or (
            access.cases_readable_by(actor).filter(person_id=someone.pk).exists()
        )

    if not access.person_in_agency_scope(actor, person) or not held(member):
        raise PermissionDenied
    # Check-then-insert: lock both persons (in a fixed order) so two links cannot race.
    for person_id in sorted({person.pk, member.pk}):
        lock_person(person_id)
    if person.pk == member.pk:
        raise Refusal({"member": _("同じ方は追加できません。")})
    for relation, field in ((person_relation, "person_relation"), (member_relation, "relation")):
        if relation not in Relation.values:
            raise Refusal({field: _("続柄を選んでください。")})
    mine, theirs = household_of(person), household_of(member)
    if mine and theirs:
        if mine.pk == theirs.pk:
            raise Refusal({"member": _("この方はすでに同じ世帯です。")})
        raise Refusal({"member": _("この方は別の世帯に登録されています。")})
    household = mine or theirs
    if household is not None and not all(
        held(m.person) for m in household.members.select_related("person")
    ):
        # Joining a household would show its members: only one the agency holds in full.
        raise PermissionDenied
    if household is None:
        household = Household.objects.create(registered_by_agency=membership.agency)
    if mine is None:
        HouseholdMember.objects.create(household=household, person=person, relation=person_relation)
    if theirs is None:
        HouseholdMember.objects.create(household=household, person=member, relation=member_relation)
    return household


@transaction.atomic
def staff_membership_changed(*, actor, user, previous: tuple[int, str] | None) -> int:
    """After a user's agency or role changed: end every assignment and share they held, so
    that no grant outlives the job it was given for. Returns how many cases lost access.

    `previous` is the (agency id, role) before the change, None for a new membership.
    """
    membership = access.membership_of(user)
    current = (membership.agency_id, membership.role) if membership else None
    if previous is None or previous == current:
        return 0
    now = timezone.now()
    case_ids = set(
        CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values_list(
            "case_id", flat=True
        )
    ) | set(
        CaseShare.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    # Grants from elsewhere (an accepted referral) are re-checked as well.
    case_ids |= set(
        CaseUserObjectPermission.objects.filter(user=user).values_list(
            "content_object_id", flat=True
        )
    )
    CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).update(ended_at=now)
    CaseShare.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, revoke_reason="職員の異動"
    )
    for case in Case.objects.filter(pk__in=case_ids).select_related("person"):
        access.sync_case_grants(case=case, user=user, actor=actor, reason="職員の異動")
    return len(case_ids)


def notify(*, recipients: Iterable, message: str, url: str = "") -> int:
    """Put a message in each recipient's notification list (once per person)."""
    unique = {user.pk: user for user in recipients if user is not None}
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, message=message[:300], url=url) for pk in unique]
    )
    return len(unique)


def notifications_mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
