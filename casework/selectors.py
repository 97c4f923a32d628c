"""Reads for views, exports and tasks, already scoped to the actor through casework.access."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet

from casework import access
from casework.models import (
    Case,
    CaseAssignment,
    CaseConcern,
    CaseShare,
    ContactRecord,
    Person,
)
from casework.normalize import normalize_name

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
        membership = access.membership_of(user)
        cases = cases.filter(owning_agency_id=membership.agency_id if membership else None)
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
    """The person's cases that the user may see, never the others."""
    return (
        access.cases_visible_to(user)
        .filter(person=person)
        .select_related("owning_agency")
        .order_by("-opened_on", "-pk")
    )
