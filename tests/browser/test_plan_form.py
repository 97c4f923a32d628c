"""The 支援内容 table of the plan form in Debian's Chromium: 「行を追加」 adds rows in place,
all of them are saved in one go, and axe-core finds nothing wrong with the form, new or
being edited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = [
    ("家計相談", "月1回"),
    ("ハローワーク同行", "週1回"),
    ("通院同行", "2週に1回"),
    ("郵便物の整理", "毎週"),
]


@pytest.fixture
def assessed_case(cast, open_case, workflow):
    case = open_case(cast.csw_a, opened_on=timezone.localdate() - datetime.timedelta(days=7))
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    return case


@pytest.fixture
def draft_plan(cast, assessed_case, workflow):
    return workflow.draft_plan(assessed_case, cast.csw_a)


def _axe_violations(page) -> list[str]:
    """axe-core's violations on the page (axe-playwright-python bundles it: nothing is
    fetched), one line each: rule, impact and the elements it names."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {', '.join(t for n in v['nodes'] for t in n['target'])}"
        for v in results.response["violations"]
    ]


def test_rows_added_in_place_are_all_saved(live_server, assessed_case, browser_page):
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/cases/{assessed_case.pk}/plans/new/")
    rows = page.locator("#plan-actions tbody tr")
    assert rows.count() == 2
    page.fill("textarea[name=long_term_goal]", "地域で安心して暮らす")
    page.click("text=行を追加")
    page.click("text=行を追加")
    assert rows.count() == 4
    # The new row's first field has the focus, named by its column and row.
    assert page.evaluate("document.activeElement.name") == "actions-3-description"
    assert page.get_by_label("支援内容 4行目").count() == 1
    assert page.input_value("input[name=actions-TOTAL_FORMS]") == "4"
    for number, (description, frequency) in enumerate(ROWS, start=1):
        page.get_by_label(f"支援内容 {number}行目").fill(description)
        page.get_by_label(f"頻度 {number}行目").fill(frequency)
    page.get_by_label("担当機関 3行目").select_option(label="社協A")
    page.click("form[data-autosave] button[type=submit]")

    # 短期目標 was left empty: refused, and the rows added come back as typed.
    page.wait_for_selector(".error-summary")
    assert rows.count() == 4
    assert page.get_by_label("支援内容 4行目").input_value() == "郵便物の整理"
    page.fill("textarea[name=short_term_goals]", "家計を見直す")
    page.click("form[data-autosave] button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    assert "支援プランを保存しました" in page.inner_text("main")
    listed = page.locator("section.card", has=page.locator("h2", has_text="支援内容"))
    cells = listed.locator("tbody tr td:first-child").all_inner_texts()
    assert cells == [description for description, _ in ROWS]
    assert "社協A" in listed.locator("tbody tr").nth(2).inner_text()


def test_the_add_button_stops_at_twenty_rows(live_server, assessed_case, browser_page):
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/cases/{assessed_case.pk}/plans/new/")
    button = page.get_by_role("button", name="行を追加")
    for _ in range(18):
        button.click()
    assert page.locator("#plan-actions tbody tr").count() == 20
    assert button.is_disabled()
    assert page.get_by_label("削除 20行目").count() == 1


def test_the_new_plan_form_has_no_axe_violations(live_server, assessed_case, browser_page):
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/cases/{assessed_case.pk}/plans/new/")
    page.click("text=行を追加")
    assert _axe_violations(page) == []
    # The scan sees the table: without its labels, its inputs and selects are reported.
    page.evaluate("document.querySelectorAll('#plan-actions label').forEach(l => l.remove())")
    found = {line.split(" ")[0] for line in _axe_violations(page)}
    assert {"label", "select-name"} <= found


def test_editing_a_plan_with_actions_has_no_axe_violations(live_server, draft_plan, browser_page):
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/plans/{draft_plan.pk}/edit/")
    assert page.get_by_label("支援内容 1行目").input_value() == "家計相談"
    assert _axe_violations(page) == []
    # And with an error in a row, shown next to its field.
    page.get_by_label("支援内容 1行目").fill("")
    page.click("form[data-autosave] button[type=submit]")
    error = page.locator("#id_actions-0-description_error")
    assert error.inner_text() == "支援内容を入力してください。"
    assert page.get_by_label("支援内容 1行目").get_attribute("aria-describedby") == (
        "id_actions-0-description_error"
    )
    assert _axe_violations(page) == []
