"""Reads of case meetings and the cases they discuss."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from casework import access
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseAssignment,
    Meeting,
)
from casework.selectors.persons import person_search

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


# A search names at most this many cases; the form asks to narrow it beyond.
MEETING_SEARCH_LIMIT = 20


def meeting_case_search(user: User, query: str) -> list[int]:
    """The ids of the open cases the user may read whose person's name or kana holds `query` (in any
    script, width or spacing, as person search folds them), at most one more than
    MEETING_SEARCH_LIMIT: the caller tells there were more. An empty query finds nobody."""
    if not query.strip():
        return []
    persons = person_search(user, query=query).values("pk")
    found = (
        meeting_case_choices(user).filter(person__in=persons).order_by("person__search_key", "pk")
    )
    return list(found.values_list("pk", flat=True)[: MEETING_SEARCH_LIMIT + 1])


def meeting_case_options(user: User, pks: Iterable[int]) -> QuerySet[Case]:
    """The cases a meeting form shows (those chosen and those found), ready to be
    recognised: the person, their district and the case's workers."""
    return with_active_workers(meeting_case_choices(user).filter(pk__in=list(pks))).order_by(
        "person__search_key", "pk"
    )


def with_active_workers(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases as a picker shows them, to tell one person from another: the person, their
    district, and the case's workers now (`active_assignments`), in three queries."""
    return cases.select_related("person", "person__district").prefetch_related(
        Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.filter(ended_at__isnull=True).select_related("worker"),
            to_attr="active_assignments",
        )
    )
