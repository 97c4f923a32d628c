"""Confidential marks (秘匿の指定): place one from the person's page, see it, name or
remove staff, lift it. Who may: casework/access_confidential.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casework import access, services
from casework.access_confidential import candidate_staff
from casework.forms.confidential import MarkForm, MarkLiftForm, MarkStaffForm
from casework.models import AccessLog, Case, ConfidentialMark
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.services.confidential import household_of
from casework.views.common import _form_page, apply_errors


def _markable_cases(request: AuthenticatedHttpRequest, person_id: int) -> Any:
    visible = access.cases_visible_to(request.user).filter(person_id=person_id)
    ids = [c.pk for c in visible if access.may_mark_records(request.user, c)]
    return Case.objects.filter(pk__in=ids, records_confidential=False).order_by("-opened_on")


@never_cache
@require_http_methods(["GET", "POST"])
def mark_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    membership = access.require_case_role(request.user)
    address_allowed = (
        access.may_mark_address(request.user, person) and not person.address_confidential
    )
    cases = _markable_cases(request, person.pk)
    if not address_allowed and not cases.exists():
        raise PermissionDenied
    household = household_of(person, request.user) if address_allowed else []
    form = MarkForm(
        form_data(request),
        cases=cases,
        staff=candidate_staff(membership.agency_id, person),
        household=household,
        address_allowed=address_allowed,
        initial={"staff": [request.user.pk]},
    )

    def save(data: dict[str, Any]) -> Any:
        services.mark_place(
            actor=request.user,
            person=person,
            kind=data["kind"],
            reason=data["reason"],
            staff=data["staff"],
            case=data.get("case"),
            household=data.get("household") or [],
        )
        return person

    return _form_page(
        request,
        form,
        save,
        title=_lazy("秘匿を指定"),
        back=person,
        success=_("秘匿を指定しました。"),
        submit=_("指定する"),
    )


def _detail(request: AuthenticatedHttpRequest, mark: ConfidentialMark, **extra: Any) -> Any:
    manage = access.may_manage_mark(request.user, mark)
    named = list(mark.staff.order_by("last_name", "first_name", "pk"))
    staff_form = extra.pop("staff_form", None)
    if manage and staff_form is None:
        others = candidate_staff(mark.agency_id, mark.person).exclude(pk__in=[u.pk for u in named])
        staff_form = MarkStaffForm(staff=others)
    access.log_access(
        request.user,
        person=mark.person,
        case=mark.case,
        action=AccessLog.Action.VIEW_PERSON,
        detail=_noop("秘匿の指定"),
    )
    return render(
        request,
        "casework/confidential_detail.html",
        {
            "mark": mark,
            "named": named,
            "is_named": request.user.pk in {u.pk for u in named},
            "may_manage": manage,
            "staff_form": staff_form if manage else None,
            "changes": mark.changes.select_related("staff", "actor"),
            **extra,
        },
    )


@never_cache
@require_http_methods(["GET"])
def mark_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.mark_for_user(request.user, pk))


@never_cache
@require_POST
def mark_staff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add the chosen member (`user`), or remove one (`remove`=their id)."""
    mark = access.mark_for_user(request.user, pk)
    if not access.may_manage_mark(request.user, mark):
        raise PermissionDenied
    if request.POST.get("remove"):
        user = mark.staff.filter(pk=access.parse_id(request.POST["remove"])).first()
        if user is None:
            return redirect("casework:confidential_detail", pk=mark.pk)
        try:
            services.mark_staff_remove(actor=request.user, mark=mark, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("閲覧できる職員から外しました。"))
        return redirect("casework:confidential_detail", pk=mark.pk)
    others = candidate_staff(mark.agency_id, mark.person).exclude(pk__in=mark.staff.values("pk"))
    form = MarkStaffForm(request.POST, staff=others)
    if form.is_valid():
        try:
            services.mark_staff_add(actor=request.user, mark=mark, user=form.cleaned_data["user"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("閲覧できる職員に加えました。"))
            return redirect("casework:confidential_detail", pk=mark.pk)
    response = _detail(request, mark, staff_form=form)
    response.status_code = 400  # as every form page answers bad input
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def mark_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mark = access.mark_for_user(request.user, pk)
    if not access.may_manage_mark(request.user, mark):
        raise PermissionDenied
    form = MarkLiftForm(form_data(request))

    def save(data: dict[str, Any]) -> Any:
        services.mark_lift(actor=request.user, mark=mark, reason=data["reason"])
        return mark.person

    return _form_page(
        request,
        form,
        save,
        title=_lazy("秘匿を解除"),
        back=mark.person,
        success=_("秘匿を解除しました。"),
        submit=_("解除する"),
        record=mark,
    )
