"""Screening and emergency support pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework import services
from casework.forms import (
    EmergencySupportForm,
    ScreeningForm,
)
from casework.pages import AuthenticatedHttpRequest
from casework.views.common import case_form


@never_cache
@require_http_methods(["GET", "POST"])
def screening_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return case_form(
        request,
        pk,
        ScreeningForm,
        services.screening_decide,
        title=_lazy("スクリーニング"),
        success=_lazy("スクリーニングの結果を記録しました。"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def emergency_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return case_form(
        request,
        pk,
        EmergencySupportForm,
        services.emergency_support_add,
        title=_lazy("緊急支援を記録"),
        success=_lazy("緊急支援を記録しました。"),
    )
