"""The meeting form picks its cases by search: 「検索」 sends the form back with the open
cases found (only those the user may read), keeps the cases chosen and what was typed, and
saves nothing; the search is access-logged with its query and what it showed."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, Meeting

URL = "casework:meeting_new"


def _typed(cast, **extra):
    """What a worker types into the rest of the form."""
    return {
        "kind": "support_meeting",
        "held_on": timezone.localdate().isoformat(),
        "title": "支援調整会議",
        "attending_agencies": [cast.agency_a.pk],
        "decisions": "見守りを強化する",
        **extra,
    }


def _search(client, data):
    return client.post(reverse(URL), {**data, "search": "1"})


def _listed(response):
    """The case numbers the form offers, and those ticked."""
    form = response.context["form"]
    offered = {choice.data["value"].instance.number for choice in form["cases"]}
    ticked = {c.data["value"].instance.number for c in form["cases"] if c.data["selected"]}
    return offered, ticked


def test_search_by_kana_finds_a_visible_case_and_not_another_agencys(client, cast, open_case):
    ours = open_case(
        cast.csw_a,
        family_name="山田",
        given_name="花子",
        family_name_kana="やまだ",
        birth_date=datetime.date(1944, 5, 1),
    )
    theirs = open_case(cast.csw_b, family_name="山田", given_name="次郎", family_name_kana="やまだ")
    client.force_login(cast.supervisor_a)
    response = _search(client, _typed(cast, case_query="ヤマ ダ"))  # katakana, a space
    assert response.status_code == 200
    assert _listed(response) == ({ours.number}, set())
    body = response.content.decode()
    assert "山田 花子" in body and "やまだ はなこ" in body
    assert "昭和19年5月1日" in body  # the birth date as 和暦
    assert ours.number in body and "山田 次郎" not in body and theirs.number not in body
    assert not Meeting.objects.exists()
    row = AccessLog.objects.filter(user=cast.supervisor_a, action=AccessLog.Action.VIEW_LIST).get()
    assert row.query == "ヤマ ダ"
    assert row.case_ids == f",{ours.pk}," and row.person_ids == f",{ours.person_id},"


def test_chosen_cases_stay_chosen_across_searches_and_are_saved(client, cast, open_case):
    first = open_case(cast.csw_a, family_name="鈴木", family_name_kana="すずき")
    second = open_case(cast.csw_a, family_name="田中", family_name_kana="たなか")
    client.force_login(cast.csw_a)
    response = _search(client, _typed(cast, case_query="すずき"))
    assert _listed(response) == ({first.number}, set())
    # Tick the first, search for the second: the first stays, ticked; what was typed stays.
    response = _search(client, _typed(cast, case_query="タナカ", cases=[first.pk]))
    assert response.status_code == 200
    assert _listed(response) == ({first.number, second.number}, {first.number})
    body = response.content.decode()
    assert "支援調整会議" in body and "見守りを強化する" in body
    response = _search(client, _typed(cast, case_query="たなか", cases=[first.pk, second.pk]))
    assert _listed(response) == ({first.number, second.number}, {first.number, second.number})
    assert not Meeting.objects.exists()
    # 保存する (no 「検索」): the meeting is recorded with both.
    response = client.post(
        reverse(URL), _typed(cast, case_query="たなか", cases=[first.pk, second.pk])
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("casework:meeting_detail", kwargs={"pk": meeting.pk})
    assert set(meeting.cases.all()) == {first, second}
    assert meeting.title == "支援調整会議"


def test_an_empty_search_says_so_next_to_the_box(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = _search(client, _typed(cast, case_query="  ", cases=[case_a.pk]))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["case_query"] == ["氏名かふりがなを入力してから「検索」を押してください。"]
    assert set(form.errors) == {"case_query"}  # the rest is not judged by a search
    assert _listed(response) == ({case_a.number}, {case_a.number})
    assert not Meeting.objects.exists()


def test_a_forged_case_id_is_refused_next_to_the_field(client, cast, case_a, open_case):
    hidden = open_case(cast.csw_b, family_name="高橋", family_name_kana="たかはし")
    client.force_login(cast.csw_a)
    for data in (
        _typed(cast, cases=[case_a.pk, hidden.pk]),  # 保存する
        {**_typed(cast, case_query="たかはし", cases=[hidden.pk]), "search": "1"},
    ):
        response = client.post(reverse(URL), data)
        assert response.status_code == 400
        assert (
            "閲覧できる進行中のケースから選んでください"
            in response.context["form"].errors["cases"][0]
        )
        assert "高橋" not in response.content.decode()
        assert hidden.number not in _listed(response)[0]
    assert not Meeting.objects.exists()


def test_nothing_chosen_is_refused(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = client.post(reverse(URL), _typed(cast))
    assert response.status_code == 400
    assert response.context["form"].errors["cases"] == [
        "対象ケースを探して、一つ以上選んでください。"
    ]
    assert not Meeting.objects.exists()


def test_the_blank_form_lists_no_cases_and_logs_nothing(client, cast, case_a, open_case):
    for _ in range(3):
        open_case(cast.csw_a)
    client.force_login(cast.supervisor_a)
    before = AccessLog.objects.count()
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert _listed(response) == (set(), set())
    assert "佐藤 花子" not in response.content.decode()
    assert AccessLog.objects.count() == before
    # Opened from a case's page, the form starts with that case chosen.
    response = client.get(reverse(URL), {"case": case_a.pk})
    assert _listed(response) == ({case_a.number}, {case_a.number})
    row = AccessLog.objects.filter(user=cast.supervisor_a).latest("pk")
    assert row.case_ids == f",{case_a.pk},"


def test_a_search_says_what_was_typed_wrong_but_not_what_is_missing(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = _search(client, {"held_on": "あした", "case_query": "さとう"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"held_on"}  # not the title, decisions or agencies yet
    assert _listed(response) == ({case_a.number}, set())
    assert not Meeting.objects.exists()
