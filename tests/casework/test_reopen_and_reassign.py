"""Reopening a closed case and moving a case between workers, through their services.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.access import case_permissions, cases_visible_to
from casework.models import AccessLog, CaseStatus, ClosureReason, ClosureRequest, PlanState
from tests.casework.workflow_helpers import (
    history_of,
    monitor,
    refused,
    request_closure,
    status_of,
    today,
)


def test_reopening_keeps_the_history_and_returns_to_support_with_an_approved_plan(
    cast, in_support, workflow
):
    case = in_support.case
    monitor(cast.csw_a, in_support.plan)
    workflow.close(case, cast.csw_a, reason=ClosureReason.PERSON_WISH)
    services.case_reopen(actor=cast.supervisor_a, case=case, reason=" 本人から再度の相談。 ")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.SUPPORT, None)
    assert [(f, t, who, why) for f, t, who, why in history_of(case)][-2:] == [
        ("monitoring", "closed", "supervisor_a", "本人の希望"),
        ("closed", "support", "supervisor_a", "本人から再度の相談。"),
    ]
    assert len(history_of(case)) == 6
    # The closure request stays on record as approved, and a new one may be made.
    assert case.closure_requests.get().state == ClosureRequest.State.APPROVED
    in_support.plan.refresh_from_db()
    assert in_support.plan.state == PlanState.APPROVED
    monitor(cast.csw_a, in_support.plan)
    request_closure(cast.csw_a, case)


def test_reopening_without_an_approved_plan_returns_to_assessment(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="info_only")
    services.case_reopen(actor=cast.supervisor_a, case=case_a, reason="本人が再来所した")
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closed_on) == (CaseStatus.ASSESSMENT, None)
    assert history_of(case_a) == [
        ("intake", "closed", "csw_a", "情報提供のみで終了"),
        ("closed", "assessment", "supervisor_a", "本人が再来所した"),
    ]
    # The work goes on where it stopped.
    workflow.assess(case_a, cast.csw_a)
    workflow.draft_plan(case_a, cast.csw_a)
    assert status_of(case_a) == CaseStatus.PLANNING


@pytest.mark.parametrize("name", ["csw_a", "consultation_a", "supervisor_b", "consultation_b"])
def test_only_a_supervisor_of_the_owning_agency_reopens(cast, case_a, workflow, name):
    workflow.close(case_a, cast.csw_a)
    with refused(PermissionDenied):
        services.case_reopen(actor=getattr(cast, name), case=case_a, reason="再開")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(cast, case_a, workflow, reason):
    workflow.close(case_a, cast.csw_a)
    with refused(match="再開の理由") as info:
        services.case_reopen(actor=cast.supervisor_a, case=case_a, reason=reason)
    assert "reason" in info.value.message_dict


def test_reopening_an_open_case_is_refused(cast, case_a):
    with refused(match="終結していないケース"):
        services.case_reopen(actor=cast.supervisor_a, case=case_a, reason="再開")


# --- reassignment ----------------------------------------------------------------------------


def test_reassigning_moves_the_grants_and_logs_them(cast, case_a):
    assert case_a in cases_visible_to(cast.csw_a)
    assert case_a not in cases_visible_to(cast.consultation_a)
    logged = AccessLog.objects.count()

    services.case_reassign(
        actor=cast.supervisor_a, case=case_a, from_worker=cast.csw_a, to_worker=cast.consultation_a
    )
    assert case_a not in cases_visible_to(cast.csw_a)
    assert case_permissions(cast.csw_a, case_a) == frozenset()
    assert case_a in cases_visible_to(cast.consultation_a)
    assert case_permissions(cast.consultation_a, case_a) == {"view_case", "work_case"}
    # The share with the other agency is untouched.
    assert case_a in cases_visible_to(cast.consultation_b)

    active = case_a.assignments.filter(ended_at__isnull=True)
    assert list(active.values_list("worker__username", flat=True)) == ["consultation_a"]
    assert case_a.assignments.get(worker=cast.csw_a).ended_at is not None
    logs = AccessLog.objects.order_by("pk")[logged:]
    assert [(log.action, log.user, log.case) for log in logs] == [
        (AccessLog.Action.GRANT, cast.supervisor_a, case_a),
        (AccessLog.Action.REVOKE, cast.supervisor_a, case_a),
    ]
    assert "(consultation_a): 閲覧・記録(担当の割り当て)" in logs[0].detail
    assert "(csw_a): 閲覧・記録(担当の変更)" in logs[1].detail
    # The new worker works on the case now; the old one may not.
    screening = services.screening_decide(
        actor=cast.consultation_a, case=case_a, result="continue", decided_on=today()
    )
    assert screening.decided_by == cast.consultation_a
    with refused(PermissionDenied):
        services.emergency_support_add(
            actor=cast.csw_a, case=case_a, provided_on=today(), kind="food", description="食料"
        )


@pytest.mark.parametrize("name", ["csw_a", "consultation_a", "supervisor_b", "admin_a"])
def test_only_a_supervisor_of_the_owning_agency_reassigns(cast, case_a, name):
    with refused(PermissionDenied):
        services.case_reassign(
            actor=getattr(cast, name),
            case=case_a,
            from_worker=cast.csw_a,
            to_worker=cast.consultation_a,
        )


@pytest.mark.parametrize("name", ["csw_b", "consultation_b", "supervisor_b", "admin_a", "outsider"])
def test_reassigning_to_someone_outside_the_owning_agencys_case_staff_is_refused(
    cast, case_a, name
):
    with refused(match="担当機関の相談職員") as info:
        services.case_reassign(
            actor=cast.supervisor_a,
            case=case_a,
            from_worker=cast.csw_a,
            to_worker=getattr(cast, name),
        )
    assert "worker" in info.value.message_dict


def test_reassigning_from_a_worker_who_is_not_assigned_is_refused_and_grants_nothing(cast, case_a):
    with refused(match="担当ではありません"):
        services.case_reassign(
            actor=cast.supervisor_a,
            case=case_a,
            from_worker=cast.consultation_a,
            to_worker=cast.supervisor_a,
        )
    assert case_permissions(cast.supervisor_a, case_a) == {
        "view_case",
        "work_case",
        "supervise_case",
    }
    assert not case_a.assignments.filter(worker=cast.supervisor_a).exists()


def test_reassigning_to_the_same_or_an_assigned_worker_is_refused(cast, case_a):
    with refused(match="別の職員"):
        services.case_reassign(
            actor=cast.supervisor_a, case=case_a, from_worker=cast.csw_a, to_worker=cast.csw_a
        )
    services.case_assign(actor=cast.supervisor_a, case=case_a, worker=cast.consultation_a)
    with refused(match="すでに担当"):
        services.case_reassign(
            actor=cast.supervisor_a,
            case=case_a,
            from_worker=cast.csw_a,
            to_worker=cast.consultation_a,
        )
