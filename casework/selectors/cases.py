"""Reads of cases: the worker's list, the case page's timeline and workflow, its workers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from casework import access
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    CaseStatus,
    ContactRecord,
    Intake,
    MonitoringEntry,
    PlanAction,
    PlanState,
    Screening,
    SupportPlan,
)
from casework.selectors.persons import case_household
from casework.selectors.plans import monitored_since_due

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MY_CASES_SCOPES = ("assigned", "shared", "agency")


def my_cases(
    user: User, *, status: str | None = None, scope: str = "assigned", closed: bool = False
) -> QuerySet[Case]:
    """担当ケース: the cases the user works on, or those shared with them, or (supervisors)
    the whole agency. One query for the page, whatever the number of rows."""
    cases = access.cases_visible_to(user)
    # EXISTS rather than a join: no DISTINCT over the whole list before the page's LIMIT.
    if scope == "assigned":
        cases = cases.filter(
            Exists(
                CaseAssignment.objects.filter(
                    case_id=OuterRef("pk"), worker=user, ended_at__isnull=True
                )
            )
        )
    elif scope == "shared":
        cases = cases.filter(
            Exists(
                CaseShare.objects.filter(case_id=OuterRef("pk"), user=user, revoked_at__isnull=True)
            )
        )
    elif scope == "agency":
        cases = access.agency_cases(user)
    # Open cases by default; the closed ones under their own tab.
    if closed:
        cases = cases.filter(status=CaseStatus.CLOSED)
    else:
        cases = cases.filter(status__in=OPEN_STATUSES)
        if status:
            cases = cases.filter(status=status)
    return (
        cases.select_related("person", "owning_agency")
        .annotate(last_contact_at=last_contact_at(), next_monitoring_on=next_monitoring_on())
        .order_by("-opened_on", "-pk")
    )


def next_monitoring_on() -> Subquery:
    """The next monitoring date of the case's plan in force, unless a monitoring on or after
    it was recorded (then none is due), for the page's rows only (the partial unique index
    on approved plans answers it)."""
    return Subquery(
        SupportPlan.objects.filter(case_id=OuterRef("pk"), state=PlanState.APPROVED)
        .filter(~monitored_since_due())
        .values("next_monitoring_on")[:1]
    )


def last_contact_at() -> Subquery:
    """A case's latest 経過記録 (not 誤記録), as a correlated subquery: computed only for the
    rows of the page (the index on case and time answers it), never aggregated over every
    contact of every case before the LIMIT."""
    return Subquery(
        ContactRecord.objects.filter(case_id=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def case_timeline(
    case: Case,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    method: str = "",
) -> QuerySet[ContactRecord]:
    """The case's 経過記録, newest first, within the dates (local days) and of the method."""
    contacts = case.contacts.select_related("worker").order_by("-occurred_at", "-pk")
    if date_from:
        contacts = contacts.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        contacts = contacts.filter(occurred_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if method:
        contacts = contacts.filter(method=method)
    return contacts


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def case_concerns(case: Case) -> list[str]:
    return [c.get_concern_display() for c in CaseConcern.objects.filter(case=case)]


def case_active_assignments(case: Case) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(case=case, ended_at__isnull=True).select_related("worker")


def case_active_shares(case: Case) -> QuerySet[CaseShare]:
    return CaseShare.objects.filter(case=case, revoked_at__isnull=True).select_related(
        "user__membership__agency"
    )


def case_workflow(user: User, case: Case) -> dict[str, object]:
    """Everything the case page shows beyond the timeline, in a fixed number of queries."""
    plans = list(
        case.plans.select_related("author", "approved_by", "assessment")
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("agency")),
            Prefetch("monitoring", queryset=MonitoringEntry.objects.select_related("author")),
        )
        .order_by("-version")
    )
    household_members, household_cases = case_household(user, case.person)
    assessments = list(case.assessments.select_related("author").order_by("-version"))
    current = next((p for p in plans if p.state == PlanState.APPROVED), None)
    return {
        "intake": Intake.objects.filter(case=case).select_related("received_by").first(),
        "screening": Screening.objects.filter(case=case).select_related("decided_by").first(),
        "emergency_supports": list(case.emergency_supports.select_related("recorded_by")),
        "assessments": assessments,
        "plans": plans,
        "current_plan": current,
        "open_plan": next(
            (p for p in plans if p.state in (PlanState.DRAFT, PlanState.SUBMITTED)), None
        ),
        # A first plan needs an assessment; a revision needs a newer one than the plan's.
        "can_plan": bool(assessments)
        and (current is None or assessments[0].version > current.assessment.version),
        "meetings": list(
            access.meetings_visible_to(user).filter(cases=case).select_related("convening_agency")
        ),
        "enrolments": list(case.enrolments.select_related("person").prefetch_related("outcomes")),
        "closure_requests": list(
            case.closure_requests.select_related("requested_by", "decided_by")
        ),
        "status_history": list(case.status_history.select_related("changed_by")),
        "household_members": household_members,
        "household_cases": household_cases,
    }


def case_workers(case: Case) -> QuerySet[User]:
    return get_user_model().objects.filter(
        case_assignments__case=case, case_assignments__ended_at__isnull=True
    )
