"""Agency A refers a person to agency B in a real browser; B accepts and sees only what A
shared; A withdraws; B loses access. Debian's Chromium through Playwright."""

import datetime

import pytest
from django.utils import timezone

from casework import services
from casework.models import ConsentBasis
from tests.browser.conftest import login as _login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def referable_case(cast, open_case):
    case = open_case(
        cast.csw_a,
        family_name="中村",
        given_name="トメ",
        family_name_kana="なかむら",
        given_name_kana="とめ",
    )
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        method="home_visit",
        minutes=30,
        summary="自宅を訪問。介護保険の申請が必要。",
    )
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        method="phone",
        minutes=10,
        summary="長男との関係について内密の相談。",
    )
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate(),
    )
    return case


def _logout(page):
    page.click("header button:has-text('ログアウト')")
    page.wait_for_url("**/accounts/login/")


def test_refer_accept_see_summary_withdraw_lose_access(
    live_server,
    cast,
    referable_case,
    browser_page,
):
    page = browser_page
    base = live_server.url
    case_url = f"{base}/cases/{referable_case.pk}/"
    agency_b = str(cast.agency_b.pk)

    # Agency A refers, sharing only the home visit.
    _login(page, base, "csw_a")
    page.goto(case_url)
    page.click("main >> text=他機関へつなぐ")
    page.select_option("select[name=receiving_agency]", agency_b)
    # csw_a knows who will take it over there: csw_b, the one worker who sees it before
    # it is answered besides the supervisors.
    page.select_option("select[name=named_worker]", str(cast.csw_b.pk))
    page.fill("textarea[name=reason]", "介護保険の申請と見守りをお願いしたい。")
    page.check("input[name=scope][value=summary]")
    page.check("label:has-text('介護保険の申請が必要') >> input")
    page.click("main button[type=submit]")
    page.wait_for_url("**/referrals/*/")
    referral_url = page.url
    assert page.inner_text("h1 .status") == "回答待ち"
    _logout(page)

    # Agency B finds it in its inbox, accepts, and sees the summary only.
    _login(page, base, "csw_b")
    page.click("nav >> text=つなぎ")
    page.click(f"main a[href='{referral_url.removeprefix(base)}']")
    assert "介護保険の申請が必要" not in page.inner_text("main")
    page.click("main >> text=受理する")
    page.select_option("select[name=worker]", str(cast.csw_b.pk))
    page.click("main button[type=submit]")
    page.wait_for_url(referral_url)
    shared = page.inner_text("main")
    assert "介護保険の申請が必要" in shared
    assert "内密の相談" not in shared
    assert page.goto(case_url).status == 403
    _logout(page)

    # Agency A withdraws.
    _login(page, base, "csw_a")
    page.goto(referral_url)
    page.click("main >> text=取り下げる")
    page.fill("textarea[name=reason]", "本人の希望")
    page.click("main button[type=submit]")
    page.wait_for_url(referral_url)
    assert page.inner_text("h1 .status") == "取り下げ"
    _logout(page)

    # Agency B has lost access: the case is unknown to it, the summary is gone.
    _login(page, base, "csw_b")
    assert page.goto(case_url).status == 404
    page.goto(referral_url)
    assert "介護保険の申請が必要" not in page.inner_text("main")
    assert page.inner_text("h1 .status") == "取り下げ"
