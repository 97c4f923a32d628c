"""A worker hides a DV victim's address in a real browser: a missing reason is told next to
the field, the mark then shows at the top of the person's page with whom to ask, and the
supervisor of the same agency, not named on it, sees 「秘匿」 where the address and phone
were, on the case page and on its print."""

import pytest

from casework.models import Person
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDRESS = "目黒区避難先一丁目1番1号"
PHONE = "03-1111-2222"


@pytest.fixture
def person(case_a):
    Person.objects.filter(pk=case_a.person_id).update(address=ADDRESS, phone=PHONE)
    return Person.objects.get(pk=case_a.person_id)


def test_a_worker_hides_an_address_from_everyone_else(live_server, case_a, person, browser_page):
    page = browser_page
    base = live_server.url
    login(page, base, "csw_a")
    page.goto(f"{base}/persons/{person.pk}/")
    assert ADDRESS in page.locator("dl.facts").inner_text()
    page.click("main >> text=秘匿を指定")
    page.wait_for_url(f"**/persons/{person.pk}/confidential/new/")

    # No reason: told next to the field, nothing marked.
    page.check("input[name=kind][value=address]")
    page.click("main button[type=submit]")
    error = page.locator("#id_reason_error")
    assert error.inner_text().strip()
    assert page.locator(".field.has-error textarea[name=reason]").count() == 1

    page.check("input[name=kind][value=address]")
    page.fill("textarea[name=reason]", "DV等支援措置の申出")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/persons/{person.pk}/")
    notice = page.locator(".confidential-marks").inner_text()
    assert "住所・電話の秘匿" in notice
    assert "閲覧できる職員" in notice
    # The named worker still sees the address.
    assert ADDRESS in page.locator("dl.facts").inner_text()

    page.context.clear_cookies()
    login(page, base, "supervisor_a")
    page.goto(f"{base}/cases/{case_a.pk}/")
    facts = page.locator("dl.facts").first.inner_text()
    assert ADDRESS not in facts and PHONE not in facts
    assert "秘匿" in facts
    assert "住所・電話の秘匿" in page.locator(".confidential-marks").inner_text()
    page.goto(f"{base}/cases/{case_a.pk}/print/intake/")
    assert ADDRESS not in page.content()
    # The mark's page says whom to ask, not why.
    page.goto(f"{base}/persons/{person.pk}/")
    page.click(".confidential-marks >> text=秘匿の指定")
    assert "DV等支援措置の申出" not in page.content()
    assert "秘匿を解除" not in page.content()
