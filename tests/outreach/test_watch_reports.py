"""The watch network (見守りネットワーク): a report holds what was reported and no more; the
triage queue of a district; each triage outcome; a reporter is never shown the case."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Person, Role
from outreach import services
from outreach.models import ReportState, WatchReport
from tests.factories import AgencyFactory, StaffFactory
from tests.outreach.outreach_helpers import district, now, person, report

# --- receiving a report ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "minsei",
        "neighbour",
        "newspaper",
        "meals",
        "gas",
        "electricity",
        "delivery",
        "police",
        "other",
    ],
)
def test_report_records_what_was_reported(cast, kind):
    received_at = now() - datetime.timedelta(hours=2)
    saved = report(cast.csw_a, reporter_kind=kind, received_at=received_at, urgency="urgent")
    saved.refresh_from_db()
    assert saved.reporter_kind == kind
    assert (saved.reporter_name, saved.reporter_contact) == ("民生委員 田中", "03-1111-2222")
    assert saved.received_at == received_at
    assert saved.received_by == cast.csw_a
    assert saved.district == district()
    assert saved.address == "目黒区中央町二丁目3番4号"
    assert saved.noticed == "新聞が3日分たまっている。"
    assert saved.urgency == "urgent"
    assert saved.state == ReportState.NEW
    assert saved.case is None and saved.person is None and saved.assigned_to is None


def test_anonymous_report_keeps_no_reporter_even_if_given(cast):
    saved = report(
        cast.csw_a,
        reporter_kind="anonymous",
        reporter_name="名乗った名前",
        reporter_contact="090-0000-0000",
    )
    saved.refresh_from_db()
    assert (saved.reporter_name, saved.reporter_contact) == ("", "")


def test_anonymous_report_through_the_page_keeps_no_reporter(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_new"),
        {
            "reporter_kind": "anonymous",
            "reporter_name": "名乗った名前",
            "reporter_contact": "090-0000-0000",
            "received_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "urgency": "urgent",
            "address": "目黒区中央町一丁目",
            "district": district().pk,
            "noticed": "夜中に叫び声が聞こえる。",
        },
    )
    assert response.status_code == 302
    saved = WatchReport.objects.get()
    assert (saved.reporter_name, saved.reporter_contact) == ("", "")
    body = client.get(saved.get_absolute_url()).content.decode()
    assert "名乗った名前" not in body and "090-0000-0000" not in body


def test_the_subject_name_may_be_unknown(client, cast):
    saved = report(cast.csw_a, subject_name="", subject_description="")
    assert saved.subject_name == ""
    client.force_login(cast.csw_a)
    body = client.get(saved.get_absolute_url()).content.decode()
    assert "不明" in body


def test_future_received_at_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        report(cast.csw_a, received_at=now() + datetime.timedelta(hours=1))
    assert "received_at" in refused.value.message_dict
    assert not WatchReport.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"noticed": ""},
        {"noticed": "   "},
        {"address": ""},
    ],
    ids=["no-noticed", "blank-noticed", "no-address"],
)
def test_report_without_what_or_where_is_refused(cast, overrides):
    with pytest.raises(ValidationError):
        report(cast.csw_a, **overrides)
    assert not WatchReport.objects.exists()


def test_report_without_district_is_refused(cast):
    fields = {
        "reporter_kind": "neighbour",
        "received_at": now() - datetime.timedelta(hours=1),
        "address": "目黒区",
        "noticed": "異臭がする。",
    }
    with pytest.raises(ValidationError):
        services.report_receive(actor=cast.csw_a, **fields)
    assert not WatchReport.objects.exists()


def test_report_page_refuses_missing_fields(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_new"),
        {
            "reporter_kind": "neighbour",
            "received_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "urgency": "normal",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"address", "district", "noticed"} <= set(errors)
    assert not WatchReport.objects.exists()


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_only_case_staff_receive_reports(cast, member):
    with pytest.raises(PermissionDenied):
        report(getattr(cast, member))
    assert not WatchReport.objects.exists()


# --- the triage queue ------------------------------------------------------------------------


def _queue(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("outreach:reports"), params)
    assert response.status_code == 200
    return response


def _pks(response):
    return [r.pk for r in response.context["page"].object_list]


@pytest.fixture
def ward_wide(cast):
    agency = AgencyFactory(name="区全域の相談機関", district=None)
    return StaffFactory(username="ward_csw", agency=agency, role=Role.CSW)


def test_queue_lists_open_reports_of_the_district_urgent_first_then_oldest(client, cast):
    old_normal = report(cast.csw_a, received_at=now() - datetime.timedelta(days=3))
    new_normal = report(cast.csw_a, received_at=now() - datetime.timedelta(days=1))
    new_urgent = report(
        cast.csw_a, urgency="urgent", received_at=now() - datetime.timedelta(hours=1)
    )
    old_urgent = report(
        cast.csw_a, urgency="urgent", received_at=now() - datetime.timedelta(days=2)
    )
    report(cast.csw_a, district=district("north"))
    closed = report(cast.csw_a, received_at=now() - datetime.timedelta(days=5))
    services.report_close(actor=cast.csw_a, report=closed, reason="家族が訪問済み")
    assigned = report(cast.csw_a, received_at=now() - datetime.timedelta(days=4))
    services.report_assign(actor=cast.csw_a, report=assigned, worker=cast.csw_a)

    response = _queue(client, cast.csw_b)
    assert _pks(response) == [
        old_urgent.pk,
        new_urgent.pk,
        assigned.pk,
        old_normal.pk,
        new_normal.pk,
    ]
    body = response.content.decode()
    assert body.count('<strong class="warn-text">緊急</strong>') == 2

    shown_all = _pks(_queue(client, cast.csw_b, all="1"))
    assert closed.pk in shown_all and len(shown_all) == 6


def test_ward_wide_agency_sees_every_district_and_filters(client, cast, ward_wide):
    central = report(cast.csw_a)
    north = report(cast.csw_a, district=district("north"))
    assert set(_pks(_queue(client, ward_wide))) == {central.pk, north.pk}
    assert _pks(_queue(client, ward_wide, district="north")) == [north.pk]
    assert _pks(_queue(client, ward_wide, district="central")) == [central.pk]
    # and the unlinked report's page
    assert client.get(north.get_absolute_url()).status_code == 200


def test_unlinked_report_of_another_district_is_invisible(client, cast, ward_wide):
    north = report(ward_wide, district=district("north"))
    for member in ("csw_a", "consultation_a", "supervisor_a", "csw_b"):
        user = getattr(cast, member)
        assert north.pk not in _pks(_queue(client, user, all="1"))
        assert north.pk not in _pks(_queue(client, user, district="north", all="1"))
        assert client.get(north.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("outreach:report_assign", kwargs={"pk": north.pk})).status_code
            == 404
        )
    with pytest.raises(PermissionDenied):
        services.report_assign(actor=cast.csw_a, report=north, worker=cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.report_close(actor=cast.csw_a, report=north, reason="x")


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_queue_and_report_are_for_case_staff_only(client, cast, member):
    saved = report(cast.csw_a)
    client.force_login(getattr(cast, member))
    assert client.get(reverse("outreach:reports")).status_code == 403
    assert client.get(saved.get_absolute_url()).status_code == 404


# --- triage outcomes -------------------------------------------------------------------------


def test_assign_to_a_worker_of_the_own_agency(client, cast):
    saved = report(cast.csw_a)
    services.report_assign(actor=cast.csw_a, report=saved, worker=cast.consultation_a)
    saved.refresh_from_db()
    assert (saved.state, saved.assigned_to) == (ReportState.ASSIGNED, cast.consultation_a)
    # reassigning an assigned (still open) report is allowed
    client.force_login(cast.supervisor_a)
    response = client.post(
        reverse("outreach:report_assign", kwargs={"pk": saved.pk}), {"worker": cast.csw_a.pk}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.assigned_to == cast.csw_a


@pytest.mark.parametrize("worker", ["csw_b", "admin_a", "indicator_officer"])
def test_assign_to_someone_else_is_refused(cast, worker):
    saved = report(cast.csw_a)
    with pytest.raises(ValidationError) as refused:
        services.report_assign(actor=cast.csw_a, report=saved, worker=getattr(cast, worker))
    assert "worker" in refused.value.message_dict
    saved.refresh_from_db()
    assert (saved.state, saved.assigned_to) == (ReportState.NEW, None)


def test_assign_page_offers_only_own_agency_workers(client, cast):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_assign", kwargs={"pk": saved.pk}), {"worker": cast.csw_b.pk}
    )
    assert response.status_code == 200
    assert "worker" in response.context["form"].errors
    saved.refresh_from_db()
    assert saved.assigned_to is None


def test_link_to_a_readable_case_then_the_report_follows_the_case(client, cast, case_a):
    saved = report(cast.csw_a)
    # before linking, every case worker of the district sees it
    for member in ("consultation_a", "csw_b", "consultation_b"):
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 200
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}), {"case_number": case_a.pk}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.LINKED, case_a, case_a.person)
    for member in ("csw_a", "supervisor_a", "consultation_b"):  # may read case_a
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 200
    for member in ("consultation_a", "csw_b", "supervisor_b"):  # district staff, not the case
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 404
        assert saved.pk not in _pks(_queue(client, getattr(cast, member), all="1"))


def test_report_page_shows_no_case_data_to_those_who_cannot_see_the_case(client, cast, case_a):
    saved = report(cast.csw_a, subject_name="")
    services.report_link(actor=cast.csw_a, report=saved, case=case_a)
    name = f"{case_a.person.family_name} {case_a.person.given_name}"
    client.force_login(cast.csw_a)
    assert case_a.get_absolute_url() in client.get(saved.get_absolute_url()).content.decode()
    client.force_login(cast.csw_b)
    response = client.get(saved.get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert case_a.get_absolute_url() not in body and name not in body
    queue = client.get(reverse("outreach:reports"), {"all": "1"}).content.decode()
    assert case_a.get_absolute_url() not in queue and case_a.person.family_name not in queue


def test_link_to_a_case_the_actor_cannot_see_is_refused(client, cast, open_case):
    case_b = open_case(cast.csw_b, family_name="高橋")
    saved = report(cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.report_link(actor=cast.csw_a, report=saved, case=case_b)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}), {"case_number": case_b.pk}
    )
    assert response.status_code == 404
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.NEW, None, None)


def test_link_to_a_person(client, cast):
    subject = person(cast.csw_a)
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}), {"person_number": subject.pk}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.state, saved.person, saved.case) == (ReportState.LINKED, subject, None)
    # the report follows the person: agency B cannot see agency A's registration
    client.force_login(cast.csw_b)
    assert client.get(saved.get_absolute_url()).status_code == 404


def test_link_to_a_person_of_another_agency_is_refused(cast):
    other = person(cast.csw_b, family_name="別機関")
    saved = report(cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.report_link(actor=cast.csw_a, report=saved, person=other)
    with pytest.raises(ValidationError):
        services.report_link(actor=cast.csw_a, report=saved)
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW


def test_open_a_new_case_from_the_report(cast):
    saved = report(cast.csw_a)
    persons_before = Person.objects.count()
    services.report_open_case(
        actor=cast.csw_a,
        report=saved,
        person_fields={
            "family_name": "鈴木",
            "given_name": "一郎",
            "family_name_kana": "すずき",
            "address": saved.address,
            "district": saved.district,
        },
        intake_fields={
            "received_on": timezone.localdate(),
            "main_concern": "income",
            "chief_complaint": saved.noticed,
        },
    )
    saved.refresh_from_db()
    assert saved.state == ReportState.CASE_OPENED
    assert Person.objects.count() == persons_before + 1
    case = saved.case
    assert case.person == saved.person and case.person.family_name == "鈴木"
    assert case.intake.route == "watch_network"
    assert case.owning_agency == cast.agency_a
    assert saved.assigned_to == cast.csw_a


def test_open_a_new_case_through_the_page(client, cast):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("outreach:report_open_case", kwargs={"pk": saved.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["person_form"].initial["family_name"] == "鈴木"
    response = client.post(
        url,
        {
            "person-family_name": "鈴木",
            "person-given_name": "一郎",
            "person-family_name_kana": "すずき",
            "person-sex": "male",
            "person-district": saved.district_id,
            "case-opened_on": timezone.localdate().isoformat(),
            "case-came_in_person": "1",
            "case-main_concern": "income",
            "case-chief_complaint": "新聞がたまっている",
            "case-consent_status": "pending",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.state == ReportState.CASE_OPENED
    assert response["Location"] == saved.case.get_absolute_url()
    assert saved.case.intake.route == "watch_network"


def test_close_as_no_concern_needs_a_reason(client, cast):
    saved = report(cast.csw_a)
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            services.report_close(actor=cast.csw_a, report=saved, reason=reason)
    client.force_login(cast.csw_a)
    url = reverse("outreach:report_close", kwargs={"pk": saved.pk})
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW
    assert client.post(url, {"reason": " 家族が同居していた "}).status_code == 302
    saved.refresh_from_db()
    assert saved.state == ReportState.CLOSED
    assert (saved.close_reason, saved.closed_by) == ("家族が同居していた", cast.csw_a)
    assert saved.closed_at is not None
    assert saved.pk not in _pks(_queue(client, cast.csw_a))


def _handle(cast, outcome, saved, case):
    if outcome == "closed":
        services.report_close(actor=cast.csw_a, report=saved, reason="問題なし")
    elif outcome == "linked":
        services.report_link(actor=cast.csw_a, report=saved, case=case)
    else:
        services.report_open_case(
            actor=cast.csw_a,
            report=saved,
            person_fields={"family_name": "鈴木", "family_name_kana": "すずき"},
            intake_fields={
                "received_on": timezone.localdate(),
                "main_concern": "income",
                "chief_complaint": "見守り通報",
            },
        )


@pytest.mark.parametrize("outcome", ["closed", "linked", "case_opened"])
def test_every_action_on_a_handled_report_is_refused(client, cast, case_a, outcome):
    saved = report(cast.csw_a)
    _handle(cast, outcome, saved, case_a)
    saved.refresh_from_db()
    before = (saved.state, saved.case_id, saved.person_id, saved.assigned_to_id)
    cases = Case.objects.count()
    actions = [
        lambda: services.report_assign(actor=cast.csw_a, report=saved, worker=cast.csw_a),
        lambda: services.report_link(actor=cast.csw_a, report=saved, case=case_a),
        lambda: services.report_link(actor=cast.csw_a, report=saved, person=person(cast.csw_a)),
        lambda: services.report_close(actor=cast.csw_a, report=saved, reason="再度"),
        lambda: services.report_open_case(
            actor=cast.csw_a,
            report=saved,
            person_fields={"family_name": "別人", "family_name_kana": "べつじん"},
            intake_fields={
                "received_on": timezone.localdate(),
                "main_concern": "income",
                "chief_complaint": "x",
            },
        ),
    ]
    for action in actions:
        with pytest.raises(ValidationError):
            action()
    saved.refresh_from_db()
    assert (saved.state, saved.case_id, saved.person_id, saved.assigned_to_id) == before
    assert Case.objects.count() == cases
    # the pages no longer offer the actions and refuse them
    client.force_login(cast.csw_a)
    assert "担当者を決める" not in client.get(saved.get_absolute_url()).content.decode()
    response = client.post(
        reverse("outreach:report_close", kwargs={"pk": saved.pk}), {"reason": "再度"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    saved.refresh_from_db()
    assert saved.state == before[0]


# --- query counts ----------------------------------------------------------------------------


def test_triage_queue_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(15) as captured:
            assert client.get(reverse("outreach:reports"), {"all": "1"}).status_code == 200
        return len(captured.captured_queries)

    first = report(cast.csw_a)
    services.report_assign(actor=cast.csw_a, report=first, worker=cast.consultation_a)
    few = count()
    for i in range(20):
        saved = report(cast.csw_a, urgency="urgent" if i % 3 else "normal", noticed=f"通報{i}")
        if i % 2:
            services.report_assign(actor=cast.csw_a, report=saved, worker=cast.csw_a)
    assert count() == few
