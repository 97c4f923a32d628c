"""The disclosure package (rights/package.py) as a PDF and as an Excel workbook, each in
two copies: the review copy (確認用), which shows what is withheld with the reason for the
decision, and the released copy (開示用) given to the person, with it blacked out.

Both render the package as it was stored (the records may have changed since); only the
request's number and date at the top come from the request itself.

The PDF uses reportlab with the Adobe-Japan1 CID font HeiseiKakuGo-W5: the reader's PDF
viewer supplies the glyphs, so no font file is needed on the server, and the text stays
text (pdftotext reads it back, and so does a screen reader).
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from casework.wareki import wareki_date
from casework.xlsx import TITLE_FONT, lay_out, safe_text, table_borders
from rights.models import RightsRequest
from rights.package import (
    copy_title,
    person_name,
    released_value,
    review_mark,
)

FONT = "HeiseiKakuGo-W5"
# A long note is cut into rows, the following ones labelled (続き), each well under a page
# at the size below: at most LINES lines as printed (a line of the text wraps every
# LINE_CHARS characters or so in the value column; a blank line is a line too). Rows may
# still split across pages (splitInRow), and should a page still refuse one, the package
# is laid out as plain paragraphs instead of tables.
LINES = 36
LINE_CHARS = 44
CHUNK = LINES * LINE_CHARS // 2
LABEL_WIDTH = 38 * mm
NO_RECORDS = "該当する記録はありません。"
WITHHELD_FILL = colors.HexColor("#e6e6e6")
MARK_COLOUR = "#b00020"


class _JapaneseFont(UnicodeCIDFont):
    """HeiseiKakuGo-W5 with the UTF-16 CMap (UniJIS-UTF16-H, Adobe-Japan1-6) in place of
    reportlab's UCS-2 one: reportlab writes UTF-16 already, and with the UCS-2 CMap the
    viewer drops what lies beyond it (𠮷 of 𠮷野, 﨑, 德, ①, ㈱), characters of people's
    names and addresses."""

    def __init__(self) -> None:
        super().__init__(FONT)
        self.encodingName = "UniJIS-UTF16-H"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_JapaneseFont())
    return FONT


def _style(name: str, size: float, **extra: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=_font(), fontSize=size, leading=size * 1.45, wordWrap="CJK", **extra
    )


def _heading(request: RightsRequest, package: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("請求番号", f"No.{request.pk}"),
        ("受付日", wareki_date(request.received_on)),
        ("本人", person_name(request, package)),
        ("受け付けた機関", str(package.get("agency", ""))),
        ("資料の作成日時", _assembled_at(package)),
    ]


def _assembled_at(package: dict[str, Any]) -> str:
    try:
        at = datetime.datetime.fromisoformat(str(package.get("assembled_at", "")))
    except ValueError:
        return ""
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{wareki_date(local.date())} {local:%H:%M}"


def _chunks(text: str) -> Iterator[str]:
    """The text in pieces of at most LINES printed lines, cut at a line's end (a line
    longer than CHUNK characters is cut within)."""
    piece, used = "", 0
    for line in text.splitlines(keepends=True) or [""]:
        for start in range(0, max(len(line), 1), CHUNK):
            part = line[start : start + CHUNK]
            cost = max(1, math.ceil(len(part.rstrip("\r\n")) / LINE_CHARS))
            if piece and used + cost > LINES:
                yield piece
                piece, used = "", 0
            piece, used = piece + part, used + cost
    yield piece


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


class _NumberedCanvas(canvas.Canvas):
    """Draws "N / M" at the foot of every page once the number of pages is known."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            width, _height = A4
            self.drawCentredString(width / 2, 10 * mm, f"{number} / {total}")
            self.drawString(15 * mm, 10 * mm, self.footer)
            super().showPage()
        super().save()


def package_pdf(request: RightsRequest, package: dict[str, Any], *, released: bool) -> bytes:
    """The package as an A4 portrait PDF: the copy's title, the request at the top, each
    section a heading and each record a two-column table of its fields (or, should a table
    not fit the page, each field a paragraph)."""
    try:
        return _pdf(request, package, released=released, tables=True)
    except LayoutError:
        return _pdf(request, package, released=released, tables=False)


def _pdf(request: RightsRequest, package: dict[str, Any], *, released: bool, tables: bool) -> bytes:
    title = copy_title(released=released)
    styles = {
        "title": _style("title", 15, alignment=1, spaceAfter=4 * mm),
        "section": _style("section", 12, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1),
        "item": _style("item", 9.5, spaceBefore=2 * mm, spaceAfter=1 * mm, keepWithNext=1),
        "cell": _style("cell", 8.5),
        "note": _style("note", 8.5, textColor=colors.HexColor("#444444")),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=str(package.get("agency", "")),
    )
    story: list[Flowable] = [Paragraph(_markup(title), styles["title"])]
    top = [(label, _markup(value)) for label, value in _heading(request, package)]
    if tables:
        story.append(_table(top, styles["cell"], doc.width, withheld=set()))
    else:
        story += _paragraphs(top, styles["cell"], withheld=set())
    if not released:
        note = (
            "この写しは決定のための確認用です。本人には交付しません。"
            f"【要確認】の箇所({package.get('withheld_count', 0)}件)は開示用の写しで"
            "不開示として黒塗りされます。"
        )
        story.append(Paragraph(_markup(note), styles["note"]))
    for section in package.get("sections", []):
        story.append(Paragraph(_markup(section.get("title", "")), styles["section"]))
        if not section.get("items"):
            story.append(Paragraph(NO_RECORDS, styles["note"]))
        for entry in section.get("items", []):
            heading = entry.get("title", "")
            if entry.get("agency"):
                heading = f"{heading} ― {entry['agency']}"
            story.append(Paragraph(_markup(heading), styles["item"]))
            rows, withheld = _field_rows(entry.get("fields", []), released=released)
            if rows and tables:
                story.append(_table(rows, styles["cell"], doc.width, withheld=withheld))
            elif rows:
                story += _paragraphs(rows, styles["cell"], withheld=withheld)
            story.append(Spacer(1, 1 * mm))

    class _Canvas(_NumberedCanvas):
        footer = f"{title} No.{request.pk}"

    doc.build(story, canvasmaker=_Canvas)
    return buffer.getvalue()


def _field_rows(
    fields: list[dict[str, Any]], *, released: bool
) -> tuple[list[tuple[str, str]], set[int]]:
    """(label, markup) rows of an item, long values cut in pieces; and the rows withheld."""
    rows: list[tuple[str, str]] = []
    withheld: set[int] = set()
    for f in fields:
        text = released_value(f) if released else str(f.get("value", ""))
        pieces = list(_chunks(text))
        for n, piece in enumerate(pieces):
            markup = _markup(piece)
            if not released and n == len(pieces) - 1 and f.get("withheld"):
                markup += f' <font color="{MARK_COLOUR}">{_markup(review_mark(f))}</font>'
            if f.get("withheld"):
                withheld.add(len(rows))
            rows.append((f.get("label", "") if n == 0 else "(続き)", markup))
    return rows, withheld


def _table(
    rows: list[tuple[str, str]], style: ParagraphStyle, width: float, *, withheld: set[int]
) -> Table:
    data = [[Paragraph(_markup(label), style), Paragraph(value, style)] for label, value in rows]
    table = Table(data, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], hAlign="LEFT", splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f4f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("BACKGROUND", (1, row), (1, row), WITHHELD_FILL) for row in sorted(withheld)]
    table.setStyle(TableStyle(commands))
    return table


def _paragraphs(
    rows: list[tuple[str, str]], style: ParagraphStyle, *, withheld: set[int]
) -> list[Flowable]:
    """The rows as paragraphs 「label: value」, one per line of the value, for a layout that
    tables cannot make; a withheld row on grey."""
    grey = ParagraphStyle("withheld", parent=style, backColor=WITHHELD_FILL)
    flowables: list[Flowable] = []
    for n, (label, value) in enumerate(rows):
        lines = value.split("<br/>")
        for m, line in enumerate(lines):
            text = f"{_markup(label)}:{line}" if m == 0 else line or "&nbsp;"
            flowables.append(Paragraph(text, grey if n in withheld else style))
    return flowables


# --- Excel ---------------------------------------------------------------------------------

HEADERS = ("項目", "機関", "欄", "内容", "確認")
HEADER_ROW = 4
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "・" for c in "[]:*?/\\"})


def package_xlsx(request: RightsRequest, package: dict[str, Any], *, released: bool) -> bytes:
    """The package as a workbook, one sheet per section: 項目 / 機関 / 欄 / 内容 / 確認. The
    確認 column gives the reason a field is withheld on the review copy, and says 不開示 on
    the released copy, where 内容 holds the redaction mark."""
    title = copy_title(released=released)
    heading = "  ".join(f"{label} {value}" for label, value in _heading(request, package))
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in package.get("sections", []):
        sheet = workbook.create_sheet(_sheet_name(section.get("title", ""), used))
        sheet.append([safe_text(f"{title} {section.get('title', '')}")])
        sheet["A1"].font = TITLE_FONT
        sheet.append([safe_text(heading)])
        sheet.append([])
        sheet.append(list(HEADERS))
        for entry in section.get("items", []):
            for f in entry.get("fields", []):
                withheld = bool(f.get("withheld"))
                if released:
                    value, check = released_value(f), "不開示" if withheld else ""
                else:
                    value = str(f.get("value", ""))
                    check = f"要確認:{f.get('why', '')}" if withheld else ""
                row = [entry.get("title", ""), entry.get("agency", ""), f.get("label", "")]
                sheet.append([safe_text(v) for v in (*row, value, check)])
        if sheet.max_row == HEADER_ROW:
            sheet.append([NO_RECORDS])
        last = sheet.max_row
        lay_out(
            sheet,
            title=f"{title} No.{request.pk}",
            header_row_number=HEADER_ROW,
            label_columns=1,
            footer_left=str(package.get("agency", "")),
            footer_right=safe_text(person_name(request, package)),
        )
        table_borders(sheet, HEADER_ROW, last, len(HEADERS))
    if not workbook.sheetnames:
        workbook.create_sheet("資料")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet's name: at most 31 characters, none of those Excel refuses, never twice."""
    base = (title.translate(_SHEET_NAME_FORBIDDEN) or "資料")[:28]
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}{n}", n + 1
    used.add(candidate)
    return candidate
