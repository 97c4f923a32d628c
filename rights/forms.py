from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_WIDGET, RecordDateField
from casework.models import HoldKind
from rights.models import Decision, Delivery, RequestKind


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=RequestKind.choices, widget=forms.RadioSelect)
    received_on = RecordDateField(label=_("受付日"), widget=DATE_WIDGET)
    requester = forms.CharField(
        label=_("請求者"),
        max_length=100,
        initial="本人",
        help_text=_("本人、法定代理人、任意代理人など。"),
    )
    content = forms.CharField(
        label=_("請求の内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("開示を求める記録、訂正を求める箇所と内容、利用停止を求める理由など。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ExtendForm(forms.Form):
    extended_to = RecordDateField(label=_("延長後の期限"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("延長の理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("本人に通知する理由です(事務処理上の困難その他正当な理由)。"),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("決定の理由"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("全部を認めないときは必ず入力してください(不開示とした部分とその理由)。"),
    )
    decided_on = RecordDateField(label=_("決定日"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class DeliverForm(forms.Form):
    delivered_on = RecordDateField(label=_("交付・通知日"), widget=DATE_WIDGET)
    delivery = forms.ChoiceField(
        label=_("交付の方法"), choices=Delivery.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("delivered_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("取下げの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(forms.Form):
    """One of the corrections the selector offers, by its key ("contact:ID", "person:ID")."""

    correction = forms.ChoiceField(label=_("結び付ける訂正"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["correction"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class HoldForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("理由の種類"), choices=HoldKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        help_text=_("事件番号や相手方など、保存が必要な理由が分かるように。"),
    )


class HoldLiftForm(forms.Form):
    reason = forms.CharField(label=_("解除の理由"), max_length=300)
