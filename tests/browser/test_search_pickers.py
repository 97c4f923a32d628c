"""The two search pickers in Debian's Chromium, as a worker uses them: the meeting form keeps
the ticked cases and what was typed across searches and saves them; a watch report is
linked after the confirmation. axe-core finds nothing wrong with either page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.outreach.outreach_helpers import report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {', '.join(t for n in v['nodes'] for t in n['target'])}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def two_cases(cast, open_case):
    first = open_case(cast.csw_a, family_name="鈴木", given_name="一郎", family_name_kana="すずき")
    second = open_case(cast.csw_a, family_name="田中", given_name="二郎", family_name_kana="たなか")
    return first, second


def test_meeting_cases_picked_over_two_searches_are_saved(live_server, two_cases, browser_page):
    first, second = two_cases
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/meetings/new/")
    assert page.locator("input[name=cases]").count() == 0  # nothing listed before a search
    page.fill("input[name=title]", "支援調整会議")
    page.fill("textarea[name=decisions]", "見守りを強化する")
    page.locator("input[name=attending_agencies]").first.check()
    page.fill("input[name=case_query]", "スズキ")
    page.press("input[name=case_query]", "Enter")  # Enter in the box searches
    page.wait_for_selector(f"input[name=cases][value='{first.pk}']")
    page.check(f"input[name=cases][value='{first.pk}']")
    page.fill("input[name=case_query]", "たなか")
    page.click("button[name=search]")
    page.wait_for_selector(f"input[name=cases][value='{second.pk}']")
    assert page.is_checked(f"input[name=cases][value='{first.pk}']")
    assert page.input_value("input[name=title]") == "支援調整会議"
    assert page.input_value("textarea[name=decisions]") == "見守りを強化する"
    assert _axe_violations(page) == []
    page.check(f"input[name=cases][value='{second.pk}']")
    page.click("text=保存する")
    page.wait_for_url("**/meetings/*/")
    body = page.inner_text("main")
    assert "支援調整会議" in body and "会議を記録しました" in body
    assert f"{first.number} 鈴木 一郎" in body and f"{second.number} 田中 二郎" in body


@pytest.fixture
def unlinked(cast, two_cases):
    return report(cast.csw_a, subject_name="鈴木 一郎")


def test_a_report_is_linked_after_the_confirmation(live_server, two_cases, unlinked, browser_page):
    first, _second = two_cases
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/outreach/reports/{unlinked.pk}/link/")
    assert page.input_value("input[name=q]") == "鈴木 一郎"
    page.click("main form.filters button[type=submit]")
    page.check(f"input[name=target][value='case:{first.pk}']")
    assert _axe_violations(page) == []
    page.click("text=この方を選ぶ")
    body = page.inner_text("main")
    assert "この方に結び付けます" in body and "鈴木 一郎" in body and first.number in body
    assert _axe_violations(page) == []
    page.click("button:has-text('結び付ける')")
    page.wait_for_url(f"**/outreach/reports/{unlinked.pk}/")
    assert "通報を連携しました" in page.inner_text("main")
    assert first.get_absolute_url() in page.content()
