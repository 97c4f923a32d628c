"""Late is visible where the work is: a passed 次回モニタリング on the case, the plan and
担当ケース; the age of each watch report in the triage queue, and 期限超過 on one nobody has
taken up in time."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import SupportPlan
from outreach.models import WatchReport
from tests.outreach import outreach_helpers as outreach

LATE = "期限超過"


def _plan_due(workflow, case, actor, offset):
    plan = workflow.to_support(case, actor)
    day = timezone.localdate() + datetime.timedelta(days=offset)
    SupportPlan.objects.filter(pk=plan.pk).update(next_monitoring_on=day)
    return plan


def test_a_passed_monitoring_date_is_marked_on_the_case_the_plan_and_the_list(
    client, cast, open_case, workflow
):
    late = open_case(cast.csw_a, family_name="遅延")
    late_plan = _plan_due(workflow, late, cast.csw_a, -1)
    soon = open_case(cast.csw_a, family_name="予定")
    soon_plan = _plan_due(workflow, soon, cast.csw_a, 3)
    client.force_login(cast.csw_a)
    assert LATE in client.get(late.get_absolute_url()).content.decode()
    assert LATE in client.get(late_plan.get_absolute_url()).content.decode()
    assert LATE not in client.get(soon.get_absolute_url()).content.decode()
    assert LATE not in client.get(soon_plan.get_absolute_url()).content.decode()
    rows = client.get(reverse("casework:my_cases")).content.decode().split("<tr>")
    (late_row,) = [r for r in rows if "遅延" in r]
    (soon_row,) = [r for r in rows if "予定" in r]
    assert LATE in late_row and LATE not in soon_row


def test_the_triage_queue_shows_each_reports_age_and_marks_the_late_ones(client, cast):
    now = timezone.now()
    urgent = outreach.report(
        cast.csw_a, urgency="urgent", received_at=now - datetime.timedelta(hours=3)
    )
    fresh = outreach.report(cast.csw_a, received_at=now - datetime.timedelta(hours=3))
    old = outreach.report(cast.csw_a, received_at=now - datetime.timedelta(days=3))
    client.force_login(cast.csw_a)
    body = client.get(reverse("outreach:reports")).content.decode()
    rows = {
        r.pk: row for r in (urgent, fresh, old) for row in body.split("<tr") if f">{r.pk}<" in row
    }
    assert "3時間" in rows[urgent.pk] and "未対応のまま期限超過" in rows[urgent.pk]
    assert "3時間" in rows[fresh.pk] and "期限超過" not in rows[fresh.pk]  # 24 hours allowed
    assert "3日" in rows[old.pk] and "未対応のまま期限超過" in rows[old.pk]
    assert WatchReport.objects.count() == 3


def test_a_monitoring_recorded_on_the_date_ends_the_mark_even_without_a_next_date(
    client, cast, open_case, workflow
):
    from casework import services

    case = open_case(cast.csw_a, family_name="済み")
    plan = _plan_due(workflow, case, cast.csw_a, -2)
    plan.refresh_from_db()
    services.monitoring_add(
        actor=cast.csw_a,
        plan=plan,
        kind="monitoring",
        monitored_on=timezone.localdate(),
        progress="on_track",
        notes="変わりなし",
    )
    plan.refresh_from_db()
    assert plan.next_monitoring_on < timezone.localdate()  # no next date was given
    client.force_login(cast.csw_a)
    assert LATE not in client.get(case.get_absolute_url()).content.decode()
    assert LATE not in client.get(plan.get_absolute_url()).content.decode()
    rows = client.get(reverse("casework:my_cases")).content.decode().split("<tr>")
    (row,) = [r for r in rows if "済み" in r]
    assert LATE not in row
    today_page = client.get(reverse("casework:home"))
    assert plan.get_absolute_url() not in [
        i.url for s in today_page.context["sections"] for i in s.items
    ]
