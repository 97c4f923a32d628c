"""Screening and emergency support pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from casework import services
from casework.forms import (
    EmergencySupportForm,
    ScreeningForm,
)
from casework.views.common import _case_form_view

screening_new = _case_form_view(
    ScreeningForm,
    services.screening_decide,
    title=_lazy("スクリーニング"),
    success=_lazy("スクリーニングの結果を記録しました。"),
)


emergency_new = _case_form_view(
    EmergencySupportForm,
    services.emergency_support_add,
    title=_lazy("緊急支援を記録"),
    success=_lazy("緊急支援を記録しました。"),
)
