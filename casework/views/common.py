"""What the casework pages share: the form page, and the pages about a case or its record."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from casework import access
from casework.pages import PAGE_SIZE as PAGE_SIZE
from casework.pages import apply_errors as apply_errors
from casework.pages import form_page


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
    """casework's form page: on a valid POST call the service, show its refusal next to
    the field, or redirect to where `on_valid` says (a URL or a model with a case page).

    Each rendering shows the person the form is about (`case`, else `back`), or the cases
    the form offers to pick (`shows`): it is logged."""

    def shown():
        access.log_form_read(request.user, context.get("case") or back, title)
        if shows is not None:
            access.log_list(request.user, what=title, cases=shows)

    return form_page(
        request,
        form,
        on_valid,
        template=template,
        success=success,
        shown=shown,
        context={"title": title, "back": back, "submit": submit or _("保存する"), **context},
    )


def _case_url(case) -> str:
    return reverse("casework:case_detail", kwargs={"pk": case.pk})


def _plan_url(plan) -> str:
    return reverse("casework:plan_detail", kwargs={"pk": plan.pk})


def case_form(request, pk, form_class, service, *, title, success, perm=access.WORK):
    """A page with one form about a case: check `perm`, call `service(actor, case, **data)`,
    go back to the case."""
    case = access.case_for_user(request.user, pk, perm)

    def save(data):
        service(actor=request.user, case=case, **data)
        return _case_url(case)

    form = form_class(request.POST or None)
    return _form_page(request, form, save, title=title, back=case, success=success, case=case)


def record_form(
    request, pk, model, keyword, form_class, service, *, title, success, perm=access.WORK
):
    """A page with one form about a record of a case (a plan, an enrolment): the record
    carries its case's permissions; `service(actor, <keyword>=record, **data)`."""
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
