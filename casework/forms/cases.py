"""Opening, filtering, reopening and reassigning cases."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, RecordDateField, _staff_label
from casework.models import (
    CaseStatus,
    Concern,
)


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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_opened_on(self):
        value = self.cleaned_data["opened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("受付日に未来の日付は指定できません。"))
        return value

    def clean(self):
        data = super().clean()
        main = data.get("main_concern")
        if main and main in data.get("other_concerns", []):
            self.add_error(
                "other_concerns", _("主な相談内容と同じ項目はその他に含めないでください。")
            )
        return data


class MyCasesFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状況"), required=False, choices=[("", _("すべて")), *CaseStatus.choices]
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("再開の理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(forms.Form):
    from_worker = forms.ModelChoiceField(label=_("現在の担当"), queryset=None)
    to_worker = forms.ModelChoiceField(label=_("新しい担当"), queryset=None)

    def __init__(self, *args, current=None, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_worker"].queryset = current
        self.fields["to_worker"].queryset = workers
        for name in ("from_worker", "to_worker"):
            self.fields[name].label_from_instance = _staff_label
