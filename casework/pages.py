"""What every app's pages share: a form page, a service's refusal shown next to its field,
one status for a form sent back with errors, and pagination.

Views stay thin: they authorize through casework.access, build the form, and hand a
`save(cleaned_data)` that calls one service to `form_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
# A form sent back with its errors (invalid input, or a service's refusal) answers 400 in
# every app: the browser shows the page, and a script or a test can tell it was refused.
INVALID_FORM_STATUS = 400


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page behind LoginRequiredMiddleware (every page not marked
    `login_not_required`): its user is signed in. For annotations only; Django passes a
    plain HttpRequest."""

    user: User


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_status(request: HttpRequest, *forms) -> int:
    """200 for a page shown, 400 for a POST sent back with errors in any of its forms (or
    formsets)."""
    if request.method != "POST":
        return 200
    for form in forms:
        if form is None or not form.is_bound:
            continue
        count = form.total_error_count() if hasattr(form, "total_error_count") else form.errors
        if count:
            return INVALID_FORM_STATUS
    return 200


def submitted(request: HttpRequest, form: BaseForm, save: Callable[[dict], Any]) -> tuple:
    """On a POST of a valid form, call `save(cleaned_data)`: (True, what it returned). A
    refusal (ValidationError) is placed next to its field: (False, None)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False, None


def form_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict], Any],
    *,
    template: str,
    success: StrOrPromise,
    context: dict,
    then: Callable[[Any], Any] = lambda saved: saved,
    shown: Callable[[], None] | None = None,
) -> HttpResponse:
    """The one form page of every app. A valid POST calls `save`; when it saves, `success`
    is shown and the browser goes to `then(what save returned)` (a URL, a URL name or a
    model with get_absolute_url). Otherwise the page is rendered (`shown()` first, where
    the page records what it reads), with 400 if the form came back with errors."""
    done, saved = submitted(request, form, save)
    if done:
        messages.success(request, success)
        return redirect(then(saved))
    if shown is not None:
        shown()
    return render(request, template, {"form": form, **context}, status=form_status(request, form))


def page_of(request: HttpRequest, items, size: int = PAGE_SIZE) -> Page:
    """The page of `items` the request asks for (?page=N; out of range: the nearest)."""
    return Paginator(items, size).get_page(request.GET.get("page"))
