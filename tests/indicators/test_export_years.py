"""The exports say what the screen says of a year in progress, a year before records
began and a replaced approval: no −73.5% progress, no 0 for データなし."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import services
from tests.indicators.builders import D
from tests.indicators.conftest import attendances

pytestmark = pytest.mark.django_db


def _xlsx(client, snapshot):
    ref = f"?fy={snapshot.fiscal_year}&n={snapshot.number}"
    book = load_workbook(io.BytesIO(client.get(reverse("indicators:export_xlsx") + ref).content))
    sheet = book["成果指標"]
    header = [c.value for c in sheet[2]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3) if r[0].value}
    return book, sheet, header, rows


def _csv(client, snapshot):
    ref = f"?fy={snapshot.fiscal_year}&n={snapshot.number}"
    text = client.get(reverse("indicators:export_csv") + ref).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_year_in_progress_exports_its_figure_without_progress(client, cast, december_2024):
    services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    client.force_login(cast.indicator_officer)
    _book, sheet, header, rows = _xlsx(client, december_2024)
    row = rows["P2-1a"]
    assert row[header.index("今年度の値")].value == 4569
    assert row[header.index("年度")].value == "令和6年度(年度途中: 12月31日まで)"
    progress = row[header.index("目標に対する進捗(%)")]
    assert progress.value == "年度途中のため算出せず" and progress.data_type == "s"
    assert "年度途中: 12月31日まで" in sheet["A1"].value
    notes = [c.value for c in sheet["A"] if c.value]
    assert any(str(n).startswith("「年度途中のため算出せず」") for n in notes)
    assert not any("-73.5" in str(c.value) for r in sheet.iter_rows() for c in r)
    lines = _csv(client, december_2024)
    csv_row = next(r for r in lines if r and r[0] == "P2-1a")
    assert csv_row[6] == "4569" and csv_row[7] == "年度途中のため算出せず"


def test_a_year_before_records_began_exports_no_data_not_zero(client, cast, world):
    attendances(world, D(2023, 6, 1), 10, 20)
    world.child(D(2021, 5, 1), D(2021, 9, 30))
    fy2022 = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2022)
    client.force_login(cast.indicator_officer)
    _book, sheet, header, rows = _xlsx(client, fy2022)
    value = header.index("今年度の値")
    assert rows["P2-1a"][value].value == "データなし"
    # No records, no progress: the roll-up's placeholder 0 gives no −231.0%.
    progress = header.index("目標に対する進捗(%)")
    for code in ("P2-1a", "P1-3b"):
        assert rows[code][progress].value == "—", code
    assert rows["P1-3a"][value].value == 0 and rows["P1-3a"][value].data_type == "n"
    notes = [c.value for c in sheet["A"] if c.value]
    assert any(str(n).startswith("「データなし」") for n in notes)
    csv_row = next(r for r in _csv(client, fy2022) if r and r[0] == "P2-1a")
    assert csv_row[6] == "データなし" and csv_row[7] == "—"


def test_an_export_is_the_wards_japanese_document_on_an_english_screen(client, cast, december_2024):
    services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    client.force_login(cast.indicator_officer)
    client.cookies["django_language"] = "en"
    assert "Snapshots" in client.get(reverse("indicators:dashboard")).content.decode()
    book, sheet, _header, _rows = _xlsx(client, december_2024)
    meta = {r[0].value: r[1].value for r in book["集計情報"].iter_rows() if r[0].value}
    assert meta["状態"] == "承認済み" and meta["集計日時"].startswith("令和6年12月31日")
    assert "(承認済み)" in sheet["A1"].value and "Approved" not in sheet["A1"].value
    csv_text = "\n".join(",".join(r) for r in _csv(client, december_2024))
    assert "承認済み" in csv_text and "Approved" not in csv_text


def test_a_replaced_approval_says_so_in_its_export(client, cast, world, december_2024):
    first = services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    attendances(world, D(2025, 1, 6), 40, 50)
    second = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=second, reason="確定値")
    client.force_login(cast.indicator_officer)
    book, _sheet, _header, _rows = _xlsx(client, first)
    meta = {r[0].value: r[1].value for r in book["集計情報"].iter_rows() if r[0].value}
    assert meta["状態"] == "承認済み・差し替え済み(第2版)"
    book, _sheet, header, rows = _xlsx(client, second)
    meta = {r[0].value: r[1].value for r in book["集計情報"].iter_rows() if r[0].value}
    assert meta["状態"] == "承認済み"
    assert isinstance(rows["P2-1a"][header.index("目標に対する進捗(%)")].value, float)
