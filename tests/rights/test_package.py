"""The disclosure package: everything held about the person across the agencies, with the
third parties' information and the other agencies' notes withheld for review."""

import datetime
import io
import json
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework import services
from outreach import services as outreach_services
from referrals import services as referral_services
from rights import package, render
from rights.models import RightsRequest
from tests import builders
from tests.attachment_files import signed_form

A_SUMMARY = "社協Aが電話で近況を確認した。"
B_SUMMARY = "包括Bが訪問し室内の様子を見た。"
REPORTER = "近所の山田一郎"
REPORTER_PHONE = "090-1111-2222"
MEMBER = "世帯 太郎"
# Queries the package costs however long the record is (see test_query_count_is_fixed).
MAX_QUERIES = 23


def _fields(pkg, key):
    section = next(s for s in pkg["sections"] if s["key"] == key)
    return [f for item in section["items"] for f in item["fields"]]


def _field(pkg, key, value):
    return next(f for f in _fields(pkg, key) if f["value"] == value)


@pytest.fixture
def record(cast, case_a):
    """A person with a case in agency A and, after A's referral to B, one in agency B, each
    with a 経過記録 written by its own agency, a household with another member, and a watch
    report with a reporter."""
    person = case_a.person
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="介護保険の申請を手伝ってほしい",
        urgency="normal",
        answer_by=timezone.localdate() + datetime.timedelta(days=7),
        scope="summary",
    )
    referral_services.referral_accept(actor=cast.supervisor_b, referral=referral, worker=cast.csw_b)
    case_b = builders.open_case(cast, cast.csw_b, person=person)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for actor, case, summary in ((cast.csw_a, case_a, A_SUMMARY), (cast.csw_b, case_b, B_SUMMARY)):
        services.contact_record_add(
            actor=actor,
            case=case,
            occurred_at=an_hour_ago,
            method="phone",
            minutes=10,
            summary=summary,
        )
    services.household_member_add(
        actor=cast.csw_a,
        person=person,
        person_relation="head",
        new_member={
            "family_name": "世帯",
            "given_name": "太郎",
            "family_name_kana": "せたい",
            "given_name_kana": "たろう",
        },
        member_relation="spouse",
    )
    outreach_services.report_receive(
        actor=cast.csw_a,
        reporter_kind="neighbour",
        reporter_name=REPORTER,
        reporter_contact=REPORTER_PHONE,
        received_at=an_hour_ago,
        address=person.address or "目黒区中央町一丁目",
        district=cast.agency_a.district,
        noticed="郵便受けに郵便物がたまっている",
        urgency="normal",
        person=person,
    )
    request = RightsRequest.objects.create(
        kind="disclosure",
        person=person,
        agency=cast.agency_a,
        received_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        requester="本人",
        content="全部",
        registered_by=cast.csw_a,
    )
    return {"request": request, "person": person, "case_a": case_a, "case_b": case_b}


def test_another_agencys_note_is_withheld_and_our_own_is_not(record):
    pkg = package.assemble(record["request"])
    theirs = _field(pkg, "contacts", B_SUMMARY)
    assert theirs["withheld"] is True
    assert "包括B" in theirs["why"]
    ours = _field(pkg, "contacts", A_SUMMARY)
    assert ours["withheld"] is False
    assert ours["why"] == ""
    # The facts of B's case are the person's own and are released.
    numbers = [f["value"] for f in _fields(pkg, "cases") if f["label"] == "ケース番号"]
    assert numbers == [record["case_a"].number, record["case_b"].number]
    assert not any(f["withheld"] for f in _fields(pkg, "cases"))


def test_third_parties_are_withheld(record):
    pkg = package.assemble(record["request"])
    member = _field(pkg, "household", MEMBER)
    assert member["withheld"] and member["why"]
    reporter = _field(pkg, "watch_reports", REPORTER)
    assert reporter["withheld"] and reporter["why"]
    assert _field(pkg, "watch_reports", REPORTER_PHONE)["withheld"]
    # The person's own details and place in the household are theirs.
    assert not any(f["withheld"] for f in _fields(pkg, "person"))
    assert _field(pkg, "person", str(record["person"]))["label"] == "氏名"
    assert _field(pkg, "person", "昭和19年5月1日")["label"] == "生年月日"
    own = [f for f in _fields(pkg, "household") if f["label"] == "続柄" and not f["withheld"]]
    assert [f["value"] for f in own] == ["世帯主"]
    counted = sum(f["withheld"] for s in pkg["sections"] for i in s["items"] for f in i["fields"])
    assert pkg["withheld_count"] == counted >= 4


def test_released_value_redacts():
    field = {"label": "内容", "value": "秘密", "withheld": True, "why": "他機関(包括B)の記録"}
    assert package.released_value(field) == "■■■■(不開示:他機関(包括B)の記録)"
    assert package.released_value({**field, "withheld": False, "why": ""}) == "秘密"


def test_the_package_is_json_and_in_the_shape_stored(record):
    pkg = package.assemble(record["request"])
    assert json.loads(json.dumps(pkg)) == pkg
    assert pkg["version"] == 1
    assert pkg["request_id"] == record["request"].pk
    assert pkg["person_id"] == record["person"].pk
    assert pkg["agency"] == "社協A"
    datetime.datetime.fromisoformat(pkg["assembled_at"])
    for section in pkg["sections"]:
        assert set(section) == {"key", "title", "items"}
        for item in section["items"]:
            assert set(item) == {"title", "agency", "fields"}
            for f in item["fields"]:
                assert set(f) == {"label", "value", "withheld", "why"}
                assert isinstance(f["value"], str)


def test_voided_records_are_noted_without_their_text(cast, record):
    contact = services.contact_record_add(
        actor=cast.csw_a,
        case=record["case_a"],
        occurred_at=timezone.now() - datetime.timedelta(minutes=30),
        method="phone",
        minutes=5,
        summary="別の方の記録を誤って書いた。",
    )
    services.contact_record_void(actor=cast.supervisor_a, record=contact, reason="別の方の記録")
    pkg = package.assemble(record["request"])
    values = [f["value"] for f in _fields(pkg, "contacts")]
    assert "別の方の記録を誤って書いた。" not in values
    assert "別の方の記録" in values


def test_the_access_log_of_the_record_is_listed(cast, record, client):
    client.force_login(cast.csw_a)
    client.get(record["person"].get_absolute_url())
    pkg = package.assemble(record["request"])
    actions = [f["value"] for f in _fields(pkg, "access_log") if f["label"] == "操作"]
    assert "本人情報閲覧" in actions


def _assemble_counting(request):
    with CaptureQueriesContext(connection) as queries:
        package.assemble(request)
    return len(queries)


def test_query_count_is_fixed(cast, record, workflow, django_assert_max_num_queries):
    # A record of every kind, so that every prefetch runs.
    case_a = record["case_a"]
    plan = workflow.to_support(case_a, cast.csw_a)
    services.meeting_record(
        actor=cast.csw_a,
        kind="coordination",
        held_on=timezone.localdate(),
        title="支援調整会議",
        attending_agencies=[cast.agency_a, cast.agency_b],
        decisions="家計相談につなぐ",
        cases=[case_a],
    )
    services.attachment_add(
        actor=cast.csw_a,
        person=record["person"],
        case=case_a,
        plan=plan,
        kind="signed_form",
        title="署名済みプランの控え",
        file=signed_form(),
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        package.assemble(record["request"])
    one_record = _assemble_counting(record["request"])
    for n in range(10):
        services.contact_record_add(
            actor=cast.csw_b,
            case=record["case_b"],
            occurred_at=timezone.now() - datetime.timedelta(minutes=50 - n),
            method="phone",
            minutes=5,
            summary=f"追加の記録{n}",
        )
    eleven_records = _assemble_counting(record["request"])
    assert eleven_records == one_record
    pkg = package.assemble(record["request"])
    assert {"支援プラン 第1版", "支援調整会議", "署名済みプランの控え"} <= {
        f["value"] for s in pkg["sections"] for i in s["items"] for f in i["fields"]
    } | {i["title"].split("(")[0] for s in pkg["sections"] for i in s["items"]}


# --- the copies -----------------------------------------------------------------------------

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # A wrapped line is not a change of text.
    return done.stdout.decode().replace("\n", "")


@needs_pdftotext
def test_released_pdf_blacks_out_what_is_withheld(record):
    request = record["request"]
    pkg = package.assemble(request)
    text = _pdf_text(render.package_pdf(request, pkg, released=True))
    assert "保有個人情報開示資料(開示用)" in text
    assert str(record["person"]) in text
    assert A_SUMMARY in text
    assert "■■■■(不開示:" in text
    for withheld in (B_SUMMARY, REPORTER, REPORTER_PHONE, MEMBER):
        assert withheld not in text
    assert re.search(r"1 ?/ ?\d", text)


@needs_pdftotext
def test_review_pdf_shows_it_with_the_mark(record):
    request = record["request"]
    pkg = package.assemble(request)
    text = _pdf_text(render.package_pdf(request, pkg, released=False))
    assert "保有個人情報開示資料(確認用)" in text
    for withheld in (B_SUMMARY, REPORTER, MEMBER):
        assert withheld in text
    assert "【要確認:" in text
    assert "■■■■" not in text


@needs_pdftotext
def test_a_long_note_runs_over_pages(record):
    """A cell never splits across pages: a 経過記録 longer than a page is cut into rows."""
    request = record["request"]
    pkg = package.assemble(request)
    before = _pdf_text(render.package_pdf(request, pkg, released=True)).count("長")
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "内容", "value": "長い記録の本文。" * 2500, "withheld": False, "why": ""}
    )
    text = _pdf_text(render.package_pdf(request, pkg, released=True))
    assert text.count("長") - before == 2500
    assert "(続き)" in text


@needs_pdftotext
def test_characters_beyond_jis_x_0208_are_kept(record):
    request = record["request"]
    pkg = package.assemble(request)
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "氏名(旧)", "value": "𠮷野 﨑子", "withheld": False, "why": ""}
    )
    assert "𠮷野 﨑子" in _pdf_text(render.package_pdf(request, pkg, released=True))


def _sheet_values(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def test_released_xlsx_leaves_out_what_is_withheld(record):
    request = record["request"]
    pkg = package.assemble(request)
    released = _sheet_values(render.package_xlsx(request, pkg, released=True))
    assert A_SUMMARY in released
    assert B_SUMMARY not in released
    assert REPORTER not in released
    assert any(v.startswith("■■■■(不開示:") for v in released)
    review = _sheet_values(render.package_xlsx(request, pkg, released=False))
    assert B_SUMMARY in review
    assert REPORTER in review
    assert any(v.startswith("要確認:") for v in review)
    workbook = load_workbook(io.BytesIO(render.package_xlsx(request, pkg, released=False)))
    assert [c.value for c in workbook["支援経過記録"][4]] == ["項目", "機関", "欄", "内容", "確認"]


def test_xlsx_quotes_text_a_spreadsheet_would_run(record):
    request = record["request"]
    pkg = package.assemble(request)
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "内容", "value": "=HYPERLINK(1)", "withheld": False, "why": ""}
    )
    values = _sheet_values(render.package_xlsx(request, pkg, released=True))
    assert "'=HYPERLINK(1)" in values
    assert "=HYPERLINK(1)" not in values


def test_package_rows_give_each_copy_its_text(record):
    pkg = package.assemble(record["request"])
    released = package.package_rows(pkg, released=True)
    review = package.package_rows(pkg, released=False)
    shown = [f for s in released for i in s["items"] for f in i["fields"] if f["withheld"]]
    assert shown and all(f["text"].startswith("■■■■(不開示:") and not f["mark"] for f in shown)
    marked = [f for s in review for i in s["items"] for f in i["fields"] if f["withheld"]]
    assert {f["text"] for f in marked} >= {B_SUMMARY, REPORTER, MEMBER}
    assert all(f["mark"].startswith("【要確認:") for f in marked)


def test_the_print_page_shows_the_copy(cast, record, client):
    request = record["request"]
    request.package = package.assemble(request)
    request.save(update_fields=["package"])
    client.force_login(cast.supervisor_a)
    url = reverse("rights:package_print", kwargs={"pk": request.pk})
    released = client.get(url).content.decode()
    assert "保有個人情報開示資料(開示用)" in released
    assert A_SUMMARY in released
    assert B_SUMMARY not in released
    assert REPORTER not in released
    assert 'class="withheld"' in released
    review = client.get(url, {"copy": "review"}).content.decode()
    assert B_SUMMARY in review
    assert "【要確認:" in review
