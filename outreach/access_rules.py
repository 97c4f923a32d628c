"""Who may see watch reports and outreach visits, built on casework.access.

A report not yet linked is visible to the case staff of the agencies of its district (and
of ward-wide agencies, which have no district); once linked to a case or a person it follows
their access. A visit follows its case (read in full, not a shared summary) or its report;
the visiting staff always see their own visits.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casework import access
from outreach.models import OutreachVisit, WatchReport


def _district_rule(membership) -> Q:
    district_id = membership.agency.district_id
    return Q() if district_id is None else Q(district_id=district_id)


def reports_visible_to(user):
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return WatchReport.objects.none()
    unlinked = Q(case__isnull=True, person__isnull=True) & _district_rule(membership)
    via_case = Q(case__in=access.cases_readable_by(user))
    via_person = Q(case__isnull=True, person__in=access.persons_visible_to(user))
    return WatchReport.objects.filter(unlinked | via_case | via_person)


def report_for_user(user, pk) -> WatchReport:
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


def visits_visible_to(user):
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return OutreachVisit.objects.none()
    return OutreachVisit.objects.filter(
        Q(case__in=access.cases_readable_by(user))
        | Q(case__isnull=True, report__in=reports_visible_to(user))
        | Q(staff=user)
    ).distinct()


def may_record_visit(user, visit: OutreachVisit) -> bool:
    """The visiting staff, those who work the case, or (for a report not yet linked to a
    case) the case staff of the visit's agency."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    if visit.staff.filter(pk=user.pk).exists():
        return True
    case = visit.case or (visit.report.case if visit.report_id else None)
    if case is not None:
        return access.WORK in access.case_permissions(user, case)
    return membership.agency_id == visit.agency_id


def visit_for_user(user, pk, *, record: bool = False) -> OutreachVisit:
    pk = access.parse_id(pk)
    visit = (
        visits_visible_to(user)
        .select_related("case__person", "report__district", "agency", "planned_by", "contact")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    if record and not may_record_visit(user, visit):
        raise PermissionDenied
    return visit
