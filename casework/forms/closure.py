"""Closure request and decision forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, RecordDateField
from casework.models import (
    ClosureReason,
)


class ClosureRequestForm(forms.Form):
    # No reason is chosen for the worker: the list opens on 「選んでください」.
    reason = forms.ChoiceField(
        label=_("終結理由"),
        choices=[("", _("選んでください"))]
        + [c for c in ClosureReason.choices if c[0] != ClosureReason.INFO_ONLY],
    )
    closing_on = RecordDateField(label=_("終結日"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("説明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("closing_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"),
        choices=[("approve", _("承認して終結する")), ("reject", _("差し戻す"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("理由・コメント"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("差し戻しの理由を入力してください。"))
        return data
