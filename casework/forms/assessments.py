"""The assessment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET
from casework.models import (
    Assessment,
)


class AssessmentForm(forms.ModelForm):
    # The latest version when the form was opened (0: none yet): see assessment_add.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            *Assessment.SECTIONS,
            "guardianship_need",
            "abuse_suspected",
            "abuse_note",
            "summary",
        ]
        widgets = {
            "assessed_on": DATE_WIDGET,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (*Assessment.SECTIONS, "abuse_note")
            },
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if data.get("abuse_suspected") and not (data.get("abuse_note") or "").strip():
            self.add_error("abuse_note", _("虐待の疑いがある場合は、その内容を記入してください。"))
        return data

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "version", "author"}
