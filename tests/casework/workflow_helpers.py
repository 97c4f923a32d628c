"""Helpers of the workflow tests (tests/casework/test_intake.py and its siblings): dates,
the people and records they build through the services, and `refused`, which checks that a
refusal changed nothing in the database."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework import services
from casework.models import (
    AccessLog,
    Assessment,
    Case,
    CaseAssignment,
    CaseShare,
    CaseStatusChange,
    CaseUserObjectPermission,
    ChangeItemScore,
    ClosureReason,
    ClosureRequest,
    ContactRecord,
    EmergencySupport,
    Household,
    HouseholdMember,
    Intake,
    Meeting,
    MonitoringEntry,
    MonitoringProgress,
    Person,
    PlanAction,
    Programme,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    Role,
    Screening,
    SupportPlan,
)
from tests.factories import StaffFactory

D = datetime.date
EMPLOYED = ProgrammeOutcome.Kind.EMPLOYED
INCOME_UP = ProgrammeOutcome.Kind.INCOME_UP


def today() -> datetime.date:
    return timezone.localdate()


def ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def ahead(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


# --- "nothing changed" ----------------------------------------------------------------------

_COUNTED = (
    Person,
    Case,
    CaseStatusChange,
    CaseAssignment,
    CaseShare,
    CaseUserObjectPermission,
    AccessLog,
    Intake,
    Screening,
    EmergencySupport,
    Assessment,
    SupportPlan,
    PlanAction,
    MonitoringEntry,
    ChangeItemScore,
    Meeting,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    ClosureRequest,
    Household,
    HouseholdMember,
    ContactRecord,
)


def _rows(model, *fields):
    return list(model.objects.order_by("pk").values_list("pk", *fields))


def _database_state() -> dict:
    """Everything a workflow refusal could have touched: row counts and the mutable fields."""
    return {
        "counts": {model.__name__: model.objects.count() for model in _COUNTED},
        "cases": _rows(Case, "status", "closed_on"),
        "plans": _rows(
            SupportPlan,
            "state",
            "long_term_goal",
            "short_term_goals",
            "period_start",
            "period_end",
            "next_monitoring_on",
            "submitted_at",
            "approved_by",
            "approved_at",
            "superseded_at",
            "return_note",
        ),
        "actions": _rows(
            PlanAction, "plan_id", "description", "frequency", "is_employment_support"
        ),
        "scores": _rows(ChangeItemScore, "plan_id", "entry_id", "item", "score"),
        "closures": _rows(ClosureRequest, "state", "decided_by", "decision_note"),
        "enrolments": _rows(ProgrammeEnrolment, "left_on"),
        "assignments": _rows(CaseAssignment, "worker_id", "ended_at"),
        "shares": _rows(CaseShare, "revoked_at"),
        "grants": sorted(
            CaseUserObjectPermission.objects.values_list(
                "user_id", "content_object_id", "permission__codename"
            )
        ),
        "households": _rows(HouseholdMember, "household_id", "person_id", "relation"),
    }


@contextlib.contextmanager
def refused(exc=ValidationError, match=None):
    """The block must raise `exc` (its message matching `match`) and change nothing."""
    before = _database_state()
    with pytest.raises(exc, match=match) as info:
        yield info
    assert _database_state() == before


def status_of(case) -> str:
    case.refresh_from_db()
    return case.status


def history_of(case) -> list[tuple]:
    return list(
        case.status_history.order_by("changed_at", "pk").values_list(
            "from_status", "to_status", "changed_by__username", "reason"
        )
    )


def make_person(actor, given_name="一郎", birth_date=None, **fields):
    return services.person_create(
        actor=actor,
        family_name=fields.pop("family_name", "佐藤"),
        given_name=given_name,
        family_name_kana=fields.pop("family_name_kana", "さとう"),
        given_name_kana=fields.pop("given_name_kana", "いちろう"),
        birth_date=birth_date or D(1975, 6, 1),
        **fields,
    )


def second_supervisor_a(cast):
    return StaffFactory(username="supervisor_a2", agency=cast.agency_a, role=Role.SUPERVISOR)


NOT_WORKING_ON_CASE_A = [
    "consultation_b",  # sees case_a through a share: view only
    "csw_b",  # cannot see case_a at all
    "supervisor_b",  # a supervisor, of the other agency
    "consultation_a",  # same agency, neither assigned nor shared
    "admin_a",  # no case role
    "indicator_officer",
    "outsider",
]


def monitor(actor, plan, **fields):
    values = {
        "monitored_on": today(),
        "progress": MonitoringProgress.ON_TRACK,
        "notes": "家計簿をつけ始めた。",
    }
    values.update(fields)
    return services.monitoring_add(actor=actor, plan=plan, **values)


def enrol_person(actor, case, person, programme=Programme.CHILD_STUDY, enrolled_on=None):
    return services.enrolment_add(
        actor=actor,
        case=case,
        person=person,
        programme=programme,
        enrolled_on=enrolled_on or ago(20),
    )


def request_closure(actor, case, reason=ClosureReason.GOAL_ACHIEVED, **fields):
    values = {"closing_on": ago(1)} | fields
    return services.closure_request_submit(actor=actor, case=case, reason=reason, **values)
