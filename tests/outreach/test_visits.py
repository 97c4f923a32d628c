"""Outreach visits: planned for a case (or a report before any case exists), recorded once,
shown once in the case's contact timeline, three 不在 in a row flagged on the case."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import ContactRecord
from outreach import selectors
from outreach.models import OutreachVisit
from tests.outreach.outreach_helpers import now, plan, record, report, visited

# --- planning --------------------------------------------------------------------------------


def test_plan_a_case_visit_with_two_staff(cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a])
    visit.refresh_from_db()
    assert visit.case == case_a and visit.report is None
    assert visit.agency == cast.agency_a and visit.planned_by == cast.csw_a
    assert set(visit.staff.all()) == {cast.csw_a, cast.consultation_a}
    assert not visit.is_recorded


def test_plan_needs_work_on_the_case(client, cast, case_a):
    # consultation_b may read case_a (a share), not work it
    with pytest.raises(PermissionDenied):
        plan(cast.consultation_b, case=case_a)
    with pytest.raises(PermissionDenied):
        plan(cast.csw_b, case=case_a)
    client.force_login(cast.consultation_b)
    url = reverse("outreach:visit_plan_case", kwargs={"pk": case_a.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"planned_at": "2026-01-05 10:00"}).status_code == 403
    client.force_login(cast.csw_b)
    assert client.get(url).status_code == 404
    assert not OutreachVisit.objects.exists()


@pytest.mark.parametrize("staff", [["csw_b"], ["csw_a", "csw_b"], ["admin_a"], []])
def test_plan_staff_must_be_case_staff_of_the_planners_agency(cast, case_a, staff):
    with pytest.raises(ValidationError) as refused:
        plan(cast.csw_a, case=case_a, staff=[getattr(cast, s) for s in staff])
    assert "staff" in refused.value.message_dict
    assert not OutreachVisit.objects.exists()


def test_plan_for_a_closed_case_is_refused(cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.close(case, cast.csw_a)
    case.refresh_from_db()
    assert not case.is_open
    with pytest.raises(ValidationError):
        plan(cast.supervisor_a, case=case)
    assert not OutreachVisit.objects.exists()


def test_plan_for_a_report_before_any_case(client, cast):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_b, report=saved, staff=[cast.csw_b, cast.consultation_b])
    assert visit.report == saved and visit.case is None and visit.agency == cast.agency_b
    client.force_login(cast.csw_a)
    body = client.get(saved.get_absolute_url()).content.decode()
    assert visit.get_absolute_url() in body


def test_plan_for_an_invisible_report_is_refused(cast):
    from tests.outreach.outreach_helpers import district

    north = report(cast.csw_a, district=district("north"))
    with pytest.raises(PermissionDenied):
        plan(cast.csw_a, report=north)


def test_plan_for_exactly_one_of_case_and_report(cast, case_a):
    saved = report(cast.csw_a)
    with pytest.raises(ValidationError):
        plan(cast.csw_a, case=case_a, report=saved)
    with pytest.raises(ValidationError):
        plan(cast.csw_a)
    assert not OutreachVisit.objects.exists()


def test_plan_through_the_page(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("outreach:visit_plan_case", kwargs={"pk": case_a.pk})
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        url,
        {
            "planned_at": when.strftime("%Y-%m-%d %H:%M"),
            "staff": [cast.csw_a.pk, cast.consultation_a.pk],
            "purpose": "安否確認",
        },
    )
    assert response.status_code == 302
    visit = OutreachVisit.objects.get()
    assert response["Location"] == visit.get_absolute_url()
    assert set(visit.staff.all()) == {cast.csw_a, cast.consultation_a}
    # another agency's worker is not offered
    response = client.post(
        url, {"planned_at": when.strftime("%Y-%m-%d %H:%M"), "staff": [cast.csw_b.pk]}
    )
    assert response.status_code == 400 and "staff" in response.context["form"].errors
    response = client.post(url, {"planned_at": when.strftime("%Y-%m-%d %H:%M")})
    assert response.status_code == 400 and "staff" in response.context["form"].errors
    assert OutreachVisit.objects.count() == 1


# --- recording the result --------------------------------------------------------------------


@pytest.mark.parametrize("result", ["met", "absent", "refused"])
def test_recorded_case_visit_appears_once_in_the_contact_timeline(client, cast, case_a, result):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a])
    visited_at = now() - datetime.timedelta(hours=2)
    next_on = timezone.localdate() + datetime.timedelta(days=7)
    record(
        cast.csw_a,
        visit,
        result,
        visited_at=visited_at,
        observations=["mail_piled", "odour"],
        notes=" 呼び鈴に応答なし ",
        next_visit_on=next_on,
    )
    visit.refresh_from_db()
    assert (visit.result, visit.visited_at, visit.recorded_by) == (result, visited_at, cast.csw_a)
    assert visit.observations == ["mail_piled", "odour"]
    assert visit.observation_labels() == ["郵便物の滞留", "異臭"]
    assert (visit.notes, visit.next_visit_on) == ("呼び鈴に応答なし", next_on)
    contact = ContactRecord.objects.get(case=case_a)
    assert visit.contact == contact
    assert contact.method == "home_visit" and contact.occurred_at == visited_at
    assert "郵便物の滞留" in contact.summary and "呼び鈴に応答なし" in contact.summary
    client.force_login(cast.csw_a)
    response = client.get(case_a.get_absolute_url())
    assert [c.pk for c in response.context["timeline"]] == [contact.pk]


def test_cancelled_visit_is_not_in_the_timeline(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    record(cast.csw_a, visit, "cancelled", notes="本人から断りの電話")
    visit.refresh_from_db()
    assert visit.result == "cancelled" and visit.contact is None
    assert not ContactRecord.objects.filter(case=case_a).exists()


@pytest.mark.parametrize("result", ["met", "absent", "refused", "cancelled"])
def test_report_visit_creates_no_contact_record(cast, result):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    record(cast.csw_a, visit, result)
    visit.refresh_from_db()
    assert visit.result == result and visit.contact is None
    assert not ContactRecord.objects.exists()


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"result": "gone"}, "result"),
        ({"result": ""}, "result"),
        ({"visited_at": "future"}, "visited_at"),
        ({"observations": ["mail_piled", "ghosts"]}, "observations"),
        ({"next_visit_on": "same"}, "next_visit_on"),
        ({"next_visit_on": "before"}, "next_visit_on"),
    ],
)
def test_bad_result_is_refused_and_changes_nothing(cast, case_a, fields, error):
    visit = plan(cast.csw_a, case=case_a)
    visited_at = now() - datetime.timedelta(days=1)
    values = {"result": "met", "visited_at": visited_at}
    values.update(fields)
    if values["visited_at"] == "future":
        values["visited_at"] = now() + datetime.timedelta(hours=1)
    day = timezone.localdate(visited_at)
    if values.get("next_visit_on") == "same":
        values["next_visit_on"] = day
    elif values.get("next_visit_on") == "before":
        values["next_visit_on"] = day - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record(cast.csw_a, visit, **values)
    assert error in refused.value.message_dict
    visit.refresh_from_db()
    assert not visit.is_recorded and visit.contact is None
    assert not ContactRecord.objects.exists()


def test_result_is_recorded_only_once(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    record(cast.csw_a, visit, "absent")
    with pytest.raises(ValidationError):
        record(cast.csw_a, visit, "met")
    visit.refresh_from_db()
    assert visit.result == "absent"
    assert ContactRecord.objects.filter(case=case_a).count() == 1
    client.force_login(cast.csw_a)
    detail = client.get(visit.get_absolute_url()).content.decode()
    assert reverse("outreach:visit_record", kwargs={"pk": visit.pk}) not in detail
    response = client.post(
        reverse("outreach:visit_record", kwargs={"pk": visit.pk}),
        {
            "result": "met",
            "visited_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "minutes": "30",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors
    visit.refresh_from_db()
    assert visit.result == "absent"
    assert ContactRecord.objects.filter(case=case_a).count() == 1


def test_record_through_the_page(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    client.force_login(cast.csw_a)
    url = reverse("outreach:visit_record", kwargs={"pk": visit.pk})
    assert client.get(url).status_code == 200
    visited_at = timezone.localtime() - datetime.timedelta(hours=1)
    response = client.post(
        url,
        {
            "result": "met",
            "visited_at": visited_at.strftime("%Y-%m-%d %H:%M"),
            "minutes": "45",
            "observations": ["weakness", "disorder"],
            "notes": "室内が散らかっていた",
            "next_visit_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.result == "met" and visit.observations == ["weakness", "disorder"]
    assert visit.contact.minutes == 45
    body = client.get(visit.get_absolute_url()).content.decode()
    assert "衰弱、室内の荒れ" in body


def test_record_page_refuses_unknown_observation(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:visit_record", kwargs={"pk": visit.pk}),
        {
            "result": "met",
            "visited_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "minutes": "30",
            "observations": ["ghosts"],
        },
    )
    assert response.status_code == 400 and "observations" in response.context["form"].errors
    visit.refresh_from_db()
    assert not visit.is_recorded


# --- who may record --------------------------------------------------------------------------


def test_a_worker_with_work_on_the_case_may_record(cast, case_a):
    visit = plan(cast.supervisor_a, case=case_a, staff=[cast.supervisor_a])
    record(cast.csw_a, visit, "met")  # assigned to case_a, not among the staff
    visit.refresh_from_db()
    assert visit.recorded_by == cast.csw_a


def test_visiting_staff_who_work_the_case_may_record(cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.supervisor_a])
    record(cast.supervisor_a, visit, "absent")
    visit.refresh_from_db()
    assert visit.recorded_by == cast.supervisor_a


def test_visiting_staff_without_work_on_the_case_may_record(cast, case_a):
    visit = plan(cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a])
    record(cast.consultation_a, visit, "met")
    visit.refresh_from_db()
    assert visit.recorded_by == cast.consultation_a and visit.contact is not None


@pytest.mark.parametrize("member", ["consultation_b", "csw_b", "consultation_a", "admin_a"])
def test_others_may_not_record_a_case_visit(client, cast, case_a, member):
    visit = plan(cast.csw_a, case=case_a)
    user = getattr(cast, member)
    with pytest.raises(PermissionDenied):
        record(user, visit, "met")
    client.force_login(user)
    status = client.get(reverse("outreach:visit_record", kwargs={"pk": visit.pk})).status_code
    assert status in (403, 404)
    visit.refresh_from_db()
    assert not visit.is_recorded


def test_report_visit_is_recorded_by_staff_of_the_visits_agency(cast):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    with pytest.raises(PermissionDenied):
        record(cast.csw_b, visit, "met")
    record(cast.consultation_a, visit, "absent")
    visit.refresh_from_db()
    assert visit.recorded_by == cast.consultation_a


@pytest.mark.parametrize("member", ["admin_a"])
def test_non_case_staff_may_not_record_a_report_visit(cast, member):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    with pytest.raises(PermissionDenied):
        record(getattr(cast, member), visit, "met")


# --- three 不在 in a row -------------------------------------------------------------------


@pytest.mark.parametrize(
    "results, expected",
    [
        (["absent", "absent", "absent"], True),
        (["met", "absent", "absent", "absent"], True),
        (["absent", "absent", "cancelled", "absent"], True),
        (["absent", "absent", "absent", "cancelled"], True),
        (["absent", "met", "absent", "absent"], False),
        (["absent", "absent"], False),
        (["absent", "absent", "absent", "met"], False),
        (["absent", "absent", "refused"], False),
        (["cancelled", "cancelled", "cancelled"], False),
    ],
)
def test_absent_streak(cast, open_case, results, expected):
    case = open_case(cast.csw_a)
    for i, result in enumerate(results):  # oldest first
        visited(cast.csw_a, case, result, hours_ago=100 - i * 10)
    # a planned, unrecorded visit does not break the pattern
    plan(cast.csw_a, case=case, planned_at=now() + datetime.timedelta(days=1))
    assert selectors.absent_streak(case) is expected


def test_case_page_warns_of_three_absences(client, cast, case_a):
    client.force_login(cast.csw_a)
    warning = "直近3回の訪問がすべて不在"
    for i in range(2):
        visited(cast.csw_a, case_a, "absent", hours_ago=50 - i)
    assert warning not in client.get(case_a.get_absolute_url()).content.decode()
    visited(cast.csw_a, case_a, "absent", hours_ago=1)
    assert warning in client.get(case_a.get_absolute_url()).content.decode()
    client.force_login(cast.consultation_b)  # a reader of the case sees it too
    assert warning in client.get(case_a.get_absolute_url()).content.decode()
    client.force_login(cast.csw_a)
    visited(cast.csw_a, case_a, "met", hours_ago=0.5)
    assert warning not in client.get(case_a.get_absolute_url()).content.decode()


def test_case_page_lists_visits_and_offers_planning_to_workers(client, cast, case_a):
    visit = plan(cast.csw_a, case=case_a)
    plan_url = reverse("outreach:visit_plan_case", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    body = client.get(case_a.get_absolute_url()).content.decode()
    assert visit.get_absolute_url() in body and plan_url in body
    client.force_login(cast.consultation_b)
    body = client.get(case_a.get_absolute_url()).content.decode()
    assert visit.get_absolute_url() in body and plan_url not in body


# --- query counts ----------------------------------------------------------------------------


def test_case_page_query_count_does_not_grow(client, cast, case_a, django_assert_max_num_queries):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(40) as captured:
            assert client.get(case_a.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    visited(cast.csw_a, case_a, "absent", hours_ago=200)
    plan(cast.csw_a, case=case_a, staff=[cast.csw_a, cast.consultation_a])
    few = count()
    for i in range(15):
        visited(cast.csw_a, case_a, ["met", "absent", "cancelled"][i % 3], hours_ago=190 - i)
        plan(
            cast.csw_a,
            case=case_a,
            staff=[cast.csw_a, cast.supervisor_a],
            planned_at=now() + datetime.timedelta(days=i + 1),
        )
    assert count() == few
