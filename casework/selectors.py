"""Reads for views, exports and tasks, already scoped to the actor through casework.access."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from casework import access
from casework.models import (
    AccessLog,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    CaseStatus,
    ClosureRequest,
    ContactRecord,
    HouseholdMember,
    Intake,
    Meeting,
    MonitoringEntry,
    Notification,
    Person,
    PlanAction,
    PlanState,
    Role,
    Screening,
    StaffMembership,
    SupportPlan,
)
from casework.normalize import normalize_name, person_search_key

MY_CASES_SCOPES = ("assigned", "shared", "agency")


def my_cases(user, *, status: str | None = None, scope: str = "assigned") -> QuerySet[Case]:
    """担当ケース: the cases the user works on, or those shared with them, or (supervisors)
    the whole agency. One query for the page, whatever the number of rows."""
    cases = access.cases_visible_to(user)
    if scope == "assigned":
        cases = cases.filter(
            assignments__worker=user, assignments__ended_at__isnull=True
        ).distinct()
    elif scope == "shared":
        cases = cases.filter(shares__user=user, shares__revoked_at__isnull=True).distinct()
    elif scope == "agency":
        cases = access.agency_cases(user)
    if status:
        cases = cases.filter(status=status)
    return (
        cases.select_related("person", "owning_agency")
        .annotate(last_contact_at=Max("contacts__occurred_at"))
        .order_by("-opened_on", "-pk")
    )


def case_timeline(case: Case) -> QuerySet[ContactRecord]:
    return case.contacts.select_related("worker").order_by("-occurred_at", "-pk")


def case_concerns(case: Case) -> list[str]:
    return [c.get_concern_display() for c in CaseConcern.objects.filter(case=case)]


def case_active_assignments(case: Case) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(case=case, ended_at__isnull=True).select_related("worker")


def case_active_shares(case: Case) -> QuerySet[CaseShare]:
    return CaseShare.objects.filter(case=case, revoked_at__isnull=True).select_related(
        "user__membership__agency"
    )


def person_search(
    user, *, query: str = "", birth_date: datetime.date | None = None
) -> QuerySet[Person]:
    """Search the persons the user may see, by name or kana in any script and width."""
    persons = access.persons_visible_to(user)
    key = normalize_name(query)
    if key:
        persons = persons.filter(search_key__contains=key)
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    return persons.select_related("district").order_by("search_key", "pk")


def person_cases(user, person: Person) -> QuerySet[Case]:
    """The person's cases that the user may read in full. A case shared as a summary is
    not listed: its number, agency, status and dates are not part of what was shared."""
    return (
        access.cases_readable_by(user)
        .filter(person=person)
        .select_related("owning_agency")
        .order_by("-opened_on", "-pk")
    )


def case_workflow(user, case: Case) -> dict:
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


def case_household(
    user, person: Person
) -> tuple[list[HouseholdMember] | None, dict[int, list[Case]]]:
    """The other members of the person's household, and of their cases only those the
    user may see (keyed by person id). None for a household the user may not read."""
    member = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if member is None:
        return [], {}
    if not access.household_readable(user, member.household):
        return None, {}
    members = list(
        HouseholdMember.objects.filter(household_id=member.household_id)
        .exclude(person=person)
        .select_related("person")
    )
    cases: dict[int, list[Case]] = {}
    for case in access.cases_readable_by(user).filter(person_id__in=[m.person_id for m in members]):
        cases.setdefault(case.person_id, []).append(case)
    return members, cases


def household_member_choices(case: Case) -> QuerySet[Person]:
    """Who may be enrolled for the case: its person and their household."""
    member = HouseholdMember.objects.filter(person_id=case.person_id).first()
    if member is None:
        return Person.objects.filter(pk=case.person_id)
    return Person.objects.filter(
        Q(pk=case.person_id) | Q(household_member__household_id=member.household_id)
    ).order_by("pk")


def likely_duplicates(
    user,
    *,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: datetime.date | None,
) -> list[Person]:
    """Persons in the user's visible set who may be the one being registered."""
    key = person_search_key(family_name, given_name, family_name_kana, given_name_kana)
    kanji, kana = key.split("|", 1)
    match = Q(search_key__startswith=f"{kanji}|") | Q(search_key__endswith=f"|{kana}")
    if birth_date:
        match |= Q(birth_date=birth_date, search_key__contains=normalize_name(family_name_kana))
    return list(access.persons_visible_to(user).filter(match).select_related("district")[:10])


def meetings_for(user) -> QuerySet[Meeting]:
    return (
        access.meetings_visible_to(user)
        .select_related("convening_agency")
        .prefetch_related("attending_agencies")
        .order_by("-held_on", "-pk")
    )


def cases_of_meetings(user, meetings) -> list[Case]:
    """The readable cases the listed meetings are about, in one query."""
    return list(
        access.cases_readable_by(user)
        .filter(meetings__in=list(meetings))
        .only("pk", "person_id", "owning_agency_id")
    )


def meeting_cases(user, meeting: Meeting) -> QuerySet[Case]:
    return (
        access.cases_readable_by(user)
        .filter(meetings=meeting)
        .select_related("person", "owning_agency")
    )


# --- the supervisor's view ----------------------------------------------------------------

NO_CONTACT_DAYS = 30
CASELOAD_METRICS = ("active", "recent_contacts", "no_contact", "monitoring_overdue", "awaiting")


def _agency_active_assignments(agency_cases: QuerySet[Case]) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(ended_at__isnull=True, case__in=agency_cases).exclude(
        case__status=CaseStatus.CLOSED
    )


def _no_contact_cases(agency_cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=NO_CONTACT_DAYS), datetime.time())
    )
    recent = ContactRecord.objects.filter(case_id=OuterRef("pk"), occurred_at__gte=since)
    return agency_cases.exclude(status=CaseStatus.CLOSED).filter(
        ~Exists(recent), opened_on__lte=today - datetime.timedelta(days=NO_CONTACT_DAYS)
    )


def caseload_review(supervisor) -> list[dict]:
    """Per worker of the supervisor's agency: the week's review figures, in six queries."""
    membership = access.require_supervisor(supervisor)
    agency_cases = access.agency_cases(supervisor)
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
    workers = list(
        StaffMembership.objects.filter(
            agency_id=membership.agency_id, role__in=[Role.CSW, Role.CONSULTATION, Role.SUPERVISOR]
        )
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )
    assignments = _agency_active_assignments(agency_cases)

    def per_worker(queryset, field="worker_id"):
        return dict(
            queryset.values(field).annotate(n=Count("pk", distinct=True)).values_list(field, "n")
        )

    active = per_worker(assignments)
    no_contact = per_worker(assignments.filter(case__in=_no_contact_cases(agency_cases, today)))
    overdue = per_worker(
        assignments.filter(
            case__plans__state=PlanState.APPROVED, case__plans__next_monitoring_on__lt=today
        )
    )
    awaiting = per_worker(assignments.filter(case__plans__state=PlanState.SUBMITTED))
    contacts = per_worker(
        ContactRecord.objects.filter(case__in=agency_cases, occurred_at__gte=since),
        field="worker_id",
    )
    rows = []
    for m in workers:
        uid = m.user_id
        rows.append(
            {
                "worker": m.user,
                "role": m.get_role_display(),
                "active": active.get(uid, 0),
                "recent_contacts": contacts.get(uid, 0),
                "no_contact": no_contact.get(uid, 0),
                "monitoring_overdue": overdue.get(uid, 0),
                "awaiting": awaiting.get(uid, 0),
            }
        )
    return rows


def caseload_cases(supervisor, worker, metric: str) -> QuerySet[Case]:
    """The cases behind one figure of the caseload review."""
    agency_cases = access.agency_cases(supervisor)
    today = timezone.localdate()
    cases = agency_cases.filter(
        assignments__worker=worker, assignments__ended_at__isnull=True
    ).exclude(status=CaseStatus.CLOSED)
    if metric == "recent_contacts":
        since = timezone.now() - datetime.timedelta(days=NO_CONTACT_DAYS)
        cases = agency_cases.filter(contacts__worker=worker, contacts__occurred_at__gte=since)
    elif metric == "no_contact":
        cases = cases.filter(pk__in=_no_contact_cases(agency_cases, today).values("pk"))
    elif metric == "monitoring_overdue":
        cases = cases.filter(plans__state=PlanState.APPROVED, plans__next_monitoring_on__lt=today)
    elif metric == "awaiting":
        cases = cases.filter(plans__state=PlanState.SUBMITTED)
    return (
        cases.distinct()
        .select_related("person", "owning_agency")
        .annotate(last_contact_at=Max("contacts__occurred_at"))
        .order_by("-opened_on", "-pk")
    )


def plans_awaiting_approval(supervisor) -> QuerySet[SupportPlan]:
    return (
        SupportPlan.objects.filter(
            state=PlanState.SUBMITTED, case__in=access.agency_cases(supervisor)
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case__person", "author")
        .order_by("submitted_at")
    )


def closures_awaiting_decision(supervisor) -> QuerySet[ClosureRequest]:
    return (
        ClosureRequest.objects.filter(
            state=ClosureRequest.State.PENDING, case__in=access.agency_cases(supervisor)
        )
        .select_related("case__person", "requested_by")
        .order_by("requested_at")
    )


def agency_access_log(
    supervisor,
    *,
    worker=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    case: int | None = None,
    person: int | None = None,
) -> QuerySet[AccessLog]:
    """Reads by the agency's staff, and reads of the agency's cases by anyone; `case` and
    `person` keep the rows that name them, on a page or among a list's rows."""
    rows = access.access_log_for_supervisor(supervisor)
    rows = access.access_log_about(rows, case_id=case, person_id=person)
    if worker is not None:
        rows = rows.filter(user=worker)
    if date_from:
        rows = rows.filter(at__gte=_start_of(date_from))
    if date_to:
        rows = rows.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return rows.select_related("user", "agency", "case__owning_agency", "person").order_by(
        "-at", "-pk"
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def agency_workers(supervisor) -> QuerySet:
    membership = access.require_supervisor(supervisor)
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=membership.agency_id,
            membership__role__in=[Role.CSW, Role.CONSULTATION, Role.SUPERVISOR],
        )
        .order_by("last_name", "first_name", "username")
    )


def latest_assessment(case: Case):
    return case.assessments.order_by("-version").first()


def current_plan(case: Case) -> SupportPlan | None:
    """The approved plan in force, with its actions (the starting point of a revision)."""
    return case.plans.filter(state=PlanState.APPROVED).prefetch_related("actions").first()


def plan_actions(plan: SupportPlan) -> QuerySet[PlanAction]:
    return plan.actions.select_related("agency")


def plan_monitoring(plan: SupportPlan) -> QuerySet[MonitoringEntry]:
    return plan.monitoring.select_related("author")


def case_workers(case: Case) -> QuerySet:
    return get_user_model().objects.filter(
        case_assignments__case=case, case_assignments__ended_at__isnull=True
    )


def meeting_case_choices(user) -> QuerySet[Case]:
    """The open cases a meeting record may be linked to: only those the user may see."""
    return (
        access.cases_readable_by(user)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("person")
        .order_by("-pk")
    )


def person_consents(user, person: Person):
    return (
        access.consents_of(user, person)
        .select_related("recorded_by", "withdrawn_by")
        .prefetch_related("agencies")
    )


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def person_readable(user, person: Person) -> bool:
    """Does the user read a case of this person in full (more than a shared summary)?"""
    return access.cases_readable_by(user).filter(person=person).exists()


def agency_staff(user) -> QuerySet:
    """The case-handling staff of the user's own agency."""
    membership = access.require_case_role(user)
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=membership.agency_id,
            membership__role__in=[Role.CSW, Role.CONSULTATION, Role.SUPERVISOR],
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
    )
