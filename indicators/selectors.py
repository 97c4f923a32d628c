"""Reads for the indicators: the figures entered by officers, snapshots, dashboard series."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from casework.access import parse_id
from casework.wareki import (
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_on_screen,
)
from indicators import access
from indicators.definitions import INDICATORS, Indicator, Source, progress
from indicators.models import (
    ReportedFigure,
    Snapshot,
    SnapshotQuerySet,
    SnapshotState,
    SurveyResult,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

EARLIEST_FY = 2019


def current_fiscal_year() -> int:
    return fiscal_year(timezone.localdate())


def computable_years() -> list[int]:
    """Fiscal years a snapshot may be made for: from the baseline years to this one."""
    return list(range(EARLIEST_FY, current_fiscal_year() + 1))


def surveys_for_year(fy: int) -> dict[str, SurveyResult]:
    """The latest survey result of each survey indicator taken within the fiscal year."""
    start, end = fiscal_year_bounds(fy)
    latest: dict[str, SurveyResult] = {}
    for row in SurveyResult.objects.filter(surveyed_on__range=(start, end)).order_by(
        "surveyed_on", "recorded_at", "pk"
    ):
        latest[row.indicator] = row
    return latest


def reports_for_year(fy: int) -> dict[str, ReportedFigure]:
    start, end = fiscal_year_bounds(fy)
    latest: dict[str, ReportedFigure] = {}
    for row in ReportedFigure.objects.filter(as_of__range=(start, end)).order_by(
        "as_of", "recorded_at", "pk"
    ):
        latest[row.indicator] = row
    return latest


def recent_surveys(limit: int = 20) -> QuerySet[SurveyResult]:
    return SurveyResult.objects.select_related("recorded_by")[:limit]


def recent_reports(limit: int = 20) -> QuerySet[ReportedFigure]:
    return ReportedFigure.objects.select_related("recorded_by")[:limit]


def snapshots(user: User | AnonymousUser) -> SnapshotQuerySet:
    """Indicator officers see per year the approved snapshot and the latest version if that
    is a draft; supervisors only approved ones. Superseded drafts are kept for the record
    but shown to nobody: two drafts side by side would show what a few records changed
    (and a new draft is audited against every version, see indicators/joint.py)."""
    found = Snapshot.objects.select_related(
        "computed_by", "approved_by", "superseded_by", "supersedes"
    ).order_by("-fiscal_year", "-number")
    if not access.is_indicator_officer(user):
        return found.filter(state=SnapshotState.APPROVED)
    latest = (
        Snapshot.objects.filter(fiscal_year=OuterRef("fiscal_year"))
        .order_by("-number")
        .values("number")[:1]
    )
    return found.filter(Q(state=SnapshotState.APPROVED) | Q(number=Subquery(latest)))


def snapshot_get(user: User | AnonymousUser, fy: int | str, number: int | str) -> Snapshot:
    """One snapshot by fiscal year and version number, or 404."""
    fy, number = parse_id(fy), parse_id(number)
    snapshot = snapshots(user).filter(fiscal_year=fy, number=number).first()
    if snapshot is None:
        raise Http404
    return snapshot


def current_approval(fy: int) -> Snapshot | None:
    """The year's figure for the annual review: its approved snapshot that nothing has
    replaced (a year has at most one, see Snapshot's constraints)."""
    return (
        Snapshot.objects.filter(
            fiscal_year=fy, state=SnapshotState.APPROVED, superseded_by__isnull=True
        )
        .select_related("approved_by", "supersedes")
        .first()
    )


def approval_history(snapshot: Snapshot) -> list[Snapshot]:
    """Every approval of the snapshot's fiscal year, first to last: who, when, and why it
    replaced the one before. Approved snapshots are seen by every dashboard user."""
    return list(
        Snapshot.objects.filter(fiscal_year=snapshot.fiscal_year, state=SnapshotState.APPROVED)
        .select_related("approved_by", "supersedes", "superseded_by")
        .order_by("number")
    )


def official_snapshots(user: User | AnonymousUser) -> dict[int, Snapshot]:
    """Per fiscal year: the current approval (the latest approved snapshot, which replaced
    any earlier one), or (for indicator officers) the latest draft if none is approved yet."""
    chosen: dict[int, Snapshot] = {}
    for snap in snapshots(user).order_by("fiscal_year", "number"):
        if snap.is_superseded:
            continue
        current = chosen.get(snap.fiscal_year)
        if current is None or snap.is_approved or not current.is_approved:
            chosen[snap.fiscal_year] = snap
    return chosen


@dataclass
class Point:
    fy: int
    label: str
    value: float | None
    approved: bool
    # The day its records stop, for a year computed before it ended (partial figures).
    covers_until: datetime.date | None = None
    # No records of the indicator's kind yet that year (or no survey / report): not a 0.
    no_data: bool = False

    @property
    def partial(self) -> bool:
        return self.covers_until is not None

    @property
    def has_value(self) -> bool:
        return self.value is not None and not self.no_data


@dataclass
class Series:
    indicator: Indicator
    points: list[Point]

    @property
    def latest(self) -> Point | None:
        with_value = [p for p in self.points if p.has_value]
        return with_value[-1] if with_value else None

    @property
    def latest_final(self) -> Point | None:
        """The latest year with a value whose snapshot was computed after the year ended."""
        final = [p for p in self.points if p.has_value and not p.partial]
        return final[-1] if final else None

    @property
    def progress(self) -> Decimal | None:
        """Progress of the latest year, only when that year is complete: a year still
        running (or computed before it ended) is not compared with the target."""
        latest = self.latest
        if latest is None or latest.partial:
            return None
        return progress(self.indicator, latest.value)

    @property
    def final_progress(self) -> Decimal | None:
        final = self.latest_final
        return progress(self.indicator, final.value) if final else None


def dashboard_series(user: User | AnonymousUser) -> list[Series]:
    chosen = official_snapshots(user)
    years = sorted(chosen)
    series = []
    for indicator in INDICATORS:
        points = []
        for fy in years:
            snap = chosen[fy]
            entry = snap.values.get("indicators", {}).get(indicator.code, {})
            points.append(
                Point(
                    fy=fy,
                    label=fiscal_year_on_screen(fy),
                    value=entry.get("value"),
                    approved=snap.state == SnapshotState.APPROVED,
                    covers_until=snap.covers_until,
                    no_data=entry_has_no_data(indicator, entry),
                )
            )
        series.append(Series(indicator=indicator, points=points))
    return series


def entry_has_no_data(indicator: Indicator, entry: dict[str, Any]) -> bool:
    """A snapshot entry without data for its year (see indicators/coverage.py). Snapshots
    made before the rule was recorded say so only for a survey or report not entered."""
    if "no_data" in entry:
        return bool(entry["no_data"])
    return indicator.source != Source.RECORDS and entry.get("value") is None
