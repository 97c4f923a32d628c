"""The supervisor's reads: the caseload review, what waits, the access log, staff."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework import access
from casework.models import (
    CASE_ROLES,
    OPEN_STATUSES,
    AccessLogAgency,
    Case,
    CaseAssignment,
    ClosureRequest,
    ContactRecord,
    PlanState,
    StaffMembership,
    SupportPlan,
)
from casework.selectors.cases import last_contact_at

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- the supervisor's view ----------------------------------------------------------------

NO_CONTACT_DAYS = 30


CASELOAD_METRICS = ("active", "recent_contacts", "no_contact", "monitoring_overdue", "awaiting")


class CaseloadRow(TypedDict):
    """One worker's line of the caseload review."""

    worker: User
    role: str
    active: int
    recent_contacts: int
    no_contact: int
    monitoring_overdue: int
    awaiting: int


def _contact_since(today: datetime.date, case: str) -> Exists:
    """A 経過記録 of the case (the outer row's `case`) in the last NO_CONTACT_DAYS days."""
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=NO_CONTACT_DAYS), datetime.time())
    )
    return Exists(ContactRecord.objects.filter(case_id=OuterRef(case), occurred_at__gte=since))


def _no_contact_cases(agency_cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    return agency_cases.filter(
        ~_contact_since(today, "pk"),
        status__in=OPEN_STATUSES,
        opened_on__lte=today - datetime.timedelta(days=NO_CONTACT_DAYS),
    )


def _plan_of_case(**conditions: object) -> Exists:
    return Exists(SupportPlan.objects.filter(case_id=OuterRef("case_id"), **conditions))


def caseload_review(supervisor: User) -> list[CaseloadRow]:
    """Per worker of the supervisor's agency: the week's review figures, in four queries.

    One pass over the active assignments of the agency's open cases (the (owning_agency,
    status) index) counts all four case figures at once, each condition an EXISTS on the
    case's own rows; the recent 経過記録 go through the (worker, time) index."""
    membership = access.require_supervisor(supervisor)
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
    workers = list(
        StaffMembership.objects.filter(agency_id=membership.agency_id, role__in=CASE_ROLES)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )
    figures = {
        row["worker_id"]: row
        for row in CaseAssignment.objects.filter(
            access.agency_scope(supervisor, "case__"),
            # Only the rows shown: through the (worker, ended_at) index, then each case.
            worker_id__in=[m.user_id for m in workers],
            ended_at__isnull=True,
            case__status__in=OPEN_STATUSES,
        )
        .values("worker_id")
        .annotate(
            active=Count("pk"),
            no_contact=Count(
                "pk",
                filter=Q(
                    ~_contact_since(today, "case_id"),
                    case__opened_on__lte=today - datetime.timedelta(days=NO_CONTACT_DAYS),
                ),
            ),
            monitoring_overdue=Count(
                "pk",
                filter=Q(_plan_of_case(state=PlanState.APPROVED, next_monitoring_on__lt=today)),
            ),
            awaiting=Count("pk", filter=Q(_plan_of_case(state=PlanState.SUBMITTED))),
        )
        .order_by()
    }
    # Through the (worker, time) index: the agency's workers' recent contacts, on its cases.
    contacts = dict(
        ContactRecord.objects.filter(
            access.agency_scope(supervisor, "case__"),
            worker_id__in=[m.user_id for m in workers],
            occurred_at__gte=since,
        )
        .values("worker_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("worker_id", "n")
    )
    rows: list[CaseloadRow] = []
    for m in workers:
        uid = m.user_id
        figure = figures.get(uid, {})
        rows.append(
            {
                "worker": m.user,
                "role": m.get_role_display(),
                "active": figure.get("active", 0),
                "recent_contacts": contacts.get(uid, 0),
                "no_contact": figure.get("no_contact", 0),
                "monitoring_overdue": figure.get("monitoring_overdue", 0),
                "awaiting": figure.get("awaiting", 0),
            }
        )
    return rows


def caseload_cases(supervisor: User, worker: User, metric: str) -> QuerySet[Case]:
    """The cases behind one figure of the caseload review."""
    agency_cases = access.agency_cases(supervisor)
    today = timezone.localdate()
    cases = agency_cases.filter(
        assignments__worker=worker, assignments__ended_at__isnull=True
    ).filter(status__in=OPEN_STATUSES)
    if metric == "recent_contacts":
        since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
        cases = agency_cases.filter(
            contacts__worker=worker,
            contacts__occurred_at__gte=since,
            contacts__voided_at__isnull=True,
        )
    elif metric == "no_contact":
        cases = cases.filter(pk__in=_no_contact_cases(agency_cases, today).values("pk"))
    elif metric == "monitoring_overdue":
        cases = cases.filter(plans__state=PlanState.APPROVED, plans__next_monitoring_on__lt=today)
    elif metric == "awaiting":
        cases = cases.filter(plans__state=PlanState.SUBMITTED)
    return (
        cases.distinct()
        .select_related("person", "owning_agency")
        .annotate(last_contact_at=last_contact_at())
        .order_by("-opened_on", "-pk")
    )


def plans_awaiting_approval(supervisor: User) -> QuerySet[SupportPlan]:
    return (
        SupportPlan.objects.filter(
            access.agency_scope(supervisor, "case__"),
            state=PlanState.SUBMITTED,
            case__status__in=OPEN_STATUSES,
        )
        .select_related("case__person", "author")
        .order_by("submitted_at")
    )


def closures_awaiting_decision(supervisor: User) -> QuerySet[ClosureRequest]:
    return (
        ClosureRequest.objects.filter(
            access.agency_scope(supervisor, "case__"), state=ClosureRequest.State.PENDING
        )
        .select_related("case__person", "requested_by")
        .order_by("requested_at")
    )


def agency_access_log(
    supervisor: User,
    *,
    worker: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    case: int | None = None,
    person: int | None = None,
) -> QuerySet[AccessLogAgency]:
    """Reads by the agency's staff, and reads of the agency's cases by anyone, newest first,
    as the agency's index entries (each row as `.log`): the index on (agency, time) walks
    them. `case` and `person` keep the rows that name them, on a page or in a list."""
    entries = access.access_log_for_supervisor(supervisor)
    entries = access.access_log_about(entries, case_id=case, person_id=person)
    at = access_log_key(worker)
    if worker is not None:
        entries = entries.filter(log__user=worker)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return entries.select_related(
        "log__user", "log__agency", "log__case__owning_agency", "log__person"
    ).order_by(f"-{at}", "-log_id")


def access_log_key(worker: User | None) -> str:
    """The time the access log is ordered and paged by: the agency's entry's, walked down
    the (agency, time) index; for one worker, the row's own (the same moment), walked down
    that worker's (user, time) index, each row then checked against the agency's entries."""
    return "at" if worker is None else "log__at"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def agency_workers(supervisor: User) -> QuerySet[User]:
    membership = access.require_supervisor(supervisor)
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=membership.agency_id,
            membership__role__in=CASE_ROLES,
        )
        .order_by("last_name", "first_name", "username")
    )


def agency_staff(user: User) -> QuerySet[User]:
    """The case-handling staff of the user's own agency."""
    membership = access.require_case_role(user)
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=membership.agency_id,
            membership__role__in=CASE_ROLES,
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
    )


def _has_active_worker() -> Exists:
    return Exists(
        CaseAssignment.objects.filter(
            case_id=OuterRef("pk"), ended_at__isnull=True, worker__is_active=True
        )
    )


def unassigned_cases(supervisor: User) -> QuerySet[Case]:
    """担当者なし: the agency's open cases that no active worker has (a worker left, changed
    role or was deactivated), oldest first."""
    return (
        access.agency_cases(supervisor)
        .filter(status__in=OPEN_STATUSES)
        .exclude(_has_active_worker())
        .select_related("person", "owning_agency")
        .annotate(last_contact_at=last_contact_at())
        .order_by("opened_on", "pk")
    )


def handover_cases(supervisor: User, worker: User) -> QuerySet[Case]:
    """The worker's open cases of the supervisor's agency, to hand over."""
    return (
        access.agency_cases(supervisor)
        .filter(status__in=OPEN_STATUSES)
        .filter(assignments__worker=worker, assignments__ended_at__isnull=True)
        .distinct()
        .select_related("person")
        .order_by("opened_on", "pk")
    )


def handover_targets(supervisor: User, worker: User | None = None) -> QuerySet[User]:
    """Whom cases may go to: the agency's active case workers (not the one handing over)."""
    workers = agency_workers(supervisor).filter(is_active=True)
    return workers.exclude(pk=worker.pk) if worker is not None else workers
