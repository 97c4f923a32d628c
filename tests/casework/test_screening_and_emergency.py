"""Screening (情報提供のみ, つなぎ, 継続) and emergency support, through their services.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.models import CaseStatus, ClosureReason, EmergencyKind, ScreeningResult
from tests.casework.workflow_helpers import (
    NOT_WORKING_ON_CASE_A,
    ago,
    ahead,
    history_of,
    refused,
    status_of,
    today,
)

# --- screening -------------------------------------------------------------------------------


def test_info_only_screening_closes_the_case(cast, case_a):
    services.screening_decide(
        actor=cast.csw_a,
        case=case_a,
        result=ScreeningResult.INFO_ONLY,
        decided_on=ago(3),
        note="  制度を案内した。 ",
    )
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.CLOSED
    assert case_a.closed_on == ago(3)
    assert case_a.screening.note == "制度を案内した。"
    assert case_a.screening.decided_by == cast.csw_a
    assert history_of(case_a) == [("intake", "closed", "csw_a", "情報提供のみで終了")]


@pytest.mark.parametrize(
    ("result", "status"),
    [(ScreeningResult.REFER, CaseStatus.SCREENING), (ScreeningResult.CONTINUE, "assessment")],
)
def test_screening_refer_or_continue_moves_the_case_on(cast, case_a, result, status):
    screening = services.screening_decide(
        actor=cast.csw_a, case=case_a, result=result, decided_on=today()
    )
    assert screening.result == result
    case_a.refresh_from_db()
    assert case_a.status == status
    assert case_a.closed_on is None
    [(from_status, to_status, who, _reason)] = history_of(case_a)
    assert (from_status, to_status, who) == ("intake", status, "csw_a")


def test_supervisor_of_the_owning_agency_may_screen(cast, case_a):
    services.screening_decide(
        actor=cast.supervisor_a, case=case_a, result="continue", decided_on=today()
    )
    assert status_of(case_a) == CaseStatus.ASSESSMENT


def test_a_second_screening_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="refer")
    with refused(match="すでに記録"):
        services.screening_decide(
            actor=cast.csw_a, case=case_a, result="continue", decided_on=today()
        )
    assert status_of(case_a) == CaseStatus.SCREENING


def test_screening_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.close(case_a, cast.csw_a, reason=ClosureReason.UNREACHABLE)
    assert status_of(case_a) == CaseStatus.CLOSED
    with refused(match="終結したケース"):
        services.screening_decide(
            actor=cast.csw_a, case=case_a, result="continue", decided_on=today()
        )


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_screening_date_must_be_between_opening_and_today(cast, case_a, when):
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        services.screening_decide(actor=cast.csw_a, case=case_a, result="continue", decided_on=day)
    assert "decided_on" in info.value.message_dict


def test_an_invalid_screening_result_is_refused(cast, case_a):
    with refused():
        services.screening_decide(actor=cast.csw_a, case=case_a, result="maybe", decided_on=today())


@pytest.mark.parametrize("name", NOT_WORKING_ON_CASE_A)
def test_screening_needs_the_right_to_work_on_the_case(cast, case_a, name):
    with refused(PermissionDenied):
        services.screening_decide(
            actor=getattr(cast, name), case=case_a, result="info_only", decided_on=today()
        )


# --- emergency support -----------------------------------------------------------------------


def test_emergency_support_is_recorded_before_any_plan(cast, case_a):
    support = services.emergency_support_add(
        actor=cast.csw_a,
        case=case_a,
        provided_on=today(),
        kind=EmergencyKind.FOOD,
        description=" フードバンクの食料を届けた。 ",
    )
    assert support.description == "フードバンクの食料を届けた。"
    assert support.recorded_by == cast.csw_a
    assert not case_a.plans.exists()
    assert status_of(case_a) == CaseStatus.INTAKE  # no status move


def test_emergency_support_on_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="info_only")
    with refused(match="終結したケース"):
        services.emergency_support_add(
            actor=cast.csw_a, case=case_a, provided_on=today(), kind="food", description="食料"
        )


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_emergency_support_date_must_be_between_opening_and_today(cast, case_a, when):
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        services.emergency_support_add(
            actor=cast.csw_a, case=case_a, provided_on=day, kind="food", description="食料"
        )
    assert "provided_on" in info.value.message_dict


@pytest.mark.parametrize(
    "fields", [{"kind": "money"}, {"description": "  "}], ids=["kind", "description"]
)
def test_invalid_emergency_support_is_refused(cast, case_a, fields):
    values = {"kind": "food", "description": "食料"} | fields
    with refused():
        services.emergency_support_add(actor=cast.csw_a, case=case_a, provided_on=today(), **values)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "supervisor_b"])
def test_emergency_support_needs_the_right_to_work_on_the_case(cast, case_a, name):
    with refused(PermissionDenied):
        services.emergency_support_add(
            actor=getattr(cast, name),
            case=case_a,
            provided_on=today(),
            kind="food",
            description="食料",
        )
