"""Dates as the ward writes them: 令和 era years and fiscal years (April to March)."""

import datetime

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
