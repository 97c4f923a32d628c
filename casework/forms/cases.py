"""Opening, filtering, reopening and reassigning cases."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, RecordDateField, _staff_label
from casework.models import (
    CaseStatus,
    Concern,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class CaseOpenForm(forms.Form):
    opened_on = RecordDateField(label=_("受付日"), widget=DATE_WIDGET)
    main_concern = forms.ChoiceField(
        label=_("主な相談内容"), choices=[("", _("選択してください")), *Concern.choices]
    )
    other_concerns = forms.MultipleChoiceField(
        label=_("その他の相談内容"),
        choices=Concern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_opened_on(self) -> datetime.date:
        value = self.cleaned_data["opened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("受付日に未来の日付は指定できません。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        main = data.get("main_concern")
        if main and main in data.get("other_concerns", []):
            self.add_error(
                "other_concerns", _("主な相談内容と同じ項目はその他に含めないでください。")
            )
        return data


class MyCasesFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状況"),
        required=False,
        choices=[("", _("すべて")), *[c for c in CaseStatus.choices if c[0] != CaseStatus.CLOSED]],
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("再開の理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(forms.Form):
    from_worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("現在の担当"),
        queryset=None,
        required=False,
        help_text=_("空のままにすると、新しい担当を追加します(担当者がいないケースの割り当て)。"),
    )
    to_worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("新しい担当"), queryset=None
    )

    def __init__(
        self,
        *args: Any,
        current: QuerySet[User] | None = None,
        workers: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["from_worker"]).queryset = current
        cast("forms.ModelChoiceField[User]", self.fields["to_worker"]).queryset = workers
        # One worker now: that is the one handed over, unless the supervisor chooses.
        if current is not None and not self.is_bound:
            only = list(current[:2])
            if len(only) == 1:
                self.initial.setdefault("from_worker", only[0].pk)
        for name in ("from_worker", "to_worker"):
            self.fields[name].label_from_instance = _staff_label  # type: ignore[attr-defined]  # a ModelChoiceField
