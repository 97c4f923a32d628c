"""Signing in with the second factor as a worker does, in Debian's Chromium: the first
sign-in enrols the phone from the QR code's key (the test is the authenticator app and
computes the code), the recovery codes are shown once, 「今日」 says when and where the user
last signed in; the next sign-in asks only for the code. The pages pass axe."""

import base64
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP

from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def _no_violations(page) -> None:
    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    assert [v["id"] for v in results["violations"]] == [], page.url


def _password(page, base) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "csw_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/security/factor/")


def test_enrol_then_sign_in_with_a_computed_code(live_server, cast, factor_on, browser_page):
    page, base = browser_page, live_server.url
    _password(page, base)
    assert page.locator("main svg").is_visible()  # the QR code, drawn by the app itself
    secret = page.locator("[data-secret]").inner_text()
    _no_violations(page)
    page.fill("input[name=code]", "000000")
    page.click("main button[type=submit]")
    assert page.locator(".field .error").inner_text() == (
        "確認コードが正しくありません。アプリの時刻が正しいか確かめてください。"
    )
    page.fill("input[name=code]", _app_code(secret))
    page.click("main button[type=submit]")
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    _no_violations(page)
    page.click("text=保管しました。続ける")
    page.wait_for_url(f"{base}/")
    assert (
        "前回のログイン: 記録はありません" in page.locator("[data-previous-sign-in]").inner_text()
    )

    page.click("header button:has-text('ログアウト')")
    page.wait_for_url("**/accounts/login/**")
    _password(page, base)
    assert page.locator("main svg").count() == 0  # enrolled: only the code is asked
    _no_violations(page)
    page.fill("input[name=code]", _app_code(secret, steps_ahead=1))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    previous = page.locator("[data-previous-sign-in]").inner_text()
    assert "127.0.0.1から" in previous and "記録はありません" not in previous
