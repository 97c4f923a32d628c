"""Outreach visits: planning, a visit's page, recording its result, the schedule.

Staff on a visit who do not work its case read, on the visit's pages and their schedule,
the visited person's name, address and phone, and nothing else of the case."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from outreach import access_rules as outreach_access
from outreach import selectors, services
from outreach.forms import VisitPlanForm, VisitRecordForm
from outreach.views.common import (
    REPORT_VISIT_DETAIL,
    REPORT_VISIT_RECORD,
    VISIT_DETAIL,
    VISIT_RECORD,
    VISIT_SCHEDULE,
    day_label,
    form_page,
    log_read,
    log_text,
)


def _plan_visit(request, *, case=None, report=None, back):
    form = VisitPlanForm(
        request.POST or None,
        workers=casework_selectors.agency_staff(request.user),
        initial={"staff": [request.user.pk]},
    )
    return form_page(
        request,
        form,
        lambda data: services.visit_plan(
            actor=request.user, case=case, report=report, **data
        ).get_absolute_url(),
        title=_("訪問を計画"),
        success=_("訪問を計画しました。"),
        back=back,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_case(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    return _plan_visit(request, case=case, back=case.get_absolute_url())


@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_report(request, pk):
    report = outreach_access.report_for_user(request.user, pk)
    access.require_case_role(request.user)
    return _plan_visit(request, report=report, back=report.get_absolute_url())


def _log_visit(request, visit, visited, *, form: bool = False) -> None:
    day = day_label(visit.visited_at or visit.planned_at)
    if visit.report_id:
        message = REPORT_VISIT_RECORD if form else REPORT_VISIT_DETAIL
        detail = log_text(message, number=visit.report_id, day=day)
    else:
        detail = log_text(VISIT_RECORD if form else VISIT_DETAIL, day=day)
    log_read(request.user, case=visited.case, person=visited.person, detail=detail, form=form)


@never_cache
@require_GET
def visit_detail(request, pk):
    visit = outreach_access.visit_for_user(request.user, pk)
    visited = selectors.visited(visit)
    _log_visit(request, visit, visited)
    return render(
        request,
        "outreach/visit_detail.html",
        {
            "visit": visit,
            "visited": visited,
            "staff": visit.staff.all(),
            # Visit staff who do not work the case get no way into it from here.
            "case_link": outreach_access.may_open_visit_case(request.user, visit),
            "report_link": outreach_access.may_open_visit_report(request.user, visit),
            "can_record": not visit.is_recorded
            and outreach_access.may_record_visit(request.user, visit),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def visit_record(request, pk):
    visit = outreach_access.visit_for_user(request.user, pk, record=True)
    visited = selectors.visited(visit)
    return form_page(
        request,
        VisitRecordForm(request.POST or None, visit=visit),
        lambda data: services.visit_record(
            actor=request.user, visit=visit, **data
        ).get_absolute_url(),
        title=_("訪問の結果を記録"),
        success=_("訪問の結果を記録しました。"),
        back=visit.get_absolute_url(),
        log=lambda: _log_visit(request, visit, visited, form=True),
        visited=visited,
    )


@never_cache
@require_GET
def my_visits(request):
    access.require_case_role(request.user)
    visits = selectors.my_visits_this_week(request.user)
    schedule = selectors.agency_schedule(request.user)
    cases, persons = selectors.shown_on_schedule(visits, schedule)
    access.log_list(request.user, what=log_text(VISIT_SCHEDULE), cases=cases, persons=persons)
    return render(request, "outreach/my_visits.html", {"visits": visits, "schedule": schedule})
