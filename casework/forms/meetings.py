"""The case meeting form."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, BoundedModelMultipleChoiceField, RecordDateField
from casework.models import (
    Agency,
    Case,
    MeetingKind,
)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会議の種類"), choices=MeetingKind.choices)
    held_on = RecordDateField(label=_("開催日"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("件名"), max_length=200)
    attending_agencies = BoundedModelMultipleChoiceField(
        label=_("出席機関"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cases = BoundedModelMultipleChoiceField(
        label=_("対象ケース"), queryset=Case.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label=_("決定事項"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self, *args: Any, visible_cases: QuerySet[Case] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        agencies = cast("forms.ModelChoiceField[Agency]", self.fields["attending_agencies"])
        agencies.queryset = Agency.objects.order_by("name")
        cast("forms.ModelChoiceField[Case]", self.fields["cases"]).queryset = visible_cases
        self.fields["cases"].label_from_instance = lambda c: f"{c.number} {c.person}"  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_held_on(self) -> datetime.date:
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value
