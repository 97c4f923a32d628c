"""The national return (支援状況調査) as the ward files it, from a snapshot: an Excel workbook
in the return's layout and a CSV of the same grid.

Items as rows, the months (4月 … 3月) and the year as columns; above the table whose return
it is (the agency, or the ward), its period, version and state; beside it the improvement
per change item, and each item's rule on a sheet of its own. The ward's snapshot adds the
breakdown by agency, already suppressed (returns.document): a hidden cell is 「*」.

Always in the ward's Japanese, whatever the reader's screen language; every text goes
through the formula guard (casework.xlsx.safe_text). No file name carries a name.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from casework import xlsx
from casework.contact_export import in_the_wards_language, period_label
from casework.models import ChangeItem
from casework.templatetags.tsunagu import jdatetime, staff_name
from casework.wareki import fiscal_year_label, wareki_date
from casework.xlsx import safe_rows, safe_text
from indicators.exports import NO_DATA, SUPPRESSED, put_cell, write_notes
from returns.definitions import ITEMS, ReturnItem
from returns.models import ReturnSnapshot

# The columns before the months: 番号, 項目, 単位, 数え方.
LABEL_COLUMNS = 4
MONTHS = 12


def scope_label(snapshot: ReturnSnapshot) -> str:
    """Whose return: the agency's name, or the ward."""
    return safe_text(snapshot.agency.name) if snapshot.agency else _("目黒区(区全体)")


def period_text(snapshot: ReturnSnapshot) -> str:
    """令和7年度(令和7年4月1日〜令和8年3月31日)."""
    start, end = (datetime.date.fromisoformat(d) for d in snapshot.values["period"])
    return f"{fiscal_year_label(snapshot.fiscal_year)}({period_label(start, end)})"


def edition(snapshot: ReturnSnapshot) -> str:
    return _("第%(n)s版") % {"n": snapshot.number}


def state_text(snapshot: ReturnSnapshot) -> str:
    """下書き, or 承認済み with who approved it and when (and its replacement, if any)."""
    state = str(snapshot.get_state_display())
    if not snapshot.is_approved or snapshot.approved_by is None:
        return state
    text = _("%(state)s(承認者 %(name)s、%(at)s)") % {
        "state": state,
        "name": staff_name(snapshot.approved_by),
        "at": jdatetime(snapshot.approved_at),
    }
    replacement = snapshot.replacement
    if replacement is not None:
        text += _("・差し替え済み(第%(n)s版)") % {"n": replacement.number}
    return safe_text(text)


def partial_year_text(snapshot: ReturnSnapshot) -> str:
    """For a year still running when computed: until which day its records reach."""
    until = snapshot.values.get("covers_until")
    if not until:
        return ""
    day = wareki_date(datetime.date.fromisoformat(until))
    return _("%(day)sまでの記録による年度途中の集計") % {"day": day}


def meta_rows(snapshot: ReturnSnapshot) -> list[list[str]]:
    """The lines above the table: the title, then a label and its value."""
    rows = [
        [_("支援状況調査")],
        [_("機関"), scope_label(snapshot)],
        [_("期間"), period_text(snapshot)],
        [_("版"), edition(snapshot)],
        [_("状態"), state_text(snapshot)],
        [_("集計日時"), jdatetime(snapshot.computed_at)],
        [_("定義の版"), snapshot.definition_version],
    ]
    if snapshot.supersedes_id:
        replaced = ReturnSnapshot.objects.get(pk=snapshot.supersedes_id)
        rows.append([_("差し替え前の版"), edition(replaced)])
        rows.append([_("差し替えの理由"), safe_text(snapshot.supersede_reason)])
    partial = partial_year_text(snapshot)
    if partial:
        rows.append([_("注記"), partial])
    return rows


def month_labels(snapshot: ReturnSnapshot) -> list[str]:
    return [
        formats.date_format(datetime.date.fromisoformat(m["month"]), "F")
        for m in snapshot.values["months"]
    ]


def header(snapshot: ReturnSnapshot) -> list[str]:
    labels = [_("番号"), _("項目"), _("単位"), _("数え方")]
    return [*labels, *month_labels(snapshot), _("年度計"), _("備考")]


def _labels(item: ReturnItem) -> list[str]:
    """番号, 項目, 単位, 数え方."""
    return [item.code, item.name_ja, _(item.unit), item.counting_label]


def _figure(item: ReturnItem, value: Any) -> int | Decimal | None:
    """A stored value as a number: a rate's percent (stored as text) exact."""
    if value is None or value == "":
        return None
    return Decimal(str(value)) if item.is_rate else int(value)


def _parts(item: ReturnItem, figures: dict[str, Any]) -> str:
    """改善 1人 / 評価 3人: the year's numerator and denominator of a rate."""
    figure = figures[item.code]
    if not item.is_rate or figure.get("denominator") is None:
        return ""
    return _("改善 %(improved)s人 / 評価 %(evaluated)s人") % {
        "improved": figure["numerator"],
        "evaluated": figure["denominator"],
    }


def item_rows(snapshot: ReturnSnapshot) -> list[list[Any]]:
    """One row per item in the order of `header`, numbers as numbers (None: no figure);
    under a rate, a row of its numerators and one of its denominators."""
    values = snapshot.values
    months = [m["figures"] for m in values["months"]]
    cells = [*months, values["year"]]
    rows: list[list[Any]] = []
    for item in ITEMS:
        figures = [_figure(item, f[item.code]["value"]) for f in cells]
        rows.append([*_labels(item), *figures, _parts(item, values["year"])])
        if item.is_rate:
            for part, label in (
                ("numerator", _("うち改善が見られた人(分子)")),
                ("denominator", _("評価で比べられた人(分母)")),
            ):
                counted = [f[item.code].get(part) for f in cells]
                rows.append(["", label, _("人"), "", *counted, ""])
    return rows


def improvement_header() -> list[str]:
    return [_("変化項目"), _("改善した人"), _("比べた人")]


def improvement_rows(snapshot: ReturnSnapshot) -> list[list[Any]]:
    """Per change item over the year: persons improved on it, persons compared on it."""
    rows: list[list[Any]] = []
    for entry in snapshot.values.get("improvement_items", []):
        try:
            label = str(ChangeItem(entry["item"]).label)
        except ValueError:
            label = safe_text(str(entry["item"]))
        rows.append([label, entry["improved"], entry["compared"]])
    return rows


def has_breakdown(snapshot: ReturnSnapshot) -> bool:
    return snapshot.is_ward and bool(snapshot.values.get("breakdown", {}).get("items"))


def breakdown_header(snapshot: ReturnSnapshot) -> list[str]:
    return [_("番号"), _("項目"), _("機関"), _("年度計")]


def _breakdown_cell(item: ReturnItem, value: Any) -> Any:
    """None stays None (suppressed); a rate nobody was evaluated for is NO_DATA."""
    if value is None:
        return None
    if value == "":
        return NO_DATA
    return _figure(item, value)


def breakdown_rows(snapshot: ReturnSnapshot) -> list[list[Any]]:
    """Per item, one row per agency: its year; None where suppressed."""
    if not has_breakdown(snapshot):
        return []
    breakdown = snapshot.values["breakdown"]
    rows: list[list[Any]] = []
    for item in ITEMS:
        for name, value in zip(
            breakdown["agencies"], breakdown["items"].get(item.code, []), strict=False
        ):
            rows.append([item.code, item.name_ja, safe_text(name), _breakdown_cell(item, value)])
    return rows


def breakdown_notes(snapshot: ReturnSnapshot) -> list[str]:
    k = snapshot.suppression_k
    return [
        _(
            "「%(mark)s」: 秘匿したセルです。小さい値(1〜%(small)s)を特定できないように"
            "伏せています(秘匿の閾値 k = %(k)s)。逆算を防ぐために伏せたセルもあります。"
        )
        % {"mark": SUPPRESSED, "small": k - 1, "k": k},
        _(
            "割合は、改善した人・改善しなかった人のどちらかを伏せるときは伏せています。"
            "「%(none)s」: 評価を受けた人がいません。"
        )
        % {"none": NO_DATA},
        _("機関別は年度の値だけです。月別の値は各機関の集計にあります。"),
    ]


def definition_header() -> list[str]:
    labels = [_("番号"), _("項目"), _("単位"), _("数え方")]
    return [*labels, _("基準日"), _("元の記録"), _("定義"), _("項目の版")]


def definition_rows() -> list[list[Any]]:
    """Each item's rule, as the figure is counted."""
    return [
        [*_labels(item), _(item.dated_by), _(item.source), _(item.rule), item.version]
        for item in ITEMS
    ]


def _notes_of_the_table() -> list[str]:
    return [
        _(
            "割合の値はパーセントの数値です(33.3は33.3パーセント)。空欄は、評価を受けた人がいません。"
        ),
        _("各項目の数え方(基準日・元の記録・定義)は「定義」シートにあります。"),
    ]


def filename(snapshot: ReturnSnapshot, ext: str) -> str:
    """return_FY2025_ward_v2.xlsx, return_FY2025_agency12_v1.csv: no names."""
    scope = "ward" if snapshot.is_ward else f"agency{snapshot.agency_id}"
    return f"return_FY{snapshot.fiscal_year}_{scope}_v{snapshot.number}.{ext.lstrip('.')}"


def _texts(rows: list[list[Any]], missing: str = "") -> list[list[str]]:
    """Rows for the CSV: numbers as text, None as `missing`, text never as a formula."""
    return safe_rows([[missing if v is None else str(v) for v in row] for row in rows])


def csv_rows(snapshot: ReturnSnapshot) -> list[list[str]]:
    """The lines above the table, the table, the improvement per change item, the
    breakdown by agency (the ward's, 「*」 where suppressed), and each item's rule."""
    rows = [*_texts(meta_rows(snapshot)), [], header(snapshot), *_texts(item_rows(snapshot))]
    rows += [[], [_("変化項目別の改善(年度)")], improvement_header()]
    rows += _texts(improvement_rows(snapshot))
    if has_breakdown(snapshot):
        rows += [[], [_("機関別の内訳")], *([note] for note in breakdown_notes(snapshot))]
        rows += [breakdown_header(snapshot), *_texts(breakdown_rows(snapshot), SUPPRESSED)]
    rows += [[], [_("定義")], definition_header(), *_texts(definition_rows())]
    return rows


def to_csv(snapshot: ReturnSnapshot) -> str:
    """The grid of `csv_rows`, in UTF-8 with a BOM so that Excel opens the Japanese text."""
    out = io.StringIO()
    with in_the_wards_language():
        csv.writer(out).writerows(csv_rows(snapshot))
    return "\ufeff" + out.getvalue()


def _title(snapshot: ReturnSnapshot) -> str:
    title = _("支援状況調査")
    return f"{title} {scope_label(snapshot)} {_edition_line(snapshot)}"


def _edition_line(snapshot: ReturnSnapshot) -> str:
    year = fiscal_year_label(snapshot.fiscal_year)
    return f"{year} {edition(snapshot)}({snapshot.get_state_display()})"


def _lay_out(
    sheet: Any, snapshot: ReturnSnapshot, name: str, header_row: int, labels: int, last: int
) -> None:
    """A4 landscape fitted to the width, frozen under the header (casework.xlsx)."""
    xlsx.lay_out(
        sheet,
        title=f"{_title(snapshot)} {name}".strip(),
        header_row_number=header_row,
        label_columns=labels,
        last_row=last,
        landscape=True,
        footer_left=" ".join((_("集計日時"), jdatetime(snapshot.computed_at))),
        footer_right=_edition_line(snapshot),
    )


def _put_row(sheet: Any, row: list[Any], formats: list[str], first_column: int = 1) -> None:
    """A row of the table: a number as a number, None blank, text never as a formula."""
    sheet.append([None] * (first_column - 1 + len(row)))
    for n, (value, fmt) in enumerate(zip(row, formats, strict=True)):
        if value is not None:
            put_cell(sheet.cell(sheet.max_row, first_column + n), value, fmt)


def _row_formats(row: list[Any], rate: bool) -> list[str]:
    formats = [xlsx.INTEGER] * len(row)
    if rate:
        formats[LABEL_COLUMNS : LABEL_COLUMNS + MONTHS + 1] = [xlsx.PERCENT_FIGURE] * (MONTHS + 1)
    return formats


def _return_sheet(sheet: Any, snapshot: ReturnSnapshot) -> None:
    sheet.title = _("支援状況調査")
    meta = meta_rows(snapshot)
    for line in meta:
        sheet.append(line)
        sheet.cell(sheet.max_row, 1).font = xlsx.BOLD
    sheet["A1"].font = xlsx.TITLE_FONT
    sheet.append([])
    columns = header(snapshot)
    sheet.append(columns)
    header_row = sheet.max_row
    rates = {item.code for item in ITEMS if item.is_rate}
    for row in item_rows(snapshot):
        _put_row(sheet, row, _row_formats(row, row[0] in rates))
    table_end = sheet.max_row
    xlsx.table_borders(sheet, header_row, table_end, len(columns))

    sheet.append([])
    sheet.append([None, _("変化項目別の改善(年度)")])
    sheet.cell(sheet.max_row, 2).font = xlsx.BOLD
    sheet.append([None, *improvement_header()])
    section = sheet.max_row
    for cell in sheet[section][1:4]:
        cell.font, cell.fill = xlsx.BOLD, xlsx.HEADER_FILL
    for row in improvement_rows(snapshot):
        _put_row(sheet, row, [xlsx.INTEGER] * 3, first_column=2)
    improvement_end = sheet.max_row
    for cells in sheet.iter_rows(min_row=section, max_row=improvement_end, min_col=2, max_col=4):
        for cell in cells:
            cell.border = xlsx.BORDER
    write_notes(sheet, _notes_of_the_table())

    _lay_out(sheet, snapshot, "", header_row, LABEL_COLUMNS, improvement_end)
    # The labels above the table sit in the narrow 番号 column: wide enough to read them.
    labels = max(xlsx.text_width(line[0]) for line in meta[1:]) + 2
    dimension = sheet.column_dimensions["A"]
    dimension.width = max(dimension.width or 0, labels)


def _breakdown_sheet(sheet: Any, snapshot: ReturnSnapshot) -> None:
    sheet.append([" ".join((_("支援状況調査"), _("機関別の内訳")))])
    sheet["A1"].font = xlsx.TITLE_FONT
    sheet.append([f"{scope_label(snapshot)} {period_text(snapshot)} {edition(snapshot)}"])
    columns = breakdown_header(snapshot)
    sheet.append(columns)
    header_row = sheet.max_row
    rates = {item.code for item in ITEMS if item.is_rate}
    for row in breakdown_rows(snapshot):
        sheet.append(row[:3])
        figure = xlsx.PERCENT_FIGURE if row[0] in rates else xlsx.INTEGER
        for n, value in enumerate(row[3:], start=4):
            put_cell(sheet.cell(sheet.max_row, n), value, figure)
    last = sheet.max_row
    xlsx.table_borders(sheet, header_row, last, len(columns))
    write_notes(sheet, breakdown_notes(snapshot))
    _lay_out(sheet, snapshot, _("機関別"), header_row, 3, last)


def _definition_sheet(sheet: Any, snapshot: ReturnSnapshot) -> None:
    words = (_("支援状況調査"), _("定義"), _("定義の版"), snapshot.definition_version)
    sheet.append([" ".join(words)])
    sheet["A1"].font = xlsx.TITLE_FONT
    columns = definition_header()
    sheet.append(columns)
    for row in definition_rows():
        _put_row(sheet, row, [xlsx.INTEGER] * len(row))
    last = sheet.max_row
    xlsx.table_borders(sheet, 2, last, len(columns))
    _lay_out(sheet, snapshot, _("定義"), 2, 2, last)


def to_xlsx(snapshot: ReturnSnapshot) -> bytes:
    """The return in its layout (「支援状況調査」), the breakdown by agency of the ward's
    return (「機関別」), and each item's rule (「定義」)."""
    from openpyxl import Workbook

    book = Workbook()
    with in_the_wards_language():
        _return_sheet(book.active, snapshot)
        if has_breakdown(snapshot):
            _breakdown_sheet(book.create_sheet(_("機関別")), snapshot)
        _definition_sheet(book.create_sheet(_("定義")), snapshot)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
