"""A result's 次回訪問予定日 plans that next visit (same time of day, staff and purpose) where
the recorder may plan visits; a visit of the same person within an hour of another is
warned about when it is planned."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from casework.wareki import wareki_date
from outreach.models import OutreachVisit
from tests.outreach.outreach_helpers import plan


def _record(client, visit, next_on):
    return client.post(
        reverse("outreach:visit_record", args=[visit.pk]),
        {
            "result": "met",
            "visited_at": timezone.localtime(visit.planned_at).strftime("%Y-%m-%dT%H:%M"),
            "minutes": 30,
            "next_visit_on": next_on.isoformat(),
        },
    )


def test_the_next_visit_date_plans_the_next_visit(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a, purpose="安否確認")
    visit.staff.add(cast.consultation_a)
    next_on = timezone.localdate() + datetime.timedelta(days=7)
    client.force_login(cast.csw_a)
    response = _record(client, visit, next_on)
    assert response.status_code == 302
    (following,) = OutreachVisit.objects.filter(case=case_a, result="").exclude(pk=visit.pk)
    assert timezone.localdate(following.planned_at) == next_on
    assert timezone.localtime(following.planned_at).time() == (
        timezone.localtime(visit.planned_at).time()
    )
    assert set(following.staff.all()) == {cast.csw_a, cast.consultation_a}
    assert following.purpose == "安否確認"
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("次回の訪問を" in m and str(following.pk) in m for m in said)
    visit.refresh_from_db()
    assert visit.contact.next_action == f"次回訪問予定: {wareki_date(next_on)}"


def test_visit_staff_who_may_not_plan_record_the_date_only(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.consultation_a])
    client.force_login(cast.consultation_a)  # on the visit, not on the case
    response = _record(client, visit, timezone.localdate() + datetime.timedelta(days=7))
    assert response.status_code == 302
    assert not OutreachVisit.objects.filter(case=case_a, result="").exists()
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("ケースを担当する職員が行います" in m for m in said)


def test_a_visit_within_an_hour_of_another_is_warned_about(client, cast, case_a):
    soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    first = plan(cast.csw_a, case=case_a, planned_at=soon)
    client.force_login(cast.csw_a)
    url = reverse("outreach:visit_plan_case", args=[case_a.pk])
    response = client.post(
        url,
        {
            "planned_at": timezone.localtime(soon + datetime.timedelta(minutes=30)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "staff": [cast.csw_a.pk],
            "purpose": "同行",
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()  # the messages show on the next page
    assert "同じ方への訪問が" in page and f"訪問 {first.pk}" in page
    # Two hours apart: no warning.
    later = timezone.localtime(soon + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"planned_at": later, "staff": [cast.csw_a.pk]}, follow=True)
    assert response.status_code == 200
    assert "同じ方への訪問が" not in response.content.decode()
