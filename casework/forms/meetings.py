"""The case meeting form."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, BoundedModelMultipleChoiceField, RecordDateField
from casework.models import (
    Agency,
    Case,
    MeetingKind,
)
from casework.normalize import normalize_name

# The name of the form's 「検索」 button: pressed, the form searches and saves nothing.
MEETING_SEARCH_BUTTON = "search"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会議の種類"), choices=MeetingKind.choices)
    held_on = RecordDateField(label=_("開催日"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("件名"), max_length=200)
    attending_agencies = BoundedModelMultipleChoiceField(
        label=_("出席機関"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    case_query = forms.CharField(
        label=_("対象ケースを探す(氏名・ふりがな)"),
        required=False,
        max_length=100,
        help_text=_(
            "探して、対象のケースにチェックを入れてください。選んだケースは、続けて探しても残ります。"
        ),
    )
    cases = BoundedModelMultipleChoiceField(
        label=_("対象ケース"),
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("対象ケースを探して、一つ以上選んでください。"),
            "invalid_choice": _("選べないケースです。閲覧できる進行中のケースから選んでください。"),
        },
    )
    decisions = forms.CharField(
        label=_("決定事項"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self,
        *args: Any,
        visible_cases: QuerySet[Case] | None = None,
        searching: bool = False,
        **kwargs: Any,
    ) -> None:
        """`visible_cases`: the cases the form shows and accepts (those chosen and those
        found, among the ones the user may see); `searching`: the 「検索」 button was pressed."""
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.searching = searching
        agencies = cast("forms.ModelChoiceField[Agency]", self.fields["attending_agencies"])
        agencies.queryset = Agency.objects.order_by("name")
        cast("forms.ModelChoiceField[Case]", self.fields["cases"]).queryset = visible_cases
        self.fields["cases"].label_from_instance = lambda c: f"{c.number} {c.person}"  # type: ignore[attr-defined]  # a ModelChoiceField

    @classmethod
    def searchable(cls, query: str) -> str:
        """The query to search for, when it is one the form accepts; else nothing (the form
        says what is wrong with it)."""
        try:
            value: str = cls.base_fields["case_query"].clean(query)
        except ValidationError:
            return ""
        return value if normalize_name(value) else ""

    def is_valid(self) -> bool:
        # A search saves nothing, however complete the rest of the form is.
        return not self.searching and super().is_valid()

    def full_clean(self) -> None:
        super().full_clean()
        if not self.searching:
            return
        # A search is not a save: what is still missing is not asked for yet; what was typed
        # wrong is said, and the query must be there.
        judged = self.errors.as_data()
        self._errors = ErrorDict()
        for name, errors in judged.items():
            kept = [error for error in errors if error.code != "required"]
            if kept:
                self.add_error(None if name == NON_FIELD_ERRORS else name, kept)
        if not self.has_error("case_query") and not normalize_name(self["case_query"].value()):
            self.add_error(
                "case_query", _("氏名かふりがなを入力してから「検索」を押してください。")
            )

    def clean_held_on(self) -> datetime.date:
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value
