"""My visits this week (Monday to Sunday in Asia/Tokyo), the agency's schedule, and who may
open a visit: it follows its case (read in full, not a shared summary) or its report."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import access
from casework import services as casework_services
from casework.models import AccessLog, ConsentBasis
from outreach import selectors, services
from referrals import services as referral_services
from tests.outreach.outreach_helpers import plan, record, report

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOKYO)


def _monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _my_visits(client, user):
    client.force_login(user)
    response = client.get(reverse("outreach:visits"))
    assert response.status_code == 200
    return response


def test_week_bounds_are_monday_to_monday_in_tokyo():
    wednesday = datetime.date(2026, 1, 7)
    start, end = selectors.week_bounds(wednesday)
    assert start == _at(datetime.date(2026, 1, 5), 0)
    assert end == _at(datetime.date(2026, 1, 12), 0)


def test_my_visits_this_week_boundaries(client, cast, case_a):
    monday = _monday()
    sunday = monday + datetime.timedelta(days=6)
    inside = [
        plan(cast.csw_a, case=case_a, planned_at=_at(monday, 0, 0)),
        plan(cast.csw_a, case=case_a, planned_at=_at(sunday, 23, 59)),
        # Sunday 23:59 in Tokyo is still Sunday 14:59 UTC; Monday 08:00 Tokyo is Sunday UTC
        plan(cast.csw_a, case=case_a, planned_at=_at(monday, 8, 0)),
    ]
    outside = [
        plan(cast.csw_a, case=case_a, planned_at=_at(sunday + datetime.timedelta(days=1), 0)),
        plan(cast.csw_a, case=case_a, planned_at=_at(monday - datetime.timedelta(days=1), 23, 59)),
        # a visit of the agency the user does not go on
        plan(cast.csw_a, case=case_a, staff=[cast.supervisor_a], planned_at=_at(monday, 10)),
    ]
    response = _my_visits(client, cast.csw_a)
    shown = [v.pk for v in response.context["visits"]]
    assert shown == [v.pk for v in sorted(inside, key=lambda v: (v.planned_at, v.pk))]
    assert not set(shown) & {v.pk for v in outside}
    # the second visiting staff member sees it too
    both = plan(
        cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a], planned_at=_at(sunday, 12)
    )
    assert [v.pk for v in _my_visits(client, cast.consultation_a).context["visits"]] == [both.pk]


def test_my_visits_shows_report_visits_with_their_district(client, cast):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved, planned_at=_at(_monday(), 9))
    response = _my_visits(client, cast.csw_a)
    assert [v.pk for v in response.context["visits"]] == [visit.pk]
    assert "中央" in response.content.decode()


def test_agency_schedule_hides_who_is_visited_from_those_who_may_not_see_the_case(
    client, cast, case_a, open_case
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    visit = plan(cast.csw_a, case=case_a, planned_at=_at(tomorrow, 10))
    case_b = open_case(cast.csw_b, family_name="高橋", given_name="次郎")
    visit_b = plan(cast.csw_b, case=case_b, planned_at=_at(tomorrow, 11))
    name = f"{case_a.person.family_name} {case_a.person.given_name}"

    own = _my_visits(client, cast.csw_a)
    assert [(v.pk, shown) for v, shown in own.context["schedule"]] == [(visit.pk, True)]
    assert name in own.content.decode()
    assert "高橋" not in own.content.decode()

    colleague = _my_visits(client, cast.consultation_a)
    assert [(v.pk, shown) for v, shown in colleague.context["schedule"]] == [(visit.pk, False)]
    body = colleague.content.decode()
    assert "(担当外)" in body
    assert name not in body and case_a.number not in body
    assert visit.get_absolute_url() not in body

    other_agency = _my_visits(client, cast.consultation_b)  # may read case_a, other agency
    assert [v.pk for v, _shown in other_agency.context["schedule"]] == [visit_b.pk]
    assert name not in other_agency.content.decode()


def test_agency_schedule_spans_two_weeks_from_today(client, cast, case_a):
    today = timezone.localdate()
    inside = plan(cast.csw_a, case=case_a, planned_at=_at(today, 0))
    last = plan(cast.csw_a, case=case_a, planned_at=_at(today + datetime.timedelta(days=13), 23))
    plan(cast.csw_a, case=case_a, planned_at=_at(today + datetime.timedelta(days=14), 0))
    plan(cast.csw_a, case=case_a, planned_at=_at(today - datetime.timedelta(days=1), 23, 59))
    schedule = _my_visits(client, cast.csw_a).context["schedule"]
    assert [v.pk for v, _shown in schedule] == [inside.pk, last.pk]


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_my_visits_page_is_for_case_staff(client, cast, member):
    client.force_login(getattr(cast, member))
    response = client.get(reverse("outreach:visits"))
    assert response.status_code in (302, 403)


# --- visit access ----------------------------------------------------------------------------


def test_visit_detail_follows_the_case(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.csw_a])
    record(cast.csw_a, visit, "met", notes="元気そうだった")
    for member, status in [
        ("csw_a", 200),
        ("supervisor_a", 200),
        ("consultation_b", 200),  # read share
        ("consultation_a", 404),
        ("csw_b", 404),
        ("supervisor_b", 404),
        ("admin_a", 404),
        ("indicator_officer", 404),
    ]:
        client.force_login(getattr(cast, member))
        response = client.get(visit.get_absolute_url())
        assert response.status_code == status, member
        if status == 404:
            assert "元気そうだった" not in response.content.decode()


def test_visit_detail_writes_the_access_log_for_case_visits(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    before = AccessLog.objects.count()
    client.force_login(cast.consultation_b)
    assert client.get(visit.get_absolute_url()).status_code == 200
    row = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (row.user, row.case, row.person) == (cast.consultation_b, case_a, case_a.person)
    day = timezone.localdate(visit.planned_at)
    assert row.action == AccessLog.Action.VIEW_CASE
    assert row.detail == f"訪問記録 {day.year}年{day.month}月{day.day}日"
    # a refused look writes nothing
    client.force_login(cast.csw_b)
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert AccessLog.objects.count() == before + 1


def test_report_visit_follows_the_report(client, cast, case_a):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    before = AccessLog.objects.count()
    client.force_login(cast.csw_b)  # same district: the unlinked report is visible
    assert client.get(visit.get_absolute_url()).status_code == 200
    # nobody registered yet: the row names the report instead of a person
    row = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (row.user, row.person, row.case) == (cast.csw_b, None, None)
    assert row.detail.startswith(f"見守り通報 No.{saved.pk} の訪問記録 ")
    services.report_link(actor=cast.csw_a, report=saved, case=case_a)
    assert client.get(visit.get_absolute_url()).status_code == 404
    client.force_login(cast.consultation_b)
    assert client.get(visit.get_absolute_url()).status_code == 200


def test_summary_referral_receiver_does_not_see_the_visit(client, cast, open_case):
    case = open_case(cast.csw_a, family_name="伊藤")
    casework_services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="介護保険の申請支援",
        urgency="normal",
        answer_by=timezone.localdate() + datetime.timedelta(days=7),
        scope="summary",
    )
    referral_services.referral_accept(actor=cast.supervisor_b, referral=referral, worker=cast.csw_b)
    visit = plan(cast.csw_a, case=case)
    record(cast.csw_a, visit, "met", notes="室内で転倒の跡")
    client.force_login(cast.csw_b)
    # the receiver knows the case exists (summary), but the visit is beyond the summary
    assert access.cases_visible_to(cast.csw_b).filter(pk=case.pk).exists()
    assert not access.cases_readable_by(cast.csw_b).filter(pk=case.pk).exists()
    response = client.get(visit.get_absolute_url())
    assert response.status_code == 404
    assert "室内で転倒の跡" not in response.content.decode()
    assert client.get(reverse("outreach:visit_record", kwargs={"pk": visit.pk})).status_code == 404
    schedule = _my_visits(client, cast.csw_b).context["schedule"]
    assert visit.pk not in [v.pk for v, _shown in schedule]


def test_visiting_staff_see_their_own_visit(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a])
    client.force_login(cast.consultation_a)
    assert client.get(visit.get_absolute_url()).status_code == 200


# --- query counts ----------------------------------------------------------------------------


def test_my_visits_query_count_does_not_grow(client, cast, case_a, django_assert_max_num_queries):
    client.force_login(cast.csw_a)
    monday = _monday()
    today = timezone.localdate()

    def count():
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("outreach:visits")).status_code == 200
        return len(captured.captured_queries)

    saved = report(cast.csw_a)
    plan(cast.csw_a, case=case_a, planned_at=_at(today, 9))
    plan(cast.csw_a, report=saved, planned_at=_at(monday, 9))
    # One on the schedule too: its reports are looked up once, however many there are.
    plan(cast.csw_a, report=saved, planned_at=_at(today, 15))
    few = count()
    for i in range(12):
        plan(
            cast.csw_a,
            case=case_a,
            staff=[cast.csw_a, cast.consultation_a],
            planned_at=_at(monday + datetime.timedelta(days=i % 7), 10, i),
        )
        plan(cast.csw_a, report=saved, planned_at=_at(today + datetime.timedelta(days=i), 15))
        plan(
            cast.supervisor_a,
            case=case_a,
            staff=[cast.supervisor_a],
            planned_at=_at(today + datetime.timedelta(days=i), 16),
        )
    assert count() == few
    assert len(_my_visits(client, cast.csw_a).context["schedule"]) > 20


def test_the_schedules_check_of_a_few_visits_agrees_with_the_visibility_rule(cast, open_case):
    """visible_among decides for the visits at hand what visits_visible_to decides for all."""
    from outreach import access_rules
    from outreach.models import OutreachVisit
    from tests.outreach.outreach_helpers import plan, report

    own = plan(cast.csw_a, case=open_case(cast.csw_a))
    elsewhere = plan(cast.csw_b, case=open_case(cast.csw_b))
    about_a_report = plan(cast.csw_a, report=report(cast.csw_a), staff=[cast.consultation_a])
    with_a_colleague = plan(
        cast.csw_b, case=open_case(cast.csw_b), staff=[cast.csw_b, cast.consultation_b]
    )
    ids = [v.pk for v in (own, elsewhere, about_a_report, with_a_colleague)]
    visits = list(OutreachVisit.objects.filter(pk__in=ids).prefetch_related("staff"))
    users = [
        cast.csw_a,
        cast.csw_b,
        cast.consultation_a,
        cast.consultation_b,
        cast.supervisor_a,
        cast.supervisor_b,
    ]
    decided = {}
    for user in users:
        rule = set(
            access_rules.visits_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        assert access_rules.visible_among(user, visits) == rule, user.username
        decided[user.username] = rule
    # The world tells the branches apart: each user sees a different set.
    assert len({frozenset(v) for v in decided.values()}) >= 3
    assert with_a_colleague.pk in decided["consultation_b"]
    assert elsewhere.pk not in decided["csw_a"]
