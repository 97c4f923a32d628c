"""The factor's forms and the security log's filter."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from security.models import EventKind, EventResult


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=20,
        help_text=_(
            "認証アプリに表示されている6桁の数字。"
            "スマートフォンが手元にないときは、予備コード(英数字)を入力できます。"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=10,
        help_text=_("認証アプリに登録したあと、表示された6桁の数字を入力してください。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("6桁の数字を入力してください。"))
        return code


class RenewForm(EnrolForm):
    pass


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: スマートフォンの紛失の申し出(本人から電話、身元を確認済み)"),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("理由を入力してください。"))
        return reason


# The log's dates: none before the app, none past the century (a far date overflowed).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *EventKind.choices]
    )
    result = forms.ChoiceField(
        label=_("結果"), required=False, choices=[("", _("すべて")), *EventResult.choices]
    )
    username = forms.CharField(label=_("ユーザー名"), required=False, max_length=150)
    address = forms.CharField(label=_("アドレス"), required=False, max_length=45)
    date_from = forms.DateField(
        label=_("期間(から)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )
    date_to = forms.DateField(
        label=_("期間(まで)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("「まで」は「から」より後の日付にしてください。"))
        return data
