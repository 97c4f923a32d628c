"""Thin views: parse, authorize through casework.access, call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, selectors, services
from casework.forms import (
    CaseOpenForm,
    ContactRecordForm,
    MyCasesFilterForm,
    PersonForm,
    PersonSearchForm,
)
from casework.models import AccessLog

PAGE_SIZE = 25


def _apply_errors(form, error: ValidationError) -> None:
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
        request.user, person=case.person, case=case, action=AccessLog.Action.VIEW_CASE
    )
    context = {
        "case": case,
        "concerns": selectors.case_concerns(case),
        "assignments": selectors.case_active_assignments(case),
        "shares": selectors.case_active_shares(case),
        "timeline": selectors.case_timeline(case),
        "can_work": access.WORK in case.user_perms and case.is_open,
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("経過記録を追加しました。"))
            return redirect("casework:case_detail", pk=case.pk)
    return render(request, "casework/contact_form.html", {"case": case, "form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_open_new_person(request: HttpRequest) -> HttpResponse:
    """Minimal intake: a new person and their first case in one step."""
    access.require_case_role(request.user)
    person_form = PersonForm(request.POST or None, prefix="person")
    case_form = CaseOpenForm(request.POST or None, prefix="case")
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        try:
            case = _open_with_new_person(request.user, person_form, case_form)
        except ValidationError as error:
            _apply_errors(case_form, error)
        else:
            messages.success(request, _("ケースを登録しました。"))
            return redirect("casework:case_detail", pk=case.pk)
    return render(
        request,
        "casework/case_open.html",
        {"person_form": person_form, "case_form": case_form, "person": None},
    )


def _open_with_new_person(user, person_form, case_form):
    with transaction.atomic():
        person = services.person_create(actor=user, **person_form.cleaned_data)
        return services.case_open(actor=user, person=person, **case_form.cleaned_data)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_open_for_person(request: HttpRequest, pk: int) -> HttpResponse:
    # Only staff who handle cases see any person, so the lookup alone refuses the rest (404).
    person = access.person_for_user(request.user, pk)
    case_form = CaseOpenForm(request.POST or None, prefix="case")
    if request.method == "POST" and case_form.is_valid():
        try:
            case = services.case_open(actor=request.user, person=person, **case_form.cleaned_data)
        except ValidationError as error:
            _apply_errors(case_form, error)
        else:
            messages.success(request, _("ケースを登録しました。"))
            return redirect("casework:case_detail", pk=case.pk)
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
    return render(request, "casework/person_search.html", {"form": form, "page": page})


@login_required
@never_cache
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    access.log_access(request.user, person=person, case=None, action=AccessLog.Action.VIEW_PERSON)
    cases = selectors.person_cases(request.user, person)
    return render(request, "casework/person_detail.html", {"person": person, "cases": cases})


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
