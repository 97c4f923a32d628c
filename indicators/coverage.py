"""Which fiscal years an indicator has data for: a real 0 is not the same as no records.

The rule, for each record indicator: records began on the earliest date of a record of the
activity it counts (not only of the records that count towards it). A fiscal year that
ended before that day has no data (データなし); from the year holding that day on, a year in
which nothing counted is a real 0.

- P1-2a: the first life-support service's 創出日.
- P1-2b: the first awareness event of the theme 助けてと言える社会づくり.
- P1-3a: the first enrolment in 子どもの学習・生活支援事業.
- P1-3b: the first enrolment in the 自立支援プログラム (a year with enrolments and nobody
  into work is a real 0).
- P2-1a: the first session of an exercise group.
- P2-1b: the first registration in a care-prevention group.

Survey and reported indicators have no data for a year without a survey taken (or a count
reported) within it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Min, Q

from casework.models import Programme, ProgrammeEnrolment
from casework.wareki import fiscal_year_bounds
from indicators.definitions import INDICATORS, Source
from outreach.models import (
    AwarenessEvent,
    EventTheme,
    GroupKind,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)


def records_began() -> dict[str, datetime.date | None]:
    """Per record indicator, the day its records began (None: no record yet)."""
    enrolments = ProgrammeEnrolment.objects.aggregate(
        child=Min("enrolled_on", filter=Q(programme=Programme.CHILD_STUDY)),
        employment=Min("enrolled_on", filter=Q(programme=Programme.EMPLOYMENT)),
    )
    return {
        "P1-2a": LifeSupportService.objects.aggregate(d=Min("created_on"))["d"],
        "P1-2b": AwarenessEvent.objects.filter(theme=EventTheme.HELP_SEEKING).aggregate(
            d=Min("held_on")
        )["d"],
        "P1-3a": enrolments["child"],
        "P1-3b": enrolments["employment"],
        "P2-1a": GroupSession.objects.filter(group__kind=GroupKind.EXERCISE).aggregate(
            d=Min("held_on")
        )["d"],
        "P2-1b": GroupParticipant.objects.filter(group__is_care_prevention=True).aggregate(
            d=Min("joined_on")
        )["d"],
    }


def mark_coverage(document: dict[str, Any], began: dict[str, datetime.date | None]) -> None:
    """Note in a snapshot document, per indicator, whether the year has data
    (`no_data`) and, for record indicators, since when records exist (`records_from`)."""
    _start, end = fiscal_year_bounds(document["fiscal_year"])
    for indicator in INDICATORS:
        entry = document["indicators"][indicator.code]
        if indicator.source == Source.RECORDS:
            first = began.get(indicator.code)
            entry["records_from"] = first.isoformat() if first else None
            entry["no_data"] = first is None or first > end
        else:
            entry["no_data"] = entry.get("value") is None
