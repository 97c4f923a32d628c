"""Recording a contact from the case page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access, services
from casework.forms import (
    ContactRecordForm,
)
from casework.models import Case
from casework.pages import AuthenticatedHttpRequest, form_data, form_page


@never_cache
@require_http_methods(["GET", "POST"])
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    form = ContactRecordForm(form_data(request), case=case)

    def save(data: dict[str, Any]) -> Case:
        services.contact_record_add(actor=request.user, case=case, **data)
        return case

    return form_page(
        request,
        form,
        save,
        template="casework/contact_form.html",
        success=_("経過記録を追加しました。"),
        shown=lambda: access.log_form_read(request.user, case, _noop("経過記録を追加")),
        context={"case": case},
    )
