"""The national return as the agency's supervisor meets it, in Debian's Chromium: open
支援状況調査 from the menu, compute a year, read a figure with its rule, open the cases behind
it, approve the version and download it as Excel. The records are the hand-built ward of
tests/returns (J1's known answers: April 2025 R01 = 3, the intakes of 馬場, 千葉 and 後藤)."""

from __future__ import annotations

import openpyxl
import pytest

from config.celery import app as celery_app
from tests.browser.conftest import login
from tests.returns.conftest import ward  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def eager_celery():
    """The computation runs in the server's thread when the button is pressed."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_a_supervisor_computes_checks_approves_and_exports_the_return(
    live_server,
    ward,  # noqa: F811
    eager_celery,
    browser_page,
    tmp_path,
):
    page = browser_page
    login(page, live_server.url, "sv_j1")
    page.click("nav >> text=支援状況調査")
    assert page.locator("h1").inner_text().startswith("支援状況調査")
    assert "自立相談支援機関J1" in page.locator("h1").inner_text()

    page.select_option("select[name=fiscal_year]", "2025")
    page.click("text=記録から集計する(下書きを作成)")
    assert "令和7年度の集計を開始しました" in page.locator(".messages").inner_text()
    row = page.locator("table.list tbody tr", has_text="令和7年度")
    assert "下書き" in row.inner_text()
    row.locator("text=表示").click()

    assert "令和7年度 第1版 (下書き)" in page.locator("h1").inner_text()
    r01 = page.locator("tr#R01")
    cells = r01.locator("td")
    assert cells.nth(0).inner_text() == "3"  # 4月
    assert cells.nth(12).inner_text() == "4"  # 年度計
    r01.locator("summary", has_text="数え方").click()
    assert "受付日が期間内にある相談受付の件数" in r01.locator("details").inner_text()
    r09 = page.locator("tr#R09")
    assert "0.0%" in r09.locator("td").nth(12).inner_text()
    assert "0/2" in r09.locator("td").nth(12).inner_text()

    cells.nth(0).locator("a").click()
    assert "R01 新規相談受付件数" in page.locator("h1").inner_text()
    listed = page.locator("table.list tbody").inner_text()
    for name in ("馬場", "千葉", "後藤"):
        assert name in listed
    assert "青木" not in listed  # A's intake is March's: the year before
    page.go_back()

    page.click("text=確認して承認する(以後変更されません)")
    assert "承認しました" in page.locator(".messages").inner_text()
    assert "(承認済み)" in page.locator("h1").inner_text()
    assert page.locator("text=確認して承認する(以後変更されません)").count() == 0

    with page.expect_download() as download:
        page.click("text=Excelで出力")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "J1" not in download.value.suggested_filename
    path = tmp_path / "return.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    text = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "自立相談支援機関J1" in " ".join(text)
    assert "新規相談受付件数" in text
