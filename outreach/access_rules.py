"""Who may see watch reports, outreach visits and group participants, built on
casework.access.

A report not yet linked is visible to the case staff of the agencies of its district (and
of ward-wide agencies, which have no district); once linked to a case or a person it follows
their access. A visit follows its case (read in full, not a shared summary) or its report;
the visiting staff always see their own visits, and on them the visited person's name,
address and phone, never the rest of the case.

Activity groups are not personal data: everyone who may see community work reads them.
Their sessions and participants are recorded only by the case staff of the group's own
agency (the attendance counts feed the plan's indicators), and the participants' names are
shown only to that agency's case staff, for persons they may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from casework import access
from outreach.models import ActivityGroup, GroupParticipant, OutreachVisit, WatchReport

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership


def _district_rule(membership: StaffMembership) -> Q:
    district_id = membership.agency.district_id
    return Q() if district_id is None else Q(district_id=district_id)


def reports_visible_to(user: User) -> QuerySet[WatchReport]:
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return WatchReport.objects.none()
    unlinked = Q(case__isnull=True, person__isnull=True) & _district_rule(membership)
    via_case = Q(case_id__in=access.readable_case_ids(user))
    via_person = Q(case__isnull=True, person__in=access.persons_visible_to(user))
    return WatchReport.objects.filter(unlinked | via_case | via_person)


def report_for_user(user: User, pk: str | int) -> WatchReport:
    pk = access.parse_id(pk)
    report = (
        reports_visible_to(user)
        .select_related("district", "received_by", "assigned_to", "person", "case")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def visits_visible_to(user: User) -> QuerySet[OutreachVisit]:
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return OutreachVisit.objects.none()
    return OutreachVisit.objects.filter(
        Q(case_id__in=access.readable_case_ids(user))
        | Q(case__isnull=True, report__in=reports_visible_to(user))
        | Q(staff=user)
    ).distinct()


def own_visits(user: User) -> QuerySet[OutreachVisit]:
    """The visits the user is staff of: the branch of `visits_visible_to` that needs no
    access to the case (visit staff)."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return OutreachVisit.objects.none()
    return OutreachVisit.objects.filter(staff=user)


def visible_among(user: User, visits: Iterable[OutreachVisit]) -> set[int]:
    """The ids of `visits` that `visits_visible_to` lets the user see, decided for these
    visits only: the cases and reports they name are looked up among the few ids at hand,
    instead of matching every visible case and report against them (a page's schedule).
    Reads each visit's `staff` (prefetch it)."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return set()
    visits = list(visits)
    case_ids = {v.case_id for v in visits if v.case_id is not None}
    report_ids = {v.report_id for v in visits if v.case_id is None and v.report_id is not None}
    readable = (
        set(access.cases_readable_by(user).filter(pk__in=case_ids).values_list("pk", flat=True))
        if case_ids
        else set()
    )
    reports = (
        set(reports_visible_to(user).filter(pk__in=report_ids).values_list("pk", flat=True))
        if report_ids
        else set()
    )
    return {
        visit.pk
        for visit in visits
        if visit.case_id in readable
        or (visit.case_id is None and visit.report_id in reports)
        or any(member.pk == user.pk for member in visit.staff.all())
    }


def visits_of_agency(user: User) -> QuerySet[OutreachVisit]:
    """The visits the user's agency makes: its case staff know when and who goes, and see
    who is visited only where `visits_visible_to` lets them."""
    membership = access.require_case_role(user)
    return OutreachVisit.objects.filter(agency_id=membership.agency_id)


def may_record_visit(user: User, visit: OutreachVisit) -> bool:
    """The visiting staff, those who work the case, or (for a report not yet linked to a
    case) the case staff of the visit's agency."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    if visit.staff.filter(pk=user.pk).exists():
        return True
    case = visit.case or (visit.report.case if visit.report is not None else None)
    if case is not None:
        return access.WORK in access.case_permissions(user, case)
    return membership.agency_id == visit.agency_id


def visit_for_user(user: User, pk: str | int, *, record: bool = False) -> OutreachVisit:
    pk = access.parse_id(pk)
    visit = (
        visits_visible_to(user)
        .select_related(
            "case__person",
            "report__district",
            "report__person",
            "report__case__person",
            "agency",
            "planned_by",
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    if record and not may_record_visit(user, visit):
        raise PermissionDenied
    return visit


def may_open_visit_case(user: User, visit: OutreachVisit) -> bool:
    """May the user go from the visit to its case page? Visit staff not on the case may not."""
    return (
        visit.case_id is not None
        and access.cases_readable_by(user).filter(pk=visit.case_id).exists()
    )


def may_open_visit_report(user: User, visit: OutreachVisit) -> bool:
    return (
        visit.report_id is not None and reports_visible_to(user).filter(pk=visit.report_id).exists()
    )


# --- activity groups -----------------------------------------------------------------------


def may_record_on_group(user: User, group: ActivityGroup) -> bool:
    """Sessions and participants are recorded only on the recording agency's own groups."""
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.handles_cases
        and membership.agency_id == group.supporting_agency_id
    )


def require_own_group(user: User, group: ActivityGroup) -> None:
    access.require_case_role(user)
    if not may_record_on_group(user, group):
        raise PermissionDenied


def group_for_recording(user: User, pk: str | int) -> ActivityGroup:
    """A group to record on: 403 without a case role or for another agency's group (groups
    are not secret), 404 for an unknown id."""
    access.require_case_role(user)
    group = (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .filter(pk=access.parse_id(pk))
        .first()
    )
    if group is None:
        raise Http404
    require_own_group(user, group)
    return group


def participants_named_to(user: User, group: ActivityGroup) -> QuerySet[GroupParticipant]:
    """The participants of the group whose names the user may read: the group's own agency's
    case staff, for persons they may see. Everyone else learns only how many there are."""
    return participants_of_own_groups(user).filter(
        group=group, person__in=access.persons_visible_to(user)
    )


def participant_for_user(user: User, pk: str | int) -> GroupParticipant:
    """A participant to update: 404 unless it is on the user's agency's own group and the
    user may see the person (a participant row is personal data, unlike the group)."""
    access.require_case_role(user)
    participant = (
        participants_of_own_groups(user)
        .select_related("group", "person")
        .filter(pk=access.parse_id(pk), person__in=access.persons_visible_to(user))
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def participants_of_own_groups(user: User) -> QuerySet[GroupParticipant]:
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return GroupParticipant.objects.none()
    return GroupParticipant.objects.filter(group__supporting_agency_id=membership.agency_id)
