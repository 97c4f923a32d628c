"""Support plans through their services: draft, submit, approve or return, and new versions
that supersede the approved one.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import services
from casework.models import CaseStatus, PlanState, Role
from tests.casework.workflow_helpers import (
    ago,
    ahead,
    history_of,
    refused,
    second_supervisor_a,
    status_of,
    today,
)
from tests.factories import StaffFactory


def _submitted_plan(workflow, case, actor):
    plan = workflow.draft_plan(case, actor)
    return services.plan_submit(actor=actor, plan=plan)


@pytest.mark.parametrize("result", ["refer", "continue"])
def test_a_plan_needs_an_assessment(cast, case_a, workflow, result):
    workflow.screen(case_a, cast.csw_a, result=result)
    with refused(match="アセスメントを記録"):
        workflow.draft_plan(case_a, cast.csw_a)


def test_a_plan_before_screening_is_refused(cast, case_a, workflow):
    with refused(match="アセスメントを記録"):
        workflow.draft_plan(case_a, cast.csw_a)


def test_plan_goes_from_draft_to_submitted_to_approved(cast, assessed, workflow):
    case = assessed
    assert status_of(case) == CaseStatus.ASSESSMENT
    plan = workflow.draft_plan(case, cast.csw_a, services_used="  家計改善支援事業 ")
    assert (plan.version, plan.state, plan.author) == (1, PlanState.DRAFT, cast.csw_a)
    assert plan.assessment == case.assessments.get()
    assert plan.services_used == "家計改善支援事業"
    assert list(plan.actions.values_list("description", "frequency")) == [("家計相談", "月1回")]
    assert plan.is_editable
    assert status_of(case) == CaseStatus.PLANNING

    services.plan_submit(actor=cast.csw_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert plan.submitted_at is not None
    assert status_of(case) == CaseStatus.PLANNING

    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert plan.approved_by == cast.supervisor_a
    assert plan.approved_at is not None
    assert not plan.is_editable
    assert status_of(case) == CaseStatus.SUPPORT
    assert [(f, t, who) for f, t, who, _why in history_of(case)] == [
        ("intake", "assessment", "csw_a"),
        ("assessment", "planning", "csw_a"),
        ("planning", "support", "supervisor_a"),
    ]


def test_only_one_plan_may_be_open_per_case(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    with refused(match="作成中または承認待ち"):
        workflow.draft_plan(assessed, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    with refused(match="作成中または承認待ち"):
        workflow.draft_plan(assessed, cast.supervisor_a)


def test_a_draft_plan_can_be_updated(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    services.plan_update(
        actor=cast.csw_a,
        plan=plan,
        long_term_goal=" 地域で安心して暮らす ",
        next_monitoring_on=ahead(14),
        actions=[
            {"description": "家計簿をつける", "agency": cast.agency_a, "frequency": "毎日"},
            {"description": "", "frequency": "空行は無視される"},
            {"description": "通院同行", "agency_note": "かかりつけ医"},
        ],
    )
    plan.refresh_from_db()
    assert plan.long_term_goal == "地域で安心して暮らす"
    assert plan.next_monitoring_on == ahead(14)
    assert plan.state == PlanState.DRAFT
    assert list(plan.actions.values_list("description", "agency", "agency_note")) == [
        ("家計簿をつける", cast.agency_a.pk, ""),
        ("通院同行", None, "かかりつけ医"),
    ]


@pytest.mark.parametrize("state", ["submitted", "approved", "superseded"])
def test_only_a_draft_plan_can_be_updated(cast, assessed, workflow, state):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    if state != "submitted":
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
    if state == "superseded":
        workflow.assess(assessed, cast.csw_a)
        workflow.approved_plan(assessed, cast.csw_a)
    plan.refresh_from_db()
    assert plan.state == state
    before = (plan.long_term_goal, list(plan.actions.values_list("description", flat=True)))
    with refused(match="下書きのプランだけ"):
        services.plan_update(
            actor=cast.csw_a,
            plan=plan,
            long_term_goal="書き換え",
            actions=[{"description": "書き換え"}],
        )
    plan.refresh_from_db()
    after = (plan.long_term_goal, list(plan.actions.values_list("description", flat=True)))
    assert after == before == ("安定した生活を送る", ["家計相談"])


@pytest.mark.parametrize(
    "fields",
    [
        {"period_end": ago(1)},  # ends before it starts (the workflow starts it today)
        {"period_start": ahead(10), "period_end": ahead(5)},
        {"next_monitoring_on": ago(1), "period_start": today()},
        {"long_term_goal": "  "},
    ],
    ids=["end_before_start", "end_before_start_both", "monitoring_before_start", "no_goal"],
)
def test_invalid_plan_fields_are_refused_on_create_and_update(cast, assessed, workflow, fields):
    with refused():
        workflow.draft_plan(assessed, cast.csw_a, **fields)
    plan = workflow.draft_plan(assessed, cast.csw_a)
    with refused():
        services.plan_update(
            actor=cast.csw_a, plan=plan, actions=[{"description": "家計相談"}], **fields
        )


def test_plan_update_refuses_a_monitoring_date_before_the_period(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)  # period starts today
    with refused():
        services.plan_update(
            actor=cast.csw_a,
            plan=plan,
            next_monitoring_on=ago(10),
            actions=[{"description": "家計相談"}],
        )


def test_plan_create_accepts_only_the_plan_fields(cast, assessed, workflow):
    now = timezone.now()
    with refused((TypeError, ValidationError)):
        workflow.draft_plan(
            assessed,
            cast.csw_a,
            state=PlanState.APPROVED,
            submitted_at=now,
            approved_by=cast.supervisor_a,
            approved_at=now,
        )


@pytest.mark.parametrize(
    "actions", [[], [{"description": "  "}]], ids=["no_actions", "blank_action"]
)
def test_submitting_a_plan_needs_at_least_one_action(cast, assessed, workflow, actions):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    services.plan_update(actor=cast.csw_a, plan=plan, actions=actions)
    assert not plan.actions.exists()
    with refused(match="支援内容を一つ以上"):
        services.plan_submit(actor=cast.csw_a, plan=plan)


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_only_a_draft_plan_can_be_submitted(cast, assessed, workflow, state):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    if state == "approved":
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
    with refused(match="下書きのプランだけ"):
        services.plan_submit(actor=cast.csw_a, plan=plan)


def test_submitting_needs_the_right_to_work_on_the_case(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    with refused(PermissionDenied):
        services.plan_submit(actor=cast.consultation_b, plan=plan)


@pytest.mark.parametrize(
    "name",
    ["csw_a", "consultation_a", "admin_a", "supervisor_b", "csw_b", "consultation_b", "outsider"],
)
def test_only_a_supervisor_of_the_owning_agency_approves_a_plan(cast, assessed, workflow, name):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    with refused(PermissionDenied):
        services.plan_approve(actor=getattr(cast, name), plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED


def test_author_cannot_approve_own_plan(cast, open_case, workflow):
    case = open_case(cast.supervisor_a)
    workflow.screen(case, cast.supervisor_a)
    workflow.assess(case, cast.supervisor_a)
    plan = _submitted_plan(workflow, case, cast.supervisor_a)
    with refused(match="自分が作成したプランは承認できません"):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)

    colleague = second_supervisor_a(cast)
    services.plan_approve(actor=colleague, plan=plan)
    plan.refresh_from_db()
    assert (plan.state, plan.author, plan.approved_by) == (
        PlanState.APPROVED,
        cast.supervisor_a,
        colleague,
    )
    assert status_of(case) == CaseStatus.SUPPORT


def test_whoever_edited_a_plan_cannot_approve_it(cast, open_case, workflow):
    other = StaffFactory(username="supervisor_a2", agency=cast.agency_a, role=Role.SUPERVISOR)
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a)
    services.plan_update(
        actor=cast.supervisor_a,
        plan=plan,
        actions=[{"description": "家計相談"}],
        long_term_goal="スーパーバイザーが書き直した目標",
    )
    services.plan_submit(actor=cast.csw_a, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == "submitted"
    services.plan_approve(actor=other, plan=plan)


def test_approving_a_draft_is_refused(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    with refused(match="提出されたプランだけ"):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)


def test_approving_an_approved_plan_again_is_refused(cast, assessed, workflow):
    plan = workflow.approved_plan(assessed, cast.csw_a)
    with refused(match="提出されたプランだけ"):
        services.plan_approve(actor=second_supervisor_a(cast), plan=plan)


def test_returning_a_plan_sends_it_back_to_draft_with_the_reason(cast, assessed, workflow):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    services.plan_return(actor=cast.supervisor_a, plan=plan, note=" 目標を具体的に。 ")
    plan.refresh_from_db()
    assert (plan.state, plan.return_note) == (PlanState.DRAFT, "目標を具体的に。")
    services.plan_update(
        actor=cast.csw_a,
        plan=plan,
        short_term_goals="3か月で家賃の滞納を解消する",
        actions=[{"description": "家計相談"}],
    )
    services.plan_submit(actor=cast.csw_a, plan=plan)
    plan.refresh_from_db()
    assert (plan.state, plan.return_note) == (PlanState.SUBMITTED, "")
    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    assert status_of(assessed) == CaseStatus.SUPPORT


@pytest.mark.parametrize("note", ["", "   "])
def test_returning_a_plan_needs_a_note(cast, assessed, workflow, note):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    with refused(match="差し戻しの理由") as info:
        services.plan_return(actor=cast.supervisor_a, plan=plan, note=note)
    assert "note" in info.value.message_dict


@pytest.mark.parametrize("state", ["draft", "approved"])
def test_only_a_submitted_plan_can_be_returned(cast, assessed, workflow, state):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    if state == "approved":
        services.plan_submit(actor=cast.csw_a, plan=plan)
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
    with refused(match="承認待ちのプランだけ"):
        services.plan_return(actor=cast.supervisor_a, plan=plan, note="やり直し")


@pytest.mark.parametrize("name", ["csw_a", "supervisor_b", "consultation_b"])
def test_only_a_supervisor_of_the_owning_agency_returns_a_plan(cast, assessed, workflow, name):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    with refused(PermissionDenied):
        services.plan_return(actor=getattr(cast, name), plan=plan, note="やり直し")


def test_approving_a_new_version_supersedes_the_previous_one(cast, assessed, workflow):
    first = workflow.approved_plan(assessed, cast.csw_a)
    second_assessment = workflow.assess(assessed, cast.csw_a, summary="就労の見通しが立った。")
    second = workflow.draft_plan(assessed, cast.csw_a, long_term_goal="就労して自立する")
    assert (second.version, second.assessment) == (2, second_assessment)
    # Until the new version is approved, the first one stays in force.
    services.plan_submit(actor=cast.csw_a, plan=second)
    first.refresh_from_db()
    assert (first.state, first.superseded_at) == (PlanState.APPROVED, None)

    services.plan_approve(actor=cast.supervisor_a, plan=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == PlanState.SUPERSEDED
    assert first.superseded_at is not None
    assert first.long_term_goal == "安定した生活を送る"  # history is kept as it was
    assert first.approved_by == cast.supervisor_a
    assert second.state == PlanState.APPROVED
    assert list(assessed.plans.filter(state=PlanState.APPROVED)) == [second]
    assert status_of(assessed) == CaseStatus.SUPPORT


def test_revising_an_approved_plan_needs_a_reassessment(cast, assessed, workflow):
    workflow.approved_plan(assessed, cast.csw_a)
    with refused(match="再アセスメント"):
        workflow.draft_plan(assessed, cast.csw_a)
    workflow.assess(assessed, cast.csw_a)
    plan = workflow.draft_plan(assessed, cast.csw_a)
    assert (plan.version, plan.state) == (2, PlanState.DRAFT)
    # Writing the new version does not take the case out of support.
    assert status_of(assessed) == CaseStatus.SUPPORT


def test_plans_on_a_closed_case_are_refused(cast, assessed, workflow):
    draft = workflow.draft_plan(assessed, cast.csw_a)
    workflow.close(assessed, cast.csw_a)
    with refused(match="終結したケース"):
        services.plan_update(actor=cast.csw_a, plan=draft, actions=[{"description": "x"}])
    with refused(match="終結したケース"):
        services.plan_submit(actor=cast.csw_a, plan=draft)


def test_approving_a_plan_on_a_closed_case_is_refused(cast, assessed, workflow):
    plan = _submitted_plan(workflow, assessed, cast.csw_a)
    workflow.close(assessed, cast.csw_a)
    with refused(match="終結したケース"):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
