"""The roll-up from records: the six record-based indicators of one fiscal year.

One aggregate query per indicator (plus one for the district names), whatever the number
of records: cells are grouped in the database, never counted row by row in Python. The
raw figures returned here are not anonymous; `indicators.publish` suppresses small cells
before anything leaves the app.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TypeAlias

from django.db.models import Aggregate, CharField, Count, F, Model, Q, QuerySet, Sum, Value, When
from django.db.models import Case as CaseWhen
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from casework.models import District, Programme, ProgrammeEnrolment, ProgrammeOutcome, Sex
from casework.wareki import fiscal_year_bounds
from indicators.definitions import BY_CODE, PLAN_FIRST_FY, Period
from outreach.models import (
    AwarenessEvent,
    EventTheme,
    GroupKind,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)

UNKNOWN = "_unknown"
WARD_WIDE = "_ward"

# Age on April 1 of the fiscal year (the school-year convention). (key, label, from, to).
AgeBands: TypeAlias = tuple[tuple[str, str, int, int | None], ...]
CHILD_BANDS: AgeBands = (
    ("preschool", N_("0〜5歳"), 0, 6),
    ("elementary", N_("6〜11歳"), 6, 12),
    ("junior_high", N_("12〜14歳"), 12, 15),
    ("high_school", N_("15〜17歳"), 15, 18),
    ("adult", N_("18歳以上"), 18, None),
)
ADULT_BANDS: AgeBands = (
    ("u40", N_("39歳以下"), 0, 40),
    ("40_64", N_("40〜64歳"), 40, 65),
    ("65_74", N_("65〜74歳"), 65, 75),
    ("75p", N_("75歳以上"), 75, None),
)
BANDS_BY_CODE: dict[str, AgeBands] = {"P1-3a": CHILD_BANDS, "P1-3b": ADULT_BANDS}


def period_bounds(code: str, fy: int) -> tuple[datetime.date, datetime.date]:
    """The days an indicator counts for fiscal year `fy`: the year itself, or from the
    plan's first year (FY2022) to the end of `fy` when it accumulates."""
    start, end = fiscal_year_bounds(fy)
    if BY_CODE[code].period == Period.CUMULATIVE:
        start = fiscal_year_bounds(min(PLAN_FIRST_FY, fy))[0]
    return start, end


def _age_band(path: str, bands: AgeBands, on: datetime.date) -> CaseWhen:
    """SQL: the age band of a birth date at `on`, or UNKNOWN without a birth date."""

    def born_by(age: int) -> datetime.date:  # the latest birth date of someone `age` on `on`
        return on.replace(year=on.year - age)

    whens = [When(**{f"{path}__isnull": True}, then=Value(UNKNOWN))]
    for key, _label, lo, hi in bands:
        q = Q(**{f"{path}__lte": born_by(lo)})
        if hi is not None:
            q &= Q(**{f"{path}__gt": born_by(hi)})
        whens.append(When(q, then=Value(key)))
    return CaseWhen(*whens, default=Value(UNKNOWN), output_field=CharField())


@dataclass
class PersonCells:
    """Distinct persons by (district code, age band, sex); a person sits in one cell."""

    bands: AgeBands
    cells: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


@dataclass
class RateCells:
    numerators: dict[str, int]
    denominators: dict[str, int]


@dataclass
class RecordFigures:
    fiscal_year: int
    districts: list[tuple[str, str]]  # (code, name) in display order
    counts: dict[str, dict[str, int]]  # P1-2a, P1-2b, P2-1a: district code -> value
    persons: dict[str, PersonCells]  # P1-3a, P1-3b
    rates: dict[str, RateCells]  # P2-1b


def _persons(
    queryset: QuerySet[Model], person_path: str, bands: AgeBands, on: datetime.date
) -> PersonCells:
    rows = (
        queryset.annotate(
            _d=F(f"{person_path}__district__code"),
            _band=_age_band(f"{person_path}__birth_date", bands, on),
            _sex=F(f"{person_path}__sex"),
        )
        .values("_d", "_band", "_sex")
        .annotate(n=Count(f"{person_path}_id", distinct=True))
        .order_by()
    )
    result = PersonCells(bands=bands)
    for row in rows:
        key = (row["_d"] or UNKNOWN, row["_band"], row["_sex"] or Sex.UNKNOWN)
        result.cells[key] = result.cells.get(key, 0) + row["n"]
    return result


def _by_district(
    queryset: QuerySet[Model], path: str, aggregate: Aggregate, null_key: str
) -> dict[str, int]:
    rows = queryset.values(_d=F(path)).annotate(n=aggregate).order_by()
    out: dict[str, int] = {}
    for row in rows:
        key = row["_d"] or null_key
        out[key] = out.get(key, 0) + (row["n"] or 0)
    return out


def _overlapping(start: datetime.date, end: datetime.date, begin_field: str, end_field: str) -> Q:
    """Rows whose [begin, end] span touches the period: registered on at least one day."""
    return Q(**{f"{begin_field}__lte": end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    )


def roll_up(fy: int) -> RecordFigures:
    districts = list(District.objects.order_by("sort_order", "pk").values_list("code", "name"))
    counts: dict[str, dict[str, int]] = {}

    start, end = period_bounds("P1-2a", fy)
    counts["P1-2a"] = _by_district(
        LifeSupportService.objects.filter(created_on__range=(start, end)),
        "district__code",
        Count("pk"),
        UNKNOWN,
    )

    start, end = period_bounds("P1-2b", fy)
    counts["P1-2b"] = _by_district(
        AwarenessEvent.objects.filter(theme=EventTheme.HELP_SEEKING, held_on__range=(start, end)),
        "district__code",
        Sum("participants"),
        WARD_WIDE,
    )

    start, end = period_bounds("P2-1a", fy)
    counts["P2-1a"] = _by_district(
        GroupSession.objects.filter(group__kind=GroupKind.EXERCISE, held_on__range=(start, end)),
        "group__district__code",
        Sum("attendance"),
        UNKNOWN,
    )

    persons: dict[str, PersonCells] = {}
    start, end = period_bounds("P1-3a", fy)
    persons["P1-3a"] = _persons(
        ProgrammeEnrolment.objects.filter(programme=Programme.CHILD_STUDY).filter(
            _overlapping(start, end, "enrolled_on", "left_on")
        ),
        "person",
        CHILD_BANDS,
        start,
    )
    start, end = period_bounds("P1-3b", fy)
    persons["P1-3b"] = _persons(
        ProgrammeOutcome.objects.filter(
            kind=ProgrammeOutcome.Kind.EMPLOYED,
            achieved_on__range=(start, end),
            enrolment__programme=Programme.EMPLOYMENT,
        ),
        "enrolment__person",
        ADULT_BANDS,
        start,
    )

    start, end = period_bounds("P2-1b", fy)
    rows = (
        GroupParticipant.objects.filter(group__is_care_prevention=True)
        .filter(_overlapping(start, end, "joined_on", "left_on"))
        # A group that had ended (or not begun) has no participants that year.
        .filter(_overlapping(start, end, "group__started_on", "group__ended_on"))
        .values(_d=F("person__district__code"))
        .annotate(
            den=Count("person_id", distinct=True),
            num=Count("person_id", distinct=True, filter=Q(in_community_activity=True)),
        )
        .order_by()
    )
    rate = RateCells(numerators={}, denominators={})
    for row in rows:
        key = row["_d"] or UNKNOWN
        rate.numerators[key] = rate.numerators.get(key, 0) + row["num"]
        rate.denominators[key] = rate.denominators.get(key, 0) + row["den"]

    return RecordFigures(
        fiscal_year=fy,
        districts=districts,
        counts=counts,
        persons=persons,
        rates={"P2-1b": rate},
    )


def district_labels(figures: RecordFigures, null_key: str) -> list[tuple[str, str]]:
    null_label = _("区全域") if null_key == WARD_WIDE else _("地区不明")
    return [*figures.districts, (null_key, null_label)]
