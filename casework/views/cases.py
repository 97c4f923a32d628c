"""The worker's cases, the case page, opening, reopening and reassigning a case."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, extensions, selectors, services
from casework.forms import (
    ConfirmNewPersonForm,
    IntakeForm,
    MyCasesFilterForm,
    PersonForm,
    ReassignForm,
    ReopenForm,
    TimelineFilterForm,
)
from casework.models import (
    AccessLog,
    Case,
    Person,
)
from casework.pages import (
    ALREADY_SAVED,
    PAGE_SIZE,
    AuthenticatedHttpRequest,
    SavedBefore,
    draft_saved,
    form_data,
    form_status,
    keyset_page,
    page_of,
    save_once,
    saved_before,
)
from casework.views.common import _case_url, _form_page, _user_perms, apply_errors, case_form


@require_GET
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = access.membership_of(request.user)
    if not access.handles_cases(request.user):
        return render(request, "casework/no_case_access.html", {"membership": membership})
    assert membership is not None  # handles_cases
    form = MyCasesFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    scopes = ["assigned", "shared"] + (["agency"] if membership.role == "supervisor" else [])
    scope = request.GET.get("scope", "assigned")
    if scope not in scopes:
        scope = "assigned"
    closed = request.GET.get("closed") == "1"
    cases = selectors.my_cases(request.user, status=status or None, scope=scope, closed=closed)
    # Walked by its last row: a supervisor's agency may hold thousands of cases.
    page = keyset_page(request, cases, size=PAGE_SIZE, at="opened_on", dated=True)
    access.log_list(request.user, what=_noop("担当ケース一覧"), cases=page.object_list)
    return render(
        request,
        "casework/my_cases.html",
        {
            "form": form,
            "page": page,
            "scope": scope,
            "scopes": scopes,
            "status": status,
            "closed": closed,
        },
    )


TIMELINE_PAGE = 50


@never_cache
@require_GET
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.VIEW)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=_noop("ケースの画面"),
    )
    perms = _user_perms(case)
    timeline_filter = TimelineFilterForm(request.GET or None)
    context = {
        "case": case,
        "concerns": selectors.case_concerns(case),
        "assignments": selectors.case_active_assignments(case),
        "shares": selectors.case_active_shares(case),
        # The latest 50 first, in pages; by date and method within the case.
        "timeline": page_of(
            request, selectors.case_timeline(case, **timeline_filter.filters()), TIMELINE_PAGE
        ),
        "timeline_filter": timeline_filter,
        "can_work": access.WORK in perms and case.is_open,
        "can_supervise": access.SUPERVISE in perms,
        # A 経過記録's author corrects it within the agency's window; supervisors always.
        "can_correct_own": access.WORK in perms,
        "correction_since": timezone.now()
        - datetime.timedelta(days=case.owning_agency.correction_window_days),
        "voided_contacts": (
            list(selectors.voided_contacts(case.pk)) if access.SUPERVISE in perms else []
        ),
        "attachments": selectors.case_attachment_rows(request.user, case),
        "panels": extensions.case_panels(request, case),
        "suspension": services.use_suspension_of(case.person_id),
        "marks": access.marks_of_person(request.user, case.person, [case]),
        **selectors.case_workflow(request.user, case),
    }
    return render(request, "casework/case_detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def case_open_new_person(request: AuthenticatedHttpRequest) -> HttpResponse:
    """相談受付 for a person not yet registered. Likely duplicates among the persons the
    user may see are shown first; a new person is made only once the worker confirms."""
    access.require_case_role(request.user)
    data = form_data(request)
    person_form = PersonForm(data, prefix="person")
    case_form = IntakeForm(data, prefix="case")
    confirm_form = ConfirmNewPersonForm(data, prefix="confirm")
    duplicates: list[Person] = []
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        confirm_form.is_valid()
        confirmed = bool(confirm_form.cleaned_data.get("confirm_new"))

        def save() -> Case:
            return services.case_intake(
                actor=request.user,
                new_person=person_form.cleaned_data,
                check_duplicates=True,
                seen_duplicates=confirm_form.seen_ids() if confirmed else set(),
                **case_form.service_kwargs(),
            )

        try:
            _case, url, fresh = save_once(request, save, _case_url)
        except services.LikelyDuplicates as found:
            duplicates = found.persons
            confirm_form = ConfirmNewPersonForm(
                prefix="confirm", initial={"seen": ",".join(str(p.pk) for p in duplicates)}
            )
        except SavedBefore:
            return saved_before(request)
        except ValidationError as error:
            apply_errors(case_form, error)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, _("相談を受け付けました。") if fresh else ALREADY_SAVED)
            return redirect(url)
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
        status=form_status(request, person_form, case_form, confirm_form),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def case_open_for_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Only staff who handle cases see any person, so the lookup alone refuses the rest (404).
    person = access.person_for_user(request.user, pk)
    if not access.may_open_case_for(request.user, person):
        raise PermissionDenied
    case_form = IntakeForm(form_data(request), prefix="case")
    if request.method == "POST" and case_form.is_valid():
        try:
            _case, url, fresh = save_once(
                request,
                lambda: services.case_intake(
                    actor=request.user, person=person, **case_form.service_kwargs()
                ),
                _case_url,
            )
        except SavedBefore:
            return saved_before(request)
        except ValidationError as error:
            apply_errors(case_form, error)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, _("相談を受け付けました。") if fresh else ALREADY_SAVED)
            return redirect(url)
    access.log_form_read(request.user, person, _noop("この方の相談を受付"))
    return render(
        request,
        "casework/case_open.html",
        {"person_form": None, "case_form": case_form, "person": person},
        status=form_status(request, case_form),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def case_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return case_form(
        request,
        pk,
        ReopenForm,
        services.case_reopen,
        title=_lazy("ケースを再開"),
        success=_lazy("ケースを再開しました。"),
        perm=access.SUPERVISE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def case_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.SUPERVISE)
    current = selectors.case_workers(case)
    form = ReassignForm(
        form_data(request), current=current, workers=selectors.agency_workers(request.user)
    )

    def save(data):
        if data["from_worker"] is None:
            services.case_assign(actor=request.user, case=case, worker=data["to_worker"])
        else:
            services.case_reassign(actor=request.user, case=case, **data)
        return _case_url(case)

    return _form_page(
        request,
        form,
        save,
        title=_lazy("担当を変更"),
        back=case,
        success=_("担当を変更しました。"),
        case=case,
    )
