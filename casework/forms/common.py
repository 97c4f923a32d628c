"""What the casework forms share: date fields and widgets, bounded choices, a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import (
    MAX_ID,
    validate_record_date,
)

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


class RecordDateField(forms.DateField):
    """A date of something that happened in the ward's work: 2000 to 2100."""

    default_validators = [validate_record_date]


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _staff_label(user: User) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
