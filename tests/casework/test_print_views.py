"""The print views of the national forms, as the server sends them: what each form shows of
the person and the record, the check code of a plan version, the date range of the
支援経過記録, one access-log row of kind 出力 per print, the ward's Japanese whatever the
screen language, and a fixed number of queries. What the browser makes of them on paper
(page count, page numbers, no menu): tests/browser/test_print_pdf.py."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casework import print_forms, services
from casework.models import AccessLog
from tests.casework.workflow_helpers import monitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_case(cast):
    """A case opened at the counter, with its 相談受付 and the person's full details."""
    return services.case_intake(
        actor=cast.csw_a,
        new_person={
            "family_name": "目黒",
            "given_name": "印子",
            "family_name_kana": "めぐろ",
            "given_name_kana": "いんこ",
            "birth_date": datetime.date(1958, 3, 4),
            "address": "目黒区中央町一丁目2-3",
            "phone": "03-1111-2222",
        },
        received_on=timezone.localdate() - datetime.timedelta(days=20),
        route="phone",
        main_concern="income",
        chief_complaint="家賃が払えず、退去を求められている。",
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _exports(case) -> list[AccessLog]:
    return list(AccessLog.objects.filter(case=case, action=AccessLog.Action.EXPORT))


def test_the_intake_form_names_the_person_and_leaves_lines_to_sign(client, cast, intake_case):
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:print_intake", args=[intake_case.pk]))
    text = _text(response)
    assert response.status_code == 200
    for shown in (
        "相談受付・申込票",
        "目黒 印子",
        "めぐろ いんこ",
        "昭和33年3月4日",
        "目黒区中央町一丁目2-3",
        "03-1111-2222",
        "電話",
        "家賃が払えず、退去を求められている。",
        "本人署名",
        "申込日",
        "令和 年 月 日",
        intake_case.owning_agency.name,
    ):
        assert shown in text, shown
    [row] = _exports(intake_case)
    assert (row.user, row.person, row.detail) == (
        cast.csw_a,
        intake_case.person,
        "印刷: 相談受付・申込票",
    )


def test_a_case_without_an_intake_prints_the_form_with_blank_boxes(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:print_intake", args=[case_a.pk]))
    assert response.status_code == 200
    assert "佐藤 花子" in _text(response)
    assert 'class="text blank-box"' in response.content.decode()


def test_the_plan_form_shows_version_check_code_actions_and_signature(
    client, cast, in_support, workflow
):
    plan = in_support.plan
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:print_plan", args=[plan.pk]))
    text = _text(response)
    code = print_forms.plan_check_code(plan, plan.actions.all())
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    for shown in (
        "プラン兼事業等利用申込書",
        "第1版",
        code,
        "佐藤 花子",
        "昭和19年5月1日",
        "安定した生活を送る",
        "家計を見直す",
        "本人署名",
        "申込日",
    ):
        assert shown in text, shown
    [row] = _exports(in_support.case)
    assert row.detail == f"印刷: プラン兼事業等利用申込書 第1版 照合コード {code}"
    # The plan's page shows the same code, to compare with a paper on file.
    assert code in _text(client.get(plan.get_absolute_url()))


def test_the_check_code_follows_the_content_and_only_the_content(cast, assessed, workflow):
    plan = workflow.draft_plan(assessed, cast.csw_a)
    before = print_forms.plan_check_code(plan, plan.actions.all())
    services.plan_submit(actor=cast.csw_a, plan=plan)
    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    plan.refresh_from_db()
    # Approval changes no word of what the person signed: the paper still matches.
    assert print_forms.plan_check_code(plan, plan.actions.all()) == before
    plan.short_term_goals = "家計を見直す。"
    assert print_forms.plan_check_code(plan, plan.actions.all()) != before


def test_the_contact_log_prints_the_chosen_dates_oldest_first(client, cast, case_a):
    now = timezone.now()
    for days, summary in ((25, "二十五日前の電話"), (15, "十五日前の訪問"), (2, "二日前の来所")):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case_a,
            occurred_at=now - datetime.timedelta(days=days),
            method="phone",
            minutes=15,
            summary=summary,
        )
    client.force_login(cast.csw_a)
    url = reverse("casework:print_contacts", args=[case_a.pk])
    start = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    text = _text(client.get(url, {"date_from": start}))
    assert "二十五日前の電話" not in text
    assert text.index("十五日前の訪問") < text.index("二日前の来所")
    assert "2件" in text
    everything = _text(client.get(url))
    assert "二十五日前の電話" in everything and "全期間" in everything
    details = [row.detail for row in _exports(case_a)]
    assert details[1].startswith("印刷: 支援経過記録(令和") and details[0].endswith("(全期間)")


def test_the_assessment_and_evaluation_sheets(client, cast, in_support):
    assessment = in_support.plan.assessment
    entry = monitor(cast.csw_a, in_support.plan, kind="evaluation", notes="家計簿が続いている。")
    client.force_login(cast.supervisor_a)
    sheet = _text(client.get(reverse("casework:print_assessment", args=[assessment.pk])))
    assert "インテーク・アセスメントシート" in sheet and "生活費が不足し" in sheet
    evaluation = _text(client.get(reverse("casework:print_evaluation", args=[entry.pk])))
    for shown in ("評価シート", "家計簿が続いている。", "確認者(スーパーバイザー)", "第1版"):
        assert shown in evaluation, shown
    newest, older = (r.detail for r in _exports(in_support.case))
    assert newest.startswith("印刷: 評価シート(評価 令和")
    assert older == "印刷: インテーク・アセスメントシート 第1版"


def test_forms_print_in_japanese_from_an_english_screen(client, cast, in_support):
    client.force_login(cast.csw_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(client.get(reverse("casework:print_plan", args=[in_support.plan.pk])))
    assert "本人署名" in text and "計画期間" in text
    # The case page itself is in English.
    assert "Case" in _text(client.get(in_support.case.get_absolute_url()))


def test_someone_who_may_not_read_the_case_prints_nothing(client, cast, in_support):
    client.force_login(cast.csw_b)
    assert client.get(reverse("casework:print_plan", args=[in_support.plan.pk])).status_code == 404
    assert not _exports(in_support.case)


def test_the_contact_log_takes_the_same_queries_for_3_and_30_records(
    client, cast, case_a, django_assert_num_queries
):
    client.force_login(cast.csw_a)
    url = reverse("casework:print_contacts", args=[case_a.pk])
    counts = []
    for total in (3, 30):
        while case_a.contacts.count() < total:
            services.contact_record_add(
                actor=cast.csw_a,
                case=case_a,
                occurred_at=timezone.now() - datetime.timedelta(hours=case_a.contacts.count() + 1),
                method="phone",
                minutes=5,
                summary="近況確認",
            )
        client.get(url)  # the session and the permissions cached
        with django_assert_num_queries(PRINT_CONTACTS_QUERIES) as context:
            client.get(url)
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


PRINT_CONTACTS_QUERIES = 10  # with the print's security-log row (personal data printed)


def test_monitoring_moves_the_schedule_not_the_check_code(cast, in_support):
    plan = in_support.plan
    before = print_forms.plan_check_code(plan, plan.actions.all())
    monitor(cast.csw_a, plan, next_monitoring_on=timezone.localdate() + datetime.timedelta(days=60))
    plan.refresh_from_db()
    assert plan.next_monitoring_on == timezone.localdate() + datetime.timedelta(days=60)
    assert print_forms.plan_check_code(plan, plan.actions.all()) == before


def test_a_contact_log_of_one_method_says_so_on_paper_and_in_the_log(client, cast, case_a):
    for method, summary in (("phone", "電話の記録"), ("home_visit", "訪問の記録")):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case_a,
            occurred_at=timezone.now() - datetime.timedelta(days=1),
            method=method,
            minutes=15,
            summary=summary,
        )
    client.force_login(cast.csw_a)
    url = reverse("casework:print_contacts", args=[case_a.pk])
    text = _text(client.get(url, {"method": "phone"}))
    assert "電話の記録" in text and "訪問の記録" not in text
    assert "方法 電話のみ" in text
    [row] = _exports(case_a)
    assert row.detail == "印刷: 支援経過記録(全期間、電話)"


def test_values_on_the_sheets_stay_japanese_from_an_english_screen(client, cast, in_support):
    client.force_login(cast.csw_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assessment = in_support.plan.assessment
    text = _text(client.get(reverse("casework:print_assessment", args=[assessment.pk])))
    assert "成年後見制度の必要性 なし" in text and "虐待の疑い なし" in text
    assert "None" not in text


def test_the_evaluation_sheet_shows_each_item_against_the_plan_start(
    client, cast, assessed, workflow
):
    plan = workflow.approved_plan(assessed, cast.csw_a, baseline={"motivation": 2, "health": 4})
    entry = monitor(cast.csw_a, plan, kind="evaluation", scores={"motivation": 4, "health": 3})
    client.force_login(cast.supervisor_a)
    text = _text(client.get(reverse("casework:print_evaluation", args=[entry.pk])))
    assert "評価シートの変化項目" in text
    assert "意欲・気力 2 4 改善" in text
    assert "生活習慣・健康 4 3 悪化" in text
    assert "社会参加 — — —" in text
