"""A reminder delivered by the worker's code reaches the bell: the count, the list, the link
to the case, mark as read; then the worker chooses channels. Debian's Chromium."""

import datetime

import pytest
from django.utils import timezone

from casework import services as casework_services
from reminders import services
from reminders.models import Reminder
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quiet_case(cast, open_case):
    """A case of csw_a with no contact for 40 days, its reminder scanned and delivered."""
    case = open_case(cast.csw_a, opened_on=timezone.localdate() - datetime.timedelta(days=40))
    services.reminder_scan()
    services.reminder_deliver(Reminder.objects.values_list("pk", flat=True))
    assert Reminder.objects.get(recipient=cast.csw_a).state == "sent"
    # And one more notice, to mark read by hand.
    casework_services.notification_send(
        recipients=[cast.csw_a], message="会議の日程が決まりました。", url="/meetings/"
    )
    return case


def test_bell_list_link_mark_read_and_channels(live_server, cast, quiet_case, browser_page):
    page = browser_page
    base = live_server.url
    login(page, base, "csw_a")

    bell = page.locator("header a.bell")
    assert bell.locator(".count").inner_text() == "2"
    bell.click()
    page.wait_for_url("**/notifications/")
    item = page.locator("ul.notifications li.unread", has_text="30日以上支援記録がありません")
    assert "佐藤" not in item.inner_text()  # numbers, never names

    # Opening it leads to the case and marks it read.
    item.locator("a").first.click()
    page.wait_for_url(f"**/cases/{quiet_case.pk}/")
    assert bell.locator(".count").inner_text() == "1"

    page.goto(f"{base}/notifications/")
    assert page.locator("ul.notifications li.unread").count() == 1
    page.click("ul.notifications li.unread button:has-text('既読にする')")
    page.wait_for_url("**/notifications/")
    assert page.locator("ul.notifications li.unread").count() == 0
    assert page.locator("header a.bell .count").count() == 0

    page.click("text=通知方法の設定")
    page.wait_for_url("**/reminders/settings/")
    page.uncheck("input[name=in_app]")
    page.click("form:has(input[value=channels]) button[type=submit]")
    assert "少なくとも一つの通知方法を選んでください。" in page.locator("main").inner_text()
    page.check("input[name=in_app]")
    page.click("form:has(input[value=channels]) button[type=submit]")
    page.wait_for_url("**/reminders/settings/")
    assert "通知方法を保存しました。" in page.locator("main").inner_text()
