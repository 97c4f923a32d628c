"""The Excel export as a reviewer opens and prints it: frozen headers, A4 fitted to the page
width, numbers as numbers, and the breakdowns as the cross tables of the snapshot page."""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.xlsx import text_width
from indicators import services
from tests.indicators.builders import D, plan_baseline

pytestmark = pytest.mark.django_db

DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized


@pytest.fixture
def snapshot(cast, world):
    plan_baseline(world, 2024)
    # A lone child in the north: a small cell the district table must hide.
    world.child(D(2024, 4, 1), district="north")
    # Care-prevention participants: 12 of 30 in the north and 10 of 20 in the east take
    # part in community activities; the other districts have none (no rate at all).
    group = world.group(district="north")
    for district, members, active in (("north", 30, 12), ("east", 20, 10)):
        for n in range(members):
            person = world.person(district=district)
            world.participant(group, person, D(2024, 5, 1), active=n < active)
    services.survey_record(
        actor=cast.indicator_officer,
        indicator="P1",
        percent="40.0",
        respondents=1200,
        survey_name="区民意識調査",
        surveyed_on=D(2024, 7, 1),
    )
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    return services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)


@pytest.fixture
def book(client, cast, snapshot):
    client.force_login(cast.supervisor_a)
    ref = f"?fy={snapshot.fiscal_year}&n={snapshot.number}"
    response = client.get(reverse("indicators:export_xlsx") + ref)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _header_row(sheet):
    """The row just above the frozen pane."""
    return int(re.fullmatch(r"[A-Z]+(\d+)", sheet.freeze_panes).group(1)) - 1


def _rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _summary(book):
    sheet = book["成果指標"]
    header = _header_row(sheet)
    columns = [c.value for c in sheet[header]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=header + 1) if row[0].value}
    return columns, rows


def test_every_sheet_freezes_its_header_and_prints_on_a4_fitted_to_width(book):
    assert book.sheetnames[0] == "成果指標"
    assert "内訳 P1-3a 地区×年齢" in book.sheetnames and book.sheetnames[-1] == "集計情報"
    for sheet in book:
        header = _header_row(sheet)
        # Frozen below the header and right of the row labels; the header is bold.
        assert sheet.freeze_panes in (f"B{header + 1}", f"C{header + 1}"), sheet.title
        assert all(c.font.bold for c in sheet[header] if c.value), sheet.title
        assert sheet.print_title_rows == f"$1:${header}", sheet.title
        assert sheet.print_title_cols.startswith("$A:"), sheet.title
        setup = sheet.page_setup
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, sheet.title
        assert sheet.page_margins.left == 0.5 and sheet.page_margins.top == 0.75
        # Every printed page says what it is and which page of how many.
        assert "令和6年度 第1版" in sheet.oddHeader.center.text, sheet.title
        assert sheet.oddFooter.center.text == "&P / &N"
        assert sheet.oddFooter.left.text.startswith("集計日時 令和"), sheet.title
    summary = book["成果指標"]
    assert summary.freeze_panes == "C3"  # below the header, right of コード and 指標名
    assert summary.page_setup.orientation == "landscape"
    assert book["内訳 P1-3a 地区×年齢"].freeze_panes == "B4"


def test_columns_are_as_wide_as_their_japanese_text(book):
    assert text_width("地区不明") == 8 and text_width("P1-3a") == 5 and text_width("ｱｲｳ") == 3
    summary = book["成果指標"]
    name = summary.column_dimensions["B"].width
    # The long indicator names are capped, and wrap rather than run under the next column.
    assert DEFAULT_WIDTH < name <= 50
    assert summary["B3"].alignment.wrap_text
    assert summary.column_dimensions["A"].width < name
    districts = book["内訳 P1-3a 地区×年齢"]
    # 「地区不明」 is four full-width characters: wider than Excel's default column.
    assert districts.column_dimensions["A"].width >= text_width("地区不明") + 2 > DEFAULT_WIDTH


def test_figures_are_numbers_with_number_formats(book):
    columns, rows = _summary(book)
    value, baseline = columns.index("今年度の値"), columns.index("現状値")
    progress = columns.index("目標に対する進捗(%)")
    attendances = rows["P2-1a"]
    assert attendances[value].value == 6700 and attendances[value].data_type == "n"
    assert attendances[value].number_format == "#,##0"
    assert attendances[baseline].value == 6700
    # Percentages are the figures the screen shows (40.0 for 40.0%), with one decimal.
    survey = rows["P1"]
    assert survey[value].value == 40.0 and survey[value].data_type == "n"
    assert survey[value].number_format == "0.0"
    assert survey[baseline].value == 36.6 and survey[baseline].number_format == "0.0"
    assert survey[progress].data_type == "n" and survey[progress].number_format == "0.0"
    assert survey[progress].value == 12.0  # (40.0 - 36.6) / (65 - 36.6) = 11.97…
    # No figure yet: the mark, not an empty cell and not a zero.
    assert rows["P2"][value].value == "—" and rows["P2"][value].alignment.horizontal == "right"
    rate = book["内訳 P2-1b 地区別"]
    body = {row[0].value: row for row in rate.iter_rows(min_row=_header_row(rate) + 1)}
    assert body["分母"][1].value == 30 and body["分母"][1].number_format == "#,##0"
    assert body["割合(%)"][1].value == 40.0 and body["割合(%)"][1].data_type == "n"
    assert body["割合(%)"][1].number_format == "0.0"


def _screen_tables(page: str) -> dict[tuple[str, str], list[list[str]]]:
    """The snapshot page's breakdowns: (code, title) -> rows of cell texts, header first."""
    tables = {}
    for code, section in re.findall(r"<h2>(\S+) 内訳</h2>(.*?)</section>", page, re.S):
        for title, table in re.findall(
            r"<h3>(.*?)</h3>\s*<table[^>]*>(.*?)</table>", section, re.S
        ):
            tables[(code, html.unescape(title))] = [
                [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
            ]
    return tables


def _shown(cell) -> str:
    """A cell as the screen writes it: numbers plain (1340, 40.0), marks as they are."""
    value = cell.value
    if isinstance(value, int | float) and cell.number_format == "0.0":
        return f"{value:.1f}"
    return "" if value is None else str(value)


def test_breakdowns_are_the_cross_tables_of_the_snapshot_page(client, book, snapshot):
    page = client.get(reverse("indicators:snapshot") + f"?fy=2024&n={snapshot.number}")
    screen = _screen_tables(page.content.decode())
    assert ("P1-3a", "地区×年齢") in screen and ("P2-1b", "地区別") in screen
    sheets = [name for name in book.sheetnames if name.startswith("内訳 ")]
    assert len(sheets) == len(screen)
    for (code, title), rows in screen.items():
        sheet = book[f"内訳 {code} {title}"]
        header = _header_row(sheet)
        exported = [[_shown(c) for c in row] for row in sheet.iter_rows(min_row=header)]
        # Rows x columns as on screen: the same header, the same row labels, the same cells.
        assert exported[0] == ["", *rows[0][1:]], (code, title)
        # The table ends where the screen's does: a blank row, then the notes.
        assert not any(exported[len(rows)]), (code, title)
        for screen_row, sheet_row in zip(rows[1:], exported[1 : len(rows)], strict=True):
            for shown, cell in zip(screen_row, sheet_row, strict=True):
                # A rate without a denominator is "no rate" in the export, not a hidden cell.
                assert cell == shown or (screen_row[0] == "割合(%)" and cell == "—"), (
                    code,
                    title,
                    screen_row,
                    sheet_row,
                )
    districts = book["内訳 P1-3a 地区×年齢"]
    header = _header_row(districts)
    assert [c.value for c in districts[header]] == [
        None,
        "0〜5歳",
        "6〜11歳",
        "12〜14歳",
        "15〜17歳",
        "18歳以上",
        "年齢不明",
        "計",
    ]
    rows = {r[0].value: r for r in districts.iter_rows(min_row=header + 1)}
    assert "北部" in rows and "地区不明" in rows
    assert rows["計"][-1].value == 41 == snapshot.values["indicators"]["P1-3a"]["value"]


def test_a_breakdown_total_is_the_dashboards_figure(client, book):
    attendances = book["内訳 P2-1a 地区別"]
    header = _header_row(attendances)
    assert attendances.cell(header, attendances.max_column).value == "合計"
    total = attendances.cell(header + 1, attendances.max_column).value
    dashboard = client.get(reverse("indicators:dashboard")).content.decode()
    assert f"令和6年度: {total:,}" in dashboard


def test_suppressed_cells_show_the_screens_mark_with_a_note(book, snapshot):
    sheet = book["内訳 P1-3a 地区×年齢"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=_header_row(sheet) + 1)}
    hidden = [c for c in rows["北部"][1:] if c.value == "*"]
    assert hidden, "the lone child in the north is hidden"
    assert all(c.data_type == "s" and c.alignment.horizontal == "right" for c in hidden)
    notes = [r[0] for r in _rows(sheet) if isinstance(r[0], str) and r[0].startswith("「*」")]
    assert notes and f"1〜{snapshot.suppression_k}未満" in notes[0]
    rate = book["内訳 P2-1b 地区別"]
    assert any(r[0] == "「—」: 分母が0で、割合がありません。" for r in _rows(rate))


def test_the_time_of_computation_stays_in_wareki(book):
    meta = dict((r[0], r[1]) for r in _rows(book["集計情報"]))
    assert re.fullmatch(r"令和\d+年\d+月\d+日 \d\d:\d\d", meta["集計日時"])
    assert meta["年度"] == "令和6年度"
    assert "集計日時 令和" in book["成果指標"]["A1"].value
