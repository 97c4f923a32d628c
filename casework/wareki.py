"""Dates as the ward writes them: 令和 era years and fiscal years (April to March)."""

import datetime
import re
import unicodedata

REIWA_START = datetime.date(2019, 5, 1)


def fiscal_year(day: datetime.date) -> int:
    """The fiscal year a day belongs to: 2025 for 2025-04-01 through 2026-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def _reiwa_number(year: int) -> str:
    n = year - 2018
    return "元" if n == 1 else str(n)


def fiscal_year_label(fy: int) -> str:
    """令和N年度, N = FY − 2018 (令和元年度 for FY2019)."""
    if fy < 2019:
        return f"平成{fy - 1988}年度" if fy >= 1989 else f"{fy}年度"
    return f"令和{_reiwa_number(fy)}年度"


def wareki_date(day: datetime.date) -> str:
    """令和8年11月27日; days before the Reiwa era in 平成 (from 1989-01-08)."""
    if day >= REIWA_START:
        return f"令和{_reiwa_number(day.year)}年{day.month}月{day.day}日"
    if day >= datetime.date(1989, 1, 8):
        n = day.year - 1988
        return f"平成{'元' if n == 1 else n}年{day.month}月{day.day}日"
    if day >= datetime.date(1926, 12, 25):
        n = day.year - 1925
        return f"昭和{'元' if n == 1 else n}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def _english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


def date_on_screen(day: datetime.date) -> str:
    """A date as the reader's screen shows it: 令和 era on Japanese screens, ISO on English
    ones. The national returns and the stored messages keep wareki_date."""
    return day.isoformat() if _english() else wareki_date(day)


def fiscal_year_on_screen(fy: int) -> str:
    """A fiscal year on the reader's screen: 令和8年度, or FY2026 on English screens."""
    return f"FY{fy}" if _english() else fiscal_year_label(fy)


# The eras a birth date may fall in: (name, initial, first day).
ERAS = (
    ("令和", "R", datetime.date(2019, 5, 1)),
    ("平成", "H", datetime.date(1989, 1, 8)),
    ("昭和", "S", datetime.date(1926, 12, 25)),
    ("大正", "T", datetime.date(1912, 7, 30)),
    ("明治", "M", datetime.date(1868, 10, 23)),
)
_ERA_NAMES = {name: first for name, _initial, first in ERAS} | {
    initial: first for _name, initial, first in ERAS
}
_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,2})\s*[年.\-/]\s*"
    r"(?P<month>\d{1,2})\s*[月.\-/]\s*(?P<day>\d{1,2})\s*日?$"
)
_WESTERN = re.compile(
    r"^(?P<year>\d{4})\s*[年.\-/]\s*(?P<month>\d{1,2})\s*[月.\-/]\s*(?P<day>\d{1,2})\s*日?$"
)


def parse_date(text: str) -> datetime.date | None:
    """A date as people type it: 1965-05-16, 1965/5/16, 1965年5月16日, 昭和40年5月16日,
    昭和元年12月25日, S40.5.16 (full-width digits and letters too). None if it is none of
    these, or names a day its era does not have (昭和64年1月8日 was 平成元年)."""
    text = unicodedata.normalize("NFKC", text).strip().upper()
    match = _WAREKI.match(text)
    if match:
        first = _ERA_NAMES[match["era"]]
        number = 1 if match["year"] == "元" else int(match["year"])
        if number < 1:
            return None
        year = first.year + number - 1
    else:
        match = _WESTERN.match(text)
        if not match:
            return None
        first, year = None, int(match["year"])
    try:
        day = datetime.date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    if first is not None:
        following = [f for _n, _i, f in ERAS if f > first]
        if day < first or (following and day >= min(following)):
            return None
    return day
