"""The supervisor's caseload and the access log."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, selectors, services
from casework.forms import (
    AccessLogFilterForm,
    HandoverForm,
)
from casework.pages import (
    AuthenticatedHttpRequest,
    KeysetPage,
    form_data,
    form_page,
    keyset_page,
    page_of,
)


@require_GET
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_supervisor(request.user)
    plans = list(selectors.plans_awaiting_approval(request.user))
    closures = list(selectors.closures_awaiting_decision(request.user))
    access.log_list(
        request.user,
        what=_noop("ケース全体の状況(承認待ち)"),
        cases=[p.case for p in plans] + [c.case for c in closures],
    )
    return render(
        request,
        "casework/caseload.html",
        {
            "rows": selectors.caseload_review(request.user),
            "unassigned": selectors.unassigned_cases(request.user).count(),
            "plans": plans,
            "closures": closures,
            "no_contact_days": selectors.NO_CONTACT_DAYS,
        },
    )


@require_GET
def caseload_worker(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    worker = access.agency_worker_for_supervisor(request.user, pk)
    metric = request.GET.get("metric", "active")
    if metric not in selectors.CASELOAD_METRICS:
        metric = "active"
    cases = selectors.caseload_cases(request.user, worker, metric)
    page = page_of(request, cases)
    access.log_list(request.user, what=_noop("職員別のケース一覧"), cases=page.object_list)
    return render(
        request,
        "casework/caseload_worker.html",
        {"worker": worker, "metric": metric, "metrics": selectors.CASELOAD_METRICS, "page": page},
    )


@require_GET
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_supervisor(request.user)
    workers = selectors.agency_workers(request.user)
    form = AccessLogFilterForm(request.GET or None, workers=workers, user=request.user)
    if form.is_bound and not form.is_valid():
        # A filter that cannot apply shows nothing, never everything.
        empty = KeysetPage(object_list=[], next_cursor="", count=0, capped=False, first=True)
        return render(
            request, "casework/access_log.html", {"form": form, "page": empty, "agency_id": None}
        )
    filters = form.cleaned_data if form.is_bound else {}
    rows = selectors.agency_access_log(
        request.user,
        worker=filters.get("worker"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        case=filters.get("case"),
        person=filters.get("person"),
    )
    at = selectors.access_log_key(filters.get("worker"))
    page = keyset_page(request, rows, size=50, at=at, pk="log_id")
    page.object_list = [entry.log for entry in page.object_list]
    membership = access.membership_of(request.user)
    assert membership is not None  # require_supervisor
    agency_id = membership.agency_id
    # The page names the persons the agency holds: it is a read of them too.
    for row in page.object_list:
        row.names_person = row.person is not None and (
            (row.case is not None and row.case.owning_agency_id == agency_id)
            or (row.case is None and row.person.registered_by_agency_id == agency_id)
        )
    access.log_list(
        request.user,
        what=_noop("アクセス記録"),
        persons=[row.person_id for row in page.object_list if row.names_person],
    )
    return render(
        request,
        "casework/access_log.html",
        {"form": form, "page": page, "agency_id": agency_id},
    )


@require_GET
def caseload_unassigned(request):
    """担当者なし: the agency's open cases no active worker has, each assignable."""
    access.require_supervisor(request.user)
    page = page_of(request, selectors.unassigned_cases(request.user))
    access.log_list(request.user, what=_noop("担当者なしのケース"), cases=page.object_list)
    return render(request, "casework/caseload_unassigned.html", {"page": page})


@never_cache
@require_http_methods(["GET", "POST"])
def caseload_handover(request, pk):
    """Hand all or chosen open cases of one worker to one or several others in one step."""
    worker = access.agency_worker_for_supervisor(request.user, pk)
    cases = selectors.handover_cases(request.user, worker)
    form = HandoverForm(
        form_data(request),
        cases=cases,
        targets=selectors.handover_targets(request.user, worker),
    )

    def save(data):
        services.case_handover(actor=request.user, from_worker=worker, moves=form.moves())
        return reverse("casework:caseload")

    return form_page(
        request,
        form,
        save,
        template="casework/caseload_handover.html",
        success=_("ケースを引き継ぎました。新しい担当者にお知らせしました。"),
        shown=lambda: access.log_list(request.user, what=_noop("引き継ぎ"), cases=form.cases),
        context={"worker": worker},
    )
