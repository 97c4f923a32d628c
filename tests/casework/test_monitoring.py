"""Monitoring an approved plan through its service: the next date, the case's status, and
which plans may be monitored.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.models import CaseStatus, MonitoringEntry, MonitoringProgress, PlanState
from tests.casework.workflow_helpers import (
    ago,
    ahead,
    history_of,
    monitor,
    refused,
    status_of,
    today,
)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_monitoring_a_draft_plan_is_refused(cast, assessed, workflow, state):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    if state == "submitted":
        services.plan_submit(actor=cast.csw_a, plan=plan)
    with refused(match="承認済みで有効なプラン"):
        monitor(cast.csw_a, plan)


def test_monitoring_a_superseded_plan_is_refused(cast, in_support, workflow):
    workflow.assess(in_support.case, cast.csw_a)
    workflow.approved_plan(in_support.case, cast.csw_a)
    in_support.plan.refresh_from_db()
    assert in_support.plan.state == PlanState.SUPERSEDED
    with refused(match="承認済みで有効なプラン"):
        monitor(cast.csw_a, in_support.plan)


def test_monitoring_the_approved_plan_moves_its_next_date_and_the_case(cast, in_support):
    plan, case = in_support.plan, in_support.case
    assert plan.next_monitoring_on == ahead(30)
    entry = monitor(cast.csw_a, plan, next_monitoring_on=ahead(60), notes=" 順調。 ")
    assert (entry.author, entry.notes, entry.kind) == (cast.csw_a, "順調。", "monitoring")
    plan.refresh_from_db()
    assert plan.next_monitoring_on == ahead(60)
    assert plan.state == PlanState.APPROVED
    assert status_of(case) == CaseStatus.MONITORING
    assert history_of(case)[-1] == ("support", "monitoring", "csw_a", "モニタリング")

    # An evaluation without a next date leaves the schedule and the status as they are.
    monitor(
        cast.supervisor_a,
        plan,
        kind=MonitoringEntry.Kind.EVALUATION,
        progress=MonitoringProgress.ACHIEVED,
    )
    plan.refresh_from_db()
    assert plan.next_monitoring_on == ahead(60)
    assert status_of(case) == CaseStatus.MONITORING
    assert plan.monitoring.count() == 2


@pytest.mark.parametrize("next_on", [0, -1], ids=["same_day", "before"])
def test_next_monitoring_date_must_follow_the_monitoring(cast, in_support, next_on):
    with refused(match="実施日より後") as info:
        monitor(
            cast.csw_a,
            in_support.plan,
            next_monitoring_on=today() + datetime.timedelta(days=next_on),
        )
    assert "next_monitoring_on" in info.value.message_dict
    assert status_of(in_support.case) == CaseStatus.SUPPORT


@pytest.mark.parametrize("when", ["future", "before_period"])
def test_monitoring_date_must_be_within_the_plan_and_not_in_the_future(cast, in_support, when):
    day = ahead(1) if when == "future" else ago(1)  # the plan period starts today
    with refused() as info:
        monitor(cast.csw_a, in_support.plan, monitored_on=day)
    assert "monitored_on" in info.value.message_dict


@pytest.mark.parametrize("fields", [{"progress": "great"}, {"notes": " "}, {"kind": "audit"}])
def test_invalid_monitoring_is_refused(cast, in_support, fields):
    with refused():
        monitor(cast.csw_a, in_support.plan, **fields)


def test_monitoring_on_a_closed_case_is_refused(cast, in_support, workflow):
    workflow.close(in_support.case, cast.csw_a)
    with refused(match="終結したケース"):
        monitor(cast.csw_a, in_support.plan)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "supervisor_b"])
def test_monitoring_needs_the_right_to_work_on_the_case(cast, in_support, name):
    with refused(PermissionDenied):
        monitor(getattr(cast, name), in_support.plan)
