"""Screens that fit the hand and the device (issue 16): at 1366, 768 and 390 pixels wide no
page scrolls sideways; on a tablet or a phone the header is one line whose menu button opens
the menu; on a wide screen the longest menu (a supervisor's) is one row; the menu marks the
current page; a skip link leads past the header. Debian's Chromium."""

import datetime

import pytest
from django.utils import timezone

from casework import services
from casework.models import Agency
from tests.browser.conftest import PASSWORD
from tests.outreach import outreach_helpers as outreach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE, TABLET, PHONE = (1366, 900), (768, 1024), (390, 844)
SIZES = {"wide": WIDE, "tablet": TABLET, "phone": PHONE}

SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def world(cast, open_case):
    """The cast with the demo's long agency names (they made every page 434 pixels wide at
    390), a case with a contact, a visit to record, a watch report and an unread notice."""
    # Master data, as the admin would rename them.
    Agency.objects.filter(pk=cast.agency_a.pk).update(name="目黒区 北部地域包括支援センター")
    Agency.objects.filter(pk=cast.indicator_officer.membership.agency_id).update(
        name="目黒区 健康福祉計画課"
    )
    case = open_case(
        cast.csw_a,
        family_name="長谷川",
        given_name="久美子",
        opened_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        method="phone",
        minutes=15,
        summary="電話で体調を確認した。来週、地域包括支援センターの職員と一緒に自宅を訪問する。",
    )
    visit = outreach.plan(cast.csw_a, case=case)
    outreach.report(cast.csw_a)
    services.notification_send(
        recipients=[cast.csw_a], message="会議の日程が決まりました。", url="/meetings/"
    )
    return {"case": case.pk, "visit": visit.pk}


def sign_in(page, base, username, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def header_height(page):
    return page.evaluate("() => document.querySelector('header').getBoundingClientRect().height")


def current_entries(page):
    return page.locator("nav.main-nav a[aria-current=page]").all_inner_texts()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_no_page_scrolls_sideways(live_server, world, browser_page, size):
    page, base = browser_page, live_server.url
    case, visit = world["case"], world["visit"]
    pages = {
        "csw_a": [
            ("今日", "/"),
            ("担当ケース", "/cases/"),
            ("長谷川 久美子", f"/cases/{case}/"),
            ("経過記録", f"/cases/{case}/contacts/new/"),
            ("訪問の結果を記録", f"/outreach/visits/{visit}/record/"),
            ("見守り通報", "/outreach/reports/"),
        ],
        "supervisor_a": [("今日", "/"), ("ケース点検", "/caseload/")],
        "consultation_a": [("今日", "/")],
        # The indicator officer's home is the dashboard.
        "indicator_officer": [("成果指標", "/")],
    }
    wide = []
    for username, paths in pages.items():
        page.context.clear_cookies()
        sign_in(page, base, username, size)
        for heading, path in paths:
            page.goto(base + path)
            # The page shown is the one meant (not a login or an error page).
            assert heading in page.locator("main").inner_text(), (username, path)
            if page.evaluate(SCROLLS_SIDEWAYS):
                width = page.evaluate("() => document.documentElement.scrollWidth")
                wide.append((username, path, width))
    assert wide == [], f"pages wider than {size[0]}px: {wide}"
    if size == PHONE:
        # The supervisor's caseload table keeps readable columns: it scrolls in its own box.
        sign_in(page, base, "supervisor_a", size)
        page.goto(f"{base}/caseload/")
        box = page.locator("main .table-scroll").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        assert not page.evaluate(SCROLLS_SIDEWAYS)


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=["tablet", "phone"])
def test_header_is_one_line_and_its_menu_button_opens_the_menu(
    live_server, world, browser_page, size
):
    page, base = browser_page, live_server.url
    sign_in(page, base, "supervisor_a", size)

    assert header_height(page) <= 80
    # The bell and the unread count stay on the line.
    assert page.locator("header a.bell").is_visible()
    cases_link = page.locator("nav.main-nav a", has_text="担当ケース")
    assert not cases_link.is_visible()

    button = page.get_by_role("button", name="メニュー")
    assert button.get_attribute("aria-controls") == "site-menu"
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert cases_link.is_visible()
    assert page.locator("header .who").is_visible()
    assert page.locator("header select[name=language]").is_visible()
    # Escape closes it and gives focus back to the button.
    page.keyboard.press("Escape")
    assert not cases_link.is_visible()
    assert page.evaluate("() => document.activeElement.className") == "menu-toggle"

    button.click()
    cases_link.click()
    page.wait_for_url("**/cases/")
    assert page.locator("h1").inner_text() == "担当ケース"
    # A new page starts with the menu closed, its entry marked.
    assert not cases_link.is_visible()
    assert header_height(page) <= 80
    assert current_entries(page) == ["担当ケース"]


def test_without_the_script_the_menu_is_shown_as_a_list(live_server, world, browser_page):
    page = browser_page.context.browser.new_page(
        java_script_enabled=False, viewport={"width": PHONE[0], "height": PHONE[1]}
    )
    base = live_server.url
    sign_in(page, base, "csw_a", PHONE)
    assert not page.get_by_role("button", name="メニュー").is_visible()
    link = page.locator("nav.main-nav a", has_text="訪問")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/outreach/visits/")
    assert not page.evaluate(SCROLLS_SIDEWAYS)


def test_wide_screen_menu_is_one_row_and_marks_the_current_page(live_server, world, browser_page):
    page, base = browser_page, live_server.url
    case, visit = world["case"], world["visit"]
    sign_in(page, base, "supervisor_a", WIDE)

    links = page.locator("nav.main-nav a")
    labels = links.all_inner_texts()
    # The longest menu: a supervisor who handles cases.
    assert labels[0] == "今日" and labels[-1] == "アクセス記録" and len(labels) == 13
    tops = {round(link.bounding_box()["y"]) for link in links.all()}
    assert len(tops) == 1, tops
    assert all(link.is_visible() for link in links.all())
    assert not page.get_by_role("button", name="メニュー").is_visible()

    marked = {
        "/": ["今日"],
        f"/cases/{case}/": ["担当ケース"],
        f"/cases/{case}/contacts/new/": ["担当ケース"],
        "/cases/new/": ["新規受付"],
        f"/outreach/visits/{visit}/record/": ["訪問"],
        "/outreach/reports/": ["見守り通報"],
        "/caseload/": ["ケース点検"],
        "/indicators/": ["成果指標"],
    }
    for path, expected in marked.items():
        page.goto(base + path)
        assert current_entries(page) == expected, path
    # The current entry looks different too, not only to a screen reader.
    current = page.locator("nav.main-nav a[aria-current=page]")
    other = page.locator("nav.main-nav a", has_text="今日")
    weight = "el => getComputedStyle(el).fontWeight"
    assert current.evaluate(weight) != other.evaluate(weight)


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["wide", "phone"])
def test_skip_link_is_the_first_tab_stop_and_leads_to_main(live_server, world, browser_page, size):
    page, base = browser_page, live_server.url
    sign_in(page, base, "csw_a", size)
    page.goto(f"{base}/outreach/visits/{world['visit']}/record/")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("() => document.activeElement.textContent") == "本文へ移動"
    # Visible when focused: inside the viewport.
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab goes into the page's own content, past the header.
    page.keyboard.press("Tab")
    inside_main = "() => document.getElementById('main').contains(document.activeElement)"
    assert page.evaluate(inside_main)
