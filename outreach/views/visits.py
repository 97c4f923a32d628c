"""Outreach visits: planning, a visit's page, recording its result, the schedule.

Staff on a visit who do not work its case read, on the visit's pages and their schedule,
the visited person's name, address and phone, and nothing else of the case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from casework.pages import form_data
from casework.templatetags.tsunagu import jdatetime
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
    user_of,
)

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from casework.models import Case
    from outreach.models import OutreachVisit, WatchReport
    from outreach.selectors import Visited


def _plan_visit(
    request: HttpRequest,
    *,
    case: Case | None = None,
    report: WatchReport | None = None,
    back: str,
) -> HttpResponse:
    form = VisitPlanForm(
        form_data(request),
        workers=casework_selectors.agency_staff(user_of(request)),
        initial={"staff": [request.user.pk]},
    )
    return form_page(
        request,
        form,
        lambda data: _planned(
            request,
            services.visit_plan(actor=user_of(request), case=case, report=report, **data),
        ),
        title=_("訪問を計画"),
        success=_("訪問を計画しました。"),
        back=back,
    )


def _planned(request: HttpRequest, visit: OutreachVisit) -> str:
    """Where a planned visit leads; a visit of the same person at the same time is named."""
    for other in selectors.visits_at_the_same_time(visit):
        messages.warning(
            request,
            _(
                "同じ方への訪問が %(at)s にも計画されています(訪問 %(number)d)。"
                "重複していないか確かめてください。"
            )
            % {"at": jdatetime(other.planned_at), "number": other.pk},
        )
    return visit.get_absolute_url()


@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(user_of(request), pk, access.WORK)
    return _plan_visit(request, case=case, back=case.get_absolute_url())


@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = outreach_access.report_for_user(user_of(request), pk)
    access.require_case_role(user_of(request))
    return _plan_visit(request, report=report, back=report.get_absolute_url())


def _log_visit(
    request: HttpRequest, visit: OutreachVisit, visited: Visited, *, form: bool = False
) -> None:
    day = day_label(visit.visited_at or visit.planned_at)
    if visit.report_id:
        message = REPORT_VISIT_RECORD if form else REPORT_VISIT_DETAIL
        detail = log_text(message, number=visit.report_id, day=day)
    else:
        detail = log_text(VISIT_RECORD if form else VISIT_DETAIL, day=day)
    log_read(user_of(request), case=visited.case, person=visited.person, detail=detail, form=form)


@never_cache
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = outreach_access.visit_for_user(user_of(request), pk)
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
            "case_link": outreach_access.may_open_visit_case(user_of(request), visit),
            "report_link": outreach_access.may_open_visit_report(user_of(request), visit),
            "can_record": not visit.is_recorded
            and outreach_access.may_record_visit(user_of(request), visit),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = outreach_access.visit_for_user(user_of(request), pk, record=True)
    visited = selectors.visited(visit)
    return form_page(
        request,
        VisitRecordForm(form_data(request), visit=visit),
        lambda data: _recorded(
            request, services.visit_record(actor=user_of(request), visit=visit, **data)
        ),
        title=_("訪問の結果を記録"),
        success=_("訪問の結果を記録しました。"),
        back=visit.get_absolute_url(),
        log=lambda: _log_visit(request, visit, visited, form=True),
        visited=visited,
    )


def _recorded(request: HttpRequest, visit: OutreachVisit) -> str:
    """Where a recorded visit leads; says whether its 次回訪問予定日 was planned."""
    following = getattr(visit, "next_visit", None)
    if following is not None:
        messages.info(
            request,
            _("次回の訪問を %(at)s に計画しました(訪問 %(number)d)。")
            % {"at": jdatetime(following.planned_at), "number": following.pk},
        )
        return _planned(request, following)
    if visit.next_visit_on:
        messages.info(
            request,
            _("次回訪問予定日を記録しました。訪問の計画は、ケースを担当する職員が行います。"),
        )
    return visit.get_absolute_url()


@never_cache
@require_GET
def my_visits(request: HttpRequest) -> HttpResponse:
    access.require_case_role(user_of(request))
    visits = selectors.my_visits_this_week(user_of(request))
    schedule = selectors.agency_schedule(user_of(request))
    cases, persons = selectors.shown_on_schedule(visits, schedule)
    access.log_list(user_of(request), what=log_text(VISIT_SCHEDULE), cases=cases, persons=persons)
    return render(request, "outreach/my_visits.html", {"visits": visits, "schedule": schedule})
