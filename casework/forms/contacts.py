"""The contact record form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, RecordDateField
from casework.models import (
    Case,
    ContactMethod,
    ContactRecord,
)


class ContactRecordForm(forms.ModelForm):
    class Meta:
        model = ContactRecord
        fields = ["occurred_at", "method", "minutes", "summary", "next_action"]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "next_action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        self.case = case
        if kwargs.get("instance") is None:
            # A new record defaults to now; a correction opens on the record's own time.
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
            # The method of the case's latest 経過記録 (a case is mostly followed one way),
            # or a telephone call, the commonest contact.
            if "method" not in initial:
                last = (
                    case.contacts.order_by("-occurred_at", "-pk")
                    .values_list("method", flat=True)
                    .first()
                    if case is not None and case.pk
                    else None
                )
                initial["method"] = last or ContactMethod.PHONE
        super().__init__(*args, **kwargs)
        occurred_at = cast(forms.DateTimeField, self.fields["occurred_at"])
        occurred_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.update({"case", "worker"})
        return exclusions


class TimelineFilterForm(forms.Form):
    """The case page's 経過記録: by date and method. Bad input filters nothing."""

    date_from = RecordDateField(label=_("開始日"), required=False, widget=DATE_WIDGET)
    date_to = RecordDateField(label=_("終了日"), required=False, widget=DATE_WIDGET)
    method = forms.ChoiceField(
        label=_("方法"), required=False, choices=[("", _("すべて")), *ContactMethod.choices]
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
