"""What the casework forms share: date fields and widgets, bounded choices, a reason."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.models import (
    MAX_ID,
    validate_record_date,
)
from casework.wareki import date_on_screen, parse_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond what the database can hold are refused as invalid choices, before any
    query (SQLite overflows on them instead of finding nothing)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent refuses text with its own message
            if not 0 < number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class BirthDateInput(forms.TextInput):
    """A birth date as text, in 和暦 or not, with a calendar beside it."""

    template_name = "django/forms/widgets/birth_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "placeholder": _("例: 昭和40年5月16日、S40.5.16、1965-05-16"),
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return date_on_screen(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        day = value if isinstance(value, datetime.date) else parse_date(str(value or ""))
        context["widget"]["iso"] = day.isoformat() if day else ""
        return context


class BirthDateField(forms.DateField):
    """A birth date typed as 1965-05-16, 1965/5/16, 昭和40年5月16日, S40.5.16 (全角 too), or
    picked from the calendar."""

    widget = BirthDateInput
    default_error_messages = {
        "invalid": _(
            "生年月日は 1965-05-16、昭和40年5月16日、S40.5.16 のように入力してください"
            "(和暦はその元号にある日付で)。"
        )
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = parse_date(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class RecordDateField(forms.DateField):
    """A date of something that happened in the ward's work: 2000 to 2100."""

    default_validators = [validate_record_date]


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _staff_label(user: User) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
