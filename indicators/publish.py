"""Turn raw figures into what may leave the app: aggregates with small cells suppressed.

The output is plain JSON (it is what a snapshot stores): labels, numbers and None for a
suppressed cell. It never holds a name or a record id.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop as N_

from casework.models import Sex
from casework.wareki import fiscal_year_label
from indicators.definitions import INDICATORS, Source
from indicators.rollup import (
    BANDS_BY_CODE,
    UNKNOWN,
    WARD_WIDE,
    RecordFigures,
    district_labels,
    period_bounds,
)
from indicators.suppression import pinned_by_bounds, suppress_1d, suppress_2d

if TYPE_CHECKING:
    from indicators.models import ReportedFigure, SurveyResult

DEFAULT_K = 10


def suppression_k() -> int:
    return int(getattr(settings, "INDICATORS_SUPPRESSION_K", DEFAULT_K))


def percent(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _masked(values: list[int], mask: list[bool]) -> list[int | None]:
    return [None if m else v for v, m in zip(values, mask, strict=True)]


def one_way(title: str, labels: list[str], values: list[int], k: int) -> dict[str, Any]:
    mask = suppress_1d(values, k)
    return {
        "kind": "1d",
        "title": title,
        "labels": labels,
        "values": _masked(values, mask),
        "total": sum(values),
    }


def two_way(
    title: str, row_labels: list[str], col_labels: list[str], cells: list[list[int]], k: int
) -> dict[str, Any]:
    table = suppress_2d(cells, k)
    return {
        "kind": "2d",
        "title": title,
        "row_labels": row_labels,
        "col_labels": col_labels,
        "cells": [_masked(r, m) for r, m in zip(table.cells, table.cell_mask, strict=True)],
        "row_totals": _masked(table.row_totals, table.row_mask),
        "col_totals": _masked(table.col_totals, table.col_mask),
        "total": table.total,
    }


def rate_table(
    title: str, labels: list[str], numerators: list[int], denominators: list[int], k: int
) -> dict[str, Any]:
    """Per cell: the numerator (in the activity) and the rest of the denominator form a
    two-column table whose row totals are the denominators. Protecting it protects the
    numerators, the denominators and their difference; the column totals are the
    indicator's published numerator and denominator.

    What leaves is numerators and denominators only; a difference is known exactly when
    both of its row are. So the result is audited as the public sees it (a hidden
    difference may be 0), and widened, denominator by denominator, until nothing hidden
    can be worked out."""
    cells = [[n, d - n] for n, d in zip(numerators, denominators, strict=True)]
    table = suppress_2d(cells, k, publish_col_totals=True)
    num = [m[0] for m in table.cell_mask]
    den = list(table.row_mask)
    for i, (_n_hidden, rest_hidden) in enumerate(table.cell_mask):
        # The difference cannot be hidden on its own: its denominator goes with it.
        if rest_hidden and not num[i] and not den[i]:
            den[i] = True
    values = [[*row, sum(row)] for row in cells]
    values.append([sum(numerators), sum(denominators) - sum(numerators), sum(denominators)])
    everything = False
    while any(num) or any(den):
        everything = all(num) and all(den)
        mask = [[n, n or d, d] for n, d in zip(num, den, strict=True)] + [[False] * 3]
        # Published zeros make a hidden numerator or denominator at least 1; a difference
        # hidden with them may be 0. With everything hidden, zeros are hidden too.
        low = 0 if everything else 1
        lower = [[low, 0, low] for _ in num] + [[0, 0, 0]]
        if everything or not pinned_by_bounds(values, mask, lower):
            break
        spare = [i for i, d in enumerate(denominators) if d > 0 and not den[i]]
        spare = spare or [i for i, n in enumerate(numerators) if n > 0 and not num[i]]
        if spare:
            pick = min(spare, key=lambda i: (denominators[i], i))
            if not den[pick]:
                den[pick] = True
            else:
                num[pick] = True
        else:
            num, den = [True] * len(num), [True] * len(den)
    return {
        "kind": "rate",
        "title": title,
        "labels": labels,
        "numerators": _masked(numerators, num),
        "denominators": _masked(denominators, den),
        # A rate would give its suppressed part away: it goes with either.
        "rates": [
            None if (nm or dm) else percent(n, d)
            for n, d, nm, dm in zip(numerators, denominators, num, den, strict=True)
        ],
        "numerator_total": sum(numerators),
        "denominator_total": sum(denominators),
    }


SEX_ORDER = (Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNKNOWN)


def _flat_2d(cells: list[list[int]]) -> list[int]:
    """A table's entries row by row, each row's total last, then the column totals."""
    rows = [[*r, sum(r)] for r in cells]
    rows.append([sum(col) for col in zip(*rows, strict=True)])
    return [v for row in rows for v in row]


def _record_entry(
    code: str, figures: RecordFigures, k: int, raw: dict[tuple[str, int], list[int]]
) -> dict[str, Any]:
    start, end = period_bounds(code, figures.fiscal_year)
    entry: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "breakdowns": []}
    if code in figures.counts:
        null_key = WARD_WIDE if code == "P1-2b" else UNKNOWN
        rows = district_labels(figures, null_key)
        values = [figures.counts[code].get(key, 0) for key, _label in rows]
        entry["value"] = sum(values)
        entry["breakdowns"].append(one_way(N_("地区別"), [str(n) for _k, n in rows], values, k))
        raw[(code, 0)] = [*values, sum(values)]
    elif code in figures.persons:
        cells = figures.persons[code]
        rows = district_labels(figures, UNKNOWN)
        bands = [*((b[0], b[1]) for b in BANDS_BY_CODE[code]), (UNKNOWN, N_("年齢不明"))]
        matrix = [[0] * len(bands) for _ in rows]
        by_sex: dict[str, int] = dict.fromkeys(SEX_ORDER, 0)
        row_index = {key: n for n, (key, _l) in enumerate(rows)}
        band_index = {key: n for n, (key, _l) in enumerate(bands)}
        for (district, band, sex), n in cells.cells.items():
            matrix[row_index.get(district, len(rows) - 1)][band_index[band]] += n
            by_sex[sex if sex in by_sex else Sex.UNKNOWN] += n
        entry["value"] = cells.total
        entry["breakdowns"].append(
            two_way(
                N_("地区×年齢"),
                [str(n) for _k, n in rows],
                [label for _k, label in bands],
                matrix,
                k,
            )
        )
        entry["breakdowns"].append(
            one_way(N_("性別"), [str(s.label) for s in SEX_ORDER], list(by_sex.values()), k)
        )
        raw[(code, 0)] = _flat_2d(matrix)
        raw[(code, 1)] = [*by_sex.values(), sum(by_sex.values())]
    elif code in figures.rates:
        rate = figures.rates[code]
        rows = district_labels(figures, UNKNOWN)
        nums = [rate.numerators.get(key, 0) for key, _l in rows]
        dens = [rate.denominators.get(key, 0) for key, _l in rows]
        entry["numerator"] = sum(nums)
        entry["denominator"] = sum(dens)
        entry["value"] = percent(sum(nums), sum(dens))
        entry["breakdowns"].append(
            rate_table(N_("地区別"), [str(n) for _k, n in rows], nums, dens, k)
        )
        raw[(code, 0)] = rate_raw(nums, dens)
    return entry


def rate_raw(numerators: list[int], denominators: list[int]) -> list[int]:
    """A rate breakdown's true values as the joint audit reads them: per district its
    numerator, the rest and the denominator; then their totals."""
    flat = []
    for n, d in [*zip(numerators, denominators, strict=True), (sum(numerators), sum(denominators))]:
        flat += [n, d - n, d]
    return flat


def publishable(
    figures: RecordFigures,
    surveys: dict[str, SurveyResult],
    reports: dict[str, ReportedFigure],
    k: int,
    raw: dict[tuple[str, int], list[int]] | None = None,
) -> dict[str, Any]:
    """The snapshot document of one fiscal year. `raw`, if given, receives the true values
    of each breakdown, keyed (code, breakdown index), for the joint audit; it never leaves
    the computation."""
    raw = {} if raw is None else raw
    with translation.override("ja"):
        indicators = {}
        for indicator in INDICATORS:
            base: dict[str, Any] = {
                "code": indicator.code,
                "source": indicator.source,
                "period": indicator.period,
                "counting": indicator.counting,
            }
            if indicator.source == Source.RECORDS:
                base.update(_record_entry(indicator.code, figures, k, raw))
            elif indicator.source == Source.SURVEY:
                survey = surveys.get(indicator.code)
                base["value"] = float(survey.percent) if survey else None
                if survey:
                    base.update(
                        respondents=survey.respondents,
                        survey_name=survey.survey_name,
                        surveyed_on=survey.surveyed_on.isoformat(),
                    )
            else:
                report = reports.get(indicator.code)
                base["value"] = report.value if report else None
                if report:
                    base.update(
                        reporting_body=report.reporting_body, as_of=report.as_of.isoformat()
                    )
            indicators[indicator.code] = base
        return {
            "fiscal_year": figures.fiscal_year,
            "label": fiscal_year_label(figures.fiscal_year),
            "k": k,
            "indicators": indicators,
        }
