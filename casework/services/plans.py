"""Support plans: drafting, submitting, returning, approving, and monitoring them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    CaseStatus,
    ChangeItem,
    MonitoringEntry,
    PlanAction,
    PlanState,
    SupportPlan,
)
from casework.selectors.corrections import field_display, field_label
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
from casework.services.corrections import StaleRecord
from casework.services.evaluation import (
    Scores,
    baseline_of,
    baseline_replace,
    clean_scores,
    evaluation_scores_add,
    score_field,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _validate_plan_dates(
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    next_monitoring_on: datetime.date | None,
) -> None:
    if period_start and period_end and period_end < period_start:
        raise Refusal({"period_end": _("計画期間の終了は開始より後にしてください。")})
    if next_monitoring_on and period_start and next_monitoring_on < period_start:
        raise Refusal(
            {"next_monitoring_on": _("次回モニタリング予定日は計画期間の開始以降にしてください。")}
        )


def _save_actions(plan: SupportPlan, actions: Iterable[dict[str, Any]]) -> None:
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
                is_employment_support=bool(action.get("is_employment_support")),
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


class PlanFields(TypedDict, total=False):
    """The plan's own fields (PLAN_FIELDS), as plan_create and plan_update take them."""

    long_term_goal: str
    short_term_goals: str
    services_used: str
    period_start: datetime.date
    period_end: datetime.date
    next_monitoring_on: datetime.date


def _plan_fields(fields: PlanFields) -> PlanFields:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not plan fields: {sorted(unknown)}")
    return cast(
        "PlanFields", {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )


@transaction.atomic
def plan_create(
    *,
    actor: User,
    case: Case,
    actions: Iterable[dict[str, Any]] = (),
    baseline: Scores | None = None,
    **fields: Unpack[PlanFields],
) -> SupportPlan:
    """A new draft plan version, based on the latest assessment.

    A case has at most one plan being written; a plan that replaces an approved one needs
    a re-assessment made after that plan was based on its assessment. `baseline` is the
    person's state on the 評価シート's change items at plan start (item -> 1..5 or None).
    """
    fields = _plan_fields(fields)
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    scores = clean_scores(baseline)
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
    baseline_replace(plan, scores)
    if case.status == CaseStatus.ASSESSMENT:
        _set_status(case=case, status=CaseStatus.PLANNING, actor=actor, reason="プラン作成")
    return plan


def _lock_plan(plan: SupportPlan) -> SupportPlan:
    return (
        SupportPlan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    )


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: SupportPlan,
    actions: Iterable[dict[str, Any]] = (),
    revision: int | None = None,
    baseline: Scores | None = None,
    **fields: Unpack[PlanFields],
) -> SupportPlan:
    """Save an edit of a draft plan. `revision` is the one the form was opened on: over a
    newer one the save is refused (StaleRecord), with the fields that differ. Only an edit
    that changes something makes the actor a contributor (four eyes). `baseline` None
    leaves the plan's baseline scores as they are; a mapping replaces them."""
    fields = _plan_fields(fields)
    _require(access.WORK, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    scores = None if baseline is None else clean_scores(baseline)
    if plan.state != PlanState.DRAFT:
        raise Refusal(_("下書きのプランだけを編集できます。承認済みのプランは変更できません。"))
    actions = list(actions)
    sent: dict[str, Any] = dict(fields)
    differ = [n for n in PLAN_FIELDS if n in sent and getattr(plan, n) != sent[n]]
    actions_differ = _action_rows(actions) != _present_actions(plan)
    present_baseline = baseline_of(plan)
    baseline_differs = scores is not None and scores != present_baseline
    if revision is not None and plan.revision != revision:
        changes = [(field_label(SupportPlan, n), field_display(plan, n)) for n in differ]
        if actions_differ:
            changes.append(
                (str(_("支援内容")), "; ".join(a.description for a in plan.actions.all()))
            )
        if baseline_differs:
            changes.append((str(_("プラン開始時の状態")), _scores_display(present_baseline)))
        raise StaleRecord(changes, plan.revision)
    if not differ and not actions_differ and not baseline_differs:
        return plan  # nothing changed: nobody becomes a contributor
    merged = cast(
        "PlanFields", {name: fields.get(name, getattr(plan, name)) for name in PLAN_FIELDS}
    )
    _validate_plan_dates(merged["period_start"], merged["period_end"], merged["next_monitoring_on"])
    _not_before_opening(plan.case, merged["period_start"], "period_start")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.revision += 1
    plan.full_clean()
    plan.save(update_fields=[*(n for n in PLAN_FIELDS if n in fields), "revision"])
    plan.contributors.add(actor)
    _save_actions(plan, actions)
    if scores is not None:
        baseline_replace(plan, scores)
    return plan


def _scores_display(scores: dict[str, int]) -> str:
    labels = dict(ChangeItem.choices)
    return "; ".join(f"{labels[i]} {s}" for i, s in scores.items()) or str(_("未評価"))


def _action_rows(actions: Iterable[dict[str, Any]]) -> list[tuple[str, int | None, str, str, bool]]:
    """Actions as the form sends them, in the shape they are compared in."""
    rows = []
    for action in actions:
        description = (action.get("description") or "").strip()
        if not description:
            continue
        agency = action.get("agency")
        rows.append(
            (
                description,
                getattr(agency, "pk", agency),
                (action.get("agency_note") or "").strip(),
                (action.get("frequency") or "").strip(),
                bool(action.get("is_employment_support")),
            )
        )
    return rows


def _present_actions(plan: SupportPlan) -> list[tuple[str, int | None, str, str, bool]]:
    return [
        (a.description, a.agency_id, a.agency_note, a.frequency, a.is_employment_support)
        for a in plan.actions.order_by("sort_order", "pk")
    ]


@transaction.atomic
def plan_submit(*, actor: User, plan: SupportPlan) -> SupportPlan:
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
    workflow_notices.plan_submitted(plan, actor)
    return plan


@transaction.atomic
def plan_return(*, actor: User, plan: SupportPlan, note: str) -> SupportPlan:
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
    workflow_notices.plan_returned(plan, actor)
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: SupportPlan) -> SupportPlan:
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
    workflow_notices.plan_approved(plan, actor)
    return plan


@transaction.atomic
def monitoring_add(
    *,
    actor: User,
    plan: SupportPlan,
    monitored_on: datetime.date,
    progress: str,
    notes: str,
    next_monitoring_on: datetime.date | None = None,
    kind: str = MonitoringEntry.Kind.MONITORING,
    scores: Scores | None = None,
) -> MonitoringEntry:
    """Monitoring or evaluation of the plan in force; it sets the next monitoring date.

    An evaluation scores the 評価シート's change items (item -> 1..5, or None for 未評価;
    every item may be left 未評価). A monitoring records no scores."""
    _require(access.WORK, actor, plan.case)
    plan = _lock_plan(plan)
    _require_open(plan.case)
    cleaned = clean_scores(scores)
    if cleaned and kind != MonitoringEntry.Kind.EVALUATION:
        raise Refusal(
            {
                score_field(next(iter(cleaned))): _(
                    "変化項目の点数は評価で記録します。種別を「評価」にするか、"
                    "点数を「未評価」に戻してください。"
                )
            }
        )
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
    evaluation_scores_add(entry, cleaned)
    if next_monitoring_on:
        # The plan's content stays as approved; only its schedule moves with monitoring.
        SupportPlan.objects.filter(pk=plan.pk).update(next_monitoring_on=next_monitoring_on)
    case = _lock(plan.case)
    if case.status == CaseStatus.SUPPORT:
        _set_status(case=case, status=CaseStatus.MONITORING, actor=actor, reason="モニタリング")
    return entry
