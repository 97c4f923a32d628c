"""Reads for the community work pages. Counts and names of groups, events and services are
not personal data; participants are persons, shown only where casework.access allows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from casework import access
from casework import selectors as casework_selectors
from casework.models import Case, Person
from casework.normalize import normalize_name
from outreach import access_rules as outreach_access
from outreach.models import (
    TRIAGE_OPEN_STATES,
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
    OutreachVisit,
    ReportState,
    ReportUrgency,
    VisitResult,
    WatchReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import District


def may_view_community(user: User) -> bool:
    membership = access.membership_of(user)
    return membership is not None and (
        membership.handles_cases or membership.role == "indicator_officer"
    )


def events() -> QuerySet[AwarenessEvent]:
    return AwarenessEvent.objects.select_related("district", "organizer").order_by(
        "-held_on", "-pk"
    )


def groups() -> QuerySet[ActivityGroup]:
    return (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .annotate(
            session_count=Count("sessions", distinct=True),
            attendance_total=Sum("sessions__attendance"),
            participant_count=Count(
                "participants", filter=Q(participants__left_on__isnull=True), distinct=True
            ),
        )
        .order_by("district__sort_order", "name")
    )


def group_sessions(group: ActivityGroup) -> QuerySet[GroupSession]:
    return GroupSession.objects.filter(group=group).order_by("-held_on")


def group_participants(user: User, group: ActivityGroup) -> tuple[list[GroupParticipant], int]:
    """The participants the user may know by name (outreach.access_rules); the others only
    as a number."""
    shown = (
        outreach_access.participants_named_to(user, group)
        .filter(left_on__isnull=True)
        .select_related("person")
        .order_by("joined_on", "pk")
    )
    total = GroupParticipant.objects.filter(group=group, left_on__isnull=True).count()
    return list(shown), total


def services() -> QuerySet[LifeSupportService]:
    return LifeSupportService.objects.select_related("district", "supported_by").order_by(
        "-created_on", "-pk"
    )


# --- the watch network and visits ----------------------------------------------------------


def triage_queue(
    user: User, *, district: District | None = None, show_all: bool = False
) -> QuerySet[WatchReport]:
    """Reports of the user's district (ward-wide agencies: every district, or the one
    chosen), urgent ones first, then the oldest."""
    reports = outreach_access.reports_visible_to(user)
    if district is not None:
        reports = reports.filter(district=district)
    if not show_all:
        reports = reports.filter(state__in=TRIAGE_OPEN_STATES)
    urgent_first = When_(
        When(urgency=ReportUrgency.URGENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        reports.select_related("district", "assigned_to", "received_by", "person")
        .annotate(urgent_first=urgent_first)
        .order_by("urgent_first", "received_at", "pk")
    )


# A report nobody has taken up is late after this long (as its reminder): 2 hours if urgent.
URGENT_REPORT_AFTER = datetime.timedelta(hours=2)
REPORT_AFTER = datetime.timedelta(hours=24)
# An unrecorded visit older than this is left to the caseload review: neither reminded nor
# listed on 「今日」.
VISIT_LOOKBACK = datetime.timedelta(days=60)


def report_is_late(report: WatchReport, now: datetime.datetime | None = None) -> bool:
    """Untriaged (未対応) for longer than its urgency allows."""
    if report.state != ReportState.NEW:
        return False
    limit = URGENT_REPORT_AFTER if report.urgency == ReportUrgency.URGENT else REPORT_AFTER
    return (now or timezone.now()) - report.received_at >= limit


# Two open visits of one person closer than this are at the same time.
SAME_TIME = datetime.timedelta(hours=1)


def visits_at_the_same_time(visit: OutreachVisit) -> QuerySet[OutreachVisit]:
    """The other open visits of the same case (or, before any case, the same report) planned
    within SAME_TIME of this one: a double booking the planner is warned about."""
    same = Q(case_id=visit.case_id) if visit.case_id else Q(report_id=visit.report_id)
    return (
        OutreachVisit.objects.filter(same, result="")
        .filter(
            planned_at__gt=visit.planned_at - SAME_TIME,
            planned_at__lt=visit.planned_at + SAME_TIME,
        )
        .exclude(pk=visit.pk)
        .order_by("planned_at", "pk")
    )


def week_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00, in Asia/Tokyo."""
    monday = day - datetime.timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    return start, start + datetime.timedelta(days=7)


@dataclass(frozen=True)
class Visited:
    """Who a visit goes to, as the visiting staff may read it: name, address and phone, and
    the person and case records behind them (for the access log), if any yet."""

    name: str
    address: str
    phone: str
    person: Person | None
    case: Case | None


# What a visit needs to say who it goes to, in one query.
VISITED_RELATED = ("case__person", "report__district", "report__person", "report__case__person")


def visited(visit: OutreachVisit) -> Visited:
    person: Person | None
    if visit.case_id:
        assert visit.case is not None
        person = visit.case.person
        return Visited(str(person), person.address, person.phone, person, visit.case)
    report = visit.report
    assert report is not None  # a visit is of a case or of a report
    case = report.case if report.case_id else None
    person = case.person if case is not None else report.person
    if person is not None:
        address = person.address or report.address
        return Visited(str(person), address, person.phone, person, case)
    # Someone not registered yet: what the report says of them.
    return Visited(report.subject_name, report.address, "", None, None)


def _with_visited(visits: Iterable[OutreachVisit]) -> list[OutreachVisit]:
    visits = list(visits)
    for visit in visits:
        visit.visited = visited(visit)
    return visits


def my_visits_this_week(user: User) -> list[OutreachVisit]:
    """The user's own visits this week, each with who it goes to (`visit.visited`)."""
    start, end = week_bounds(timezone.localdate())
    return _with_visited(
        OutreachVisit.objects.filter(staff=user, planned_at__gte=start, planned_at__lt=end)
        .select_related(*VISITED_RELATED)
        .prefetch_related("staff")
        .order_by("planned_at", "pk")
    )


def agency_schedule(user: User, days: int = 14) -> list[tuple[OutreachVisit, bool]]:
    """The agency's planned visits from today on. Who is visited shows only where the user
    may see the case or report."""
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    visits = (
        outreach_access.visits_of_agency(user)
        .filter(
            planned_at__gte=start,
            planned_at__lt=start + datetime.timedelta(days=days),
        )
        .select_related(*VISITED_RELATED)
        .prefetch_related("staff")
        .order_by("planned_at", "pk")
    )
    listed = _with_visited(visits)
    visible = outreach_access.visible_among(user, listed)
    return [(visit, visit.pk in visible) for visit in listed]


def shown_on_schedule(
    visits: Iterable[OutreachVisit], schedule: Iterable[tuple[OutreachVisit, bool]]
) -> tuple[list[Case], list[Person]]:
    """The cases and persons the visits page names: for the one access-log row it writes."""
    named = list(visits) + [visit for visit, visible in schedule if visible]
    cases = {v.visited.case.pk: v.visited.case for v in named if v.visited.case is not None}
    persons = [v.visited.person for v in named if v.visited.person is not None]
    return list(cases.values()), persons


def case_visits(case: Case) -> QuerySet[OutreachVisit]:
    return (
        OutreachVisit.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("staff")
        .order_by("-planned_at", "-pk")
    )


ABSENT_STREAK = 3


def absent_streak(case: Case) -> bool:
    """Were the last three recorded visits all 不在? (an unanswered pattern)"""
    last = list(
        OutreachVisit.objects.filter(case=case)
        .exclude(result="")
        .exclude(result=VisitResult.CANCELLED)
        .order_by("-visited_at", "-pk")
        .values_list("result", flat=True)[:ABSENT_STREAK]
    )
    return len(last) == ABSENT_STREAK and all(r == VisitResult.ABSENT for r in last)


def report_visits(report: WatchReport) -> QuerySet[OutreachVisit]:
    return report.visits.prefetch_related("staff").order_by("-planned_at", "-pk")


# --- linking a watch report to whom it is about --------------------------------------------

# A search names at most this many persons; the page asks to narrow it beyond.
LINK_SEARCH_LIMIT = 20


def link_persons(user: User) -> QuerySet[Person]:
    """The persons a report may be linked to: those the user may see."""
    return access.persons_visible_to(user).select_related("district")


def link_cases(user: User) -> QuerySet[Case]:
    """The cases a report may be linked to: those the user may read in full."""
    return casework_selectors.with_active_workers(access.cases_readable_by(user))


def link_candidates(user: User, query: str) -> tuple[list[Person], bool]:
    """The persons the user may see whose name or kana holds `query` (folded as person
    search folds it), each with `link_cases`, their cases the user may read; and whether
    more than LINK_SEARCH_LIMIT matched. An empty query finds nobody."""
    if not normalize_name(query):
        return [], False
    found = list(casework_selectors.person_search(user, query=query)[: LINK_SEARCH_LIMIT + 1])
    more = len(found) > LINK_SEARCH_LIMIT
    found = found[:LINK_SEARCH_LIMIT]
    by_person: dict[int, list[Case]] = {}
    cases = link_cases(user).filter(person_id__in=[p.pk for p in found])
    for case in cases.order_by("person_id", "-opened_on", "-pk"):
        by_person.setdefault(case.person_id, []).append(case)
    for person in found:
        person.link_cases = by_person.get(person.pk, [])  # type: ignore[attr-defined]  # read by the page
    return found, more
