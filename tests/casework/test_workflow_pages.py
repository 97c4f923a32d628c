"""The workflow through its pages: forms, refusals next to the field."""

import datetime

from casework import access, services
from casework.models import (
    Assessment,
    Case,
    CaseStatus,
    ClosureRequest,
    Household,
    Meeting,
    Person,
    PlanState,
    SupportPlan,
)
from tests.casework.page_helpers import TODAY, url


def _intake_data(**overrides):
    data = {
        "person-family_name": "鈴木",
        "person-given_name": "太郎",
        "person-family_name_kana": "すずき",
        "person-given_name_kana": "たろう",
        "person-birth_date": "1960-01-02",
        "person-sex": "male",
        "case-opened_on": TODAY().isoformat(),
        "case-route": "visit",
        "case-came_in_person": "1",
        "case-main_concern": "income",
        "case-chief_complaint": "仕事を失い、家賃が払えない。",
        "case-consent_status": "pending",
    }
    data.update(overrides)
    return data


def test_intake_shows_likely_duplicates_before_creating_a_person(client, cast, open_case):
    existing = open_case(
        cast.csw_a,
        family_name="鈴木",
        given_name="太郎",
        family_name_kana="すずき",
        given_name_kana="たろう",
    )
    client.force_login(cast.csw_a)
    response = client.post(url("case_open"), _intake_data())
    assert response.status_code == 200
    assert response.context["duplicates"] == [existing.person]
    assert Person.objects.count() == 1
    # Confirmed as a different person than the one shown: created.
    seen = response.context["confirm_form"].initial["seen"]
    assert seen == str(existing.person.pk)
    response = client.post(
        url("case_open"), _intake_data(**{"confirm-confirm_new": "on", "confirm-seen": seen})
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_intake_never_reveals_a_person_of_another_agency(client, cast, open_case):
    open_case(
        cast.csw_b,
        family_name="鈴木",
        given_name="太郎",
        family_name_kana="すずき",
        given_name_kana="たろう",
    )
    client.force_login(cast.csw_a)
    response = client.post(url("case_open"), _intake_data())
    assert response.status_code == 302  # no duplicate shown: agency A may not see it
    assert Person.objects.count() == 2


def test_intake_by_someone_else_needs_their_name_and_relation(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(url("case_open"), _intake_data(**{"case-came_in_person": "0"}))
    assert response.status_code == 400
    errors = response.context["case_form"].errors
    assert "visitor_name" in errors and "visitor_relation" in errors
    assert not Case.objects.exists() and not Person.objects.exists()


def test_screening_page_records_the_result(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        url("screening_new", case), {"result": "continue", "decided_on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_second_screening_is_refused_above_the_form(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        url("screening_new", case), {"result": "info_only", "decided_on": TODAY().isoformat()}
    )
    assert response.status_code == 400
    assert "すでに記録" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_assessment_page_prefills_from_the_last_version(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a, housing="家賃を3か月滞納")
    client.force_login(cast.csw_a)
    form = client.get(url("assessment_new", case)).context["form"]
    assert form.initial["housing"] == "家賃を3か月滞納"
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update({"assessed_on": TODAY().isoformat(), "housing": "転居先を検討中"})
    assert client.post(url("assessment_new", case), data).status_code == 302
    assert list(case.assessments.values_list("version", "housing")) == [
        (2, "転居先を検討中"),
        (1, "家賃を3か月滞納"),
    ]


def test_assessment_with_abuse_but_no_description_is_refused(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        url("assessment_new", case),
        {
            "assessed_on": TODAY().isoformat(),
            "summary": "x",
            "abuse_suspected": "on",
            "guardianship_need": "none",
        },
    )
    assert response.status_code == 400
    assert "abuse_note" in response.context["form"].errors
    assert not Assessment.objects.exists()


def _plan_post(**overrides):
    today = TODAY()
    data = {
        "long_term_goal": "安定した生活",
        "short_term_goals": "家計の見直し",
        "services_used": "家計改善支援事業",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=180)).isoformat(),
        "next_monitoring_on": (today + datetime.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "家計相談",
        "actions-0-frequency": "月1回",
        "actions-1-description": "ハローワーク同行",
        "actions-1-frequency": "週1回",
    }
    data.update(overrides)
    return data


def test_plan_is_written_submitted_and_approved_through_the_pages(
    client, cast, open_case, workflow
):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(url("plan_new", case), _plan_post())
    plan = SupportPlan.objects.get()
    assert response.url == url("plan_detail", plan)
    assert [a.description for a in plan.actions.all()] == ["家計相談", "ハローワーク同行"]
    client.post(url("plan_submit", plan))
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    # The author cannot approve, even by posting directly.
    client.force_login(cast.supervisor_a)
    client.post(url("plan_approve", plan))
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert plan.approved_by == cast.supervisor_a
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT


def test_plan_dates_out_of_order_are_refused_next_to_the_field(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    client.force_login(cast.csw_a)
    today = TODAY()
    response = client.post(
        url("plan_new", case),
        _plan_post(period_end=(today - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert 'id="id_period_end_error"' in response.content.decode()
    assert not SupportPlan.objects.exists()


def test_plan_action_without_description_is_refused(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(url("plan_new", case), _plan_post(**{"actions-2-frequency": "毎日"}))
    assert response.status_code == 400
    assert response.context["formset"].forms[2].errors
    assert not SupportPlan.objects.exists()


def test_approved_plan_cannot_be_edited_through_the_page(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    plan = workflow.to_support(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(url("plan_edit", plan), _plan_post(long_term_goal="変更"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.long_term_goal == "安定した生活を送る"


def test_return_needs_a_reason_and_sends_the_plan_back(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    client.force_login(cast.supervisor_a)
    assert client.post(url("plan_return", plan), {"note": ""}).status_code == 400
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert client.post(url("plan_return", plan), {"note": "目標を具体的に"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.return_note) == (PlanState.DRAFT, "目標を具体的に")
    client.force_login(cast.csw_a)
    assert "目標を具体的に" in client.get(url("plan_detail", plan)).content.decode()


def test_monitoring_a_plan_that_is_not_approved_is_refused(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        url("monitoring_new", plan),
        {
            "kind": "monitoring",
            "monitored_on": TODAY().isoformat(),
            "progress": "on_track",
            "notes": "順調",
        },
    )
    assert response.status_code == 400
    assert "承認済み" in response.content.decode()
    assert not plan.monitoring.exists()


def test_closure_is_requested_then_approved_and_the_case_reopened(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        url("closure_request", case),
        {"reason": "moved", "closing_on": TODAY().isoformat(), "note": "区外へ転居"},
    )
    assert response.status_code == 302
    closure = ClosureRequest.objects.get()
    # A worker cannot decide.
    assert client.post(url("closure_decide", closure), {"decision": "approve"}).status_code == 403
    client.force_login(cast.supervisor_a)
    assert client.post(url("closure_decide", closure), {"decision": "reject"}).status_code == 400
    assert client.post(url("closure_decide", closure), {"decision": "approve"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY()
    assert client.post(url("case_reopen", case), {"reason": ""}).status_code == 400
    assert client.post(url("case_reopen", case), {"reason": "再度の相談"}).status_code == 302
    case.refresh_from_db()
    assert case.is_open
    history = list(case.status_history.values_list("to_status", "reason"))
    assert history[-2:] == [("closed", "転居"), ("assessment", "再度の相談")]


def test_reassign_moves_the_case_between_workers(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.supervisor_a)
    response = client.post(
        url("case_reassign", case),
        {"from_worker": cast.csw_a.pk, "to_worker": cast.consultation_a.pk},
    )
    assert response.status_code == 302
    assert not access.cases_visible_to(cast.csw_a).filter(pk=case.pk).exists()
    assert access.cases_visible_to(cast.consultation_a).filter(pk=case.pk).exists()
    # A worker of another agency is not offered and is refused.
    response = client.post(
        url("case_reassign", case),
        {"from_worker": cast.consultation_a.pk, "to_worker": cast.csw_b.pk},
    )
    assert response.status_code == 400
    assert "to_worker" in response.context["form"].errors


def test_household_member_added_as_new_person_and_shown_on_the_case(client, cast, open_case):
    case = open_case(cast.csw_a, birth_date=datetime.date(1942, 1, 1))
    client.force_login(cast.csw_a)
    response = client.post(
        url("household_add", case.person),
        {
            "person_relation": "head",
            "relation": "child",
            "member-family_name": "佐藤",
            "member-given_name": "健一",
            "member-family_name_kana": "さとう",
            "member-given_name_kana": "けんいち",
            "member-birth_date": "1972-03-03",
            "member-sex": "male",
        },
    )
    assert response.status_code == 302
    assert Household.objects.count() == 1
    body = client.get(url("case_detail", case)).content.decode()
    assert "健一" in body and "子" in body


def test_household_lists_only_visible_cases_of_members(client, cast, open_case):
    parent = open_case(cast.csw_a, given_name="ハナ", given_name_kana="はな")
    child_case = services.case_open(
        actor=cast.supervisor_a,
        person=services.person_create(
            actor=cast.supervisor_a,
            family_name="佐藤",
            given_name="健一",
            family_name_kana="さとう",
            given_name_kana="けんいち",
        ),
        opened_on=TODAY(),
        main_concern="withdrawal",
        worker=cast.consultation_a,
    )
    services.household_link(
        actor=cast.supervisor_a,
        person=parent.person,
        person_relation="head",
        member=child_case.person,
        member_relation="child",
    )
    client.force_login(cast.csw_a)
    response = client.get(url("case_detail", parent))
    assert [m.person for m in response.context["household_members"]] == [child_case.person]
    assert response.context["household_cases"] == {}
    client.force_login(cast.supervisor_a)
    response = client.get(url("case_detail", parent))
    assert response.context["household_cases"] == {child_case.person_id: [child_case]}


def test_meeting_recorded_from_the_page(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = client.post(
        url("meeting_new"),
        {
            "kind": "support_meeting",
            "held_on": TODAY().isoformat(),
            "title": "支援会議",
            "attending_agencies": [cast.agency_a.pk, cast.agency_b.pk],
            "cases": [case_a.pk],
            "decisions": "見守りを強化する",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == url("meeting_detail", meeting)
    assert list(meeting.cases.all()) == [case_a]
    # A case the user cannot see is not even a valid choice.
    client.force_login(cast.csw_b)
    response = client.post(
        url("meeting_new"),
        {
            "kind": "coordination",
            "held_on": TODAY().isoformat(),
            "title": "x",
            "attending_agencies": [cast.agency_b.pk],
            "cases": [case_a.pk],
            "decisions": "x",
        },
    )
    assert response.status_code == 400
    assert "cases" in response.context["form"].errors
    assert Meeting.objects.count() == 1
