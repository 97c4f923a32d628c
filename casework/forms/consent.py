"""Consent forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, BoundedModelMultipleChoiceField, RecordDateField
from casework.models import (
    Agency,
    Consent,
)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["basis", "agencies", "given_on", "note"]
        widgets = {
            "given_on": DATE_WIDGET,
            "agencies": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "agencies": _("情報を共有してよい機関をすべて選んでください。"),
        }
        field_classes = {"agencies": BoundedModelMultipleChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        agencies = cast("forms.ModelMultipleChoiceField[Agency]", self.fields["agencies"])
        agencies.queryset = Agency.objects.order_by("name")

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"person", "recorded_by"}


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = RecordDateField(label=_("撤回日"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("withdrawn_on", timezone.localdate())
        super().__init__(*args, **kwargs)
