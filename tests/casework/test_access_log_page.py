"""The supervisor's アクセス記録: list rows, plain Japanese whatever the reader's language,
and filters by case and by person that find a read on a detail page or among a list's rows."""

from django.urls import reverse

from casework.models import AccessLog

ACCESS_LOG = reverse("casework:access_log")
MY_CASES = reverse("casework:my_cases")


def _newest():
    return AccessLog.objects.order_by("-pk").first()


def test_a_list_writes_one_row_with_every_case_and_person_it_showed(client, cast, open_case):
    first = open_case(cast.csw_a, family_name="一覧", family_name_kana="いちらん")
    second = open_case(cast.csw_a, family_name="二覧", family_name_kana="にらん")
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    body = client.get(MY_CASES).content.decode()
    assert "一覧" in body and "二覧" in body
    assert AccessLog.objects.count() == before + 1
    row = _newest()
    assert row.action == AccessLog.Action.VIEW_LIST
    assert row.detail == "担当ケース一覧"
    assert row.case_ids == f",{min(first.pk, second.pk)},{max(first.pk, second.pk)},"
    persons = sorted([first.person_id, second.person_id])
    assert row.person_ids == f",{persons[0]},{persons[1]},"
    assert row.person is None and row.case is None


def test_a_search_keeps_its_text_even_when_it_finds_nobody(client, cast):
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    client.get(reverse("casework:person_search"), {"q": "存在しない"})
    assert AccessLog.objects.count() == before + 1
    row = _newest()
    assert (row.action, row.query, row.person_ids) == (AccessLog.Action.VIEW_LIST, "存在しない", "")


def test_an_empty_list_without_a_search_writes_nothing(client, cast):
    client.force_login(cast.consultation_a)
    before = AccessLog.objects.count()
    assert client.get(MY_CASES).status_code == 200
    assert AccessLog.objects.count() == before


def test_the_page_reads_in_plain_japanese_and_shows_what_a_list_showed(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    client.get(MY_CASES)
    client.get(reverse("casework:case_detail", kwargs={"pk": case.pk}))
    client.get(reverse("casework:contact_add", kwargs={"pk": case.pk}))
    client.force_login(cast.supervisor_a)
    body = client.get(ACCESS_LOG).content.decode()
    for text in ("一覧・検索", "担当ケース一覧", "1件", "1人", "ケースの画面", "入力画面での閲覧"):
        assert text in body
    for code in ("view_case", "work_case", "plan v", "referral form", "visit "):
        assert code not in body


def test_an_english_readers_row_is_kept_in_japanese_and_shown_in_english(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    client.post(reverse("set_language"), {"language": "en", "next": MY_CASES})
    client.get(reverse("casework:contact_add", kwargs={"pk": case.pk}))
    row = _newest()
    assert (row.action, row.detail) == (AccessLog.Action.VIEW_FORM, "経過記録を追加")
    client.force_login(cast.supervisor_a)  # the language cookie stays: English
    body = client.get(ACCESS_LOG).content.decode()
    assert 'lang="en"' in body
    assert "Add contact log entry" in body


def test_filters_find_a_case_and_a_person_on_pages_and_among_list_rows(client, cast, open_case):
    wanted = open_case(cast.csw_a, family_name="探索", family_name_kana="たんさく")
    other = open_case(cast.csw_a, family_name="別人", family_name_kana="べつじん")
    client.force_login(cast.csw_a)
    client.get(reverse("casework:case_detail", kwargs={"pk": other.pk}))
    client.get(MY_CASES)  # shows both
    client.get(reverse("casework:case_detail", kwargs={"pk": wanted.pk}))
    client.force_login(cast.supervisor_a)

    def rows(**query):
        response = client.get(ACCESS_LOG, query)
        assert response.status_code == 200
        return [
            (row.action, row.case_id)
            for row in response.context["page"]
            if row.user_id == cast.csw_a.pk and row.action.startswith("view")
        ]

    by_case = rows(case=wanted.number)
    assert (AccessLog.Action.VIEW_CASE, wanted.pk) in by_case
    assert (AccessLog.Action.VIEW_LIST, None) in by_case
    assert (AccessLog.Action.VIEW_CASE, other.pk) not in by_case
    by_person = rows(person=wanted.person_id)
    assert sorted(by_person) == sorted(by_case)


def test_a_bad_case_number_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.supervisor_a)
    response = client.get(ACCESS_LOG, {"case": "abc"})
    assert response.status_code == 200
    assert "ケース番号は数字で入力してください" in response.content.decode()


def test_the_case_and_person_pages_link_supervisors_to_their_reads(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.supervisor_a)
    case_page = client.get(reverse("casework:case_detail", kwargs={"pk": case.pk})).content
    assert f"{ACCESS_LOG}?case={case.number}" in case_page.decode()
    person_page = client.get(reverse("casework:person_detail", kwargs={"pk": case.person_id}))
    assert f"{ACCESS_LOG}?person={case.person_id}" in person_page.content.decode()
    client.force_login(cast.csw_a)
    case_page = client.get(reverse("casework:case_detail", kwargs={"pk": case.pk})).content
    assert ACCESS_LOG not in case_page.decode()


def test_another_agencys_list_of_our_case_is_in_our_log(client, cast, case_a):
    # consultation_b (agency B) lists case_a, shared with them, among their shared cases.
    client.force_login(cast.consultation_b)
    client.get(MY_CASES, {"scope": "shared"})
    row = _newest()
    assert row.action == AccessLog.Action.VIEW_LIST and f",{case_a.pk}," in row.case_ids
    client.force_login(cast.supervisor_a)
    shown = list(client.get(ACCESS_LOG, {"case": case_a.number}).context["page"])
    assert row in shown


def test_a_filter_on_a_case_the_supervisor_does_not_see_shows_nothing(client, cast, open_case):
    theirs = open_case(cast.csw_b)
    client.force_login(cast.csw_b)
    client.get(MY_CASES)
    client.force_login(cast.supervisor_a)
    response = client.get(ACCESS_LOG, {"case": theirs.number})
    assert "この番号のケースは表示できません" in response.content.decode()
    assert list(response.context["page"]) == []
    response = client.get(ACCESS_LOG, {"person": theirs.person_id})
    assert "この番号の本人は表示できません" in response.content.decode()
    assert list(response.context["page"]) == []


def test_the_access_log_page_is_itself_a_read_of_the_persons_it_names(client, cast, open_case):
    case = open_case(cast.csw_a, family_name="綴喜", family_name_kana="つづき")
    client.force_login(cast.csw_a)
    client.get(reverse("casework:case_detail", kwargs={"pk": case.pk}))
    client.force_login(cast.supervisor_a)
    body = client.get(ACCESS_LOG).content.decode()
    assert "綴喜" in body
    row = _newest()
    assert (row.user, row.action, row.detail) == (
        cast.supervisor_a,
        AccessLog.Action.VIEW_LIST,
        "アクセス記録",
    )
    assert f",{case.person_id}," in row.person_ids
