"""Linking a watch report picks the person or case by search: the results show who each one
is, choosing one shows 「この方に結び付けます」 before anything is saved, and only persons and
cases the user may see can be found or chosen; every step is access-logged."""

import datetime

from django.urls import reverse

from casework.models import AccessLog
from outreach.models import ReportState
from tests.outreach.outreach_helpers import person, report


def _url(saved):
    return reverse("outreach:report_link", kwargs={"pk": saved.pk})


def test_search_choose_confirm_and_link_to_a_case(client, cast, open_case):
    ours = open_case(
        cast.csw_a,
        family_name="鈴木",
        given_name="一郎",
        family_name_kana="すずき",
        given_name_kana="いちろう",
        birth_date=datetime.date(1944, 5, 1),
    )
    theirs = open_case(cast.csw_b, family_name="鈴木", given_name="三郎", family_name_kana="すずき")
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)

    # The search box starts with the name the reporter gave.
    page = client.get(_url(saved))
    assert page.status_code == 200
    assert page.context["search"]["q"].value() == "鈴木 一郎"

    page = client.get(_url(saved), {"q": "スズキ"})  # katakana finds the hiragana reading
    assert page.status_code == 200
    assert [p.pk for p in page.context["persons"]] == [ours.person_id]
    body = page.content.decode()
    assert "鈴木 一郎" in body and "すずき いちろう" in body and "昭和19年5月1日" in body
    assert f'value="case:{ours.pk}"' in body and f'value="person:{ours.person_id}"' in body
    assert "鈴木 三郎" not in body and f"case:{theirs.pk}" not in body
    row = AccessLog.objects.filter(user=cast.csw_a, action=AccessLog.Action.VIEW_LIST).get()
    assert row.query == "スズキ"
    assert (row.person_ids, row.case_ids) == (f",{ours.person_id},", f",{ours.pk},")

    # Choosing shows whom the report will be linked to, and links nothing yet.
    page = client.post(_url(saved), {"q": "スズキ", "target": f"case:{ours.pk}", "step": "choose"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "この方に結び付けます" in body
    assert "鈴木 一郎" in body and "昭和19年5月1日" in body and ours.number in body
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW and saved.case is None
    confirm = AccessLog.objects.filter(user=cast.csw_a, case=ours).latest("pk")
    assert confirm.action == AccessLog.Action.VIEW_FORM
    assert confirm.detail == f"見守り通報 No.{saved.pk} の連携先の確認"

    page = client.post(_url(saved), {"q": "スズキ", "target": f"case:{ours.pk}", "step": "link"})
    assert page.status_code == 302 and page.url == saved.get_absolute_url()
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.LINKED, ours, ours.person)


def test_link_to_a_person_without_a_case(client, cast):
    subject = person(cast.csw_a, family_name="山田", given_name="太郎")
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    page = client.get(_url(saved), {"q": "やまだ"})
    assert [p.pk for p in page.context["persons"]] == [subject.pk]
    page = client.post(_url(saved), {"target": f"person:{subject.pk}", "step": "choose"})
    body = page.content.decode()
    assert "この方に結び付けます" in body and "山田 太郎" in body
    assert "ケースには結び付けず" in body
    page = client.post(_url(saved), {"target": f"person:{subject.pk}", "step": "link"})
    assert page.status_code == 302
    saved.refresh_from_db()
    assert (saved.state, saved.person, saved.case) == (ReportState.LINKED, subject, None)


def test_a_forged_id_of_someone_invisible_is_refused(client, cast, open_case):
    hidden = open_case(cast.csw_b, family_name="高橋", family_name_kana="たかはし")
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    # Not found by searching...
    page = client.get(_url(saved), {"q": "たかはし"})
    assert page.context["persons"] == []
    assert "高橋" not in page.content.decode()
    # ...nor chosen, confirmed or linked by an id typed by hand.
    for step in ("choose", "link"):
        for target in (f"case:{hidden.pk}", f"person:{hidden.person_id}", "case:x", "9" * 30):
            page = client.post(_url(saved), {"q": "たかはし", "target": target, "step": step})
            assert page.status_code == 400, (step, target)
            assert page.context["form"].errors["target"] == [
                "選べない方です。検索結果から選んでください。"
            ]
            body = page.content.decode()
            assert "高橋" not in body and "この方に結び付けます" not in body
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.NEW, None, None)


def test_an_empty_search_says_so_next_to_the_box(client, cast, case_a):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    before = AccessLog.objects.filter(action=AccessLog.Action.VIEW_LIST).count()
    page = client.get(_url(saved), {"q": " 　"})
    assert page.context["search"].errors["q"] == [
        "氏名かふりがなを入力してから「検索」を押してください。"
    ]
    assert page.context["persons"] is None
    assert case_a.person.family_name not in page.content.decode()
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_LIST).count() == before
    # Sent with nothing chosen: a message, and nothing linked.
    page = client.post(_url(saved), {"step": "link"})
    assert page.status_code == 400
    assert "target" in page.context["form"].errors
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW


def test_every_render_of_the_link_page_names_the_report(client, cast):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    client.get(_url(saved))
    row = AccessLog.objects.filter(user=cast.csw_a).latest("pk")
    assert row.action == AccessLog.Action.VIEW_FORM
    assert row.detail == f"見守り通報 No.{saved.pk} を本人・ケースに連携する画面"
