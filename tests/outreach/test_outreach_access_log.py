"""Every outreach page that shows a person writes one access-log row naming whom it showed
(a list: one row with the ids of the cases and persons on the page), in plain Japanese; a
refused look writes nothing. Visit staff see the visited person on the visit's pages and
nothing else of the case; group participants are named only to the group's own agency."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import AccessLog, ContactMethod, District
from outreach import services
from outreach.models import GroupParticipant, GroupSession
from tests.outreach.outreach_helpers import person, plan, record, report

TODAY = timezone.localdate

NAME = "佐藤 花子"
ADDRESS = "目黒区上目黒一丁目1番1号"
PHONE = "03-1234-5678"


def _day(value) -> str:
    day = timezone.localdate(value)
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def new_rows():
    """The access-log rows written since the fixture was made, oldest first."""
    start = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def rows():
        return list(AccessLog.objects.filter(pk__gt=start).order_by("pk"))

    return rows


def _one_row(new_rows) -> AccessLog:
    rows = new_rows()
    assert len(rows) == 1, [(r.action, r.detail) for r in rows]
    return rows[0]


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _inserts(captured) -> int:
    """Rows written to the access log (the database files each under its agencies)."""
    table = f'INSERT INTO "{AccessLog._meta.db_table}" '
    return sum(1 for q in captured.captured_queries if q["sql"].startswith(table))


@pytest.fixture
def visited_case(cast, open_case):
    """A case of csw_a whose person has an address and a phone, with a contact record and a
    draft plan that visit staff must not see."""
    case = open_case(cast.csw_a, address=ADDRESS, phone=PHONE)
    casework_services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        method=ContactMethod.PHONE,
        minutes=15,
        summary="家賃の滞納について相談があった",
    )
    return case


# --- watch reports -----------------------------------------------------------------------------


def test_unlinked_report_detail_logs_a_row_naming_the_report(client, cast, new_rows):
    saved = report(cast.csw_a)
    response = _get(client, cast.csw_b, saved.get_absolute_url())  # same district
    assert response.status_code == 200
    assert "鈴木 一郎" in response.content.decode()
    row = _one_row(new_rows)
    assert (row.user, row.person, row.case) == (cast.csw_b, None, None)
    assert row.action == AccessLog.Action.VIEW_PERSON
    assert row.detail == f"見守り通報 No.{saved.pk} の詳細"


def test_linked_report_detail_logs_the_case(client, cast, case_a, new_rows):
    saved = report(cast.csw_a)
    services.report_link(actor=cast.csw_a, report=saved, case=case_a)
    assert _get(client, cast.consultation_b, saved.get_absolute_url()).status_code == 200
    row = _one_row(new_rows)
    assert (row.case, row.person) == (case_a, case_a.person)
    assert row.action == AccessLog.Action.VIEW_CASE
    assert row.detail == f"見守り通報 No.{saved.pk} の詳細"
    # refused: nothing written
    for member in ("consultation_a", "csw_b", "indicator_officer"):
        assert _get(client, getattr(cast, member), saved.get_absolute_url()).status_code == 404
    assert len(new_rows()) == 1


def test_report_queue_logs_one_row_with_the_linked_reports(client, cast, case_a, new_rows):
    linked = report(cast.csw_a, noticed="郵便物がたまっている")
    services.report_link(actor=cast.csw_a, report=linked, case=case_a)
    own = person(cast.csw_a, family_name="中村")
    to_person = report(cast.csw_a, noticed="夜に大声が聞こえる")
    services.report_link(actor=cast.csw_a, report=to_person, person=own)
    unlinked = report(cast.csw_a)  # not linked: nobody registered, named by its number
    response = _get(client, cast.csw_a, reverse("outreach:reports"), all="1")
    assert response.status_code == 200
    assert len(response.context["page"]) == 3
    row = _one_row(new_rows)
    assert row.action == AccessLog.Action.VIEW_LIST
    assert row.detail == f"見守り通報の一覧(未登録の方の通報 No.{unlinked.pk})"
    assert f",{case_a.pk}," in row.case_ids
    assert f",{case_a.person_id}," in row.person_ids and f",{own.pk}," in row.person_ids


def test_report_queue_of_unlinked_reports_logs_their_numbers(client, cast, new_rows):
    first, second = report(cast.csw_a), report(cast.csw_a)
    assert _get(client, cast.csw_a, reverse("outreach:reports")).status_code == 200
    row = _one_row(new_rows)
    assert (row.case_ids, row.person_ids) == ("", "")
    assert f"No.{first.pk}" in row.detail and f"No.{second.pk}" in row.detail


def test_an_empty_report_queue_writes_nothing(client, cast, new_rows):
    assert _get(client, cast.csw_a, reverse("outreach:reports")).status_code == 200
    assert new_rows() == []


def test_report_queue_logging_is_one_insert(client, cast, open_case, django_assert_max_num_queries):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(16) as captured:
            assert client.get(reverse("outreach:reports"), {"all": "1"}).status_code == 200
        assert _inserts(captured) == 1
        return len(captured.captured_queries)

    saved = report(cast.csw_a)
    services.report_link(actor=cast.csw_a, report=saved, case=open_case(cast.csw_a))
    few = count()
    for i in range(15):
        saved = report(cast.csw_a, noticed=f"通報{i}")
        if i % 2:
            case = open_case(cast.csw_a, family_name=f"木下{i}")
            services.report_link(actor=cast.csw_a, report=saved, case=case)
    assert count() == few
    row = AccessLog.objects.filter(action=AccessLog.Action.VIEW_LIST).order_by("-pk").first()
    assert row.case_ids.count(",") == 9  # 8 linked cases


def test_open_case_form_of_an_unlinked_report_is_logged(client, cast, new_rows):
    saved = report(cast.csw_a)
    url = reverse("outreach:report_open_case", kwargs={"pk": saved.pk})
    response = _get(client, cast.csw_a, url)
    assert response.status_code == 200
    assert "鈴木" in response.content.decode()
    row = _one_row(new_rows)
    assert (row.person, row.case, row.action) == (None, None, AccessLog.Action.VIEW_FORM)
    assert row.detail == f"見守り通報 No.{saved.pk} からケースを開始する画面"


def test_open_case_form_once_linked_names_the_person(client, cast, new_rows):
    own = person(cast.csw_a)
    saved = report(cast.csw_a)
    services.report_link(actor=cast.csw_a, report=saved, person=own)
    url = reverse("outreach:report_open_case", kwargs={"pk": saved.pk})
    assert _get(client, cast.csw_a, url).status_code == 200
    row = _one_row(new_rows)
    assert (row.person, row.case, row.action) == (own, None, AccessLog.Action.VIEW_FORM)
    # the agency admin and the indicator officer never reach it, and leave no row
    for member in ("admin_a", "indicator_officer"):
        assert _get(client, getattr(cast, member), url).status_code in (403, 404)
    assert len(new_rows()) == 1


def test_visit_of_a_linked_report_names_its_case(client, cast, case_a, new_rows):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    services.report_link(actor=cast.csw_a, report=saved, case=case_a)
    response = _get(client, cast.csw_a, visit.get_absolute_url())
    assert response.status_code == 200
    assert str(case_a.person) in response.content.decode()
    row = _one_row(new_rows)
    assert (row.case, row.person) == (case_a, case_a.person)
    assert row.detail == f"見守り通報 No.{saved.pk} の訪問記録 {_day(visit.planned_at)}"


# --- visits: the visit staff ---------------------------------------------------------------


def test_visit_staff_off_the_case_see_the_person_and_nothing_else(
    client, cast, visited_case, workflow, new_rows
):
    workflow.screen(visited_case, cast.csw_a)
    workflow.assess(visited_case, cast.csw_a, summary="収入が途絶えている")
    workflow.draft_plan(visited_case, cast.csw_a, long_term_goal="安定した生活を取り戻す")
    visit = plan(cast.csw_a, case=visited_case, staff=[cast.csw_a, cast.consultation_a])
    record(cast.csw_a, visit, "met", notes="玄関先で面会した")
    visit.refresh_from_db()  # the day it was visited, not today
    start = len(new_rows())
    response = _get(client, cast.consultation_a, visit.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert NAME in body and ADDRESS in body and PHONE in body
    assert "玄関先で面会した" in body  # the visit's own record
    # nothing of the case: no link into it, its number, its contacts or its plan
    assert visited_case.get_absolute_url() not in body
    assert visited_case.number not in body
    for of_the_case in ("家賃の滞納", "収入が途絶えている", "安定した生活を取り戻す"):
        assert of_the_case not in body
    rows = new_rows()[start:]
    assert len(rows) == 1
    row = rows[0]
    assert (row.user, row.case) == (cast.consultation_a, visited_case)
    assert row.person == visited_case.person
    assert row.action == AccessLog.Action.VIEW_CASE
    assert row.detail == f"訪問記録 {_day(visit.visited_at)}"
    # and not the case page itself
    assert _get(client, cast.consultation_a, visited_case.get_absolute_url()).status_code == 404


def test_assigned_worker_gets_the_way_to_the_case(client, cast, visited_case):
    visit = plan(cast.csw_a, case=visited_case, staff=[cast.consultation_a])
    body = _get(client, cast.csw_a, visit.get_absolute_url()).content.decode()
    assert visited_case.get_absolute_url() in body and NAME in body


def test_visit_record_form_shows_the_person_to_visit_staff_and_is_logged(
    client, cast, visited_case, new_rows
):
    visit = plan(cast.csw_a, case=visited_case, staff=[cast.consultation_a])
    url = reverse("outreach:visit_record", kwargs={"pk": visit.pk})
    response = _get(client, cast.consultation_a, url)
    assert response.status_code == 200
    body = response.content.decode()
    assert NAME in body and ADDRESS in body and PHONE in body
    assert "家賃の滞納" not in body and visited_case.get_absolute_url() not in body
    row = _one_row(new_rows)
    assert (row.case, row.person, row.action) == (
        visited_case,
        visited_case.person,
        AccessLog.Action.VIEW_FORM,
    )
    assert row.detail == f"訪問結果の入力画面 {_day(visit.planned_at)}"
    # those who may not record it leave no row
    for member in ("csw_b", "supervisor_b", "indicator_officer"):
        assert _get(client, getattr(cast, member), url).status_code in (403, 404)
    assert len(new_rows()) == 1


def test_unlinked_report_visit_record_form_names_the_report(client, cast, new_rows):
    saved = report(cast.csw_a)
    visit = plan(cast.csw_a, report=saved)
    url = reverse("outreach:visit_record", kwargs={"pk": visit.pk})
    body = _get(client, cast.csw_a, url).content.decode()
    assert "鈴木 一郎" in body and "目黒区中央町二丁目3番4号" in body
    row = _one_row(new_rows)
    assert (row.person, row.case, row.action) == (None, None, AccessLog.Action.VIEW_FORM)
    assert row.detail == f"見守り通報 No.{saved.pk} の訪問結果の入力画面 {_day(visit.planned_at)}"


def test_schedule_shows_visit_staff_the_person_and_logs_one_row(
    client, cast, visited_case, new_rows
):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    plan(cast.csw_a, case=visited_case, staff=[cast.consultation_a], planned_at=tomorrow)
    response = _get(client, cast.consultation_a, reverse("outreach:visits"))
    body = response.content.decode()
    assert NAME in body and ADDRESS in body and PHONE in body
    assert visited_case.number not in body and "家賃の滞納" not in body
    row = _one_row(new_rows)
    assert row.action == AccessLog.Action.VIEW_LIST and row.detail == "訪問予定一覧"
    assert row.case_ids == f",{visited_case.pk},"
    assert row.person_ids == f",{visited_case.person_id},"


def test_schedule_names_nobody_to_a_colleague_off_the_visit(client, cast, visited_case, new_rows):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    plan(cast.csw_a, case=visited_case, planned_at=tomorrow)
    body = _get(client, cast.supervisor_b, reverse("outreach:visits")).content.decode()
    assert NAME not in body
    body = _get(client, cast.consultation_a, reverse("outreach:visits")).content.decode()
    assert NAME not in body and ADDRESS not in body
    assert new_rows() == []


def test_schedule_logging_is_one_insert(
    client, cast, visited_case, open_case, django_assert_max_num_queries
):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("outreach:visits")).status_code == 200
        assert _inserts(captured) == 1
        return len(captured.captured_queries)

    soon = timezone.now() + datetime.timedelta(hours=1)
    plan(cast.csw_a, case=visited_case, planned_at=soon)
    # A visit about a report (no case yet) too: the reports are looked up in a query of
    # their own, once, however many there are.
    plan(cast.csw_a, report=report(cast.csw_a), planned_at=soon)
    few = count()
    for i in range(10):
        case = open_case(cast.csw_a, family_name=f"木下{i}")
        plan(cast.csw_a, case=case, planned_at=soon + datetime.timedelta(days=i % 5))
        plan(cast.csw_a, report=report(cast.csw_a), planned_at=soon + datetime.timedelta(days=1))
    assert count() == few
    row = AccessLog.objects.filter(action=AccessLog.Action.VIEW_LIST).order_by("-pk").first()
    assert row.case_ids.count(",") == 12  # 11 cases, each once


# --- activity groups ---------------------------------------------------------------------------


@pytest.fixture
def group(cast):
    return services.group_create(
        actor=cast.csw_a,
        name="中央 ふれあいサロン",
        kind="salon",
        is_care_prevention=True,
        district=District.objects.get(code="central"),
        capacity=20,
        started_on=TODAY() - datetime.timedelta(days=100),
    )


def _join(actor, group, someone):
    return services.participant_register(
        actor=actor, group=group, person=someone, joined_on=TODAY()
    )


def test_participants_are_named_only_to_the_groups_agency(client, cast, group, case_a, new_rows):
    registered = _join(cast.csw_a, group, person(cast.csw_a, family_name="山本"))
    shared = _join(cast.csw_a, group, case_a.person)  # also shared with consultation_b
    response = _get(client, cast.csw_a, group.get_absolute_url())
    assert [p.pk for p in response.context["participants"]] == [registered.pk, shared.pk]
    body = response.content.decode()
    assert "山本" in body and str(case_a.person) in body
    row = _one_row(new_rows)
    assert row.action == AccessLog.Action.VIEW_LIST
    assert row.detail == "活動グループ「中央 ふれあいサロン」の登録参加者"
    assert f",{registered.person_id}," in row.person_ids
    assert f",{case_a.person_id}," in row.person_ids
    # another agency, even one that may read the person elsewhere, learns only a number
    for member in ("consultation_b", "supervisor_b", "indicator_officer"):
        response = _get(client, getattr(cast, member), group.get_absolute_url())
        assert response.status_code == 200
        assert response.context["participants"] == []
        assert response.context["hidden_participants"] == 2
        body = response.content.decode()
        assert "山本" not in body and str(case_a.person) not in body
    # the group's agency, for persons the worker may not see: only the registered one
    response = _get(client, cast.consultation_a, group.get_absolute_url())
    assert [p.pk for p in response.context["participants"]] == [registered.pk]
    assert str(case_a.person) not in response.content.decode()
    assert len(new_rows()) == 2


def test_group_page_logging_is_one_insert(client, cast, group, django_assert_max_num_queries):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(14) as captured:
            assert client.get(group.get_absolute_url()).status_code == 200
        assert _inserts(captured) == 1
        return len(captured.captured_queries)

    _join(cast.csw_a, group, person(cast.csw_a, family_name="山本"))
    few = count()
    for i in range(12):
        _join(cast.csw_a, group, person(cast.csw_a, family_name=f"山本{i}"))
    assert count() == few


def test_participant_edit_form_is_logged(client, cast, group, new_rows):
    participant = _join(cast.csw_a, group, person(cast.csw_a, family_name="山本"))
    url = reverse("outreach:participant_edit", kwargs={"pk": participant.pk})
    response = _get(client, cast.csw_a, url)
    assert response.status_code == 200
    assert "山本 太郎" in response.content.decode()
    row = _one_row(new_rows)
    assert (row.person_id, row.case, row.action) == (
        participant.person_id,
        None,
        AccessLog.Action.VIEW_FORM,
    )
    assert row.detail == "活動グループ「中央 ふれあいサロン」の参加者の更新画面"
    for member in ("csw_b", "supervisor_b", "indicator_officer"):
        assert _get(client, getattr(cast, member), url).status_code in (403, 404)
    assert len(new_rows()) == 1


def test_another_agency_cannot_record_on_the_group(client, cast, group):
    for member in ("csw_b", "consultation_b", "supervisor_b"):
        client.force_login(getattr(cast, member))
        body = client.get(group.get_absolute_url()).content.decode()
        assert reverse("outreach:session_new", kwargs={"pk": group.pk}) not in body
        for name in ("session_new", "participant_new"):
            url = reverse(f"outreach:{name}", kwargs={"pk": group.pk})
            assert client.get(url).status_code == 403, (member, name)
        response = client.post(
            reverse("outreach:session_new", kwargs={"pk": group.pk}),
            {"held_on": TODAY().isoformat(), "attendance": "12"},
        )
        assert response.status_code == 403
        response = client.post(
            reverse("outreach:participant_new", kwargs={"pk": group.pk}),
            {
                "person-family_name": "木村",
                "person-family_name_kana": "きむら",
                "person-sex": "female",
                "joined_on": TODAY().isoformat(),
            },
        )
        assert response.status_code == 403
    assert not GroupSession.objects.exists() and not GroupParticipant.objects.exists()
    # the agency's own staff may
    client.force_login(cast.consultation_a)
    response = client.post(
        reverse("outreach:session_new", kwargs={"pk": group.pk}),
        {"held_on": TODAY().isoformat(), "attendance": "12"},
    )
    assert response.status_code == 302 and GroupSession.objects.count() == 1


def test_services_refuse_another_agencys_group(cast, group):
    with pytest.raises(PermissionDenied):
        services.session_record(actor=cast.csw_b, group=group, held_on=TODAY(), attendance=5)
    own = person(cast.csw_b, family_name="高橋")
    with pytest.raises(PermissionDenied):
        _join(cast.csw_b, group, own)
    participant = _join(cast.csw_a, group, person(cast.csw_a))
    with pytest.raises(PermissionDenied):
        services.participant_update(
            actor=cast.supervisor_b, participant=participant, in_community_activity=True
        )
    assert not GroupSession.objects.exists()
    assert GroupParticipant.objects.count() == 1


def test_unknown_group_is_404_for_its_own_agency_too(client, cast):
    client.force_login(cast.supervisor_a)
    assert client.get(reverse("outreach:session_new", kwargs={"pk": 987654})).status_code == 404
