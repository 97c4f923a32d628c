import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLog, Case, CaseStatus, ContactRecord, Person

MY_CASES = reverse("casework:my_cases")


def _detail(case):
    return reverse("casework:case_detail", kwargs={"pk": case.pk})


def test_login_page_is_japanese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "ログイン" in response.content.decode()
    assert 'lang="ja"' in response.content.decode()


def test_english_is_available(client, cast):
    client.force_login(cast.csw_a)
    client.post(reverse("set_language"), {"language": "en", "next": MY_CASES})
    body = client.get(MY_CASES).content.decode()
    assert 'lang="en"' in body
    assert "My cases" in body


def test_my_cases_lists_assigned_cases_only(client, cast, open_case):
    mine = open_case(cast.csw_a, given_name="一郎", given_name_kana="いちろう")
    open_case(cast.consultation_a, given_name="次郎", given_name_kana="じろう")
    client.force_login(cast.csw_a)
    cases = list(client.get(MY_CASES).context["page"])
    assert cases == [mine]


def test_my_cases_filters_by_status(client, cast, open_case, workflow):
    intake = open_case(cast.csw_a)
    support = open_case(cast.csw_a)
    workflow.to_support(support, cast.csw_a)
    client.force_login(cast.csw_a)
    assert list(client.get(MY_CASES, {"status": "support"}).context["page"]) == [support]
    assert list(client.get(MY_CASES, {"status": "intake"}).context["page"]) == [intake]
    # An unknown status is ignored, not an error.
    assert client.get(MY_CASES, {"status": "nonsense"}).status_code == 200


def test_supervisor_sees_agency_scope_and_worker_cannot(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.supervisor_a)
    assert list(client.get(MY_CASES, {"scope": "agency"}).context["page"]) == [case]
    client.force_login(cast.consultation_a)
    # Not a supervisor: the scope falls back to their own cases.
    assert list(client.get(MY_CASES, {"scope": "agency"}).context["page"]) == []


def test_my_cases_pages_by_the_last_case_shown(client, cast, open_case):
    elsewhere = open_case(cast.csw_b)
    cases = [open_case(cast.csw_a) for _ in range(30)]
    # Opened on other days: the list is newest first by 受付日, then by number.
    for days, case in zip((3, 1, 1, 2), cases[:4], strict=True):
        Case.objects.filter(pk=case.pk).update(
            opened_on=timezone.localdate() - datetime.timedelta(days=days)
        )
    client.force_login(cast.csw_a)
    first = client.get(MY_CASES).context["page"]
    assert len(first) == 25 and first.count == 30 and not first.capped
    assert first.next_cursor == str(first.object_list[-1].pk)
    second = client.get(MY_CASES, {"after": first.next_cursor}).context["page"]
    shown = [c.pk for c in first] + [c.pk for c in second]
    by_date = sorted(cases, key=lambda c: (Case.objects.get(pk=c.pk).opened_on, c.pk), reverse=True)
    assert shown == [c.pk for c in by_date]
    assert second.next_cursor == "" and not second.first
    body = client.get(MY_CASES, {"after": first.next_cursor}).content.decode()
    assert "全 30 件" in body and "最新へ" in body
    # A cursor that is no case of this list (another agency's, or nonsense) is the first page.
    for cursor in (str(elsewhere.pk), "x", "²", "99999999999999999999"):
        page = client.get(MY_CASES, {"after": cursor})
        assert page.status_code == 200
        assert [c.pk for c in page.context["page"]] == [c.pk for c in first]


def _my_cases_queries(client, user, django_assert_max_num_queries, limit):
    client.force_login(user)
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(MY_CASES).status_code == 200
    return len(captured.captured_queries)


def test_my_cases_query_count_does_not_grow_with_rows(
    client, cast, open_case, django_assert_max_num_queries
):
    for _ in range(5):
        case = open_case(cast.csw_a)
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=timezone.now(),
            method="phone",
            minutes=10,
            summary="近況確認",
        )
    few = _my_cases_queries(client, cast.csw_a, django_assert_max_num_queries, 10)
    for _ in range(95):
        open_case(cast.csw_a)
    many = _my_cases_queries(client, cast.csw_a, django_assert_max_num_queries, 10)
    assert few == many


def test_case_detail_logs_exactly_one_row(client, cast, case_a):
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    assert client.get(_detail(case_a)).status_code == 200
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.order_by("-pk").first()
    assert (row.user, row.case, row.person, row.action, row.agency) == (
        cast.csw_a,
        case_a,
        case_a.person,
        AccessLog.Action.VIEW_CASE,
        cast.agency_a,
    )


def test_case_detail_query_count_does_not_grow_with_contacts(
    client, cast, open_case, django_assert_max_num_queries
):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)

    def queries():
        with django_assert_max_num_queries(30) as captured:
            client.get(_detail(case))
        return len(captured.captured_queries)

    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now(),
        method="phone",
        minutes=5,
        summary="一件目",
    )
    one = queries()
    for i in range(20):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=timezone.now(),
            method="phone",
            minutes=5,
            summary=f"{i}件目",
        )
    assert queries() == one


def test_add_contact_appears_in_timeline(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case.pk})
    when = timezone.localtime() - datetime.timedelta(hours=2)
    response = client.post(
        url,
        {
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "method": "home_visit",
            "minutes": "45",
            "summary": "自宅を訪問し、郵便物の整理を手伝った。",
            "next_action": "来週、電話で様子を確認する。",
        },
    )
    assert response.status_code == 302
    body = client.get(_detail(case)).content.decode()
    assert "郵便物の整理を手伝った" in body
    assert "来週、電話で様子を確認する" in body
    record = ContactRecord.objects.get(case=case)
    assert record.worker == cast.csw_a and record.minutes == 45


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "0", "1"),
        ("minutes", "abc", "整数"),
        ("summary", "", "必須"),
        ("method", "telepathy", "正しく選択"),
        ("occurred_at", "2999-01-01T10:00", "未来"),
        ("occurred_at", "yesterday", "日時を正しく"),
    ],
)
def test_add_contact_refuses_bad_input_next_to_the_field(
    client, cast, open_case, field, value, message
):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "phone",
        "minutes": "10",
        "summary": "近況確認",
        field: value,
    }
    response = client.post(reverse("casework:contact_add", kwargs={"pk": case.pk}), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ContactRecord.objects.exists()


def test_add_contact_before_the_case_opened_is_refused(client, cast, open_case):
    case = open_case(cast.csw_a, opened_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(cast.csw_a)
    before = (timezone.localtime() - datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("casework:contact_add", kwargs={"pk": case.pk}),
        {"occurred_at": before, "method": "phone", "minutes": "10", "summary": "x"},
    )
    assert response.status_code == 400
    assert "受付日より前" in " ".join(response.context["form"].errors["occurred_at"])
    assert not ContactRecord.objects.exists()


def test_closed_case_takes_no_contact(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.close(case, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:contact_add", kwargs={"pk": case.pk}),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "minutes": "10",
            "summary": "x",
        },
    )
    assert response.status_code == 400
    assert "終結" in response.content.decode()
    assert not ContactRecord.objects.exists()


def _new_case_data(**overrides):
    data = {
        "person-family_name": "鈴木",
        "person-given_name": "太郎",
        "person-family_name_kana": "スズキ",
        "person-given_name_kana": "タロウ",
        "person-birth_date": "1970-01-02",
        "person-sex": "male",
        "person-address": "目黒区中町二丁目",
        "person-district": "",
        "person-phone": "03-1111-2222",
        "case-opened_on": timezone.localdate().isoformat(),
        "case-main_concern": "income",
        "case-other_concerns": ["debt", "housing"],
        "case-route": "visit",
        "case-came_in_person": "1",
        "case-chief_complaint": "仕事を失い、家賃が払えない。",
        "case-consent_status": "pending",
    }
    data.update(overrides)
    return data


def test_open_case_for_new_person(client, cast):
    client.force_login(cast.consultation_b)
    response = client.post(reverse("casework:case_open"), _new_case_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == _detail(case)
    assert case.owning_agency == cast.agency_b
    assert case.status == CaseStatus.INTAKE
    assert sorted(c.concern for c in case.other_concerns.all()) == ["debt", "housing"]
    assert case.person.registered_by_agency == cast.agency_b
    assert client.get(_detail(case)).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("person-family_name", ""),
        ("person-family_name_kana", "suzuki"),
        ("person-birth_date", "2999-01-01"),
        ("person-phone", "call me"),
        ("case-opened_on", "2999-01-01"),
        ("case-main_concern", ""),
        ("case-other_concerns", ["income"]),
    ],
)
def test_open_case_refuses_bad_input_and_saves_nothing(client, cast, field, value):
    client.force_login(cast.csw_a)
    response = client.post(reverse("casework:case_open"), _new_case_data(**{field: value}))
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Person.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_roles_without_casework_cannot_open_cases(client, cast, member):
    client.force_login(getattr(cast, member))
    assert client.get(reverse("casework:case_open")).status_code == 403
    assert client.post(reverse("casework:case_open"), _new_case_data()).status_code == 403
    assert not Case.objects.exists()


def test_open_case_for_existing_person(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.consultation_b)
    url = reverse("casework:person_case_open", kwargs={"pk": case.person.pk})
    assert client.post(url, {"case-opened_on": "x"}).status_code == 404  # not shared yet
    client.force_login(cast.supervisor_a)
    response = client.post(
        url,
        {
            "case-opened_on": timezone.localdate().isoformat(),
            "case-main_concern": "care",
            "case-route": "phone",
            "case-came_in_person": "0",
            "case-visitor_name": "佐藤 一郎",
            "case-visitor_relation": "長男",
            "case-chief_complaint": "母の物忘れが心配",
            "case-consent_status": "pending",
        },
    )
    assert response.status_code == 302
    assert case.person.cases.count() == 2


@pytest.mark.parametrize("query", ["佐藤", "さとう", "サトウ", "ｻﾄｳ", "さとう はなこ", "ＳＡＴＯ"])
def test_person_search_in_any_script_and_width(client, cast, open_case, query):
    case = open_case(cast.csw_a)
    services.person_create(actor=cast.csw_b, family_name="佐藤", family_name_kana="さとう")
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_search"), {"q": query})
    found = list(response.context["page"])
    if query == "ＳＡＴＯ":
        assert found == []
    else:
        # Agency B's 佐藤 is never shown to agency A.
        assert found == [case.person]


def test_person_search_by_birth_date(client, cast, open_case):
    case = open_case(cast.csw_a, birth_date=datetime.date(1940, 2, 3))
    open_case(cast.csw_a, birth_date=datetime.date(1941, 2, 3))
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_search"), {"birth_date": "1940-02-03"})
    assert list(response.context["page"]) == [case.person]
    assert client.get(reverse("casework:person_search"), {"birth_date": "x"}).status_code == 200


def test_person_detail_lists_only_visible_cases(client, cast, open_case):
    case = open_case(cast.csw_a)
    colleague_case = services.case_open(
        actor=cast.supervisor_a,
        person=case.person,
        opened_on=timezone.localdate(),
        main_concern="care",
        worker=cast.consultation_a,
    )
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_detail", kwargs={"pk": case.person.pk}))
    assert list(response.context["cases"]) == [case]
    client.force_login(cast.supervisor_a)
    response = client.get(reverse("casework:person_detail", kwargs={"pk": case.person.pk}))
    assert set(response.context["cases"]) == {case, colleague_case}
    logged = AccessLog.objects.filter(action=AccessLog.Action.VIEW_PERSON, person=case.person)
    assert [row.user for row in logged.order_by("pk")] == [cast.csw_a, cast.supervisor_a]


def test_indicator_officer_home_shows_no_case_data(client, cast, case_a):
    client.force_login(cast.indicator_officer)
    body = client.get(MY_CASES).content.decode()
    assert case_a.person.family_name not in body
    assert "表示されません" in body


def test_healthz(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_japanese_is_the_default_whatever_the_browser_asks(client, cast):
    client.force_login(cast.csw_a)
    body = client.get(MY_CASES, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="ja"' in body
    assert "担当ケース" in body
