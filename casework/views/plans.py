"""Support plan pages: drafting, editing, submitting, approving, returning, monitoring."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import access, print_forms, selectors, services
from casework.forms import (
    BaselineForm,
    BasePlanActionFormSet,
    MonitoringForm,
    PlanActionFormSet,
    ReasonForm,
    SupportPlanForm,
)
from casework.models import (
    AccessLog,
    Case,
    SupportPlan,
)
from casework.pages import (
    ALREADY_SAVED,
    AuthenticatedHttpRequest,
    SavedBefore,
    draft_saved,
    form_data,
    form_status,
    save_once,
    saved_before,
    stale_changes,
)
from casework.views.common import (
    _form_page,
    _plan_url,
    _record_case,
    _user_perms,
    apply_errors,
    record_form,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@never_cache
@require_http_methods(["GET", "POST"])
def plan_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return record_form(
        request,
        pk,
        SupportPlan,
        "plan",
        ReasonForm,
        services.plan_return,
        title=_lazy("支援プランを差し戻す"),
        success=_lazy("支援プランを差し戻しました。"),
        perm=access.SUPERVISE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def monitoring_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = access.case_record_for_user(request.user, SupportPlan, pk, access.WORK)
    form = MonitoringForm(form_data(request), baseline=selectors.plan_baseline(plan))

    def save(data: dict[str, Any]) -> SupportPlan:
        fields = {name: data[name] for name in MonitoringForm.Meta.fields}
        services.monitoring_add(actor=request.user, plan=plan, scores=form.scores(), **fields)
        return plan

    return _form_page(
        request,
        form,
        save,
        title=_lazy("モニタリング・評価を記録"),
        back=plan,
        success=_lazy("モニタリングを記録しました。"),
        template="casework/monitoring_form.html",
        case=_record_case(plan),
    )


def _plan_forms(
    request: AuthenticatedHttpRequest,
    plan: SupportPlan | None = None,
    source: SupportPlan | None = None,
) -> tuple[SupportPlanForm, BasePlanActionFormSet, BaselineForm]:
    """The plan form with its formset of actions and its baseline, prefilled from `source`
    when revising (the baseline from the items' last known scores)."""
    base = plan or source
    initial = {name: getattr(base, name) for name in services.PLAN_FIELDS} if base else {}
    actions = (
        [
            {
                "description": a.description,
                "agency": a.agency_id,
                "agency_note": a.agency_note,
                "frequency": a.frequency,
                "is_employment_support": a.is_employment_support,
            }
            for a in base.actions.all()
        ]
        if base
        else []
    )
    data = form_data(request)
    form = SupportPlanForm(
        data, initial=initial if plan is None else {"version": plan.revision}, instance=plan
    )
    formset = cast(
        "BasePlanActionFormSet", PlanActionFormSet(data, initial=actions, prefix="actions")
    )
    if plan is not None:
        scores = selectors.plan_baseline(plan)
    else:
        scores = selectors.last_known_scores(source) if source is not None else {}
    baseline = BaselineForm(
        data, prefix="baseline", initial={f"score_{i}": s for i, s in scores.items()}
    )
    return form, formset, baseline


def _plan_page(
    request: AuthenticatedHttpRequest,
    *,
    case: Case,
    plan: SupportPlan | None,
    form: SupportPlanForm,
    formset: BasePlanActionFormSet,
    baseline: BaselineForm,
    title: StrOrPromise,
    save: Callable[[dict[str, Any], list[dict[str, Any]], dict[str, int | None]], SupportPlan],
) -> HttpResponse:
    valid = [f.is_valid() for f in (form, formset, baseline)] if request.method == "POST" else []
    if valid and all(valid):
        fields = {name: form.cleaned_data[name] for name in services.PLAN_FIELDS}
        actions = formset.actions()
        scores = baseline.scores()
        try:
            _saved, url, fresh = save_once(
                request, lambda: save(fields, actions, scores), _plan_url
            )
        except SavedBefore:
            return saved_before(request)
        except ValidationError as error:
            _split_errors(form, baseline, error)
            stale_changes(form, error)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, _("支援プランを保存しました。") if fresh else ALREADY_SAVED)
            return redirect(url)
    # A lazy title is fine: the log keeps it in the ward's language.
    access.log_form_read(request.user, case, cast(str, title))
    return render(
        request,
        "casework/plan_form.html",
        {
            "case": case,
            "plan": plan,
            "form": form,
            "formset": formset,
            "baseline_form": baseline,
            "title": title,
        },
        status=form_status(request, form, formset, baseline),
    )


def _split_errors(form: SupportPlanForm, baseline: BaselineForm, error: ValidationError) -> None:
    """A refusal about a change item goes next to it in the baseline; the rest to the plan."""
    if hasattr(error, "error_dict"):
        mine = {k: v for k, v in error.error_dict.items() if k in baseline.fields}
        if mine:
            apply_errors(baseline, ValidationError(mine))
            rest = {k: v for k, v in error.error_dict.items() if k not in mine}
            if rest:
                apply_errors(form, ValidationError(rest))
            return
    apply_errors(form, error)


@never_cache
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    current = selectors.current_plan(case)
    form, formset, baseline = _plan_forms(request, source=current)
    return _plan_page(
        request,
        case=case,
        plan=None,
        form=form,
        formset=formset,
        baseline=baseline,
        title=_lazy("支援プランを改定") if current else _lazy("支援プランを作成"),
        save=lambda fields, actions, scores: services.plan_create(
            actor=request.user, case=case, actions=actions, baseline=scores, **fields
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = access.case_record_for_user(request.user, SupportPlan, pk, access.WORK)
    if not plan.is_editable:
        messages.error(request, _("下書きのプランだけを編集できます。"))
        return redirect(_plan_url(plan))
    form, formset, baseline = _plan_forms(request, plan=plan)
    return _plan_page(
        request,
        case=_record_case(plan),
        plan=plan,
        form=form,
        formset=formset,
        baseline=baseline,
        title=_lazy("支援プランを編集"),
        save=lambda fields, actions, scores: services.plan_update(
            actor=request.user,
            plan=plan,
            actions=actions,
            revision=form.cleaned_data.get("version"),
            baseline=scores,
            **fields,
        ),
    )


@never_cache
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = access.case_record_for_user(request.user, SupportPlan, pk)
    case = _record_case(plan)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=f"支援プラン 第{plan.version}版",
    )
    perms = _user_perms(plan)
    actions = list(selectors.plan_actions(plan))
    return render(
        request,
        "casework/plan_detail.html",
        {
            "plan": plan,
            "case": case,
            "actions": actions,
            "check_code": print_forms.plan_check_code(plan, actions),
            "monitoring": selectors.plan_monitoring(plan),
            "changes": selectors.plan_change_table(plan),
            "can_work": access.WORK in perms and case.is_open,
            "can_supervise": access.SUPERVISE in perms and case.is_open,
            "is_author": plan.contributors.filter(pk=request.user.pk).exists(),
            "return_form": ReasonForm(),
        },
    )


def _plan_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    perm: str,
    service: Callable[[SupportPlan], object],
    success: StrOrPromise,
) -> HttpResponse:
    plan = access.case_record_for_user(request.user, SupportPlan, pk, perm)
    try:
        service(plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_plan_url(plan))


@require_POST
def plan_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        access.WORK,
        lambda plan: services.plan_submit(actor=request.user, plan=plan),
        _("支援プランを提出しました。スーパーバイザーの承認を待っています。"),
    )


@require_POST
def plan_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        access.SUPERVISE,
        lambda plan: services.plan_approve(actor=request.user, plan=plan),
        _("支援プランを承認しました。"),
    )
