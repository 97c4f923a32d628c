"""Exports for the annual review (CSV and Excel), from a snapshot: Japanese headers, no
names, no record ids — only the snapshot's already-suppressed figures."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.utils import translation

from casework import xlsx
from casework.templatetags.tsunagu import jdate, jdatetime
from casework.wareki import fiscal_year_label
from casework.xlsx import safe_rows, safe_text
from indicators.definitions import INDICATORS, Indicator, Source, progress
from indicators.models import Snapshot
from indicators.selectors import entry_has_no_data

_T = TypeVar("_T")

SUPPRESSED = "*"
NO_DATA = "—"
# A year before the indicator's records began (indicators/coverage.py): no data, not 0.
NO_RECORDS = "データなし"
# A year computed before it ended: its figures are partial, its progress is not computed.
NOT_COMPUTED = "年度途中のため算出せず"

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
        surveyed = jdate(entry["surveyed_on"])
        return f"{entry['survey_name']}({surveyed}、回答者{entry['respondents']}人)"
    if "reporting_body" in entry:
        return f"{entry['reporting_body']}({jdate(entry['as_of'])}現在)"
    if "from" in entry:
        return f"{jdate(entry['from'])}〜{jdate(entry['to'])}"
    return ""


def year_label(snapshot: Snapshot) -> str:
    """令和N年度, marked as the screen marks a year computed before it ended."""
    label = fiscal_year_label(snapshot.fiscal_year)
    until = snapshot.covers_until
    return f"{label}(年度途中: {until.month}月{until.day}日まで)" if until else label


def state_label(snapshot: Snapshot) -> str:
    """The snapshot's state; an approval replaced by a later one says by which."""
    state = str(snapshot.get_state_display())
    replacement = snapshot.replacement if snapshot.is_approved else None
    return f"{state}・差し替え済み(第{replacement.number}版)" if replacement else state


# The columns of HEADERS that hold numbers (the rest is text).
NUMBER_COLUMNS = (3, 4, 6, 7, 12, 13)


def summary_values(snapshot: Snapshot) -> list[list[Any]]:
    """One row per indicator in the order of HEADERS: numbers as numbers (None where there
    is no figure), "" where a column does not apply (the numerator of a count)."""
    label = year_label(snapshot)
    partial = snapshot.is_partial_year
    rows = []
    for indicator in INDICATORS:
        entry = snapshot.values["indicators"].get(indicator.code, {})
        value = entry.get("value")
        no_data = entry_has_no_data(indicator, entry) and indicator.source == Source.RECORDS
        rows.append(
            [
                indicator.code,
                indicator.name_ja,
                indicator.unit,
                indicator.baseline,
                indicator.target,
                label,
                NO_RECORDS if no_data else value,
                # No records that year: no progress either (the roll-up's 0 is no figure).
                None if no_data else NOT_COMPUTED if partial else progress(indicator, value),
                indicator.period_label_for(snapshot.fiscal_year),
                indicator.source_label,
                indicator.method,
                indicator.counting_label,
                entry.get("numerator") if "numerator" in entry else "",
                entry.get("denominator") if "denominator" in entry else "",
                _source_detail(entry),
            ]
        )
    return rows


def summary_rows(snapshot: Snapshot) -> list[list[str]]:
    return [
        [_num(v) if n in NUMBER_COLUMNS and v != "" else v for n, v in enumerate(row)]
        for row in summary_values(snapshot)
    ]


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
        ["年度", year_label(snapshot)],
        ["版", str(snapshot.number)],
        ["状態", state_label(snapshot)],
        ["集計日時", jdatetime(snapshot.computed_at)],
        ["定義の版", snapshot.definition_version],
        ["秘匿の閾値", f"1〜{snapshot.suppression_k - 1}のセルは「{SUPPRESSED}」で秘匿"],
    ]


def _in_the_wards_language(export: Callable[[Snapshot], _T]) -> Callable[[Snapshot], _T]:
    """The exports are the ward's Japanese documents, whatever the reader's screen language:
    labels, states and dates as the annual review files them."""

    @functools.wraps(export)
    def wrapped(snapshot: Snapshot) -> _T:
        with translation.override(settings.LANGUAGE_CODE):
            return export(snapshot)

    return wrapped


@_in_the_wards_language
def to_csv(snapshot: Snapshot) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(safe_rows(snapshot_meta(snapshot)))
    writer.writerow([])
    writer.writerow(HEADERS)
    writer.writerows(safe_rows(summary_rows(snapshot)))
    writer.writerow([])
    writer.writerows(safe_rows(breakdown_rows(snapshot)))
    # A BOM so that Excel opens the Japanese text as UTF-8.
    return "\ufeff" + out.getvalue()


@dataclass
class CrossTable:
    """A breakdown laid out as the snapshot page shows it: the header row, then body rows
    whose first cell labels the row. A body cell is a number, None (suppressed), NO_DATA
    (a rate without a denominator) or "" (nothing belongs there)."""

    indicator: Indicator
    title: str
    header: list[str]
    body: list[list[Any]]
    formats: list[str]  # the number format of each body row

    @property
    def sheet_name(self) -> str:
        # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
        name = f"内訳 {self.indicator.code} {self.title}"
        return re.sub(r"[\[\]:*?/\\]", "・", name)[:31]


def _rates(table: dict[str, Any]) -> list[Any]:
    """A rate is None both when a part of it is suppressed and when it has no denominator:
    only the first is a suppressed cell."""
    return [
        NO_DATA if rate is None and num is not None and den is not None else rate
        for rate, num, den in zip(
            table["rates"], table["numerators"], table["denominators"], strict=True
        )
    ]


def cross_table(indicator: Indicator, table: dict[str, Any]) -> CrossTable:
    """Rows x columns as on screen (indicators.views._table), with the Japanese labels."""
    kind = table["kind"]
    if kind == "1d":
        header = ["", *table["labels"], "合計"]
        body = [["人数・件数", *table["values"], table["total"]]]
        formats = [xlsx.INTEGER]
    elif kind == "2d":
        header = ["", *table["col_labels"], "計"]
        body = [
            [label, *cells, total]
            for label, cells, total in zip(
                table["row_labels"], table["cells"], table["row_totals"], strict=True
            )
        ]
        body.append(["計", *table["col_totals"], table["total"]])
        formats = [xlsx.INTEGER] * len(body)
    else:
        header = ["", *table["labels"], "合計"]
        body = [
            ["分子", *table["numerators"], table["numerator_total"]],
            ["分母", *table["denominators"], table["denominator_total"]],
            ["割合(%)", *_rates(table), ""],
        ]
        formats = [xlsx.INTEGER, xlsx.INTEGER, xlsx.PERCENT_FIGURE]
    return CrossTable(indicator, table["title"], header, body, formats)


def cross_tables(snapshot: Snapshot) -> list[CrossTable]:
    return [
        cross_table(indicator, table)
        for indicator in INDICATORS
        for table in snapshot.values["indicators"].get(indicator.code, {}).get("breakdowns", [])
    ]


def put_cell(cell: Any, value: Any, number_format: str, missing: str = SUPPRESSED) -> None:
    """A number as a number; None as `missing`, a mark aligned like the numbers; text
    never as a formula."""
    if value is None or value in (NO_DATA, NO_RECORDS, NOT_COMPUTED):
        xlsx.mark(cell, missing if value is None else value)
    elif isinstance(value, Decimal):
        whole = value == value.to_integral()
        xlsx.number(cell, int(value) if whole else float(value), number_format)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        xlsx.number(cell, value, number_format)
    else:
        cell.value = safe_text(str(value)) if value != "" else None


def _edition(snapshot: Snapshot) -> str:
    return f"{year_label(snapshot)} 第{snapshot.number}版({state_label(snapshot)})"


def _computed(snapshot: Snapshot) -> str:
    return f"集計日時 {jdatetime(snapshot.computed_at)}"


def write_notes(sheet: Any, notes: list[str]) -> None:
    sheet.append([])
    for note in notes:
        sheet.append([note])


def _summary_sheet(sheet: Any, snapshot: Snapshot) -> None:
    sheet.title = "成果指標"
    sheet.append([f"成果指標 {_edition(snapshot)} {_computed(snapshot)}"])
    sheet["A1"].font = xlsx.TITLE_FONT
    sheet.append(HEADERS)
    for indicator, row in zip(INDICATORS, summary_values(snapshot), strict=True):
        sheet.append([None] * len(row))
        figure = xlsx.PERCENT_FIGURE if indicator.is_percent else xlsx.INTEGER
        formats = {3: figure, 4: figure, 6: figure, 7: xlsx.PERCENT_FIGURE}
        for n, value in enumerate(row):
            cell = sheet.cell(sheet.max_row, n + 1)
            put_cell(cell, value, formats.get(n, xlsx.INTEGER), missing=NO_DATA)
    last = sheet.max_row
    xlsx.table_borders(sheet, 2, last, len(HEADERS))
    write_notes(
        sheet,
        [
            f"「{NO_DATA}」: 値がありません(調査結果・報告値が未入力、または割合の分母が0)。",
            "単位が「%」の値と「目標に対する進捗(%)」は、パーセントの数値です(36.6 = 36.6%)。",
            f"「{NO_RECORDS}」: その年度には、まだこの指標のもとになる記録がありません"
            "(0とは違います)。",
            *(
                [f"「{NOT_COMPUTED}」: 年度の途中で集計した参考値のため、進捗は算出していません。"]
                if snapshot.is_partial_year
                else []
            ),
        ],
    )
    xlsx.lay_out(
        sheet,
        title=f"成果指標 {_edition(snapshot)}",
        header_row_number=2,
        label_columns=2,
        last_row=last,
        landscape=True,
        footer_left=_computed(snapshot),
        footer_right=_edition(snapshot),
    )


def _breakdown_sheet(sheet: Any, snapshot: Snapshot, table: CrossTable) -> None:
    indicator = table.indicator
    sheet.append([f"{indicator.code} {indicator.name_ja}"])
    sheet["A1"].font = xlsx.TITLE_FONT
    period = indicator.period_label_for(snapshot.fiscal_year)
    sheet.append(
        [
            f"内訳: {table.title} {fiscal_year_label(snapshot.fiscal_year)}"
            f"({period}) 単位: {indicator.unit}"
        ]
    )
    sheet.append([None, *table.header[1:]])
    for row, fmt in zip(table.body, table.formats, strict=True):
        sheet.append([row[0]])
        sheet.cell(sheet.max_row, 1).font = xlsx.BOLD
        for n, value in enumerate(row[1:], start=2):
            put_cell(sheet.cell(sheet.max_row, n), value, fmt)
    last = sheet.max_row
    xlsx.table_borders(sheet, 3, last, len(table.header))
    notes = [
        f"「{SUPPRESSED}」: 秘匿したセルです。内訳で1〜{snapshot.suppression_k}未満のセルと、"
        "逆算を防ぐための補完セルを秘匿しています。"
    ]
    if any(NO_DATA in row for row in table.body):
        notes.append(f"「{NO_DATA}」: 分母が0で、割合がありません。")
    write_notes(sheet, notes)
    xlsx.lay_out(
        sheet,
        title=f"{indicator.code} 内訳 {table.title} {_edition(snapshot)}",
        header_row_number=3,
        label_columns=1,
        last_row=last,
        footer_left=_computed(snapshot),
        footer_right=_edition(snapshot),
    )


def _meta_sheet(sheet: Any, snapshot: Snapshot) -> None:
    sheet.append(["項目", "内容"])
    for key, value in snapshot_meta(snapshot):
        sheet.append([key])
        put_cell(sheet.cell(sheet.max_row, 2), int(value) if key == "版" else value, xlsx.INTEGER)
    last = sheet.max_row
    xlsx.table_borders(sheet, 1, last, 2)
    xlsx.lay_out(
        sheet,
        title=f"集計情報 {_edition(snapshot)}",
        header_row_number=1,
        label_columns=1,
        footer_left=_computed(snapshot),
        footer_right=_edition(snapshot),
    )


@_in_the_wards_language
def to_xlsx(snapshot: Snapshot) -> bytes:
    """The figures, one sheet per breakdown as a cross table, and the snapshot's record."""
    from openpyxl import Workbook

    book = Workbook()
    _summary_sheet(book.active, snapshot)
    for table in cross_tables(snapshot):
        _breakdown_sheet(book.create_sheet(table.sheet_name), snapshot, table)
    _meta_sheet(book.create_sheet("集計情報"), snapshot)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
