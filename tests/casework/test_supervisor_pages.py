"""The supervisor's pages: the caseload review and its drill-down, the access log's
filters, and lists whose query count does not grow with their rows."""

import datetime

import pytest
from django.utils import timezone

from casework import services
from casework.models import AccessLog, Case
from tests.casework.page_helpers import TODAY, count_queries, url


def test_caseload_review_counts_per_worker(client, cast, open_case, workflow):
    quiet = open_case(cast.csw_a, opened_on=TODAY() - datetime.timedelta(days=60))
    busy = open_case(cast.csw_a, opened_on=TODAY() - datetime.timedelta(days=60))
    services.contact_record_add(
        actor=cast.csw_a,
        case=busy,
        occurred_at=timezone.now(),
        method="phone",
        minutes=5,
        summary="近況確認",
    )
    overdue = open_case(cast.csw_a, opened_on=TODAY() - datetime.timedelta(days=60))
    workflow.screen(overdue, cast.csw_a)
    workflow.assess(overdue, cast.csw_a)
    workflow.approved_plan(
        overdue,
        cast.csw_a,
        period_start=TODAY() - datetime.timedelta(days=40),
        next_monitoring_on=TODAY() - datetime.timedelta(days=3),
    )
    client.force_login(cast.supervisor_a)
    rows = {r["worker"].username: r for r in client.get(url("caseload")).context["rows"]}
    mine = rows["csw_a"]
    assert mine["active"] == 3
    assert mine["recent_contacts"] == 1
    assert mine["no_contact"] == 2  # quiet and overdue; busy had a contact today
    assert mine["monitoring_overdue"] == 1
    assert set(rows) == {"csw_a", "consultation_a", "supervisor_a"}
    drill = client.get(url("caseload_worker", cast.csw_a), {"metric": "no_contact"})
    assert set(drill.context["page"]) == {quiet, overdue}
    drill = client.get(url("caseload_worker", cast.csw_a), {"metric": "monitoring_overdue"})
    assert list(drill.context["page"]) == [overdue]
    assert client.get(url("caseload_worker", cast.csw_a), {"metric": "x"}).status_code == 200


def _grow(cast, open_case, workflow, n):
    for i in range(n):
        case = open_case(cast.csw_a if i % 2 else cast.consultation_a)
        services.contact_record_add(
            actor=case.assignments.get().worker,
            case=case,
            occurred_at=timezone.now(),
            method="phone",
            minutes=5,
            summary="近況確認",
        )


@pytest.mark.parametrize(
    ("page", "params", "pinned"),
    [
        # ケース点検: the caseload in one aggregate, recent contacts, 担当者なし, the waiting lists.
        ("caseload", {}, 10),
        ("access_log", {}, None),
        # 本人検索: the page and its count in one statement.
        ("person_search", {"q": "さとう"}, 6),
        ("meeting_list", {}, None),
    ],
)
def test_supervisor_lists_pin_their_query_count(
    client, cast, open_case, workflow, django_assert_max_num_queries, page, params, pinned
):
    _grow(cast, open_case, workflow, 3)
    client.force_login(cast.supervisor_a)
    first = open_case(cast.csw_a)
    client.get(url("case_detail", first))
    services.meeting_record(
        actor=cast.supervisor_a,
        kind="coordination",
        held_on=TODAY(),
        title="会議",
        attending_agencies=[cast.agency_a],
        decisions="x",
        cases=[first],
    )
    few = count_queries(client, django_assert_max_num_queries, url(page), params)
    if pinned is not None:
        assert few == pinned
    _grow(cast, open_case, workflow, 25)
    for case in Case.objects.all()[:10]:
        client.get(url("case_detail", case))
        services.meeting_record(
            actor=cast.supervisor_a,
            kind="coordination",
            held_on=TODAY(),
            title="会議",
            attending_agencies=[cast.agency_a],
            decisions="x",
            cases=[case],
        )
    assert count_queries(client, django_assert_max_num_queries, url(page), params) == few


def test_caseload_drill_down_pins_its_query_count(
    client, cast, open_case, workflow, django_assert_max_num_queries
):
    _grow(cast, open_case, workflow, 3)
    client.force_login(cast.supervisor_a)
    path = url("caseload_worker", cast.csw_a)
    few = count_queries(client, django_assert_max_num_queries, path)
    _grow(cast, open_case, workflow, 30)
    assert count_queries(client, django_assert_max_num_queries, path) == few


def test_access_log_filters_by_worker_and_date(client, cast, case_a):
    client.force_login(cast.csw_a)
    client.get(url("case_detail", case_a))
    client.force_login(cast.consultation_b)
    client.get(url("case_detail", case_a))
    client.force_login(cast.supervisor_a)
    page = client.get(url("access_log"), {"worker": cast.csw_a.pk}).context["page"]
    assert {row.user for row in page} == {cast.csw_a}
    # Reads of agency A's case by agency B's staff are in agency A's log.
    everyone = client.get(url("access_log")).context["page"]
    assert cast.consultation_b in {row.user for row in everyone}
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    assert not client.get(url("access_log"), {"date_from": tomorrow}).context["page"]
    bad = client.get(url("access_log"), {"date_from": tomorrow, "date_to": "2000-01-01"})
    assert "date_to" in bad.context["form"].errors
    # Agency B's supervisor does not see agency A's log rows of csw_a.
    client.force_login(cast.supervisor_b)
    rows = client.get(url("access_log")).context["page"]
    assert cast.csw_a not in {row.user for row in rows}
    assert AccessLog.objects.filter(user=cast.csw_a).exists()
