"""Reads of case meetings and the cases they discuss."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from casework import access
from casework.models import (
    OPEN_STATUSES,
    Case,
    Meeting,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def meetings_for(user: User) -> QuerySet[Meeting]:
    return (
        access.meetings_visible_to(user)
        .select_related("convening_agency")
        .prefetch_related("attending_agencies")
        .order_by("-held_on", "-pk")
    )


def cases_of_meetings(user: User, meetings: Iterable[Meeting]) -> list[Case]:
    """The readable cases the listed meetings are about, in one query."""
    return list(
        access.cases_readable_by(user)
        .filter(meetings__in=list(meetings))
        .only("pk", "person_id", "owning_agency_id")
    )


def meeting_cases(user: User, meeting: Meeting) -> QuerySet[Case]:
    return (
        access.cases_readable_by(user)
        .filter(meetings=meeting)
        .select_related("person", "owning_agency")
    )


def meeting_case_choices(user: User) -> QuerySet[Case]:
    """The open cases a meeting record may be linked to: only those the user may see."""
    return (
        access.cases_readable_by(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("person")
        .order_by("-pk")
    )
