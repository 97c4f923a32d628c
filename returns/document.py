"""A return's stored document: what a snapshot freezes, built from returns.figures.

Figures are stored as plain JSON (a rate's percent as a string, exact). The ward's
document also holds a breakdown by filing agency, for the ward's planners: it is
suppressed as the indicators' breakdowns are (indicators.suppression), because it is a
breakdown that leaves the agencies; the ward's own figures are the published totals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from casework.models import Agency, ChangeItem
from casework.wareki import fiscal_year_bounds
from indicators.suppression import is_primary
from returns.definitions import BY_CODE, CODES, FILING_AGENCY_KINDS, Counting
from returns.figures import Figure, compute, fiscal_year_figures, improvement


def figure_json(figure: Figure) -> dict[str, Any]:
    value = figure.value
    return {
        "value": str(value) if isinstance(value, Decimal) else value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
    }


def filing_agencies() -> list[Agency]:
    return list(Agency.objects.filter(kind__in=FILING_AGENCY_KINDS).order_by("name", "pk"))


def covers_until(fy: int, today: datetime.date | None = None) -> datetime.date | None:
    """The last day of records, for a year still running when computed; None once over."""
    today = today or timezone.localdate()
    return today if today <= fiscal_year_bounds(fy)[1] else None


def _improvement_items(fy: int, agency: Agency | None) -> list[dict[str, Any]]:
    """Per change item, over the year: persons improved on it and persons compared on it."""
    counts = improvement(fiscal_year_bounds(fy), agency).by_item()
    return [
        {"item": item.value, "improved": counts[item.value][0], "compared": counts[item.value][1]}
        for item in ChangeItem
        if item.value in counts
    ]


@dataclass(frozen=True)
class AgencyYears:
    """Each filing agency's figures of the year, before suppression (never stored)."""

    agencies: list[Agency]
    years: list[dict[str, Figure]]


def agency_years(fy: int) -> AgencyYears:
    agencies = filing_agencies()
    if len(agencies) < 2:
        return AgencyYears(agencies, [])  # one filing agency: its figures are the ward's
    start, end = fiscal_year_bounds(fy)
    return AgencyYears(agencies, [compute(start, end, agency=agency) for agency in agencies])


def breakdown(raw: AgencyYears, k: int, held: list[dict[str, Any]]) -> dict[str, Any]:
    """Each filing agency's figure for the year, for the ward's planners, suppressed as a
    breakdown whose total (the ward's year) is published. The months stay the agencies'
    own: a table of agencies × months would give small cells away between months (a 実人数
    year lies between its largest month and the sum of its months).

    Counts: a figure of 1 to k-1 is hidden, and the next smallest until the hidden ones
    cannot be told apart. R09: the improved and the not improved persons are protected as
    two breakdowns of the ward's (whose rate and parts are published); an agency's rate is
    shown only when both of its parts are, its parts never. Every cell hidden in an earlier
    version of the year (`held`: the ward's documents stored before) stays hidden, so that
    comparing two versions gives nothing away."""
    ids = [a.pk for a in raw.agencies]
    names = [a.name for a in raw.agencies]
    if not raw.years:
        return {"agencies": names, "agency_ids": ids, "items": {}}
    items: dict[str, list[Any]] = {}
    for code in CODES:
        forced = _hidden_before(held, code, ids)
        figures = [year[code] for year in raw.years]
        if BY_CODE[code].counting == Counting.RATE:
            improved = [int(f.numerator or 0) for f in figures]
            rest = [int(f.denominator or 0) - n for f, n in zip(figures, improved, strict=True)]
            by_improved = protect_1d(improved, k, forced)
            by_rest = protect_1d(rest, k, forced)
            items[code] = [
                None if a or b else ("" if not f.denominator else str(f.value))
                for f, a, b in zip(figures, by_improved, by_rest, strict=True)
            ]
        else:
            values = [int(f.value or 0) for f in figures]
            mask = protect_1d(values, k, forced)
            items[code] = [None if h else v for v, h in zip(values, mask, strict=True)]
    return {"agencies": names, "agency_ids": ids, "items": items}


def _hidden_before(held: list[dict[str, Any]], code: str, ids: list[int]) -> list[bool]:
    """Which agencies' figure of `code` an earlier version hid."""
    hidden = dict.fromkeys(ids, False)
    for document in held:
        breakdown = document.get("breakdown") or {}
        cells = (breakdown.get("items") or {}).get(code) or []
        for agency_id, cell in zip(breakdown.get("agency_ids") or [], cells, strict=False):
            if cell is None and agency_id in hidden:
                hidden[agency_id] = True
    return [hidden[i] for i in ids]


def protect_1d(values: list[int], k: int, forced: list[bool]) -> list[bool]:
    """indicators.suppression.suppress_1d with cells hidden beforehand (`forced`): a cell
    of 1 to k-1 is hidden, and the smallest published nonzero one until the hidden cells
    are two or more whose sum exceeds their number (none is then worked out from the
    published total); failing that, every cell."""
    mask = [is_primary(v, k) or f for v, f in zip(values, forced, strict=True)]
    while True:
        hidden = [v for v, m in zip(values, mask, strict=True) if m]
        if not hidden or (len(hidden) >= 2 and sum(hidden) > len(hidden)):
            return mask
        spare = [i for i, v in enumerate(values) if v > 0 and not mask[i]]
        if not spare:
            return [True] * len(values)
        mask[min(spare, key=lambda i: (values[i], i))] = True


def build(fy: int, agency: Agency | None) -> dict[str, Any]:
    """The document of one fiscal year's return for one agency (None: the ward), without
    the ward's breakdown (`breakdown`, added as the version is stored)."""
    start, end = fiscal_year_bounds(fy)
    year = fiscal_year_figures(fy, agency)
    until = covers_until(fy)
    document: dict[str, Any] = {
        "fiscal_year": fy,
        "period": [start.isoformat(), end.isoformat()],
        "covers_until": until.isoformat() if until else None,
        "months": [
            {
                "month": first.isoformat(),
                "figures": {code: figure_json(figures[code]) for code in CODES},
            }
            for first, figures in year.months
        ],
        "year": {code: figure_json(year.year[code]) for code in CODES},
        "improvement_items": _improvement_items(fy, agency),
    }
    return document
