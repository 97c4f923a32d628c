"""「今日」, the home page of each role: what waits for the user today, what is late marked
in words, only what the user may see, one access-log row for whom it names."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLog, CaseAssignment, SupportPlan
from outreach.models import WatchReport
from referrals.models import Referral
from tests.outreach import outreach_helpers as outreach
from tests.referrals.conftest import Referrals

HOME = reverse("casework:home")
QUERIES_CSW = 13


def days(n):
    return datetime.timedelta(days=n)


def today():
    return timezone.localdate()


def _sections(response):
    return {s.key: s for s in response.context["sections"]}


@pytest.fixture
def day(cast, open_case, workflow):
    """csw_a's day: a visit later today and one left unrecorded, monitoring due soon and one
    overdue, a quiet case, a referral it sent still unanswered past its date, an urgent
    report of its district untriaged for three hours. csw_b has its own of each kind."""
    made = {}
    made["visited"] = open_case(cast.csw_a, family_name="訪問", opened_on=today())
    # Later today, whatever the hour the test runs at (at 23:40, half an hour later is tomorrow).
    now = timezone.localtime()
    midnight = (now + days(1)).replace(hour=0, minute=0, second=0, microsecond=0)
    later_today = now + min(datetime.timedelta(minutes=30), (midnight - now) / 2)
    made["visit_today"] = outreach.plan(cast.csw_a, case=made["visited"], planned_at=later_today)
    made["visit_late"] = outreach.plan(
        cast.csw_a, case=made["visited"], planned_at=timezone.now() - days(2)
    )
    for key, offset in (("due_soon", 3), ("overdue", -5)):
        case = open_case(cast.csw_a, family_name=key, opened_on=today())
        plan = workflow.to_support(case, cast.csw_a)
        SupportPlan.objects.filter(pk=plan.pk).update(next_monitoring_on=today() + days(offset))
        made[key] = case
    made["quiet"] = open_case(cast.csw_a, family_name="静か", opened_on=today() - days(40))
    refer = Referrals(cast, open_case)
    made["referral"] = refer.send(refer.case(opened_on=today()), answer_by=today() + days(1))
    Referral.objects.filter(pk=made["referral"].pk).update(answer_by=today() - days(1))
    made["report"] = outreach.report(
        cast.csw_a, urgency="urgent", received_at=timezone.now() - datetime.timedelta(hours=3)
    )
    made["other"] = open_case(cast.csw_b, family_name="他機関", opened_on=today() - days(40))
    return made


def test_a_workers_day_shows_what_waits_and_marks_what_is_late(client, cast, day):
    client.force_login(cast.csw_a)
    response = client.get(HOME)
    assert response.status_code == 200
    sections = _sections(response)
    visits = sections["visits"]
    # Today's first, then the one left unrecorded, which leads to recording its result.
    assert [i.overdue for i in visits.items] == [False, True]
    assert visits.items[1].url == reverse("outreach:visit_record", args=[day["visit_late"].pk])
    assert (visits.total, visits.overdue_total) == (2, 1)
    monitoring = sections["monitoring"]
    assert [(i.when, i.overdue) for i in monitoring.items] == [
        (today() - days(5), True),
        (today() + days(3), False),
    ]
    quiet = sections["no_contact"]
    # The other cases were opened today.
    assert [i.url for i in quiet.items] == [day["quiet"].get_absolute_url()]
    sent = sections["referrals_unanswered"]
    assert [(i.when, i.overdue) for i in sent.items] == [(today() - days(1), True)]
    reports = sections["reports"]
    assert len(reports.items) == 1 and reports.items[0].overdue  # urgent, over two hours
    assert reports.items[0].note == "受付から3時間"
    body = response.content.decode()
    assert body.count("期限超過") >= 5
    assert "他機関" not in body  # csw_b's quiet case is not csw_a's


def test_the_page_writes_one_access_log_row_naming_the_cases_shown(client, cast, day):
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    client.get(HOME)
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.order_by("-pk").first()
    assert row.action == AccessLog.Action.VIEW_LIST and row.detail.startswith("今日")
    for key in ("visited", "due_soon", "overdue", "quiet"):
        assert f",{day[key].pk}," in row.case_ids
    assert f",{day['other'].pk}," not in row.case_ids


def test_a_supervisors_day_adds_what_waits_for_approval_and_cases_without_a_worker(
    client, cast, open_case, workflow
):
    case = open_case(cast.csw_a, family_name="承認待ち")
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    orphan = open_case(cast.csw_a, family_name="担当なし")
    CaseAssignment.objects.filter(case=orphan).update(ended_at=timezone.now())
    client.force_login(cast.supervisor_a)
    sections = _sections(client.get(HOME))
    assert [i.url for i in sections["plans_awaiting"].items] == [plan.get_absolute_url()]
    assert [i.url for i in sections["unassigned"].items] == [orphan.get_absolute_url()]
    assert sections["closures_awaiting"].items == []
    # Workers do not get the supervisor's sections.
    client.force_login(cast.csw_a)
    assert "plans_awaiting" not in _sections(client.get(HOME))


def test_each_role_starts_where_its_work_is(client, cast):
    client.force_login(cast.indicator_officer)
    assert client.get(HOME).url == reverse("indicators:dashboard")
    client.force_login(cast.admin_a)
    response = client.get(HOME)
    assert response.status_code == 200 and "ようこそ" in response.content.decode()
    # Signing in lands on 「今日」.
    client.logout()
    response = client.post(
        reverse("login"), {"username": "csw_a", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302 and response.url == HOME


def test_the_page_asks_the_same_number_of_queries_however_much_waits(
    client, cast, open_case, django_assert_max_num_queries
):
    client.force_login(cast.csw_a)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured.captured_queries)

    open_case(cast.csw_a, opened_on=today() - days(40))
    few = count()
    # The session, the user and their membership; one statement per section with its
    # counts, and the agency's reminder periods; the access-log row; the unread count.
    assert few == QUERIES_CSW, few
    for i in range(15):
        case = open_case(cast.csw_a, family_name=f"多数{i}", opened_on=today() - days(40))
        outreach.plan(cast.csw_a, case=case, planned_at=timezone.now() - days(1))
        outreach.report(cast.csw_a)
    assert count() == few
    assert WatchReport.objects.count() == 15


def test_the_late_count_covers_every_item_not_only_the_ten_shown(client, cast, open_case):
    for i in range(12):
        case = open_case(cast.csw_a, family_name=f"多数{i}", opened_on=today() - days(40))
        outreach.plan(cast.csw_a, case=case, planned_at=timezone.now() - days(1 + i % 3))
    client.force_login(cast.csw_a)
    sections = _sections(client.get(HOME))
    quiet, visits = sections["no_contact"], sections["visits"]
    assert (len(quiet.items), quiet.total, quiet.overdue_total) == (10, 12, 12)
    assert (len(visits.items), visits.total, visits.overdue_total) == (10, 12, 12)
    assert "期限超過 12件" in client.get(HOME).content.decode()


def test_a_visit_to_someone_not_registered_is_named_in_the_access_log(client, cast):
    saved = outreach.report(cast.csw_a, subject_name="未登録 太郎")
    # Planned a minute ago: on 「今日」 whatever the hour (an hour ahead is tomorrow after
    # 23:00 in Tokyo, and tomorrow's visits are not on the page).
    outreach.plan(
        cast.csw_a, report=saved, planned_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    assert "未登録 太郎" in client.get(HOME).content.decode()
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.order_by("-pk").first()
    assert f"No.{saved.pk}" in row.detail
