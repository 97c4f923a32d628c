"""Who sees what a confidential mark hides (秘匿の指定), and who may place and manage one.

Part of the access policy: casework.access re-exports every name here. A mark does not
change who may see a person or a case; it hides, within what they see, a person's address
and phone (住所・電話の秘匿) or the words of a case's contact records (記録の秘匿) from
everyone but the staff named on it. The worker who wrote a hidden record still sees it.

Pages, prints and exports ask address_hidden / record_hidden for each object they show.
Person.address_confidential and Case.records_confidential say a mark is active, so an
unmarked object is decided without a query; the marks naming the user are read once per
request (cached on the user object) the first time a marked one is met.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casework import access
from casework.models import (
    CASE_ROLES,
    Case,
    CaseUserObjectPermission,
    ConfidentialMark,
    ContactRecord,
    MarkKind,
    Person,
    Role,
    StaffMembership,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

_CACHE = "_confidential_named"


def _named(user: User | AnonymousUser | None) -> tuple[frozenset[int], frozenset[int]]:
    """The persons whose address mark and the cases whose records mark name the user."""
    if user is None or not user.is_authenticated:
        return frozenset(), frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        rows = ConfidentialMark.objects.filter(lifted_at__isnull=True, staff=user.pk)
        persons, cases = set(), set()
        for kind, person_id, case_id in rows.values_list("kind", "person_id", "case_id"):
            if kind == MarkKind.ADDRESS:
                persons.add(person_id)
            else:
                cases.add(case_id)
        cached = (frozenset(persons), frozenset(cases))
        setattr(user, _CACHE, cached)
    return cached


def forget_named(*users: Any) -> None:
    """After a mark changes: the users' cached marks are read again."""
    for user in users:
        if user is not None and hasattr(user, _CACHE):
            delattr(user, _CACHE)


def address_hidden(user: User | AnonymousUser | None, person: Person | None) -> bool:
    """Is the person's address and phone hidden from the user? (Nobody named: hidden.)"""
    if person is None or not person.address_confidential:
        return False
    return person.pk not in _named(user)[0]


def case_records_hidden(user: User | AnonymousUser | None, case: Case | None) -> bool:
    """Are the case's contact records hidden from the user (but for those they wrote)?"""
    if case is None or not case.records_confidential:
        return False
    return case.pk not in _named(user)[1]


def record_hidden(
    user: User | AnonymousUser | None, record: ContactRecord, case: Case | None = None
) -> bool:
    """Are the words of this contact record hidden from the user? `case`, when the caller
    has the record's case at hand (a timeline), saves reading it again."""
    if not case_records_hidden(user, case if case is not None else record.case):
        return False
    return user is None or record.worker_id != getattr(user, "pk", None)


def marks_of_person(
    user: User, person: Person, cases: Iterable[Case] = ()
) -> list[ConfidentialMark]:
    """The active marks on a person and on those of their cases the user sees (`cases`, as
    the page has them): what is hidden and whom to ask. No query when nothing is marked."""
    flagged = [c.pk for c in cases if c.records_confidential]
    if not person.address_confidential and not flagged:
        return []
    return list(
        ConfidentialMark.objects.filter(person=person, lifted_at__isnull=True)
        .filter(Q(case__isnull=True) | Q(case_id__in=flagged))
        .select_related("case", "agency", "placed_by")
        .prefetch_related("staff")
        .order_by("placed_at", "pk")
    )


def may_mark_address(user: User, person: Person) -> bool:
    """The agency that holds the person (access.person_in_agency_scope) may hide their
    address: its supervisors, and who works one of its cases of the person (or, for its
    registration of a person with no case yet, its case staff). A colleague who only reads
    the case may not hide the address from those who work it."""
    if not access.person_in_agency_scope(user, person):
        return False
    membership = access.membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.SUPERVISOR or not Case.objects.filter(person=person).exists():
        return True
    return (
        access._visible(user, (access.WORK,))
        .filter(person_id=person.pk, owning_agency_id=membership.agency_id)
        .exists()
    )


def may_mark_records(user: User, case: Case) -> bool:
    perms = access.case_permissions(user, case)
    return access.WORK in perms or access.SUPERVISE in perms


def _managers(mark: ConfidentialMark, named: Iterable[Any]) -> list[Any]:
    """The named members who may change the mark: active, still handling cases at the
    agency that placed it, and its placer or a supervisor there."""
    at_agency = {
        m.user_id: m.role
        for m in StaffMembership.objects.filter(
            user_id__in=[u.pk for u in named],
            agency_id=mark.agency_id,
            role__in=CASE_ROLES,
            user__is_active=True,
        )
    }
    return [
        u
        for u in named
        if u.pk in at_agency and (at_agency[u.pk] == Role.SUPERVISOR or u.pk == mark.placed_by_id)
    ]


def may_manage_mark(user: User, mark: ConfidentialMark) -> bool:
    """Name or remove staff, or lift the mark: a named member, still at the agency that
    placed it, who placed it or supervises there; and, when no such member is left (they
    moved, left, or were removed), that agency's supervisors, so a mark never outlives
    everyone who could lift it."""
    if not mark.active:
        return False
    managers = _managers(mark, list(mark.staff.all()))
    if managers:
        return user.pk in {u.pk for u in managers}
    return access.is_supervisor_of(user, mark.agency_id)


def last_manager(mark: ConfidentialMark, user: Any) -> bool:
    """Would removing `user` leave the mark with no named member who may change it?"""
    managers = _managers(mark, list(mark.staff.all()))
    return [u.pk for u in managers] == [user.pk]


def mark_for_user(user: User, pk: str | int) -> ConfidentialMark:
    """A mark on a person the user may see, else 404."""
    pk = access.parse_id(pk)
    mark = (
        ConfidentialMark.objects.select_related("person", "case", "agency", "placed_by")
        .filter(pk=pk, person__in=access.persons_visible_to(user))
        .first()
    )
    if mark is None:
        raise Http404
    if mark.case is not None and not access.cases_visible_to(user).filter(pk=mark.case.pk).exists():
        raise Http404
    return mark


def require_manage_mark(user: User, mark: ConfidentialMark) -> None:
    if not may_manage_mark(user, mark):
        raise PermissionDenied


def candidate_staff(mark_agency_id: int, person: Person) -> QuerySet[Any]:
    """Who may be named: the case-handling staff of the agency placing the mark, and the
    staff holding a grant on one of the person's cases (another agency's worker who
    accompanies them)."""
    from django.contrib.auth import get_user_model

    granted = CaseUserObjectPermission.objects.filter(content_object__person_id=person.pk).values(
        "user_id"
    )
    own = StaffMembership.objects.filter(agency_id=mark_agency_id, role__in=CASE_ROLES).values(
        "user_id"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(pk__in=own.union(granted))
        .order_by("last_name", "first_name", "pk")
    )
