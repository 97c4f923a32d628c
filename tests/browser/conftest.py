"""Browser tests drive Debian's Chromium through Playwright; they never download a browser.
Without /usr/bin/chromium they skip (and fail under CI=true, see tests/conftest.py)."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct-horse-battery-9"

# Playwright's sync API runs an event loop in this thread. Test bodies make no ORM call
# (their data comes from fixtures made before the browser starts), so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(locale="ja-JP")
        page.set_default_timeout(15000)
        yield page
        browser.close()


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    # Signing in lands on 「今日」.
    page.wait_for_url(f"{base}/")
