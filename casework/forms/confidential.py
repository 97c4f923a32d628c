"""The forms of a confidential mark (秘匿の指定): place one, name staff, lift it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.common import BoundedModelMultipleChoiceField, _staff_label
from casework.models import Case, MarkKind, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

REASON_HELP = _("閲覧できる職員にだけ表示されます。")


class MarkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("秘匿の種類"), choices=MarkKind.choices, widget=forms.RadioSelect
    )
    case = forms.ModelChoiceField(
        label=_("記録を秘匿するケース"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_(
            "記録の秘匿のとき: そのケースの経過記録の内容を、閲覧できる職員だけに表示します。"
        ),
    )
    reason = forms.CharField(
        label=_("秘匿の理由"),
        max_length=300,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    staff = BoundedModelMultipleChoiceField(
        label=_("閲覧できる職員"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "指定する職員自身は必ず含まれます。機関の他の職員(管理者を含む)には表示されません。"
        ),
    )
    household = BoundedModelMultipleChoiceField(
        label=_("同じ世帯の方の住所・電話も秘匿する"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("住所・電話の秘匿のとき: 同じ住所に住む世帯員の住所と電話番号も秘匿します。"),
    )

    def __init__(
        self,
        *args: Any,
        cases: QuerySet[Case],
        staff: QuerySet[User],
        household: list[Person],
        address_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        case_field = cast("forms.ModelChoiceField[Case]", self.fields["case"])
        case_field.queryset = cases
        staff_field = cast("BoundedModelMultipleChoiceField", self.fields["staff"])
        staff_field.queryset = staff
        staff_field.label_from_instance = _staff_label  # type: ignore[assignment]
        household_field = cast("BoundedModelMultipleChoiceField", self.fields["household"])
        household_field.queryset = Person.objects.filter(pk__in=[p.pk for p in household])
        self.initial.setdefault("household", [p.pk for p in household])
        if not household:
            del self.fields["household"]
        kind = cast("forms.ChoiceField", self.fields["kind"])
        if not address_allowed:
            kind.choices = [(MarkKind.RECORDS.value, MarkKind.RECORDS.label)]
        if not cases.exists():
            kind.choices = [(MarkKind.ADDRESS.value, MarkKind.ADDRESS.label)]
            del self.fields["case"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == MarkKind.RECORDS and not data.get("case"):
            self.add_error("case", _("記録を秘匿するケースを選んでください。"))
        if data.get("kind") == MarkKind.ADDRESS:
            data["case"] = None  # a case chosen as well is for a records mark only
        return data


class MarkStaffForm(forms.Form):
    user = forms.ModelChoiceField(label=_("閲覧できる職員に追加"), queryset=Person.objects.none())

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[User]", self.fields["user"])
        field.queryset = staff
        field.label_from_instance = _staff_label  # type: ignore[assignment]


class MarkLiftForm(forms.Form):
    reason = forms.CharField(
        label=_("解除の理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
