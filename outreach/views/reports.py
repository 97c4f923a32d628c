"""The watch network: the triage queue, a report and what is done with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from casework.forms import IntakeForm, PersonForm
from casework.models import Case, District
from casework.pages import (
    ALREADY_SAVED,
    SavedBefore,
    apply_errors,
    draft_saved,
    form_data,
    form_status,
    page_of,
    save_once,
    saved_before,
)
from outreach import access_rules as outreach_access
from outreach import selectors, services
from outreach.forms import (
    LINK_CHOOSE,
    LINK_SAVE,
    CloseReportForm,
    LinkForm,
    LinkSearchForm,
    ReportForm,
    WorkerForm,
)
from outreach.models import TRIAGE_OPEN_STATES
from outreach.views.common import (
    REPORT_DETAIL,
    REPORT_OPEN_CASE,
    REPORT_QUEUE,
    UNLINKED_REPORTS,
    form_page,
    log_read,
    log_text,
    user_of,
)

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from casework.models import Person
    from outreach.models import WatchReport


# What the access log says was read, in the ward's language.
REPORT_LINK = gettext_lazy("見守り通報 No.%(number)s を本人・ケースに連携する画面")
REPORT_LINK_SEARCH = gettext_lazy("見守り通報 No.%(number)s の連携先の検索")
REPORT_LINK_CONFIRM = gettext_lazy("見守り通報 No.%(number)s の連携先の確認")


class ReportIntakeForm(IntakeForm):
    """相談受付 from a watch report: the route is the watch network."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["route"]

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        data.pop("route", None)
        return data


@never_cache
@require_GET
def report_queue(request: HttpRequest) -> HttpResponse:
    access.require_case_role(user_of(request))
    membership = access.membership_of(user_of(request))
    assert membership is not None  # require_case_role above
    district = None
    chosen = request.GET.get("district")
    if chosen:
        district = District.objects.filter(code=chosen).first()
    elif membership.agency.district_id:
        district = membership.agency.district
    show_all = request.GET.get("all") == "1"
    page = page_of(
        request, selectors.triage_queue(user_of(request), district=district, show_all=show_all)
    )
    now = timezone.now()
    for report in page:
        report.late = selectors.report_is_late(report, now)
    # A report not linked yet may name someone not registered: the row lists its number.
    unlinked = [f"No.{r.pk}" for r in page if not r.case_id and not r.person_id]
    what = log_text(REPORT_QUEUE)
    if unlinked:
        what += log_text(UNLINKED_REPORTS, numbers="、".join(unlinked))
    access.log_list(
        user_of(request),
        what=what,
        cases=[r.case_id for r in page if r.case_id],
        persons=[r.person_id for r in page if r.person_id],
        always=bool(unlinked),
    )
    return render(
        request,
        "outreach/report_queue.html",
        {
            "page": page,
            "district": district,
            "districts": District.objects.all(),
            "show_all": show_all,
            "ward_wide": membership.agency.district_id is None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        ReportForm(form_data(request)),
        lambda data: services.report_receive(actor=user_of(request), **data).get_absolute_url(),
        title=_("見守り通報を受け付ける"),
        success=_("見守り通報を受け付けました。"),
        back=reverse("outreach:reports"),
    )


@never_cache
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = outreach_access.report_for_user(user_of(request), pk)
    log_read(
        user_of(request),
        case=report.case,
        person=report.person,
        detail=log_text(REPORT_DETAIL, number=report.pk),
    )
    return render(
        request,
        "outreach/report_detail.html",
        {
            "report": report,
            "visits": selectors.report_visits(report),
            "open": report.state in TRIAGE_OPEN_STATES,
        },
    )


def _report_for_action(request: HttpRequest, pk: int) -> WatchReport:
    report = outreach_access.report_for_user(user_of(request), pk)
    access.require_case_role(user_of(request))
    return report


@never_cache
@require_http_methods(["GET", "POST"])
def report_assign(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_action(request, pk)
    form = WorkerForm(form_data(request), workers=casework_selectors.agency_staff(user_of(request)))
    return form_page(
        request,
        form,
        lambda data: services.report_assign(
            actor=user_of(request), report=report, **data
        ).get_absolute_url(),
        title=_("担当者を決める"),
        success=_("担当者を決めました。"),
        back=report.get_absolute_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the report to whom it is about, found by name: search (GET ?q=), choose a
    person or one of their cases, see who it is (the confirmation), then link."""
    report = _report_for_action(request, pk)
    user = user_of(request)
    sent = request.POST if request.method == "POST" else None
    step = sent.get("step") if sent is not None else None
    form = LinkForm(
        sent,
        persons=selectors.link_persons(user),
        cases=selectors.link_cases(user),
        saving=step == LINK_SAVE,
    )
    chosen = form.chosen() if step == LINK_CHOOSE else None
    source = sent if sent is not None else request.GET
    search = LinkSearchForm(
        {"q": source["q"]} if "q" in source else None, initial={"q": report.subject_name}
    )
    persons: list[Person] | None = None
    more = False
    if chosen is None and search.is_bound and search.is_valid():
        persons, more = selectors.link_candidates(user, search.cleaned_data["q"])

    def shown() -> None:
        log_read(
            user,
            case=report.case,
            person=report.person,
            detail=log_text(REPORT_LINK, number=report.pk),
            form=True,
        )
        if persons is not None:
            access.log_list(
                user,
                what=log_text(REPORT_LINK_SEARCH, number=report.pk),
                persons=persons,
                cases=[case for person in persons for case in person.link_cases],  # type: ignore[attr-defined]  # set by link_candidates
                query=search.cleaned_data["q"],
            )
        if chosen is not None:
            access.log_form_read(user, chosen, log_text(REPORT_LINK_CONFIRM, number=report.pk))

    def link(data: dict[str, Any]) -> str:
        target = data["target"]
        case = target if isinstance(target, Case) else None
        person = None if case is not None else target
        return services.report_link(
            actor=user, report=report, case=case, person=person
        ).get_absolute_url()

    return form_page(
        request,
        form,
        link,
        title=_("本人・ケースに連携"),
        success=_("通報を連携しました。"),
        back=report.get_absolute_url(),
        log=shown,
        template="outreach/report_link.html",
        report=report,
        search=search,
        persons=persons,
        more=more,
        chosen=chosen,
        chosen_case=chosen if isinstance(chosen, Case) else None,
        chosen_person=chosen.person if isinstance(chosen, Case) else chosen,
        choose_step=LINK_CHOOSE,
        save_step=LINK_SAVE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_action(request, pk)
    return form_page(
        request,
        CloseReportForm(form_data(request)),
        lambda data: services.report_close(
            actor=user_of(request), report=report, **data
        ).get_absolute_url(),
        title=_("懸念なしで終了"),
        success=_("通報を終了しました。"),
        back=report.get_absolute_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_action(request, pk)
    data = form_data(request)
    family, _sep, given = report.subject_name.partition(" ")
    person_form = PersonForm(
        data,
        prefix="person",
        initial={
            "family_name": family,
            "given_name": given,
            "address": report.address,
            "district": report.district_id,
        },
    )
    case_form = ReportIntakeForm(
        data, prefix="case", initial={"main_concern": "", "chief_complaint": report.noticed}
    )
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():

        def opened_case_url(opened: WatchReport) -> str:
            assert opened.case is not None  # the service opened it
            return opened.case.get_absolute_url()

        try:
            _opened, url, fresh = save_once(
                request,
                lambda: services.report_open_case(
                    actor=user_of(request),
                    report=report,
                    person_fields=person_form.cleaned_data,
                    intake_fields=case_form.service_kwargs(),
                ),
                opened_case_url,
            )
        except ValidationError as error:
            apply_errors(case_form, error)
        except SavedBefore:
            return saved_before(request)
        else:
            if fresh:
                draft_saved(request)
            messages.success(
                request, _("通報からケースを開始しました。") if fresh else ALREADY_SAVED
            )
            return redirect(url)
    log_read(
        user_of(request),
        case=report.case,
        person=report.person,
        detail=log_text(REPORT_OPEN_CASE, number=report.pk),
        form=True,
    )
    return render(
        request,
        "outreach/report_open_case.html",
        {"report": report, "person_form": person_form, "case_form": case_form},
        status=form_status(request, person_form, case_form),
    )
