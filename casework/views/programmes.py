"""Programme enrolment and outcome pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access, selectors, services
from casework.forms import (
    EnrolmentForm,
    EnrolmentLeaveForm,
    OutcomeForm,
)
from casework.models import (
    ProgrammeEnrolment,
)
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.views.common import _case_url, _form_page, record_form


@never_cache
@require_http_methods(["GET", "POST"])
def enrolment_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return record_form(
        request,
        pk,
        ProgrammeEnrolment,
        "enrolment",
        EnrolmentLeaveForm,
        services.enrolment_leave,
        title=_lazy("事業の利用を終了"),
        success=_lazy("事業の利用を終了しました。"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def outcome_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return record_form(
        request,
        pk,
        ProgrammeEnrolment,
        "enrolment",
        OutcomeForm,
        services.outcome_add,
        title=_lazy("就労・増収を記録"),
        success=_lazy("成果を記録しました。"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def enrolment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    form = EnrolmentForm(form_data(request), people=selectors.household_member_choices(case))
    return _form_page(
        request,
        form,
        lambda data: _case_url(services.enrolment_add(actor=request.user, case=case, **data).case),
        title=_lazy("事業の利用を登録"),
        back=case,
        success=_("事業の利用を登録しました。"),
        case=case,
    )
