"""Community work pages: events, activity groups with sessions and participants, services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from casework import services as casework_services
from casework.forms import IntakeForm, PersonForm
from casework.models import AccessLog, District
from casework.views import apply_errors
from outreach import access_rules as outreach_access
from outreach import selectors, services
from outreach.forms import (
    CloseReportForm,
    EventForm,
    GroupForm,
    LinkForm,
    ParticipantForm,
    ParticipantUpdateForm,
    ReportForm,
    ServiceForm,
    SessionForm,
    VisitPlanForm,
    VisitRecordForm,
    WorkerForm,
)
from outreach.models import TRIAGE_OPEN_STATES, ActivityGroup, GroupParticipant


class ReportIntakeForm(IntakeForm):
    """相談受付 from a watch report: the route is the watch network."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["route"]

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data.pop("route", None)
        return data


PAGE_SIZE = 25


def _then(_saved, url_name: str) -> str:
    """After saving, go back to the list."""
    return reverse(url_name)


def _require_view(user):
    if not selectors.may_view_community(user):
        raise PermissionDenied


def _list(request, queryset, template, **context):
    _require_view(request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


def _create(request, form, save, *, title, success, back):
    access.require_case_role(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, "outreach/form.html", {"form": form, "title": title, "back": back})


@login_required
@require_GET
def event_list(request):
    return _list(request, selectors.events(), "outreach/event_list.html", tab="events")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_new(request):
    return _create(
        request,
        EventForm(request.POST or None),
        lambda data: _then(services.event_record(actor=request.user, **data), "outreach:events"),
        title=_("啓発活動を記録"),
        success=_("啓発活動を記録しました。"),
        back=reverse("outreach:events"),
    )


@login_required
@require_GET
def group_list(request):
    return _list(request, selectors.groups(), "outreach/group_list.html", tab="groups")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_new(request):
    return _create(
        request,
        GroupForm(request.POST or None),
        lambda data: services.group_create(actor=request.user, **data).get_absolute_url(),
        title=_("活動グループを登録"),
        success=_("活動グループを登録しました。"),
        back=reverse("outreach:groups"),
    )


def _group(pk) -> ActivityGroup:
    group = (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .filter(pk=access.parse_id(pk))
        .first()
    )
    if group is None:
        raise Http404
    return group


@login_required
@require_GET
def group_detail(request, pk):
    _require_view(request.user)
    group = _group(pk)
    shown, total = selectors.group_participants(request.user, group)
    sessions = Paginator(selectors.group_sessions(group), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "outreach/group_detail.html",
        {
            "group": group,
            "page": sessions,
            "participants": shown,
            "hidden_participants": total - len(shown),
            "can_record": access.handles_cases(request.user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_new(request, pk):
    group = _group(pk)
    return _create(
        request,
        SessionForm(request.POST or None),
        lambda data: services.session_record(
            actor=request.user, group=group, **data
        ).group.get_absolute_url(),
        title=_("実施回を記録"),
        success=_("実施回を記録しました。"),
        back=group.get_absolute_url(),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_new(request, pk):
    """Register a participant: a new person registered by the worker's agency."""
    access.require_case_role(request.user)
    group = _group(pk)
    form = ParticipantForm(request.POST or None)
    person_form = PersonForm(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        try:
            with transaction.atomic():
                person = casework_services.person_create(
                    actor=request.user, **person_form.cleaned_data
                )
                services.participant_register(
                    actor=request.user, group=group, person=person, **form.cleaned_data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("参加者を登録しました。"))
            return redirect(group.get_absolute_url())
    return render(
        request,
        "outreach/participant_form.html",
        {"group": group, "form": form, "person_form": person_form},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk):
    access.require_case_role(request.user)
    participant = (
        GroupParticipant.objects.select_related("group", "person")
        .filter(pk=access.parse_id(pk), person__in=access.persons_visible_to(request.user))
        .first()
    )
    if participant is None:
        raise Http404
    form = ParticipantUpdateForm(
        request.POST or None, initial={"in_community_activity": participant.in_community_activity}
    )
    return _create(
        request,
        form,
        lambda data: services.participant_update(
            actor=request.user, participant=participant, **data
        ).group.get_absolute_url(),
        title=_("参加者の情報を更新"),
        success=_("参加者の情報を更新しました。"),
        back=participant.group.get_absolute_url(),
    )


@login_required
@require_GET
def service_list(request):
    return _list(request, selectors.services(), "outreach/service_list.html", tab="services")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def service_new(request):
    access.require_case_role(request.user)
    form = ServiceForm(request.POST or None, workers=casework_selectors.agency_staff(request.user))
    return _create(
        request,
        form,
        lambda data: _then(
            services.service_record(actor=request.user, **data), "outreach:services"
        ),
        title=_("新たな生活支援サービスを記録"),
        success=_("新たな生活支援サービスを記録しました。"),
        back=reverse("outreach:services"),
    )


# --- the watch network ---------------------------------------------------------------------


@login_required
@require_GET
def report_queue(request):
    access.require_case_role(request.user)
    membership = access.membership_of(request.user)
    district = None
    chosen = request.GET.get("district")
    if chosen:
        district = District.objects.filter(code=chosen).first()
    elif membership.agency.district_id:
        district = membership.agency.district
    show_all = request.GET.get("all") == "1"
    page = Paginator(
        selectors.triage_queue(request.user, district=district, show_all=show_all), PAGE_SIZE
    ).get_page(request.GET.get("page"))
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


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request):
    return _create(
        request,
        ReportForm(request.POST or None),
        lambda data: services.report_receive(actor=request.user, **data).get_absolute_url(),
        title=_("見守り通報を受け付ける"),
        success=_("見守り通報を受け付けました。"),
        back=reverse("outreach:reports"),
    )


@login_required
@never_cache
@require_GET
def report_detail(request, pk):
    report = outreach_access.report_for_user(request.user, pk)
    return render(
        request,
        "outreach/report_detail.html",
        {
            "report": report,
            "visits": selectors.report_visits(report),
            "open": report.state in TRIAGE_OPEN_STATES,
        },
    )


def _report_action(form_class, service, *, title, success, form_kwargs=None):
    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        report = outreach_access.report_for_user(request.user, pk)
        access.require_case_role(request.user)
        extra = form_kwargs(request) if form_kwargs else {}
        form = form_class(request.POST or None, **extra)
        return _create(
            request,
            form,
            lambda data: service(request, report, data).get_absolute_url(),
            title=title,
            success=success,
            back=report.get_absolute_url(),
        )

    return view


def _link(request, report, data):
    case = person = None
    if data.get("case_number"):
        case = access.case_for_user(request.user, data["case_number"])
    else:
        person = access.person_for_user(request.user, data["person_number"])
    return services.report_link(actor=request.user, report=report, case=case, person=person)


report_assign = _report_action(
    WorkerForm,
    lambda request, report, data: services.report_assign(actor=request.user, report=report, **data),
    title=_("担当者を決める"),
    success=_("担当者を決めました。"),
    form_kwargs=lambda request: {"workers": casework_selectors.agency_staff(request.user)},
)
report_link = _report_action(
    LinkForm, _link, title=_("本人・ケースに連携"), success=_("通報を連携しました。")
)
report_close = _report_action(
    CloseReportForm,
    lambda request, report, data: services.report_close(actor=request.user, report=report, **data),
    title=_("懸念なしで終了"),
    success=_("通報を終了しました。"),
)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_open_case(request, pk):
    report = outreach_access.report_for_user(request.user, pk)
    access.require_case_role(request.user)
    data = request.POST or None
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
        try:
            report = services.report_open_case(
                actor=request.user,
                report=report,
                person_fields=person_form.cleaned_data,
                intake_fields=case_form.service_kwargs(),
            )
        except ValidationError as error:
            apply_errors(case_form, error)
        else:
            messages.success(request, _("通報からケースを開始しました。"))
            return redirect(report.case.get_absolute_url())
    return render(
        request,
        "outreach/report_open_case.html",
        {"report": report, "person_form": person_form, "case_form": case_form},
    )


# --- outreach visits ---------------------------------------------------------------------


def _plan_visit(request, *, case=None, report=None, back):
    form = VisitPlanForm(
        request.POST or None,
        workers=casework_selectors.agency_staff(request.user),
        initial={"staff": [request.user.pk]},
    )
    return _create(
        request,
        form,
        lambda data: services.visit_plan(
            actor=request.user, case=case, report=report, **data
        ).get_absolute_url(),
        title=_("訪問を計画"),
        success=_("訪問を計画しました。"),
        back=back,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_case(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    return _plan_visit(request, case=case, back=case.get_absolute_url())


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_plan_for_report(request, pk):
    report = outreach_access.report_for_user(request.user, pk)
    access.require_case_role(request.user)
    return _plan_visit(request, report=report, back=report.get_absolute_url())


@login_required
@never_cache
@require_GET
def visit_detail(request, pk):
    visit = outreach_access.visit_for_user(request.user, pk)
    if visit.case_id:
        access.log_access(
            request.user,
            person=visit.case.person,
            case=visit.case,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"visit {visit.pk}",
        )
    return render(
        request,
        "outreach/visit_detail.html",
        {
            "visit": visit,
            "staff": visit.staff.all(),
            "can_record": not visit.is_recorded
            and outreach_access.may_record_visit(request.user, visit),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_record(request, pk):
    visit = outreach_access.visit_for_user(request.user, pk, record=True)
    return _create(
        request,
        VisitRecordForm(request.POST or None, visit=visit),
        lambda data: services.visit_record(
            actor=request.user, visit=visit, **data
        ).get_absolute_url(),
        title=_("訪問の結果を記録"),
        success=_("訪問の結果を記録しました。"),
        back=visit.get_absolute_url(),
    )


@login_required
@require_GET
def my_visits(request):
    access.require_case_role(request.user)
    return render(
        request,
        "outreach/my_visits.html",
        {
            "visits": selectors.my_visits_this_week(request.user),
            "schedule": selectors.agency_schedule(request.user),
        },
    )
