"""The return's exports (returns.exports), from snapshots written by hand: each expected
cell is known. The workbook is opened as a reader opens it; the CSV is parsed as a
spreadsheet would read it."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from returns import exports
from returns.definitions import BY_CODE, CODES, DEFINITION_VERSION
from returns.models import ReturnSnapshot, ReturnState
from tests.factories import AgencyFactory, StaffFactory

pytestmark = pytest.mark.django_db

MONTHS = ["4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月"]
PERIOD = "令和7年度(令和7年4月1日〜令和8年3月31日)"


def count(value):
    return {"value": value, "numerator": None, "denominator": None}


def rate(value, numerator, denominator):
    return {"value": value, "numerator": numerator, "denominator": denominator}


def document(*, covers_until=None, breakdown=None):
    """FY2025: R01 is 3 in April and 4 in May (year 10: 3 later in the year); R09 is 50.0
    in May (1 of 2) and 33.3 over the year (1 of 3); nobody was evaluated in the other
    months (no rate). Everything else is 0."""
    months = []
    for n in range(12):
        first = datetime.date(2025 + (n + 3) // 12, (n + 3) % 12 + 1, 1)
        figures = {code: count(0) for code in CODES}
        figures["R09"] = rate(None, 0, 0)
        months.append({"month": first.isoformat(), "figures": figures})
    months[0]["figures"]["R01"] = count(3)
    months[1]["figures"]["R01"] = count(4)
    months[6]["figures"]["R01"] = count(3)
    months[1]["figures"]["R09"] = rate("50.0", 1, 2)
    year = {code: count(0) for code in CODES}
    year["R01"] = count(10)
    year["R09"] = rate("33.3", 1, 3)
    values = {
        "fiscal_year": 2025,
        "period": ["2025-04-01", "2026-03-31"],
        "covers_until": covers_until,
        "months": months,
        "year": year,
        "improvement_items": [
            {"item": "motivation", "improved": 2, "compared": 3},
            {"item": "finances", "improved": 0, "compared": 1},
        ],
    }
    if breakdown is not None:
        values["breakdown"] = breakdown
    return values


def breakdown(second="B機関"):
    """Three agencies' years: A's and C's R01 hidden, A's R08 a real 0, B's R09 hidden, C's
    R09 nobody evaluated."""
    return {
        "agencies": ["A機関", second, "C機関"],
        "agency_ids": [1, 2, 3],
        "items": {
            "R01": [None, 7, None],
            "R08": [0, 12, 15],
            "R09": ["50.0", None, ""],
        },
    }


def snapshot(*, agency=None, number=1, approved_by=None, **kwargs):
    approval = {}
    if approved_by is not None:
        approval = {
            "state": ReturnState.APPROVED,
            "approved_by": approved_by,
            "approved_at": timezone.make_aware(datetime.datetime(2026, 4, 10, 15, 0)),
        }
    return ReturnSnapshot.objects.create(
        agency=agency,
        fiscal_year=2025,
        number=number,
        definition_version=DEFINITION_VERSION,
        suppression_k=3,
        values=document(**kwargs),
        computed_via=ReturnSnapshot.Via.COMMAND,
        computed_at=timezone.make_aware(datetime.datetime(2026, 4, 5, 9, 30)),
        **approval,
    )


@pytest.fixture
def agency_snapshot():
    return snapshot(agency=AgencyFactory(name="J1自立相談支援機関"))


@pytest.fixture
def ward_snapshot():
    approver = StaffFactory(username="planner", last_name="計画", first_name="花子")
    return snapshot(number=2, approved_by=approver, breakdown=breakdown())


def book(snap):
    return load_workbook(io.BytesIO(exports.to_xlsx(snap)))


def header_row(sheet):
    """The row just above the frozen pane."""
    return int(re.fullmatch(r"[A-Z]+(\d+)", sheet.freeze_panes).group(1)) - 1


def meta(sheet):
    """The labels above the table and their values."""
    return {
        row[0].value: row[1].value
        for row in sheet.iter_rows(max_row=header_row(sheet) - 1)
        if row[0].value and len(row) > 1
    }


def table(sheet):
    """{(code or row label, column header): cell} of the table under the header."""
    number = header_row(sheet)
    columns = [c.value for c in sheet[number]]
    cells = {}
    for row in sheet.iter_rows(min_row=number + 1):
        key = row[0].value or row[1].value
        for column, cell in zip(columns, row, strict=False):
            cells.setdefault((key, column), cell)
    return cells


def test_the_header_names_the_agency_the_period_the_version_and_the_state(agency_snapshot):
    sheet = book(agency_snapshot)["支援状況調査"]
    assert sheet["A1"].value == "支援状況調査" and sheet["A1"].font.bold
    lines = meta(sheet)
    assert lines["機関"] == "J1自立相談支援機関"
    assert lines["期間"] == PERIOD
    assert lines["版"] == "第1版"
    assert lines["状態"] == "下書き"
    assert lines["集計日時"] == "令和8年4月5日 09:30"
    assert lines["定義の版"] == DEFINITION_VERSION
    assert "注記" not in lines  # a year computed after it ended


def test_the_wards_return_is_named_as_the_ward_with_who_approved_it_and_when(ward_snapshot):
    lines = meta(book(ward_snapshot)["支援状況調査"])
    assert lines["機関"] == "目黒区(区全体)"
    assert lines["版"] == "第2版"
    assert lines["状態"] == "承認済み(承認者 計画 花子、令和8年4月10日 15:00)"


def test_a_replaced_approval_says_so_and_its_replacement_names_it():
    approver = StaffFactory(username="planner2")
    first = snapshot(number=1, approved_by=approver)
    second = ReturnSnapshot.objects.create(
        fiscal_year=2025,
        number=2,
        state=ReturnState.APPROVED,
        definition_version=DEFINITION_VERSION,
        suppression_k=3,
        values=document(),
        computed_via=ReturnSnapshot.Via.COMMAND,
        approved_by=approver,
        approved_at=timezone.now(),
        supersedes=first,
        supersede_reason="=R01の誤りを訂正",
    )
    assert meta(book(first)["支援状況調査"])["状態"].endswith("・差し替え済み(第2版)")
    lines = meta(book(second)["支援状況調査"])
    assert lines["差し替え前の版"] == "第1版"
    assert lines["差し替えの理由"] == "'=R01の誤りを訂正"


def test_a_year_still_running_says_until_which_day_its_records_reach():
    snap = snapshot(agency=AgencyFactory(), covers_until="2025-11-30")
    lines = meta(book(snap)["支援状況調査"])
    assert lines["注記"] == "令和7年11月30日までの記録による年度途中の集計"
    assert ["注記", "令和7年11月30日までの記録による年度途中の集計"] in _csv(snap)


def test_a_figure_sits_at_its_items_row_and_its_months_column(agency_snapshot):
    sheet = book(agency_snapshot)["支援状況調査"]
    number = header_row(sheet)
    assert [c.value for c in sheet[number]] == [
        "番号",
        "項目",
        "単位",
        "数え方",
        *MONTHS,
        "年度計",
        "備考",
    ]
    cells = table(sheet)
    assert [cells[(code, "番号")].value for code in CODES] == list(CODES)
    assert cells[("R01", "項目")].value == "新規相談受付件数"
    assert cells[("R01", "単位")].value == "件"
    assert cells[("R01", "数え方")].value == "件数"
    assert cells[("R03", "数え方")].value == "実人数"
    assert cells[("R01", "4月")].value == 3
    assert cells[("R01", "5月")].value == 4
    assert cells[("R01", "10月")].value == 3
    assert cells[("R01", "年度計")].value == 10
    assert cells[("R01", "年度計")].number_format == "#,##0"
    # A zero is a number 0, not blank.
    assert cells[("R02", "5月")].value == 0 and cells[("R02", "5月")].data_type == "n"


def test_the_evaluation_share_is_its_percent_as_a_number_with_its_parts(agency_snapshot):
    cells = table(book(agency_snapshot)["支援状況調査"])
    year = cells[("R09", "年度計")]
    assert year.value == pytest.approx(33.3) and year.data_type == "n"
    assert year.number_format == "0.0"
    assert cells[("R09", "5月")].value == pytest.approx(50.0)
    # Nobody evaluated in April: no rate, a blank cell (not 0).
    assert cells[("R09", "4月")].value is None
    assert cells[("R09", "備考")].value == "改善 1人 / 評価 3人"
    numerators = cells[("うち改善が見られた人(分子)", "年度計")]
    denominators = cells[("評価で比べられた人(分母)", "年度計")]
    assert (numerators.value, denominators.value) == (1, 3)
    assert cells[("評価で比べられた人(分母)", "5月")].value == 2


def test_each_items_rule_is_on_the_definitions_sheet(agency_snapshot):
    sheet = book(agency_snapshot)["定義"]
    cells = table(sheet)
    r03 = BY_CODE["R03"]
    assert cells[("R03", "定義")].value == r03.rule
    assert cells[("R03", "基準日")].value == r03.dated_by
    assert cells[("R03", "元の記録")].value == r03.source
    assert cells[("R03", "項目の版")].value == r03.version
    assert DEFINITION_VERSION in sheet["A1"].value


def test_the_improvement_per_change_item_is_listed_under_the_table(agency_snapshot):
    rows = [[c.value for c in row] for row in book(agency_snapshot)["支援状況調査"].iter_rows()]
    start = rows.index([None, "変化項目別の改善(年度)", *[None] * 16])
    assert rows[start + 1][1:4] == ["変化項目", "改善した人", "比べた人"]
    assert rows[start + 2][1:4] == ["意欲・気力", 2, 3]
    assert rows[start + 3][1:4] == ["家計・経済状況", 0, 1]


def test_the_wards_breakdown_shows_suppressed_cells_as_a_star(ward_snapshot):
    workbook = book(ward_snapshot)
    assert workbook.sheetnames == ["支援状況調査", "機関別", "定義"]
    sheet = workbook["機関別"]
    number = header_row(sheet)
    assert [c.value for c in sheet[number]] == ["番号", "項目", "機関", "年度計"]
    body = sheet.iter_rows(min_row=number + 1, max_row=number + 9)
    rows = [[c.value for c in row][:4] for row in body]
    assert rows[0] == ["R01", "新規相談受付件数", "A機関", "*"]
    assert rows[1] == ["R01", "新規相談受付件数", "B機関", 7]
    assert rows[2] == ["R01", "新規相談受付件数", "C機関", "*"]
    assert rows[3][2:] == ["A機関", 0] and rows[4][2:] == ["B機関", 12]
    assert rows[6][2:] == ["A機関", pytest.approx(50.0)]
    assert rows[7][2:] == ["B機関", "*"] and rows[8][2:] == ["C機関", "—"]
    zero = sheet.cell(number + 4, 4)
    assert zero.value == 0 and zero.data_type == "n"
    notes = " ".join(str(c.value) for c in sheet["A"] if c.value)
    assert "「*」: 秘匿したセルです" in notes and "秘匿の閾値 k = 3" in notes
    assert "機関別は年度の値だけです" in notes


def test_no_breakdown_sheet_without_a_breakdown(agency_snapshot):
    assert "機関別" not in book(agency_snapshot).sheetnames
    lone = snapshot(number=3, breakdown={"agencies": ["A機関"], "agency_ids": [1], "items": {}})
    assert "機関別" not in book(lone).sheetnames


def test_every_sheet_is_frozen_under_its_header_and_prints_a4_landscape(ward_snapshot):
    workbook = book(ward_snapshot)
    for sheet in workbook:
        number = header_row(sheet)
        assert all(c.font.bold for c in sheet[number] if c.value), sheet.title
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1, sheet.title
    assert workbook["支援状況調査"].freeze_panes.startswith("E")
    assert workbook["支援状況調査"].column_dimensions["B"].width > 20
    properties = workbook.properties
    for value in (properties.creator, properties.lastModifiedBy, properties.title):
        assert "計画" not in (value or "") and "花子" not in (value or "")


def _csv(snap):
    text = exports.to_csv(snap)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_the_same_grid(ward_snapshot):
    rows = _csv(ward_snapshot)
    assert rows[0] == ["支援状況調査"]
    assert ["機関", "目黒区(区全体)"] in rows and ["期間", PERIOD] in rows
    header = rows.index(["番号", "項目", "単位", "数え方", *MONTHS, "年度計", "備考"])
    by_code = {row[0]: row for row in rows[header + 1 : header + 12] if row and row[0]}
    assert by_code["R01"][4:6] == ["3", "4"] and by_code["R01"][16] == "10"
    assert by_code["R09"][4:6] == ["", "50.0"]
    assert by_code["R09"][16:] == ["33.3", "改善 1人 / 評価 3人"]
    assert ["意欲・気力", "2", "3"] in rows
    breakdown_header = rows.index(["番号", "項目", "機関", "年度計"])
    a_r01, b_r01 = rows[breakdown_header + 1], rows[breakdown_header + 2]
    assert a_r01 == ["R01", "新規相談受付件数", "A機関", "*"]
    assert b_r01 == ["R01", "新規相談受付件数", "B機関", "7"]
    assert any(row and row[0].startswith("「*」: 秘匿したセルです") for row in rows)
    r03 = next(row for row in rows if row[:2] == ["R03", BY_CODE["R03"].name_ja] and len(row) == 8)
    assert r03[6] == BY_CODE["R03"].rule


def test_a_formula_in_an_agency_name_is_neutralised():
    evil = '=HYPERLINK("http://x","x")'
    snap = snapshot(agency=AgencyFactory(name=evil))
    sheet = book(snap)["支援状況調査"]
    cell = next(c for c in sheet["B"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.value == "'" + evil and cell.data_type == "s"
    assert ["機関", "'" + evil] in _csv(snap)

    ward = snapshot(number=4, breakdown=breakdown(second="+SUM(1,2)"))
    names = [c.value for c in book(ward)["機関別"]["C"]]
    assert "'+SUM(1,2)" in names and "+SUM(1,2)" not in names
    assert all(row[2] != "+SUM(1,2)" for row in _csv(ward) if len(row) > 2)


def test_the_files_are_in_japanese_whatever_the_readers_language(ward_snapshot):
    with translation.override("en"):
        workbook = book(ward_snapshot)
        rows = _csv(ward_snapshot)
        assert translation.get_language() == "en"
    sheet = workbook["支援状況調査"]
    assert meta(sheet)["状態"].startswith("承認済み")
    assert meta(sheet)["集計日時"] == "令和8年4月5日 09:30"
    cells = table(sheet)
    assert cells[("R03", "数え方")].value == "実人数"
    assert ("R01", "5月") in cells
    assert ["機関", "目黒区(区全体)"] in rows
    assert ["意欲・気力", "2", "3"] in rows


def test_file_names_carry_no_names(agency_snapshot, ward_snapshot):
    assert exports.filename(ward_snapshot, "xlsx") == "return_FY2025_ward_v2.xlsx"
    assert (
        exports.filename(agency_snapshot, ".csv")
        == f"return_FY2025_agency{agency_snapshot.agency_id}_v1.csv"
    )
