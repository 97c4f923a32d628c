"""A case's 経過記録 as the ward files it on paper: an Excel workbook or a CSV.

The rows are the case page's timeline (`selectors.case_timeline`, the same dates and
method), oldest first as a paper log reads. Above the table: whose record it is, which case
and agency, the period and method it covers, when and by whom it was output. Always in the
ward's Japanese, whatever the reader's screen language; every text that people typed is
quoted where a spreadsheet would run it as a formula (`xlsx.safe_text`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation

from casework import access, selectors, xlsx
from casework.models import ContactMethod, ContactRecord
from casework.templatetags.tsunagu import jdatetime, staff_name
from casework.wareki import wareki_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case

TITLE = "支援経過記録"
HEADERS = ["日付", "方法", "所要時間(分)", "対応者", "内容", "次回の対応", "訂正"]
ALL_PERIOD = "全期間"
HIDDEN = "(秘匿が指定された記録)"
ALL_METHODS = "すべて"
DATE_FORMAT = "yyyy/mm/dd hh:mm"
# The columns of long text, wrapped in the workbook.
_WRAPPED = (5, 6)
_MINUTES = 3

# openpyxl refuses the control characters XML 1.0 cannot hold. A text box keeps what was
# pasted into it (Word writes a line break within a paragraph as a vertical tab): those
# become line breaks, the rest is dropped, rather than the download failing.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f]")


@contextmanager
def in_the_wards_language() -> Iterator[None]:
    with translation.override(settings.LANGUAGE_CODE):
        yield


def period_label(date_from: datetime.date | None, date_to: datetime.date | None) -> str:
    """令和8年4月1日〜令和8年11月30日; an open end is left blank; neither is 全期間."""
    if not date_from and not date_to:
        return ALL_PERIOD
    start = wareki_date(date_from) if date_from else ""
    end = wareki_date(date_to) if date_to else ""
    return f"{start}〜{end}"


def method_label(method: str) -> str:
    with in_the_wards_language():
        return str(ContactMethod(method).label) if method else ALL_METHODS


def log_detail(
    kind: str,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    method: str = "",
) -> str:
    """What the access log says was read: 経過記録のExcel出力(令和8年4月1日〜令和8年11月30日),
    with the method when only one was output."""
    scope = period_label(date_from, date_to)
    if method:
        scope += f"、{method_label(method)}"
    return f"経過記録の{kind}出力({scope})"


def _text(value: str) -> str:
    return xlsx.safe_text(_BREAKS.sub("\n", value))


def _correction(record: ContactRecord) -> str:
    return f"訂正あり(第{record.version}版)" if record.version > 1 else ""


@dataclass(frozen=True)
class _Log:
    """The 経過記録 of one case for one period and method, and who output it when."""

    case: Case
    actor: User
    date_from: datetime.date | None
    date_to: datetime.date | None
    method: str
    at: datetime.datetime
    records: list[ContactRecord]


def _read(
    case: Case,
    actor: User,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    method: str,
    at: datetime.datetime | None,
) -> _Log:
    timeline = selectors.case_timeline(case, date_from=date_from, date_to=date_to, method=method)
    records = list(timeline.order_by("occurred_at", "pk"))
    return _Log(case, actor, date_from, date_to, method, at or timezone.now(), records)


def meta(log: _Log) -> list[list[str]]:
    """The lines above the table: a label and its value."""
    person = log.case.person
    kana = f"({person.kana})" if person.kana else ""
    return [
        [TITLE],
        ["本人", _text(f"{person}{kana}")],
        ["ケース", str(log.case)],
        ["機関", _text(log.case.owning_agency.name)],
        ["期間", period_label(log.date_from, log.date_to)],
        ["方法", method_label(log.method)],
        ["出力日時", jdatetime(log.at)],
        ["出力者", _text(staff_name(log.actor))],
    ]


def rows(log: _Log) -> list[list[Any]]:
    """One row per 経過記録 in the order of HEADERS: the date as a local date and time, the
    minutes as a number."""
    out = []
    for record in log.records:
        # A record under a 記録の秘匿 mark the exporting user is not named on: no words.
        hidden = access.record_hidden(log.actor, record, log.case)
        out.append(
            [
                timezone.localtime(record.occurred_at).replace(tzinfo=None),
                str(record.get_method_display()),
                record.minutes,
                _text(staff_name(record.worker)),
                HIDDEN if hidden else _text(record.summary),
                "" if hidden else _text(record.next_action),
                _correction(record),
            ]
        )
    return out


def to_csv(
    case: Case,
    *,
    actor: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    method: str = "",
    at: datetime.datetime | None = None,
) -> str:
    """The lines above the table, an empty line, the header and the table."""
    log = _read(case, actor, date_from, date_to, method, at)
    out = io.StringIO()
    writer = csv.writer(out)
    with in_the_wards_language():
        writer.writerows(meta(log))
        writer.writerow([])
        writer.writerow(HEADERS)
        for row in rows(log):
            writer.writerow([f"{row[0]:%Y/%m/%d %H:%M}", *row[1:]])
    # A BOM so that Excel opens the Japanese text as UTF-8.
    return "\ufeff" + out.getvalue()


def _in_xml(value: Any) -> Any:
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def to_xlsx(
    case: Case,
    *,
    actor: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    method: str = "",
    at: datetime.datetime | None = None,
) -> bytes:
    """One sheet in the app's layout (casework/xlsx.py): the lines above the table, then
    the table, its dates real dates, its long texts wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    log = _read(case, actor, date_from, date_to, method, at)
    book = Workbook()
    sheet = book.active
    sheet.title = TITLE
    wrapped = Alignment(vertical="top", wrap_text=True)
    with in_the_wards_language():
        for line in meta(log):
            sheet.append([_in_xml(v) for v in line])
        sheet["A1"].font = xlsx.TITLE_FONT
        sheet.append([])
        sheet.append(HEADERS)
        header = sheet.max_row
        for row in rows(log):
            sheet.append([_in_xml(v) for v in row])
            number = sheet.max_row
            sheet.cell(number, 1).number_format = DATE_FORMAT
            sheet.cell(number, _MINUTES).number_format = xlsx.INTEGER
            for column in _WRAPPED:
                sheet.cell(number, column).alignment = wrapped
        xlsx.table_borders(sheet, header, sheet.max_row, len(HEADERS))
        xlsx.lay_out(
            sheet,
            title=_in_xml(f"{TITLE} {case.person}({case})"),
            header_row_number=header,
            label_columns=1,
            # A paper log: landscape, so that 内容 is wide enough to read, however short.
            landscape=True,
            footer_left=f"出力日時 {jdatetime(log.at)}",
            footer_right=_in_xml(f"{case.owning_agency.name} {staff_name(actor)}"),
        )
    # Each printed page repeats the table's header, and its page header names the person
    # and the case: the lines above the table are printed once, not on every page.
    sheet.print_title_rows = f"{header}:{header}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
