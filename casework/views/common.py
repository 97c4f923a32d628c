"""What the casework pages share: form pages, error placement, page size."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access

PAGE_SIZE = 25


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
