"""Thin views: parse, authorize through casework.access, call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import access, extensions, middleware, selectors, services
from casework.forms import (
    AccessLogFilterForm,
    AssessmentForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ConfirmNewPersonForm,
    ConsentForm,
    ConsentWithdrawForm,
    ContactRecordForm,
    EmergencySupportForm,
    EnrolmentForm,
    EnrolmentLeaveForm,
    HouseholdLinkForm,
    IntakeForm,
    LoginForm,
    MeetingForm,
    MonitoringForm,
    MyCasesFilterForm,
    OutcomeForm,
    PersonForm,
    PersonSearchForm,
    PlanActionFormSet,
    ReasonForm,
    ReassignForm,
    ReopenForm,
    ScreeningForm,
    SupportPlanForm,
)
from casework.models import (
    AccessLog,
    Assessment,
    ClosureRequest,
    ProgrammeEnrolment,
    SupportPlan,
)

PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        middleware.mark_login(self.request)
        return response


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("casework:my_cases")


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    membership = access.membership_of(request.user)
    if not access.handles_cases(request.user):
        return render(request, "casework/no_case_access.html", {"membership": membership})
    form = MyCasesFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    scopes = ["assigned", "shared"] + (["agency"] if membership.role == "supervisor" else [])
    scope = request.GET.get("scope", "assigned")
    if scope not in scopes:
        scope = "assigned"
    cases = selectors.my_cases(request.user, status=status or None, scope=scope)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    access.log_list(request.user, what=_noop("担当ケース一覧"), cases=page.object_list)
    return render(
        request,
        "casework/my_cases.html",
        {"form": form, "page": page, "scope": scope, "scopes": scopes, "status": status},
    )


@login_required
@never_cache
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.VIEW)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=_noop("ケースの画面"),
    )
    perms = case.user_perms
    context = {
        "case": case,
        "concerns": selectors.case_concerns(case),
        "assignments": selectors.case_active_assignments(case),
        "shares": selectors.case_active_shares(case),
        "timeline": selectors.case_timeline(case),
        "can_work": access.WORK in perms and case.is_open,
        "can_supervise": access.SUPERVISE in perms,
        "panels": extensions.case_panels(request, case),
        **selectors.case_workflow(request.user, case),
    }
    return render(request, "casework/case_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    form = ContactRecordForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("経過記録を追加しました。"))
            return redirect("casework:case_detail", pk=case.pk)
    access.log_form_read(request.user, case, _noop("経過記録を追加"))
    return render(request, "casework/contact_form.html", {"case": case, "form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_open_new_person(request: HttpRequest) -> HttpResponse:
    """相談受付 for a person not yet registered. Likely duplicates among the persons the
    user may see are shown first; a new person is made only once the worker confirms."""
    access.require_case_role(request.user)
    data = request.POST or None
    person_form = PersonForm(data, prefix="person")
    case_form = IntakeForm(data, prefix="case")
    confirm_form = ConfirmNewPersonForm(data, prefix="confirm")
    duplicates = []
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        confirm_form.is_valid()
        if not confirm_form.cleaned_data.get("confirm_new"):
            duplicates = selectors.likely_duplicates(
                request.user,
                **{
                    k: person_form.cleaned_data[k]
                    for k in (
                        "family_name",
                        "given_name",
                        "family_name_kana",
                        "given_name_kana",
                        "birth_date",
                    )
                },
            )
        if not duplicates:
            try:
                with transaction.atomic():
                    person = services.person_create(actor=request.user, **person_form.cleaned_data)
                    case = services.case_intake(
                        actor=request.user, person=person, **case_form.service_kwargs()
                    )
            except ValidationError as error:
                apply_errors(case_form, error)
            else:
                messages.success(request, _("相談を受け付けました。"))
                return redirect("casework:case_detail", pk=case.pk)
    access.log_list(request.user, what=_noop("相談受付(同一人物の候補)"), persons=duplicates)
    return render(
        request,
        "casework/case_open.html",
        {
            "person_form": person_form,
            "case_form": case_form,
            "confirm_form": confirm_form,
            "duplicates": duplicates,
            "person": None,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_open_for_person(request: HttpRequest, pk: int) -> HttpResponse:
    # Only staff who handle cases see any person, so the lookup alone refuses the rest (404).
    person = access.person_for_user(request.user, pk)
    if not access.may_open_case_for(request.user, person):
        raise PermissionDenied
    case_form = IntakeForm(request.POST or None, prefix="case")
    if request.method == "POST" and case_form.is_valid():
        try:
            case = services.case_intake(
                actor=request.user, person=person, **case_form.service_kwargs()
            )
        except ValidationError as error:
            apply_errors(case_form, error)
        else:
            messages.success(request, _("相談を受け付けました。"))
            return redirect("casework:case_detail", pk=case.pk)
    access.log_form_read(request.user, person, _noop("この方の相談を受付"))
    return render(
        request,
        "casework/case_open.html",
        {"person_form": None, "case_form": case_form, "person": person},
    )


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    form = PersonSearchForm(request.GET or None)
    page = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["birth_date"]):
        persons = selectors.person_search(
            request.user,
            query=form.cleaned_data["q"],
            birth_date=form.cleaned_data["birth_date"],
        )
        page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
        access.log_list(
            request.user,
            what=_noop("本人検索"),
            persons=page.object_list,
            query=" ".join(
                str(v) for v in (form.cleaned_data["q"], form.cleaned_data["birth_date"]) if v
            ),
        )
    household_for = request.GET.get("household_for")
    if household_for:
        household_for = access.person_for_user(request.user, household_for).pk
    return render(
        request,
        "casework/person_search.html",
        {"form": form, "page": page, "household_for": household_for},
    )


@login_required
@never_cache
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    access.log_access(
        request.user,
        person=person,
        case=None,
        action=AccessLog.Action.VIEW_PERSON,
        detail=_noop("本人の画面"),
    )
    cases = selectors.person_cases(request.user, person)
    in_scope = access.person_in_agency_scope(request.user, person)
    # The household is not part of a shared summary.
    members = (
        selectors.case_household(request.user, person)[0]
        if in_scope or selectors.person_readable(request.user, person)
        else None
    )
    household_writable = in_scope and members is not None
    return render(
        request,
        "casework/person_detail.html",
        {
            "person": person,
            "cases": cases,
            "household_members": members,
            "in_scope": in_scope,
            "may_open_case": access.may_open_case_for(request.user, person),
            "is_supervisor": access.is_supervisor_of(
                request.user, access.membership_of(request.user).agency_id
            ),
            # Who may be told about the person is for the agency that holds them.
            "consents": selectors.person_consents(request.user, person) if in_scope else None,
            "household_writable": household_writable,
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose: the database and the cache answer."""
    from django.core.cache import cache

    checks = {}
    try:
        connection.ensure_connection()
        checks["database"] = "ok"
    except Exception:  # the probe reports, never raises
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


# --- issue 3: the consultation workflow ---------------------------------------------------


def _form_page(
    request,
    form,
    on_valid,
    *,
    title: str,
    back,
    success: str,
    submit: str = "",
    template: str = "casework/form_page.html",
    shows=None,
    **context,
):
    """Render a form; on a valid POST call the service, show its refusal next to the field,
    or redirect to where `on_valid` says (it returns a URL or a model with a case page).

    Each rendering shows the person the form is about (`case`, else `back`), or the cases
    the form offers to pick (`shows`): it is logged."""
    if request.method == "POST" and form.is_valid():
        try:
            target = on_valid(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(target)
    access.log_form_read(request.user, context.get("case") or back, title)
    if shows is not None:
        access.log_list(request.user, what=title, cases=shows)
    return render(
        request,
        template,
        {"form": form, "title": title, "back": back, "submit": submit or _("保存する"), **context},
    )


def _case_url(case) -> str:
    return reverse("casework:case_detail", kwargs={"pk": case.pk})


def _plan_url(plan) -> str:
    return reverse("casework:plan_detail", kwargs={"pk": plan.pk})


def _case_form_view(form_class, service, *, title, success, perm=access.WORK):
    """A page with one form about a case: check `perm`, call `service(actor, case, **data)`,
    go back to the case."""

    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        case = access.case_for_user(request.user, pk, perm)

        def save(data):
            service(actor=request.user, case=case, **data)
            return _case_url(case)

        form = form_class(request.POST or None)
        return _form_page(request, form, save, title=title, back=case, success=success, case=case)

    return view


def _record_form_view(model, keyword, form_class, service, *, title, success, perm=access.WORK):
    """A page with one form about a record of a case (a plan, an enrolment): the record
    carries its case's permissions; `service(actor, <keyword>=record, **data)`."""

    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        record = access.case_record_for_user(request.user, model, pk, perm)
        back = record if hasattr(record, "get_absolute_url") else record.record_case

        def save(data):
            service(actor=request.user, **{keyword: record}, **data)
            return back.get_absolute_url()

        form = form_class(request.POST or None)
        return _form_page(
            request,
            form,
            save,
            title=title,
            back=back,
            success=success,
            case=record.record_case,
            record=None if back is record else record,
        )

    return view


screening_new = _case_form_view(
    ScreeningForm,
    services.screening_decide,
    title=_lazy("スクリーニング"),
    success=_lazy("スクリーニングの結果を記録しました。"),
)
emergency_new = _case_form_view(
    EmergencySupportForm,
    services.emergency_support_add,
    title=_lazy("緊急支援を記録"),
    success=_lazy("緊急支援を記録しました。"),
)
closure_request_new = _case_form_view(
    ClosureRequestForm,
    services.closure_request,
    title=_lazy("終結を申請"),
    success=_lazy("終結を申請しました。スーパーバイザーの承認を待っています。"),
)
case_reopen = _case_form_view(
    ReopenForm,
    services.case_reopen,
    title=_lazy("ケースを再開"),
    success=_lazy("ケースを再開しました。"),
    perm=access.SUPERVISE,
)
plan_return = _record_form_view(
    SupportPlan,
    "plan",
    ReasonForm,
    services.plan_return,
    title=_lazy("支援プランを差し戻す"),
    success=_lazy("支援プランを差し戻しました。"),
    perm=access.SUPERVISE,
)
monitoring_new = _record_form_view(
    SupportPlan,
    "plan",
    MonitoringForm,
    services.monitoring_add,
    title=_lazy("モニタリング・評価を記録"),
    success=_lazy("モニタリングを記録しました。"),
)
enrolment_leave = _record_form_view(
    ProgrammeEnrolment,
    "enrolment",
    EnrolmentLeaveForm,
    services.enrolment_leave,
    title=_lazy("事業の利用を終了"),
    success=_lazy("事業の利用を終了しました。"),
)
outcome_new = _record_form_view(
    ProgrammeEnrolment,
    "enrolment",
    OutcomeForm,
    services.outcome_add,
    title=_lazy("就労・増収を記録"),
    success=_lazy("成果を記録しました。"),
)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    latest = selectors.latest_assessment(case)
    initial = {}
    if latest:
        initial = {
            name: getattr(latest, name)
            for name in AssessmentForm.Meta.fields
            if name != "assessed_on"
        }
    form = AssessmentForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: _case_url(services.assessment_add(actor=request.user, case=case, **data).case),
        title=_lazy("アセスメント(新しい版)") if latest else _lazy("アセスメント"),
        back=case,
        success=_("アセスメントを記録しました。"),
        case=case,
    )


@login_required
@never_cache
@require_GET
def assessment_detail(request, pk):
    assessment = access.case_record_for_user(request.user, Assessment, pk)
    case = assessment.record_case
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=f"アセスメント 第{assessment.version}版",
    )
    return render(
        request,
        "casework/assessment_detail.html",
        {"assessment": assessment, "case": case, "fields": _assessment_fields(assessment)},
    )


def _assessment_fields(assessment) -> list[tuple[str, str]]:
    rows = [
        (Assessment._meta.get_field(name).verbose_name, getattr(assessment, name))
        for name in Assessment.SECTIONS
    ]
    rows.append(
        (
            Assessment._meta.get_field("guardianship_need").verbose_name,
            assessment.get_guardianship_need_display(),
        )
    )
    rows.append(
        (
            Assessment._meta.get_field("abuse_suspected").verbose_name,
            (_("あり") + (f":{assessment.abuse_note}" if assessment.abuse_note else ""))
            if assessment.abuse_suspected
            else _("なし"),
        )
    )
    rows.append((Assessment._meta.get_field("summary").verbose_name, assessment.summary))
    return rows


def _plan_forms(request, plan=None, source=None):
    """The plan form with its formset of actions, prefilled from `source` when revising."""
    base = plan or source
    initial = {name: getattr(base, name) for name in services.PLAN_FIELDS} if base else {}
    actions = (
        [
            {
                "description": a.description,
                "agency": a.agency_id,
                "agency_note": a.agency_note,
                "frequency": a.frequency,
            }
            for a in base.actions.all()
        ]
        if base
        else []
    )
    data = request.POST if request.method == "POST" else None
    form = SupportPlanForm(data, initial=initial if plan is None else None, instance=plan)
    formset = PlanActionFormSet(data, initial=actions, prefix="actions")
    return form, formset


def _plan_page(request, *, case, plan, form, formset, title, save):
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PLAN_FIELDS}
        actions = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            saved = save(fields, actions)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("支援プランを保存しました。"))
            return redirect(_plan_url(saved))
    access.log_form_read(request.user, case, title)
    return render(
        request,
        "casework/plan_form.html",
        {"case": case, "plan": plan, "form": form, "formset": formset, "title": title},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_new(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    current = selectors.current_plan(case)
    form, formset = _plan_forms(request, source=current)
    return _plan_page(
        request,
        case=case,
        plan=None,
        form=form,
        formset=formset,
        title=_lazy("支援プランを改定") if current else _lazy("支援プランを作成"),
        save=lambda fields, actions: services.plan_create(
            actor=request.user, case=case, actions=actions, **fields
        ),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = access.case_record_for_user(request.user, SupportPlan, pk, access.WORK)
    if not plan.is_editable:
        messages.error(request, _("下書きのプランだけを編集できます。"))
        return redirect(_plan_url(plan))
    form, formset = _plan_forms(request, plan=plan)
    return _plan_page(
        request,
        case=plan.record_case,
        plan=plan,
        form=form,
        formset=formset,
        title=_lazy("支援プランを編集"),
        save=lambda fields, actions: services.plan_update(
            actor=request.user, plan=plan, actions=actions, **fields
        ),
    )


@login_required
@never_cache
@require_GET
def plan_detail(request, pk):
    plan = access.case_record_for_user(request.user, SupportPlan, pk)
    case = plan.record_case
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=f"支援プラン 第{plan.version}版",
    )
    perms = plan.user_perms
    return render(
        request,
        "casework/plan_detail.html",
        {
            "plan": plan,
            "case": case,
            "actions": selectors.plan_actions(plan),
            "monitoring": selectors.plan_monitoring(plan),
            "can_work": access.WORK in perms and case.is_open,
            "can_supervise": access.SUPERVISE in perms and case.is_open,
            "is_author": plan.contributors.filter(pk=request.user.pk).exists(),
            "return_form": ReasonForm(),
        },
    )


def _plan_action(request, pk, perm, service, success):
    plan = access.case_record_for_user(request.user, SupportPlan, pk, perm)
    try:
        service(plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_plan_url(plan))


@login_required
@require_POST
def plan_submit(request, pk):
    return _plan_action(
        request,
        pk,
        access.WORK,
        lambda plan: services.plan_submit(actor=request.user, plan=plan),
        _("支援プランを提出しました。スーパーバイザーの承認を待っています。"),
    )


@login_required
@require_POST
def plan_approve(request, pk):
    return _plan_action(
        request,
        pk,
        access.SUPERVISE,
        lambda plan: services.plan_approve(actor=request.user, plan=plan),
        _("支援プランを承認しました。"),
    )


@login_required
@require_GET
def meeting_list(request):
    access.require_case_role(request.user)
    page = Paginator(selectors.meetings_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # A meeting's title names the person: the list shows the cases it is about.
    access.log_list(
        request.user,
        what=_noop("会議一覧"),
        cases=selectors.cases_of_meetings(request.user, page.object_list),
    )
    return render(request, "casework/meeting_list.html", {"page": page})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    access.require_case_role(request.user)
    visible = selectors.meeting_case_choices(request.user)
    initial = {}
    if request.GET.get("case"):
        initial["cases"] = visible.filter(pk=access.parse_id(request.GET["case"]))
    form = MeetingForm(request.POST or None, visible_cases=visible, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: reverse(
            "casework:meeting_detail",
            kwargs={"pk": services.meeting_record(actor=request.user, **data).pk},
        ),
        title=_lazy("会議を記録"),
        back=None,
        success=_("会議を記録しました。"),
        shows=visible,
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = access.meeting_for_user(request.user, pk)
    cases = list(selectors.meeting_cases(request.user, meeting))
    # The minutes are part of each linked person's record: one access-log row per case.
    for case in cases:
        access.log_access(
            request.user,
            person=case.person,
            case=case,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"会議の記録「{meeting.title[:100]}」",
        )
    return render(
        request,
        "casework/meeting_detail.html",
        {
            "meeting": meeting,
            "cases": cases,
            "agencies": meeting.attending_agencies.all(),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrolment_new(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    form = EnrolmentForm(request.POST or None, people=selectors.household_member_choices(case))
    return _form_page(
        request,
        form,
        lambda data: _case_url(services.enrolment_add(actor=request.user, case=case, **data).case),
        title=_lazy("事業の利用を登録"),
        back=case,
        success=_("事業の利用を登録しました。"),
        case=case,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def closure_decide(request, pk):
    closure = access.case_record_for_user(request.user, ClosureRequest, pk, access.SUPERVISE)
    form = ClosureDecisionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: _case_url(
            services.closure_decide(
                actor=request.user,
                request=closure,
                approve=data["decision"] == "approve",
                note=data["note"],
            ).case
        ),
        title=_lazy("終結の申請を判断"),
        back=closure.record_case,
        success=_("終結の申請を判断しました。"),
        case=closure.record_case,
        record=closure,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_reassign(request, pk):
    case = access.case_for_user(request.user, pk, access.SUPERVISE)
    current = selectors.case_workers(case)
    form = ReassignForm(
        request.POST or None, current=current, workers=selectors.agency_workers(request.user)
    )
    return _form_page(
        request,
        form,
        lambda data: (
            services.case_reassign(actor=request.user, case=case, **data),
            _case_url(case),
        )[1],
        title=_lazy("担当を変更"),
        back=case,
        success=_("担当を変更しました。"),
        case=case,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def household_add(request, pk):
    """Add a member to the person's household: an existing person (?member=) or a new one."""
    person = access.person_for_user(request.user, pk)
    if not access.person_in_agency_scope(request.user, person):
        raise PermissionDenied
    member = (
        access.person_for_user(request.user, request.GET["member"])
        if request.GET.get("member")
        else None
    )
    form = HouseholdLinkForm(request.POST or None)
    person_form = None if member else PersonForm(request.POST or None, prefix="member")
    if request.method == "POST" and form.is_valid() and (member or person_form.is_valid()):
        try:
            with transaction.atomic():
                new_member = member or services.person_create(
                    actor=request.user, **person_form.cleaned_data
                )
                services.household_link(
                    actor=request.user,
                    person=person,
                    person_relation=form.cleaned_data["person_relation"],
                    member=new_member,
                    member_relation=form.cleaned_data["relation"],
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("世帯員を追加しました。"))
            return redirect("casework:person_detail", pk=person.pk)
    access.log_form_read(request.user, person, _noop("世帯員を追加"))
    if member is not None:
        access.log_form_read(request.user, member, _noop("世帯員を追加(追加する方)"))
    return render(
        request,
        "casework/household_form.html",
        {"person": person, "member": member, "form": form, "person_form": person_form},
    )


# --- the supervisor's view ----------------------------------------------------------------


@login_required
@require_GET
def caseload(request):
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
            "plans": plans,
            "closures": closures,
            "no_contact_days": selectors.NO_CONTACT_DAYS,
        },
    )


@login_required
@require_GET
def caseload_worker(request, pk):
    worker = access.agency_worker_for_supervisor(request.user, pk)
    metric = request.GET.get("metric", "active")
    if metric not in selectors.CASELOAD_METRICS:
        metric = "active"
    cases = selectors.caseload_cases(request.user, worker, metric)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    access.log_list(request.user, what=_noop("職員別のケース一覧"), cases=page.object_list)
    return render(
        request,
        "casework/caseload_worker.html",
        {"worker": worker, "metric": metric, "metrics": selectors.CASELOAD_METRICS, "page": page},
    )


@login_required
@require_GET
def access_log(request):
    access.require_supervisor(request.user)
    workers = selectors.agency_workers(request.user)
    form = AccessLogFilterForm(request.GET or None, workers=workers, user=request.user)
    if form.is_bound and not form.is_valid():
        # A filter that cannot apply shows nothing, never everything.
        empty = Paginator([], 50).get_page(1)
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
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    agency_id = access.membership_of(request.user).agency_id
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


# --- consent and notifications --------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent_new(request, pk):
    person = access.person_for_user(request.user, pk)
    if not access.person_in_agency_scope(request.user, person):
        raise PermissionDenied
    form = ConsentForm(request.POST or None)

    def save(data):
        services.consent_record(actor=request.user, person=person, **data)
        return reverse("casework:person_detail", kwargs={"pk": person.pk})

    return _form_page(
        request,
        form,
        save,
        title=_lazy("同意・共有の根拠を記録"),
        back=person,
        success=_("同意・共有の根拠を記録しました。"),
        record=person,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, pk):
    consent = access.consent_for_user(request.user, pk)
    form = ConsentWithdrawForm(request.POST or None)

    def save(data):
        services.consent_withdraw(actor=request.user, consent=consent, **data)
        return reverse("casework:person_detail", kwargs={"pk": consent.person_id})

    return _form_page(
        request,
        form,
        save,
        title=_lazy("同意を撤回"),
        back=consent.person,
        success=_("同意の撤回を記録しました。この同意にもとづく共有はすべて終了しました。"),
        record=consent,
    )


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "casework/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    raw = request.POST.get("id")
    services.notifications_mark_read(
        actor=request.user, notification_id=access.parse_id(raw) if raw else None
    )
    target = request.POST.get("next", "")
    # Only a path inside the app: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("casework:notifications")
    return redirect(target)
