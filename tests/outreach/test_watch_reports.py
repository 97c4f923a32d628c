"""The watch network (見守りネットワーク): a report holds what was reported and no more; the
triage queue of a district, and its query count. The triage outcomes:
tests/outreach/test_watch_report_triage.py."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from outreach import services
from outreach.models import ReportState, WatchReport
from tests.factories import AgencyFactory, StaffFactory
from tests.outreach.outreach_helpers import district, now, pks, queue, report

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
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"address", "district", "noticed"} <= set(errors)
    assert not WatchReport.objects.exists()


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_only_case_staff_receive_reports(cast, member):
    with pytest.raises(PermissionDenied):
        report(getattr(cast, member))
    assert not WatchReport.objects.exists()


# --- the triage queue ------------------------------------------------------------------------


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

    response = queue(client, cast.csw_b)
    assert pks(response) == [
        old_urgent.pk,
        new_urgent.pk,
        assigned.pk,
        old_normal.pk,
        new_normal.pk,
    ]
    body = response.content.decode()
    assert body.count('<strong class="warn-text">緊急</strong>') == 2

    shown_all = pks(queue(client, cast.csw_b, all="1"))
    assert closed.pk in shown_all and len(shown_all) == 6


def test_ward_wide_agency_sees_every_district_and_filters(client, cast, ward_wide):
    central = report(cast.csw_a)
    north = report(cast.csw_a, district=district("north"))
    assert set(pks(queue(client, ward_wide))) == {central.pk, north.pk}
    assert pks(queue(client, ward_wide, district="north")) == [north.pk]
    assert pks(queue(client, ward_wide, district="central")) == [central.pk]
    # and the unlinked report's page
    assert client.get(north.get_absolute_url()).status_code == 200


def test_unlinked_report_of_another_district_is_invisible(client, cast, ward_wide):
    north = report(ward_wide, district=district("north"))
    for member in ("csw_a", "consultation_a", "supervisor_a", "csw_b"):
        user = getattr(cast, member)
        assert north.pk not in pks(queue(client, user, all="1"))
        assert north.pk not in pks(queue(client, user, district="north", all="1"))
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
