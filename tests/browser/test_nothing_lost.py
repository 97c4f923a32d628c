"""Nothing typed is lost, in Debian's Chromium: a CSW types a long 経過記録, the session
lapses before they press 記録する, and after signing in again the text is back in the form
and saved with one click."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import PASSWORD
from tests.browser.conftest import login as _login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTE = ("自宅を訪問。郵便物を一緒に整理し、来週の通院に同行する約束をした。" * 40)[:1000]


@pytest.fixture
def case(cast, open_case):
    return open_case(cast.csw_a, opened_on=timezone.localdate() - datetime.timedelta(days=7))


def test_a_long_note_survives_the_idle_timeout(live_server, settings, case, browser_page):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    page = browser_page
    base = live_server.url
    _login(page, base, "csw_a")
    page.goto(f"{base}/cases/{case.pk}/contacts/new/")
    page.select_option("select[name=method]", "home_visit")
    page.fill("input[name=minutes]", "60")
    page.fill("textarea[name=summary]", NOTE)
    # The counter counts as one types: 1,000 of 20,000, never cut.
    assert page.inner_text(".char-count").startswith("1,000 / 20,000")
    # Idle past the timeout: the page says so before the press.
    page.wait_for_selector("#session-warning [data-ended]:not([hidden])", timeout=110000)
    page.click("main button[type=submit]")

    page.wait_for_url("**/accounts/login/**")
    assert "下書きとして保存しました" in page.inner_text("main")
    page.fill("input[name=username]", "csw_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")

    # Back on the form, with what was typed.
    page.wait_for_url(f"**/cases/{case.pk}/contacts/new/")
    assert page.input_value("textarea[name=summary]") == NOTE
    assert page.input_value("input[name=minutes]") == "60"
    assert "保存できなかった入力内容を戻しました" in page.inner_text("main")
    page.click("form[data-autosave] button[type=submit]")

    page.wait_for_url(f"**/cases/{case.pk}/")
    assert NOTE[:200] in page.inner_text(".timeline")
    assert "経過記録を追加しました" in page.inner_text("main")


def test_typing_keeps_the_session_and_a_double_click_saves_once(
    live_server, settings, case, browser_page
):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    page = browser_page
    base = live_server.url
    _login(page, base, "csw_a")
    page.goto(f"{base}/cases/{case.pk}/contacts/new/")
    page.select_option("select[name=method]", "phone")
    page.fill("input[name=minutes]", "5")
    # Typing for 70 s, a little at a time: the script keeps the session alive.
    for second in range(7):
        page.type("textarea[name=summary]", f"{second}。")
        page.wait_for_timeout(10000)
    assert page.locator("#session-warning [data-ended]").is_hidden()
    page.dblclick("main button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert page.locator(".timeline li.contact").count() == 1
