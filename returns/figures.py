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
from django.db.models import Count, Q, QuerySet

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


def intakes(days: tuple[datetime.date, datetime.date], agency: Agency | None) -> QuerySet[Intake]:
    """R01's records."""
    return Intake.objects.filter(
        _agency_scope("case__owning_agency", agency), received_on__range=days
    )


def plans_approved(
    days: tuple[datetime.date, datetime.date], agency: Agency | None
) -> QuerySet[SupportPlan]:
    """R02's records (R03's are those of them with an action marked 就労支援)."""
    first, after = _moments(*days)
    return SupportPlan.objects.filter(
        _agency_scope("case__owning_agency", agency),
        state__in=[PlanState.APPROVED, PlanState.SUPERSEDED],
        approved_at__gte=first,
        approved_at__lt=after,
    )


def employment_outcomes(
    days: tuple[datetime.date, datetime.date], agency: Agency | None
) -> QuerySet[ProgrammeOutcome]:
    """R04's and R05's records (of either kind)."""
    return ProgrammeOutcome.objects.filter(
        _agency_scope("enrolment__case__owning_agency", agency),
        enrolment__programme=Programme.EMPLOYMENT,
        achieved_on__range=days,
    )


def referrals_connected(
    days: tuple[datetime.date, datetime.date], agency: Agency | None
) -> QuerySet[Referral]:
    """R06's and R07's records (R07: is_public_assistance)."""
    first, after = _moments(*days)
    return Referral.objects.filter(
        _agency_scope("sending_agency", agency), sent_at__gte=first, sent_at__lt=after
    ).exclude(state__in=NOT_CONNECTED)


def info_only_screenings(
    days: tuple[datetime.date, datetime.date], agency: Agency | None
) -> QuerySet[Screening]:
    """R08's records."""
    return Screening.objects.filter(
        _agency_scope("case__owning_agency", agency),
        result=ScreeningResult.INFO_ONLY,
        decided_on__range=days,
    )


def evaluations(
    days: tuple[datetime.date, datetime.date], agency: Agency | None
) -> QuerySet[MonitoringEntry]:
    """The evaluations R09 reads (each person's latest of the period is compared)."""
    return MonitoringEntry.objects.filter(
        _agency_scope("plan__case__owning_agency", agency),
        kind=MonitoringEntry.Kind.EVALUATION,
        monitored_on__range=days,
    )


def compute(
    period_start: datetime.date, period_end: datetime.date, agency: Agency | None = None
) -> dict[str, Figure]:
    """Every item's figure for the days period_start..period_end (both included)."""
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    days = (period_start, period_end)
    figures: dict[str, Figure] = {}

    figures["R01"] = Figure(intakes(days, agency).count())

    plans = plans_approved(days, agency).aggregate(
        plans=Count("pk", distinct=True),
        employment=Count(
            "case__person", distinct=True, filter=Q(actions__is_employment_support=True)
        ),
    )
    figures["R02"] = Figure(plans["plans"])
    figures["R03"] = Figure(plans["employment"])

    outcomes = employment_outcomes(days, agency).aggregate(
        employed=Count("enrolment__person", distinct=True, filter=Q(kind=OutcomeKind.EMPLOYED)),
        income_up=Count("enrolment__person", distinct=True, filter=Q(kind=OutcomeKind.INCOME_UP)),
    )
    figures["R04"] = Figure(outcomes["employed"])
    figures["R05"] = Figure(outcomes["income_up"])

    referrals = referrals_connected(days, agency).aggregate(
        other=Count("pk", filter=Q(is_public_assistance=False)),
        public_assistance=Count("pk", filter=Q(is_public_assistance=True)),
    )
    figures["R06"] = Figure(referrals["other"])
    figures["R07"] = Figure(referrals["public_assistance"])

    figures["R08"] = Figure(info_only_screenings(days, agency).count())

    figures["R09"] = improvement(days, agency).figure
    return figures


@dataclass(frozen=True)
class Comparison:
    """One person's latest evaluation of a period against the plan's baseline: the items
    scored both times, and each item's change."""

    entry_id: int
    plan_id: int
    person_id: int
    changes: dict[str, int]  # item -> score now minus score at plan start

    @property
    def improved(self) -> bool:
        return sum(self.changes.values()) > 0


@dataclass(frozen=True)
class Improvement:
    figure: Figure
    comparisons: list[Comparison]

    def by_item(self) -> dict[str, tuple[int, int]]:
        """Per change item: (persons improved on it, persons compared on it)."""
        counts: dict[str, list[int]] = {}
        for comparison in self.comparisons:
            for item, change in comparison.changes.items():
                pair = counts.setdefault(item, [0, 0])
                pair[1] += 1
                pair[0] += change > 0
        return {item: (pair[0], pair[1]) for item, pair in counts.items()}


def improvement(days: tuple[datetime.date, datetime.date], agency: Agency | None) -> Improvement:
    """R09: each person's latest evaluation of the period against its plan's baseline."""
    entries = evaluations(days, agency)
    latest: dict[int, tuple[datetime.date, int, int]] = {}  # person -> (day, entry, plan)
    for pk, plan_id, person_id, day in entries.values_list(
        "pk", "plan_id", "plan__case__person_id", "monitored_on"
    ):
        if person_id not in latest or (day, pk) > latest[person_id][:2]:
            latest[person_id] = (day, pk, plan_id)
    if not latest:
        return Improvement(_rate(0, 0), [])
    scores: dict[tuple[int, int | None], dict[str, int]] = {}
    rows = ChangeItemScore.objects.filter(
        Q(entry__in=entries.values("pk")) | Q(entry__isnull=True, plan__in=entries.values("plan"))
    ).values_list("plan_id", "entry_id", "item", "score")
    for plan_id, entry_id, item, score in rows:
        scores.setdefault((plan_id, entry_id), {})[item] = score
    comparisons = []
    for person_id, (_day, entry_id, plan_id) in sorted(latest.items()):
        baseline = scores.get((plan_id, None), {})
        now = scores.get((plan_id, entry_id), {})
        common = sorted(baseline.keys() & now.keys())
        if common:
            changes = {i: now[i] - baseline[i] for i in common}
            comparisons.append(Comparison(entry_id, plan_id, person_id, changes))
    improved = sum(c.improved for c in comparisons)
    return Improvement(_rate(improved, len(comparisons)), comparisons)


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
