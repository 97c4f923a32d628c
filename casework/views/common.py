"""What the casework pages share: the form page, and the pages about a case or its record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import access
from casework.models import Case
from casework.pages import PAGE_SIZE as PAGE_SIZE
from casework.pages import AuthenticatedHttpRequest, form_data, form_page
from casework.pages import apply_errors as apply_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _form_page(
    request: AuthenticatedHttpRequest,
    form: BaseForm,
    on_valid: Callable[[dict[str, Any]], Any],
    *,
    title: StrOrPromise,
    back: Model | None,
    success: StrOrPromise,
    submit: StrOrPromise = "",
    template: str = "casework/form_page.html",
    shows: QuerySet[Case] | None = None,
    query: str = "",
    **context: Any,
) -> HttpResponse:
    """casework's form page: on a valid POST call the service, show its refusal next to
    the field, or redirect to where `on_valid` says (a URL or a model with a case page).

    Each rendering shows the person the form is about (`case`, else `back`), or the cases
    the form offers to pick (`shows`, found by searching for `query`): it is logged."""

    def shown() -> None:
        # A lazy title is fine: the log keeps it in the ward's language.
        detail = cast(str, title)
        access.log_form_read(request.user, context.get("case") or back, detail)
        if shows is not None:
            access.log_list(request.user, what=detail, cases=shows, query=query)

    return form_page(
        request,
        form,
        on_valid,
        template=template,
        success=success,
        shown=shown,
        context={"title": title, "back": back, "submit": submit or _("保存する"), **context},
    )


def _case_url(case: Case) -> str:
    return reverse("casework:case_detail", kwargs={"pk": case.pk})


def _plan_url(plan: Model) -> str:
    return reverse("casework:plan_detail", kwargs={"pk": plan.pk})


def _record_case(record: Model) -> Case:
    """The case that access.case_record_for_user carries on the record it returns."""
    case: Case = record.record_case  # type: ignore[attr-defined]  # set by case_record_for_user
    return case


def _user_perms(carrier: Model) -> frozenset[str]:
    """What the user may do with the case, as access carries it on the case it returns
    (case_for_user) or on the record (case_record_for_user)."""
    perms: frozenset[str] = carrier.user_perms  # type: ignore[attr-defined]  # set by access
    return perms


def case_form(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type[BaseForm],
    service: Callable[..., object],
    *,
    title: StrOrPromise,
    success: StrOrPromise,
    perm: str = access.WORK,
) -> HttpResponse:
    """A page with one form about a case: check `perm`, call `service(actor, case, **data)`,
    go back to the case."""
    case = access.case_for_user(request.user, pk, perm)

    def save(data: dict[str, Any]) -> str:
        service(actor=request.user, case=case, **data)
        return _case_url(case)

    form = form_class(form_data(request))
    return _form_page(request, form, save, title=title, back=case, success=success, case=case)


def record_form(
    request: AuthenticatedHttpRequest,
    pk: int,
    model: type[Model],
    keyword: str,
    form_class: type[BaseForm],
    service: Callable[..., object],
    *,
    title: StrOrPromise,
    success: StrOrPromise,
    perm: str = access.WORK,
) -> HttpResponse:
    """A page with one form about a record of a case (a plan, an enrolment): the record
    carries its case's permissions; `service(actor, <keyword>=record, **data)`."""
    record = access.case_record_for_user(request.user, model, pk, perm)
    back = record if hasattr(record, "get_absolute_url") else _record_case(record)

    def save(data: dict[str, Any]) -> str:
        service(actor=request.user, **{keyword: record}, **data)
        return back.get_absolute_url()

    form = form_class(form_data(request))
    return _form_page(
        request,
        form,
        save,
        title=title,
        back=back,
        success=success,
        case=_record_case(record),
        record=None if back is record else record,
    )
