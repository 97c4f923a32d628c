"""The computation of the return: each item's figure for a period, for the ward or one
agency, from the records. Reads only.

A fixed number of queries per period, whatever the number of cases: every item is counted
in the database (COUNT, COUNT DISTINCT), except the evaluation share, whose scores are read
in one query and compared in Python. Dates are the ward's (Asia/Tokyo): a plan approved at
00:30 on April 1 in Tokyo belongs to April.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q

from casework.models import (
    Agency,
    ChangeItemScore,
    Intake,
    MonitoringEntry,
    OutcomeKind,
    PlanState,
    Programme,
    ProgrammeOutcome,
    Screening,
    ScreeningResult,
    SupportPlan,
)
from casework.wareki import fiscal_year_bounds
from referrals.models import Referral, ReferralState
from returns.definitions import FILING_AGENCY_KINDS

# A つなぎ taken back, or refused by the receiving agency, connected nobody.
NOT_CONNECTED = (ReferralState.WITHDRAWN, ReferralState.DECLINED)


@dataclass(frozen=True)
class Figure:
    """One item's figure: a count, or a rate (percent, one decimal; None when nobody is
    in the denominator) with its numerator and denominator."""

    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None


def _rate(numerator: int, denominator: int) -> Figure:
    value = (
        (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if denominator
        else None
    )
    return Figure(value, numerator, denominator)


def _moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The period's first moment and the moment after it, in the ward's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


def _agency_scope(path: str, agency: Agency | None) -> Q:
    """The records of one agency, or of every agency that files the return."""
    if agency is not None:
        return Q(**{path: agency})
    return Q(**{f"{path}__kind__in": FILING_AGENCY_KINDS})


def compute(
    period_start: datetime.date, period_end: datetime.date, agency: Agency | None = None
) -> dict[str, Figure]:
    """Every item's figure for the days period_start..period_end (both included)."""
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    days = (period_start, period_end)
    first, after = _moments(period_start, period_end)
    owned = _agency_scope("case__owning_agency", agency)
    figures: dict[str, Figure] = {}

    figures["R01"] = Figure(Intake.objects.filter(owned, received_on__range=days).count())

    approved = SupportPlan.objects.filter(
        owned,
        state__in=[PlanState.APPROVED, PlanState.SUPERSEDED],
        approved_at__gte=first,
        approved_at__lt=after,
    )
    plans = approved.aggregate(
        plans=Count("pk", distinct=True),
        employment=Count(
            "case__person", distinct=True, filter=Q(actions__is_employment_support=True)
        ),
    )
    figures["R02"] = Figure(plans["plans"])
    figures["R03"] = Figure(plans["employment"])

    outcomes = ProgrammeOutcome.objects.filter(
        _agency_scope("enrolment__case__owning_agency", agency),
        enrolment__programme=Programme.EMPLOYMENT,
        achieved_on__range=days,
    ).aggregate(
        employed=Count("enrolment__person", distinct=True, filter=Q(kind=OutcomeKind.EMPLOYED)),
        income_up=Count("enrolment__person", distinct=True, filter=Q(kind=OutcomeKind.INCOME_UP)),
    )
    figures["R04"] = Figure(outcomes["employed"])
    figures["R05"] = Figure(outcomes["income_up"])

    referrals = (
        Referral.objects.filter(
            _agency_scope("sending_agency", agency), sent_at__gte=first, sent_at__lt=after
        )
        .exclude(state__in=NOT_CONNECTED)
        .aggregate(
            other=Count("pk", filter=Q(is_public_assistance=False)),
            public_assistance=Count("pk", filter=Q(is_public_assistance=True)),
        )
    )
    figures["R06"] = Figure(referrals["other"])
    figures["R07"] = Figure(referrals["public_assistance"])

    figures["R08"] = Figure(
        Screening.objects.filter(
            owned, result=ScreeningResult.INFO_ONLY, decided_on__range=days
        ).count()
    )

    figures["R09"] = _improvement(days, _agency_scope("plan__case__owning_agency", agency))
    return figures


def _improvement(days: tuple[datetime.date, datetime.date], owned: Q) -> Figure:
    """R09: each person's latest evaluation of the period against its plan's baseline."""
    entries = MonitoringEntry.objects.filter(
        owned,
        kind=MonitoringEntry.Kind.EVALUATION,
        monitored_on__range=days,
    )
    latest: dict[int, tuple[datetime.date, int, int]] = {}  # person -> (day, entry, plan)
    for pk, plan_id, person_id, day in entries.values_list(
        "pk", "plan_id", "plan__case__person_id", "monitored_on"
    ):
        if person_id not in latest or (day, pk) > latest[person_id][:2]:
            latest[person_id] = (day, pk, plan_id)
    if not latest:
        return _rate(0, 0)
    scores: dict[tuple[int, int | None], dict[str, int]] = {}
    rows = ChangeItemScore.objects.filter(
        Q(entry__in=entries.values("pk")) | Q(entry__isnull=True, plan__in=entries.values("plan"))
    ).values_list("plan_id", "entry_id", "item", "score")
    for plan_id, entry_id, item, score in rows:
        scores.setdefault((plan_id, entry_id), {})[item] = score
    compared = improved = 0
    for _day, entry_id, plan_id in latest.values():
        baseline = scores.get((plan_id, None), {})
        now = scores.get((plan_id, entry_id), {})
        common = baseline.keys() & now.keys()
        if not common:
            continue
        compared += 1
        if sum(now[i] for i in common) > sum(baseline[i] for i in common):
            improved += 1
    return _rate(improved, compared)


@dataclass(frozen=True)
class YearFigures:
    """A fiscal year's return: each month (April first), and the year as a whole. A
    distinct-person item's year is not the sum of its months: a person counts once."""

    fiscal_year: int
    months: list[tuple[datetime.date, dict[str, Figure]]]
    year: dict[str, Figure]


def month_bounds(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def fiscal_year_figures(fy: int, agency: Agency | None = None) -> YearFigures:
    start, end = fiscal_year_bounds(fy)
    months = []
    first = start
    while first <= end:
        months.append((first, compute(*month_bounds(first), agency=agency)))
        first = month_bounds(first)[1] + datetime.timedelta(days=1)
    return YearFigures(fiscal_year=fy, months=months, year=compute(start, end, agency=agency))
