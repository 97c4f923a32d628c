"""The consultation workflow, state machine by state machine, through its services.

Every refusal is checked twice: the service raises (ValidationError with a message for the
user, or PermissionDenied), and afterwards nothing in the database has changed.
"""

import contextlib
import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from casework import services
from casework.access import case_permissions, cases_visible_to, meetings_visible_to
from casework.models import (
    AccessLog,
    Assessment,
    Case,
    CaseAssignment,
    CaseShare,
    CaseStatus,
    CaseStatusChange,
    CaseUserObjectPermission,
    ClosureReason,
    ClosureRequest,
    Concern,
    ContactRecord,
    EmergencyKind,
    EmergencySupport,
    GuardianshipNeed,
    Household,
    HouseholdMember,
    Intake,
    IntakeConsent,
    IntakeRoute,
    Meeting,
    MeetingKind,
    MonitoringEntry,
    MonitoringProgress,
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
from casework.wareki import fiscal_year_bounds
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
        "actions": _rows(PlanAction, "plan_id", "description", "frequency"),
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


def _status(case) -> str:
    case.refresh_from_db()
    return case.status


def _history(case) -> list[tuple]:
    return list(
        case.status_history.order_by("changed_at", "pk").values_list(
            "from_status", "to_status", "changed_by__username", "reason"
        )
    )


def _person(actor, given_name="一郎", birth_date=None, **fields):
    return services.person_create(
        actor=actor,
        family_name=fields.pop("family_name", "佐藤"),
        given_name=given_name,
        family_name_kana=fields.pop("family_name_kana", "さとう"),
        given_name_kana=fields.pop("given_name_kana", "いちろう"),
        birth_date=birth_date or D(1975, 6, 1),
        **fields,
    )


def _second_supervisor_a(cast):
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


# --- intake ----------------------------------------------------------------------------------


def test_intake_records_route_visitor_concerns_and_consent(cast):
    person = _person(cast.consultation_a)
    case = services.case_intake(
        actor=cast.consultation_a,
        person=person,
        received_on=ago(2),
        route=IntakeRoute.WATCH_NETWORK,
        main_concern=Concern.INCOME,
        other_concerns=[Concern.DEBT, Concern.INCOME, Concern.FOOD],
        chief_complaint="  家賃を3か月滞納している。  ",
        came_in_person=False,
        visitor_name=" 田中 一 ",
        visitor_relation="民生委員",
        consent_status=IntakeConsent.GIVEN,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    assert case.opened_on == ago(2)
    assert case.owning_agency == cast.agency_a
    assert case.main_concern == Concern.INCOME
    assert sorted(case.other_concerns.values_list("concern", flat=True)) == ["debt", "food"]
    intake = case.intake
    assert intake.received_on == ago(2)
    assert intake.received_by == cast.consultation_a
    assert intake.route == IntakeRoute.WATCH_NETWORK
    assert not intake.came_in_person
    assert (intake.visitor_name, intake.visitor_relation) == ("田中 一", "民生委員")
    assert intake.chief_complaint == "家賃を3か月滞納している。"
    assert intake.consent_status == IntakeConsent.GIVEN
    # The person who took the intake is the worker of the case.
    assert case in cases_visible_to(cast.consultation_a)
    assert list(case.status_history.all()) == []


def test_intake_by_the_person_keeps_no_visitor(cast):
    person = _person(cast.csw_a)
    case = services.case_intake(
        actor=cast.csw_a,
        person=person,
        received_on=today(),
        route=IntakeRoute.VISIT,
        main_concern=Concern.HOUSING,
        chief_complaint="住まいを探している。",
        came_in_person=True,
        visitor_name="誰か",
        visitor_relation="誰か",
    )
    assert case.intake.came_in_person
    assert (case.intake.visitor_name, case.intake.visitor_relation) == ("", "")
    assert case.intake.consent_status == IntakeConsent.PENDING
    assert _status(case) == CaseStatus.INTAKE


@pytest.mark.parametrize(
    ("visitor_name", "visitor_relation"),
    [("", ""), ("田中 一", ""), ("", "長男"), ("  ", "  ")],
)
def test_intake_by_someone_else_needs_their_name_and_relation(cast, visitor_name, visitor_relation):
    person = _person(cast.csw_a)
    with refused(match="氏名と本人との関係") as info:
        services.case_intake(
            actor=cast.csw_a,
            person=person,
            received_on=today(),
            route=IntakeRoute.PHONE,
            main_concern=Concern.CARE,
            chief_complaint="母の介護に疲れている。",
            came_in_person=False,
            visitor_name=visitor_name,
            visitor_relation=visitor_relation,
        )
    assert "visitor_name" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"route": "fax"},
        {"consent_status": "maybe"},
        {"chief_complaint": "   "},
        {"received_on": ahead(1)},
        {"other_concerns": ["not_a_concern"]},
    ],
    ids=["route", "consent", "complaint", "future", "concern"],
)
def test_an_invalid_intake_opens_no_case(cast, fields):
    person = _person(cast.csw_a)
    values = {
        "route": IntakeRoute.VISIT,
        "received_on": today(),
        "main_concern": Concern.INCOME,
        "chief_complaint": "生活費が足りない。",
    }
    values.update(fields)
    with refused():
        services.case_intake(actor=cast.csw_a, person=person, **values)


@pytest.mark.parametrize("name", ["admin_a", "indicator_officer", "outsider", "csw_b"])
def test_intake_refused_to_users_who_cannot_open_a_case_for_the_person(cast, name):
    person = _person(cast.csw_a)
    with refused(PermissionDenied):
        services.case_intake(
            actor=getattr(cast, name),
            person=person,
            received_on=today(),
            route=IntakeRoute.VISIT,
            main_concern=Concern.INCOME,
            chief_complaint="生活費が足りない。",
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
    assert _history(case_a) == [("intake", "closed", "csw_a", "情報提供のみで終了")]


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
    [(from_status, to_status, who, _reason)] = _history(case_a)
    assert (from_status, to_status, who) == ("intake", status, "csw_a")


def test_supervisor_of_the_owning_agency_may_screen(cast, case_a):
    services.screening_decide(
        actor=cast.supervisor_a, case=case_a, result="continue", decided_on=today()
    )
    assert _status(case_a) == CaseStatus.ASSESSMENT


def test_a_second_screening_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="refer")
    with refused(match="すでに記録"):
        services.screening_decide(
            actor=cast.csw_a, case=case_a, result="continue", decided_on=today()
        )
    assert _status(case_a) == CaseStatus.SCREENING


def test_screening_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.close(case_a, cast.csw_a, reason=ClosureReason.UNREACHABLE)
    assert _status(case_a) == CaseStatus.CLOSED
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
    assert _status(case_a) == CaseStatus.INTAKE  # no status move


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


# --- assessment ------------------------------------------------------------------------------


def test_assessments_are_versioned_and_earlier_versions_never_change(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    first = services.assessment_add(
        actor=cast.csw_a,
        case=case_a,
        assessed_on=ago(5),
        health="高血圧。通院は月1回。",
        housing="民間賃貸。家賃7万円。",
        income="年金のみ。",
        debt="消費者金融に30万円。",
        employment="無職。",
        family="長男(50代)と同居。",
        community="近所付き合いはない。",
        capacity="判断能力に問題はない。",
        guardianship_need=GuardianshipNeed.CONSIDER,
        summary="  家賃の滞納があり、家計の見直しが必要。 ",
    )
    assert first.version == 1
    assert first.summary == "家賃の滞納があり、家計の見直しが必要。"
    v1 = Assessment.objects.filter(pk=first.pk).values().get()

    second = workflow.assess(case_a, cast.csw_a, summary="長男の就労支援が必要。")
    third = workflow.assess(
        case_a,
        cast.supervisor_a,
        summary="長男からの経済的虐待の疑い。",
        abuse_suspected=True,
        abuse_note="年金を長男が管理し、本人に渡していない。",
    )
    assert [second.version, third.version] == [2, 3]
    assert list(case_a.assessments.values_list("version", flat=True)) == [3, 2, 1]
    assert Assessment.objects.filter(pk=first.pk).values().get() == v1
    assert Assessment.objects.get(pk=second.pk).summary == "長男の就労支援が必要。"
    assert third.author == cast.supervisor_a
    assert _status(case_a) == CaseStatus.ASSESSMENT


def test_assessment_before_screening_is_refused(cast, case_a, workflow):
    with refused(match="スクリーニングを記録"):
        workflow.assess(case_a, cast.csw_a)


def test_assessment_moves_a_referred_case_to_assessment(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="refer")
    assert _status(case_a) == CaseStatus.SCREENING
    workflow.assess(case_a, cast.csw_a)
    assert _status(case_a) == CaseStatus.ASSESSMENT
    assert [(f, t) for f, t, _who, _why in _history(case_a)] == [
        ("intake", "screening"),
        ("screening", "assessment"),
    ]


@pytest.mark.parametrize("note", ["", "   "])
def test_suspected_abuse_must_be_described(cast, case_a, workflow, note):
    workflow.screen(case_a, cast.csw_a)
    with refused(match="虐待の疑い") as info:
        workflow.assess(case_a, cast.csw_a, abuse_suspected=True, abuse_note=note)
    assert "abuse_note" in info.value.message_dict


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_assessment_date_must_be_between_opening_and_today(cast, case_a, workflow, when):
    workflow.screen(case_a, cast.csw_a)
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        services.assessment_add(actor=cast.csw_a, case=case_a, assessed_on=day, summary="所見")
    assert "assessed_on" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [{"summary": "  "}, {"summary": "所見", "guardianship_need": "unknown"}],
    ids=["no_summary", "guardianship"],
)
def test_invalid_assessment_is_refused(cast, case_a, workflow, fields):
    workflow.screen(case_a, cast.csw_a)
    with refused():
        services.assessment_add(actor=cast.csw_a, case=case_a, assessed_on=today(), **fields)


def test_assessment_with_an_unknown_field_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    with refused(TypeError):
        workflow.assess(case_a, cast.csw_a, version=7)


def test_assessment_on_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="info_only")
    with refused(match="終結したケース"):
        workflow.assess(case_a, cast.csw_a)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "consultation_a"])
def test_assessment_needs_the_right_to_work_on_the_case(cast, case_a, workflow, name):
    workflow.screen(case_a, cast.csw_a)
    with refused(PermissionDenied):
        workflow.assess(case_a, getattr(cast, name))


# --- support plans ---------------------------------------------------------------------------


@pytest.fixture
def assessed(cast, case_a, workflow):
    """case_a screened (continue) and assessed once, by csw_a."""
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    return case_a


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
    assert _status(case) == CaseStatus.ASSESSMENT
    plan = workflow.draft_plan(case, cast.csw_a, services_used="  家計改善支援事業 ")
    assert (plan.version, plan.state, plan.author) == (1, PlanState.DRAFT, cast.csw_a)
    assert plan.assessment == case.assessments.get()
    assert plan.services_used == "家計改善支援事業"
    assert list(plan.actions.values_list("description", "frequency")) == [("家計相談", "月1回")]
    assert plan.is_editable
    assert _status(case) == CaseStatus.PLANNING

    services.plan_submit(actor=cast.csw_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert plan.submitted_at is not None
    assert _status(case) == CaseStatus.PLANNING

    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert plan.approved_by == cast.supervisor_a
    assert plan.approved_at is not None
    assert not plan.is_editable
    assert _status(case) == CaseStatus.SUPPORT
    assert [(f, t, who) for f, t, who, _why in _history(case)] == [
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

    colleague = _second_supervisor_a(cast)
    services.plan_approve(actor=colleague, plan=plan)
    plan.refresh_from_db()
    assert (plan.state, plan.author, plan.approved_by) == (
        PlanState.APPROVED,
        cast.supervisor_a,
        colleague,
    )
    assert _status(case) == CaseStatus.SUPPORT


def test_approving_a_draft_is_refused(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    with refused(match="提出されたプランだけ"):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)


def test_approving_an_approved_plan_again_is_refused(cast, assessed, workflow):
    plan = workflow.approved_plan(assessed, cast.csw_a)
    with refused(match="提出されたプランだけ"):
        services.plan_approve(actor=_second_supervisor_a(cast), plan=plan)


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
    assert _status(assessed) == CaseStatus.SUPPORT


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
    assert _status(assessed) == CaseStatus.SUPPORT


def test_revising_an_approved_plan_needs_a_reassessment(cast, assessed, workflow):
    workflow.approved_plan(assessed, cast.csw_a)
    with refused(match="再アセスメント"):
        workflow.draft_plan(assessed, cast.csw_a)
    workflow.assess(assessed, cast.csw_a)
    plan = workflow.draft_plan(assessed, cast.csw_a)
    assert (plan.version, plan.state) == (2, PlanState.DRAFT)
    # Writing the new version does not take the case out of support.
    assert _status(assessed) == CaseStatus.SUPPORT


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


# --- monitoring ------------------------------------------------------------------------------


@pytest.fixture
def in_support(cast, case_a, workflow):
    """case_a with an approved plan (v1, period from today, monitoring due in 30 days)."""
    plan = workflow.to_support(case_a, cast.csw_a)
    return SimpleNamespace(case=case_a, plan=plan)


def _monitor(actor, plan, **fields):
    values = {
        "monitored_on": today(),
        "progress": MonitoringProgress.ON_TRACK,
        "notes": "家計簿をつけ始めた。",
    }
    values.update(fields)
    return services.monitoring_add(actor=actor, plan=plan, **values)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_monitoring_a_draft_plan_is_refused(cast, assessed, workflow, state):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    if state == "submitted":
        services.plan_submit(actor=cast.csw_a, plan=plan)
    with refused(match="承認済みで有効なプラン"):
        _monitor(cast.csw_a, plan)


def test_monitoring_a_superseded_plan_is_refused(cast, in_support, workflow):
    workflow.assess(in_support.case, cast.csw_a)
    workflow.approved_plan(in_support.case, cast.csw_a)
    in_support.plan.refresh_from_db()
    assert in_support.plan.state == PlanState.SUPERSEDED
    with refused(match="承認済みで有効なプラン"):
        _monitor(cast.csw_a, in_support.plan)


def test_monitoring_the_approved_plan_moves_its_next_date_and_the_case(cast, in_support):
    plan, case = in_support.plan, in_support.case
    assert plan.next_monitoring_on == ahead(30)
    entry = _monitor(cast.csw_a, plan, next_monitoring_on=ahead(60), notes=" 順調。 ")
    assert (entry.author, entry.notes, entry.kind) == (cast.csw_a, "順調。", "monitoring")
    plan.refresh_from_db()
    assert plan.next_monitoring_on == ahead(60)
    assert plan.state == PlanState.APPROVED
    assert _status(case) == CaseStatus.MONITORING
    assert _history(case)[-1] == ("support", "monitoring", "csw_a", "モニタリング")

    # An evaluation without a next date leaves the schedule and the status as they are.
    _monitor(
        cast.supervisor_a,
        plan,
        kind=MonitoringEntry.Kind.EVALUATION,
        progress=MonitoringProgress.ACHIEVED,
    )
    plan.refresh_from_db()
    assert plan.next_monitoring_on == ahead(60)
    assert _status(case) == CaseStatus.MONITORING
    assert plan.monitoring.count() == 2


@pytest.mark.parametrize("next_on", [0, -1], ids=["same_day", "before"])
def test_next_monitoring_date_must_follow_the_monitoring(cast, in_support, next_on):
    with refused(match="実施日より後") as info:
        _monitor(
            cast.csw_a,
            in_support.plan,
            next_monitoring_on=today() + datetime.timedelta(days=next_on),
        )
    assert "next_monitoring_on" in info.value.message_dict
    assert _status(in_support.case) == CaseStatus.SUPPORT


@pytest.mark.parametrize("when", ["future", "before_period"])
def test_monitoring_date_must_be_within_the_plan_and_not_in_the_future(cast, in_support, when):
    day = ahead(1) if when == "future" else ago(1)  # the plan period starts today
    with refused() as info:
        _monitor(cast.csw_a, in_support.plan, monitored_on=day)
    assert "monitored_on" in info.value.message_dict


@pytest.mark.parametrize("fields", [{"progress": "great"}, {"notes": " "}, {"kind": "audit"}])
def test_invalid_monitoring_is_refused(cast, in_support, fields):
    with refused():
        _monitor(cast.csw_a, in_support.plan, **fields)


def test_monitoring_on_a_closed_case_is_refused(cast, in_support, workflow):
    workflow.close(in_support.case, cast.csw_a)
    with refused(match="終結したケース"):
        _monitor(cast.csw_a, in_support.plan)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "supervisor_b"])
def test_monitoring_needs_the_right_to_work_on_the_case(cast, in_support, name):
    with refused(PermissionDenied):
        _monitor(getattr(cast, name), in_support.plan)


# --- programme enrolments --------------------------------------------------------------------


@pytest.fixture
def family(cast, case_a):
    """case_a's person (born 1944) heads a household with her grandson and her son."""
    grandson = _person(cast.csw_a, "陽太", D(2014, 6, 1), given_name_kana="ようた")
    son = _person(cast.csw_a, "一郎", D(1974, 2, 1))
    for member, relation in ((grandson, Relation.GRANDCHILD), (son, Relation.CHILD)):
        services.household_link(
            actor=cast.csw_a,
            person=case_a.person,
            person_relation=Relation.HEAD,
            member=member,
            member_relation=relation,
        )
    return SimpleNamespace(case=case_a, child=grandson, son=son)


def _enrol(actor, case, person, programme=Programme.CHILD_STUDY, enrolled_on=None):
    return services.enrolment_add(
        actor=actor,
        case=case,
        person=person,
        programme=programme,
        enrolled_on=enrolled_on or ago(20),
    )


def test_a_child_of_the_household_enrols_in_the_study_programme(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.child)
    assert (enrolment.person, enrolment.case, enrolment.left_on) == (
        family.child,
        family.case,
        None,
    )
    assert enrolment.recorded_by == cast.csw_a
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(1))
    enrolment.refresh_from_db()
    assert enrolment.left_on == ago(1)


def test_the_case_person_and_an_adult_of_the_household_enrol_in_employment(cast, family):
    son = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    mother = _enrol(cast.csw_a, family.case, family.case.person, Programme.EMPLOYMENT)
    assert {son.person, mother.person} == {family.son, family.case.person}


def test_enrolling_a_person_outside_the_household_is_refused(cast, family):
    stranger = _person(cast.csw_a, "健太", D(2013, 1, 1), given_name_kana="けんた")
    with refused(match="同じ世帯") as info:
        _enrol(cast.csw_a, family.case, stranger)
    assert "person" in info.value.message_dict


def test_enrolling_anyone_else_when_the_person_has_no_household_is_refused(cast, case_a):
    child = _person(cast.csw_a, "健太", D(2013, 1, 1), given_name_kana="けんた")
    with refused(match="同じ世帯"):
        _enrol(cast.csw_a, case_a, child)


def test_an_adult_cannot_enrol_in_the_study_programme(cast, family):
    with refused(match="参加者は子ども"):
        _enrol(cast.csw_a, family.case, family.son)
    with refused(match="参加者は子ども"):
        _enrol(cast.csw_a, family.case, family.case.person)


def test_the_study_programme_takes_a_member_until_the_day_they_turn_twenty(cast, family):
    twentieth = ago(5)
    nephew = _person(
        cast.csw_a,
        "翔",
        twentieth.replace(year=twentieth.year - 20),
        given_name_kana="しょう",
    )
    services.household_link(
        actor=cast.csw_a,
        person=family.case.person,
        person_relation=Relation.HEAD,
        member=nephew,
        member_relation=Relation.OTHER_RELATIVE,
    )
    with refused(match="参加者は子ども"):
        _enrol(cast.csw_a, family.case, nephew, enrolled_on=twentieth)
    enrolment = _enrol(cast.csw_a, family.case, nephew, enrolled_on=ago(6))
    assert enrolment.enrolled_on == ago(6)


def test_an_enrolment_before_the_case_opened_is_refused(cast, family):
    with refused(match="受付日より前") as info:
        _enrol(
            cast.csw_a,
            family.case,
            family.child,
            enrolled_on=family.case.opened_on - datetime.timedelta(days=1),
        )
    assert "enrolled_on" in info.value.message_dict


def test_a_second_open_enrolment_in_the_same_programme_is_refused(cast, family):
    first = _enrol(cast.csw_a, family.case, family.child, enrolled_on=ago(20))
    with refused(match="すでにこの事業に登録"):
        _enrol(cast.csw_a, family.case, family.child, enrolled_on=ago(5))
    services.enrolment_leave(actor=cast.csw_a, enrolment=first, left_on=ago(10))
    again = _enrol(cast.csw_a, family.case, family.child, enrolled_on=ago(5))
    assert again.pk != first.pk


def test_leaving_before_enrolling_is_refused(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.child, enrolled_on=ago(20))
    with refused(match="終了日は登録日より後") as info:
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(21))
    assert "left_on" in info.value.message_dict
    # Leaving on the day of enrolment is allowed.
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(20))


def test_leaving_twice_or_in_the_future_is_refused(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.child)
    with refused() as info:
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ahead(1))
    assert "left_on" in info.value.message_dict
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(1))
    with refused(match="すでに終了"):
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=today())


def test_enrolment_in_the_future_or_in_an_unknown_programme_is_refused(cast, family):
    with refused() as info:
        _enrol(cast.csw_a, family.case, family.child, enrolled_on=ahead(1))
    assert "enrolled_on" in info.value.message_dict
    with refused():
        _enrol(cast.csw_a, family.case, family.son, programme="cooking")


def test_enrolment_on_a_closed_case_is_refused(cast, family, workflow):
    workflow.screen(family.case, cast.csw_a, result="info_only")
    with refused(match="終結したケース"):
        _enrol(cast.csw_a, family.case, family.child)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "consultation_a"])
def test_enrolments_need_the_right_to_work_on_the_case(cast, family, name):
    actor = getattr(cast, name)
    with refused(PermissionDenied):
        _enrol(actor, family.case, family.child)
    enrolment = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    with refused(PermissionDenied):
        services.enrolment_leave(actor=actor, enrolment=enrolment, left_on=today())
    with refused(PermissionDenied):
        services.outcome_add(actor=actor, enrolment=enrolment, kind=EMPLOYED, achieved_on=today())


def test_outcomes_are_recorded_for_the_employment_programme(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT, ago(25))
    work = services.outcome_add(
        actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(10), note=" 週3日 "
    )
    more = services.outcome_add(
        actor=cast.csw_a, enrolment=enrolment, kind=INCOME_UP, achieved_on=ago(10)
    )
    assert (work.note, work.recorded_by) == ("週3日", cast.csw_a)
    assert list(enrolment.outcomes.order_by("pk")) == [work, more]
    assert [o.kind for o in (work, more)] == [EMPLOYED, INCOME_UP]


def test_outcomes_are_refused_for_the_study_programme(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.child)
    with refused(match="自立支援プログラムにだけ"):
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=today()
        )


def test_an_outcome_before_enrolment_is_refused(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT, ago(20))
    with refused(match="達成日は登録日以降") as info:
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(21)
        )
    assert "achieved_on" in info.value.message_dict


@pytest.mark.parametrize("fields", [{"achieved_on": ahead(1)}, {"kind": "promoted"}])
def test_an_outcome_in_the_future_or_of_an_unknown_kind_is_refused(cast, family, fields):
    enrolment = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    values = {"kind": EMPLOYED, "achieved_on": today()} | fields
    with refused():
        services.outcome_add(actor=cast.csw_a, enrolment=enrolment, **values)


def test_a_duplicate_outcome_is_refused(cast, family):
    enrolment = _enrol(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    services.outcome_add(actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(3))
    with refused(match="同じ成果"):
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(3)
        )


# --- the two indicator questions, one query each ----------------------------------------------


def children_registered_in(fy: int) -> list[int]:
    """The children in the study programme at any time in fiscal year `fy`, each once."""
    start, end = fiscal_year_bounds(fy)
    return list(
        ProgrammeEnrolment.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start),
            programme=Programme.CHILD_STUDY,
            enrolled_on__lte=end,
        )
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )


def found_work_in(fy: int) -> list[int]:
    """The people who found work through the employment programme in fiscal year `fy`."""
    start, end = fiscal_year_bounds(fy)
    return list(
        ProgrammeOutcome.objects.filter(
            kind=EMPLOYED,
            enrolment__programme=Programme.EMPLOYMENT,
            achieved_on__range=(start, end),
        )
        .order_by("enrolment__person_id")
        .values_list("enrolment__person_id", flat=True)
        .distinct()
    )


def test_children_registered_in_a_fiscal_year_is_one_query(
    cast, open_case, django_assert_num_queries
):
    case = open_case(cast.csw_a, opened_on=D(2023, 4, 1))
    head = case.person

    def child(name, kana, born):
        person = _person(cast.csw_a, name, born, given_name_kana=kana)
        services.household_link(
            actor=cast.csw_a,
            person=head,
            person_relation=Relation.HEAD,
            member=person,
            member_relation=Relation.GRANDCHILD,
        )
        return person

    across = child("一", "はじめ", D(2012, 5, 5))  # across the FY2024/FY2025 boundary
    twice = child("二葉", "ふたば", D(2013, 6, 6))  # twice in FY2024, still enrolled
    new = child("三郎", "さぶろう", D(2014, 7, 7))  # from the first day of FY2025
    earlier = child("四季", "しき", D(2011, 8, 8))  # left on the last day of FY2023
    adult = child("五郎", "ごろう", D(1990, 9, 9))  # in the employment programme

    def enrol(person, enrolled_on, left_on=None, programme=Programme.CHILD_STUDY):
        enrolment = _enrol(cast.csw_a, case, person, programme, enrolled_on)
        if left_on:
            services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=left_on)

    enrol(across, D(2024, 10, 1), D(2025, 6, 30))
    enrol(twice, D(2024, 5, 1), D(2024, 7, 31))
    enrol(twice, D(2024, 12, 1))
    enrol(new, D(2025, 4, 1))
    enrol(earlier, D(2023, 4, 10), D(2024, 3, 31))
    enrol(adult, D(2024, 6, 1), programme=Programme.EMPLOYMENT)

    with django_assert_num_queries(1):
        fy2024 = children_registered_in(2024)
    with django_assert_num_queries(1):
        fy2025 = children_registered_in(2025)
    assert fy2024 == sorted([across.pk, twice.pk])
    assert fy2025 == sorted([across.pk, twice.pk, new.pk])
    assert children_registered_in(2023) == [earlier.pk]
    assert children_registered_in(2022) == []


def test_people_who_found_work_in_a_fiscal_year_is_one_query(
    cast, open_case, django_assert_num_queries
):
    def participant(name, kana):
        """A case of its own, opened before the fiscal years counted."""
        return open_case(
            cast.csw_a,
            opened_on=D(2024, 1, 10),
            given_name=name,
            given_name_kana=kana,
            birth_date=D(1980, 1, 1),
        )

    def enrol(case, enrolled_on):
        return _enrol(cast.csw_a, case, case.person, Programme.EMPLOYMENT, enrolled_on)

    def outcome(enrolment, kind, on):
        services.outcome_add(actor=cast.csw_a, enrolment=enrolment, kind=kind, achieved_on=on)

    march = participant("三月", "さんがつ")  # found work on the last day of FY2024
    april = participant("四月", "しがつ")  # found work on the first day of FY2025
    twice = participant("二度", "にど")  # two enrolments, work in both, all in FY2024
    income = participant("増収", "ぞうしゅう")  # only more income

    enrolment = enrol(march, D(2024, 4, 1))
    outcome(enrolment, EMPLOYED, D(2025, 3, 31))
    outcome(enrolment, INCOME_UP, D(2025, 4, 1))
    outcome(enrol(april, D(2024, 6, 1)), EMPLOYED, D(2025, 4, 1))
    first = enrol(twice, D(2024, 5, 1))
    outcome(first, EMPLOYED, D(2024, 8, 1))
    services.enrolment_leave(actor=cast.csw_a, enrolment=first, left_on=D(2024, 9, 30))
    outcome(enrol(twice, D(2024, 11, 1)), EMPLOYED, D(2025, 1, 15))
    outcome(enrol(income, D(2024, 5, 1)), INCOME_UP, D(2024, 10, 1))

    with django_assert_num_queries(1):
        fy2024 = found_work_in(2024)
    with django_assert_num_queries(1):
        fy2025 = found_work_in(2025)
    assert fy2024 == sorted([march.person_id, twice.person_id])
    assert fy2025 == [april.person_id]
    assert found_work_in(2023) == []


# --- closure and reopening -------------------------------------------------------------------


def _request_closure(actor, case, reason=ClosureReason.GOAL_ACHIEVED, **fields):
    values = {"closing_on": ago(1)} | fields
    return services.closure_request(actor=actor, case=case, reason=reason, **values)


def test_an_approved_closure_closes_the_case_on_the_closing_date(cast, in_support):
    case = in_support.case
    request = _request_closure(cast.csw_a, case, note=" 家計が安定した。 ", closing_on=ago(2))
    assert (request.state, request.requested_by, request.note) == (
        ClosureRequest.State.PENDING,
        cast.csw_a,
        "家計が安定した。",
    )
    assert _status(case) == CaseStatus.SUPPORT  # a request alone closes nothing

    services.closure_decide(actor=cast.supervisor_a, request=request, approve=True)
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (ClosureRequest.State.APPROVED, cast.supervisor_a)
    assert request.decided_at is not None
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, ago(2))
    assert _history(case)[-1] == ("support", "closed", "supervisor_a", "目標達成")


def test_a_pending_closure_request_blocks_a_second(cast, case_a):
    _request_closure(cast.csw_a, case_a)
    with refused(match="すでに申請"):
        _request_closure(cast.supervisor_a, case_a, reason=ClosureReason.MOVED)


def test_information_only_is_not_a_closure_reason(cast, case_a):
    with refused(match="スクリーニングで記録") as info:
        _request_closure(cast.csw_a, case_a, reason=ClosureReason.INFO_ONLY)
    assert "reason" in info.value.message_dict


def test_closing_for_another_reason_needs_a_note(cast, case_a):
    with refused(match="説明を入力") as info:
        _request_closure(cast.csw_a, case_a, reason=ClosureReason.OTHER, note="  ")
    assert "note" in info.value.message_dict
    request = _request_closure(cast.csw_a, case_a, reason=ClosureReason.OTHER, note="施設に入所")
    assert request.note == "施設に入所"


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_closing_date_must_be_between_opening_and_today(cast, case_a, when):
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        _request_closure(cast.csw_a, case_a, closing_on=day)
    assert "closing_on" in info.value.message_dict


def test_an_unknown_closure_reason_is_refused(cast, case_a):
    with refused():
        _request_closure(cast.csw_a, case_a, reason="bored")


def test_requesting_closure_of_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.close(case_a, cast.csw_a)
    with refused(match="終結したケース"):
        _request_closure(cast.csw_a, case_a)


@pytest.mark.parametrize("name", NOT_WORKING_ON_CASE_A)
def test_requesting_closure_needs_the_right_to_work_on_the_case(cast, case_a, name):
    with refused(PermissionDenied):
        _request_closure(getattr(cast, name), case_a)


@pytest.mark.parametrize("name", ["csw_a", "consultation_a", "supervisor_b", "consultation_b"])
@pytest.mark.parametrize("approve", [True, False])
def test_only_a_supervisor_of_the_owning_agency_decides_a_closure(cast, case_a, name, approve):
    request = _request_closure(cast.csw_a, case_a)
    with refused(PermissionDenied):
        services.closure_decide(
            actor=getattr(cast, name), request=request, approve=approve, note="理由"
        )
    assert _status(case_a) == CaseStatus.INTAKE


@pytest.mark.parametrize("note", ["", "  "])
def test_rejecting_a_closure_needs_a_note(cast, case_a, note):
    request = _request_closure(cast.csw_a, case_a)
    with refused(match="差し戻しの理由") as info:
        services.closure_decide(actor=cast.supervisor_a, request=request, approve=False, note=note)
    assert "note" in info.value.message_dict


def test_a_rejected_closure_leaves_the_case_open(cast, in_support):
    case = in_support.case
    request = _request_closure(cast.csw_a, case)
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
    _request_closure(cast.csw_a, case)


@pytest.mark.parametrize("first", [True, False], ids=["approved", "rejected"])
@pytest.mark.parametrize("second", [True, False], ids=["approve", "reject"])
def test_a_closure_request_is_decided_only_once(cast, case_a, first, second):
    request = _request_closure(cast.csw_a, case_a)
    services.closure_decide(actor=cast.supervisor_a, request=request, approve=first, note="判断")
    # After an approval the case is closed, which refuses first.
    with refused(match="すでに判断|終結したケース"):
        services.closure_decide(
            actor=_second_supervisor_a(cast), request=request, approve=second, note="判断"
        )


def test_a_closed_case_keeps_no_pending_closure_request(cast, case_a):
    _request_closure(cast.csw_a, case_a, reason=ClosureReason.UNREACHABLE)
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
    return _enrol(actor, case, case.person, Programme.EMPLOYMENT)


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


def test_reopening_keeps_the_history_and_returns_to_support_with_an_approved_plan(
    cast, in_support, workflow
):
    case = in_support.case
    _monitor(cast.csw_a, in_support.plan)
    workflow.close(case, cast.csw_a, reason=ClosureReason.PERSON_WISH)
    services.case_reopen(actor=cast.supervisor_a, case=case, reason=" 本人から再度の相談。 ")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.SUPPORT, None)
    assert [(f, t, who, why) for f, t, who, why in _history(case)][-2:] == [
        ("monitoring", "closed", "supervisor_a", "本人の希望"),
        ("closed", "support", "supervisor_a", "本人から再度の相談。"),
    ]
    assert len(_history(case)) == 6
    # The closure request stays on record as approved, and a new one may be made.
    assert case.closure_requests.get().state == ClosureRequest.State.APPROVED
    in_support.plan.refresh_from_db()
    assert in_support.plan.state == PlanState.APPROVED
    _monitor(cast.csw_a, in_support.plan)
    _request_closure(cast.csw_a, case)


def test_reopening_without_an_approved_plan_returns_to_assessment(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="info_only")
    services.case_reopen(actor=cast.supervisor_a, case=case_a, reason="本人が再来所した")
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closed_on) == (CaseStatus.ASSESSMENT, None)
    assert _history(case_a) == [
        ("intake", "closed", "csw_a", "情報提供のみで終了"),
        ("closed", "assessment", "supervisor_a", "本人が再来所した"),
    ]
    # The work goes on where it stopped.
    workflow.assess(case_a, cast.csw_a)
    workflow.draft_plan(case_a, cast.csw_a)
    assert _status(case_a) == CaseStatus.PLANNING


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


# --- households ------------------------------------------------------------------------------


def test_household_link_puts_two_persons_in_one_household(cast, case_a):
    son = _person(cast.csw_a, "一郎", D(1974, 2, 1))
    household = services.household_link(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation=Relation.HEAD,
        member=son,
        member_relation=Relation.CHILD,
    )
    assert household.registered_by_agency == cast.agency_a
    assert list(household.members.values_list("person", "relation")) == [
        (case_a.person.pk, "head"),
        (son.pk, "child"),
    ]
    # A third person joins the same household, from either side.
    grandson = _person(cast.csw_a, "陽太", D(2014, 6, 1))
    again = services.household_link(
        actor=cast.csw_a,
        person=grandson,
        person_relation=Relation.GRANDCHILD,
        member=son,
        member_relation=Relation.CHILD,
    )
    assert again == household
    assert household.members.count() == 3
    assert Household.objects.count() == 1


def test_linking_a_person_already_in_another_household_is_refused(cast, case_a):
    def couple(a, b):
        return services.household_link(
            actor=cast.csw_a,
            person=a,
            person_relation=Relation.HEAD,
            member=b,
            member_relation=Relation.SPOUSE,
        )

    p1, p2, p3, p4 = (_person(cast.csw_a, f"{n}郎", D(1960, 1, n)) for n in (1, 2, 3, 4))
    couple(p1, p2)
    couple(p3, p4)
    with refused(match="別の世帯") as info:
        couple(p1, p3)
    assert "member" in info.value.message_dict
    with refused(match="すでに同じ世帯"):
        couple(p2, p1)


def test_linking_a_person_to_themselves_or_with_an_unknown_relation_is_refused(cast, case_a):
    son = _person(cast.csw_a, "一郎", D(1974, 2, 1))
    with refused(match="同じ方"):
        services.household_link(
            actor=cast.csw_a,
            person=son,
            person_relation=Relation.HEAD,
            member=son,
            member_relation=Relation.CHILD,
        )
    for person_relation, member_relation in (("boss", "child"), ("head", "pet")):
        with refused(match="続柄"):
            services.household_link(
                actor=cast.csw_a,
                person=case_a.person,
                person_relation=person_relation,
                member=son,
                member_relation=member_relation,
            )


@pytest.mark.parametrize("name", ["csw_b", "consultation_b", "supervisor_b", "consultation_a"])
def test_household_link_refuses_persons_the_actor_cannot_see(cast, case_a, name):
    actor = getattr(cast, name)
    own = _person(actor, "次郎", D(1970, 1, 1))
    # consultation_b sees case_a's person through the share, but not a person agency A
    # registered without a case; the others do not see case_a's person at all.
    hidden = _person(cast.csw_a, "三郎", D(1972, 1, 1)) if name == "consultation_b" else None
    hidden = hidden or case_a.person
    for person, member in ((own, hidden), (hidden, own)):
        with refused(PermissionDenied):
            services.household_link(
                actor=actor,
                person=person,
                person_relation=Relation.HEAD,
                member=member,
                member_relation=Relation.SIBLING,
            )


def test_household_link_needs_a_case_role(cast):
    a = _person(cast.csw_a, "一郎", D(1974, 2, 1))
    b = _person(cast.csw_a, "二郎", D(1976, 2, 1))
    for name in ("admin_a", "indicator_officer", "outsider"):
        with refused(PermissionDenied):
            services.household_link(
                actor=getattr(cast, name),
                person=a,
                person_relation=Relation.HEAD,
                member=b,
                member_relation=Relation.SIBLING,
            )


# --- meetings --------------------------------------------------------------------------------


def _meeting(actor, cases, agencies, **fields):
    values = {
        "kind": MeetingKind.SUPPORT_MEETING,
        "held_on": ago(1),
        "title": " 8050世帯の支援方針 ",
        "decisions": "包括が長男の就労相談につなぐ。",
    }
    values.update(fields)
    return services.meeting_record(actor=actor, attending_agencies=agencies, cases=cases, **values)


def test_a_meeting_is_convened_by_the_actors_agency(cast, case_a):
    meeting = _meeting(cast.csw_a, [case_a], [cast.agency_a, cast.agency_b])
    assert meeting.convening_agency == cast.agency_a
    assert meeting.recorded_by == cast.csw_a
    assert meeting.title == "8050世帯の支援方針"
    assert list(meeting.cases.all()) == [case_a]
    assert set(meeting.attending_agencies.all()) == {cast.agency_a, cast.agency_b}
    # A viewer from another agency may record a meeting about a case it sees: it is theirs.
    theirs = _meeting(cast.consultation_b, [case_a], [cast.agency_b])
    assert theirs.convening_agency == cast.agency_b


def test_a_meeting_about_a_case_the_actor_cannot_see_is_refused(cast, case_a, open_case):
    case_b = open_case(cast.csw_b, given_name="次郎")
    for actor, cases in (
        (cast.csw_b, [case_a]),
        (cast.csw_b, [case_b, case_a]),
        (cast.consultation_a, [case_a]),
        (cast.csw_a, []),
    ):
        with refused(match="閲覧できるケース") as info:
            _meeting(actor, cases, [cast.agency_b])
        assert "cases" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"held_on": ahead(1)},
        {"kind": "party"},
        {"decisions": "  "},
        {"title": " "},
    ],
    ids=["future", "kind", "decisions", "title"],
)
def test_an_invalid_meeting_is_refused(cast, case_a, fields):
    with refused():
        _meeting(cast.csw_a, [case_a], [cast.agency_a], **fields)


def test_a_meeting_without_attending_agencies_is_refused(cast, case_a):
    with refused(match="出席機関") as info:
        _meeting(cast.csw_a, [case_a], [])
    assert "attending_agencies" in info.value.message_dict


@pytest.mark.parametrize("name", ["admin_a", "indicator_officer", "outsider"])
def test_a_meeting_needs_a_case_role(cast, case_a, name):
    with refused(PermissionDenied):
        _meeting(getattr(cast, name), [case_a], [cast.agency_a])


def test_another_agency_sees_a_meeting_only_through_a_case_it_can_see(cast, case_a):
    meeting = _meeting(cast.csw_a, [case_a], [cast.agency_a, cast.agency_b])

    def who_sees():
        return {
            name
            for name, user in cast.roles().items()
            if meetings_visible_to(user).filter(pk=meeting.pk).exists()
        }

    # Those who see case_a (consultation_b through the share), the recorder and the
    # convening agency's supervisor; not consultation_a, nor the rest of agency B although
    # agency B attended: the minutes name the person.
    assert who_sees() == {"csw_a", "supervisor_a", "consultation_b"}

    share = CaseShare.objects.get(case=case_a, user=cast.consultation_b)
    services.share_revoke(actor=cast.csw_a, share=share, reason="本人の希望")
    assert who_sees() == {"csw_a", "supervisor_a"}
