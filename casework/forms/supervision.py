"""The access log's filter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.forms.common import DATE_WIDGET, RecordDateField, _staff_label
from casework.models import MAX_ID

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AccessLogFilterForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("職員"), queryset=None, required=False
    )
    date_from = RecordDateField(label=_("開始日"), required=False, widget=DATE_WIDGET)
    date_to = RecordDateField(label=_("終了日"), required=False, widget=DATE_WIDGET)
    case = forms.CharField(
        label=_("ケース番号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    person = forms.IntegerField(label=_("本人番号"), required=False, min_value=1, max_value=MAX_ID)

    def __init__(
        self,
        *args: Any,
        workers: QuerySet[User] | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast("forms.ModelChoiceField[User]", self.fields["worker"]).queryset = workers
        self.fields["worker"].label_from_instance = _staff_label  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_case(self) -> int | None:
        raw = self.cleaned_data["case"].strip()
        if not raw:
            return None
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
            raise forms.ValidationError(_("ケース番号は数字で入力してください(例: 000123)。"))
        user = cast("User", self.user)  # the view passes the supervisor
        # Only a case the supervisor sees: another agency's number would say what it listed.
        if not access.cases_visible_to(user).filter(pk=int(raw)).exists():
            raise forms.ValidationError(_("この番号のケースは表示できません。"))
        return int(raw)

    def clean_person(self) -> int | None:
        pk = self.cleaned_data["person"]
        user = cast("User", self.user)  # the view passes the supervisor
        if pk is not None and not access.persons_visible_to(user).filter(pk=pk).exists():
            raise forms.ValidationError(_("この番号の本人は表示できません。"))
        return pk

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("終了日は開始日以降にしてください。"))
        return data


class HandoverForm(forms.Form):
    """One choice per open case of the worker: whom it goes to (blank: it stays), and one
    choice for all of them at once."""

    all_to: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("すべてのケースを引き継ぐ職員"),
        queryset=None,
        required=False,
        help_text=_("ケースごとに選んだ職員が優先されます。"),
    )

    def __init__(self, *args, cases=(), targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = list(cases)
        self.fields["all_to"].queryset = targets
        self.fields["all_to"].label_from_instance = _staff_label
        for case in self.cases:
            field = forms.ModelChoiceField(
                label=f"{case.number} {case.person}",
                queryset=targets,
                required=False,
                empty_label=_("(引き継がない)"),
            )
            field.label_from_instance = _staff_label
            self.fields[f"to_{case.pk}"] = field

    def case_fields(self):
        return [(case, self[f"to_{case.pk}"]) for case in self.cases]

    def moves(self) -> list:
        everyone = self.cleaned_data.get("all_to")
        moves = []
        for case in self.cases:
            to_worker = self.cleaned_data.get(f"to_{case.pk}") or everyone
            if to_worker is not None:
                moves.append((case, to_worker))
        return moves

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.moves():
            raise forms.ValidationError(_("引き継ぐ職員を選んでください。"))
        return cleaned
