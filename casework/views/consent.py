"""Recording and withdrawing consent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access, services
from casework.forms import (
    ConsentForm,
    ConsentWithdrawForm,
)
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.views.common import _form_page


@never_cache
@require_http_methods(["GET", "POST"])
def consent_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    if not access.person_in_agency_scope(request.user, person):
        raise PermissionDenied
    # Opened from a referral that lacked it: the agency it is for comes ticked.
    agency = request.GET.get("agency", "")
    initial = {"agencies": [int(agency)]} if agency.isdigit() and len(agency) < 10 else {}
    form = ConsentForm(form_data(request), initial=initial)

    def save(data: dict[str, Any]) -> str:
        services.consent_record(actor=request.user, person=person, **data)
        return reverse("casework:person_detail", kwargs={"pk": person.pk})

    return _form_page(
        request,
        form,
        save,
        title=_lazy("同意・共有の根拠を記録"),
        back=person,
        success=_("同意・共有の根拠を記録しました。"),
        record=person,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = access.consent_for_user(request.user, pk)
    form = ConsentWithdrawForm(form_data(request))

    def save(data: dict[str, Any]) -> str:
        services.consent_withdraw(actor=request.user, consent=consent, **data)
        return reverse("casework:person_detail", kwargs={"pk": consent.person_id})

    return _form_page(
        request,
        form,
        save,
        title=_lazy("同意を撤回"),
        back=consent.person,
        success=_("同意の撤回を記録しました。この同意にもとづく共有はすべて終了しました。"),
        record=consent,
    )
