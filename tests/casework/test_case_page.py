"""The case page: its query count does not grow with the case's records, and it offers a
new plan version only after a re-assessment."""

import datetime

from django.utils import timezone

from casework import services
from tests.casework.page_helpers import TODAY, count_queries, url


def _enrich(case, cast, workflow, rounds):
    """Add records of every kind the case page shows."""
    for i in range(rounds):
        workflow.assess(case, cast.csw_a, summary=f"再アセスメント{i}")
        plan = workflow.approved_plan(case, cast.csw_a)
        services.monitoring_add(
            actor=cast.csw_a,
            plan=plan,
            monitored_on=TODAY(),
            progress="on_track",
            notes="順調",
            next_monitoring_on=TODAY() + datetime.timedelta(days=30 + i),
        )
        services.emergency_support_add(
            actor=cast.csw_a, case=case, provided_on=TODAY(), kind="food", description="食料"
        )
        child = services.person_create(
            actor=cast.csw_a,
            family_name="佐藤",
            given_name=f"子{i}",
            family_name_kana="さとう",
            given_name_kana="こ",
            birth_date=datetime.date(2015, 1, 1),
        )
        services.household_link(
            actor=cast.csw_a,
            person=case.person,
            person_relation="head",
            member=child,
            member_relation="child",
        )
        enrolment = services.enrolment_add(
            actor=cast.csw_a,
            case=case,
            person=child,
            programme="child_study",
            enrolled_on=TODAY(),
        )
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=TODAY())
        services.meeting_record(
            actor=cast.csw_a,
            kind="coordination",
            held_on=TODAY(),
            title=f"会議{i}",
            attending_agencies=[cast.agency_a],
            decisions="x",
            cases=[case],
        )
        request = services.closure_request_submit(
            actor=cast.csw_a, case=case, reason="goal_achieved", closing_on=TODAY()
        )
        services.closure_decide(
            actor=cast.supervisor_a, request=request, approve=False, note="継続"
        )
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=timezone.now(),
            method="phone",
            minutes=5,
            summary="近況確認",
        )


def test_case_page_query_count_does_not_grow_with_its_records(
    client, cast, open_case, workflow, django_assert_max_num_queries
):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    _enrich(case, cast, workflow, 1)
    client.force_login(cast.csw_a)
    few = count_queries(client, django_assert_max_num_queries, url("case_detail", case), limit=35)
    _enrich(case, cast, workflow, 5)
    assert (
        count_queries(client, django_assert_max_num_queries, url("case_detail", case), limit=35)
        == few
    )


def test_revise_plan_is_offered_only_after_a_re_assessment(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.to_support(case, cast.csw_a)
    client.force_login(cast.csw_a)
    assert not client.get(url("case_detail", case)).context["can_plan"]
    workflow.assess(case, cast.csw_a, summary="状況が変わった")
    assert client.get(url("case_detail", case)).context["can_plan"]
