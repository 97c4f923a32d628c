"""Intake, screening and emergency support forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.cases import CaseOpenForm
from casework.forms.common import DATE_WIDGET, BoundedModelMultipleChoiceField
from casework.models import (
    Agency,
    EmergencySupport,
    IntakeConsent,
    IntakeRoute,
    Screening,
    ScreeningResult,
)

CONSENT_AGENCIES_NEEDED = _("「同意あり」のときは、情報共有の対象機関を一つ以上選んでください。")


class IntakeForm(CaseOpenForm):
    """相談受付: the case fields plus how the consultation came in."""

    route = forms.ChoiceField(label=_("相談経路"), choices=IntakeRoute.choices)
    came_in_person = forms.TypedChoiceField(
        label=_("相談者"),
        choices=[("1", _("本人")), ("0", _("本人以外"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    visitor_name = forms.CharField(label=_("相談者の氏名"), required=False, max_length=100)
    visitor_relation = forms.CharField(label=_("本人との関係"), required=False, max_length=50)
    chief_complaint = forms.CharField(
        label=_("主訴"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent_status = forms.ChoiceField(
        label=_("情報共有への同意"), choices=IntakeConsent.choices, initial=IntakeConsent.PENDING
    )
    # 同意あり records the consent itself, for these agencies (as on the consent page).
    consent_agencies = BoundedModelMultipleChoiceField(
        label=_("同意の対象機関"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("「同意あり」のとき、情報を共有してよい機関をすべて選んでください。"),
    )
    field_order = [
        "opened_on",
        "route",
        "came_in_person",
        "visitor_name",
        "visitor_relation",
        "main_concern",
        "other_concerns",
        "chief_complaint",
        "consent_status",
        "consent_agencies",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if data.get("came_in_person") is False:
            for name in ("visitor_name", "visitor_relation"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("本人以外が相談に来た場合は入力してください。"))
        given = data.get("consent_status") == IntakeConsent.GIVEN
        if given and not data.get("consent_agencies"):
            self.add_error("consent_agencies", CONSENT_AGENCIES_NEEDED)
        elif not given and data.get("consent_agencies"):
            self.add_error("consent_agencies", _("対象機関は「同意あり」のときだけ選びます。"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["received_on"] = data.pop("opened_on")
        return data


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = Screening
        fields = ["result", "decided_on", "note"]
        widgets = {
            "decided_on": DATE_WIDGET,
            "result": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        # Radio buttons need no empty choice: none is ticked until the worker decides.
        cast("forms.TypedChoiceField", self.fields["result"]).choices = ScreeningResult.choices

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "decided_by"}


class EmergencySupportForm(forms.ModelForm):
    class Meta:
        model = EmergencySupport
        fields = ["provided_on", "kind", "description"]
        widgets = {"provided_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("provided_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "recorded_by"}
