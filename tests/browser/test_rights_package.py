"""A disclosure package as the supervisor meets it: received at the counter by csw_a, the
supervisor assembles it on the request's page and prints the released copy from the
browser; Chromium's PDF, read back by pdftotext, names the person and blacks out the other
household member, on numbered A4 pages."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from casework import services
from rights import services as rights_services
from tests import builders
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

A4_POINTS = (595, 842)


@pytest.fixture
def received(cast, open_case):
    case = open_case(cast.csw_a, family_name="開示", given_name="求子", family_name_kana="かいじ")
    services.household_member_add(
        actor=cast.csw_a,
        person=case.person,
        person_relation="head",
        new_member={"family_name": "同居", "given_name": "次郎", "family_name_kana": "どうきょ"},
        member_relation="child",
    )
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        method="home_visit",
        minutes=30,
        summary="自宅を訪問し家計の状況を聞いた。",
    )
    return rights_services.request_register(
        actor=cast.csw_a,
        person=case.person,
        kind="disclosure",
        received_on=timezone.localdate(),
        requester="本人",
        content="保有個人情報の全部",
    )


def test_the_supervisor_assembles_and_prints_the_released_copy(
    live_server, received, browser_page, tmp_path
):
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (apt-get install poppler-utils)")
    page = browser_page
    login(page, live_server.url, "supervisor_a")
    page.goto(f"{live_server.url}/rights/")
    page.get_by_role("link", name=str(received.pk), exact=True).click()
    page.get_by_role("button", name="開示資料を作成する").click()
    page.get_by_text("開示資料を作成しました").wait_for()
    assert page.get_by_text("確認が必要な箇所が").is_visible()
    page.get_by_role("link", name="決定を記録する").click()
    page.get_by_label("一部認める(一部開示)").check()
    page.get_by_label("決定の理由").fill("同居の方の情報を除く")
    page.get_by_role("button", name="記録する").click()
    page.get_by_text("決定を記録しました").wait_for()
    with page.expect_navigation():
        page.locator("li", has_text="開示用").get_by_role("link", name="印刷").click()
    page.emulate_media(media="print")
    path = tmp_path / "released.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert size and (round(float(size[1])), round(float(size[2]))) == A4_POINTS
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "保有個人情報開示資料(開示用)" in flat
    assert "開示求子" in flat and "自宅を訪問し家計の状況を聞いた。" in flat
    assert "同居次郎" not in flat and "不開示" in flat
    assert f"1/{pages}" in flat
    for word in ("ログアウト", "担当ケース", "印刷する"):
        assert word not in flat


def test_the_counter_receives_a_request_from_the_persons_page(live_server, cast, browser_page):
    case = builders.open_case(cast, cast.csw_a, family_name="窓口", family_name_kana="まどぐち")
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/persons/{case.person_id}/")
    page.get_by_role("link", name="請求を受け付ける").click()
    page.get_by_label("利用停止請求").check()
    page.get_by_label("請求の内容").fill("他機関への提供をやめてほしい")
    page.get_by_role("button", name="受け付ける").click()
    page.get_by_text("請求を受け付けました").wait_for()
    assert page.get_by_text("あと30日").first.is_visible()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.get_by_text("利用停止中").first.is_visible()
