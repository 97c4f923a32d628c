"""Requesting and deciding a case's closure."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access, services
from casework.forms import (
    ClosureDecisionForm,
    ClosureRequestForm,
)
from casework.models import (
    ClosureRequest,
)
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.views.common import _case_url, _form_page, _record_case, case_form


@never_cache
@require_http_methods(["GET", "POST"])
def closure_request_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return case_form(
        request,
        pk,
        ClosureRequestForm,
        services.closure_request_submit,
        title=_lazy("終結を申請"),
        success=_lazy("終結を申請しました。スーパーバイザーの承認を待っています。"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def closure_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    closure = access.case_record_for_user(request.user, ClosureRequest, pk, access.SUPERVISE)
    form = ClosureDecisionForm(form_data(request))
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
        back=_record_case(closure),
        success=_("終結の申請を判断しました。"),
        case=_record_case(closure),
        record=closure,
    )
