"""Closing a case through its services: the request, the supervisor's decision, and the writes
a closed case refuses.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import services
from casework.models import Case, CaseStatus, ClosureReason, ClosureRequest, Programme
from tests.casework.workflow_helpers import (
    NOT_WORKING_ON_CASE_A,
    ago,
    ahead,
    enrol_person,
    history_of,
    refused,
    request_closure,
    second_supervisor_a,
    status_of,
    today,
)


def test_an_approved_closure_closes_the_case_on_the_closing_date(cast, in_support):
    case = in_support.case
    request = request_closure(cast.csw_a, case, note=" 家計が安定した。 ", closing_on=ago(2))
    assert (request.state, request.requested_by, request.note) == (
        ClosureRequest.State.PENDING,
        cast.csw_a,
        "家計が安定した。",
    )
    assert status_of(case) == CaseStatus.SUPPORT  # a request alone closes nothing

    services.closure_decide(actor=cast.supervisor_a, request=request, approve=True)
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (ClosureRequest.State.APPROVED, cast.supervisor_a)
    assert request.decided_at is not None
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, ago(2))
    assert history_of(case)[-1] == ("support", "closed", "supervisor_a", "目標達成")


def test_a_pending_closure_request_blocks_a_second(cast, case_a):
    request_closure(cast.csw_a, case_a)
    with refused(match="すでに申請"):
        request_closure(cast.supervisor_a, case_a, reason=ClosureReason.MOVED)


def test_information_only_is_not_a_closure_reason(cast, case_a):
    with refused(match="スクリーニングで記録") as info:
        request_closure(cast.csw_a, case_a, reason=ClosureReason.INFO_ONLY)
    assert "reason" in info.value.message_dict


def test_closing_for_another_reason_needs_a_note(cast, case_a):
    with refused(match="説明を入力") as info:
        request_closure(cast.csw_a, case_a, reason=ClosureReason.OTHER, note="  ")
    assert "note" in info.value.message_dict
    request = request_closure(cast.csw_a, case_a, reason=ClosureReason.OTHER, note="施設に入所")
    assert request.note == "施設に入所"


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_closing_date_must_be_between_opening_and_today(cast, case_a, when):
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        request_closure(cast.csw_a, case_a, closing_on=day)
    assert "closing_on" in info.value.message_dict


def test_an_unknown_closure_reason_is_refused(cast, case_a):
    with refused():
        request_closure(cast.csw_a, case_a, reason="bored")


def test_requesting_closure_of_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.close(case_a, cast.csw_a)
    with refused(match="終結したケース"):
        request_closure(cast.csw_a, case_a)


@pytest.mark.parametrize("name", NOT_WORKING_ON_CASE_A)
def test_requesting_closure_needs_the_right_to_work_on_the_case(cast, case_a, name):
    with refused(PermissionDenied):
        request_closure(getattr(cast, name), case_a)


@pytest.mark.parametrize("name", ["csw_a", "consultation_a", "supervisor_b", "consultation_b"])
@pytest.mark.parametrize("approve", [True, False])
def test_only_a_supervisor_of_the_owning_agency_decides_a_closure(cast, case_a, name, approve):
    request = request_closure(cast.csw_a, case_a)
    with refused(PermissionDenied):
        services.closure_decide(
            actor=getattr(cast, name), request=request, approve=approve, note="理由"
        )
    assert status_of(case_a) == CaseStatus.INTAKE


@pytest.mark.parametrize("note", ["", "  "])
def test_rejecting_a_closure_needs_a_note(cast, case_a, note):
    request = request_closure(cast.csw_a, case_a)
    with refused(match="差し戻しの理由") as info:
        services.closure_decide(actor=cast.supervisor_a, request=request, approve=False, note=note)
    assert "note" in info.value.message_dict


def test_a_rejected_closure_leaves_the_case_open(cast, in_support):
    case = in_support.case
    request = request_closure(cast.csw_a, case)
    services.closure_decide(
        actor=cast.supervisor_a, request=request, approve=False, note=" 就労の定着を確認する。"
    )
    request.refresh_from_db()
    assert (request.state, request.decision_note) == (
        ClosureRequest.State.REJECTED,
        "就労の定着を確認する。",
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.SUPPORT, None)
    # The worker may ask again.
    request_closure(cast.csw_a, case)


@pytest.mark.parametrize("first", [True, False], ids=["approved", "rejected"])
@pytest.mark.parametrize("second", [True, False], ids=["approve", "reject"])
def test_a_closure_request_is_decided_only_once(cast, case_a, first, second):
    request = request_closure(cast.csw_a, case_a)
    services.closure_decide(actor=cast.supervisor_a, request=request, approve=first, note="判断")
    # After an approval the case is closed, which refuses first.
    with refused(match="すでに判断|終結したケース"):
        services.closure_decide(
            actor=second_supervisor_a(cast), request=request, approve=second, note="判断"
        )


def test_a_closed_case_keeps_no_pending_closure_request(cast, case_a):
    request_closure(cast.csw_a, case_a, reason=ClosureReason.UNREACHABLE)
    with contextlib.suppress(ValidationError):  # refusing the screening would be fine too
        services.screening_decide(
            actor=cast.csw_a, case=case_a, result="info_only", decided_on=today()
        )
    case_a.refresh_from_db()
    pending = case_a.closure_requests.filter(state=ClosureRequest.State.PENDING)
    assert not (case_a.status == CaseStatus.CLOSED and pending.exists())


def _add_contact(actor, case):
    return services.contact_record_add(
        actor=actor,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary="電話した。",
    )


def _add_emergency_support(actor, case):
    return services.emergency_support_add(
        actor=actor, case=case, provided_on=today(), kind="food", description="食料"
    )


def _add_enrolment(actor, case):
    return enrol_person(actor, case, case.person, Programme.EMPLOYMENT)


def test_contacts_on_a_closed_case_are_refused(cast, case_a, workflow):
    workflow.close(case_a, cast.csw_a)
    case_a.refresh_from_db()
    with refused(match="終結したケース"):
        _add_contact(cast.csw_a, case_a)


@pytest.mark.parametrize("write", [_add_contact, _add_emergency_support, _add_enrolment])
def test_writes_check_the_case_as_stored_not_the_callers_copy(cast, case_a, workflow, write):
    loaded_earlier = Case.objects.get(pk=case_a.pk)  # e.g. by a form page still open
    workflow.close(case_a, cast.csw_a)
    with refused(match="終結したケース"):
        write(cast.csw_a, loaded_earlier)
