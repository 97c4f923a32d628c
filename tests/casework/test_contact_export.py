"""A case's 経過記録 downloaded as Excel and CSV: what the ward's staff open it for.

The file names the person and the case, lists the timeline of the chosen period oldest
first (the latest text of a corrected record, marked; no record marked 誤記録), keeps
typed text from running as a formula, is in Japanese whatever the screen language, and
each download writes one access-log row of kind 出力 saying which period was output.
"""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework import services
from casework.models import AccessLog, ConsentBasis
from casework.wareki import wareki_date
from referrals import services as referral_services

HEADERS = ["日付", "方法", "所要時間(分)", "対応者", "内容", "次回の対応", "訂正"]
EXPORT = AccessLog.Action.EXPORT


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _at(days_ago: int, hour: int = 10, minute: int = 30) -> datetime.datetime:
    day = _days_ago(days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _contact(cast, case, days_ago, summary, *, method="phone", minutes=10, next_action="", hour=10):
    return services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=_at(days_ago, hour),
        method=method,
        minutes=minutes,
        summary=summary,
        next_action=next_action,
    )


@pytest.fixture
def case(cast, open_case):
    """A case of csw_a with 経過記録 before, within and after the period of PERIOD: one
    marked 誤記録, one corrected, one whose text starts like a formula."""
    case = open_case(
        cast.csw_a,
        family_name="出力",
        given_name="太郎",
        family_name_kana="しゅつりょく",
        given_name_kana="たろう",
        opened_on=_days_ago(200),
    )
    _contact(cast, case, 150, "期間より前の記録")
    _contact(cast, case, 60, "電話で近況を確認した。", next_action="来週訪問する")
    _contact(cast, case, 100, "初回の訪問。", method="home_visit", minutes=45)
    corrected = _contact(cast, case, 70, "訂正前の内容")
    services.contact_record_correct(
        actor=cast.csw_a,
        record=corrected,
        version=1,
        reason="聞き取りの誤り",
        summary="訂正後の内容",
    )
    voided = _contact(cast, case, 80, "別の人の記録")
    services.contact_record_void(actor=cast.supervisor_a, record=voided, reason="別ケースの記録")
    _contact(cast, case, 50, '=HYPERLINK("http://evil.example","x")')
    _contact(cast, case, 20, "期間より後の記録")
    return case


# The period the tests download: from 120 to 40 days ago.
PERIOD = {"date_from": 120, "date_to": 40}
IN_PERIOD = [
    "初回の訪問。",
    "訂正後の内容",
    "電話で近況を確認した。",
    '\'=HYPERLINK("http://evil.example","x")',
]


def _period() -> dict[str, str]:
    return {key: _days_ago(n).isoformat() for key, n in PERIOD.items()}


def _period_label() -> str:
    return f"{wareki_date(_days_ago(120))}〜{wareki_date(_days_ago(40))}"


def _get(client, name, case, params=None, **headers):
    response = client.get(reverse(f"casework:{name}", kwargs={"pk": case.pk}), params, **headers)
    assert response.status_code == 200, response.status_code
    return response


def _workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def _sheet_lines(sheet) -> tuple[dict[str, object], int]:
    """The lines above the table as {label: value}, and the header's row number."""
    lines = {}
    for row in sheet.iter_rows(min_row=1):
        if row[0].value == "日付":
            return lines, row[0].row
        if row[0].value:
            lines[row[0].value] = row[1].value
    raise AssertionError("no header row")


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def _csv_table(lines) -> tuple[dict[str, str], list[list[str]]]:
    header = lines.index(HEADERS)
    meta = {line[0]: (line[1] if len(line) > 1 else "") for line in lines[:header] if line}
    return meta, lines[header + 1 :]


# --- what the files hold -------------------------------------------------------------------


def test_the_workbook_names_the_person_and_lists_the_period_oldest_first(client, cast, case):
    client.force_login(cast.csw_a)
    sheet = _workbook(_get(client, "contacts_xlsx", case, _period()))
    lines, header = _sheet_lines(sheet)
    assert sheet["A1"].value == "支援経過記録"
    assert lines["本人"] == "出力 太郎(しゅつりょく たろう)"
    assert lines["ケース"] == str(case)
    assert lines["機関"] == "社協A"
    assert lines["期間"] == _period_label()
    assert lines["方法"] == "すべて"
    assert lines["出力者"] == "職員 " + cast.csw_a.first_name
    assert lines["出力日時"].startswith(wareki_date(timezone.localdate()))

    assert [c.value for c in sheet[header]] == HEADERS
    table = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    assert [row[4] for row in table] == IN_PERIOD
    dates = [row[0] for row in table]
    assert all(isinstance(d, datetime.datetime) for d in dates)
    assert dates == sorted(dates)
    assert dates[0] == _at(100).replace(tzinfo=None)  # local time, as the case page shows it
    assert all(_days_ago(120) <= d.date() <= _days_ago(40) for d in dates)
    first = sheet.cell(header + 1, 1)
    assert first.number_format == "yyyy/mm/dd hh:mm"
    assert table[0][1:4] == ("訪問", 45, "職員 " + cast.csw_a.first_name)
    assert table[2][5] == "来週訪問する"
    # The corrected record: its latest text, marked; the others unmarked.
    assert [row[6] for row in table] == [None, "訂正あり(第2版)", None, None]
    assert "別の人の記録" not in {row[4] for row in table}


def test_text_that_looks_like_a_formula_is_stored_as_text(client, cast, case):
    client.force_login(cast.csw_a)
    sheet = _workbook(_get(client, "contacts_xlsx", case, _period()))
    _lines, header = _sheet_lines(sheet)
    cells = [sheet.cell(row, 5) for row in range(header + 1, sheet.max_row + 1)]
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(str(cell.value).startswith("=") for cell in cells)
    assert cells[-1].value.startswith("'=HYPERLINK")

    lines = _csv(_get(client, "contacts_csv", case, _period()))
    _meta, table = _csv_table(lines)
    assert table[-1][4].startswith("'=HYPERLINK")


def test_the_csv_holds_the_same_lines_and_table(client, cast, case):
    client.force_login(cast.csw_a)
    response = _get(client, "contacts_csv", case, _period())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    meta, table = _csv_table(_csv(response))
    assert "支援経過記録" in meta
    assert meta["本人"] == "出力 太郎(しゅつりょく たろう)"
    assert meta["ケース"] == str(case)
    assert meta["期間"] == _period_label()
    assert [row[4] for row in table] == IN_PERIOD
    assert table[0][0] == f"{_at(100):%Y/%m/%d} 10:30"
    assert table[0][1:4] == ["訪問", "45", "職員 " + cast.csw_a.first_name]
    assert [row[6] for row in table] == ["", "訂正あり(第2版)", "", ""]


def test_without_a_period_everything_on_the_timeline_is_output(client, cast, case):
    client.force_login(cast.csw_a)
    meta, table = _csv_table(_csv(_get(client, "contacts_csv", case)))
    assert meta["期間"] == "全期間"
    assert [row[4] for row in table] == [
        "期間より前の記録",
        *IN_PERIOD,
        "期間より後の記録",
    ]


def test_the_method_filter_of_the_timeline_applies(client, cast, case):
    client.force_login(cast.csw_a)
    meta, table = _csv_table(_csv(_get(client, "contacts_csv", case, {"method": "home_visit"})))
    assert meta["方法"] == "訪問"
    assert [row[4] for row in table] == ["初回の訪問。"]


def test_bad_filter_input_outputs_everything(client, cast, case):
    client.force_login(cast.csw_a)
    params = {"date_from": "31/02/2026", "method": "x"}
    meta, table = _csv_table(_csv(_get(client, "contacts_csv", case, params)))
    assert meta["期間"] == "全期間" and len(table) == 6


def test_a_long_record_is_kept_whole_and_wraps(client, cast, open_case):
    case = open_case(cast.csw_a)
    summary = ("訪問して生活の様子を聞き取った。" * 1250)[:20000]
    _contact(cast, case, 1, summary + "\n")
    # Pasted from a word processor: a line break within a paragraph is a vertical tab.
    # An hour after the first (not "today at 10:30", which before 10:30 is in the future).
    _contact(cast, case, 1, "一行目\x0b二行目", hour=11)
    client.force_login(cast.csw_a)
    sheet = _workbook(_get(client, "contacts_xlsx", case))
    _lines, header = _sheet_lines(sheet)
    long_cell = sheet.cell(header + 1, 5)
    assert long_cell.value == summary
    assert long_cell.alignment.wrap_text
    assert sheet.cell(header + 2, 5).value == "一行目\n二行目"


def test_the_file_name_says_which_case_not_who(client, cast, case):
    client.force_login(cast.csw_a)
    day = f"{timezone.localdate():%Y%m%d}"
    disposition = _get(client, "contacts_xlsx", case)["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="keiroku-case{case.pk}-{day}.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote(f'経過記録_ケース{case.number}_{day}.xlsx')}" in disposition
    assert "出力" not in disposition and quote("出力") not in disposition
    csv_disposition = _get(client, "contacts_csv", case)["Content-Disposition"]
    assert f'filename="keiroku-case{case.pk}-{day}.csv"' in csv_disposition


def test_the_files_are_in_japanese_on_an_english_screen(client, cast, case):
    """The screen is English where the user chose it with the switcher (its cookie; the
    browser's Accept-Language alone changes nothing): the files stay the ward's Japanese."""
    client.force_login(cast.csw_a)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    response = _get(client, "contacts_xlsx", case, _period(), **headers)
    assert response["Content-Language"] == "en"  # the request was answered in English
    sheet = _workbook(response)
    lines, header = _sheet_lines(sheet)
    assert [c.value for c in sheet[header]] == HEADERS
    assert lines["ケース"] == f"ケース {case.number}"
    assert lines["期間"] == _period_label()
    assert sheet.cell(header + 1, 2).value == "訪問"

    meta, table = _csv_table(_csv(_get(client, "contacts_csv", case, _period(), **headers)))
    assert meta["方法"] == "すべて" and table[1][1] == "電話"
    assert table[1][6] == "訂正あり(第2版)"
    row = AccessLog.objects.filter(case=case, action=EXPORT).latest("pk")
    assert row.detail == f"経過記録のCSV出力({_period_label()})"


# --- the access log --------------------------------------------------------------------------


def _export_rows(case):
    return list(AccessLog.objects.filter(case=case, action=EXPORT).order_by("pk"))


def _share_with_consultation_b(cast, case):
    consent = services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=_days_ago(10),
    )
    services.case_share(actor=cast.csw_a, case=case, user=cast.consultation_b, consent=consent)


def test_each_download_writes_one_export_row_naming_the_case_and_the_period(client, cast, case):
    _share_with_consultation_b(cast, case)
    client.force_login(cast.consultation_b)  # reads the case through the share
    start = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _get(client, "contacts_xlsx", case, _period())
    _get(client, "contacts_csv", case)
    _get(client, "contacts_csv", case, {"date_from": _days_ago(30).isoformat(), "method": "phone"})
    rows = list(AccessLog.objects.filter(pk__gt=start).order_by("pk"))
    assert [(r.action, r.case_id, r.person_id, r.user_id) for r in rows] == [
        (EXPORT, case.pk, case.person_id, cast.consultation_b.pk)
    ] * 3
    assert [r.detail for r in rows] == [
        f"経過記録のExcel出力({_period_label()})",
        "経過記録のCSV出力(全期間)",
        f"経過記録のCSV出力({wareki_date(_days_ago(30))}〜、電話)",
    ]
    # Filed for the supervisors of both agencies: the reader's and the case's.
    client.force_login(cast.supervisor_a)
    shown = client.get(reverse("casework:access_log"), {"case": case.number}).context["page"]
    assert "経過記録のCSV出力(全期間)" in {row.detail for row in shown.object_list}


# --- who may download ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contacts_xlsx", "contacts_csv"])
@pytest.mark.parametrize(
    "member",
    ["consultation_a", "csw_b", "supervisor_b", "admin_a", "indicator_officer", "outsider"],
)
def test_those_who_may_not_know_the_case_get_404_and_no_row(client, cast, case, name, member):
    client.force_login(getattr(cast, member))
    before = AccessLog.objects.count()
    response = client.get(reverse(f"casework:{name}", kwargs={"pk": case.pk}))
    assert response.status_code == 404
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("name", ["contacts_xlsx", "contacts_csv"])
def test_a_summary_referral_receiver_gets_403(client, cast, case, name):
    """They know the case through the referral, but may read only what the sender picked,
    on the referral's page: not the whole timeline."""
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=_days_ago(10),
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="介護保険の申請",
        urgency="normal",
        answer_by=_days_ago(-7),
        scope="summary",
    )
    referral_services.referral_accept(actor=cast.supervisor_b, referral=referral, worker=cast.csw_b)
    client.force_login(cast.csw_b)
    before = AccessLog.objects.filter(action=EXPORT).count()
    assert client.get(reverse(f"casework:{name}", kwargs={"pk": case.pk})).status_code == 403
    assert AccessLog.objects.filter(action=EXPORT).count() == before


@pytest.mark.parametrize("name", ["contacts_xlsx", "contacts_csv"])
def test_the_supervisor_downloads_and_a_post_is_refused(client, cast, case, name):
    client.force_login(cast.supervisor_a)
    url = reverse(f"casework:{name}", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    assert len(_export_rows(case)) == 1


# --- the cost of a download ------------------------------------------------------------------

# Session, user, membership, the case (with its person and agency) and the user's rights on
# it, the 経過記録 with their workers, the access-log row and its security-log row (an export
# of personal data): whatever the number of records.
DOWNLOAD_QUERIES = 9


@pytest.mark.parametrize("name", ["contacts_xlsx", "contacts_csv"])
@pytest.mark.parametrize("n", [3, 30])
def test_a_download_costs_the_same_queries_for_3_or_30_records(
    client, cast, open_case, django_assert_num_queries, name, n
):
    case = open_case(cast.csw_a)
    workers = [cast.csw_a, cast.supervisor_a]
    for i in range(n):
        services.contact_record_add(
            actor=workers[i % 2],
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(hours=i + 1),
            method="phone",
            minutes=5,
            summary=f"記録 {i}",
        )
    client.force_login(cast.csw_a)
    url = reverse(f"casework:{name}", kwargs={"pk": case.pk})
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_a_control_character_before_a_formula_does_not_make_it_run(client, cast, case):
    """A pasted \\x01 before "=" is dropped before the formula check, not after it."""
    _contact(cast, case, 1, '\x01=HYPERLINK("http://evil.example","x")')
    client.force_login(cast.csw_a)
    sheet = _workbook(_get(client, "contacts_xlsx", case, {}))
    _lines, header = _sheet_lines(sheet)
    cells = [sheet.cell(row, 5) for row in range(header + 1, sheet.max_row + 1)]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[-1].value == '\'=HYPERLINK("http://evil.example","x")'
    _meta, table = _csv_table(_csv(_get(client, "contacts_csv", case, {})))
    assert table[-1][4] == '\'=HYPERLINK("http://evil.example","x")'
