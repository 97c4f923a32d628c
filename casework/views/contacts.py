"""Recording a contact from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import access, services
from casework.forms import (
    ContactRecordForm,
)
from casework.views.common import apply_errors


@never_cache
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    form = ContactRecordForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("経過記録を追加しました。"))
            return redirect("casework:case_detail", pk=case.pk)
    access.log_form_read(request.user, case, _noop("経過記録を追加"))
    return render(request, "casework/contact_form.html", {"case": case, "form": form})
