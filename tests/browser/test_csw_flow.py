"""A CSW works a case in a real browser: Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium, which
`.ci/run` installs with apt. Without it the test skips (and fails under CI=true).
"""

import datetime

import pytest
from django.utils import timezone

from casework import services
from tests.browser.conftest import login as _login

pytestmark = [
    pytest.mark.browser,
    # Live-server tests empty the tables afterwards; restore the districts (a data migration).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worked_case(cast, open_case):
    case = open_case(
        cast.csw_a,
        family_name="山田",
        given_name="ハル",
        family_name_kana="やまだ",
        given_name_kana="はる",
        opened_on=timezone.localdate() - datetime.timedelta(days=7),
    )
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        method="phone",
        minutes=10,
        summary="電話で体調を確認した。",
    )
    return case


# The data is made by fixtures before the browser starts, and the test body makes no ORM
# call: inside Playwright's sync API the body runs in another context, where Django would
# open a second database connection that its teardown never closes.
def test_csw_logs_in_opens_a_case_and_adds_a_contact(live_server, worked_case, browser_page):
    case = worked_case
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "csw_a")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.click("main button[type=submit]")

    # Signing in lands on 「今日」; the list of cases is one click away.
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("今日")
    page.click("nav >> text=担当ケース")
    page.wait_for_url("**/cases/")
    assert page.locator("h1").inner_text() == "担当ケース"
    page.click("text=山田 ハル")

    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "電話で体調を確認した。" in page.inner_text(".timeline")
    page.click("text=経過記録を追加")

    page.select_option("select[name=method]", "home_visit")
    page.fill("input[name=minutes]", "40")
    page.fill("textarea[name=summary]", "自宅を訪問。郵便物がたまっていたため一緒に整理した。")
    page.fill("textarea[name=next_action]", "来週、同行して区役所で手続き。")
    page.click("main button[type=submit]")

    page.wait_for_url(f"**/cases/{case.pk}/")
    timeline = page.inner_text(".timeline")
    assert "郵便物がたまっていたため一緒に整理した。" in timeline
    assert "来週、同行して区役所で手続き。" in timeline
    assert "訪問" in timeline
    # The newest contact comes first.
    first = page.locator(".timeline li").first.inner_text()
    assert "郵便物" in first


def test_intake_assessment_plan_and_supervisor_approval(live_server, cast, browser_page):
    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    later = today + datetime.timedelta(days=180)
    soon = today + datetime.timedelta(days=30)

    # A CSW takes in a new consultation.
    _login(page, base, "csw_a")
    page.click("nav >> text=新規受付")
    page.fill("input[name=person-family_name]", "高橋")
    page.fill("input[name=person-given_name]", "ミツ")
    page.fill("input[name=person-family_name_kana]", "たかはし")
    page.fill("input[name=person-given_name_kana]", "みつ")
    page.fill("input[name=person-birth_date]", "1943-06-01")
    page.select_option("select[name=case-route]", "watch_network")
    page.select_option("select[name=case-main_concern]", "care")
    page.fill("textarea[name=case-chief_complaint]", "郵便物がたまっていると新聞販売店から連絡。")
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/*/")
    assert "見守りネットワーク" in page.inner_text("main")

    # Screening: continue to assessment.
    page.click("main >> text=スクリーニング")
    page.check("input[name=result][value=continue]")
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/*/")
    assert "アセスメント" in page.inner_text("h1 .status")

    # Assessment.
    page.click("main .actions >> text=アセスメント")
    page.fill("textarea[name=health]", "物忘れが進んでいる。")
    page.select_option("select[name=guardianship_need]", "consider")
    page.fill("textarea[name=summary]", "介護保険の申請と見守りが必要。")
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/*/")
    assert "成年後見" in page.inner_text("main")

    # The plan, submitted for approval.
    page.click("main .actions >> text=プランを作成")
    page.fill("textarea[name=long_term_goal]", "住み慣れた家で安心して暮らす")
    page.fill("textarea[name=short_term_goals]", "要介護認定を受ける")
    page.fill("input[name=period_start]", today.isoformat())
    page.fill("input[name=period_end]", later.isoformat())
    page.fill("input[name=next_monitoring_on]", soon.isoformat())
    page.fill("input[name=actions-0-description]", "地域包括支援センターへつなぐ")
    page.fill("input[name=actions-0-frequency]", "初回")
    page.click("main button[type=submit]")
    page.wait_for_url("**/plans/*/")
    page.click("main >> text=承認を依頼する")
    page.wait_for_url("**/plans/*/")
    assert page.inner_text("h1 .status") == "承認待ち"
    plan_url = page.url

    # The supervisor finds it in the caseload review and approves it.
    page.click("header button:has-text('ログアウト')")
    page.wait_for_url("**/accounts/login/")
    _login(page, base, "supervisor_a")
    page.click("nav >> text=ケース点検")
    page.click("main >> text=支援プラン 第1版")
    assert page.url == plan_url
    page.click("main >> text=承認する")
    page.wait_for_url("**/plans/*/")
    assert page.inner_text("h1 .status") == "承認済み"
    assert "支援プランを承認しました" in page.inner_text(".messages")
