"""Exports for the annual review (CSV and Excel), from a snapshot: Japanese headers, no
names, no record ids — only the snapshot's already-suppressed figures."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from casework.templatetags.tsunagu import jdatetime
from casework.wareki import fiscal_year_label
from indicators.definitions import INDICATORS, progress
from indicators.models import Snapshot

SUPPRESSED = "*"
NO_DATA = "—"

HEADERS = [
    "コード",
    "指標名",
    "単位",
    "現状値",
    "目標値(令和13年度末)",
    "年度",
    "今年度の値",
    "目標に対する進捗(%)",
    "集計期間",
    "出典",
    "集計方法",
    "数え方",
    "分子",
    "分母",
    "出典の詳細",
]


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _source_detail(entry: dict[str, Any]) -> str:
    if "survey_name" in entry:
        return f"{entry['survey_name']}({entry['surveyed_on']}、回答者{entry['respondents']}人)"
    if "reporting_body" in entry:
        return f"{entry['reporting_body']}({entry['as_of']}現在)"
    if "from" in entry:
        return f"{entry['from']}〜{entry['to']}"
    return ""


def summary_rows(snapshot: Snapshot) -> list[list[str]]:
    label = fiscal_year_label(snapshot.fiscal_year)
    rows = []
    for indicator in INDICATORS:
        entry = snapshot.values["indicators"].get(indicator.code, {})
        value = entry.get("value")
        rows.append(
            [
                indicator.code,
                indicator.name_ja,
                indicator.unit,
                _num(indicator.baseline),
                _num(indicator.target),
                label,
                _num(value),
                _num(progress(indicator, value)),
                indicator.period_label_for(snapshot.fiscal_year),
                indicator.source_label,
                indicator.method,
                indicator.counting_label,
                _num(entry.get("numerator")) if "numerator" in entry else "",
                _num(entry.get("denominator")) if "denominator" in entry else "",
                _source_detail(entry),
            ]
        )
    return rows


def _cell(value: float | None) -> str:
    return SUPPRESSED if value is None else _num(value)


def breakdown_rows(snapshot: Snapshot) -> list[list[str]]:
    """Every breakdown as rows: code, table, row, column, value (suppressed as *)."""
    rows = [["コード", "内訳", "区分1", "区分2", "値"]]
    for indicator in INDICATORS:
        entry = snapshot.values["indicators"].get(indicator.code, {})
        for table in entry.get("breakdowns", []):
            title = table["title"]
            if table["kind"] == "1d":
                for label, value in zip(table["labels"], table["values"], strict=True):
                    rows.append([indicator.code, title, label, "", _cell(value)])
                rows.append([indicator.code, title, "合計", "", _num(table["total"])])
            elif table["kind"] == "2d":
                for r, label in enumerate(table["row_labels"]):
                    for c, col in enumerate(table["col_labels"]):
                        rows.append(
                            [indicator.code, title, label, col, _cell(table["cells"][r][c])]
                        )
                    rows.append([indicator.code, title, label, "計", _cell(table["row_totals"][r])])
                for c, col in enumerate(table["col_labels"]):
                    rows.append([indicator.code, title, "計", col, _cell(table["col_totals"][c])])
                rows.append([indicator.code, title, "計", "計", _num(table["total"])])
            else:
                for n, label in enumerate(table["labels"]):
                    rows.append(
                        [indicator.code, title, label, "分子", _cell(table["numerators"][n])]
                    )
                    rows.append(
                        [indicator.code, title, label, "分母", _cell(table["denominators"][n])]
                    )
                    rows.append([indicator.code, title, label, "割合(%)", _cell(table["rates"][n])])
    return rows


def snapshot_meta(snapshot: Snapshot) -> list[list[str]]:
    return [
        ["年度", fiscal_year_label(snapshot.fiscal_year)],
        ["版", str(snapshot.number)],
        ["状態", str(snapshot.get_state_display())],
        ["集計日時", jdatetime(snapshot.computed_at)],
        ["定義の版", snapshot.definition_version],
        ["秘匿の閾値", f"1〜{snapshot.suppression_k - 1}のセルは「{SUPPRESSED}」で秘匿"],
    ]


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


# A spreadsheet runs a cell that starts with one of these as a formula. Text typed by an
# officer (a survey's name, a reporting body) must never run: it is quoted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _safe_rows(rows: list[list[str]]) -> list[list[str]]:
    return [[_safe(v) for v in row] for row in rows]


def to_csv(snapshot: Snapshot) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_safe_rows(snapshot_meta(snapshot)))
    writer.writerow([])
    writer.writerow(HEADERS)
    writer.writerows(_safe_rows(summary_rows(snapshot)))
    writer.writerow([])
    writer.writerows(_safe_rows(breakdown_rows(snapshot)))
    # A BOM so that Excel opens the Japanese text as UTF-8.
    return "\ufeff" + out.getvalue()


def _xl(row: list[str]) -> list[int | float | str]:
    """Numbers as numbers in Excel, so the review can compute with them; text never as a
    formula."""
    return [
        (float(v) if "." in v else int(v))
        if isinstance(v, str) and _NUMBER.fullmatch(v)
        else _safe(v)
        for v in row
    ]


def to_xlsx(snapshot: Snapshot) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "成果指標"
    for row in snapshot_meta(snapshot):
        sheet.append(_xl(row))
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in summary_rows(snapshot):
        sheet.append(_xl(row))
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["K"].width = 60
    detail = book.create_sheet("内訳")
    for row in breakdown_rows(snapshot):
        detail.append(_xl(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
