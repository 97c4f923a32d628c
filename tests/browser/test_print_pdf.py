"""The national forms on paper: Debian's Chromium prints each print view to PDF (what the
browser's 印刷 does), and poppler's pdftotext reads it back. On every form: the person's
name, no menu, no buttons, A4 pages numbered 「N / M」; on the plan, its version, check code
and the lines the person signs; on the 支援経過記録, the person's name on every page."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from casework import print_forms, services
from tests.browser.conftest import login
from tests.casework.workflow_helpers import monitor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

A4_POINTS = (595, 842)  # 210 × 297 mm
MENU = ("担当ケース", "本人検索", "ログアウト", "メニュー", "印刷する")


@pytest.fixture
def printed_case(cast, workflow):
    """A case from the counter, in support under plan 1, evaluated once, with 60 contact
    records long enough to fill several pages."""
    case = services.case_intake(
        actor=cast.csw_a,
        new_person={
            "family_name": "紙野",
            "given_name": "署子",
            "family_name_kana": "かみの",
            "given_name_kana": "しょこ",
            "birth_date": datetime.date(1961, 7, 15),
            "address": "目黒区中央町三丁目4-5",
        },
        received_on=timezone.localdate() - datetime.timedelta(days=90),
        route="visit",
        main_concern="income",
        chief_complaint="失業して家賃が払えない。",
    )
    plan = workflow.to_support(case, cast.csw_a)
    entry = monitor(cast.csw_a, plan, kind="evaluation", notes="求職活動を始めた。")
    start = timezone.now() - datetime.timedelta(days=80)
    for n in range(60):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=start + datetime.timedelta(days=n, hours=1),
            method="phone",
            minutes=15,
            summary=f"第{n + 1}回の連絡。"
            + "家計と求職の状況を聞き取り、次回の予定を確認した。" * 3,
        )
    return {
        "case": case,
        "plan": plan,
        "code": print_forms.plan_check_code(plan, plan.actions.all()),
        "assessment": plan.assessment,
        "entry": entry,
    }


def _pdf(page, url, tmp_path) -> list[str]:
    """The view printed to PDF as the browser's print does, read back one text per page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (apt-get install poppler-utils)")
    page.goto(url)
    page.emulate_media(media="print")
    path = tmp_path / "printed.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert size and (round(float(size[1])), round(float(size[2]))) == A4_POINTS, info.stdout
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append(re.sub(r"[ \t]+", " ", text))
    return pages


def _no_screen_parts(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        for word in MENU:
            assert word not in text, f"page {number} shows {word}"
        # The page's foot (pdftotext may close up the spaces of the small print).
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", text), f"page {number} has no number"


def test_the_plan_prints_for_the_persons_signature(
    live_server, printed_case, browser_page, tmp_path
):
    page = browser_page
    login(page, live_server.url, "csw_a")
    pages = _pdf(page, f"{live_server.url}/plans/{printed_case['plan'].pk}/print/", tmp_path)
    text = "\n".join(pages)
    assert len(pages) == 1
    for shown in (
        "プラン兼事業等利用申込書",
        "紙野 署子",
        "かみの しょこ",
        "昭和36年7月15日",
        "目黒区中央町三丁目4-5",
        "第1版",
        printed_case["code"],
        "本人署名",
        "申込日",
        "安定した生活を送る",
        "社協A",
    ):
        assert shown in text, shown
    _no_screen_parts(pages)


def test_the_contact_log_names_the_person_on_every_page(
    live_server, printed_case, browser_page, tmp_path
):
    page = browser_page
    login(page, live_server.url, "csw_a")
    pages = _pdf(
        page, f"{live_server.url}/cases/{printed_case['case'].pk}/print/contacts/", tmp_path
    )
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "紙野 署子" in text, f"page {number} does not name the person"
    text = "\n".join(pages)
    assert text.index("第1回の連絡") < text.index("第60回の連絡")
    _no_screen_parts(pages)

    # A chosen range prints only its records, on fewer pages.
    start = (timezone.localdate() - datetime.timedelta(days=25)).isoformat()
    url = f"{live_server.url}/cases/{printed_case['case'].pk}/print/contacts/?date_from={start}"
    some = _pdf(page, url, tmp_path)
    assert len(some) < len(pages)
    assert "第1回の連絡" not in "\n".join(some) and "第60回の連絡" in "\n".join(some)


@pytest.mark.parametrize(
    ("url", "title", "shown"),
    [
        ("/cases/{case}/print/intake/", "相談受付・申込票", "失業して家賃が払えない。"),
        ("/assessments/{assessment}/print/", "インテーク・アセスメントシート", "総合所見"),
        ("/monitoring/{entry}/print/", "評価シート", "求職活動を始めた。"),
    ],
)
def test_each_form_prints_on_a4_without_the_screen(
    live_server, printed_case, browser_page, tmp_path, url, title, shown
):
    page = browser_page
    login(page, live_server.url, "supervisor_a")
    ids = {k: printed_case[k].pk for k in ("case", "assessment", "entry")}
    pages = _pdf(page, live_server.url + url.format(**ids), tmp_path)
    text = "\n".join(pages)
    assert len(pages) <= 2
    for expected in (title, "紙野 署子", shown):
        assert expected in text, expected
    _no_screen_parts(pages)


def test_the_print_button_opens_the_print_dialog(live_server, printed_case, browser_page):
    page = browser_page
    login(page, live_server.url, "csw_a")
    page.goto(f"{live_server.url}/plans/{printed_case['plan'].pk}/print/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("text=印刷する")
    assert page.evaluate("window.printed") is True
