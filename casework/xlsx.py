"""One layout for every Excel workbook the app writes, so that each prints and reads the same.

A sheet is laid out as: optional title rows, one header row, then the table; the first
column(s) label the rows. `lay_out` then freezes the header and the label columns, repeats
them on every printed page, sizes the columns from their content (a full-width character
counts double, as it takes two columns on screen), and sets up A4 printing fitted to the
page width with the title and the page number in the header and footer.

Numbers are written as numbers with a number format (`number`); a value that may not be
shown is written as its mark, aligned right like the numbers around it (`mark`). Text that
people typed goes through `safe_text`, in a workbook and in a CSV alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

INTEGER = "#,##0"
# A percentage figure as the screen shows it (12.3 under a "(%)" header), not a ratio.
PERCENT_FIGURE = "0.0"
# A ratio (0.123) shown as a percentage.
PERCENT = "0.0%"

MIN_WIDTH = 6
MAX_WIDTH = 50
# Beyond about this many character widths a table no longer fits A4 portrait legibly.
PORTRAIT_MAX_WIDTH = 90

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="D9E2EC")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
RIGHT = Alignment(horizontal="right")


# A spreadsheet runs a cell that starts with one of these as a formula. Text that people
# typed (a survey's name, a 経過記録) must never run: it is quoted. A plain negative number
# is left as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Control characters no workbook may hold (tab, newline and CR stay): dropped first, so that
# "\x01=HYPERLINK(…)" cannot turn into a formula once a writer strips the \x01.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """The text without control characters, quoted with a leading ' if a spreadsheet would
    run it as a formula."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_rows(rows: list[list[str]]) -> list[list[str]]:
    return [[safe_text(v) for v in row] for row in rows]


def text_width(text: str) -> int:
    """Columns the text takes on screen: wide (W) and full-width (F) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _shown(value: Any, number_format: str) -> str:
    """The text a number is displayed as under its format (near enough to size a column)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if number_format == INTEGER:
        return f"{value:,.0f}"
    if number_format == PERCENT_FIGURE:
        return f"{value:.1f}"
    if number_format == PERCENT:
        return f"{value * 100:.1f}%"
    return str(value)


def number(cell: Any, value: int | float, number_format: str) -> None:
    cell.value = value
    cell.number_format = number_format


def mark(cell: Any, text: str) -> None:
    """A mark in place of a number (a suppressed cell, no data): text, aligned right."""
    cell.value = text
    cell.alignment = RIGHT


def header_row(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def table_borders(sheet: Worksheet, first_row: int, last_row: int, last_col: int) -> None:
    """Rule the table, its cells aligned to the top (a wrapped name makes a row tall)."""
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        for cell in row:
            cell.border = BORDER
            old = cell.alignment
            cell.alignment = Alignment(
                horizontal=old.horizontal, vertical=old.vertical or "top", wrap_text=old.wrap_text
            )


def fit_columns(
    sheet: Worksheet, rows: Iterable[int], *, min_width: int = MIN_WIDTH, max_width: int = MAX_WIDTH
) -> float:
    """Size each column to the widest of its cells in `rows` (title and note rows, which
    run across the columns, are left out). A cell wider than `max_width` wraps. Returns
    the table's total width, to choose the page's orientation."""
    widths: dict[int, int] = {}
    cells = []
    for r in rows:
        for cell in sheet[r]:
            text = _shown(cell.value, cell.number_format)
            longest = max((text_width(line) for line in text.split("\n")), default=0)
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
            cells.append((cell, longest))
    for cell, longest in cells:
        if longest > max_width:
            old = cell.alignment
            cell.alignment = Alignment(horizontal=old.horizontal, vertical="top", wrap_text=True)
    total = 0.0
    for column, widest in widths.items():
        # Two for the cell's padding.
        width = min(max(widest + 2, min_width), max_width)
        sheet.column_dimensions[get_column_letter(column)].width = width
        total += width
    return total


def _header_text(text: str) -> str:
    # In a header or footer "&" starts a code (&P, &N): a literal one is doubled.
    return text.replace("&", "&&")


def lay_out(
    sheet: Worksheet,
    *,
    title: str,
    header_row_number: int,
    label_columns: int,
    last_row: int | None = None,
    footer_left: str = "",
    footer_right: str = "",
    landscape: bool | None = None,
) -> None:
    """Freeze, size, and set up printing for a sheet whose header is `header_row_number`
    (the rows above it are titles) and whose table ends at `last_row` (the rows below it
    are notes). `landscape=None` chooses the orientation from the table's width."""
    last = last_row or sheet.max_row
    header_row(sheet, header_row_number)
    width = fit_columns(sheet, range(header_row_number, last + 1))
    sheet.freeze_panes = f"{get_column_letter(label_columns + 1)}{header_row_number + 1}"
    sheet.print_title_rows = f"1:{header_row_number}"
    if label_columns:
        sheet.print_title_cols = f"A:{get_column_letter(label_columns)}"

    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    wide = width > PORTRAIT_MAX_WIDTH if landscape is None else landscape
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if wide else sheet.ORIENTATION_PORTRAIT
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top = margins.bottom = 0.75
    margins.header = margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = _header_text(title)
    sheet.oddFooter.left.text = _header_text(footer_left)
    sheet.oddFooter.center.text = "&P / &N"
    sheet.oddFooter.right.text = _header_text(footer_right)
