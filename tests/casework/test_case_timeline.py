"""The case page's 経過記録: the latest 50 first, in pages, by date and method."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework import services


def _contacts(cast, case, n, method="phone", days_ago=0):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    for i in range(n):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=when - datetime.timedelta(minutes=i),
            method=method,
            minutes=5,
            summary=f"記録 {method} {days_ago} {i}",
        )


def test_the_latest_fifty_then_pages(client, cast, case_a):
    _contacts(cast, case_a, 60)
    client.force_login(cast.csw_a)
    url = reverse("casework:case_detail", kwargs={"pk": case_a.pk})
    first = client.get(url)
    page = first.context["timeline"]
    assert len(page.object_list) == 50 and page.paginator.count == 60
    assert "記録 phone 0 0<" in first.content.decode()  # the newest first
    second = client.get(url, {"page": 2}).context["timeline"]
    assert len(second.object_list) == 10
    assert second.object_list[-1].summary == "記録 phone 0 59"


def test_the_timeline_filters_by_date_and_method(client, cast, case_a):
    _contacts(cast, case_a, 3, method="phone", days_ago=1)
    _contacts(cast, case_a, 2, method="home_visit", days_ago=10)
    client.force_login(cast.csw_a)
    url = reverse("casework:case_detail", kwargs={"pk": case_a.pk})
    visits = client.get(url, {"method": "home_visit"}).context["timeline"]
    assert [c.method for c in visits.object_list] == ["home_visit", "home_visit"]
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    recent = client.get(url, {"date_from": since}).context["timeline"]
    assert recent.paginator.count == 3
    # Bad input filters nothing and is no error.
    assert client.get(url, {"date_from": "31/02/2026", "method": "x"}).status_code == 200


def test_the_case_page_counts_unread_notifications_once(
    client, cast, case_a, django_assert_max_num_queries
):
    client.force_login(cast.csw_a)
    url = reverse("casework:case_detail", kwargs={"pk": case_a.pk})
    client.get(url)
    with django_assert_max_num_queries(60) as captured:
        client.get(url)
    unread = [q for q in captured.captured_queries if "casework_notification" in q["sql"]]
    assert len(unread) == 1
